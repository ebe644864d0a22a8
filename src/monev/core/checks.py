"""Consistency and plausibility checks of a Renja's figures (spec §3, §5, §9).

Every finding is a warning, never a refusal: the figures are evaluated as entered, and each
finding says what looks wrong and where (node code, indicator, quarter, K or Rp), so that a page
can show it on its cell (`per_sel`). Its code (`Jenis`) is the JSON contract; its label
(`LABEL_JENIS`) is what a person reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache, lru_cache

from monev.core.baris import Baris
from monev.core.budget import Anggaran, parent_kode
from monev.core.codes import Tingkat
from monev.core.model import Indikator, Quarters, Renja
from monev.core.numbers import (
    AngkaError,
    agrees_as_printed,
    format_angka,
    format_nilai,
    parse_angka,
    round_half_up,
)
from monev.core.rules import Agregasi

_ROMAWI = ("I", "II", "III", "IV")


class Jenis(StrEnum):
    REALISASI_MELEBIHI_PAGU = "realisasi_melebihi_pagu"
    PAGU_ANAK_TIDAK_SAMA = "pagu_anak_tidak_sama"
    REALISASI_ANAK_TIDAK_SAMA = "realisasi_anak_tidak_sama"
    NILAI_KUMULATIF_TURUN = "nilai_kumulatif_turun"
    CAPAIAN_TERCETAK_BERBEDA = "capaian_tercetak_berbeda"
    REALISASI_TANPA_TARGET = "realisasi_tanpa_target"
    REALISASI_NEGATIF = "realisasi_negatif"
    CAPAIAN_TIDAK_WAJAR = "capaian_tidak_wajar"
    SATUAN_JUMLAH_TERISI_PERSEN = "satuan_jumlah_terisi_persen"
    SATUAN_PERSEN_TIDAK_WAJAR = "satuan_persen_tidak_wajar"
    INDUK_TIDAK_ADA = "induk_tidak_ada"


#: The label a person reads for each code (pages, `monev periksa`, report files).
LABEL_JENIS: dict[str, str] = {
    Jenis.REALISASI_MELEBIHI_PAGU: "Realisasi anggaran melebihi pagu",
    Jenis.PAGU_ANAK_TIDAK_SAMA: "Pagu anak tidak sama dengan pagu induk",
    Jenis.REALISASI_ANAK_TIDAK_SAMA: "Realisasi anak tidak sama dengan realisasi induk",
    Jenis.NILAI_KUMULATIF_TURUN: "Nilai progresif turun dari triwulan sebelumnya",
    Jenis.CAPAIAN_TERCETAK_BERBEDA: "Capaian tercetak berbeda dengan hasil hitung",
    Jenis.REALISASI_TANPA_TARGET: "Realisasi tanpa target",
    Jenis.REALISASI_NEGATIF: "Realisasi bernilai negatif",
    Jenis.CAPAIAN_TIDAK_WAJAR: "Capaian melebihi batas kewajaran",
    Jenis.SATUAN_JUMLAH_TERISI_PERSEN: "Nilai seperti persen pada indikator bersatuan jumlah",
    Jenis.SATUAN_PERSEN_TIDAK_WAJAR: "Nilai tidak wajar untuk indikator bersatuan persen",
    Jenis.INDUK_TIDAK_ADA: "Induk (program atau kegiatan) tidak ada di data",
}


def label_jenis(jenis: str) -> str:
    """Return the label of a finding's code; a code without one is shown as it is."""
    return LABEL_JENIS.get(jenis, jenis)


class Sisi(StrEnum):
    K = "K"
    RP = "Rp"


