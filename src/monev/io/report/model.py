"""The report model: one evaluation laid out as a printed form, for every renderer (XLSX, PDF).

`build_report` places the engine's figures in the columns of a layout (spec §4: E.81, E.55, or
the reference report's `ringkas`), with the title block, the multi-row header, the footer, the
summary table (spec §6) and the signature blocks. Nothing is computed here or in a renderer: every
capaian, mean, per cent and predikat is the `Evaluasi`'s own; cells only say how a value is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from monev.core.codes import Tingkat, kode_tampil
from monev.core.evaluation import Baris, Evaluasi, Rp
from monev.core.numbers import format_angka, format_nilai
from monev.core.rules import Agregasi, Polaritas
from monev.io.report.context import (
    TATA_LETAK_PD,
    Kertas,
    KonteksLaporan,
    Penandatangan,
    TataLetak,
)

ROMAWI = ("I", "II", "III", "IV")

JUDUL_KABUPATEN_KOTA = "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH LINGKUP KABUPATEN/KOTA"
JUDUL_PROVINSI = "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH LINGKUP PROVINSI"

_RUMUS = {
    Agregasi.PROGRESIF: "Formula Progresif",
    Agregasi.AKUMULATIF: "Formula Akumulatif",
    Agregasi.RATA_RATA: "Formula Rata-rata",
}


# -- cells -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Angka:
    """A number shown with the decimals it carries (`1.234.567`, `23,8`); `-` when not given."""

    nilai: Decimal | None


@dataclass(frozen=True, slots=True)
class Persen:
    """A per cent shown with two decimals, half up (`75,00`); `-` when undefined."""

    nilai: Decimal | None


@dataclass(frozen=True, slots=True)
class Target:
    """A K target with the volume behind it: `(100) 8 dokumen`."""

    nilai: Decimal | None
    volume: str


@dataclass(frozen=True, slots=True)
class RealisasiCapaian:
    """The reference report's realisation cell: the value and, below it, the capaian with its rule."""

    realisasi: Decimal | None
    capaian: Decimal | None
    rumus: str


#: A cell of the table: text, a number in one of its shapes, or None for an empty cell.
Sel = str | Angka | Persen | Target | RealisasiCapaian | None


def show(sel: Sel) -> str:
    """Return a cell as printed, in Indonesian notation."""
    if sel is None:
        return ""
    if isinstance(sel, str):
        return sel
    if isinstance(sel, Angka):
        return format_nilai(sel.nilai)
    if isinstance(sel, Persen):
        return format_angka(sel.nilai)
    if isinstance(sel, Target):
        if not sel.volume:
            return "-" if sel.nilai is None else f"({format_nilai(sel.nilai)})"
        return f"({format_nilai(sel.nilai)}) {sel.volume}"
    capaian = "-" if sel.capaian is None else f"{format_angka(sel.capaian)}%"
    return f"{format_nilai(sel.realisasi)}\n({capaian}) - {sel.rumus}"


# -- columns and header ------------------------------------------------------------------------


class Rata(StrEnum):
    KIRI = "kiri"
    KANAN = "kanan"
    TENGAH = "tengah"


class Peran(StrEnum):
    """What a column holds, for the renderers' widths and styles."""

    NOMOR = "nomor"
    TEKS = "teks"
    KODE = "kode"
    URAIAN = "uraian"  # the node's name, indented by level
    K = "k"
    RP = "rp"
    PERSEN = "persen"


@dataclass(frozen=True, slots=True)
class Kolom:
    peran: Peran
    #: Width in characters of the body font (a spreadsheet column's unit).
    lebar: float

    @property
    def rata(self) -> Rata:
        if self.peran in (Peran.K, Peran.RP, Peran.PERSEN):
            return Rata.KANAN
        if self.peran is Peran.NOMOR:
            return Rata.TENGAH
        return Rata.KIRI

    @property
    def bungkus(self) -> bool:
        """Whether the text may wrap onto more lines (numbers and codes never do)."""
        return self.peran in (Peran.TEKS, Peran.URAIAN, Peran.K)


@dataclass(frozen=True, slots=True)
class SelKepala:
    """A header cell spanning rows `baris`..`baris_akhir` and columns `kolom`..`kolom_akhir`."""

    baris: int
    kolom: int
    baris_akhir: int
    kolom_akhir: int
    teks: str

    @property
    def gabung(self) -> bool:
        return self.baris != self.baris_akhir or self.kolom != self.kolom_akhir


