"""Early warning: where an indicator, and a PD, is heading by the end of the year. Pure: no Django.

A projection starts from the quarters reported so far (a quarter not reported yet is not a zero,
spec §3) and, when the PD has entered a quarterly plan, from how far it is ahead of or behind
that plan. Every capaian and predikat goes through the engine's rules (`monev.core.rules`):
the realised value to date and its capaian are what the evaluation shows, by construction.

With a plan (the plan to date is known and not zero), the year is assumed to end as far from the
target as the realisation now is from the plan: projected value = target × realised to date /
planned to date.

Without a plan, the pace so far goes on, by the indicator's aggregation:

- `akumulatif`: the mean amount per quarter so far, for the remaining quarters;
- `progresif`, higher is better: the level grows at the same pace from zero;
- `progresif`, lower is better, and `rata_rata`: the level (or the mean) stays where it is.

A growing projection never goes past the target (or past the value already reached): it says
whether the target is in reach, not by how much it may be exceeded.

An item is flagged when its projected capaian rates below `Sedang` (capaian ≤ 65 with the default
bands, spec §7).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from monev.core.model import Quarters
from monev.core.numbers import format_angka, format_nilai
from monev.core.predikat import PitaPredikat
from monev.core.rules import Agregasi, Pengaturan, Polaritas, capaian, mean, nilai_tahun, predikat

ROMAWI = ("I", "II", "III", "IV")
FOUR = Decimal(4)
#: The lowest predikat that is not a warning.
BATAS_PREDIKAT = "Sedang"


class Dasar(StrEnum):
    """What a projection rests on."""

    RENCANA = "rencana"  # the realisation against the quarterly plan
    TREN = "tren"  # the pace so far
    BELUM_ADA_DATA = "belum_ada_data"  # nothing reported yet up to the quarter
    TANPA_TARGET = "tanpa_target"  # no target (or 0): no capaian can be projected


@dataclass(frozen=True, slots=True)
class Proyeksi:
    dasar: Dasar
    #: The last quarter with a realisation up to the evaluated one (0 when none).
    sampai_triwulan: int
    realisasi: Decimal | None  # the value to date
    capaian: Decimal | None  # the capaian to date (as the evaluation shows it)
    rencana: Decimal | None  # the planned value to date
    capaian_rencana: Decimal | None  # the capaian the plan expects to date
    nilai_akhir: Decimal | None  # the projected value at the end of the year
    capaian_akhir: Decimal | None  # the projected capaian at the end of the year
    predikat_akhir: str | None
    peringatan: bool

    @property
    def selisih_rencana(self) -> Decimal | None:
        """Return realised minus planned capaian to date, in points (negative: behind plan)."""
        if self.capaian is None or self.capaian_rencana is None:
            return None
        return self.capaian - self.capaian_rencana


def below_sedang(value: Decimal | None, pengaturan: Pengaturan, *, rp: bool = False) -> bool:
    """Tell whether a capaian rates below `Sedang` in the pemda's bands of K (of Rp if `rp`);
    False when undefined."""
    pita = pengaturan.predikat_rp if rp else pengaturan.predikat_k
    return _rated_below(predikat(value, pita), pita)


def _rated_below(rated: str | None, pita: PitaPredikat) -> bool:
    return rated is not None and rated in _labels_below(pita)


#: The labels below `Sedang` of each band set seen, by identity (hashing a band set for every
#: line and quarter of every Renja costs more than the look-up it saves).
_BELOW: dict[int, tuple[PitaPredikat, frozenset[str]]] = {}


def _labels_below(pita: PitaPredikat) -> frozenset[str]:
    """Return the predikat of the set that rate below `Sedang`."""
    found = _BELOW.get(id(pita))
    if found is not None and found[0] is pita:
        return found[1]
    names = [band.predikat for band in pita]
    if BATAS_PREDIKAT not in names:  # bands of the pemda's own naming: the middle band
        floor = len(names) // 2
    else:
        floor = names.index(BATAS_PREDIKAT)
    labels = frozenset(name for name in names if names.index(name) > floor)
    if len(_BELOW) > 256:  # settings read again and again: keep the cache small
        _BELOW.clear()
    _BELOW[id(pita)] = (pita, labels)
    return labels


def last_quarter(values: Sequence[Decimal | None], triwulan: int) -> int:
    """Return the last quarter up to `triwulan` with a value, 0 when there is none."""
    for q in range(triwulan, 0, -1):
        if values[q - 1] is not None:
            return q
    return 0


def _trend(
    values: Quarters,
    last: int,
    agregasi: Agregasi,
    polaritas: Polaritas,
    target: Decimal,
    realisasi: Decimal,
) -> Decimal:
    if agregasi is Agregasi.RATA_RATA or (
        agregasi is Agregasi.PROGRESIF and polaritas is Polaritas.NEGATIF
    ):
        return realisasi
    grown = realisasi * FOUR / Decimal(last)
    if polaritas is Polaritas.NEGATIF:  # an amount that should stay low keeps growing
        return grown
    return min(grown, max(target, realisasi))


def project(
    *,
    target: Decimal | None,
    realisasi: Quarters,
    triwulan: int,
    agregasi: Agregasi = Agregasi.PROGRESIF,
    polaritas: Polaritas = Polaritas.POSITIF,
    rencana: Quarters | None = None,
    pengaturan: Pengaturan | None = None,
    rp: bool = False,
) -> Proyeksi:
    """Return the year-end projection of one indicator evaluated up to quarter `triwulan`.

    `realisasi` and `rencana` are the quarterly values in the sense they are entered (spec §3);
    quarters after `triwulan` are ignored. Budgets are projected the same way, with the pagu as
    the target and the realisation (Rp) as the values, and `rp` set (the Rp band set rates it).
    """
    p = pengaturan or Pengaturan()
    cut: Quarters = tuple(realisasi[:triwulan]) + (None,) * (len(realisasi) - triwulan)  # type: ignore[assignment]
    last = last_quarter(cut, triwulan)
    to_date = nilai_tahun(cut, agregasi, triwulan)
    capaian_now = capaian(target, to_date, polaritas, p.rumus_negatif)
    planned = nilai_tahun(rencana, agregasi, last) if rencana is not None and last else None
    capaian_planned = capaian(target, planned, polaritas, p.rumus_negatif)

    def result(dasar: Dasar, akhir: Decimal | None) -> Proyeksi:
        capaian_akhir = capaian(target, akhir, polaritas, p.rumus_negatif)
        pita = p.predikat_rp if rp else p.predikat_k
        rated = predikat(capaian_akhir, pita)
        return Proyeksi(
            dasar=dasar,
            sampai_triwulan=last,
            realisasi=to_date,
            capaian=capaian_now,
            rencana=planned,
            capaian_rencana=capaian_planned,
            nilai_akhir=akhir,
            capaian_akhir=capaian_akhir,
            predikat_akhir=rated,
            peringatan=_rated_below(rated, pita),
        )

    if target is None or target == 0:
        return result(Dasar.TANPA_TARGET, None)
    if to_date is None:
        return result(Dasar.BELUM_ADA_DATA, None)
    if planned is not None and planned != 0:
        return result(Dasar.RENCANA, target * to_date / planned)
    return result(Dasar.TREN, _trend(cut, last, agregasi, polaritas, target, to_date))


@dataclass(frozen=True, slots=True)
class ProyeksiRataRata:
    """A PD's projected mean capaian of its kegiatan indicators (the footer K, spec §6)."""

    capaian_akhir: Decimal | None
    predikat_akhir: str | None
    peringatan: bool
    jumlah: int  # indicators with a projection
    jumlah_peringatan: int
    selisih_rencana: Decimal | None  # mean of realised − planned capaian to date, where planned


