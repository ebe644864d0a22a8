"""A long import run apart from the request that asked for it (issue 14, point 6).

Kept out of models.py (which is near its size limit); models.py imports it so that Django finds
it in the app. Written only by `monev.web.tugas_impor`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TugasImpor(models.Model):
    """One import job: who asked, into which PD, year and version, from which kept file."""

    class Status(models.TextChoices):
        ANTRE = "antre", "Menunggu giliran"
        BERJALAN = "berjalan", "Sedang berjalan"
        SELESAI = "selesai", "Selesai"
        GAGAL = "gagal", "Gagal"

    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tugas_impor"
    )
    perangkat_daerah = models.ForeignKey(
        "monev.PerangkatDaerah", on_delete=models.CASCADE, related_name="tugas_impor"
    )
    tahun = models.PositiveSmallIntegerField()
    versi = models.CharField(max_length=20, default="murni")
    #: Which reader reads the file (`monev.web.tugas_impor.JENIS`): datar, lama, …
    jenis = models.CharField(max_length=40)
    #: The file's name as the user knows it (every message names it).
    nama_berkas = models.CharField(max_length=255)
    #: The kept file's name inside the private job folder (never a path from the client).
    berkas = models.CharField(max_length=100)
    #: Reader options the kind needs (a column mapping, …), as JSON.
    opsi = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ANTRE)
    tahap = models.CharField("tahap", max_length=200, default="Menunggu giliran")
    selesai_baris = models.PositiveIntegerField(default=0)
    jumlah_baris = models.PositiveIntegerField(default=0)
    #: What the import saved (a sentence), once it is done.
    hasil = models.TextField(blank=True)
    #: Every problem that refused the import, one message each, when it failed.
    galat = models.JSONField(default=list, blank=True)
    renja = models.ForeignKey(
        "monev.Renja", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: The process that runs the job, to tell a crashed run from a long one.
    pid = models.PositiveIntegerField(null=True, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)
    mulai = models.DateTimeField(null=True, blank=True)
    berakhir = models.DateTimeField(null=True, blank=True)
    diperbarui = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tugas impor"
        verbose_name_plural = "tugas impor"
        ordering = ["-dibuat"]
        indexes = [models.Index(fields=["status", "dibuat"], name="tugas_impor_status")]

    def __str__(self) -> str:
        return f"Impor {self.nama_berkas} ({self.get_status_display()})"

    @property
    def persen(self) -> int | None:
        """Return the share of lines done (whole per cent), or None while it is not known."""
        if not self.jumlah_baris:
            return None
        return min(100, self.selesai_baris * 100 // self.jumlah_baris)

    @property
    def teks_kemajuan(self) -> str:
        """Return the phase with the lines done, as the page and the terminal show it."""
        from monev.web.kemajuan import teks_kemajuan

        return teks_kemajuan(self.tahap, self.selesai_baris, self.jumlah_baris)

    @property
    def aktif(self) -> bool:
        return self.status in (self.Status.ANTRE, self.Status.BERJALAN)
