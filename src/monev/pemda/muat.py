"""Loading many Renja for the engine at once, and the marks that tell a Renja's states apart.

`load_renja` loads every Renja asked for in six queries whatever their number. `change_marks` is
a Renja's last recorded change: every write to a plan, a target, a budget or a realisation goes
through a service that records it in `Riwayat` (spec §8), so a new record is a new mark and
figures computed under an older one are never served. Keying on the record's id, time and count
together keeps two states apart even where a rolled-back transaction hands out the same id again
(SQLite) or a record commits after one with a higher id (PostgreSQL).
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Count, Max

from monev import core as core_package
from monev.core import model as core
from monev.core.codes import Tingkat
from monev.core.model import Quarters
from monev.core.rules import Agregasi, Pengaturan, Polaritas
from monev.pemda.models import RencanaK, RencanaRp
from monev.web import models as web_models
from monev.web.models import Indikator, RealisasiK, RealisasiRp, Renja, Riwayat, Simpul


def settings_key(pengaturan: Pengaturan) -> str:
    return hashlib.sha1(repr(pengaturan).encode()).hexdigest()


def change_marks(renja_ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """Return each Renja's last recorded change and the number of its records (one query).

    The number, too: on PostgreSQL a record can commit after one with a higher id and a later
    time, and so change neither maximum; records are never deleted, so it changes the count.
    """
    rows = (
        Riwayat.objects.filter(renja_id__in=list(renja_ids))
        .values("renja_id")
        .annotate(last_id=Max("id"), last_time=Max("waktu"), count=Count("id"))
        .values_list("renja_id", "last_id", "last_time", "count")
    )
    return {
        renja_id: (last_id, str(last_time), count) for renja_id, last_id, last_time, count in rows
    }


@functools.cache
def code_digest() -> str:
    """Return a digest of the source that turns a Renja in the database into its figures."""
    here = Path(__file__).parent
    files = sorted(Path(core_package.__file__ or "").parent.glob("*.py"))
    files += [here / name for name in _DIGESTED]
    files.append(Path(web_models.__file__ or ""))
    digest = hashlib.sha1()
    for path in files:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


#: The pemda app's modules whose code turns a Renja into stored figures.
_DIGESTED = (
    "angka.py",
    "angka_baris.py",
    "muat.py",
    "models.py",
    "projection.py",
    "selectors.py",
    "summary.py",
)


def quarters(values: dict[int, Decimal | None]) -> Quarters:
    """Return a realisation's quarters (quarter → value) as the engine's four-tuple."""
    return (values.get(1), values.get(2), values.get(3), values.get(4))


#: The columns of a node (`Simpul`) and of an indicator the engine's view is built from, in the
#: order `node_of` and `indikator_of` read them: the one description of that view's rows, shared
#: by `load_renja` and the reports read from stored rows (`monev.pemda.baris_tersimpan`).
SIMPUL_KOLOM = (
    "id",
    "renja_id",
    "kode",
    "tingkat",
    "nama",
    "pagu",
    "target_renstra_rp",
    "realisasi_lalu_rp",
    "agregasi_rp",
    "unit_kerja",
    "sasaran",
)
INDIKATOR_KOLOM = (
    "id",
    "simpul_id",
    "teks",
    "satuan",
    "target_renstra",
    "realisasi_lalu",
    "target",
    "target_volume",
    "polaritas",
    "agregasi",
)


def indikator_of(row: tuple[Any, ...], realisasi: dict[int, Decimal | None]) -> core.Indikator:
    """Return the engine's indicator of a row of `INDIKATOR_KOLOM` and its realisations."""
    pk, _, teks, satuan, renstra, lalu, target, volume, polaritas, agregasi = row
    return core.Indikator(
        teks=teks,
        satuan=satuan,
        target_renstra=renstra,
        realisasi_lalu=lalu,
        target=target,
        target_volume=volume,
        triwulan=quarters(realisasi),
        polaritas=Polaritas(polaritas),
        agregasi=Agregasi(agregasi),
        ref=pk,
    )