@dataclass(frozen=True, slots=True)
class Pemeriksaan:
    """One finding in the figures, with its place."""

    kode: str
    jenis: Jenis
    pesan: str
    indikator: str = ""
    tercetak: Decimal | None = None
    hitung: Decimal | None = None
    #: The indicator's index within its node (None: the node's budget or the node as a whole).
    nomor_indikator: int | None = None
    #: The quarter of the cell concerned (None: not one quarter, e.g. a pagu).
    triwulan: int | None = None
    sisi: Sisi | None = None

    @property
    def label(self) -> str:
        return label_jenis(self.jenis)

    @property
    def tempat(self) -> str:
        """The cell in words: `K TW II`, `Rp TW III`, `Rp` (a pagu), "" (the node)."""
        parts = [self.sisi.value] if self.sisi else []
        if self.triwulan:
            parts.append(f"TW {_ROMAWI[self.triwulan - 1]}")
        return " ".join(parts)


Sel = tuple[str, int | None, int | None, Sisi | None]


def per_sel(pemeriksaan: Iterable[Pemeriksaan]) -> dict[Sel, list[Pemeriksaan]]:
    """Return the findings keyed by their cell: (node code, indicator index, quarter, K/Rp).

    An Rp finding has no indicator index; a finding on a pagu has no quarter.
    """
    out: dict[Sel, list[Pemeriksaan]] = {}
    for p in pemeriksaan:
        out.setdefault((p.kode, p.nomor_indikator, p.triwulan, p.sisi), []).append(p)
    return out


def _rp(value: Decimal | None) -> str:
    return format_nilai(value)


Fall = tuple[int, Decimal, int, Decimal]


class _Scan:
    """What a line's quarters up to the evaluated one show: falls of a `progresif` value
    (earlier quarter, its value, later quarter, its lower value), negative values, values above
    100 (the quarters)."""

    __slots__ = ("di_atas_100", "negatif", "turun")

    def __init__(self) -> None:
        self.turun: list[Fall] = []
        self.negatif: list[int] = []
        self.di_atas_100: list[int] = []


def _scan(
    values: Quarters, triwulan: int, progresif: bool, ceiling: Decimal | None
) -> _Scan | None:
    """Return the line's `_Scan` (values above `ceiling` if one is given), None when it shows
    nothing (nearly always): one plain pass, since it runs for every line and every node."""
    found: _Scan | None = None
    previous_q, previous = 0, None
    q = 0
    for value in values:
        q += 1
        if q > triwulan:
            break
        if value is None:
            continue
        if (
            value < _ZERO
            or (ceiling is not None and value > ceiling)
            or (progresif and previous is not None and value < previous)
        ):
            if found is None:
                found = _Scan()
            if value < _ZERO:
                found.negatif.append(q)
            elif ceiling is not None and value > ceiling:
                found.di_atas_100.append(q)
            if progresif and previous is not None and value < previous:
                found.turun.append((previous_q, previous, q, value))
        previous_q, previous = q, value
    return found


_NOTHING = _Scan()


def _last_given(values: Quarters, triwulan: int) -> int:
    """Return the last quarter up to `triwulan` with a value (the cell a year value comes from)."""
    for q in range(triwulan, 0, -1):
        if values[q - 1] is not None:
            return q
    return triwulan


