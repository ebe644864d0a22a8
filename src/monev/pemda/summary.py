"""A PD's figures for the pemda's view, and the pemda's own totals. Pure: no Django.

Every PD figure is its evaluation's (`monev.core.evaluation.evaluate`, run once per quarter); the
pemda's totals over several PDs follow the same rules as a PD's footer (spec §5, §6) with the
engine's own functions: the mean of the kegiatan indicators' capaian, and Σ realisasi / Σ pagu.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from monev.core import model as core
from monev.core.budget import roll_up
from monev.core.codes import Tingkat
from monev.core.consolidation import total_of_pd
from monev.core.evaluation import Evaluasi, Ringkasan, evaluate
from monev.core.model import NO_QUARTERS, Quarters
from monev.core.numbers import round_half_up
from monev.core.rules import Agregasi, Pengaturan, Total, capaian, jumlah
from monev.pemda.projection import Proyeksi, ProyeksiRataRata, project, project_mean


@dataclass(frozen=True, slots=True)
class PeringatanIndikator:
    """An indicator line projected below `Sedang`."""

    ref: int | None
    kode: str
    tingkat: Tingkat
    nama: str
    teks: str
    satuan: str
    target: Decimal | None
    proyeksi: Proyeksi


@dataclass(frozen=True, slots=True)
class AngkaTriwulan:
    """A PD's figures evaluated up to one quarter."""

    triwulan: int
    ringkasan: Ringkasan
    jumlah_pemeriksaan: int
    #: The budget plan evaluated as if it were the realisation (None: no plan entered).
    rencana: Ringkasan | None
    proyeksi_k: ProyeksiRataRata
    proyeksi_rp: Proyeksi
    #: A tuple; a lazy sequence when read back from the store (`monev.pemda.selectors`).
    peringatan: Sequence[PeringatanIndikator]


@dataclass(frozen=True, slots=True)
class RingkasanPD:
    """A PD's figures for every quarter of the year."""

    last_triwulan: int
    triwulan: tuple[AngkaTriwulan, ...]  # TW I–IV
    jumlah_rencana_k: int
    jumlah_rencana_rp: int

    def at(self, triwulan: int) -> AngkaTriwulan:
        return self.triwulan[triwulan - 1]


def plan_renja(renja: core.Renja, rencana_rp: Mapping[int, Quarters]) -> core.Renja:
    """Return the Renja with each node's budget plan in place of its realisation (Rp only).

    Nodes without a plan of their own state no realisation, so that they roll up their children's
    plans (spec §5); indicators are left out (the K plans are projected line by line).
    """
    nodes = tuple(
        replace(
            node,
            indikator=(),
            triwulan_rp=rencana_rp.get(node.ref, NO_QUARTERS)
            if node.ref is not None
            else NO_QUARTERS,
        )
        for node in renja.nodes
    )
    return core.Renja(nodes, renja.perangkat_daerah, renja.pemda, renja.tahun)


def last_rp_quarter(renja: core.Renja) -> int:
    """Return the last quarter in which any budget realisation was entered, 0 if none."""
    last = 0
    for node in renja.nodes:
        for q in range(4, last, -1):
            if node.triwulan_rp[q - 1] is not None:
                last = q
                break
    return last


def project_lines(
    evaluasi: Evaluasi, rencana_k: Mapping[int, Quarters], pengaturan: Pengaturan
) -> list[tuple[core.Node, core.Indikator, Proyeksi]]:
    """Return the projection of every indicator line of an evaluation."""
    out = []
    for line in evaluasi.baris:
        item = line.indikator
        if item.ref is None and not item.teks:  # a node without indicators
            continue
        proyeksi = project(
            target=item.target,
            realisasi=item.triwulan,
            triwulan=evaluasi.triwulan,
            agregasi=item.agregasi,
            polaritas=item.polaritas,
            rencana=rencana_k.get(item.ref) if item.ref is not None else None,
            pengaturan=pengaturan,
        )
        out.append((line.node, item, proyeksi))
    return out


