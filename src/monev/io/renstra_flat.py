"""The flat format of a Renstra PD: one line per indicator, in CSV or XLSX (docs/format-renstra.md).

Columns (the header row names them; order is free; names are case-insensitive):

- `kode` (required): the node's code in any printed shape (`2.07.03.2.01`, `2.07.03.201`);
- `tingkat` (required): `program`, `kegiatan` or `sub_kegiatan`;
- `nama`: the node's name (on its first line; later lines of the same code may leave it blank);
- `sasaran`: the Renstra objective the node serves;
- `indikator`: the indicator's text; a line without one carries the node's Rp figures only;
- `satuan`; `polaritas` (`positif` | `negatif`, default positif);
  `agregasi` (`progresif` | `akumulatif` | `rata_rata`, default progresif), as in the Renja;
- `target_akhir_k`: the indicator's target at the end of the period;
- `target_akhir_rp`: the node's budget target for the whole period (first line of the node);
- `k_<tahun>`, `rp_<tahun>` for each year of the period (`k_2025`, `rp_2025`, …): the year's
  target (K of the indicator; Rp of the node, on its first line);
- `realisasi_k_<tahun>`, `realisasi_rp_<tahun>` (optional): the realisation of a year before
  monev was used, entered by hand (years held in monev take their verified evaluation instead).

Numbers are read in machine form (`1234.5`) or Indonesian notation (`1.234,5`). Every problem of
the file is reported at once, with its line and column; nothing is returned half-read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from monev.core.codes import KodeError, Tingkat, read_kode
from monev.core.numbers import AngkaError, parse_angka
from monev.core.renstra import (
    IndikatorPeriode,
    NilaiTahun,
    RenstraPeriode,
    SimpulPeriode,
    Sumber,
)
from monev.core.rules import Agregasi, Polaritas
from monev.io.flat import InputError, Masalah, Sheet, read_rows

COLUMNS = (
    "kode",
    "tingkat",
    "nama",
    "sasaran",
    "indikator",
    "satuan",
    "polaritas",
    "agregasi",
    "target_akhir_k",
    "target_akhir_rp",
)
_YEAR_COLUMN = re.compile(r"^(k|rp|realisasi_k|realisasi_rp)_(\d{4})$")
_TINGKAT = {
    "program": Tingkat.PROGRAM,
    "kegiatan": Tingkat.KEGIATAN,
    "sub_kegiatan": Tingkat.SUB_KEGIATAN,
    "subkegiatan": Tingkat.SUB_KEGIATAN,
}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class _Draft:
    kode: str
    tingkat: Tingkat
    nama: str = ""
    sasaran: str = ""
    target_akhir_rp: Decimal | None = None
    rp: dict[int, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)
    indikator: list[IndikatorPeriode] = field(default_factory=list)
    rp_seen: bool = False


def parse_renstra(sheet: Sheet, tahun_awal: int, tahun_akhir: int) -> RenstraPeriode:
    """Return the Renstra written in a sheet for the period; raise `InputError` with every problem."""
    problems: list[Masalah] = []

    def problem(pesan: str, baris: int | None = None, kolom: str | None = None) -> None:
        problems.append(Masalah(pesan, sheet.name, baris, kolom, sheet.lembar))

    header_at = next((i for i, row in enumerate(sheet.rows) if any(_text(c) for c in row)), None)
    if header_at is None:
        problem("berkas kosong")
        raise InputError(problems)
    names = [_text(c).lower().replace(" ", "_") for c in sheet.rows[header_at]]
    pos = {n: i for i, n in reversed(list(enumerate(names))) if n}
    for required in ("kode", "tingkat"):
        if required not in pos:
            problem(f"kolom wajib '{required}' tidak ada di baris judul", header_at + 1)
    years: dict[int, dict[str, int]] = {}
    for name, i in pos.items():
        match = _YEAR_COLUMN.match(name)
        if match is None:
            if name not in COLUMNS:
                problem(f"kolom '{name}' tidak dikenal", header_at + 1, name)
            continue
        tahun = int(match.group(2))
        if not tahun_awal <= tahun <= tahun_akhir:
            problem(
                f"tahun {tahun} di luar periode {tahun_awal}–{tahun_akhir}", header_at + 1, name
            )
            continue
        years.setdefault(tahun, {})[match.group(1)] = i
    if problems:
        raise InputError(problems)

    drafts: dict[str, _Draft] = {}
    for number, row in enumerate(sheet.rows[header_at + 1 :], start=header_at + 2):
        cells = [_text(c) for c in row]
        if not any(cells):
            continue

        def cell(name: str, _cells: list[str] = cells) -> str:
            i = pos.get(name)
            return _cells[i] if i is not None and i < len(_cells) else ""

        def number_of(
            name: str, i: int | None = None, _row: list[object] = row, _n: int = number
        ) -> Decimal | None:
            at = pos.get(name) if i is None else i
            if at is None or at >= len(_row):
                return None
            try:
                return parse_angka(_row[at], dot_is_thousands="," in _text(_row[at]))
            except AngkaError as exc:
                problem(str(exc), _n, name if i is None else names[at])
                return None

        try:
            kode, tingkat_kode = read_kode(cell("kode"))
        except KodeError as exc:
            problem(f"kode tidak terbaca: {exc}", number, "kode")
            continue
        tingkat = _TINGKAT.get(cell("tingkat").lower().replace(" ", "_"))
        if tingkat is None:
            problem(f"tingkat '{cell('tingkat')}' tidak dikenal", number, "tingkat")
            continue
        if tingkat is not tingkat_kode:
            problem(f"kode {kode} bukan kode {tingkat.value}", number, "kode")
            continue
        draft = drafts.setdefault(kode, _Draft(kode, tingkat))
        draft.nama = draft.nama or cell("nama")
        draft.sasaran = draft.sasaran or cell("sasaran")
        akhir_rp = number_of("target_akhir_rp")
        rp = {
            y: (
                number_of("", c["rp"]) if "rp" in c else None,
                number_of("", c["realisasi_rp"]) if "realisasi_rp" in c else None,
            )
            for y, c in years.items()
        }
        if akhir_rp is not None or any(v != (None, None) for v in rp.values()):
            if draft.rp_seen:
                problem(f"angka Rp {kode} sudah diberikan di baris sebelumnya", number)
            draft.rp_seen, draft.target_akhir_rp, draft.rp = True, akhir_rp, rp
        teks = cell("indikator")
        if not teks:
            continue
        try:
            polaritas = Polaritas(cell("polaritas").lower() or "positif")
            agregasi = Agregasi(cell("agregasi").lower().replace("-", "_") or "progresif")
        except ValueError:
            problem(
                "polaritas harus positif/negatif dan agregasi progresif/akumulatif/rata_rata",
                number,
            )
            continue
        k = tuple(
            NilaiTahun(
                y,
                number_of("", c["k"]) if "k" in c else None,
                real := (number_of("", c["realisasi_k"]) if "realisasi_k" in c else None),
                Sumber.MANUAL if real is not None else Sumber.KOSONG,
            )
            for y, c in sorted(years.items())
        )
        draft.indikator.append(
            IndikatorPeriode(
                teks, cell("satuan"), agregasi, polaritas, number_of("target_akhir_k"), k
            )
        )
    if not drafts and not problems:
        problem("berkas tidak memuat baris data")
    if problems:
        raise InputError(problems)
    return RenstraPeriode(
        tahun_awal,
        tahun_akhir,
        tuple(
            SimpulPeriode(
                d.kode,
                d.tingkat,
                d.nama,
                d.target_akhir_rp,
                tuple(
                    NilaiTahun(y, t, r, Sumber.MANUAL if r is not None else Sumber.KOSONG)
                    for y, (t, r) in sorted(d.rp.items())
                ),
                tuple(d.indikator),
            )
            for d in drafts.values()
        ),
    )


def read_renstra(
    path: Path, tahun_awal: int, tahun_akhir: int, data: bytes | None = None
) -> RenstraPeriode:
    """Return the Renstra in a CSV or XLSX file; raise `InputError` with every problem found."""
    return parse_renstra(read_rows(path, data), tahun_awal, tahun_akhir)