def _budget_checks(renja: Renja, anggaran: dict[str, Anggaran], tw: int) -> Iterator[Pemeriksaan]:
    for node in renja.nodes:
        a = anggaran[node.kode]
        realisasi = a.realisasi_sampai(tw)
        if a.pagu is not None and realisasi is not None and realisasi > a.pagu:
            yield Pemeriksaan(
                node.kode,
                Jenis.REALISASI_MELEBIHI_PAGU,
                f"realisasi Rp {_rp(realisasi)} melebihi pagu Rp {_rp(a.pagu)}",
                tercetak=a.pagu,
                hitung=realisasi,
                triwulan=_last_given(a.triwulan, tw),
                sisi=Sisi.RP,
            )
        if a.pagu_sendiri and a.pagu_anak is not None and a.pagu_anak != node.pagu:
            yield Pemeriksaan(
                node.kode,
                Jenis.PAGU_ANAK_TIDAK_SAMA,
                f"pagu Rp {_rp(node.pagu)} tidak sama dengan jumlah pagu di bawahnya "
                f"Rp {_rp(a.pagu_anak)} (selisih Rp {_rp(a.pagu_anak - node.pagu)})",  # type: ignore[operator]
                tercetak=node.pagu,
                hitung=a.pagu_anak,
                sisi=Sisi.RP,
            )
        if a.realisasi_sendiri:
            anak = a.realisasi_anak[tw - 1]
            if anak is not None and realisasi is not None and anak != realisasi:
                yield Pemeriksaan(
                    node.kode,
                    Jenis.REALISASI_ANAK_TIDAK_SAMA,
                    f"realisasi Rp {_rp(realisasi)} s.d. TW {_ROMAWI[tw - 1]} tidak sama "
                    f"dengan jumlah realisasi di bawahnya Rp {_rp(anak)}",
                    tercetak=realisasi,
                    hitung=anak,
                    triwulan=_last_given(a.triwulan, tw),
                    sisi=Sisi.RP,
                )
            scan = _scan(node.triwulan_rp, tw, node.agregasi_rp is Agregasi.PROGRESIF, None)
            if scan is None:
                continue
            for q in scan.negatif:
                value = node.triwulan_rp[q - 1]
                yield Pemeriksaan(
                    node.kode,
                    Jenis.REALISASI_NEGATIF,
                    f"realisasi Rp TW {_ROMAWI[q - 1]} bernilai negatif ({_rp(value)})",
                    hitung=value,
                    triwulan=q,
                    sisi=Sisi.RP,
                )
            for q1, v1, q2, v2 in scan.turun:
                yield Pemeriksaan(
                    node.kode,
                    Jenis.NILAI_KUMULATIF_TURUN,
                    f"realisasi Rp TW {_ROMAWI[q2 - 1]} ({_rp(v2)}) lebih kecil dari "
                    f"TW {_ROMAWI[q1 - 1]} ({_rp(v1)})",
                    tercetak=v1,
                    hitung=v2,
                    triwulan=q2,
                    sisi=Sisi.RP,
                )


# -- the units of an indicator (spec §3: a per cent typed on a count, or the reverse) -----------

#: Units that count things: a value on them is a number of things, never a per cent.
SATUAN_JUMLAH = frozenset(
    {
        "orang",
        "jiwa",
        "peserta",
        "pegawai",
        "asn",
        "kk",
        "keluarga",
        "rumah",
        "rt",
        "dokumen",
        "laporan",
        "naskah",
        "berkas",
        "buku",
        "kegiatan",
        "kali",
        "event",
        "paket",
        "unit",
        "buah",
        "set",
        "aplikasi",
        "sistem",
        "layanan",
        "izin",
        "sertifikat",
        "produk",
        "desa",
        "kelurahan",
        "kecamatan",
        "lokasi",
        "titik",
        "sekolah",
        "lembaga",
        "instansi",
        "perusahaan",
        "koperasi",
        "kelompok",
        "ukm",
        "umkm",
        "kasus",
        "perkara",
        "pd",
        "opd",
        "perda",
        "perkada",
        "regulasi",
        "rekomendasi",
    }
)
_WORD = re.compile(r"[a-z]+")
_VOLUME = re.compile(r"^\s*([\d.,]+)")


def satuan_jumlah(satuan: str) -> bool:
    """Tell whether a unit counts things: its first word is one of `SATUAN_JUMLAH`."""
    word = _WORD.search(satuan.casefold())
    return word is not None and word.group() in SATUAN_JUMLAH


def satuan_persen(satuan: str) -> bool:
    text = satuan.strip().casefold()
    return text.startswith(("%", "persen", "prosen"))


@cache
def _kind(satuan: str) -> str:
    """Return "jumlah", "persen" or "" for a unit (a plan has few distinct units: cached)."""
    if satuan_jumlah(satuan):
        return "jumlah"
    return "persen" if satuan_persen(satuan) else ""


@lru_cache(maxsize=4096)
def _volume(text: str) -> Decimal | None:
    """Return the number a target volume starts with (`8 dokumen` → 8), None if none."""
    match = _VOLUME.match(text)
    if not match:
        return None
    try:
        return parse_angka(match.group(1).rstrip(".,"), dot_is_thousands=True)
    except AngkaError:
        return None


