"""What reading a legacy report yields: the Renja it describes, the figures it prints, every doubt."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from monev.core.codes import Tingkat
from monev.core.model import Renja


@dataclass(frozen=True, slots=True)
class Place:
    """Where something is in the input: file, sheet, table, line (or row) and column."""

    berkas: str
    lembar: str | None = None
    #: The table's number (1 for the first header block), None outside the tables.
    tabel: int | None = None
    #: The part outside the tables: "judul", "ringkasan", "tanda tangan".
    bagian: str | None = None
    baris: int | None = None
    kolom: str | None = None
    #: Where the cell is on its page (x, y in points from the top left), for a PDF.
    posisi: tuple[int, int] | None = None

    def at(self, kolom: str | None) -> Place:
        return replace(self, kolom=kolom)

    def __str__(self) -> str:
        parts = [self.berkas]
        if self.lembar:
            parts.append(f"lembar {self.lembar}")
        if self.tabel is not None:
            parts.append(f"tabel {self.tabel}")
        if self.bagian:
            parts.append(self.bagian)
        if self.baris is not None:
            parts.append(f"baris {self.baris}")
        if self.kolom:
            parts.append(f"kolom {self.kolom}")
        if self.posisi is not None:
            parts.append(f"posisi x {self.posisi[0]} y {self.posisi[1]} pt")
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning about the input, with its place."""

    pesan: str
    tempat: Place

    def __str__(self) -> str:
        return f"{self.tempat}: {self.pesan}"


@dataclass(frozen=True, slots=True)
class Doubt:
    """A cell the reader placed by inference, or could not place at all."""

    teks: str
    tempat: Place
    alasan: str

    def __str__(self) -> str:
        return f"{self.tempat}: '{self.teks}' ({self.alasan})"


@dataclass(frozen=True, slots=True)
class PrintedLine:
    """One line of a table as printed: its code and texts and every figure in its slots."""

    tempat: Place
    kode_asli: str
    #: The normalised code; None on a line that continues the node above (an extra indicator).
    kode: str | None
    tingkat: Tingkat | None
    nama: str = ""
    sasaran: str = ""
    indikator: str = ""
    #: Numbers by slot (see layout.SLOTS), as printed; None where blank or not printed.
    nilai: dict[str, Decimal | None] = field(default_factory=dict)
    #: The text each number was read from, by slot.
    teks: dict[str, str] = field(default_factory=dict)
    target_volume: str = ""
    #: The label printed with the capaian (`Formula Progresif`).
    formula: str = ""
    unit: str = ""
    keterangan: str = ""
    #: Whether any cell of the line was placed by inference.
    ragu: bool = False
    catatan: tuple[str, ...] = ()
    #: Whether the target was printed in parentheses (a per cent of the volume).
    target_persen: bool = False

    def value(self, slot: str) -> Decimal | None:
        return self.nilai.get(slot)


@dataclass(frozen=True, slots=True)
class SummaryLine:
    """One line of the printed summary table or footer, with the figures as printed."""

    jenis: str
    label: str
    tempat: Place
    #: The program of a per-program line.
    kode: str | None = None
    capaian: Decimal | None = None
    pagu: Decimal | None = None
    realisasi: Decimal | None = None
    persen: Decimal | None = None
    predikat_k: str = ""
    predikat_rp: str = ""


#: SummaryLine.jenis values.
RATA_RATA_PROGRAM = "rata_rata_program"
RATA_RATA_KEGIATAN_PROGRAM = "rata_rata_kegiatan_program"
RATA_RATA_KEGIATAN = "rata_rata_kegiatan"
RATA_RATA_SUB_KEGIATAN = "rata_rata_sub_kegiatan"
RATA_RATA_CAPAIAN = "rata_rata_capaian"  # the standard footer: K and Rp
PREDIKAT = "predikat"


@dataclass(frozen=True, slots=True)
class Signature:
    """A signature block: `Disusun`/`Dievaluasi`, place and date, title, name and NIP."""

    peran: str = ""
    tempat_tanggal: str = ""
    jabatan: str = ""
    nama: str = ""
    nip: str = ""
    tempat: Place | None = None


@dataclass(frozen=True, slots=True)
class LegacyReport:
    """A legacy evaluation report as read: the Renja, what it prints, and what is in doubt."""

    berkas: str
    renja: Renja
    #: Every table line read, in printed order.
    baris: tuple[PrintedLine, ...]
    ringkasan: tuple[SummaryLine, ...] = ()
    tanda_tangan: tuple[Signature, ...] = ()
    #: The title block's lines and the footer's narrative (factors, follow-up), as printed.
    judul: tuple[str, ...] = ()
    narasi: dict[str, str] = field(default_factory=dict)
    #: The quarter the title names ("Triwulan III"), if it names one.
    triwulan: int | None = None
    #: Whether the input is text extracted from a scan (digits may be misread).
    dipindai: bool = False
    peringatan: tuple[Notice, ...] = ()
    #: Cells placed by inference (a lost cell filled, an OCR reading corrected, ...).
    ragu: tuple[Doubt, ...] = ()
    #: Cells placed nowhere.
    tak_terpasang: tuple[Doubt, ...] = ()
    #: The line of each indicator of the Renja, keyed by (node code, indicator number).
    indikator_baris: dict[tuple[str, int], PrintedLine] = field(default_factory=dict)

    def line_of(self, kode: str, indikator: str | None = None) -> PrintedLine | None:
        """Return the printed line of a node's indicator (by its text), else its first line."""
        node = self.renja.node(kode)
        if node is None:
            return None
        if indikator is not None:
            for number, item in enumerate(node.indikator):
                if item.teks == indikator:
                    return self.indikator_baris.get((kode, number))
        return self.indikator_baris.get((kode, 0))
