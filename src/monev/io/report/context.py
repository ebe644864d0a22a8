"""What a printed report needs beyond the evaluation: names, the year, narrative and signatures.

None of it is computed; the PD writes it for the quarter (spec §4, footer) or the pemda sets it once.
Every field is optional so that a plain flat file can be rendered as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class TataLetak(StrEnum):
    """The layout of the evaluation table (spec §4)."""

    E81 = "e81"  # Formulir E.81, kabupaten/kota, 17 columns
    E55 = "e55"  # Formulir E.55, provinsi: the Renja capaian as its own column
    RINGKAS = "ringkas"  # the reference report's 13 columns and its summary table (spec §6)
    #: Formulir E.79 style: the pemda's RKPD, every PD's programs and kegiatan by urusan and
    #: bidang urusan (`build_konsolidasi_report`; not a layout of one PD's evaluation).
    E79 = "e79"


#: The layouts of one PD's evaluation (`build_report`).
TATA_LETAK_PD = (TataLetak.E81, TataLetak.E55, TataLetak.RINGKAS)


#: Printed on every page of the report of a quarter Bappeda has not verified (accepted) yet.
TANDA_DRAF = "DRAF — belum diverifikasi"


class Kertas(StrEnum):
    F4 = "f4"  # 215 × 330 mm (Folio), what Indonesian offices print on
    A4 = "a4"


@dataclass(frozen=True, slots=True)
class Penandatangan:
    """A signature block: the official's title, name and NIP."""

    jabatan: str = ""
    nama: str = ""
    nip: str = ""


@dataclass(frozen=True, slots=True)
class KonteksLaporan:
    """The report's context that the engine does not hold.

    The quarter is not here: it is the evaluation's own (`Evaluasi.triwulan`). Names and the year
    fall back to the Renja's metadata when left empty.
    """

    #: Overrides the layout's title (e.g. a pemda's own wording); empty: the form's title.
    judul: str = ""
    perangkat_daerah: str = ""
    pemda: str = ""
    tahun: int | None = None
    faktor_pendorong: str = ""
    faktor_penghambat: str = ""
    tindak_lanjut_triwulan: str = ""
    tindak_lanjut_renja: str = ""
    tempat: str = ""
    tanggal: str = ""
    kepala_pd: Penandatangan = field(default_factory=Penandatangan)
    kepala_bappeda: Penandatangan = field(default_factory=Penandatangan)
    kertas: Kertas = Kertas.F4
    #: The quarter is not verified (`diverifikasi`): every page carries `TANDA_DRAF`.
    draf: bool = False


_TEXT_FIELDS = frozenset(
    {
        "judul",
        "perangkat_daerah",
        "pemda",
        "faktor_pendorong",
        "faktor_penghambat",
        "tindak_lanjut_triwulan",
        "tindak_lanjut_renja",
        "tempat",
        "tanggal",
    }
)
_SIGNATORIES = ("kepala_pd", "kepala_bappeda")


def konteks_from_mapping(data: Mapping[str, object]) -> KonteksLaporan:
    """Return the context written in a JSON object; raise ValueError naming every bad key."""
    problems: list[str] = []
    values: dict[str, object] = {}
    for key, value in data.items():
        if key in _TEXT_FIELDS:
            if not isinstance(value, str):
                problems.append(f"'{key}' harus teks")
                continue
            values[key] = value
        elif key == "tahun":
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | str):
                problems.append("'tahun' harus bilangan bulat, mis. 2022")
                continue
            try:
                values[key] = int(value)
            except ValueError:
                problems.append(f"'tahun' harus bilangan bulat, bukan '{value}'")
        elif key == "draf":
            if not isinstance(value, bool):
                problems.append("'draf' harus true atau false")
                continue
            values[key] = value
        elif key == "kertas":
            try:
                values[key] = Kertas(str(value).lower())
            except ValueError:
                problems.append(f"'kertas' harus f4 atau a4, bukan '{value}'")
        elif key in _SIGNATORIES:
            if not isinstance(value, Mapping):
                problems.append(f"'{key}' harus objek dengan jabatan, nama, nip")
                continue
            unknown = sorted(set(value) - {"jabatan", "nama", "nip"})
            if unknown:
                problems.append(f"'{key}' memuat kunci tak dikenal: {', '.join(unknown)}")
            if any(not isinstance(value.get(k, ""), str) for k in ("jabatan", "nama", "nip")):
                problems.append(f"'{key}': jabatan, nama, dan nip harus teks")
                continue
            values[key] = Penandatangan(
                jabatan=str(value.get("jabatan", "")),
                nama=str(value.get("nama", "")),
                nip=str(value.get("nip", "")),
            )
        else:
            problems.append(f"kunci '{key}' tidak dikenal")
    if problems:
        raise ValueError("; ".join(problems))
    return KonteksLaporan(**values)  # type: ignore[arg-type]
