"""What the table importer works with: the fields a column can hold, the mapping the user sees and
changes (serialisable as JSON), and what reading yields (findings, questions, the plan).

A column is mapped to a field such as `realisasi_k:tw2` (K realisation of quarter II),
`realisasi_rp:bln7` (Rp of July), `pagu` or `nama`. The mapping is keyed by the column's header
text as read (normalised), not by its position, so that a mapping confirmed on one file is reused on
the next one of the same system even when a column is added or moved.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monev.io.flat import InputError, Masalah
from monev.io.legacy.model import Place

#: Fields that name a line (text).
TEXT_FIELDS = (
    "kode",
    "nomor",
    "sasaran",
    "nama",
    "tingkat",
    "indikator",
    "satuan",
    "unit",
    "keterangan",
    "formula",
    "kode_rekening",
    "nama_rekening",
)
#: Fields that hold one figure of a line.
NUMBER_FIELDS = (
    "target_renstra_k",
    "target_renstra_rp",
    "realisasi_lalu_k",
    "realisasi_lalu_rp",
    "target_k",
    "pagu",
    "capaian_k",
    "capaian_rp",
)
#: Periods a realisation column can be given for; `jumlah` is the year's value (or to date).
PERIODS = (
    *(f"tw{q}" for q in range(1, 5)),
    *(f"bln{m}" for m in range(1, 13)),
    "sem1",
    "sem2",
    "jumlah",
)
PERIOD_FIELDS = tuple(f"realisasi_{side}:{p}" for side in ("k", "rp") for p in PERIODS)
#: A column that is read and deliberately not used (a figure the engine recomputes).
ABAIKAN = "abaikan"
FIELDS = (*TEXT_FIELDS, *NUMBER_FIELDS, *PERIOD_FIELDS, ABAIKAN)

#: Every field's label in Bahasa Indonesia, for the mapping shown to the user.
_PERIOD_LABEL = {
    **{
        f"tw{q}": f"triwulan {r}"
        for q, r in zip(range(1, 5), ("I", "II", "III", "IV"), strict=True)
    },
    **{f"bln{m}": f"bulan {m}" for m in range(1, 13)},
    "sem1": "semester I",
    "sem2": "semester II",
    "jumlah": "jumlah/s.d.",
}


def field_label(name: str) -> str:
    """Return how a field is named to the user (`realisasi K triwulan II`)."""
    kind, _, period = name.partition(":")
    if period:
        side = "K" if kind.endswith("_k") else "Rp"
        return f"realisasi {side} {_PERIOD_LABEL[period]}"
    return {
        "target_renstra_k": "target Renstra K",
        "target_renstra_rp": "target Renstra Rp",
        "realisasi_lalu_k": "realisasi s.d. tahun lalu K",
        "realisasi_lalu_rp": "realisasi s.d. tahun lalu Rp",
        "target_k": "target K",
        "pagu": "pagu (target Rp)",
        "capaian_k": "capaian K (%)",
        "capaian_rp": "capaian Rp (%)",
        "kode_rekening": "kode rekening",
        "nama_rekening": "uraian rekening",
        ABAIKAN: "diabaikan",
    }.get(name, name.replace("_", " "))


_NON_WORD = re.compile(r"[^0-9a-z%/]+")


def normal_header(text: str) -> str:
    """Return a header text as a mapping key: lower case, words only, one space between."""
    return _NON_WORD.sub(" ", text.lower()).strip()


@dataclass
class Pemetaan:
    """A column mapping: what each header means, how its numbers are written, what to assume.

    Every entry is optional: what the mapping does not say is recognised from the file, and the
    mapping used (recognised and given) is printed so that it can be saved and edited.
    """

    #: Header text (normalised) → field (see FIELDS).
    kolom: dict[str, str] = field(default_factory=dict)
    #: Header text (normalised) → "id" (1.234,5) or "en" (1,234.5).
    notasi: dict[str, str] = field(default_factory=dict)
    #: The aggregation of K and of Rp realisations when the file does not show it.
    agregasi_k: str | None = None
    agregasi_rp: str | None = None
    #: The level of the highest nodes of a table without codes or labels (`kegiatan` for the
    #: kegiatan of one unit without their program).
    tingkat_teratas: str | None = None
    #: The quarter a single realisation column (to date) is for.
    triwulan: int | None = None
    #: Names as printed → as corrected (OCR damage fixed before saving).
    nama: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        data: dict[str, Any] = {"versi": 1, "kolom": self.kolom, "notasi": self.notasi}
        for key in ("agregasi_k", "agregasi_rp", "tingkat_teratas", "triwulan"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        if self.nama:
            data["nama"] = self.nama
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, berkas: str = "pemetaan") -> Pemetaan:
        """Read a mapping; raise `InputError` naming every entry that cannot be used."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InputError([Masalah(f"pemetaan bukan JSON yang sah ({exc})", berkas)]) from exc
        if not isinstance(data, dict):
            raise InputError([Masalah("pemetaan harus berupa objek JSON", berkas)])
        problems: list[Masalah] = []

        def texts(key: str, allowed: tuple[str, ...] | None) -> dict[str, str]:
            value = data.get(key) or {}
            if not isinstance(value, dict):
                problems.append(Masalah(f"'{key}' harus berupa objek judul → isi", berkas))
                return {}
            out: dict[str, str] = {}
            for header, meaning in value.items():
                if not isinstance(meaning, str) or (allowed and meaning not in allowed):
                    shown = ", ".join(allowed[:6]) + ", …" if allowed else "teks"
                    problems.append(
                        Masalah(
                            f"'{key}' untuk '{header}': '{meaning}' bukan salah satu dari {shown}",
                            berkas,
                        )
                    )
                    continue
                out[normal_header(header) if key != "nama" else header] = meaning
            return out

        mapping = cls(
            kolom=texts("kolom", FIELDS),
            notasi=texts("notasi", ("id", "en")),
            nama=texts("nama", None),
        )
        for key, allowed in (
            ("agregasi_k", ("progresif", "akumulatif", "rata_rata")),
            ("agregasi_rp", ("progresif", "akumulatif", "rata_rata")),
            ("tingkat_teratas", ("program", "kegiatan", "sub_kegiatan")),
        ):
            value = data.get(key)
            if value is None:
                continue
            if value not in allowed:
                problems.append(
                    Masalah(
                        f"'{key}': '{value}' bukan salah satu dari {', '.join(allowed)}", berkas
                    )
                )
            else:
                setattr(mapping, key, value)
        triwulan = data.get("triwulan")
        if triwulan is not None:
            if isinstance(triwulan, int) and 1 <= triwulan <= 4:
                mapping.triwulan = triwulan
            else:
                problems.append(Masalah(f"'triwulan': {triwulan!r} harus 1 sampai 4", berkas))
        if problems:
            raise InputError(problems)
        return mapping


