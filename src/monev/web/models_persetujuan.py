"""A pemda's levels of approval (issue 16 point 4; the rules in `monev.web.persetujuan`).
Registered with the app by `monev.web.models`, which imports it."""

from __future__ import annotations

from django.db import models


class TingkatPersetujuan(models.Model):
    """One level of approval of a pemda's quarterly reports, in order (issue 16 point 4).

    A level is a role: every user with that role approves at it (a kepala_pd only their own
    PD). A pemda without rows has the single level of a Bappeda verifier. Written by
    `monev.web.persetujuan.tingkat_set` only."""

    class Peran(models.TextChoices):
        KEPALA_PD = "kepala_pd", "Kepala Perangkat Daerah"
        VERIFIKATOR = "verifikator", "Verifikator Bappeda"
        KEPALA_BAPPEDA = "kepala_bappeda", "Kepala Bappeda"

    pemda = models.ForeignKey(
        "monev.Pemda", on_delete=models.CASCADE, related_name="tingkat_persetujuan"
    )
    urutan = models.PositiveSmallIntegerField()
    nama = models.CharField(max_length=100)
    peran = models.CharField(max_length=20, choices=Peran.choices)

    class Meta:
        verbose_name = "tingkat persetujuan"
        verbose_name_plural = "tingkat persetujuan"
        ordering = ["pemda", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "urutan"], name="tingkat_urutan_unik"),
            models.UniqueConstraint(fields=["pemda", "peran"], name="tingkat_peran_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.urutan}. {self.nama}"