#: Header rows: two rows of titles, the column numbers, then K / Rp.
BARIS_KEPALA = 4
BARIS_NOMOR = 2
BARIS_K_RP = 3

_K = Kolom(Peran.K, 8)
_K_TARGET = Kolom(Peran.K, 13)
_RP = Kolom(Peran.RP, 13)
_PERSEN = Kolom(Peran.PERSEN, 8)


class _Header:
    """Collects the columns and header cells of a layout, left to right."""

    def __init__(self) -> None:
        self.kolom: list[Kolom] = []
        self.sel: list[SelKepala] = []

    def single(self, judul: str, nomor: str, kolom: Kolom) -> None:
        c = len(self.kolom)
        self.kolom.append(kolom)
        self.sel += [
            SelKepala(0, c, 1, c, judul),
            SelKepala(BARIS_NOMOR, c, BARIS_NOMOR, c, nomor),
            SelKepala(BARIS_K_RP, c, BARIS_K_RP, c, ""),
        ]

    def pair(self, judul: str, nomor: str, k: Kolom = _K, rp: Kolom = _RP) -> int:
        c = len(self.kolom)
        self.kolom += [k, rp]
        self.sel += [
            SelKepala(0, c, 1, c + 1, judul),
            SelKepala(BARIS_NOMOR, c, BARIS_NOMOR, c + 1, nomor),
            SelKepala(BARIS_K_RP, c, BARIS_K_RP, c, "K"),
            SelKepala(BARIS_K_RP, c + 1, BARIS_K_RP, c + 1, "Rp"),
        ]
        return c

    def quarters(self, judul: str, first_nomor: int) -> None:
        c = len(self.kolom)
        self.sel.append(SelKepala(0, c, 0, c + 7, judul))
        for q in range(4):
            col = c + 2 * q
            self.kolom += [_K, _RP]
            self.sel += [
                SelKepala(1, col, 1, col + 1, ROMAWI[q]),
                SelKepala(BARIS_NOMOR, col, BARIS_NOMOR, col + 1, str(first_nomor + q)),
                SelKepala(BARIS_K_RP, col, BARIS_K_RP, col, "K"),
                SelKepala(BARIS_K_RP, col + 1, BARIS_K_RP, col + 1, "Rp"),
            ]

    def cells_in_row_order(self) -> tuple[SelKepala, ...]:
        return tuple(sorted(self.sel, key=lambda s: (s.baris, s.kolom)))


# -- the report --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BarisLaporan:
    """A line of the table: an indicator of a node; `pertama` on the node's first line."""

    tingkat: Tingkat
    pertama: bool
    sel: tuple[Sel, ...]


@dataclass(frozen=True, slots=True)
class BarisRingkasan:
    """A line of the reference report's summary table (spec §6)."""

    uraian: str
    capaian: Decimal | None
    pagu: Decimal | None = None
    realisasi: Decimal | None = None
    persen: Decimal | None = None


@dataclass(frozen=True, slots=True)
class BlokTandaTangan:
    judul: str  # `Disusun` or `Dievaluasi`
    tempat_tanggal: str
    jabatan: str
    nama: str
    nip: str


@dataclass(frozen=True, slots=True)
class Laporan:
    tata_letak: TataLetak
    kertas: Kertas
    judul: tuple[str, ...]
    kolom: tuple[Kolom, ...]
    kepala: tuple[SelKepala, ...]  # in row order
    baris: tuple[BarisLaporan, ...]
    #: Column of the K figure under which the footer's means stand (the Rp figure is the next).
    kolom_capaian: int
    #: The columns that identify a line (labels of the footer span them).
    kolom_identitas: int
    ringkasan: tuple[BarisRingkasan, ...]
    rata_rata_capaian_k: Decimal | None
    predikat_k: str | None
    persen_realisasi_rp: Decimal | None
    predikat_rp: str | None
    narasi: tuple[tuple[str, str], ...]
    tanda_tangan: tuple[BlokTandaTangan, BlokTandaTangan]  # left, right
    perangkat_daerah: str
    triwulan: int
    #: Not verified: every page and the first rows carry `TANDA_DRAF`.
    draf: bool = False


# -- layouts -----------------------------------------------------------------------------------


def _years(tahun: int | None) -> tuple[str, str]:
    if tahun is None:
        return "Tahun Lalu", "Tahun Berjalan"
    return f"Tahun Lalu ({tahun - 1})", f"Tahun Berjalan (Tahun {tahun})"


