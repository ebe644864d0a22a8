"""A comment on a value of a quarter's report (issue 16, point 3): a thread on an indicator (K)
or a budget line (Rp) of a Renja's quarter, written by the PD's operator and Bappeda's
verifiers. Imported by `monev.web.models`; written by `monev.web.komentar` only.

A thread is its first comment (`induk` empty), which carries the thread's state: flagged
*perlu tindak lanjut* and resolved (who, when); its replies point to it and share its target.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Komentar(models.Model):
    renja = models.ForeignKey("monev.Renja", on_delete=models.CASCADE, related_name="komentar")
    triwulan = models.PositiveSmallIntegerField()
    # A plan imported again replaces its nodes (and so its threads): that is refused while any
    # quarter is submitted or verified, and every comment event stays in `Riwayat` anyway.
    indikator = models.ForeignKey(
        "monev.Indikator", on_delete=models.CASCADE, null=True, blank=True, related_name="komentar"
    )
    simpul = models.ForeignKey(
        "monev.Simpul", on_delete=models.CASCADE, null=True, blank=True, related_name="komentar"
    )
    induk = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="balasan"
    )
    penulis = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    waktu = models.DateTimeField(auto_now_add=True, db_index=True)
    teks = models.TextField()
    perlu_tindak_lanjut = models.BooleanField("perlu tindak lanjut", default=False)
    selesai = models.BooleanField(default=False)
    selesai_waktu = models.DateTimeField(null=True, blank=True)
    selesai_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        app_label = "monev"
        verbose_name = "komentar"
        verbose_name_plural = "komentar"
        ordering = ["waktu", "id"]
        indexes = [models.Index(fields=["renja", "triwulan"], name="komentar_laporan")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(indikator__isnull=False, simpul__isnull=True)
                | models.Q(indikator__isnull=True, simpul__isnull=False),
                name="komentar_satu_sasaran",
            ),
            models.CheckConstraint(
                condition=models.Q(triwulan__gte=1, triwulan__lte=4), name="komentar_triwulan"
            ),
        ]

    def __str__(self) -> str:
        return f"Komentar {self.pk} TW {self.triwulan}"

    @property
    def nama_penulis(self) -> str:
        return _nama(self.penulis)

    @property
    def peran_penulis(self) -> str:
        profil = getattr(self.penulis, "profil", None) if self.penulis is not None else None
        return profil.get_peran_display() if profil is not None else ""

    @property
    def nama_selesai_oleh(self) -> str:
        return _nama(self.selesai_oleh)


def _nama(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else "-"