def node_of(
    row: tuple[Any, ...],
    indikator: tuple[core.Indikator, ...],
    realisasi_rp: dict[int, Decimal | None],
) -> core.Node:
    """Return the engine's node of a row of `SIMPUL_KOLOM`, its indicators and Rp entries."""
    pk, _, kode, tingkat, nama, pagu, renstra_rp, lalu_rp, agregasi_rp, unit, sasaran = row
    return core.Node(
        kode=kode,
        tingkat=Tingkat(tingkat),
        nama=nama,
        indikator=indikator,
        pagu=pagu,
        triwulan_rp=quarters(realisasi_rp),
        target_renstra_rp=renstra_rp,
        realisasi_lalu_rp=lalu_rp,
        agregasi_rp=Agregasi(agregasi_rp),
        unit=unit,
        sasaran=sasaran,
        ref=pk,
    )


@dataclass(frozen=True)
class DataRenja:
    """What the engine needs of one Renja, and its plans, loaded in bulk."""

    core: core.Renja
    rencana_k: dict[int, Quarters]
    rencana_rp: dict[int, Quarters]


def load_renja(renja: Iterable[Renja]) -> dict[int, DataRenja]:
    """Load the trees, indicators, realisations and plans of many Renja in six queries.

    The engine's view is built exactly as `monev.web.selectors.renja_data` builds it (a test
    holds the two equal), so that every figure equals the PD's own evaluation page.
    """
    by_id = {r.pk: r for r in renja}
    ids = list(by_id)
    if not ids:
        return {}
    simpul_rows = list(
        Simpul.objects.filter(renja_id__in=ids)
        .order_by("renja_id", "urutan")
        .values_list(*SIMPUL_KOLOM)
    )
    indikator: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in (
        Indikator.objects.filter(simpul__renja_id__in=ids)
        .order_by("simpul_id", "urutan", "id")
        .values_list(*INDIKATOR_KOLOM)
    ):
        indikator[row[1]].append(row)
    realisasi_k: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for indikator_id, triwulan, nilai in RealisasiK.objects.filter(
        indikator__simpul__renja_id__in=ids
    ).values_list("indikator_id", "triwulan", "nilai"):
        realisasi_k[indikator_id][triwulan] = nilai
    realisasi_rp: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for simpul_id, triwulan, nilai in RealisasiRp.objects.filter(
        simpul__renja_id__in=ids
    ).values_list("simpul_id", "triwulan", "nilai"):
        realisasi_rp[simpul_id][triwulan] = nilai
    rencana_k: dict[int, dict[int, Quarters]] = defaultdict(dict)
    for renja_id, indikator_id, *values in RencanaK.objects.filter(
        indikator__simpul__renja_id__in=ids
    ).values_list("indikator__simpul__renja_id", "indikator_id", "tw1", "tw2", "tw3", "tw4"):
        rencana_k[renja_id][indikator_id] = tuple(values)  # type: ignore[assignment]
    rencana_rp: dict[int, dict[int, Quarters]] = defaultdict(dict)
    for renja_id, simpul_id, *values in RencanaRp.objects.filter(
        simpul__renja_id__in=ids
    ).values_list("simpul__renja_id", "simpul_id", "tw1", "tw2", "tw3", "tw4"):
        rencana_rp[renja_id][simpul_id] = tuple(values)  # type: ignore[assignment]

    nodes: dict[int, list[core.Node]] = defaultdict(list)
    for row in simpul_rows:
        nodes[row[1]].append(
            node_of(
                row,
                tuple(
                    indikator_of(found, realisasi_k.get(found[0], {}))
                    for found in indikator.get(row[0], [])
                ),
                realisasi_rp.get(row[0], {}),
            )
        )
    result = {}
    for renja_id, r in by_id.items():
        pd = r.perangkat_daerah
        result[renja_id] = DataRenja(
            core=core.Renja(
                tuple(nodes.get(renja_id, [])),
                perangkat_daerah=pd.nama,
                pemda=pd.pemda.nama,
                tahun=r.tahun,
            ),
            rencana_k=dict(rencana_k.get(renja_id, {})),
            rencana_rp=dict(rencana_rp.get(renja_id, {})),
        )
    return result
