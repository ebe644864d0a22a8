"""The Renstra PD in the database: per PD and period, its tree with indicators, the targets of
every year and of the end of the period (K, Rp), the links of each year's Renja to it, and the
mapping of old to new codes. Models hold data only; writes go through `monev.renstra.services`.
"""

from __future__ import annotations

from django.db import models

from monev.core.codes import Tingkat
from monev.core.rules import Agregasi, Polaritas
from monev.web.models import K_DIGITS, RP_DIGITS, Indikator, PerangkatDaerah, Renja, Simpul

TINGKAT_CHOICES = [(t.value, t.value.replace("_", " ")) for t in Tingkat]


class Renstra(models.Model):
    """A PD's strategic plan for one period. Two periods of one PD may meet in a year (the old plan
    ends the year the new one starts), so a year is not enough to find the plan: a Renja names its
    plan through `RenjaRenstra`."""

    perangkat_daerah = models.ForeignKey(
        PerangkatDaerah, on_delete=models.PROTECT, related_name="renstra"
    )
    tahun_awal = models.PositiveSmallIntegerField()
    tahun_akhir = models.PositiveSmallIntegerField()
    nama = models.CharField("nama dokumen", max_length=200, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Renstra PD"
        verbose_name_plural = "Renstra PD"
        ordering = ["perangkat_daerah__kode", "tahun_awal"]
        constraints = [
            models.UniqueConstraint(
                fields=["perangkat_daerah", "tahun_awal"], name="renstra_periode_unik"
            ),
            models.CheckConstraint(
                condition=models.Q(tahun_akhir__gte=models.F("tahun_awal")),
                name="renstra_periode_urut",
            ),
        ]

    def __str__(self) -> str:
        return f"Renstra {self.perangkat_daerah} {self.tahun_awal}–{self.tahun_akhir}"

    @property
    def tahun(self) -> range:
        return range(self.tahun_awal, self.tahun_akhir + 1)


class SimpulRenstra(models.Model):
    """A program, kegiatan or sub kegiatan of a Renstra, with its end-of-period budget (Rp)."""

    renstra = models.ForeignKey(Renstra, on_delete=models.CASCADE, related_name="simpul")
    induk = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="anak"
    )
    urutan = models.PositiveIntegerField(default=0)
    kode = models.CharField(max_length=40)
    tingkat = models.CharField(max_length=20, choices=TINGKAT_CHOICES)
    nama = models.TextField(blank=True)
    sasaran = models.TextField(blank=True)
    target_akhir_rp = models.DecimalField(
        "target akhir periode (Rp)", null=True, blank=True, **RP_DIGITS
    )

    class Meta:
        verbose_name = "program/kegiatan Renstra"
        verbose_name_plural = "program/kegiatan Renstra"
        ordering = ["renstra", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["renstra", "kode"], name="simpul_renstra_kode_unik")
        ]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


class IndikatorRenstra(models.Model):
    """An indicator of the Renstra, with the same aggregation and polarity as the Renja's."""

    simpul = models.ForeignKey(SimpulRenstra, on_delete=models.CASCADE, related_name="indikator")
    urutan = models.PositiveIntegerField(default=0)
    teks = models.TextField()
    satuan = models.CharField(max_length=100, blank=True)
    polaritas = models.CharField(
        max_length=20, choices=[(p.value, p.value) for p in Polaritas], default=Polaritas.POSITIF
    )
    agregasi = models.CharField(
        max_length=20, choices=[(a.value, a.value) for a in Agregasi], default=Agregasi.PROGRESIF
    )
    target_akhir = models.DecimalField(
        "target akhir periode (K)", null=True, blank=True, **K_DIGITS
    )

    class Meta:
        verbose_name = "indikator Renstra"
        verbose_name_plural = "indikator Renstra"
        ordering = ["simpul__urutan", "urutan"]

    def __str__(self) -> str:
        return self.teks


