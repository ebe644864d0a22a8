"""Build the Renja from the printed lines: nodes, indicators, budgets, and the report's metadata."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING

from monev.core.budget import parent_kode
from monev.core.codes import Tingkat
from monev.core.model import Indikator, Node, Renja
from monev.core.numbers import round_half_up
from monev.core.rules import Agregasi, Polaritas, capaian, nilai_tahun
from monev.io.flat import read_flat
from monev.io.legacy.cells import agregasi_of, polaritas_of
from monev.io.legacy.corrections import confirm_by_summary
from monev.io.legacy.layout import SLOTS
from monev.io.legacy.model import (
    RATA_RATA_KEGIATAN_PROGRAM,
    Doubt,
    LegacyReport,
    Notice,
    Place,
    PrintedLine,
    Signature,
    SummaryLine,
)
from monev.io.legacy.summary import (
    pemda_in,
    perangkat_daerah_in,
    program_name_of,
    signature_year,
    triwulan_in,
    year_in,
)

if TYPE_CHECKING:
    from monev.io.legacy.scan import Scan

#: The slots of an indicator (K); a line with none of them is a node without indicator.
_K_SLOTS = tuple(slot for slot in SLOTS if slot.endswith("_k"))
_RP_SLOTS = (
    "target_renstra_rp",
    "realisasi_lalu_rp",
    "pagu",
    "tw1_rp",
    "tw2_rp",
    "tw3_rp",
    "tw4_rp",
)

_NOT_WORD = re.compile(r"[^a-z0-9]+")


@dataclass
class _Draft:
    kode: str
    tingkat: Tingkat
    lines: list[PrintedLine] = field(default_factory=list)


def _normal_name(text: str) -> str:
    return _NOT_WORD.sub(" ", text.lower()).strip()


def _same_name(a: str, b: str) -> bool:
    """Return whether two printed names are the same name (allowing for OCR damage)."""
    x, y = _normal_name(a), _normal_name(b)
    return x == y or SequenceMatcher(None, x, y).ratio() >= 0.75


def _next_free(kode: str, used: set[str]) -> str | None:
    head, _, last = kode.rpartition(".")
    width = len(last)
    for number in range(int(last) + 1, 10**width):
        candidate = f"{head}.{number:0{width}d}"
        if candidate not in used:
            return candidate
    return None


def _assign_codes(
    lines: Sequence[PrintedLine], notices: list[Notice], doubts: list[Doubt]
) -> list[PrintedLine]:
    """Give a node printed with the code of another (an OCR or typing slip) the next free code."""
    used = {line.kode for line in lines if line.kode}
    first_name: dict[str, str] = {}
    out: list[PrintedLine] = []
    for line in lines:
        kode = line.kode
        if kode is None or kode not in first_name:
            if kode is not None:
                first_name[kode] = line.nama
            out.append(line)
            continue
        if not line.nama or not first_name[kode] or _same_name(line.nama, first_name[kode]):
            out.append(line)
            continue
        new = _next_free(kode, used)
        if new is None:
            out.append(line)
            continue
        used.add(new)
        first_name[new] = line.nama
        note = f"kode tercetak sama dengan {kode} (nama lain); diberi kode {new} (dugaan)"
        notices.append(Notice(f"'{line.nama}': {note}", line.tempat))
        doubts.append(Doubt(line.kode_asli, line.tempat.at("kode"), note))
        out.append(replace(line, kode=new, ragu=True, catatan=(*line.catatan, note)))
    return out


def _has_k(line: PrintedLine) -> bool:
    return bool(line.indikator) or any(line.value(s) is not None for s in _K_SLOTS)


def _duplicate(draft: _Draft, line: PrintedLine) -> bool:
    return any(
        other.indikator.casefold() == line.indikator.casefold() and other.nilai == line.nilai
        for other in draft.lines
    )


def _drafts(
    lines: Sequence[PrintedLine], notices: list[Notice], unplaced: list[Doubt]
) -> list[_Draft]:
    drafts: dict[str, _Draft] = {}
    current: _Draft | None = None
    for line in lines:
        if line.kode is None or line.tingkat is None:
            if current is None:
                notices.append(
                    Notice("baris indikator tanpa program/kegiatan di atasnya", line.tempat)
                )
                unplaced += [
                    Doubt(text, line.tempat.at(slot), "baris tanpa kode")
                    for slot, text in line.teks.items()
                ]
                continue
            current.lines.append(line)
            continue
        draft = drafts.get(line.kode)
        if draft is None:
            draft = drafts[line.kode] = _Draft(line.kode, line.tingkat)
        elif _duplicate(draft, line):
            notices.append(
                Notice(f"baris {line.kode} tercetak dua kali; yang kedua diabaikan", line.tempat)
            )
            current = draft
            continue
        else:
            notices.append(
                Notice(
                    f"kode {line.kode} tercetak lagi; barisnya dianggap indikator lain dari simpul itu",
                    line.tempat,
                )
            )
        draft.lines.append(line)
        current = draft
    return list(drafts.values())


def _node(
    draft: _Draft, berkas: str, notices: list[Notice], index: dict[tuple[str, int], PrintedLine]
) -> Node:
    first = draft.lines[0]
    indikator: list[Indikator] = []
    texts: set[str] = set()
    for line in draft.lines:
        if line is not first and any(line.value(s) is not None for s in _RP_SLOTS):
            notices.append(Notice("angka Rp pada baris indikator tambahan diabaikan", line.tempat))
        if not _has_k(line):
            continue
        teks = line.indikator
        if teks.casefold() in texts:
            number = 2
            while f"{teks} ({number})".casefold() in texts:
                number += 1
            notices.append(
                Notice(f"indikator '{teks}' tercetak dua kali pada {draft.kode}", line.tempat)
            )
            teks = f"{teks} ({number})"
        texts.add(teks.casefold())
        index[(draft.kode, len(indikator))] = line
        indikator.append(
            Indikator(
                teks=teks,
                satuan="%" if line.target_persen else "",
                target_renstra=line.value("target_renstra_k"),
                realisasi_lalu=line.value("realisasi_lalu_k"),
                target=line.value("target_k"),
                target_volume=line.target_volume,
                triwulan=tuple(line.value(f"tw{q}_k") for q in range(1, 5)),  # type: ignore[arg-type]
                agregasi=_agregasi(line, "k"),
                polaritas=_polaritas(line),
                capaian_tercetak=line.value("capaian_k"),
                asal=f"{berkas}:{line.tempat.baris}",
            )
        )
    index.setdefault((draft.kode, 0), first)
    return Node(
        kode=draft.kode,
        tingkat=draft.tingkat,
        nama=next((line.nama for line in draft.lines if line.nama), ""),
        indikator=tuple(indikator),
        pagu=first.value("pagu"),
        triwulan_rp=tuple(first.value(f"tw{q}_rp") for q in range(1, 5)),  # type: ignore[arg-type]
        target_renstra_rp=first.value("target_renstra_rp"),
        realisasi_lalu_rp=first.value("realisasi_lalu_rp"),
        agregasi_rp=_agregasi(first, "rp"),
        unit=next((line.unit for line in draft.lines if line.unit), ""),
        sasaran=first.sasaran,
        keterangan=first.keterangan,
    )


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    return a is not None and b is not None and (a == b or round_half_up(a) == round_half_up(b))


def _agregasi(line: PrintedLine, side: str) -> Agregasi:
    """Return a line's aggregation: as its formula label names it, else as its printed year's
    value (column 13) implies; a level (`progresif`) when nothing tells."""
    if side == "k" and line.formula:
        return agregasi_of(line.formula)
    printed = line.value(f"realisasi_{side}")
    quarters = tuple(line.value(f"tw{q}_{side}") for q in range(1, 5))
    if printed is None or _same(nilai_tahun(quarters, Agregasi.PROGRESIF), printed):
        return Agregasi.PROGRESIF
    implied = [a for a in Agregasi if _same(nilai_tahun(quarters, a), printed)]
    return implied[0] if len(implied) == 1 else Agregasi.PROGRESIF


def _polaritas(line: PrintedLine) -> Polaritas:
    """Return a line's polarity: as its formula label names it, else as its printed capaian
    implies (the default formula for negative indicators); positive when nothing tells."""
    if "negatif" in line.formula.lower():
        return polaritas_of(line.formula)
    printed = line.value("capaian_k")
    quarters = tuple(line.value(f"tw{q}_k") for q in range(1, 5))
    year = nilai_tahun(quarters, _agregasi(line, "k"))
    target = line.value("target_k")
    if printed is None or _same(capaian(target, year), printed):
        return Polaritas.POSITIF
    if _same(capaian(target, year, Polaritas.NEGATIF), printed):
        return Polaritas.NEGATIF
    return Polaritas.POSITIF


def _match_programs(
    summary: Sequence[SummaryLine], renja: Renja, notices: list[Notice]
) -> list[SummaryLine]:
    """Return the summary with each per-program line given its program's code."""
    programs = [n for n in renja.nodes if n.tingkat is Tingkat.PROGRAM]
    per_program = [s for s in summary if s.jenis == RATA_RATA_KEGIATAN_PROGRAM]
    codes: dict[int, str] = {}
    for number, line in enumerate(per_program):
        name = _normal_name(program_name_of(line)).removeprefix("program ")
        scored = [
            (SequenceMatcher(None, name, _normal_name(p.nama).removeprefix("program ")).ratio(), p)
            for p in programs
        ]
        best = max(scored, key=lambda s: s[0], default=None)
        if best is not None and best[0] >= 0.6:
            codes[id(line)] = best[1].kode
        elif len(per_program) == len(programs):
            codes[id(line)] = programs[number].kode
            notices.append(
                Notice(
                    f"program '{program_name_of(line)}' dicocokkan menurut urutan dengan "
                    f"{programs[number].kode}",
                    line.tempat,
                )
            )
        else:
            notices.append(
                Notice(f"program '{program_name_of(line)}' tidak ditemukan di tabel", line.tempat)
            )
    return [replace(s, kode=codes[id(s)]) if id(s) in codes else s for s in summary]


