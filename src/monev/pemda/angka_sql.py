"""Group figures over stored rows (`monev.pemda.angka`): the footer rule of spec §5, §6 for any
group of programs, computed by the database as integer sums and counts, turned into figures by
`monev.core.aggregate.total_of_sums` (the one place of the rule for sums).

A group's K is the mean of the stored capaian of its kegiatan lines (`AngkaIndikator.dihitung`,
capped as the pemda's settings say when the rows were written); its Rp is Σ realisasi / Σ pagu of
its programs (`AngkaSimpul.dihitung`); each with its predikat from the band set given (the pemda's
own; for a province or the nation, the aggregating pemda's). Two queries per call whatever the
number of pemda, PDs and lines: one over line rows, one over node rows, grouped.

Every selector takes a set of pemda ids, so that one pemda, a province's kabupaten/kota or the
nation are the same query. The rows read are those of each PD's Renja in force (the amended
version when both are in force, as `selectors.renja_in_force`) and the rows pulled from other
servers (no Renja, `sumber` set). Rows are read as stored: call `monev.pemda.angka.refresh` first
where a Renja may have changed since (the pemda's own pages do).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from monev.core.aggregate import Jumlahan, total_of_sums
from monev.core.rules import Pengaturan, Total
from monev.pemda.models import AngkaIndikator, AngkaSimpul
from monev.web.models import Renja


class Kelompok(StrEnum):
    """What a set of rows is grouped by."""

    SEMUA = "semua"  # one group: every program of every pemda asked
    PEMDA = "pemda"
    PD = "pd"  # (pemda id, PD code)
    URUSAN = "urusan"
    BIDANG = "bidang"
    PROGRAM = "program"  # a program code across PDs and pemda
    PROGRAM_PD = "program_pd"  # (pemda id, PD code, program code): one PD's program


_FIELDS: dict[Kelompok, tuple[str, ...]] = {
    Kelompok.SEMUA: (),
    Kelompok.PEMDA: ("pemda_id",),
    Kelompok.PD: ("pemda_id", "pd_kode"),
    Kelompok.URUSAN: ("urusan",),
    Kelompok.BIDANG: ("bidang",),
    Kelompok.PROGRAM: ("program",),
    Kelompok.PROGRAM_PD: ("pemda_id", "pd_kode", "program"),
}


def renja_in_force_ids(pemda_ids: Iterable[int], tahun: int) -> list[int]:
    """Return the ids of each PD's Renja in force of the year, for these pemda (one query)."""
    chosen: dict[int, tuple[int, str]] = {}
    for pk, pd_id, versi in Renja.objects.filter(
        perangkat_daerah__pemda_id__in=list(pemda_ids), tahun=tahun, berlaku=True, diarsipkan=False
    ).values_list("pk", "perangkat_daerah_id", "versi"):
        current = chosen.get(pd_id)
        if current is None or (
            versi == Renja.Versi.PERUBAHAN and current[1] != Renja.Versi.PERUBAHAN
        ):
            chosen[pd_id] = (pk, versi)
    return [pk for pk, _ in chosen.values()]


def rows_in_force(model: Any, pemda_ids: Iterable[int], tahun: int, triwulan: int) -> QuerySet[Any]:
    """Return the counted rows of a table for these pemda, year and quarter."""
    ids = list(pemda_ids)
    return model.objects.filter(
        Q(renja_id__in=renja_in_force_ids(ids, tahun)) | Q(renja__isnull=True, pemda_id__in=ids),
        tahun=tahun,
        triwulan=triwulan,
        dihitung=True,
    )


def _key(row: dict[str, Any], fields: tuple[str, ...]) -> Any:
    if not fields:
        return None
    if len(fields) == 1:
        return row[fields[0]]
    return tuple(row[f] for f in fields)


def sums(
    pemda_ids: Iterable[int], tahun: int, triwulan: int, by: Kelompok = Kelompok.SEMUA
) -> dict[Any, Jumlahan]:
    """Return each group's sums and counts over the stored rows (two queries)."""
    ids = list(pemda_ids)
    fields = _FIELDS[by]
    out: dict[Any, Jumlahan] = {}
    lines = rows_in_force(AngkaIndikator, ids, tahun, triwulan).values(*fields)
    for row in lines.annotate(s=Sum("capaian_rata"), n=Count("capaian_rata")).order_by():
        key = _key(row, fields)
        out[key] = out.get(key, Jumlahan()) + Jumlahan(capaian_sum=row["s"], capaian_count=row["n"])
    nodes = rows_in_force(AngkaSimpul, ids, tahun, triwulan).values(*fields)
    for row in nodes.annotate(
        ps=Sum("pagu"), pn=Count("pagu"), rs=Sum("realisasi"), rn=Count("realisasi")
    ).order_by():
        key = _key(row, fields)
        out[key] = out.get(key, Jumlahan()) + Jumlahan(
            pagu_sum=_int(row["ps"]),
            pagu_count=row["pn"],
            realisasi_sum=_int(row["rs"]),
            realisasi_count=row["rn"],
        )
    return out


def _int(value: Any) -> int | None:
    # PostgreSQL sums a bigint as numeric (a Decimal), SQLite as an integer: both exact.
    return None if value is None else int(value)


def totals(
    pemda_ids: Iterable[int],
    tahun: int,
    triwulan: int,
    pengaturan: Pengaturan,
    by: Kelompok = Kelompok.SEMUA,
) -> dict[Any, Total]:
    """Return each group's figures (K mean, Σ realisasi / Σ pagu, predikat) over stored rows."""
    return {
        key: total_of_sums(value, pengaturan)
        for key, value in sums(pemda_ids, tahun, triwulan, by).items()
    }


def total(pemda_ids: Iterable[int], tahun: int, triwulan: int, pengaturan: Pengaturan) -> Total:
    """Return the figures of every program of these pemda together (a pemda, a province's
    kabupaten/kota, the nation)."""
    found = totals(pemda_ids, tahun, triwulan, pengaturan)
    return found.get(None) or total_of_sums(Jumlahan(), pengaturan)