class TahunIndikator(models.Model):
    """An indicator's target of one year (K) and, only for a year before monev was used, its
    realisation as entered by hand (years held in monev take their verified evaluation)."""

    indikator = models.ForeignKey(IndikatorRenstra, on_delete=models.CASCADE, related_name="tahun")
    tahun = models.PositiveSmallIntegerField()
    target = models.DecimalField(null=True, blank=True, **K_DIGITS)
    realisasi_manual = models.DecimalField(
        "realisasi dimasukkan manual", null=True, blank=True, **K_DIGITS
    )

    class Meta:
        verbose_name = "target tahunan indikator"
        verbose_name_plural = "target tahunan indikator"
        ordering = ["tahun"]
        constraints = [
            models.UniqueConstraint(fields=["indikator", "tahun"], name="tahun_indikator_unik")
        ]


class TahunSimpul(models.Model):
    """A node's budget target of one year (Rp) and its hand-entered realisation (years before
    monev only)."""

    simpul = models.ForeignKey(SimpulRenstra, on_delete=models.CASCADE, related_name="tahun")
    tahun = models.PositiveSmallIntegerField()
    target_rp = models.DecimalField(null=True, blank=True, **RP_DIGITS)
    realisasi_manual_rp = models.DecimalField(
        "realisasi dimasukkan manual (Rp)", null=True, blank=True, **RP_DIGITS
    )

    class Meta:
        verbose_name = "target tahunan anggaran"
        verbose_name_plural = "target tahunan anggaran"
        ordering = ["tahun"]
        constraints = [
            models.UniqueConstraint(fields=["simpul", "tahun"], name="tahun_simpul_unik")
        ]


class RenjaRenstra(models.Model):
    """Which Renstra a Renja is a year of."""

    renja = models.OneToOneField(Renja, on_delete=models.CASCADE, related_name="tautan_renstra")
    renstra = models.ForeignKey(Renstra, on_delete=models.CASCADE, related_name="tautan_renja")

    class Meta:
        verbose_name = "tautan Renja ke Renstra"
        verbose_name_plural = "tautan Renja ke Renstra"


class TautanSimpul(models.Model):
    """A Renja node's counterpart in the Renstra; it outlives a change of the node's code."""

    simpul = models.OneToOneField(Simpul, on_delete=models.CASCADE, related_name="tautan_renstra")
    simpul_renstra = models.ForeignKey(
        SimpulRenstra, on_delete=models.CASCADE, related_name="tautan"
    )

    class Meta:
        verbose_name = "tautan simpul"
        verbose_name_plural = "tautan simpul"


class TautanIndikator(models.Model):
    """A Renja indicator's counterpart in the Renstra: the key of its history across years."""

    indikator = models.OneToOneField(
        Indikator, on_delete=models.CASCADE, related_name="tautan_renstra"
    )
    indikator_renstra = models.ForeignKey(
        IndikatorRenstra, on_delete=models.CASCADE, related_name="tautan"
    )

    class Meta:
        verbose_name = "tautan indikator"
        verbose_name_plural = "tautan indikator"


class PemetaanKode(models.Model):
    """One code of a nomenclature version that replaces an older one (renamed or moved), from
    the year `tahun_berlaku` on. Loaded from a CSV file (`services.pemetaan_import`)."""

    versi = models.CharField("versi nomenklatur", max_length=100)
    tahun_berlaku = models.PositiveSmallIntegerField()
    kode_lama = models.CharField(max_length=40)
    kode_baru = models.CharField(max_length=40)

    class Meta:
        verbose_name = "pemetaan kode"
        verbose_name_plural = "pemetaan kode"
        ordering = ["tahun_berlaku", "kode_lama"]
        constraints = [
            models.UniqueConstraint(fields=["versi", "kode_lama"], name="pemetaan_kode_unik")
        ]

    def __str__(self) -> str:
        return f"{self.kode_lama} → {self.kode_baru} ({self.versi}, {self.tahun_berlaku})"


class PerubahanRenja(models.Model):
    """A Renja perubahan: the version it was made from and the first quarter it is in force for.
    Quarters before it are evaluated on the version it came from (both are kept)."""

    renja = models.OneToOneField(Renja, on_delete=models.CASCADE, related_name="perubahan_dari")
    asal = models.ForeignKey(Renja, on_delete=models.PROTECT, related_name="perubahan_ke")
    triwulan_mulai = models.PositiveSmallIntegerField()
    alasan = models.TextField(blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "perubahan Renja"
        verbose_name_plural = "perubahan Renja"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(triwulan_mulai__gte=2, triwulan_mulai__lte=4),
                name="perubahan_triwulan",
            )
        ]
