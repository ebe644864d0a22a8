"""Reads: plain data with the queries they need (a fixed number, never one per row)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from monev.core import model as core
from monev.core.codes import Tingkat
from monev.core.evaluation import Evaluasi, evaluate
from monev.core.model import Quarters
from monev.core.rules import Agregasi, Pengaturan, Polaritas
from monev.web.models import (
    Indikator,
    LaporanTriwulan,
    RealisasiK,
    RealisasiRp,
    Renja,
    Riwayat,
    Simpul,
)


def _quarters(values: dict[int, Decimal | None]) -> Quarters:
    return (values.get(1), values.get(2), values.get(3), values.get(4))


@dataclass(frozen=True)
class RenjaData:
    """A Renja's rows as loaded, and the engine's view of it."""

    simpul: list[Simpul]
    indikator: dict[int, list[Indikator]]
    realisasi_k: dict[int, dict[int, Decimal | None]]
    realisasi_rp: dict[int, dict[int, Decimal | None]]
    core: core.Renja


def renja_data(renja: Renja) -> RenjaData:
    """Load a Renja's tree, indicators and realisations in four queries."""
    simpul = list(Simpul.objects.filter(renja=renja).order_by("urutan"))
    indikator: dict[int, list[Indikator]] = defaultdict(list)
    for item in Indikator.objects.filter(simpul__renja=renja).order_by("simpul_id", "urutan", "id"):
        indikator[item.simpul_id].append(item)
    realisasi_k: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for indikator_id, triwulan, nilai in RealisasiK.objects.filter(
        indikator__simpul__renja=renja
    ).values_list("indikator_id", "triwulan", "nilai"):
        realisasi_k[indikator_id][triwulan] = nilai
    realisasi_rp: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for simpul_id, triwulan, nilai in RealisasiRp.objects.filter(simpul__renja=renja).values_list(
        "simpul_id", "triwulan", "nilai"
    ):
        realisasi_rp[simpul_id][triwulan] = nilai

    pd = renja.perangkat_daerah
    nodes = tuple(
        core.Node(
            kode=s.kode,
            tingkat=Tingkat(s.tingkat),
            nama=s.nama,
            indikator=tuple(
                core.Indikator(
                    teks=i.teks,
                    satuan=i.satuan,
                    target_renstra=i.target_renstra,
                    realisasi_lalu=i.realisasi_lalu,
                    target=i.target,
                    target_volume=i.target_volume,
                    triwulan=_quarters(realisasi_k.get(i.pk, {})),
                    polaritas=Polaritas(i.polaritas),
                    agregasi=Agregasi(i.agregasi),
                    ref=i.pk,
                )
                for i in indikator.get(s.pk, [])
            ),
            pagu=s.pagu,
            triwulan_rp=_quarters(realisasi_rp.get(s.pk, {})),
            target_renstra_rp=s.target_renstra_rp,
            realisasi_lalu_rp=s.realisasi_lalu_rp,
            agregasi_rp=Agregasi(s.agregasi_rp),
            unit=s.unit_kerja,
            sasaran=s.sasaran,
            ref=s.pk,
        )
        for s in simpul
    )
    return RenjaData(
        simpul=simpul,
        indikator=indikator,
        realisasi_k=realisasi_k,
        realisasi_rp=realisasi_rp,
        core=core.Renja(nodes, perangkat_daerah=pd.nama, pemda=pd.pemda.nama, tahun=renja.tahun),
    )


def renja_evaluasi(
    renja: Renja, triwulan: int | None = None, pengaturan: Pengaturan | None = None
) -> Evaluasi:
    """Return the engine's evaluation of a stored Renja (the only source of its figures)."""
    return evaluate(renja_data(renja).core, triwulan, pengaturan)


def laporan_of(renja: Renja, triwulan: int) -> LaporanTriwulan:
    """Return the quarter's report, unsaved and empty when none has been written yet."""
    found = LaporanTriwulan.objects.filter(renja=renja, triwulan=triwulan).first()
    return found or LaporanTriwulan(renja=renja, triwulan=triwulan)


@dataclass(frozen=True)
class EntriK:
    indikator: Indikator
    simpul: Simpul
    nilai: list[Decimal | None]  # TW I–IV


@dataclass(frozen=True)
class EntriRp:
    simpul: Simpul
    nilai: list[Decimal | None]


@dataclass(frozen=True)
class EntriBaris:
    simpul: Simpul
    k: list[EntriK]
    rp: EntriRp | None  # only on nodes without children: budgets are entered where they are spent


def entri_rows(renja: Renja) -> list[EntriBaris]:
    """Return the rows of the quarterly entry page: every indicator, and Rp of every leaf node."""
    data = renja_data(renja)
    parents = {s.induk_id for s in data.simpul if s.induk_id}
    rows = []
    for s in data.simpul:
        k = [
            EntriK(i, s, [data.realisasi_k.get(i.pk, {}).get(q) for q in range(1, 5)])
            for i in data.indikator.get(s.pk, [])
        ]
        rp = None
        if s.pk not in parents:
            rp = EntriRp(s, [data.realisasi_rp.get(s.pk, {}).get(q) for q in range(1, 5)])
        rows.append(EntriBaris(s, k, rp))
    return rows


def riwayat_indikator(indikator: Indikator) -> list[Riwayat]:
    return list(
        Riwayat.objects.filter(indikator=indikator)
        .select_related("pengguna")
        .order_by("-waktu", "-id")
    )


def riwayat_simpul(simpul: Simpul) -> list[Riwayat]:
    return list(
        Riwayat.objects.filter(simpul=simpul, indikator__isnull=True)
        .select_related("pengguna")
        .order_by("-waktu", "-id")
    )
