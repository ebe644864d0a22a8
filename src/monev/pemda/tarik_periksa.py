"""What a pulled answer must be before anything of it is written: the schema of the open rows
(`monev.pemda.terbuka_baris`), checked strictly. A hostile or broken source cannot smuggle in
huge, malformed or non-finite numbers (the same guards as every file reader,
`monev.io.guards`), unknown fields, text of unbounded length, or rows of another pemda.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, create_model

from monev.core.codes import Tingkat
from monev.io import guards
from monev.pemda import angka
from monev.pemda.api.galat import validation_errors
from monev.pemda.terbuka_baris import FORMAT

#: The most lines one PD quarter may carry (a real Renja has hundreds; the largest known, some
#: thousands); more is refused, not truncated.
MAX_BARIS = 20_000
#: The most pages a listing may have (10 PD quarters each): 10,000 PD quarters.
MAX_HALAMAN = 1_000

_NUMBER = re.compile(r"-?[0-9]{1,40}(\.[0-9]{1,40})?([eE][-+]?[0-9]{1,2})?")
_KODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-_/ ]{0,39}")


def _number(text: str | None) -> str | None:
    if text is None:
        return None
    problem = guards.number_text_problem(text)
    if problem:
        raise ValueError(problem)
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"'{text[:40]}' bukan angka dalam bentuk mesin (mis. 1234.50)")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:  # the pattern above makes this unreachable, kept as a guard
        raise ValueError(f"'{text[:40]}' bukan angka") from exc
    problem = guards.number_value_problem(text, value)
    if problem:
        raise ValueError(problem)
    return text


def _text(text: str) -> str:
    problem = guards.text_problem(text)
    if problem:
        raise ValueError(problem)
    return text


def _kode(text: str) -> str:
    if not _KODE.fullmatch(text):
        raise ValueError(f"kode '{text[:40]}' tidak sah (angka, huruf, titik; paling banyak 40)")
    return text


Angka = Annotated[str | None, AfterValidator(_number)]
Teks = Annotated[str, Field(max_length=5_000), AfterValidator(_text)]
Nama = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_text)]
Kode = Annotated[str, AfterValidator(_kode)]


def _short(limit: int) -> Any:
    return Annotated[str | None, Field(max_length=limit), AfterValidator(lambda v: v and _text(v))]


def _persen(text: str | None) -> str | None:
    # Stored as integers of 1e-8 per cent in a 64-bit column: bounded far below its overflow.
    if text is not None and abs(Decimal(text)) >= MAX_PERSEN:
        raise ValueError(f"capaian '{text[:40]}' % tidak masuk akal (batas {MAX_PERSEN} %)")
    return text


#: The largest capaian accepted, in per cent (a real one is a few hundred at most).
MAX_PERSEN = 10**9
Persen = Annotated[Angka, AfterValidator(_persen)]
Bulat = Annotated[int, Field(ge=0, le=2**31 - 1)]

#: The type of every column a rows document (`monev.pemda.angka.export_rows`) may carry.
KOLOM: dict[str, Any] = {
    "urutan": Bulat,
    "kode": Kode,
    "tingkat": Literal[tuple(t.value for t in Tingkat)],
    "nama": Annotated[
        str | None, Field(max_length=5_000), AfterValidator(lambda v: v and _text(v))
    ],
    "teks": Annotated[
        str | None, Field(max_length=5_000), AfterValidator(lambda v: v and _text(v))
    ],
    "satuan": _short(100),
    "urusan": _short(10),
    "bidang": _short(20),
    "program": _short(40),
    "predikat": _short(100),
    "dihitung": bool,
    "nomor": Annotated[int, Field(ge=0, le=32_767)],
    "indikator_ref": Annotated[int, Field(ge=0, le=2**63 - 1)] | None,
    "pagu": Angka,
    "realisasi": Angka,
    "target": Angka,
    "target_renstra": Angka,
    "renstra_realisasi": Angka,
    "capaian": Persen,
    "capaian_rata": Persen,
    "renstra_capaian": Persen,
}


class _Ketat(BaseModel):
    # strict: a number sent as a JSON number is refused, never rounded into a string
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _row_model(name: str, columns: tuple[str, ...]) -> type[BaseModel]:
    fields: dict[str, Any] = {c: (KOLOM[c], ...) for c in columns}
    return create_model(name, __base__=_Ketat, **fields)


def _columns(table: tuple[str, ...]) -> tuple[str, ...]:
    """Return the columns of a row of `export_rows` (its order, its code, then the table's own
    columns but those the document holds once); a test pulls a real export through them."""
    return tuple(
        dict.fromkeys(("urutan", "kode", *(c for c in table if c not in angka.common_skip)))
    )


#: A node's row and an indicator line's row, as `export_rows` writes them (every column, always).
SimpulMasuk = _row_model("SimpulMasuk", _columns(angka.KOLOM_SIMPUL))
IndikatorMasuk = _row_model("IndikatorMasuk", _columns(angka.KOLOM_INDIKATOR))


class PDMasuk(_Ketat):
    kode: Kode
    nama: Nama


class PemdaAngkaMasuk(_Ketat):
    nama: Nama
    jenis: Literal["provinsi", "kabupaten", "kota"]


class AngkaMasuk(_Ketat):
    versi: Literal[1]
    pemda: PemdaAngkaMasuk
    perangkat_daerah: PDMasuk
    tahun: Annotated[int, Field(ge=2000, le=2100)]
    triwulan: Annotated[int, Field(ge=1, le=4)]
    simpul: Annotated[list[SimpulMasuk], Field(max_length=MAX_BARIS)]  # type: ignore[valid-type]
    indikator: Annotated[list[IndikatorMasuk], Field(max_length=MAX_BARIS)]  # type: ignore[valid-type]


class TriwulanPDMasuk(_Ketat):
    kode_perangkat_daerah: Kode
    perangkat_daerah: Nama
    tahun: Annotated[int, Field(ge=2000, le=2100)]
    triwulan: Annotated[int, Field(ge=1, le=4)]
    versi: Literal["murni", "perubahan"]
    tanda: Annotated[str, Field(min_length=1, max_length=100)]
    diverifikasi: Annotated[str, Field(max_length=40)]
    angka: AngkaMasuk


class PemdaMasuk(_Ketat):
    id: Annotated[int, Field(ge=1, le=2**63 - 1)]
    nama: Nama
    jenis: Literal["provinsi", "kabupaten", "kota"]


class HalamanMasuk(BaseModel):
    """A page's envelope; its items are checked one by one (`triwulan_pd`), so that one bad PD
    quarter is refused with its reason and the others are still taken."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    format: Literal["monev-baris/1"]
    pemda: PemdaMasuk
    tahun: Annotated[int, Field(ge=1900, le=2200)] | None
    triwulan: Annotated[int, Field(ge=1, le=4)] | None
    tanda: Annotated[str, Field(min_length=1, max_length=100)]
    halaman: Annotated[int, Field(ge=1, le=MAX_HALAMAN)]
    jumlah_halaman: Annotated[int, Field(ge=1, le=MAX_HALAMAN)]
    jumlah: Annotated[int, Field(ge=0, le=MAX_HALAMAN * 1000)]
    triwulan_pd: Annotated[list[Any], Field(max_length=1000)]


