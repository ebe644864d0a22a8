"""The pre-summed rows (`AngkaJumlah`): per Renja (or pulled PD, `sumber`), quarter and finest
group (pemda, PD, urusan, bidang, program), the integer sums and counts that
`monev.pemda.angka_sql` adds up for any group: Σ and count of the counted lines' `capaian_rata`,
Σ and count of the counted nodes' pagu and realisasi.

They are written by the database itself (DELETE, then INSERT … SELECT … GROUP BY over the rows
just written), in the transaction that writes those rows: `rebuild_renja` from
`angka.write_many`, `rebuild_pulled` from `angka.import_rows` and `tarik.forget_rows`, `forget`
from `angka.forget`. Sums of integers are exact on SQLite as on PostgreSQL; a read then sums a
few rows per program instead of every line of every Renja.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

from monev.pemda.models import AngkaIndikator, AngkaJumlah, AngkaSimpul

#: The columns a sums row is grouped by (all of them: the finest group any `Kelompok` needs).
KUNCI = (
    "renja_id",
    "pemda_id",
    "tahun",
    "triwulan",
    "sumber",
    "pd_kode",
    "urusan",
    "bidang",
    "program",
)
#: The sums and counts, in the order the SELECT below yields them.
NILAI = (
    "capaian_sum",
    "capaian_count",
    "pagu_sum",
    "pagu_count",
    "realisasi_sum",
    "realisasi_count",
)


def _select(where: str) -> str:
    """Return the GROUP BY of the counted line and node rows matching `where` (one row per key:
    the two tables' groups side by side, the absent side's sums null and its counts 0)."""
    keys = ", ".join(KUNCI)
    lines, nodes = AngkaIndikator._meta.db_table, AngkaSimpul._meta.db_table
    return (
        f"SELECT {keys}, SUM(cs), SUM(cc), SUM(ps), SUM(pc), SUM(rs), SUM(rc) FROM ("
        f" SELECT {keys}, SUM(capaian_rata) AS cs, COUNT(capaian_rata) AS cc,"
        "  NULL AS ps, 0 AS pc, NULL AS rs, 0 AS rc"
        f"  FROM {lines} WHERE dihitung = %s AND {where} GROUP BY {keys}"
        " UNION ALL"
        f" SELECT {keys}, NULL, 0, SUM(pagu), COUNT(pagu), SUM(realisasi), COUNT(realisasi)"
        f"  FROM {nodes} WHERE dihitung = %s AND {where} GROUP BY {keys}"
        f") AS baris GROUP BY {keys}"
    )


def _insert(where: str, params: list[Any]) -> None:
    table = AngkaJumlah._meta.db_table
    columns = ", ".join((*KUNCI, *NILAI))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) {_select(where)}", [True, *params, True, *params]
        )


def rebuild_renja(renja_ids: Iterable[int]) -> None:
    """Make the sums rows of these Renja those of their stored rows (call it in the transaction
    that wrote them)."""
    ids = sorted(set(renja_ids))
    if not ids:
        return
    AngkaJumlah.objects.filter(renja_id__in=ids).delete()
    marks = ", ".join(["%s"] * len(ids))
    _insert(f"renja_id IN ({marks})", ids)


def rebuild_pulled(*, pemda_id: int, tahun: int, triwulan: int, pd_kode: str, sumber: str) -> None:
    """Make the sums rows of one pulled PD quarter those of its stored rows."""
    where = {
        "renja__isnull": True,
        "pemda_id": pemda_id,
        "tahun": tahun,
        "triwulan": triwulan,
        "pd_kode": pd_kode,
        "sumber": sumber,
    }
    AngkaJumlah.objects.filter(**where).delete()
    _insert(
        "renja_id IS NULL AND pemda_id = %s AND tahun = %s AND triwulan = %s AND pd_kode = %s"
        " AND sumber = %s",
        [pemda_id, tahun, triwulan, pd_kode, sumber],
    )


def forget(*, all_rows: bool = False) -> None:
    """Delete the sums rows of every local Renja (`all_rows`: of pulled rows too)."""
    found = AngkaJumlah.objects.all()
    (found if all_rows else found.filter(renja__isnull=False)).delete()


def rebuild_all() -> None:
    """Make every sums row that of the stored rows (a database whose rows predate the table)."""
    AngkaJumlah.objects.all().delete()
    _insert("1 = 1", [])