def _pd_and_pemda(
    title: Sequence[str], signatures: Sequence[Signature], units: Counter[str]
) -> tuple[str, str]:
    jabatan = [s.jabatan for s in signatures if s.jabatan]
    pd = perangkat_daerah_in(title) or perangkat_daerah_in(jabatan)
    if not pd and units:
        pd = units.most_common(1)[0][0]
    return pd, pemda_in(title) or pemda_in(jabatan)


def assemble(
    berkas: str,
    scan: Scan,
    lines: Sequence[PrintedLine],
    doubts: Sequence[Doubt],
    *,
    scanned: bool,
) -> LegacyReport:
    """Return the report: the Renja built from the lines, with everything the scan found."""
    notices = list(scan.notices)
    doubt_list = list(doubts)
    unplaced = list(scan.unplaced)
    coded = _assign_codes(lines, notices, doubt_list)
    drafts = _drafts(coded, notices, unplaced)
    index: dict[tuple[str, int], PrintedLine] = {}
    nodes = [_node(d, berkas, notices, index) for d in drafts]
    present = {n.kode for n in nodes}
    for node in nodes:
        parent = parent_kode(node)
        if parent is not None and parent not in present:
            line = index[(node.kode, 0)]
            notices.append(
                Notice(f"induk {parent} dari {node.kode} tidak ada di laporan", line.tempat)
            )
    signatures = scan.signatures
    units: Counter[str] = Counter(n.unit for n in nodes if n.unit) + scan.units
    pd, pemda = _pd_and_pemda(scan.title, signatures, units)
    tahun = year_in(scan.title)
    if tahun is None and scan.years:
        tahun = Counter(scan.years).most_common(1)[0][0]
    renja = Renja(
        tuple(nodes), perangkat_daerah=pd, pemda=pemda, tahun=tahun or signature_year(signatures)
    )
    summary = _match_programs(scan.summary, renja, notices)
    if scanned:
        renja, index, corrected = confirm_by_summary(renja, index, summary)
        doubt_list += corrected
        notices += [Notice(f"dibaca ulang: {d.alasan}", d.tempat) for d in corrected]
    return LegacyReport(
        berkas=berkas,
        renja=renja,
        baris=_refresh(tuple(coded), index),
        ringkasan=tuple(summary),
        tanda_tangan=tuple(signatures),
        judul=tuple(scan.title),
        narasi=dict(scan.narasi),
        triwulan=triwulan_in(scan.title),
        dipindai=scanned,
        peringatan=tuple(notices),
        ragu=tuple(doubt_list),
        tak_terpasang=tuple(unplaced),
        indikator_baris=index,
    )