def header_e81(tahun: int | None, with_capaian: bool, rkpd: bool = False) -> tuple[_Header, int]:
    """Return the E.81 header (E.55 `with_capaian`); `rkpd`: the pemda's consolidation (E.79),
    whose year's columns are the RKPD's and whose lines name the PD responsible."""
    lalu, berjalan = _years(tahun)
    dokumen = "RKPD" if rkpd else "Renja Perangkat Daerah"
    sd = f"s/d Tahun {tahun}" if tahun else "s/d Tahun Berjalan"
    h = _Header()
    h.single("No", "1", Kolom(Peran.NOMOR, 4))
    h.single("Sasaran", "2", Kolom(Peran.TEKS, 10))
    h.single("Kode", "3", Kolom(Peran.KODE, 16))
    h.single(
        "Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan"
        + ("" if rkpd else "/Sub Kegiatan"),
        "4",
        Kolom(Peran.URAIAN, 30),
    )
    h.single("Indikator Kinerja Program (outcome)/Kegiatan (output)", "5", Kolom(Peran.TEKS, 28))
    h.pair("Target Renstra Perangkat Daerah pada Tahun Akhir Periode Renstra", "6")
    h.pair(
        f"Realisasi Capaian Kinerja Renstra Perangkat Daerah s/d Renja Perangkat Daerah {lalu}",
        "7",
    )
    h.pair(
        f"Target Kinerja dan Anggaran {dokumen} {berjalan} yang Dievaluasi",
        "8",
        k=_K_TARGET,
    )
    h.quarters("Realisasi Kinerja pada Triwulan", 9)
    capaian = h.pair(f"Realisasi Capaian Kinerja dan Anggaran {dokumen} yang Dievaluasi", "13")
    n = 14
    if with_capaian:
        capaian = h.pair(
            f"Tingkat Capaian Kinerja dan Realisasi Anggaran {dokumen} yang Dievaluasi (%)",
            str(n),
            k=_PERSEN,
            rp=_PERSEN,
        )
        n += 1
    h.pair(f"Realisasi Kinerja dan Anggaran Renstra Perangkat Daerah {sd}", str(n))
    h.pair(
        f"Tingkat Capaian Kinerja dan Realisasi Anggaran Renstra Perangkat Daerah {sd} (%)",
        str(n + 1),
        k=_PERSEN,
        rp=_PERSEN,
    )
    penanggung_jawab = "Perangkat Daerah" if rkpd else "Unit Perangkat Daerah"
    h.single(f"{penanggung_jawab} Penanggung Jawab", str(n + 2), Kolom(Peran.TEKS, 14))
    h.single("Keterangan", str(n + 3), Kolom(Peran.TEKS, 24))
    return h, capaian


def _header_ringkas(tahun: int | None) -> tuple[_Header, int]:
    lalu, berjalan = _years(tahun)
    h = _Header()
    h.single("Kode", "1", Kolom(Peran.KODE, 16))
    h.single("Sasaran", "2", Kolom(Peran.TEKS, 10))
    h.single("Program/ Kegiatan", "3", Kolom(Peran.URAIAN, 30))
    h.single("Indikator Kinerja Program (outcome)/ Kegiatan (output)", "4", Kolom(Peran.TEKS, 28))
    h.pair("Target Renstra Perangkat Daerah pada Akhir Periode Renstra Perangkat Daerah", "5")
    h.pair(
        "Realisasi Capaian Kinerja Renstra Perangkat Daerah sampai dengan Renja Perangkat "
        f"Daerah {lalu}",
        "6",
    )
    h.pair(
        f"Target Kinerja dan Anggaran Renja Perangkat Daerah {berjalan} yang dievaluasi",
        "7",
        k=_K_TARGET,
    )
    h.quarters("Realisasi Kinerja Pada Triwulan", 8)
    capaian = h.pair(
        "Realisasi Capaian Kinerja dan Anggaran Renja Perangkat Daerah yang dievaluasi",
        "12",
        k=Kolom(Peran.K, 30),
    )
    h.single("Unit Perangkat Daerah Penanggung Jawab", "13", Kolom(Peran.TEKS, 16))
    return h, capaian


def _quarter_cells(values: tuple[Decimal | None, ...], triwulan: int) -> list[Sel]:
    # Quarters after the evaluated one are not due yet: empty, not `-` (not reported).
    return [Angka(v) if q < triwulan else None for q, v in enumerate(values)]


