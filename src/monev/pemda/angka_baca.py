"""A PD's figures for the pemda's view read back from its stored rows (`monev.pemda.angka`): the
form's footer and levels' means from `AngkaPD`, each program from its `AngkaSimpul` row and the
capaian of its kegiatan lines (`AngkaIndikator`), the display extras from their JSON. Three
queries for any number of Renja; each quarter's warnings are read when a page first asks for
them, for every Renja read together in one query.

Values read back are the stored ones: a capaian to 10⁻⁸ per cent (`monev.core.aggregate`), so a
figure shown to two decimals is the engine's; a program's mean is taken again by the engine's own
`monev.core.rules.mean` over its stored lines, as the SQL group figures take it.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from monev.core.aggregate import capaian_of, rp_of
from monev.core.codes import Tingkat
from monev.core.evaluation import Ringkasan, RingkasanProgram
from monev.core.rules import Pengaturan, mean
from monev.pemda import angka_json
from monev.pemda.models import KOLOM_PD, AngkaIndikator, AngkaPD, AngkaSimpul
from monev.pemda.projection import Proyeksi, ProyeksiRataRata
from monev.pemda.summary import AngkaTriwulan, PeringatanIndikator, RingkasanPD


class _Warnings:
    """The warnings of the Renja read together, loaded per quarter on the first ask (one query)."""

    def __init__(self, renja_ids: list[int]) -> None:
        self.renja_ids = renja_ids
        self.loaded: dict[int, dict[int, tuple[PeringatanIndikator, ...]]] = {}
        self.lock = threading.Lock()

    def of(self, renja_id: int, triwulan: int) -> tuple[PeringatanIndikator, ...]:
        with self.lock:
            found = self.loaded.get(triwulan)
            if found is None:
                found = self.loaded[triwulan] = self._load(triwulan)
        return found.get(renja_id, ())

    def _load(self, triwulan: int) -> dict[int, tuple[PeringatanIndikator, ...]]:
        out: dict[int, list[PeringatanIndikator]] = defaultdict(list)
        rows = (
            AngkaIndikator.objects.filter(
                renja_id__in=self.renja_ids, triwulan=triwulan, proyeksi__isnull=False
            )
            .order_by("renja_id", "urutan")
            .values_list(
                "renja_id",
                "indikator_ref",
                "kode",
                "tingkat",
                "nama",
                "teks",
                "satuan",
                "target",
                "proyeksi",
            )
        )
        for renja_id, ref, kode, tingkat, nama, teks, satuan, target, proyeksi in rows:
            out[renja_id].append(
                PeringatanIndikator(
                    ref=ref,
                    kode=kode,
                    tingkat=Tingkat(tingkat),
                    nama=nama,
                    teks=teks,
                    satuan=satuan,
                    target=target,
                    proyeksi=angka_json.load(Proyeksi, proyeksi),
                )
            )
        return {k: tuple(v) for k, v in out.items()}


class StoredPeringatan(Sequence[PeringatanIndikator]):
    """A quarter's warnings as stored: counted at once, read when first iterated. Equal to the
    tuple of the same warnings."""

    __slots__ = ("_jumlah", "_renja_id", "_source", "_triwulan")

    def __init__(self, source: _Warnings, renja_id: int, triwulan: int, jumlah: int) -> None:
        self._source = source
        self._renja_id = renja_id
        self._triwulan = triwulan
        self._jumlah = jumlah

    def _load(self) -> tuple[PeringatanIndikator, ...]:
        return self._source.of(self._renja_id, self._triwulan)

    def __len__(self) -> int:
        return self._jumlah

    def __getitem__(self, index: Any) -> Any:
        return self._load()[index]

    def __iter__(self) -> Iterator[PeringatanIndikator]:
        return iter(self._load())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredPeringatan | tuple):
            return self._load() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._load())

    def __repr__(self) -> str:
        return repr(self._load())


def _text(value: str) -> str | None:
    return value or None


_MISSING: Any = object()


def figures_from_rows(renja_ids: Iterable[int], pengaturan: Pengaturan) -> dict[int, RingkasanPD]:
    """Return the figures of these Renja from their stored rows (Renja without rows left out)."""
    ids = list(renja_ids)
    if not ids:
        return {}
    capaian: dict[tuple[int, int, str], list[Any]] = defaultdict(list)
    # Each distinct stored value made a Decimal once (they are immutable): a pemda's lines
    # repeat many (100 %, 0 %), and this loop runs over every kegiatan line of every quarter.
    decimals: dict[int | None, Decimal | None] = {None: None}
    for renja_id, q, program, value in (
        AngkaIndikator.objects.filter(renja_id__in=ids, dihitung=True)
        .order_by("renja_id", "triwulan", "urutan")
        .values_list("renja_id", "triwulan", "program", "capaian")
    ):
        found = decimals.get(value, _MISSING)
        if found is _MISSING:
            found = decimals[value] = capaian_of(value)
        capaian[(renja_id, q, program)].append(found)
    cap = pengaturan.batas_capaian_rata_rata
    programs: dict[tuple[int, int], list[RingkasanProgram]] = defaultdict(list)
    for renja_id, q, kode, nama, pagu, realisasi, persen, predikat in (
        AngkaSimpul.objects.filter(renja_id__in=ids, dihitung=True)
        .order_by("renja_id", "triwulan", "urutan")
        .values_list(
            "renja_id", "triwulan", "kode", "nama", "pagu", "realisasi", "capaian", "predikat"
        )
    ):
        kegiatan = tuple(capaian.get((renja_id, q, kode), ()))
        rata = mean(kegiatan, cap)
        programs[(renja_id, q)].append(
            RingkasanProgram(
                kode=kode,
                nama=nama,
                rata_rata_capaian_kegiatan=rata,
                predikat_kegiatan=pengaturan.predikat_k.nilai(rata),
                pagu=rp_of(pagu),
                realisasi_rp=rp_of(realisasi),
                persen_realisasi_rp=capaian_of(persen),
                predikat_rp=_text(predikat),
                capaian_kegiatan=kegiatan,
            )
        )
    warnings = _Warnings(ids)
    quarters: dict[int, list[AngkaTriwulan]] = defaultdict(list)
    heads: dict[int, tuple[int, int, int]] = {}
    # Plain values, not model instances: ~200 rows of three JSON documents each.
    for row in (
        AngkaPD.objects.filter(renja_id__in=ids).order_by("renja_id", "triwulan").values(*_PD)
    ):
        renja_id = row["renja_id"]
        heads[renja_id] = (
            row["last_triwulan"],
            row["jumlah_rencana_k"],
            row["jumlah_rencana_rp"],
        )
        k = capaian_of(row["rata_rata_capaian_kegiatan"])
        quarters[renja_id].append(
            AngkaTriwulan(
                triwulan=row["triwulan"],
                ringkasan=Ringkasan(
                    rata_rata_capaian_program=capaian_of(row["rata_rata_capaian_program"]),
                    rata_rata_capaian_kegiatan=k,
                    rata_rata_capaian_sub_kegiatan=capaian_of(
                        row["rata_rata_capaian_sub_kegiatan"]
                    ),
                    program=tuple(programs.get((renja_id, row["triwulan"]), ())),
                    rata_rata_capaian_k=k,
                    predikat_k=_text(row["predikat_k"]),
                    pagu=rp_of(row["pagu"]),
                    realisasi_rp=rp_of(row["realisasi"]),
                    persen_realisasi_rp=capaian_of(row["persen_realisasi_rp"]),
                    predikat_rp=_text(row["predikat_rp"]),
                ),
                jumlah_pemeriksaan=row["jumlah_pemeriksaan"],
                rencana=angka_json.load(Ringkasan, row["rencana"]),
                proyeksi_k=angka_json.load(ProyeksiRataRata, row["proyeksi_k"]),
                proyeksi_rp=angka_json.load(Proyeksi, row["proyeksi_rp"]),
                peringatan=StoredPeringatan(
                    warnings, renja_id, row["triwulan"], row["jumlah_peringatan"]
                ),
            )
        )
    return {
        renja_id: RingkasanPD(
            last_triwulan=last,
            triwulan=tuple(quarters[renja_id]),
            jumlah_rencana_k=rencana_k,
            jumlah_rencana_rp=rencana_rp,
        )
        for renja_id, (last, rencana_k, rencana_rp) in heads.items()
        if len(quarters[renja_id]) == 4
    }


#: The columns of `AngkaPD` a PD's figures are read from.
_PD = ("renja_id", "triwulan", *(c for c in KOLOM_PD if c != "terverifikasi"))