def project_mean(
    items: Sequence[Proyeksi], pengaturan: Pengaturan | None = None
) -> ProyeksiRataRata:
    """Return the projected mean of the items' projected capaian (left out where undefined)."""
    p = pengaturan or Pengaturan()
    rata = mean([i.capaian_akhir for i in items], p.batas_capaian_rata_rata)
    return ProyeksiRataRata(
        capaian_akhir=rata,
        predikat_akhir=predikat(rata, p.predikat_k),
        peringatan=below_sedang(rata, p),
        jumlah=sum(1 for i in items if i.capaian_akhir is not None),
        jumlah_peringatan=sum(1 for i in items if i.peringatan),
        selisih_rencana=mean([i.selisih_rencana for i in items]),
    )


def _persen(value: Decimal | None) -> str:
    return f"{format_angka(value)}%"


def alasan(proyeksi: Proyeksi, *, rupiah: bool = False) -> str:
    """Return, in Indonesian, why an item is projected where it is (behind plan by how much)."""
    tw = ROMAWI[proyeksi.sampai_triwulan - 1] if proyeksi.sampai_triwulan else ""
    akhir = f"proyeksi akhir tahun {_persen(proyeksi.capaian_akhir)}"
    if proyeksi.predikat_akhir:
        akhir += f" ({proyeksi.predikat_akhir})"
    if proyeksi.dasar is Dasar.TANPA_TARGET:
        return "Tanpa target: capaian tidak dapat diproyeksikan."
    if proyeksi.dasar is Dasar.BELUM_ADA_DATA:
        return "Belum ada realisasi yang dilaporkan."
    nilai = (lambda v: f"Rp {format_nilai(v)}") if rupiah else format_nilai
    if proyeksi.dasar is Dasar.RENCANA:
        selisih = proyeksi.selisih_rencana
        if selisih is not None and selisih < 0:
            posisi = f"tertinggal {format_angka(-selisih)} poin dari rencana"
        elif selisih is not None and selisih > 0:
            posisi = f"mendahului rencana {format_angka(selisih)} poin"
        else:
            posisi = "sesuai rencana"
        return (
            f"Realisasi s.d. TW {tw} {nilai(proyeksi.realisasi)} dari rencana "
            f"{nilai(proyeksi.rencana)}: capaian {_persen(proyeksi.capaian)} terhadap rencana "
            f"{_persen(proyeksi.capaian_rencana)}, {posisi}; {akhir}."
        )
    return (
        f"Tanpa rencana triwulan: capaian s.d. TW {tw} {_persen(proyeksi.capaian)}, laju "
        f"sejauh ini berlanjut; {akhir}."
    )


def alasan_rata_rata(proyeksi: ProyeksiRataRata) -> str:
    """Return, in Indonesian, the reason of a PD's projected mean capaian."""
    if proyeksi.capaian_akhir is None:
        return "Belum ada indikator kegiatan yang dapat diproyeksikan."
    text = (
        f"Proyeksi rata-rata capaian indikator kegiatan akhir tahun "
        f"{_persen(proyeksi.capaian_akhir)} ({proyeksi.predikat_akhir}); "
        f"{proyeksi.jumlah_peringatan} dari {proyeksi.jumlah} indikator diproyeksikan di bawah "
        f"{BATAS_PREDIKAT}"
    )
    if proyeksi.selisih_rencana is not None and proyeksi.selisih_rencana < 0:
        text += (
            f"; rata-rata tertinggal {format_angka(-proyeksi.selisih_rencana)} poin dari rencana"
        )
    return text + "."