def _pairs(line: Baris, rp: Rp | None, triwulan: int) -> list[Sel]:
    item = line.indikator
    k_quarters = _quarter_cells(line.triwulan, triwulan)
    rp_quarters = _quarter_cells(rp.triwulan, triwulan) if rp else [None] * 4
    cells: list[Sel] = [
        Angka(item.target_renstra),
        Angka(rp.target_renstra) if rp else None,
        Angka(item.realisasi_lalu),
        Angka(rp.realisasi_lalu) if rp else None,
        Target(item.target, item.target_volume),
        Angka(rp.pagu) if rp else None,
    ]
    for k, r in zip(k_quarters, rp_quarters, strict=True):
        cells += [k, r]
    return cells


def _keterangan_e81(line: Baris, rp: Rp | None) -> str:
    # E.81 has no column for the year's capaian, the figure everyone reads first (spec §4).
    parts = [line.node.keterangan] if line.first and line.node.keterangan else []
    if line.capaian is not None:
        parts.append(f"Capaian K {format_angka(line.capaian)}% ({line.predikat})")
    if rp is not None and rp.capaian is not None:
        parts.append(f"Capaian Rp {format_angka(rp.capaian)}% ({rp.predikat})")
    return "\n".join(parts)


def row_e81(
    line: Baris, nomor: int, triwulan: int, with_capaian: bool, penanggung_jawab: str | None = None
) -> tuple[Sel, ...]:
    rp, node, first = line.rp, line.node, line.first
    cells: list[Sel] = [
        str(nomor) if first else None,
        node.sasaran if first else None,
        kode_tampil(node.kode) if first else None,
        node.nama if first else None,
        line.indikator.teks,
        *_pairs(line, rp, triwulan),
        Angka(line.realisasi),
        Angka(rp.realisasi) if rp else None,
    ]
    if with_capaian:
        cells += [Persen(line.capaian), Persen(rp.capaian) if rp else None]
    cells += [
        Angka(line.renstra_realisasi),
        Angka(rp.renstra_realisasi) if rp else None,
        Persen(line.renstra_capaian),
        Persen(rp.renstra_capaian) if rp else None,
        node.unit if penanggung_jawab is None else penanggung_jawab,
        (node.keterangan if first else None) if with_capaian else _keterangan_e81(line, rp),
    ]
    return tuple(cells)


def _rumus(line: Baris) -> str:
    rumus = _RUMUS[line.indikator.agregasi]
    if line.indikator.polaritas is Polaritas.NEGATIF:
        rumus += " (indikator negatif)"
    return rumus


def _row_ringkas(line: Baris, triwulan: int) -> tuple[Sel, ...]:
    rp, node, first = line.rp, line.node, line.first
    return (
        kode_tampil(node.kode) if first else None,
        node.sasaran if first else None,
        node.nama if first else None,
        line.indikator.teks,
        *_pairs(line, rp, triwulan),
        RealisasiCapaian(line.realisasi, line.capaian, _rumus(line)),
        Angka(rp.realisasi) if rp else None,
        node.unit,
    )


def _summary_ringkas(evaluasi: Evaluasi) -> tuple[BarisRingkasan, ...]:
    r = evaluasi.ringkasan
    lines = [BarisRingkasan("Rata-rata kinerja indikator Program", r.rata_rata_capaian_program)]
    lines += [
        BarisRingkasan(
            f"Rata-rata kinerja indikator kegiatan pada {p.nama or p.kode}",
            p.rata_rata_capaian_kegiatan,
            p.pagu,
            p.realisasi_rp,
            p.persen_realisasi_rp,
        )
        for p in r.program
    ]
    lines += [
        BarisRingkasan(
            "Rata-rata kinerja indikator kegiatan semua Program", r.rata_rata_capaian_kegiatan
        ),
        BarisRingkasan(
            "Rata-rata kinerja indikator Sub Kegiatan", r.rata_rata_capaian_sub_kegiatan
        ),
    ]
    return tuple(lines)


def _blank(text: str, filler: str) -> str:
    return text.strip() or filler


def block(judul: str, tempat_tanggal: str, who: Penandatangan, jabatan: str) -> BlokTandaTangan:
    # Empty fields print as dotted lines, to be filled in by hand on the printed form.
    return BlokTandaTangan(
        judul=judul,
        tempat_tanggal=tempat_tanggal,
        jabatan=_blank(who.jabatan, jabatan),
        nama=_blank(who.nama, "(.............................................)"),
        nip=f"NIP. {_blank(who.nip, '.............................')}",
    )


