"""The database: pemda, perangkat daerah, Renstra and Renja with their tree, realisations, reports,
users' roles, and the change history. Models hold data only; rules live in services and the engine.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from monev.core.codes import Tingkat
from monev.core.rules import Agregasi, Polaritas
from monev.web.renja_sementara import VERSI_SEMENTARA as VERSI_SEMENTARA
from monev.web.renja_sementara import RenjaManager

K_DIGITS = {"max_digits": 24, "decimal_places": 4}
RP_DIGITS = {"max_digits": 20, "decimal_places": 2}


class Pemda(models.Model):
    class Jenis(models.TextChoices):
        PROVINSI = "provinsi", "Provinsi"
        KABUPATEN = "kabupaten", "Kabupaten"
        KOTA = "kota", "Kota"

    nama = models.CharField(max_length=200, unique=True)
    jenis = models.CharField(max_length=20, choices=Jenis.choices, default=Jenis.KOTA)
    tempat_tanda_tangan = models.CharField("tempat penandatanganan", max_length=100, blank=True)
    kepala_bappeda_jabatan = models.CharField(max_length=200, blank=True)
    kepala_bappeda_nama = models.CharField(max_length=200, blank=True)
    kepala_bappeda_nip = models.CharField("NIP kepala Bappeda", max_length=40, blank=True)
    #: The predikat band sets of K and of Rp in the text form of `monev.core.predikat.parse_pita`
    #: (blank: the default set of spec §7). Written by `monev.web.pengaturan.pita_set` only.
    pita_predikat_k = models.TextField("pita predikat kinerja (K)", blank=True)
    pita_predikat_rp = models.TextField("pita predikat anggaran (Rp)", blank=True)
    #: A kabupaten/kota's province, whose Bappeda reads (never writes) this pemda's pages. Only a
    #: provinsi may be one (checked in `clean` and by `monev.web.access.provinsi_set`).
    provinsi = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kabupaten_kota",
        limit_choices_to={"jenis": "provinsi"},
    )

    class Meta:
        verbose_name = "pemerintah daerah"
        verbose_name_plural = "pemerintah daerah"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(jenis="provinsi") | models.Q(provinsi__isnull=True),
                name="provinsi_tanpa_provinsi",
            )
        ]

    def clean(self) -> None:
        if self.provinsi_id is None:
            return
        if self.jenis == self.Jenis.PROVINSI:
            raise ValidationError({"provinsi": "Sebuah provinsi tidak berada di bawah provinsi."})
        if self.provinsi.jenis != self.Jenis.PROVINSI:
            raise ValidationError({"provinsi": f"{self.provinsi} bukan provinsi."})

    def __str__(self) -> str:
        return self.nama


class PerangkatDaerah(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="perangkat_daerah")
    kode = models.CharField(max_length=40)
    nama = models.CharField(max_length=200)
    kepala_jabatan = models.CharField(max_length=200, blank=True)
    kepala_nama = models.CharField(max_length=200, blank=True)
    kepala_nip = models.CharField("NIP kepala", max_length=40, blank=True)

    class Meta:
        verbose_name = "perangkat daerah"
        verbose_name_plural = "perangkat daerah"
        ordering = ["kode"]
        constraints = [models.UniqueConstraint(fields=["pemda", "kode"], name="pd_kode_unik")]

    def __str__(self) -> str:
        return self.nama


class UnitKerja(models.Model):
    perangkat_daerah = models.ForeignKey(
        PerangkatDaerah, on_delete=models.CASCADE, related_name="unit_kerja"
    )
    nama = models.CharField(max_length=200)

    class Meta:
        verbose_name = "unit kerja"
        verbose_name_plural = "unit kerja"
        constraints = [
            models.UniqueConstraint(fields=["perangkat_daerah", "nama"], name="unit_kerja_unik")
        ]

    def __str__(self) -> str:
        return self.nama


class PeriodeRenstra(models.Model):
    pemda = models.ForeignKey(Pemda, on_delete=models.PROTECT, related_name="periode")
    tahun_awal = models.PositiveSmallIntegerField()
    tahun_akhir = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = "periode Renstra"
        verbose_name_plural = "periode Renstra"
        constraints = [models.UniqueConstraint(fields=["pemda", "tahun_awal"], name="periode_unik")]

    def __str__(self) -> str:
        return f"{self.tahun_awal}–{self.tahun_akhir}"


class Renja(models.Model):
    class Versi(models.TextChoices):
        MURNI = "murni", "Murni"
        PERUBAHAN = "perubahan", "Perubahan"

    perangkat_daerah = models.ForeignKey(
        PerangkatDaerah, on_delete=models.PROTECT, related_name="renja"
    )
    periode = models.ForeignKey(
        PeriodeRenstra, on_delete=models.PROTECT, null=True, blank=True, related_name="renja"
    )
    tahun = models.PositiveSmallIntegerField()
    versi = models.CharField(max_length=20, choices=Versi.choices, default=Versi.MURNI)
    berlaku = models.BooleanField("versi yang berlaku", default=True)
    # The audit trail forbids deleting a Renja with history: an archived one is kept, hidden
    # from the lists (spec: every change is recorded and never lost).
    diarsipkan = models.BooleanField("diarsipkan", default=False)
    dibuat = models.DateTimeField(auto_now_add=True)

    objects = RenjaManager()
    semua = models.Manager()  # the hidden rows of an import in progress included

    class Meta:
        verbose_name = "Renja"
        verbose_name_plural = "Renja"
        ordering = ["perangkat_daerah__kode", "-tahun"]
        constraints = [
            models.UniqueConstraint(
                fields=["perangkat_daerah", "tahun", "versi"], name="renja_unik"
            )
        ]

    def __str__(self) -> str:
        return f"Renja {self.perangkat_daerah} {self.tahun} ({self.get_versi_display()})"


class Simpul(models.Model):
    """A program, kegiatan or sub kegiatan of a Renja, with its budget figures (Rp)."""

    # No index of its own (nor below): the unique constraint's index starts with the column.
    renja = models.ForeignKey(
        Renja, on_delete=models.CASCADE, related_name="simpul", db_index=False
    )
    induk = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="anak"
    )
    urutan = models.PositiveIntegerField()
    kode = models.CharField(max_length=40)
    tingkat = models.CharField(
        max_length=20, choices=[(t.value, t.value.replace("_", " ")) for t in Tingkat]
    )
    nama = models.TextField(blank=True)
    sasaran = models.TextField(blank=True)
    unit_kerja = models.CharField("unit penanggung jawab", max_length=200, blank=True)
    pagu = models.DecimalField(null=True, blank=True, **RP_DIGITS)
    target_renstra_rp = models.DecimalField(null=True, blank=True, **RP_DIGITS)
    realisasi_lalu_rp = models.DecimalField(null=True, blank=True, **RP_DIGITS)
    agregasi_rp = models.CharField(
        max_length=20, choices=[(a.value, a.value) for a in Agregasi], default=Agregasi.PROGRESIF
    )
    #: Raised by every change of the pagu: an edit made from a page showing an older one is refused.
    versi = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "program/kegiatan/sub kegiatan"
        verbose_name_plural = "program/kegiatan/sub kegiatan"
        ordering = ["renja", "urutan"]
        constraints = [models.UniqueConstraint(fields=["renja", "kode"], name="simpul_kode_unik")]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


class Indikator(models.Model):
    simpul = models.ForeignKey(Simpul, on_delete=models.CASCADE, related_name="indikator")
    urutan = models.PositiveIntegerField(default=0)
    teks = models.TextField(blank=True)
    satuan = models.CharField(max_length=100, blank=True)
    polaritas = models.CharField(
        max_length=20, choices=[(p.value, p.value) for p in Polaritas], default=Polaritas.POSITIF
    )
    agregasi = models.CharField(
        max_length=20, choices=[(a.value, a.value) for a in Agregasi], default=Agregasi.PROGRESIF
    )
    target = models.DecimalField(null=True, blank=True, **K_DIGITS)
    target_volume = models.CharField(max_length=200, blank=True)
    target_renstra = models.DecimalField(null=True, blank=True, **K_DIGITS)
    realisasi_lalu = models.DecimalField(null=True, blank=True, **K_DIGITS)
    #: Raised by every change of the target: an edit made from a page showing an older one is refused.
    versi = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "indikator"
        verbose_name_plural = "indikator"
        ordering = ["simpul__urutan", "urutan"]

    def __str__(self) -> str:
        return self.teks or f"(tanpa indikator) {self.simpul.kode}"


class RealisasiK(models.Model):
    #: No key constraint (nor on `RealisasiRp.simpul`; see web 0016): kept by construction.
    indikator = models.ForeignKey(
        Indikator, models.CASCADE, related_name="realisasi", db_index=False, db_constraint=False
    )
    triwulan = models.PositiveSmallIntegerField()
    nilai = models.DecimalField(null=True, blank=True, **K_DIGITS)
    #: Raised by every save: a save made from a page showing an older version is refused.
    versi = models.PositiveIntegerField(default=0)
    diubah = models.DateTimeField(auto_now=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "realisasi kinerja"
        verbose_name_plural = "realisasi kinerja"
        constraints = [
            models.UniqueConstraint(fields=["indikator", "triwulan"], name="realisasi_k_unik"),
            models.CheckConstraint(
                condition=models.Q(triwulan__gte=1, triwulan__lte=4), name="realisasi_k_triwulan"
            ),
        ]


class RealisasiRp(models.Model):
    simpul = models.ForeignKey(
        Simpul, models.CASCADE, related_name="realisasi_rp", db_index=False, db_constraint=False
    )
    triwulan = models.PositiveSmallIntegerField()
    nilai = models.DecimalField(null=True, blank=True, **RP_DIGITS)
    versi = models.PositiveIntegerField(default=0)
    diubah = models.DateTimeField(auto_now=True)
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "realisasi anggaran"
        verbose_name_plural = "realisasi anggaran"
        constraints = [
            models.UniqueConstraint(fields=["simpul", "triwulan"], name="realisasi_rp_unik"),
            models.CheckConstraint(
                condition=models.Q(triwulan__gte=1, triwulan__lte=4), name="realisasi_rp_triwulan"
            ),
        ]


class LaporanTriwulan(models.Model):
    """A PD's report of one quarter: the narrative and its state in the cycle (spec §8)."""

    class Status(models.TextChoices):
        DRAF = "draf", "Draf"
        DIAJUKAN = "diajukan", "Diajukan"
        DIKEMBALIKAN = "dikembalikan", "Dikembalikan"
        DIVERIFIKASI = "diverifikasi", "Diverifikasi"

    renja = models.ForeignKey(Renja, on_delete=models.CASCADE, related_name="laporan")
    triwulan = models.PositiveSmallIntegerField()
    faktor_pendorong = models.TextField("faktor pendorong keberhasilan pencapaian", blank=True)
    faktor_penghambat = models.TextField("faktor penghambat pencapaian kinerja", blank=True)
    tindak_lanjut_triwulan = models.TextField(
        "tindak lanjut yang diperlukan dalam triwulan berikutnya", blank=True
    )
    tindak_lanjut_renja = models.TextField(
        "tindak lanjut yang diperlukan dalam Renja Perangkat Daerah berikutnya", blank=True
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAF)
    #: While submitted: the position (1..n) of the approval level the report waits at
    #: (`monev.web.persetujuan`); 0 otherwise. Written by `monev.web.siklus` only.
    tingkat = models.PositiveSmallIntegerField("tingkat persetujuan yang menunggu", default=0)
    catatan_verifikasi = models.TextField(blank=True)
    versi = models.PositiveIntegerField(default=0)
    diubah = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "laporan triwulan"
        verbose_name_plural = "laporan triwulan"
        constraints = [
            models.UniqueConstraint(fields=["renja", "triwulan"], name="laporan_unik"),
        ]

    NARASI = (
        "faktor_pendorong",
        "faktor_penghambat",
        "tindak_lanjut_triwulan",
        "tindak_lanjut_renja",
    )