_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_LOOKS_LIKE_PERCENT = Decimal(90)
_FAR_ABOVE = Decimal("1.5")


def _satuan_checks(line: Baris, tw: int, kind: str, above: list[int]) -> Iterator[Pemeriksaan]:
    """The unit heuristics, documented in the README.

    Count unit: the year value R lies in 90–100, the target T is not 100, and R ≥ 1,5 × T (a
    capaian of 150 % or more): an operator typed "100 (%)" where a number of things was asked.
    Per cent unit: a quarter's value above 100, or the year value equal to the number of the
    target volume when that differs from the target (`(100) 8 dokumen`, typed 8).
    """
    item: Indikator = line.indikator
    kode, nomor, r, t = line.node.kode, line.nomor_indikator, line.realisasi, item.target
    if r is None:
        return
    if kind == "jumlah":
        if (
            t is not None
            and t > 0
            and t != _HUNDRED
            and _LOOKS_LIKE_PERCENT <= r <= _HUNDRED
            and r >= t * _FAR_ABOVE
        ):
            yield Pemeriksaan(
                kode,
                Jenis.SATUAN_JUMLAH_TERISI_PERSEN,
                f"realisasi K {format_nilai(r)} pada satuan '{item.satuan}' dengan target "
                f"{format_nilai(t)} tampak seperti persen; isikan jumlah {item.satuan}",
                indikator=item.teks,
                hitung=r,
                nomor_indikator=nomor,
                triwulan=_last_given(item.triwulan, tw),
                sisi=Sisi.K,
            )
    else:
        for q in above:
            value = item.triwulan[q - 1]
            yield Pemeriksaan(
                kode,
                Jenis.SATUAN_PERSEN_TIDAK_WAJAR,
                f"realisasi K TW {_ROMAWI[q - 1]} {format_nilai(value)} melebihi 100 "
                "pada satuan persen",
                indikator=item.teks,
                hitung=value,
                nomor_indikator=nomor,
                triwulan=q,
                sisi=Sisi.K,
            )
        volume = _volume(item.target_volume) if item.target_volume else None
        if volume is not None and volume != t and r == volume:
            yield Pemeriksaan(
                kode,
                Jenis.SATUAN_PERSEN_TIDAK_WAJAR,
                f"realisasi K {format_nilai(r)} sama dengan volume target "
                f"'{item.target_volume}', bukan persen; isikan persennya",
                indikator=item.teks,
                hitung=r,
                nomor_indikator=nomor,
                triwulan=_last_given(item.triwulan, tw),
                sisi=Sisi.K,
            )