assert FORMAT == "monev-baris/1"  # the Literal above names the same version


class SkemaSalah(ValueError):
    """An answer that is not the open rows' schema; the message says where and what."""


def _reasons(exc: ValidationError, where: str) -> str:
    errors = validation_errors([{**e, "loc": (where, *e["loc"])} for e in exc.errors()])
    shown = "; ".join(e["msg"] for e in errors[:5])
    more = len(errors) - 5
    return shown + (f"; dan {more} masalah lain" if more > 0 else "")


def page_of(document: Any) -> HalamanMasuk:
    """Return a page's checked envelope, or raise `SkemaSalah`."""
    if not isinstance(document, dict):
        raise SkemaSalah("jawaban sumber bukan objek JSON")
    try:
        return HalamanMasuk.model_validate(document)
    except ValidationError as exc:
        raise SkemaSalah(_reasons(exc, "jawaban")) from exc


def pemda_list_of(document: Any) -> list[PemdaMasuk]:
    if not isinstance(document, list) or len(document) > 10_000:
        raise SkemaSalah("daftar pemda sumber bukan daftar JSON")
    try:
        return [PemdaMasuk.model_validate(item) for item in document]
    except ValidationError as exc:
        raise SkemaSalah(_reasons(exc, "daftar pemda")) from exc


def quarter_of(item: Any, index: int, pemda: PemdaMasuk | None = None) -> TriwulanPDMasuk:
    """Return one PD quarter checked, or raise `SkemaSalah` naming it."""
    label = f"butir {index + 1}"
    if isinstance(item, dict):
        kode, tahun, tw = (item.get(k) for k in ("kode_perangkat_daerah", "tahun", "triwulan"))
        if isinstance(kode, str) and isinstance(tahun, int) and isinstance(tw, int):
            label = f"PD {kode[:40]} {tahun} TW {tw}"
    else:
        raise SkemaSalah(f"{label}: bukan objek JSON")
    try:
        quarter = TriwulanPDMasuk.model_validate(item)
    except ValidationError as exc:
        raise SkemaSalah(f"{label}: {_reasons(exc, 'isi')}") from exc
    rows = quarter.angka
    if (rows.perangkat_daerah.kode, rows.tahun, rows.triwulan) != (
        quarter.kode_perangkat_daerah,
        quarter.tahun,
        quarter.triwulan,
    ):
        raise SkemaSalah(f"{label}: angkanya milik PD, tahun, atau triwulan lain")
    if pemda is not None and (rows.pemda.nama, rows.pemda.jenis) != (pemda.nama, pemda.jenis):
        raise SkemaSalah(f"{label}: angkanya milik pemda lain ('{rows.pemda.nama[:200]}')")
    return quarter