class JendelaEntri(models.Model):
    """Bappeda's entry window of a quarter for the whole pemda (spec §8). No row: closed."""

    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="jendela")
    tahun = models.PositiveSmallIntegerField()
    triwulan = models.PositiveSmallIntegerField()
    terbuka = models.BooleanField(default=False)
    batas = models.DateField("batas akhir entri", null=True, blank=True)
    diubah = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "jendela entri"
        verbose_name_plural = "jendela entri"
        constraints = [
            models.UniqueConstraint(fields=["pemda", "tahun", "triwulan"], name="jendela_unik")
        ]


class PengecualianJendela(models.Model):
    """A PD's own window of a quarter, overriding the pemda's (e.g. a late PD given more time)."""

    perangkat_daerah = models.ForeignKey(
        PerangkatDaerah, on_delete=models.CASCADE, related_name="pengecualian_jendela"
    )
    tahun = models.PositiveSmallIntegerField()
    triwulan = models.PositiveSmallIntegerField()
    terbuka = models.BooleanField(default=True)
    alasan = models.TextField(blank=True)
    diubah = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pengecualian jendela entri"
        verbose_name_plural = "pengecualian jendela entri"
        constraints = [
            models.UniqueConstraint(
                fields=["perangkat_daerah", "tahun", "triwulan"], name="pengecualian_unik"
            )
        ]


