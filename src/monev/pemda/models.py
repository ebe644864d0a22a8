"""The pemda app's own data: optional quarterly plans (K and Rp), personal API tokens, and each
Renja's computed figures kept as rows (`AngkaSimpul`, `AngkaIndikator`, see `monev.pemda.angka`).

Plans are written by `monev.pemda.services` only, which records every change in the Renja's
history (`monev.web.models.Riwayat`), as every other change to a plan is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from monev.web.models import K_DIGITS, RP_DIGITS, Indikator, Pemda, Renja, Simpul


class RencanaK(models.Model):
    """An indicator's planned values per quarter, in the sense its realisations are entered.

    `progresif`: the level planned by the end of the quarter; `akumulatif`: the amount planned in
    that quarter; `rata_rata`: the measurement planned for that quarter (spec §3).
    """

    indikator = models.OneToOneField(Indikator, on_delete=models.CASCADE, related_name="rencana")
    tw1 = models.DecimalField("rencana TW I", null=True, blank=True, **K_DIGITS)
    tw2 = models.DecimalField("rencana TW II", null=True, blank=True, **K_DIGITS)
    tw3 = models.DecimalField("rencana TW III", null=True, blank=True, **K_DIGITS)
    tw4 = models.DecimalField("rencana TW IV", null=True, blank=True, **K_DIGITS)
    diubah = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "rencana triwulan kinerja"
        verbose_name_plural = "rencana triwulan kinerja"

    def quarters(self) -> tuple:
        return (self.tw1, self.tw2, self.tw3, self.tw4)


class RencanaRp(models.Model):
    """A sub kegiatan's budget withdrawal plan (rencana penarikan dana) per quarter, in Rp.

    In the sense its budget realisations are entered (the node's `agregasi_rp`): to date for
    `progresif`, the amount of the quarter for `akumulatif`.
    """

    simpul = models.OneToOneField(Simpul, on_delete=models.CASCADE, related_name="rencana_rp")
    tw1 = models.DecimalField("rencana TW I", null=True, blank=True, **RP_DIGITS)
    tw2 = models.DecimalField("rencana TW II", null=True, blank=True, **RP_DIGITS)
    tw3 = models.DecimalField("rencana TW III", null=True, blank=True, **RP_DIGITS)
    tw4 = models.DecimalField("rencana TW IV", null=True, blank=True, **RP_DIGITS)
    diubah = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "rencana penarikan dana"
        verbose_name_plural = "rencana penarikan dana"

    def quarters(self) -> tuple:
        return (self.tw1, self.tw2, self.tw3, self.tw4)


class TokenApi(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the token is shown once."""

    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="token_api"
    )
    nama = models.CharField("keterangan", max_length=100)
    awalan = models.CharField("awalan token", max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    dibuat = models.DateTimeField(auto_now_add=True)
    terakhir_dipakai = models.DateTimeField(null=True, blank=True)
    dicabut = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "token API"
        verbose_name_plural = "token API"
        ordering = ["-dibuat", "-id"]

    def __str__(self) -> str:
        return f"{self.nama} ({self.awalan}…)"


# -- the figures kept as rows (monev.pemda.angka) ----------------------------------------------
#
# Capaian are integers of 10⁻⁸ per cent and amounts integers of sen (`monev.core.aggregate`), so
# that the database sums them exactly on SQLite as on PostgreSQL. Rows of a local Renja carry it
# (`renja`); rows pulled from another server carry no Renja, and their source in `sumber`.

#: Where a stored row comes from: computed here from a Renja of this server.
SUMBER_LOKAL = ""
#: Enough decimals for a year value that is a mean of quarters (rata_rata), shown only.
NILAI_DIGITS = {"max_digits": 36, "decimal_places": 12}


class AngkaTanda(models.Model):
    """The state a Renja's stored rows were computed from (its change mark, the settings, the
    code); rows under any other state are refreshed before they are read."""

    renja = models.OneToOneField(
        Renja, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    kunci = models.CharField(max_length=200)
    dihitung = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tanda angka Renja"
        verbose_name_plural = "tanda angka Renja"


class _Baris(models.Model):
    """What every stored row holds: whose figures, which quarter, where the row comes from, the
    codes it is grouped by."""

    # The stored rows are the engine's output, rewritten whole from their Renja: no foreign-key
    # constraint in the database (each row's two checks at commit were about a quarter of a
    # refresh's time, bench/skala.py phase a). Deleting a Renja or a pemda through the ORM still
    # deletes its rows (`on_delete`), and a refresh replaces whatever a Renja's rows were.
    renja = models.ForeignKey(
        Renja,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    pemda = models.ForeignKey(
        Pemda, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    tahun = models.PositiveSmallIntegerField()
    triwulan = models.PositiveSmallIntegerField()
    pd_kode = models.CharField(max_length=40)
    pd_nama = models.CharField(max_length=200)
    #: SUMBER_LOKAL, or the name of the server the row was pulled from.
    sumber = models.CharField(max_length=100, blank=True, default=SUMBER_LOKAL)
    #: The quarter is verified: the row is its snapshot's figure (spec §8).
    terverifikasi = models.BooleanField(default=False)
    kode = models.CharField(max_length=40)
    tingkat = models.CharField(max_length=20)
    nama = models.TextField()
    urusan = models.CharField(max_length=10)
    bidang = models.CharField(max_length=20)
    program = models.CharField(max_length=40)
    predikat = models.CharField(max_length=100, blank=True)
    renstra_capaian = models.BigIntegerField(null=True, blank=True)
    #: The row counts in its program's (and every larger group's) figures.
    dihitung = models.BooleanField(default=False)
    #: A digest of the row's values as written, so that a refresh compares digests only.
    sidik = models.CharField(max_length=32, blank=True)

    class Meta:
        abstract = True


class AngkaSimpul(_Baris):
    """A node's budget figures up to a quarter (one row per node code of a Renja and quarter):
    the year's pagu and realisasi to the quarter as rolled up by `monev.core.budget`, in sen,
    their capaian and predikat. `dihitung`: a program, whose amounts a group sums."""

    #: The place of the node's code in the Renja (its first node of that code).
    urutan = models.PositiveIntegerField()
    pagu = models.BigIntegerField(null=True, blank=True)
    realisasi = models.BigIntegerField(null=True, blank=True)
    capaian = models.BigIntegerField(null=True, blank=True)
    target_renstra = models.BigIntegerField(null=True, blank=True)
    renstra_realisasi = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "angka anggaran simpul"
        verbose_name_plural = "angka anggaran simpul"
        indexes = [
            # A Renja's counted rows, in order: its figures read back (`angka_baca`, index only
            # on PostgreSQL) and its pre-summed rows made (`angka_jumlah`).
            models.Index(
                fields=["renja", "triwulan", "urutan"],
                condition=models.Q(dihitung=True),
                include=["kode", "nama", "pagu", "realisasi", "capaian", "predikat"],
                name="angka_simpul_dihitung",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["renja", "triwulan", "kode"], name="angka_simpul_unik"),
        ]


class AngkaIndikator(_Baris):
    """An indicator line's figures up to a quarter (one row per line of a Renja and quarter; a
    node without indicators has one line, `nomor` 0, no text). `capaian_rata`: the capaian as a
    mean takes it (capped by the pemda's `batas_capaian_rata_rata`); `dihitung`: a kegiatan line
    of a program of the Renja, whose capaian the group means take."""

    #: The line's place in its evaluation's table.
    urutan = models.PositiveIntegerField()
    nomor = models.PositiveSmallIntegerField()
    indikator_ref = models.BigIntegerField(null=True, blank=True)
    teks = models.TextField(blank=True)
    satuan = models.CharField(max_length=100, blank=True)
    target = models.DecimalField(null=True, blank=True, **K_DIGITS)
    realisasi = models.DecimalField(null=True, blank=True, **NILAI_DIGITS)
    capaian = models.BigIntegerField(null=True, blank=True)
    capaian_rata = models.BigIntegerField(null=True, blank=True)
    target_renstra = models.DecimalField(null=True, blank=True, **K_DIGITS)
    renstra_realisasi = models.DecimalField(null=True, blank=True, **NILAI_DIGITS)
    #: The line's projection when it warns (below `Sedang` at the year's end), else null:
    #: `monev.pemda.projection.Proyeksi` as JSON (decimals as strings), shown only.
    proyeksi = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = "angka indikator"
        verbose_name_plural = "angka indikator"
        indexes = [
            # A Renja's counted lines, in order: its programs' capaian read back (`angka_baca`,
            # index only on PostgreSQL) and its pre-summed rows made (`angka_jumlah`).
            models.Index(
                fields=["renja", "triwulan", "urutan"],
                condition=models.Q(dihitung=True),
                include=["program", "capaian"],
                name="angka_indikator_dihitung",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["renja", "triwulan", "urutan"], name="angka_indikator_unik"
            ),
        ]


class AngkaPD(models.Model):
    """A PD's own figures up to a quarter (one row per Renja and quarter): its form's footer as
    the engine computed it (capaian in 10⁻⁸ per cent, amounts in sen), the means of its levels,
    the number of its checks' findings, and what the dashboard shows besides: the budget plan's
    footer and the projections (`monev.pemda.summary.AngkaTriwulan`, as JSON: shown, never
    summed). A group of PDs is never the mean of these rows: see `monev.pemda.angka_sql`."""

    # No constraint in the database, as `_Baris`.
    renja = models.ForeignKey(
        Renja, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    pemda = models.ForeignKey(
        Pemda, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    tahun = models.PositiveSmallIntegerField()
    triwulan = models.PositiveSmallIntegerField()
    terverifikasi = models.BooleanField(default=False)
    last_triwulan = models.PositiveSmallIntegerField()
    jumlah_rencana_k = models.PositiveIntegerField(default=0)
    jumlah_rencana_rp = models.PositiveIntegerField(default=0)
    jumlah_pemeriksaan = models.PositiveIntegerField(default=0)
    jumlah_peringatan = models.PositiveIntegerField(default=0)
    rata_rata_capaian_program = models.BigIntegerField(null=True, blank=True)
    rata_rata_capaian_kegiatan = models.BigIntegerField(null=True, blank=True)
    rata_rata_capaian_sub_kegiatan = models.BigIntegerField(null=True, blank=True)
    predikat_k = models.CharField(max_length=100, blank=True)
    pagu = models.BigIntegerField(null=True, blank=True)
    realisasi = models.BigIntegerField(null=True, blank=True)
    persen_realisasi_rp = models.BigIntegerField(null=True, blank=True)
    predikat_rp = models.CharField(max_length=100, blank=True)
    #: `summary.AngkaTriwulan.rencana` (null: no budget plan), `proyeksi_k`, `proyeksi_rp`.
    rencana = models.JSONField(null=True, blank=True)
    proyeksi_k = models.JSONField()
    proyeksi_rp = models.JSONField()
    sidik = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = "angka Perangkat Daerah"
        verbose_name_plural = "angka Perangkat Daerah"
        constraints = [
            models.UniqueConstraint(fields=["renja", "triwulan"], name="angka_pd_unik"),
        ]


#: The value columns of `AngkaPD`: what a refresh compares and writes, what a page reads.
KOLOM_PD = (
    "terverifikasi",
    "last_triwulan",
    "jumlah_rencana_k",
    "jumlah_rencana_rp",
    "jumlah_pemeriksaan",
    "jumlah_peringatan",
    "rata_rata_capaian_program",
    "rata_rata_capaian_kegiatan",
    "rata_rata_capaian_sub_kegiatan",
    "predikat_k",
    "pagu",
    "realisasi",
    "persen_realisasi_rp",
    "predikat_rp",
    "rencana",
    "proyeksi_k",
    "proyeksi_rp",
)


class AngkaJumlah(models.Model):
    """The sums and counts of a Renja's (or a pulled PD's) counted rows per quarter and finest
    group (PD, urusan, bidang, program): what `monev.pemda.angka_sql` adds up for any group, kept
    so that a read sums a few rows per program instead of every line. Written by the database in
    the same transaction as the rows it sums (`monev.pemda.angka_jumlah`), never by hand."""

    # Both keys lead an index below: no index of their own (one less to write per row); no
    # constraint in the database, as `_Baris`.
    renja = models.ForeignKey(
        Renja,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    pemda = models.ForeignKey(
        Pemda, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    tahun = models.PositiveSmallIntegerField()
    triwulan = models.PositiveSmallIntegerField()
    sumber = models.CharField(max_length=100, blank=True, default=SUMBER_LOKAL)
    pd_kode = models.CharField(max_length=40)
    urusan = models.CharField(max_length=10)
    bidang = models.CharField(max_length=20)
    program = models.CharField(max_length=40)
    #: Σ and count of the counted lines' `capaian_rata` (null: none has one).
    capaian_sum = models.BigIntegerField(null=True, blank=True)
    capaian_count = models.BigIntegerField(default=0)
    #: Σ and count of the counted nodes' pagu and realisasi, in sen.
    pagu_sum = models.BigIntegerField(null=True, blank=True)
    pagu_count = models.BigIntegerField(default=0)
    realisasi_sum = models.BigIntegerField(null=True, blank=True)
    realisasi_count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "jumlah angka"
        verbose_name_plural = "jumlah angka"
        indexes = [
            # Reads: the rows of a set of pemda at a quarter; rewrites: a Renja's rows.
            models.Index(fields=["pemda", "tahun", "triwulan"], name="angka_jumlah_baca"),
            models.Index(fields=["renja", "triwulan"], name="angka_jumlah_renja"),
        ]


# The pulls between servers live in their own module; imported here so Django finds them.
from monev.pemda.models_tarik import SumberData, TarikanData, TriwulanTertarik  # noqa: E402

__all__ = [
    "SUMBER_LOKAL",
    "AngkaIndikator",
    "AngkaJumlah",
    "AngkaPD",
    "AngkaSimpul",
    "AngkaTanda",
    "RencanaK",
    "RencanaRp",
    "SumberData",
    "TarikanData",
    "TokenApi",
    "TriwulanTertarik",
]