def read_pemetaan(path: Path) -> Pemetaan:
    """Read a mapping file; raise `InputError` if it cannot be opened or used."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(
            [Masalah(f"berkas pemetaan tidak dapat dibuka ({reason})", str(path))]
        ) from exc
    except UnicodeDecodeError as exc:
        raise InputError([Masalah("berkas pemetaan bukan teks UTF-8", path.name)]) from exc
    return Pemetaan.from_json(text, path.name)


@dataclass(frozen=True, slots=True)
class Kolom:
    """One column of a table as recognised: its header, the field, the notation of its numbers."""

    indeks: int
    judul: str
    isi: str | None
    #: "id", "en", or None where the column has no number that tells (or is not a number column).
    notasi: str | None = None
    #: Whether the field came from the mapping given, not recognition.
    dari_pemetaan: bool = False


@dataclass(frozen=True, slots=True)
class Temuan:
    """A printed figure that does not follow from the others, or a notice about the reading."""

    pesan: str
    tempat: Place
    #: "angka" (a figure that disagrees), "catatan" (how something was read), "ragu" (doubtful).
    jenis: str = "angka"

    def __str__(self) -> str:
        return f"{self.tempat}: {self.pesan}"


@dataclass(frozen=True, slots=True)
class Pertanyaan:
    """An ambiguity the file does not settle; answered in the mapping (`notasi`, …)."""

    pesan: str
    tempat: Place
    #: The mapping entry that answers it, e.g. `"notasi": {"pagu": "id"}`.
    jawaban: str

    def __str__(self) -> str:
        return f"{self.tempat}: {self.pesan}; tetapkan di pemetaan: {self.jawaban}"