class PercobaanMasuk(models.Model):
    """A failed sign-in, kept briefly to slow down password guessing (across server workers)."""

    waktu = models.DateTimeField(auto_now_add=True, db_index=True)
    username = models.CharField(max_length=150)
    alamat = models.CharField(max_length=64)


class Profil(models.Model):
    class Peran(models.TextChoices):
        ADMIN = "admin", "Admin Bappeda"
        VERIFIKATOR = "verifikator", "Verifikator Bappeda"
        OPERATOR = "operator", "Operator Perangkat Daerah"
        PIMPINAN = "pimpinan", "Pimpinan"
        # Approval levels (issue 16 point 4): the head of a PD approves their own PD's reports;
        # the head of Bappeda reads every PD, like a pimpinan, and approves at their level.
        KEPALA_PD = "kepala_pd", "Kepala Perangkat Daerah"
        KEPALA_BAPPEDA = "kepala_bappeda", "Kepala Bappeda"
        KEMENTERIAN = "kementerian", "Kementerian (membaca semua pemda)"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profil"
    )
    peran = models.CharField(max_length=20, choices=Peran.choices)
    #: The pemda (tenant) the user works in; None only for the ministry, or for an account made
    #: before there were several pemda and not yet given one (it sees nothing).
    pemda = models.ForeignKey(
        Pemda, on_delete=models.PROTECT, null=True, blank=True, related_name="pengguna"
    )
    perangkat_daerah = models.ForeignKey(
        PerangkatDaerah, on_delete=models.PROTECT, null=True, blank=True, related_name="pengguna"
    )

    class Meta:
        verbose_name = "profil pengguna"
        verbose_name_plural = "profil pengguna"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(peran="operator") | models.Q(perangkat_daerah__isnull=False),
                name="operator_punya_pd",
            ),
            models.CheckConstraint(
                condition=~models.Q(peran="kepala_pd") | models.Q(perangkat_daerah__isnull=False),
                name="kepala_pd_punya_pd",
            ),
            models.CheckConstraint(
                condition=~models.Q(peran="operator") | models.Q(pemda__isnull=False),
                name="operator_punya_pemda",
            ),
            models.CheckConstraint(
                condition=~models.Q(peran="kementerian")
                | models.Q(pemda__isnull=True, perangkat_daerah__isnull=True),
                name="kementerian_tanpa_pemda",
            ),
        ]

    def clean(self) -> None:
        """An operator's pemda is its PD's pemda (the database cannot check across tables); the
        ministry has neither (said here, before the database's constraint would refuse it)."""
        if self.peran == self.Peran.KEMENTERIAN and (self.pemda_id or self.perangkat_daerah_id):
            raise ValidationError({"pemda": "Peran kementerian tidak terikat pada pemda atau PD."})
        if self.perangkat_daerah_id is not None:
            pd_pemda = self.perangkat_daerah.pemda_id
            if self.pemda_id is None:
                self.pemda_id = pd_pemda
            elif self.pemda_id != pd_pemda:
                raise ValidationError(
                    {"perangkat_daerah": f"{self.perangkat_daerah} bukan milik {self.pemda}."}
                )

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Every path (services, demo, admin, shell) keeps an operator inside its PD's pemda.
        self.clean()
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_peran_display()})"


