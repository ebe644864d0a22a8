"""Reads of the Renstra: each year's figures of a period (verified in monev, or entered by hand
for a year before monev), E.81 columns 6 and 7 of a linked Renja, and the period for the E.80.

Which figures of a year count is decided in one place, `evaluasi_terverifikasi`: the record of
the year's Renja in force taken when its quarter IV was accepted (a later change to the data does
not move column 7 of the next year).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from monev.core.codes import Tingkat
from monev.core.evaluation import Evaluasi
from monev.core.renstra import (
    IndikatorPeriode,
    NilaiTahun,
    RenstraPeriode,
    SimpulPeriode,
    Sumber,
    realisasi_lalu,
    realisasi_lalu_rp,
)
from monev.core.rules import Agregasi, Polaritas
from monev.renstra.models import (
    IndikatorRenstra,
    PemetaanKode,
    RenjaRenstra,
    Renstra,
    SimpulRenstra,
    TahunIndikator,
    TahunSimpul,
    TautanIndikator,
    TautanSimpul,
)
from monev.web.models import Indikator, LaporanTriwulan, Renja, Simpul


def evaluasi_terverifikasi(renja: Renja) -> Evaluasi | None:
    """Return the year's verified evaluation (quarter IV accepted): the record taken when it was
    accepted (`monev.web.snapshot`), or None while quarter IV is not accepted.

    The one switch point for "verified figures" (see the module's docstring).
    """
    from monev.web import snapshot

    verified = LaporanTriwulan.objects.filter(
        renja=renja, triwulan=4, status=LaporanTriwulan.Status.DIVERIFIKASI
    ).exists()
    if not verified:
        return None
    return snapshot.evaluasi_of(renja, 4)


def renja_in_force(perangkat_daerah_id: int, tahun: int) -> Renja | None:
    """Return the PD's Renja of a year in force at its end (the perubahan if there is one)."""
    return (
        Renja.objects.filter(perangkat_daerah_id=perangkat_daerah_id, tahun=tahun, berlaku=True)
        .order_by("-pk")
        .first()
    )


def tahun_monev(renstra: Renstra) -> set[int]:
    """Return the years of the period whose Renja is held in monev."""
    return set(
        Renja.objects.filter(
            perangkat_daerah_id=renstra.perangkat_daerah_id,
            tahun__gte=renstra.tahun_awal,
            tahun__lte=renstra.tahun_akhir,
        ).values_list("tahun", flat=True)
    )


@dataclass(frozen=True)
class Tahunan:
    """Each year's realisation of a Renstra's indicators (K) and nodes (Rp), by Renstra id."""

    k: dict[int, dict[int, NilaiTahun]]
    rp: dict[int, dict[int, NilaiTahun]]


def tahunan(renstra: Renstra, sampai_tahun: int) -> Tahunan:
    """Return the realisation of every year of the period up to `sampai_tahun` (inclusive).

    A year held in monev counts only once verified (`evaluasi_terverifikasi`), through the links of
    that year's Renja; a year before monev takes the figure entered by hand.
    """
    k: dict[int, dict[int, NilaiTahun]] = defaultdict(dict)
    rp: dict[int, dict[int, NilaiTahun]] = defaultdict(dict)
    held = tahun_monev(renstra)
    targets_k = {
        (i, y): (t, r)
        for i, y, t, r in TahunIndikator.objects.filter(
            indikator__simpul__renstra=renstra
        ).values_list("indikator_id", "tahun", "target", "realisasi_manual")
    }
    targets_rp = {
        (s, y): (t, r)
        for s, y, t, r in TahunSimpul.objects.filter(simpul__renstra=renstra).values_list(
            "simpul_id", "tahun", "target_rp", "realisasi_manual_rp"
        )
    }
    for tahun in range(renstra.tahun_awal, sampai_tahun + 1):
        if tahun not in held:
            for (i, y), (t, r) in targets_k.items():
                if y == tahun:
                    k[i][y] = NilaiTahun(y, t, r, Sumber.MANUAL if r is not None else Sumber.KOSONG)
            for (s, y), (t, r) in targets_rp.items():
                if y == tahun:
                    rp[s][y] = NilaiTahun(
                        y, t, r, Sumber.MANUAL if r is not None else Sumber.KOSONG
                    )
            continue
        renja = renja_in_force(renstra.perangkat_daerah_id, tahun)
        assert renja is not None
        evaluasi = evaluasi_terverifikasi(renja)
        link_k = dict(
            TautanIndikator.objects.filter(
                indikator__simpul__renja=renja, indikator_renstra__simpul__renstra=renstra
            ).values_list("indikator_id", "indikator_renstra_id")
        )
        link_rp = dict(
            TautanSimpul.objects.filter(
                simpul__renja=renja, simpul_renstra__renstra=renstra
            ).values_list("simpul_id", "simpul_renstra_id")
        )
        sumber = Sumber.MONEV if evaluasi is not None else Sumber.BELUM_DIVERIFIKASI
        by_ref = (
            {b.indikator.ref: b.realisasi for b in evaluasi.baris if b.indikator.ref is not None}
            if evaluasi is not None
            else {}
        )
        rp_by_ref = (
            {n.ref: evaluasi.rp_of(n.kode) for n in evaluasi.renja.nodes}
            if evaluasi is not None
            else {}
        )
        for indikator_id, i in link_k.items():
            value = by_ref.get(indikator_id)
            k[i][tahun] = NilaiTahun(
                tahun, targets_k.get((i, tahun), (None, None))[0], value, sumber
            )
        for simpul_id, s in link_rp.items():
            found = rp_by_ref.get(simpul_id)
            value = found.realisasi if found else None
            rp[s][tahun] = NilaiTahun(
                tahun, targets_rp.get((s, tahun), (None, None))[0], value, sumber
            )
    return Tahunan(dict(k), dict(rp))


@dataclass(frozen=True)
class KolomRenstra:
    """E.81 columns 6 and 7 of a linked Renja, by Renja indicator / node id."""

    k: dict[int, tuple[Decimal | None, Decimal | None]]
    rp: dict[int, tuple[Decimal | None, Decimal | None]]
    #: Each earlier year's figure behind column 7, by Renja indicator id (for the page).
    asal_k: dict[int, list[NilaiTahun]]


def renstra_of(renja: Renja) -> Renstra | None:
    link = RenjaRenstra.objects.filter(renja=renja).select_related("renstra").first()
    return link.renstra if link else None


def kolom_renstra(renja: Renja) -> KolomRenstra | None:
    """Return columns 6 and 7 of a Renja linked to its Renstra, or None for an unlinked one
    (whose typed columns then stand)."""
    renstra = renstra_of(renja)
    if renstra is None:
        return None
    links_k = list(
        TautanIndikator.objects.filter(indikator__simpul__renja=renja).select_related(
            "indikator_renstra"
        )
    )
    links_rp = list(
        TautanSimpul.objects.filter(simpul__renja=renja).select_related("simpul_renstra")
    )
    years = (
        tahunan(renstra, renja.tahun - 1) if renja.tahun > renstra.tahun_awal else Tahunan({}, {})
    )
    k: dict[int, tuple[Decimal | None, Decimal | None]] = {}
    asal: dict[int, list[NilaiTahun]] = {}
    for link in links_k:
        item = link.indikator_renstra
        values = sorted(years.k.get(item.pk, {}).values(), key=lambda v: v.tahun)
        asal[link.indikator_id] = values
        k[link.indikator_id] = (
            item.target_akhir,
            realisasi_lalu([v.realisasi for v in values], Agregasi(item.agregasi)),
        )
    rp: dict[int, tuple[Decimal | None, Decimal | None]] = {}
    for link in links_rp:
        values = sorted(years.rp.get(link.simpul_renstra_id, {}).values(), key=lambda v: v.tahun)
        rp[link.simpul_id] = (
            link.simpul_renstra.target_akhir_rp,
            realisasi_lalu_rp([v.realisasi for v in values]),
        )
    return KolomRenstra(k, rp, asal)


def periode(renstra: Renstra, sampai_tahun: int | None = None) -> RenstraPeriode:
    """Return the Renstra with every year's target and realisation, as the E.80 reads it."""
    sampai = renstra.tahun_akhir if sampai_tahun is None else sampai_tahun
    years = tahunan(renstra, min(sampai, renstra.tahun_akhir))
    indikator: dict[int, list[IndikatorRenstra]] = defaultdict(list)
    for item in IndikatorRenstra.objects.filter(simpul__renstra=renstra).order_by(
        "simpul_id", "urutan", "id"
    ):
        indikator[item.simpul_id].append(item)
    targets_k: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for i, y, t in TahunIndikator.objects.filter(indikator__simpul__renstra=renstra).values_list(
        "indikator_id", "tahun", "target"
    ):
        targets_k[i][y] = t
    targets_rp: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for s, y, t in TahunSimpul.objects.filter(simpul__renstra=renstra).values_list(
        "simpul_id", "tahun", "target_rp"
    ):
        targets_rp[s][y] = t

    def merged(
        found: dict[int, NilaiTahun], targets: dict[int, Decimal | None]
    ) -> tuple[NilaiTahun, ...]:
        out = []
        for y in renstra.tahun:
            v = found.get(y)
            out.append(
                NilaiTahun(
                    y, targets.get(y), v.realisasi if v else None, v.sumber if v else Sumber.KOSONG
                )
            )
        return tuple(out)

    pd = renstra.perangkat_daerah
    simpul = tuple(
        SimpulPeriode(
            kode=s.kode,
            tingkat=Tingkat(s.tingkat),
            nama=s.nama,
            target_akhir_rp=s.target_akhir_rp,
            tahun=merged(years.rp.get(s.pk, {}), targets_rp.get(s.pk, {})),
            indikator=tuple(
                IndikatorPeriode(
                    teks=i.teks,
                    satuan=i.satuan,
                    agregasi=Agregasi(i.agregasi),
                    polaritas=Polaritas(i.polaritas),
                    target_akhir=i.target_akhir,
                    tahun=merged(years.k.get(i.pk, {}), targets_k.get(i.pk, {})),
                )
                for i in indikator.get(s.pk, [])
            ),
        )
        for s in SimpulRenstra.objects.filter(renstra=renstra).order_by("urutan", "id")
    )
    return RenstraPeriode(renstra.tahun_awal, renstra.tahun_akhir, simpul, pd.nama, pd.pemda.nama)


def kode_kini(kode: str, tahun: int, pemetaan: list[tuple[int, str, str]]) -> str:
    """Return a code as it reads in `tahun`, following every mapping in force by then in order."""
    for berlaku, lama, baru in pemetaan:
        if berlaku <= tahun and kode == lama:
            kode = baru
    return kode


def pemetaan_list() -> list[tuple[int, str, str]]:
    return list(
        PemetaanKode.objects.order_by("tahun_berlaku", "pk").values_list(
            "tahun_berlaku", "kode_lama", "kode_baru"
        )
    )


# -- links proposed by code and name ------------------------------------------------------------


@dataclass(frozen=True)
class UsulSimpul:
    simpul: Simpul
    simpul_renstra: SimpulRenstra | None
    tertaut: bool  # already linked (to `simpul_renstra`)
    alasan: str  # "kode", "pemetaan kode", "nama", "tertaut", or "" when none found


@dataclass(frozen=True)
class UsulIndikator:
    indikator: Indikator
    indikator_renstra: IndikatorRenstra | None
    tertaut: bool


@dataclass(frozen=True)
class Usulan:
    simpul: list[UsulSimpul]
    indikator: list[UsulIndikator]
    #: Lines of the Renja without a counterpart, as messages (code and name).
    tanpa_pasangan: list[str]


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def usul_tautan(renja: Renja, renstra: Renstra) -> Usulan:
    """Propose each node's and indicator's counterpart in the Renstra: the node whose code, as it
    reads in the Renja's year through the code mapping, is the node's code; else the node of the
    same level and name. Indicators of a matched node pair by text, else by order."""
    mapping = pemetaan_list()
    nodes = list(SimpulRenstra.objects.filter(renstra=renstra).order_by("urutan"))
    by_kode = {s.kode: s for s in nodes}
    by_mapped = {kode_kini(s.kode, renja.tahun, mapping): s for s in nodes}
    by_name = {(s.tingkat, _normal(s.nama)): s for s in nodes if s.nama}
    items: dict[int, list[IndikatorRenstra]] = defaultdict(list)
    for i in IndikatorRenstra.objects.filter(simpul__renstra=renstra).order_by("urutan", "id"):
        items[i.simpul_id].append(i)
    linked_simpul = dict(
        TautanSimpul.objects.filter(simpul__renja=renja).values_list(
            "simpul_id", "simpul_renstra_id"
        )
    )
    linked_indikator = dict(
        TautanIndikator.objects.filter(indikator__simpul__renja=renja).values_list(
            "indikator_id", "indikator_renstra_id"
        )
    )
    by_id = {s.pk: s for s in nodes}
    item_by_id = {i.pk: i for group in items.values() for i in group}
    out_simpul: list[UsulSimpul] = []
    out_indikator: list[UsulIndikator] = []
    missing: list[str] = []
    indikator_of: dict[int, list[Indikator]] = defaultdict(list)
    for i in Indikator.objects.filter(simpul__renja=renja).order_by("urutan", "id"):
        indikator_of[i.simpul_id].append(i)
    for s in Simpul.objects.filter(renja=renja).order_by("urutan"):
        if s.pk in linked_simpul and linked_simpul[s.pk] in by_id:
            match, alasan, tertaut = by_id[linked_simpul[s.pk]], "tertaut", True
        elif s.kode in by_mapped and by_mapped[s.kode].kode != s.kode:
            match, alasan, tertaut = by_mapped[s.kode], "pemetaan kode", False
        elif s.kode in by_kode:
            match, alasan, tertaut = by_kode[s.kode], "kode", False
        elif (s.tingkat, _normal(s.nama)) in by_name and s.nama:
            match, alasan, tertaut = by_name[(s.tingkat, _normal(s.nama))], "nama", False
        else:
            match, alasan, tertaut = None, "", False
        out_simpul.append(UsulSimpul(s, match, tertaut, alasan))
        if match is None:
            missing.append(f"{s.kode} {s.nama}: tidak ada pasangannya di Renstra")
        candidates = list(items.get(match.pk, [])) if match else []
        by_text = {_normal(c.teks): c for c in candidates}
        own = indikator_of.get(s.pk, [])
        for position, i in enumerate(own):
            if i.pk in linked_indikator and linked_indikator[i.pk] in item_by_id:
                out_indikator.append(UsulIndikator(i, item_by_id[linked_indikator[i.pk]], True))
                continue
            found = by_text.get(_normal(i.teks))
            if found is None and len(own) == len(candidates):
                found = candidates[position]
            out_indikator.append(UsulIndikator(i, found, False))
            if found is None and match is not None:
                missing.append(f"{s.kode}, indikator '{i.teks}': tidak ada pasangannya di Renstra")
    return Usulan(out_simpul, out_indikator, missing)


def periode_list(pemda_id: int) -> list[tuple[int, int]]:
    """The Renstra periods of a pemda's PDs, newest first (periods differ between PDs)."""
    return list(
        Renstra.objects.filter(perangkat_daerah__pemda_id=pemda_id)
        .order_by("-tahun_awal", "-tahun_akhir")
        .values_list("tahun_awal", "tahun_akhir")
        .distinct()
    )


def periode_pemda(pemda: Any, tahun_awal: int, tahun_akhir: int) -> RenstraPeriode:
    """Return the programs of every PD's Renstra of a period, by program code, each with the PD
    responsible: the whole pemda's E.80, from which the RPJMD evaluation is built."""
    lines: list[SimpulPeriode] = []
    for renstra in Renstra.objects.filter(
        perangkat_daerah__pemda=pemda, tahun_awal=tahun_awal, tahun_akhir=tahun_akhir
    ).select_related("perangkat_daerah__pemda"):
        for s in periode(renstra).simpul:
            if s.tingkat is Tingkat.PROGRAM:
                lines.append(replace(s, penanggung_jawab=renstra.perangkat_daerah.nama))
    lines.sort(key=lambda s: (s.kode, s.penanggung_jawab))
    return RenstraPeriode(tahun_awal, tahun_akhir, tuple(lines), "", pemda.nama)


def usul_impor(renja: Renja) -> str:
    """After an import: the links proposed to the PD's Renstra of that year, as one sentence, when
    the Renja is not linked yet (linking is the admin's choice: it replaces columns 6 and 7)."""
    if renstra_of(renja) is not None:
        return ""
    renstra = (
        Renstra.objects.filter(
            perangkat_daerah_id=renja.perangkat_daerah_id,
            tahun_awal__lte=renja.tahun,
            tahun_akhir__gte=renja.tahun,
        )
        .order_by("-tahun_awal")
        .first()
    )
    if renstra is None:
        return ""
    usul = usul_tautan(renja, renstra)
    simpul = sum(1 for u in usul.simpul if u.simpul_renstra is not None)
    indikator = sum(1 for u in usul.indikator if u.indikator_renstra is not None)
    return (
        f"Usulan tautan ke {renstra}: {simpul} dari {len(usul.simpul)} simpul dan {indikator} dari "
        f"{len(usul.indikator)} indikator berpasangan; tautkan di halaman 'Renstra & tahun' Renja "
        "ini (kolom 6 dan 7 E.81 lalu diambil dari Renstra)."
    )
