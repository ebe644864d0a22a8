"""The pemda's nomenclature lists and saved column mappings, for importing tables without codes.

Kept apart from `models.py` (which imports this module, so that Django registers the models
with the `monev` app): data only; the rules live in `monev.web.impor_tabel`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from monev.core.codes import Tingkat


class DaftarNomenklatur(models.Model):
    """One version of a pemda's nomenclature list (code, level, name), uploaded as CSV/XLSX.

    Several versions are kept; at most one per pemda is active, and the imports of that pemda
    match nodes without codes against it."""

    pemda = models.ForeignKey(
        "monev.Pemda", on_delete=models.CASCADE, related_name="daftar_nomenklatur"
    )
    nama = models.CharField("nama/versi", max_length=200)
    regulasi = models.CharField("regulasi", max_length=300, blank=True)
    tahun = models.PositiveSmallIntegerField("tahun regulasi", null=True, blank=True)
    nama_berkas = models.CharField(max_length=255, blank=True)
    aktif = models.BooleanField(default=False)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    diunggah_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "daftar nomenklatur"
        verbose_name_plural = "daftar nomenklatur"
        ordering = ["pemda", "-diunggah_pada", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "nama"], name="nomenklatur_nama_unik"),
            models.UniqueConstraint(
                fields=["pemda"], condition=models.Q(aktif=True), name="nomenklatur_satu_aktif"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.pemda})"


class EntriNomenklatur(models.Model):
    """One line of a nomenclature list."""

    daftar = models.ForeignKey(DaftarNomenklatur, on_delete=models.CASCADE, related_name="entri")
    kode = models.CharField(max_length=40)
    tingkat = models.CharField(
        max_length=20, choices=[(t.value, t.value.replace("_", " ")) for t in Tingkat]
    )
    nama = models.TextField()
    regulasi = models.CharField(max_length=300, blank=True)
    tahun = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "entri nomenklatur"
        verbose_name_plural = "entri nomenklatur"
        ordering = ["daftar", "kode"]
        indexes = [models.Index(fields=["daftar", "kode"], name="entri_nomenklatur_kode")]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


class PemetaanTersimpan(models.Model):
    """A confirmed column mapping saved under a name for a pemda, to be applied to the next file
    of the same system. `isi` is the JSON exactly as `monev impor --pemetaan` reads it."""

    pemda = models.ForeignKey(
        "monev.Pemda", on_delete=models.CASCADE, related_name="pemetaan_tersimpan"
    )
    nama = models.CharField(max_length=200)
    isi = models.TextField("pemetaan (JSON)")
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    diubah_pada = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pemetaan kolom tersimpan"
        verbose_name_plural = "pemetaan kolom tersimpan"
        ordering = ["pemda", "nama"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "nama"], name="pemetaan_nama_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.pemda})"