class Riwayat(models.Model):
    """One recorded change (who, when, what, old → new). Written by services only; never edited."""

    class Jenis(models.TextChoices):
        TARGET = "target", "Target"
        PAGU = "pagu", "Pagu"
        REALISASI_K = "realisasi_k", "Realisasi kinerja"
        REALISASI_RP = "realisasi_rp", "Realisasi anggaran"
        NARASI = "narasi", "Narasi"
        STATUS = "status", "Status"
        IMPOR = "impor", "Impor"
        BUKTI = "bukti", "Bukti dukung"
        PENGATURAN = "pengaturan", "Pengaturan pemda"
        RENSTRA = "renstra", "Renstra"
        TAUTAN = "tautan", "Tautan Renstra"
        VERSI = "versi", "Versi Renja"
        KOMENTAR = "komentar", "Komentar"

    waktu = models.DateTimeField(auto_now_add=True, db_index=True)
    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # PROTECT: a Renja's history never goes with it (archive the Renja instead). None for a
    # write that belongs to no Renja (a Renstra's targets, a code mapping).
    renja = models.ForeignKey(
        Renja, on_delete=models.PROTECT, null=True, blank=True, related_name="riwayat"
    )
    simpul = models.ForeignKey(
        Simpul, on_delete=models.SET_NULL, null=True, blank=True, related_name="riwayat"
    )
    indikator = models.ForeignKey(
        Indikator, on_delete=models.SET_NULL, null=True, blank=True, related_name="riwayat"
    )
    jenis = models.CharField(max_length=20, choices=Jenis.choices)
    triwulan = models.PositiveSmallIntegerField(null=True, blank=True)
    kolom = models.CharField(max_length=60, blank=True)
    #: For a status transition: the approval level it happened at, e.g. "Kepala Bappeda (2/3)".
    tingkat = models.CharField("tingkat persetujuan", max_length=140, blank=True)
    nilai_lama = models.TextField(blank=True)
    nilai_baru = models.TextField(blank=True)
    keterangan = models.TextField(blank=True)

    class Meta:
        verbose_name = "riwayat perubahan"
        verbose_name_plural = "riwayat perubahan"
        ordering = ["-waktu", "-id"]


