"""A mapping preview: what a table read shows before it is saved, and the mapping to change.

The same three steps as `parse_tables`, kept apart so that a file with open questions or
problems still shows its columns and first rows (the questions are answered there): the first
rows as read, each column's field and notation, each node's detected level and code (matched
from the nomenclature with its score, or provisional), the K/Rp pairs joined, and what the
titles print (year, PD) to be compared with what the user chose.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from monev.io.flat import InputError, Masalah
from monev.io.legacy.cells import clean_text
from monev.io.legacy.grid import Grid
from monev.io.tabel import HasilTabel, build_stage, printed_year, problems_of, read_stage
from monev.io.tabel.baca import key_of
from monev.io.tabel.model import (
    ABAIKAN,
    FIELDS,
    NUMBER_FIELDS,
    Pemetaan,
    Pertanyaan,
    field_label,
    normal_header,
)
from monev.io.tabel.nomenklatur import Entri
from monev.io.tabel.temukan import Tabel

#: How many data rows of each table the preview shows as read.
BARIS_AWAL = 12
#: The choices of a column's field, with their labels, in the order a select lists them.
PILIHAN_ISI = tuple((name, field_label(name)) for name in FIELDS)
_PD = re.compile(
    r"(?i)\b((?:dinas|badan|sekretariat|inspektorat|kantor|satuan\s+polisi|rumah\s+sakit|"
    r"kecamatan)\b[^(\n;]*)"
)

#: Where an agency's name printed in a title ends: the period that follows it.
_PD_END = re.compile(r"(?i)\s+(?:tahun|ta\.|triwulan|semester|periode|s\.?\s?d\.?|sampai)\b")


@dataclass(frozen=True, slots=True)
class KolomPratinjau:
    tabel: int
    indeks: int
    judul: str
    #: The mapping key of the column (its header, normalised).
    kunci: str
    isi: str
    notasi: str | None
    angka: bool
    #: Whether the column's notation is an open question (answered with radio buttons).
    ditanyakan: bool = False
    #: An earlier table's column with the same header carries the field (one key, one field).
    sama_dengan: int | None = None


@dataclass(frozen=True, slots=True)
class SimpulPratinjau:
    tempat: str
    tingkat: str
    kode: str
    kode_tercetak: str
    sementara: bool
    nama: str
    #: The name as printed (the key of a correction in the mapping's `nama`).
    nama_tercetak: str
    cocok_nama: str = ""
    cocok_sumber: str = ""
    #: The similarity of the matched nomenclature name, in whole per cents.
    cocok_skor: int | None = None


@dataclass
class TabelPratinjau:
    nomor: int
    tempat: str
    kolom: list[KolomPratinjau]
    #: The header rows and the first data rows, cell texts as read.
    baris: list[list[str]]
    jumlah_baris: int


@dataclass
class Pratinjau:
    berkas: str
    tabel: list[TabelPratinjau]
    pemetaan: Pemetaan
    pertanyaan: list[Pertanyaan] = field(default_factory=list)
    masalah: list[str] = field(default_factory=list)
    hasil: HasilTabel | None = None
    simpul: list[SimpulPratinjau] = field(default_factory=list)
    #: (K name, Rp name, similarity in per cents) of every K node joined to an Rp node.
    gabungan: list[tuple[str, str, int]] = field(default_factory=list)
    tahun_tercetak: int | None = None
    pd_tercetak: str | None = None
    #: How many nodes were read, and how many of them got a provisional code (`simpul` may
    #: hold only the first of them: a page lists no more than it can show).
    jumlah_simpul: int = 0
    jumlah_sementara: int = 0

    @property
    def kolom_dobel(self) -> list[str]:
        """A notice for every field two columns of one table are mapped to (the first is used)."""
        out = []
        for table in self.tabel:
            seen: dict[str, KolomPratinjau] = {}
            for k in table.kolom:
                if k.isi == ABAIKAN:
                    continue
                if k.isi in seen:
                    first = seen[k.isi]
                    out.append(
                        f"Tabel {table.nomor}: kolom '{k.judul}' dan '{first.judul}' sama-sama "
                        f"berisi {field_label(k.isi)}; yang dipakai kolom '{first.judul}'"
                    )
                else:
                    seen[k.isi] = k
        return out

    @property
    def pertanyaan_kolom(self) -> list[tuple[Pertanyaan, str]]:
        """Each open question with the mapping key of the column it is about."""
        return [(q, normal_header(q.tempat.kolom or "")) for q in self.pertanyaan]


def printed_pd(tables: Sequence[Tabel]) -> str | None:
    """Return the agency the titles above the tables name (`DINAS KESEHATAN`), if one does."""
    for table in tables:
        for line in table.judul_atas:
            match = _PD.search(line)
            if match:
                name = _PD_END.split(match.group(1))[0]
                return " ".join(name.split()).rstrip(" -–,.:")
    return None


def pd_differs(printed: str | None, chosen: str) -> bool:
    """Whether the agency a file prints is not the one chosen (names compared loosely)."""
    if not printed:
        return False
    a, b = key_of(printed), key_of(chosen)
    if not a or not b or a in b or b in a:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() < 0.8


def _first_rows(table: Tabel, count: int) -> list[list[str]]:
    grid = table.grid
    rows = [grid.rows[i] for i in table.judul_baris]
    rows += [g.rows[i] for g, i in table.baris[:count]]
    width = max((len(r) for r in rows), default=0)
    return [[clean_text(c) for c in r] + [""] * (width - len(r)) for r in rows]


def _columns(
    tables: Sequence[Tabel], notasi: Mapping[tuple[int, int], str | None], open_keys: set[str]
) -> list[TabelPratinjau]:
    out: list[TabelPratinjau] = []
    first_table: dict[str, int] = {}
    for table in tables:
        kolom = []
        for k in table.kolom:
            key = normal_header(k.judul)
            isi = k.isi or ABAIKAN
            earlier = first_table.get(key) if key else None
            if key and earlier is None:
                first_table[key] = table.nomor
            kolom.append(
                KolomPratinjau(
                    table.nomor,
                    k.indeks,
                    k.judul,
                    key,
                    isi,
                    notasi.get((table.nomor, k.indeks)),
                    isi in NUMBER_FIELDS or ":" in isi,
                    key in open_keys,
                    earlier,
                )
            )
        place = ", ".join(
            p for p in (table.grid.berkas, table.grid.lembar and f"lembar {table.grid.lembar}") if p
        )
        out.append(
            TabelPratinjau(
                table.nomor, place, kolom, _first_rows(table, BARIS_AWAL), len(table.baris)
            )
        )
    return out


def _given_mapping(tables: Sequence[Tabel], given: Pemetaan, notasi: Mapping[Any, Any]) -> Pemetaan:
    """The mapping shown when nothing could be built: what was given and what was recognised."""
    shown = Pemetaan.from_json(given.to_json())
    for table in tables:
        for k in table.kolom:
            key = normal_header(k.judul)
            if key:
                shown.kolom.setdefault(key, k.isi or ABAIKAN)
                chosen = notasi.get((table.nomor, k.indeks))
                if chosen:
                    shown.notasi.setdefault(key, chosen)
    return shown


def preview(
    grids: list[Grid],
    berkas: str,
    pemetaan: Pemetaan | None = None,
    nomenklatur: Sequence[Entri] | None = None,
) -> Pratinjau:
    """Return the preview of a table file read with `pemetaan`; raise `InputError` only when
    the file holds no table at all (problems and questions are part of the preview)."""
    given = pemetaan or Pemetaan()
    search, tables, bacaan = read_stage(grids, berkas, given)
    open_keys = {normal_header(q.tempat.kolom or "") for q in bacaan.pertanyaan}
    shown = Pratinjau(
        berkas,
        _columns(tables, bacaan.notasi, open_keys),
        given,
        pertanyaan=list(bacaan.pertanyaan),
        tahun_tercetak=printed_year(tables),
        pd_tercetak=printed_pd(tables),
    )
    problems = problems_of(berkas, bacaan)
    if problems:
        shown.masalah = [str(m) for m in problems if not _is_question(m, bacaan.pertanyaan)]
        shown.pemetaan = _given_mapping(tables, given, bacaan.notasi)
        return shown
    hasil = build_stage(grids, berkas, search, tables, bacaan, given, nomenklatur)
    shown.hasil = hasil
    shown.pemetaan = hasil.pemetaan
    susunan = hasil.susunan
    printed_of = {v: k for k, v in given.nama.items()}
    for node in susunan.simpul:
        kode = susunan.kode[id(node)]
        cocok = susunan.cocok.get(kode)
        shown.simpul.append(
            SimpulPratinjau(
                str(node.tempat),
                node.tingkat.value,
                kode,
                node.kode_asli,
                kode in susunan.sementara,
                node.nama,
                printed_of.get(node.nama, node.nama),
                cocok.entri.nama if cocok else "",
                " ".join(str(p) for p in (cocok.entri.regulasi, cocok.entri.tahun) if p)
                if cocok
                else "",
                round(cocok.skor * 100) if cocok else None,
            )
        )
    shown.jumlah_simpul = len(shown.simpul)
    shown.jumlah_sementara = sum(1 for s in shown.simpul if s.sementara)
    shown.gabungan = [(g.k.nama, g.rp.nama, round(g.skor * 100)) for g in susunan.gabungan]
    return shown


def _is_question(masalah: Masalah, questions: Sequence[Pertanyaan]) -> bool:
    return any(masalah.pesan == str(q) for q in questions)


def mapping_from_form(data: Mapping[str, Any], berkas: str = "pratinjau") -> Pemetaan:
    """Return the mapping a preview form describes (`kolom:<header>`, `notasi:<header>`, the
    pairs `nama_asli`/`nama`, and the assumptions); raise `InputError` naming a bad entry.

    The form is turned into the JSON `--pemetaan` reads and read by the same function, so that
    the web and the command line accept exactly the same mappings."""
    document: dict[str, Any] = {"versi": 1, "kolom": {}, "notasi": {}, "nama": {}}
    for name, value in data.items():
        kind, _, key = str(name).partition(":")
        if kind in ("kolom", "notasi") and key and value:
            document[kind][key] = value
    printed = _list(data, "nama_asli")
    corrected = _list(data, "nama")
    if len(printed) != len(corrected):
        raise InputError([Masalah("daftar nama tidak lengkap; muat ulang pratinjau", berkas)])
    for before, after in zip(printed, corrected, strict=True):
        after = " ".join(after.split())
        if after and after != before:
            document["nama"][before] = after
    for key in ("agregasi_k", "agregasi_rp", "tingkat_teratas"):
        value = data.get(key)
        if value:
            document[key] = value
    triwulan = data.get("triwulan")
    if triwulan:
        if not str(triwulan).isdigit():
            raise InputError([Masalah(f"'triwulan': '{triwulan}' harus 1 sampai 4", berkas)])
        document["triwulan"] = int(triwulan)
    return Pemetaan.from_json(json.dumps(document, ensure_ascii=False), berkas)


def _list(data: Mapping[str, Any], key: str) -> list[str]:
    getlist = getattr(data, "getlist", None)
    if getlist is not None:
        return [str(v) for v in getlist(key)]
    value = data.get(key)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
