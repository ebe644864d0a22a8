"""One import model for the tables pemda have: any layout, with or without codes.

Three steps, as for every import: read the cells with their place (file, sheet or page, table,
line, column); map the columns by the meaning of their headers, decide each column's notation,
detect levels, join K and Rp tables, sum account lines, convert periods into quarters, validate
everything and collect every problem with its place; then build the Renja (or nothing). The
mapping used is part of the result, so that it can be shown, changed, saved and given again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from monev.core.checks import Jenis, Pemeriksaan, induk_tidak_ada
from monev.core.evaluation import evaluate
from monev.core.model import Renja
from monev.io.flat import InputError, Masalah
from monev.io.legacy.grid import Grid, read_grids
from monev.io.tabel.baca import Bacaan, read_rows
from monev.io.tabel.bangun import Susunan, build
from monev.io.tabel.cek import check
from monev.io.tabel.model import ABAIKAN, Pemetaan, Temuan, normal_header
from monev.io.tabel.nomenklatur import Entri
from monev.io.tabel.temukan import Pencarian, Tabel, find_tables


@dataclass
class HasilTabel:
    """What reading a table yields: the plan, the mapping used, and every finding."""

    berkas: str
    renja: Renja
    tabel: list[Tabel]
    susunan: Susunan
    bacaan: Bacaan
    pemetaan: Pemetaan
    #: Printed figures that disagree (jenis "angka"), doubts and notices about the reading.
    temuan: list[Temuan] = field(default_factory=list)
    #: The engine's own checks of the figures (budget roll-up, falling levels, missing parents).
    pemeriksaan: list[Pemeriksaan] = field(default_factory=list)

    @property
    def tahun_tercetak(self) -> int | None:
        """The year the title above the first table prints (`Tahun 2023`), if it prints one."""
        return printed_year(self.tabel)


def printed_year(tables: Sequence[Tabel]) -> int | None:
    """Return the year the titles above the tables print (`Tahun 2023`), if one does."""
    for table in tables:
        for line in table.judul_atas:
            match = _YEAR.search(line)
            if match:
                return int(match.group(1))
    return None


_YEAR = re.compile(r"(?i)\b(?:tahun|ta\.?|periode)\s*(?:anggaran\s*)?(20\d\d)\b")


def no_table(berkas: str, search: Pencarian) -> InputError:
    """The refusal of a file without a recognisable table, naming the nearest header seen."""
    message = (
        "tabel tidak ditemukan: tidak ada baris judul kolom yang memuat nama (uraian, program/"
        "kegiatan) atau kode, dan kolom angka (target, realisasi, pagu, capaian)"
    )
    if search.terdekat is not None:
        place, texts = search.terdekat
        shown = " | ".join(texts)[:160]
        message += f"; judul terdekat yang terbaca di {place}: '{shown}'"
    return InputError([Masalah(message, berkas)])


def parse_tables(
    grids: list[Grid],
    berkas: str,
    pemetaan: Pemetaan | None = None,
    nomenklatur: Sequence[Entri] | None = None,
) -> HasilTabel:
    """Return the plan written in the tables of a file's grids; raise `InputError` with every
    problem and every open question. Nodes without codes are matched against `nomenklatur`."""
    pemetaan = pemetaan or Pemetaan()
    search, tables, bacaan = read_stage(grids, berkas, pemetaan)
    problems = problems_of(berkas, bacaan)
    if problems:
        raise InputError(problems)
    return build_stage(grids, berkas, search, tables, bacaan, pemetaan, nomenklatur)


def read_stage(
    grids: list[Grid], berkas: str, pemetaan: Pemetaan
) -> tuple[Pencarian, list[Tabel], Bacaan]:
    """Find the tables and read their rows (the first two steps); raise `InputError` when the
    file holds no table."""
    search = find_tables(grids, pemetaan)
    tables = [t for t in search.tabel if t.baris]
    if not tables:
        raise no_table(berkas, search)
    return search, tables, read_rows(tables, pemetaan)


def problems_of(berkas: str, bacaan: Bacaan) -> list[Masalah]:
    """Return what stops a plan being built from the rows read: problems and open questions."""
    problems = [Masalah(f"{place}: {text}") for place, text in bacaan.masalah]
    problems += [Masalah(str(q)) for q in bacaan.pertanyaan]
    if not problems and not bacaan.simpul:
        problems.append(
            Masalah(f"{berkas}: tidak ada baris program/kegiatan/sub kegiatan yang terbaca")
        )
    return problems


def build_stage(
    grids: list[Grid],
    berkas: str,
    search: Pencarian,
    tables: list[Tabel],
    bacaan: Bacaan,
    pemetaan: Pemetaan,
    nomenklatur: Sequence[Entri] | None,
) -> HasilTabel:
    """Build the plan from rows read without a problem, check it, and return it with the
    mapping used (the last step)."""
    susunan = build(bacaan, tables, pemetaan.agregasi_k, pemetaan.agregasi_rp, nomenklatur)
    notes = [Temuan(text, place, "catatan") for place, text in search.catatan]
    scanned = {(g.berkas, g.lembar) for g in grids if g.ocr}
    figures = [_doubt_if_scanned(t, scanned) for t in check(bacaan, susunan)]
    temuan = [*figures, *bacaan.temuan, *susunan.temuan, *notes]
    evaluasi = evaluate(susunan.renja)
    pemeriksaan = [
        *induk_tidak_ada(susunan.renja),
        *(p for p in evaluasi.pemeriksaan if p.jenis is not Jenis.CAPAIAN_TERCETAK_BERBEDA),
    ]
    return HasilTabel(
        berkas,
        susunan.renja,
        tables,
        susunan,
        bacaan,
        used_mapping(tables, bacaan, susunan, pemetaan),
        temuan,
        pemeriksaan,
    )


def _doubt_if_scanned(temuan: Temuan, scanned: set[tuple[str, str | None]]) -> Temuan:
    """A printed figure of an OCR'd page that does not fit the others is doubtful, not trusted:
    the disagreement may be a misread digit."""
    if temuan.jenis != "angka" or (temuan.tempat.berkas, temuan.tempat.lembar) not in scanned:
        return temuan
    return Temuan(
        f"{temuan.pesan} (halaman hasil OCR: angka ini diragukan, mungkin salah baca)",
        temuan.tempat,
        "ragu",
    )


def used_mapping(
    tables: list[Tabel], bacaan: Bacaan, susunan: Susunan, given: Pemetaan
) -> Pemetaan:
    """Return the mapping that was used: every column's field and notation, what was assumed."""
    used = Pemetaan(
        tingkat_teratas=given.tingkat_teratas,
        triwulan=given.triwulan,
        nama=dict(given.nama),
        agregasi_k=given.agregasi_k,
        agregasi_rp=given.agregasi_rp,
    )
    for table in tables:
        for kolom in table.kolom:
            key = normal_header(kolom.judul)
            if not key:
                continue
            used.kolom.setdefault(key, kolom.isi or ABAIKAN)
            notation = bacaan.notasi.get((table.nomor, kolom.indeks))
            if notation:
                used.notasi.setdefault(key, notation)
    return used


def read_table(
    path: Path,
    data: bytes | None = None,
    pemetaan: Pemetaan | None = None,
    nomenklatur: Sequence[Entri] | None = None,
) -> HasilTabel:
    """Return the plan in a table file (CSV, XLSX/XLS/ODS, text, PDF); raise `InputError`."""
    return parse_tables(read_grids(path, data), path.name, pemetaan, nomenklatur)


__all__ = ["HasilTabel", "Pemetaan", "parse_tables", "read_table"]