class SnapshotEvaluasi(models.Model):
    """The evaluation of a quarter as it was accepted: a record, never recomputed (spec §8).

    Written by `monev.web.siklus` when a verifier accepts the quarter. `rekaman` is the engine's
    result itself (`monev.io.rekaman`, zlib-compressed), from which the same `Evaluasi` is rebuilt
    for every page, report and export; `dokumen` is that evaluation in the JSON contract of
    `monev evaluasi --format json`, as served then. When the quarter is accepted again, the new
    snapshot is in force and the old one is kept, marked superseded (`berlaku` false), for audit.
    """

    renja = models.ForeignKey(Renja, on_delete=models.CASCADE, related_name="snapshot")
    triwulan = models.PositiveSmallIntegerField()
    berlaku = models.BooleanField(default=True)
    rekaman = models.BinaryField()
    dokumen = models.TextField()
    dibuat = models.DateTimeField(auto_now_add=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    diganti = models.DateTimeField("diganti pada", null=True, blank=True)

    class Meta:
        verbose_name = "snapshot evaluasi"
        verbose_name_plural = "snapshot evaluasi"
        ordering = ["renja", "triwulan", "-dibuat", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["renja", "triwulan"],
                condition=models.Q(berlaku=True),
                name="snapshot_berlaku_unik",
            ),
            models.CheckConstraint(
                condition=models.Q(triwulan__gte=1, triwulan__lte=4), name="snapshot_triwulan"
            ),
        ]


