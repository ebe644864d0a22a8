"""The pemda app's own data: optional quarterly plans (K and Rp), personal API tokens, and each
Renja's computed figures kept across processes.

Plans are written by `monev.pemda.services` only, which records every change in the Renja's
history (`monev.web.models.Riwayat`), as every other change to a plan is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from monev.web.models import K_DIGITS, RP_DIGITS, Indikator, Renja, Simpul


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


class AngkaRenja(models.Model):
    """A Renja's figures for the pemda's view as last computed, so that a new process (each
    gunicorn worker, each restart) reads them instead of evaluating every Renja again.

    Written and read by `monev.pemda.selectors` only, never edited. `kunci` names the state the
    figures were computed from (the Renja's last recorded change, the settings, the code); figures
    under any other key are not served. One row per Renja: a new state replaces the old one.
    """

    renja = models.OneToOneField(
        Renja, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    kunci = models.CharField(max_length=200)
    data = models.BinaryField()

    class Meta:
        verbose_name = "angka Renja tersimpan"
        verbose_name_plural = "angka Renja tersimpan"


# The pulls between servers live in their own module; imported here so Django finds them.
from monev.pemda.models_tarik import SumberData, TarikanData, TriwulanTertarik  # noqa: E402

__all__ = [
    "AngkaRenja",
    "RencanaK",
    "RencanaRp",
    "SumberData",
    "TarikanData",
    "TokenApi",
    "TriwulanTertarik",
]
