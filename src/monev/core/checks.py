"""Consistency checks of a Renja's figures (spec §3, §5, §9): every disagreement, with its place."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from monev.core.budget import Anggaran, parent_kode
from monev.core.codes import Tingkat
from monev.core.model import Quarters, Renja
from monev.core.numbers import agrees_as_printed, format_angka, format_nilai, round_half_up
from monev.core.rules import Agregasi, nilai_tahun

if TYPE_CHECKING:
    from monev.core.evaluation import Baris

_ROMAWI = ("I", "II", "III", "IV")


class Jenis(StrEnum):
    REALISASI_MELEBIHI_PAGU = "realisasi_melebihi_pagu"
    PAGU_ANAK_TIDAK_SAMA = "pagu_anak_tidak_sama"
    REALISASI_ANAK_TIDAK_SAMA = "realisasi_anak_tidak_sama"
    NILAI_KUMULATIF_TURUN = "nilai_kumulatif_turun"
    CAPAIAN_TERCETAK_BERBEDA = "capaian_tercetak_berbeda"
    REALISASI_TANPA_TARGET = "realisasi_tanpa_target"
    INDUK_TIDAK_ADA = "induk_tidak_ada"


@dataclass(frozen=True, slots=True)
class Pemeriksaan:
    """One disagreement found in the figures."""

    kode: str
    jenis: Jenis
    pesan: str
    indikator: str = ""
    tercetak: Decimal | None = None
    hitung: Decimal | None = None


def _rp(value: Decimal | None) -> str:
    return format_nilai(value)


def _falling(values: Quarters, triwulan: int) -> list[tuple[int, Decimal, int, Decimal]]:
    """Return (earlier quarter, its value, later quarter, its lower value) for each fall."""
    # A plain loop, not a generator: it runs for nearly every line and almost always finds none.
    falls = []
    previous_q, previous = 0, None
    for q, value in enumerate(values[:triwulan], start=1):
        if value is None:
            continue
        if previous is not None and value < previous:
            falls.append((previous_q, previous, q, value))
        previous_q, previous = q, value
    return falls


def _budget_checks(renja: Renja, anggaran: dict[str, Anggaran], tw: int) -> Iterator[Pemeriksaan]:
    for node in renja.nodes:
        a = anggaran[node.kode]
        realisasi = nilai_tahun(a.triwulan, node.agregasi_rp, tw)
        if a.pagu is not None and realisasi is not None and realisasi > a.pagu:
            yield Pemeriksaan(
                node.kode,
                Jenis.REALISASI_MELEBIHI_PAGU,
                f"realisasi Rp {_rp(realisasi)} melebihi pagu Rp {_rp(a.pagu)}",
                tercetak=a.pagu,
                hitung=realisasi,
            )
        if a.pagu_sendiri and a.pagu_anak is not None and a.pagu_anak != node.pagu:
            yield Pemeriksaan(
                node.kode,
                Jenis.PAGU_ANAK_TIDAK_SAMA,
                f"pagu Rp {_rp(node.pagu)} tidak sama dengan jumlah pagu di bawahnya "
                f"Rp {_rp(a.pagu_anak)} (selisih Rp {_rp(a.pagu_anak - node.pagu)})",  # type: ignore[operator]
                tercetak=node.pagu,
                hitung=a.pagu_anak,
            )
        if a.realisasi_sendiri:
            anak = nilai_tahun(a.triwulan_anak, node.agregasi_rp, tw)
            if anak is not None and realisasi is not None and anak != realisasi:
                yield Pemeriksaan(
                    node.kode,
                    Jenis.REALISASI_ANAK_TIDAK_SAMA,
                    f"realisasi Rp {_rp(realisasi)} s.d. triwulan {_ROMAWI[tw - 1]} tidak sama "
                    f"dengan jumlah realisasi di bawahnya Rp {_rp(anak)}",
                    tercetak=realisasi,
                    hitung=anak,
                )
        if node.agregasi_rp is Agregasi.PROGRESIF and a.realisasi_sendiri:
            for q1, v1, q2, v2 in _falling(node.triwulan_rp, tw):
                yield Pemeriksaan(
                    node.kode,
                    Jenis.NILAI_KUMULATIF_TURUN,
                    f"realisasi Rp triwulan {_ROMAWI[q2 - 1]} ({_rp(v2)}) lebih kecil dari "
                    f"triwulan {_ROMAWI[q1 - 1]} ({_rp(v1)})",
                    tercetak=v1,
                    hitung=v2,
                )


def _indikator_checks(baris: Sequence[Baris], tw: int) -> Iterator[Pemeriksaan]:
    for line in baris:
        item = line.indikator
        kode = line.node.kode
        if item.agregasi is Agregasi.PROGRESIF:
            for q1, v1, q2, v2 in _falling(item.triwulan, tw):
                yield Pemeriksaan(
                    kode,
                    Jenis.NILAI_KUMULATIF_TURUN,
                    f"realisasi K triwulan {_ROMAWI[q2 - 1]} ({format_nilai(v2)}) lebih kecil dari "
                    f"triwulan {_ROMAWI[q1 - 1]} ({format_nilai(v1)})",
                    indikator=item.teks,
                    tercetak=v1,
                    hitung=v2,
                )
        if not item.target and line.realisasi:
            yield Pemeriksaan(
                kode,
                Jenis.REALISASI_TANPA_TARGET,
                f"ada realisasi K {format_nilai(line.realisasi)} tetapi target kosong atau 0: "
                "capaian tidak dapat dihitung",
                indikator=item.teks,
                hitung=line.realisasi,
            )
        if item.capaian_tercetak is not None:
            shown = None if line.capaian is None else round_half_up(line.capaian, 2)
            if not agrees_as_printed(item.capaian_tercetak, line.capaian):
                hasil = "tidak terdefinisi" if shown is None else format_angka(shown)
                yield Pemeriksaan(
                    kode,
                    Jenis.CAPAIAN_TERCETAK_BERBEDA,
                    f"capaian tercetak {format_angka(item.capaian_tercetak)} tidak sama dengan "
                    f"hasil hitung {hasil}",
                    indikator=item.teks,
                    tercetak=item.capaian_tercetak,
                    hitung=shown,
                )


def _parent_checks(renja: Renja) -> Iterator[Pemeriksaan]:
    """Name every node whose parent the plan does not hold: a part of a plan (the kegiatan of one
    unit without their program) is evaluated as it is, and the reader is told so."""
    for node in renja.nodes:
        parent = parent_kode(node)
        if parent is not None and renja.node(parent) is None:
            above = "program" if node.tingkat is Tingkat.KEGIATAN else "kegiatan"
            yield Pemeriksaan(
                node.kode,
                Jenis.INDUK_TIDAK_ADA,
                f"{node.tingkat.value.replace('_', ' ')} {node.kode} berada di bawah {above} "
                f"{parent} yang tidak ada di data; dievaluasi tanpa induknya",
            )


def check_renja(
    renja: Renja, anggaran: dict[str, Anggaran], baris: Sequence[Baris], triwulan: int
) -> list[Pemeriksaan]:
    """Return every disagreement in the Renja's figures up to a quarter, in printed order."""
    found = [
        *_parent_checks(renja),
        *_budget_checks(renja, anggaran, triwulan),
        *_indikator_checks(baris, triwulan),
    ]
    # The printed place of a code (its last, if printed twice), for the codes with findings only;
    # a code the plan does not have goes after all of them.
    kodes = {p.kode for p in found}
    order = {node.kode: i for i, node in enumerate(renja.nodes) if node.kode in kodes}
    last = len(order) if len(order) == len(kodes) else len({n.kode for n in renja.nodes})
    found.sort(key=lambda p: order.get(p.kode, last))
    return found
