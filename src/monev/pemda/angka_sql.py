"""Group figures over stored rows (`monev.pemda.angka`): the footer rule of spec §5, §6 for any
group of programs, computed by the database as integer sums and counts, turned into figures by
`monev.core.aggregate.total_of_sums` (the one place of the rule for sums).

A group's K is the mean of the stored capaian of its kegiatan lines (`AngkaIndikator.dihitung`,
capped as the pemda's settings say when the rows were written); its Rp is Σ realisasi / Σ pagu of
its programs (`AngkaSimpul.dihitung`); each with its predikat from the band set given (the pemda's
own; for a province or the nation, the aggregating pemda's). One query per call whatever the
number of pemda, PDs and lines, over the pre-summed rows (`AngkaJumlah`, per Renja, quarter and program, kept by
`monev.pemda.angka_jumlah` in the transaction that writes the rows), grouped.

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

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Sum

from monev.core.aggregate import Jumlahan, total_of_sums
from monev.core.codes import Tingkat
from monev.core.rules import Pengaturan, Total
from monev.pemda.models import SUMBER_LOKAL, AngkaJumlah, AngkaSimpul, AngkaTanda
from monev.web.models import Renja, Simpul


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


def renja_in_force(pemda_ids: Iterable[int], tahun: int) -> QuerySet[Renja]:
    """Return (as a subquery) the ids of each PD's Renja in force of the year, for these pemda:
    the amended version when both are in force, as `selectors.renja_in_force`."""
    in_force = Q(berlaku=True, diarsipkan=False)
    amended = Renja.objects.filter(
        in_force,
        perangkat_daerah=OuterRef("perangkat_daerah"),
        tahun=OuterRef("tahun"),
        versi=Renja.Versi.PERUBAHAN,
    )
    return (
        Renja.objects.filter(in_force, perangkat_daerah__pemda_id__in=list(pemda_ids), tahun=tahun)
        .exclude(~Q(versi=Renja.Versi.PERUBAHAN) & Exists(amended))
        .order_by()
        .values("pk")
    )


def _key(row: dict[str, Any], fields: tuple[str, ...]) -> Any:
    if not fields:
        return None
    if len(fields) == 1:
        return row[fields[0]]
    return tuple(row[f] for f in fields)


def _read(ids: list[int], tahun: int, triwulan: int) -> QuerySet[AngkaJumlah]:
    """The sums rows read: those of the Renja in force and the pulled rows."""
    return AngkaJumlah.objects.filter(pemda_id__in=ids, tahun=tahun, triwulan=triwulan).filter(
        Q(renja__isnull=True) | Q(renja_id__in=renja_in_force(ids, tahun))
    )


def sums(
    pemda_ids: Iterable[int], tahun: int, triwulan: int, by: Kelompok = Kelompok.SEMUA
) -> dict[Any, Jumlahan]:
    """Return each group's sums and counts over the stored rows (one query, over the sums rows
    of the Renja in force and the pulled rows)."""
    ids = list(pemda_ids)
    fields = _FIELDS[by]
    rows = _read(ids, tahun, triwulan)
    added = {
        "cs": Sum("capaian_sum"),
        "cn": Sum("capaian_count"),
        "ps": Sum("pagu_sum"),
        "pn": Sum("pagu_count"),
        "rs": Sum("realisasi_sum"),
        "rn": Sum("realisasi_count"),
    }
    if not fields:  # one group (`values()` without fields would group by every column)
        one = rows.aggregate(**added, rows=Count("pk"))
        found = [one] if one["rows"] else []
    else:
        found = list(rows.values(*fields).annotate(**added).order_by())
    return {
        _key(row, fields): Jumlahan(
            capaian_sum=_int(row["cs"]),
            capaian_count=int(row["cn"]),
            pagu_sum=_int(row["ps"]),
            pagu_count=int(row["pn"]),
            realisasi_sum=_int(row["rs"]),
            realisasi_count=int(row["rn"]),
        )
        for row in found
    }


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


def combined(
    sums_by_pemda: dict[Any, Jumlahan], members: Iterable[int], pengaturan: Pengaturan
) -> Total:
    """Return the figures of several pemda together from their `sums(..., Kelompok.PEMDA)` (a
    province with its kabupaten/kota), without another query."""
    added = sum((sums_by_pemda[m] for m in members if m in sums_by_pemda), Jumlahan())
    return total_of_sums(added, pengaturan)


def pd_counts(
    pemda_ids: Iterable[int], tahun: int, triwulan: int, by: Kelompok = Kelompok.SEMUA
) -> dict[Any, int]:
    """Return each group's number of PDs with stored rows (a PD: a pemda id and a PD code, pulled
    or local), one query."""
    ids = list(pemda_ids)
    fields = _FIELDS[by]
    pairs = _read(ids, tahun, triwulan).values(*fields, "pemda_id", "pd_kode").distinct().order_by()
    counts: dict[Any, int] = {}
    for row in pairs:
        key = _key(row, fields)
        counts[key] = counts.get(key, 0) + 1
    return counts


def years(pemda_ids: Iterable[int]) -> list[int]:
    """Return the years of these pemda's Renja and stored rows (pulled ones too), newest first."""
    ids = list(pemda_ids)
    stored = AngkaJumlah.objects.filter(pemda_id__in=ids).order_by()
    planned = Renja.objects.filter(perangkat_daerah__pemda_id__in=ids).order_by()
    found = set(stored.values_list("tahun", flat=True).distinct())
    found.update(planned.values_list("tahun", flat=True).distinct())
    return sorted(found, reverse=True)