def _indikator_checks(
    baris: Sequence[Baris], tw: int, batas_capaian: Decimal | None
) -> Iterator[Pemeriksaan]:
    for line in baris:
        item = line.indikator
        kode = line.node.kode
        nomor = line.nomor_indikator
        kind = _kind(item.satuan) if item.satuan else ""
        ceiling = _HUNDRED if kind == "persen" else None
        scan = _scan(item.triwulan, tw, item.agregasi is Agregasi.PROGRESIF, ceiling) or _NOTHING
        for q1, v1, q2, v2 in scan.turun:
            yield Pemeriksaan(
                kode,
                Jenis.NILAI_KUMULATIF_TURUN,
                f"realisasi K TW {_ROMAWI[q2 - 1]} ({format_nilai(v2)}) lebih kecil dari "
                f"TW {_ROMAWI[q1 - 1]} ({format_nilai(v1)})",
                indikator=item.teks,
                tercetak=v1,
                hitung=v2,
                nomor_indikator=nomor,
                triwulan=q2,
                sisi=Sisi.K,
            )
        if item.capaian_tercetak is not None:
            yield from _printed(line)
        if line.realisasi is None:  # nothing entered up to the quarter: nothing more to check
            continue
        above = scan.di_atas_100
        for q in scan.negatif:
            value = item.triwulan[q - 1]
            yield Pemeriksaan(
                kode,
                Jenis.REALISASI_NEGATIF,
                f"realisasi K TW {_ROMAWI[q - 1]} bernilai negatif ({format_nilai(value)})",
                indikator=item.teks,
                hitung=value,
                nomor_indikator=nomor,
                triwulan=q,
                sisi=Sisi.K,
            )
        if not item.target and line.realisasi:
            yield Pemeriksaan(
                kode,
                Jenis.REALISASI_TANPA_TARGET,
                f"ada realisasi K {format_nilai(line.realisasi)} tetapi target kosong atau 0: "
                "capaian tidak dapat dihitung",
                indikator=item.teks,
                hitung=line.realisasi,
                nomor_indikator=nomor,
                triwulan=_last_given(item.triwulan, tw),
                sisi=Sisi.K,
            )
        if (
            batas_capaian is not None
            and line.capaian is not None
            and line.capaian > batas_capaian  # cheap first: rounding may bring it down to it
            and round_half_up(line.capaian, 2) > batas_capaian
        ):
            yield Pemeriksaan(
                kode,
                Jenis.CAPAIAN_TIDAK_WAJAR,
                f"capaian K {format_angka(line.capaian)}% melebihi batas kewajaran "
                f"{format_nilai(batas_capaian)}%: periksa target dan realisasinya",
                indikator=item.teks,
                hitung=line.capaian,
                nomor_indikator=nomor,
                triwulan=_last_given(item.triwulan, tw),
                sisi=Sisi.K,
            )
        # Only what may be implausible goes on to the unit checks (a generator per line costs).
        if (
            kind == "persen"
            and (above or (item.target_volume and _volume(item.target_volume) == line.realisasi))
        ) or (
            kind == "jumlah"
            and _LOOKS_LIKE_PERCENT <= line.realisasi <= _HUNDRED
            and item.target is not None
            and item.target != _HUNDRED
        ):
            yield from _satuan_checks(line, tw, kind, above)


def _printed(line: Baris) -> Iterator[Pemeriksaan]:
    item = line.indikator
    shown = None if line.capaian is None else round_half_up(line.capaian, 2)
    # Compared at the precision it was printed in: 93.6 printed matches 93,63.
    if item.capaian_tercetak is not None and not agrees_as_printed(
        item.capaian_tercetak, line.capaian
    ):
        hasil = "tidak terdefinisi" if shown is None else format_angka(shown)
        yield Pemeriksaan(
            line.node.kode,
            Jenis.CAPAIAN_TERCETAK_BERBEDA,
            f"capaian tercetak {format_angka(item.capaian_tercetak)} tidak sama dengan "
            f"hasil hitung {hasil}",
            indikator=item.teks,
            tercetak=item.capaian_tercetak,
            hitung=shown,
            nomor_indikator=line.nomor_indikator,
            sisi=Sisi.K,
        )


def induk_tidak_ada(renja: Renja) -> list[Pemeriksaan]:
    """Name every node whose parent the plan does not hold: a part of a plan (the kegiatan of one
    unit without their program) is evaluated as it is, and a file's check report says so. Not
    one of `check_renja`'s findings: a plan built in parts (an entry page, a test) is whole."""
    return list(_parent_checks(renja))


def _parent_checks(renja: Renja) -> Iterator[Pemeriksaan]:
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
    renja: Renja,
    anggaran: dict[str, Anggaran],
    baris: Sequence[Baris],
    triwulan: int,
    batas_capaian: Decimal | None = Decimal(150),
) -> list[Pemeriksaan]:
    """Return every finding in the Renja's figures up to a quarter, in printed order.

    `batas_capaian`: a K capaian above it (rounded to two decimals) is flagged; None: never.
    """
    found = [
        *_budget_checks(renja, anggaran, triwulan),
        *_indikator_checks(baris, triwulan, batas_capaian),
    ]
    # The printed place of a code (its last, if printed twice), for the codes with findings only;
    # a code the plan does not have goes after all of them.
    kodes = {p.kode for p in found}
    order = {node.kode: i for i, node in enumerate(renja.nodes) if node.kode in kodes}
    last = len(order) if len(order) == len(kodes) else len({n.kode for n in renja.nodes})
    found.sort(key=lambda p: order.get(p.kode, last))
    return found
