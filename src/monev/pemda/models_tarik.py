"""Sources of data between servers: a province's monev pulls the verified evaluations of its
kabupaten/kota from their open data (`monev.pemda.tarik`).

`SumberData` is one server to pull from and the local pemda it fills; `TarikanData` is the log of
every pull (when, how it ended, what it found); `TriwulanTertarik` is the ledger of one pulled PD quarter
(its rows live with every other pemda's figures, `monev.pemda.angka`, marked by the source's
name), with the digest that makes a second pull of the same data write nothing.
Written by `monev.pemda.tarik` only.
"""

from __future__ import annotations

from django.db import models

from monev.web.models import Pemda


class SumberData(models.Model):
    """A kabupaten/kota's monev server whose open data this server pulls."""

    nama = models.CharField("nama sumber", max_length=100, unique=True)
    alamat = models.URLField(
        "alamat server",
        max_length=300,
        help_text="Alamat dasar server monev sumber, mis. https://monev.kabupaten.go.id",
    )
    pemda_sumber = models.PositiveBigIntegerField(
        "ID pemda di server sumber",
        null=True,
        blank=True,
        help_text="Kosongkan bila server sumber hanya memuat satu pemda.",
    )
    # Set at the first pull (created from the source's identity) unless the admin chose one.
    pemda = models.ForeignKey(
        Pemda,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sumber_data",
        verbose_name="pemda lokal yang diisi",
    )
    #: The province whose admin added the source (None: the server's admin). A source that fills
    #: no pemda yet is seen by its owner only, never by every province on the server.
    pemilik = models.ForeignKey(
        Pemda,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sumber_milik",
        verbose_name="provinsi pemilik",
    )
    #: The source's name of its pemda when it was first pulled: a source that later claims
    #: another pemda is refused.
    nama_pemda_sumber = models.CharField(max_length=200, blank=True)
    aktif = models.BooleanField("aktif (ditarik terjadwal)", default=True)
    #: The ETag of the last complete, successful answer: the next pull asks "changed since?".
    etag = models.CharField(max_length=200, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sumber data"
        verbose_name_plural = "sumber data"
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama


class TarikanData(models.Model):
    """One pull of one source: when, how it ended, and what it found."""

    class Status(models.TextChoices):
        BERJALAN = "berjalan", "Berjalan"
        OK = "ok", "Berhasil"
        GALAT = "galat", "Galat"

    sumber = models.ForeignKey(SumberData, on_delete=models.CASCADE, related_name="tarikan")
    mulai = models.DateTimeField()
    selesai = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BERJALAN)
    #: "jadwal" (the command) or the user who pressed "Tarik sekarang".
    pemicu = models.CharField(max_length=150, blank=True)
    baru = models.PositiveIntegerField("triwulan PD baru", default=0)
    berubah = models.PositiveIntegerField("triwulan PD berubah", default=0)
    tetap = models.PositiveIntegerField("triwulan PD tetap", default=0)
    dihapus = models.PositiveIntegerField("triwulan PD dihapus", default=0)
    pesan = models.TextField(blank=True)

    class Meta:
        verbose_name = "tarikan data"
        verbose_name_plural = "tarikan data"
        ordering = ["-mulai", "-id"]


class TriwulanTertarik(models.Model):
    """One verified PD quarter pulled from a source: what it was, and the digest compared at the
    next pull. Its rows are replaced whole when the source serves it changed (verified again)."""

    sumber = models.ForeignKey(SumberData, on_delete=models.CASCADE, related_name="triwulan")
    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="triwulan_tertarik")
    kode_perangkat_daerah = models.CharField(max_length=40)
    perangkat_daerah = models.CharField(max_length=200)
    tahun = models.PositiveSmallIntegerField()
    triwulan = models.PositiveSmallIntegerField()
    versi = models.CharField(max_length=20)
    #: The source's mark of the quarter's record (changes when it is verified again).
    tanda = models.CharField(max_length=100)
    diverifikasi = models.DateTimeField(null=True, blank=True)
    #: SHA-256 of the canonical JSON of the quarter's rows as served: equal, nothing to write.
    digest = models.CharField(max_length=64)
    #: How many rows (`AngkaSimpul`, `AngkaIndikator`, `sumber` = the source's name) it wrote.
    jumlah_baris = models.PositiveIntegerField(default=0)
    ditarik = models.DateTimeField()

    class Meta:
        verbose_name = "triwulan PD tertarik"
        verbose_name_plural = "triwulan PD tertarik"
        ordering = ["sumber", "tahun", "kode_perangkat_daerah", "triwulan"]
        constraints = [
            models.UniqueConstraint(
                fields=["sumber", "kode_perangkat_daerah", "tahun", "triwulan"],
                name="triwulan_tertarik_unik",
            ),
            models.CheckConstraint(
                condition=models.Q(triwulan__gte=1, triwulan__lte=4),
                name="triwulan_tertarik_triwulan",
            ),
        ]