def place_and_date(konteks: KonteksLaporan) -> str:
    return f"{_blank(konteks.tempat, '....................')}, {_blank(konteks.tanggal, '....................')}"


def _signatures(
    konteks: KonteksLaporan, perangkat_daerah: str, pemda: str
) -> tuple[BlokTandaTangan, BlokTandaTangan]:
    kepala_pd = f"Kepala {perangkat_daerah}" if perangkat_daerah else "Kepala Perangkat Daerah"
    bappeda = f"Kepala Bappeda {pemda}" if pemda else "Kepala Bappeda"
    return (
        block("Dievaluasi", "", konteks.kepala_bappeda, bappeda),
        block("Disusun", place_and_date(konteks), konteks.kepala_pd, kepala_pd),
    )


def narasi(
    konteks: KonteksLaporan, dokumen: str = "Renja Perangkat Daerah"
) -> tuple[tuple[str, str], ...]:
    return (
        ("Faktor pendorong keberhasilan pencapaian", konteks.faktor_pendorong),
        ("Faktor penghambat pencapaian kinerja", konteks.faktor_penghambat),
        (
            "Tindak lanjut yang diperlukan dalam triwulan berikutnya",
            konteks.tindak_lanjut_triwulan,
        ),
        (
            f"Tindak lanjut yang diperlukan dalam {dokumen} berikutnya",
            konteks.tindak_lanjut_renja,
        ),
    )


def build_report(
    evaluasi: Evaluasi,
    konteks: KonteksLaporan | None = None,
    tata_letak: TataLetak | str = TataLetak.E81,
) -> Laporan:
    """Return the report of an evaluation in a layout (E.81 by default)."""
    konteks = konteks or KonteksLaporan()
    tata_letak = TataLetak(tata_letak)
    if tata_letak not in TATA_LETAK_PD:
        raise ValueError(f"tata letak {tata_letak} bukan formulir satu Perangkat Daerah")
    renja = evaluasi.renja
    perangkat_daerah = konteks.perangkat_daerah or renja.perangkat_daerah
    pemda = konteks.pemda or renja.pemda
    tahun = konteks.tahun if konteks.tahun is not None else renja.tahun
    tw = evaluasi.triwulan

    if tata_letak is TataLetak.RINGKAS:
        header, kolom_capaian = _header_ringkas(tahun)
        kolom_identitas = 4

        def row(line: Baris, nomor: int) -> tuple[Sel, ...]:
            return _row_ringkas(line, tw)
    else:
        with_capaian = tata_letak is TataLetak.E55
        header, kolom_capaian = header_e81(tahun, with_capaian)
        kolom_identitas = 5

        def row(line: Baris, nomor: int) -> tuple[Sel, ...]:
            return row_e81(line, nomor, tw, with_capaian)

    baris: list[BarisLaporan] = []
    nomor = 0
    for line in evaluasi.baris:
        if line.first:
            nomor += 1
        baris.append(BarisLaporan(line.node.tingkat, line.first, row(line, nomor)))

    judul = konteks.judul or (
        JUDUL_PROVINSI if tata_letak is TataLetak.E55 else JUDUL_KABUPATEN_KOTA
    )
    r = evaluasi.ringkasan
    return Laporan(
        tata_letak=tata_letak,
        kertas=konteks.kertas,
        judul=(
            judul,
            f"Perangkat Daerah: {perangkat_daerah or '-'}",
            f"Pemerintah Daerah: {pemda or '-'}",
            f"Periode Pelaksanaan: {tahun if tahun is not None else '-'}",
            f"Evaluasi sampai dengan TW {ROMAWI[tw - 1]}",
        ),
        kolom=tuple(header.kolom),
        kepala=header.cells_in_row_order(),
        baris=tuple(baris),
        kolom_capaian=kolom_capaian,
        kolom_identitas=kolom_identitas,
        ringkasan=_summary_ringkas(evaluasi) if tata_letak is TataLetak.RINGKAS else (),
        rata_rata_capaian_k=r.rata_rata_capaian_k,
        predikat_k=r.predikat_k,
        persen_realisasi_rp=r.persen_realisasi_rp,
        predikat_rp=r.predikat_rp,
        narasi=narasi(konteks),
        tanda_tangan=_signatures(konteks, perangkat_daerah, pemda),
        perangkat_daerah=perangkat_daerah,
        triwulan=tw,
        draf=konteks.draf,
    )