def summarise(
    renja: core.Renja,
    *,
    rencana_k: Mapping[int, Quarters],
    rencana_rp: Mapping[int, Quarters],
    pengaturan: Pengaturan,
    tetap: Mapping[int, Evaluasi] | None = None,
) -> RingkasanPD:
    """Return a PD's figures for TW I–IV: four evaluations, their plans and projections.

    `tetap`: the recorded evaluation of each verified quarter, used as it is (its figures never
    move once accepted); the other quarters are evaluated from the data."""
    plan = plan_renja(renja, rencana_rp) if rencana_rp else None
    plan_anggaran = roll_up(plan) if plan is not None else None
    anggaran = roll_up(renja) if len(tetap or {}) < 4 else None
    last_rp = last_rp_quarter(renja)
    realised_rp: list[Decimal | None] = []
    planned_rp: list[Decimal | None] = []
    quarters = []
    for q in range(1, 5):
        evaluasi = (tetap or {}).get(q) or evaluate(renja, q, pengaturan, anggaran=anggaran)
        r = evaluasi.ringkasan
        rencana = (
            evaluate(plan, q, pengaturan, anggaran=plan_anggaran).ringkasan
            if plan is not None
            else None
        )
        realised_rp.append(r.realisasi_rp if q <= last_rp else None)
        planned_rp.append(rencana.realisasi_rp if rencana is not None else None)
        lines = project_lines(evaluasi, rencana_k, pengaturan)
        kegiatan = [p for node, _, p in lines if node.tingkat is Tingkat.KEGIATAN]
        quarters.append(
            AngkaTriwulan(
                triwulan=q,
                ringkasan=r,
                jumlah_pemeriksaan=len(evaluasi.pemeriksaan),
                rencana=rencana,
                proyeksi_k=project_mean(kegiatan, pengaturan),
                proyeksi_rp=project(
                    target=r.pagu,
                    realisasi=_quarters(realised_rp),
                    triwulan=q,
                    agregasi=Agregasi.PROGRESIF,  # the Rp to date, whatever each line's rule
                    rencana=_quarters(planned_rp) if plan is not None else None,
                    pengaturan=pengaturan,
                    rp=True,
                ),
                peringatan=tuple(
                    PeringatanIndikator(
                        ref=item.ref,
                        kode=node.kode,
                        tingkat=node.tingkat,
                        nama=node.nama,
                        teks=item.teks,
                        satuan=item.satuan,
                        target=item.target,
                        proyeksi=p,
                    )
                    for node, item, p in lines
                    if p.peringatan
                ),
            )
        )
    return RingkasanPD(
        last_triwulan=renja.last_triwulan(),
        triwulan=tuple(quarters),
        jumlah_rencana_k=len(rencana_k),
        jumlah_rencana_rp=len(rencana_rp),
    )


def _quarters(values: Sequence[Decimal | None]) -> Quarters:
    padded = list(values) + [None] * (4 - len(values))
    return (padded[0], padded[1], padded[2], padded[3])


# -- the pemda's totals -------------------------------------------------------------------------


def pemda_total(angka: Sequence[AngkaTriwulan], pengaturan: Pengaturan) -> Total:
    """Return the pemda's footer over PDs evaluated up to the same quarter."""
    return total_of_pd((a.ringkasan for a in angka), pengaturan)


def pemda_plan_persen(angka: Sequence[AngkaTriwulan]) -> Decimal | None:
    """Return Σ planned / Σ pagu over the PDs that entered a budget plan (None: none did)."""
    planned = [a for a in angka if a.rencana is not None]
    if not planned:
        return None
    return capaian(
        jumlah(a.ringkasan.pagu for a in planned),
        jumlah(a.rencana.realisasi_rp for a in planned if a.rencana is not None),
    )


def shown_change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    """Return the change between two per cents as shown (two decimals), so that it adds up on
    screen; None when either is undefined."""
    if now is None or before is None:
        return None
    return round_half_up(now, 2) - round_half_up(before, 2)


def ranks(values: Sequence[Decimal | None]) -> list[int | None]:
    """Return competition ranks (1, 2, 2, 4) of per cents as shown, highest first; None stays."""
    shown = [round_half_up(v, 2) if v is not None else None for v in values]
    ordered = sorted((v for v in shown if v is not None), reverse=True)
    first = {}
    for i, v in enumerate(ordered, start=1):
        first.setdefault(v, i)
    return [first[v] if v is not None else None for v in shown]
