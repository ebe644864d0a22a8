"""The dashboard of a pemda this server holds only through pulled rows (issue 17 points 2 and 3):
a kabupaten/kota whose own monev serves its verified evaluations, pulled by its province
(`monev.pemda.tarik`). It has no Renja here, only the stored rows of each verified PD quarter;
every figure is read from them by the database (`monev.pemda.angka_sql`: each PD's and the
pemda's K mean and Σ realisasi / Σ pagu, the same rule and query as any consolidation), and each
PD quarter says where and when it was pulled from (`TriwulanTertarik`).

What a pulled row does not carry (the budget plan, the projections, the indicators' texts per
quarter) stays on the source's server: the page says so rather than showing an empty column.
"""

from __future__ import annotations

from dataclasses import dataclass

from monev.core.rules import Total
from monev.pemda import angka_sql
from monev.pemda.angka_sql import Kelompok
from monev.pemda.models_tarik import SumberData, TarikanData, TriwulanTertarik
from monev.web.models import Pemda
from monev.web.pengaturan import pengaturan_of


@dataclass(frozen=True)
class BarisTarikan:
    """One PD of the pulled pemda at the chosen quarter."""

    kode: str
    nama: str
    #: None: this quarter of the PD was not pulled (not verified at the source yet).
    total: Total | None
    tertarik: TriwulanTertarik | None


@dataclass(frozen=True)
class SumberTarikan:
    """A server the pemda's rows come from, and its last pull that ended well."""

    sumber: SumberData
    terakhir: TarikanData | None


@dataclass(frozen=True)
class DasborTarikan:
    pemda: Pemda
    tahun: int
    triwulan: int
    tahun_list: list[int]
    baris: list[BarisTarikan]
    total: Total
    sumber: list[SumberTarikan]

    @property
    def jumlah_tertarik(self) -> int:
        return sum(1 for b in self.baris if b.tertarik is not None)


def is_pulled(pemda: Pemda) -> bool:
    """Whether the pemda is filled by a source (its figures are pulled, not entered here)."""
    return SumberData.objects.filter(pemda=pemda).exists()


def years_of(pemda: Pemda) -> list[int]:
    """Return the years of the pemda's pulled quarters, newest first."""
    found = TriwulanTertarik.objects.filter(pemda=pemda).values_list("tahun", flat=True)
    return sorted(set(found.order_by().distinct()), reverse=True)


def build(pemda: Pemda, tahun: int | None, triwulan: int | None) -> DasborTarikan:
    """Return the pulled pemda's dashboard at a year (the latest pulled when not one of its
    years) and quarter (the last with figures when not 1–4)."""
    tahun_list = years_of(pemda)
    if tahun not in tahun_list:
        tahun = tahun_list[0] if tahun_list else 0
    if triwulan not in (1, 2, 3, 4):
        triwulan = angka_sql.last_triwulan([pemda.pk], tahun)
    pengaturan = pengaturan_of(pemda)
    totals = angka_sql.totals([pemda.pk], tahun, triwulan, pengaturan, Kelompok.PD)
    # Every PD pulled in the year, named as its latest pull names it, with this quarter's entry.
    names: dict[str, str] = {}
    entry: dict[str, TriwulanTertarik] = {}
    for t in (
        TriwulanTertarik.objects.filter(pemda=pemda, tahun=tahun)
        .select_related("sumber")
        .order_by("kode_perangkat_daerah", "ditarik")
    ):
        names[t.kode_perangkat_daerah] = t.perangkat_daerah
        if t.triwulan == triwulan:
            entry[t.kode_perangkat_daerah] = t
    baris = [
        BarisTarikan(
            kode=kode,
            nama=names[kode],
            total=totals.get((pemda.pk, kode)) if kode in entry else None,
            tertarik=entry.get(kode),
        )
        for kode in sorted(names)
    ]
    sumber = [
        SumberTarikan(
            s,
            TarikanData.objects.filter(sumber=s, status=TarikanData.Status.OK)
            .order_by("-mulai", "-id")
            .first(),
        )
        for s in SumberData.objects.filter(pemda=pemda).order_by("nama")
    ]
    return DasborTarikan(
        pemda=pemda,
        tahun=tahun,
        triwulan=triwulan,
        tahun_list=tahun_list,
        baris=baris,
        total=angka_sql.total([pemda.pk], tahun, triwulan, pengaturan),
        sumber=sumber,
    )