def _refresh(
    lines: tuple[PrintedLine, ...], index: dict[tuple[str, int], PrintedLine]
) -> tuple[PrintedLine, ...]:
    """Return the lines with any line a correction replaced (same place) in its stead."""
    newer = {line.tempat: line for line in index.values()}
    return tuple(newer.get(line.tempat, line) for line in lines)


def from_flat(path: Path, data: bytes | None) -> LegacyReport:
    """Return a flat-format file as a report, so that its printed capaian can be checked too."""
    renja = read_flat(path, data)
    index: dict[tuple[str, int], PrintedLine] = {}
    lines: list[PrintedLine] = []
    for node in renja.nodes:
        for number, item in enumerate(node.indikator or (Indikator(),)):
            baris = int(item.asal.rpartition(":")[2]) if item.asal else None
            line = PrintedLine(
                tempat=Place(path.name, baris=baris),
                kode_asli=node.kode,
                kode=node.kode,
                tingkat=node.tingkat,
                nama=node.nama if number == 0 else "",
                indikator=item.teks,
                nilai={"capaian_k": item.capaian_tercetak},
            )
            index[(node.kode, number)] = line
            lines.append(line)
    return LegacyReport(berkas=path.name, renja=renja, baris=tuple(lines), indikator_baris=index)