def last_triwulan(pemda_ids: Iterable[int], tahun: int) -> int:
    """Return the last quarter of the year with any capaian or realisation stored (TW I if none)."""
    found = (
        AngkaJumlah.objects.filter(pemda_id__in=list(pemda_ids), tahun=tahun)
        .filter(Q(capaian_count__gt=0) | Q(realisasi_count__gt=0))
        .aggregate(q=Max("triwulan"))["q"]
    )
    return int(found) if found else 1


def sources(pemda_ids: Iterable[int], tahun: int) -> list[str]:
    """Return the names of the servers whose pulled rows are among these pemda's, sorted."""
    found = (
        AngkaJumlah.objects.filter(pemda_id__in=list(pemda_ids), tahun=tahun, renja__isnull=True)
        .exclude(sumber=SUMBER_LOKAL)
        .order_by()
        .values_list("sumber", flat=True)
        .distinct()
    )
    return sorted(set(found))


def program_names(pemda_ids: Iterable[int], tahun: int, triwulan: int) -> dict[str, str]:
    """Return a name of each program code among these pemda's rows: from the plans of the Renja
    in force (indexed by Renja), then from the pulled rows, which have no plan here (two grouped
    queries; the stored rows of every Renja would be a scan of millions at national size)."""
    ids = list(pemda_ids)
    planned = (
        Simpul.objects.filter(renja_id__in=renja_in_force(ids, tahun), tingkat=Tingkat.PROGRAM)
        .values("kode")
        .annotate(nama=Min("nama"))
        .order_by()
    )
    pulled = (
        AngkaSimpul.objects.filter(
            pemda_id__in=ids,
            tahun=tahun,
            triwulan=triwulan,
            tingkat=Tingkat.PROGRAM,
            renja__isnull=True,
        )
        .values("kode")
        .annotate(nama=Min("nama"))
        .order_by()
    )
    names = {row["kode"]: row["nama"] for row in pulled}
    names.update({row["kode"]: row["nama"] for row in planned})
    return names


def computed(pemda_ids: Iterable[int], tahun: int) -> tuple[int, int, Any]:
    """Return how many Renja in force of the year these pemda have, how many of them have stored
    rows, and when rows were last computed (None: never), in two queries."""
    ids = list(pemda_ids)
    in_force = renja_in_force(ids, tahun)
    marks = AngkaTanda.objects.filter(renja_id__in=in_force).aggregate(
        n=Count("pk"), t=Max("dihitung")
    )
    return in_force.count(), int(marks["n"]), marks["t"]