#: Quarters whose report was handed in: their Renja is part of the audit trail.
LOCKED_STATUSES = (LaporanTriwulan.Status.DIAJUKAN, LaporanTriwulan.Status.DIVERIFIKASI)


def renja_delete_refusal(renja: Renja) -> str | None:
    """Why a Renja may not be deleted (its history or handed-in quarters), or None."""
    if Riwayat.objects.filter(renja=renja).exists():
        return f"{renja} memiliki riwayat perubahan dan tidak boleh dihapus; arsipkan saja"
    if LaporanTriwulan.objects.filter(renja=renja, status__in=LOCKED_STATUSES).exists():
        return (
            f"{renja} memiliki triwulan yang sudah diajukan atau diverifikasi dan tidak boleh "
            "dihapus; arsipkan saja"
        )
    return None


@receiver(pre_delete, sender=Renja, dispatch_uid="monev_renja_delete_guard")
def _refuse_renja_delete(sender: type[Renja], instance: Renja, **kwargs: object) -> None:
    """Every delete path (admin, shell, queryset) stops here, inside its transaction."""
    reason = renja_delete_refusal(instance)
    if reason:
        raise models.ProtectedError(reason, {instance})


class Bukti(models.Model):
    """A supporting document (PDF, JPG, PNG) of a quarter's realisation, attached to a sub kegiatan
    or an indicator. The file lives in the database: outside the static files, in every backup,
    and written or refused in the same transaction as its record. Checked by `monev.web.bukti`."""

    class Jenis(models.TextChoices):
        PDF = "pdf", "PDF"
        JPG = "jpg", "JPG"
        PNG = "png", "PNG"

    renja = models.ForeignKey(Renja, on_delete=models.PROTECT, related_name="bukti")
    triwulan = models.PositiveSmallIntegerField()
    # SET_NULL: a plan imported again replaces its nodes; the evidence stays, with the code and
    # the indicator it was given for.
    simpul = models.ForeignKey(
        Simpul, on_delete=models.SET_NULL, null=True, blank=True, related_name="bukti"
    )
    indikator = models.ForeignKey(
        Indikator, on_delete=models.SET_NULL, null=True, blank=True, related_name="bukti"
    )
    kode = models.CharField(max_length=40)
    indikator_teks = models.TextField(blank=True)
    nama_berkas = models.CharField(max_length=200)
    jenis = models.CharField(max_length=3, choices=Jenis.choices)
    ukuran = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    isi = models.BinaryField()
    diunggah = models.DateTimeField(auto_now_add=True)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "bukti dukung"
        verbose_name_plural = "bukti dukung"
        ordering = ["renja", "triwulan", "kode", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(triwulan__gte=1, triwulan__lte=4), name="bukti_triwulan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama_berkas} ({self.kode}, TW {self.triwulan})"


# Registered with this app from their own modules (models.py stays within its size).
from monev.web.komentar_model import Komentar as Komentar  # noqa: E402
from monev.web.models_pengingat import (  # noqa: E402, F401
    PengaturanPengingat,
    PengingatTerkirim,
)
from monev.web.models_persetujuan import TingkatPersetujuan as TingkatPersetujuan  # noqa: E402
from monev.web.models_tabel import (  # noqa: E402, F401
    DaftarNomenklatur,
    EntriNomenklatur,
    PemetaanTersimpan,
)
from monev.web.models_tugas import TugasImpor as TugasImpor  # noqa: E402
