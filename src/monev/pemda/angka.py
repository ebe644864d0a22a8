"""Each Renja's figures kept as rows: one per indicator line and quarter (`AngkaIndikator`), one
per node and quarter (`AngkaSimpul`), so that the figures of any group of lines (a program, a
bidang urusan, an urusan, a PD, a pemda, a province's kabupaten/kota, the nation) are sums the
database makes (`monev.pemda.angka_sql`), never a new evaluation.

The engine stays the only place a line's or a node's figure is computed: a Renja's rows are the
values of its four evaluations (`monev.core.evaluation.evaluate`, TW I–IV), written as they are;
a verified quarter's rows are its snapshot's evaluation (spec §8), flagged `terverifikasi`.

Refresh: the rows of a Renja carry the state they were computed from (`AngkaTanda.kunci`: the
Renja's last recorded change, the pemda's settings, a digest of the code, as
`monev.pemda.muat`). `refresh` evaluates only the Renja whose state moved, once, and writes their
rows in one transaction per Renja: readers on PostgreSQL keep seeing the old rows until it
commits, nothing waits for it but another refresh of the same Renja (which locks its mark first,
so that two refreshes never write the same rows twice). Only rows whose values changed are
written (a cell save moves a few lines and their parents' budget rows, not 2,400 rows).

Rows pulled from another server (`import_rows`) carry no Renja and name their source
(`sumber`); `export_rows` is what that server hands out: the verified rows of one PD quarter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import Any

from django.db import transaction

from monev.core.aggregate import capaian_int, capaian_of, rp_of, sen_int
from monev.core.evaluation import Evaluasi
from monev.core.rules import Pengaturan
from monev.pemda import angka_json, angka_jumlah, angka_tulis
from monev.pemda.angka_baris import (
    evaluate_year,
    figures_of_year,
    pd_rows_of,
    rows_of,
    warning_key,
)
from monev.pemda.models import (
    KOLOM_PD,
    SUMBER_LOKAL,
    AngkaIndikator,
    AngkaPD,
    AngkaSimpul,
    AngkaTanda,
)
from monev.pemda.muat import DataRenja, change_marks, code_digest, load_renja, settings_key
from monev.pemda.summary import RingkasanPD
from monev.web import snapshot
from monev.web.models import LaporanTriwulan, Pemda, Renja
from monev.web.pengaturan import pengaturan_of

#: The version of the document `export_rows` returns and `import_rows` reads.
VERSI_DOKUMEN = 1

#: The value columns of each table: what a refresh compares and writes, what a document carries.
KOLOM_SIMPUL = (
    "pd_kode",
    "pd_nama",
    "terverifikasi",
    "tingkat",
    "nama",
    "urusan",
    "bidang",
    "program",
    "dihitung",
    "pagu",
    "realisasi",
    "capaian",
    "predikat",
    "target_renstra",
    "renstra_realisasi",
    "renstra_capaian",
)
KOLOM_INDIKATOR = (
    "pd_kode",
    "pd_nama",
    "terverifikasi",
    "kode",
    "tingkat",
    "nama",
    "nomor",
    "indikator_ref",
    "teks",
    "satuan",
    "urusan",
    "bidang",
    "program",
    "dihitung",
    "target",
    "realisasi",
    "capaian",
    "capaian_rata",
    "predikat",
    "target_renstra",
    "renstra_realisasi",
    "renstra_capaian",
)
#: How each kind of column travels in a document: amounts in Rp and capaian in per cent as
#: decimal strings, K values as decimal strings.
_RP = {"pagu", "realisasi", "target_renstra", "renstra_realisasi"}
_PERSEN = {"capaian", "capaian_rata", "renstra_capaian"}
_NILAI = {"target", "realisasi", "target_renstra", "renstra_realisasi"}
_BOOL = {"terverifikasi", "dihitung"}
_INT = {"nomor", "indikator_ref"}


#: Columns of a row that the document holds once, not per row.
common_skip = frozenset({"pd_kode", "pd_nama", "terverifikasi"})


class AngkaImportError(ValueError):
    """A document of rows that cannot be written; `errors` says where and what (Indonesian)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


# -- refresh -------------------------------------------------------------------------------------


def stored_key(mark: tuple[Any, ...] | None, pengaturan: Pengaturan) -> str:
    """Return the state a Renja's rows are computed from (its change mark, settings, code)."""
    parts = [str(part) for part in mark or ("-",)]
    return "|".join([*parts, settings_key(pengaturan), code_digest()])


def stale(renja: Iterable[Renja], pengaturan: Pengaturan | None = None) -> dict[int, str]:
    """Return the Renja among these whose rows are missing or stale, with their current key
    (two queries: the marks, the stored marks). `pengaturan`: the settings to evaluate with,
    the pemda's own by default."""
    listed = list(renja)
    if not listed:
        return {}
    marks = change_marks(r.pk for r in listed)
    settings: dict[int, Pengaturan] = {}
    wanted = {}
    for r in listed:
        pemda = r.perangkat_daerah.pemda
        if pemda.pk not in settings:
            settings[pemda.pk] = pengaturan or pengaturan_of(pemda)
        wanted[r.pk] = stored_key(marks.get(r.pk), settings[pemda.pk])
    have = dict(
        AngkaTanda.objects.filter(renja_id__in=list(wanted)).values_list("renja_id", "kunci")
    )
    return {pk: key for pk, key in wanted.items() if have.get(pk) != key}


def refresh(
    renja: Iterable[Renja], pengaturan: Pengaturan | None = None
) -> dict[int, dict[int, Evaluasi]]:
    """Bring the rows of these Renja up to date: evaluate each stale one once and write what
    changed. Return the evaluations made (Renja id → quarter → evaluation)."""
    by_id = {r.pk: r for r in renja}
    keys = stale(by_id.values(), pengaturan)
    if not keys:
        return {}
    # The keys are read before the data: rows stored under a key are never older than it.
    loaded = load_renja(by_id[pk] for pk in keys)
    return write_evaluated(by_id, keys, loaded, pengaturan)


def write_evaluated(
    by_id: Mapping[int, Renja],
    keys: Mapping[int, str],
    loaded: Mapping[int, DataRenja],
    pengaturan: Pengaturan | None = None,
) -> dict[int, dict[int, Evaluasi]]:
    """Evaluate the loaded Renja (verified quarters as recorded) and write their rows.

    A verified quarter whose record cannot be read is written as evaluated now and not flagged
    verified: its figures are never passed off as the accepted ones (nor pulled as such by a
    province); its pages say why (`snapshot.RekamanRusak`)."""
    recorded, unreadable = snapshot.verified_records(loaded)
    verified = set(
        LaporanTriwulan.objects.filter(
            renja_id__in=list(loaded), status=LaporanTriwulan.Status.DIVERIFIKASI
        ).values_list("renja_id", "triwulan")
    ) - set(unreadable)
    done = {}
    batch = []
    settings: dict[int, Pengaturan] = {}
    for renja_id, data in loaded.items():
        r = by_id[renja_id]
        pemda = r.perangkat_daerah.pemda
        if pemda.pk not in settings:
            settings[pemda.pk] = pengaturan or pengaturan_of(pemda)
        mine = {q: e for (rid, q), e in recorded.items() if rid == renja_id}
        evaluations = evaluate_year(data, settings[pemda.pk], mine)
        figures = figures_of_year(data, evaluations, settings[pemda.pk])
        mine_verified = {q for rid, q in verified if rid == renja_id}
        batch.append(Tulisan(r, keys[renja_id], evaluations, mine_verified, figures))
        done[renja_id] = evaluations
    write_many(batch)
    return done


@dataclass(frozen=True)
class Tulisan:
    """What is written for one Renja: its key, its four evaluations, its verified quarters, its
    figures (plans and projections)."""

    renja: Renja
    kunci: str
    evaluations: Mapping[int, Evaluasi]
    verified: set[int]
    figures: RingkasanPD


def write_rows(
    renja: Renja,
    kunci: str,
    evaluations: Mapping[int, Evaluasi],
    verified: set[int],
    figures: RingkasanPD,
) -> tuple[int, int]:
    """Write one Renja's rows (see `write_many`)."""
    return write_many([Tulisan(renja, kunci, evaluations, verified, figures)])


def _rows_of_renja(item: Tulisan) -> tuple[list[Any], list[Any], list[Any]]:
    renja, figures = item.renja, item.figures
    pd = renja.perangkat_daerah
    common = {
        "renja_id": renja.pk,
        "pemda_id": pd.pemda_id,
        "tahun": renja.tahun,
        "pd_kode": pd.kode,
        "pd_nama": pd.nama,
        "sumber": SUMBER_LOKAL,
    }
    simpul, indikator = [], []
    fixed: dict[int, Any] = {}
    for q, evaluasi in item.evaluations.items():
        nodes, lines = rows_of(
            evaluasi,
            terverifikasi=q in item.verified,
            common={**common, "triwulan": q},
            fixed=fixed,
        )
        warns = {
            warning_key(w.kode, w.ref, w.teks): angka_json.dump(w.proyeksi)
            for w in figures.at(q).peringatan
        }
        for row in lines:
            row["proyeksi"] = warns.get(warning_key(row["kode"], row["indikator_ref"], row["teks"]))
        simpul += nodes
        indikator += lines
    pd_common = {"renja_id": renja.pk, "pemda_id": pd.pemda_id, "tahun": renja.tahun}
    pd_rows = [{**pd_common, **row} for row in pd_rows_of(figures, item.verified)]
    return simpul, indikator, pd_rows


def write_many(items: list[Tulisan]) -> tuple[int, int]:
    """Write the rows of these Renja from their evaluations in one transaction, whatever their
    number in a fixed number of queries (but for batches of many rows); only rows that differ
    from the stored ones are written. Return (rows written, rows deleted)."""
    if not items:
        return 0, 0
    items = sorted(items, key=lambda i: i.renja.pk)  # the same lock order in every process
    simpul, indikator, pd_rows = [], [], []
    for item in items:
        a, b, c = _rows_of_renja(item)
        simpul += a
        indikator += b
        pd_rows += c
    ids = [item.renja.pk for item in items]
    with transaction.atomic():
        # The marks first: a concurrent refresh of the same Renja waits here until this commits.
        AngkaTanda.objects.bulk_create(
            [AngkaTanda(renja_id=item.renja.pk, kunci=item.kunci) for item in items],
            update_conflicts=True,
            unique_fields=["renja"],
            update_fields=["kunci", "dihitung"],
        )
        a = _sync(AngkaSimpul, ids, simpul, ("kode", "urutan", *KOLOM_SIMPUL), _key_simpul)
        b = _sync(
            AngkaIndikator,
            ids,
            indikator,
            ("urutan", *KOLOM_INDIKATOR, "proyeksi"),
            _key_indikator,
        )
        c = _sync(AngkaPD, ids, pd_rows, KOLOM_PD, _key_pd)
        angka_jumlah.rebuild_renja(ids)
    return a[0] + b[0] + c[0], a[1] + b[1] + c[1]


def _key_simpul(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (row["renja_id"], row["triwulan"], row["kode"])


def _key_indikator(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (row["renja_id"], row["triwulan"], row["urutan"])


def _key_pd(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (row["renja_id"], row["triwulan"])


def _digest(values: tuple[Any, ...]) -> str:
    """Return a digest of a row's values, in the order of its columns (the same values give the
    same digest in every run: they are built from the evaluation the same way each time)."""
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


def _sync(
    model: Any,
    renja_ids: list[int],
    rows: list[dict[str, Any]],
    columns: tuple[str, ...],
    key_of: Any,
) -> tuple[int, int]:
    """Make the stored rows of these Renja the given ones: rows whose digest differs are
    updated, new ones created, the others deleted; the values of unchanged rows are not read."""
    key_fields = ["renja_id", "triwulan", "urutan" if model is AngkaIndikator else "kode"]
    if model is AngkaPD:
        key_fields = key_fields[:2]
    stored = {
        tuple(found[:-2]): (found[-2], found[-1])
        for found in model.objects.filter(renja_id__in=renja_ids).values_list(
            *key_fields, "id", "sidik"
        )
    }
    create, update, seen = [], [], set()
    values_of = itemgetter(*columns)  # a tuple of the row's values in one C call
    for row in rows:
        key = key_of(row)
        seen.add(key)
        sidik = row["sidik"] = _digest(values_of(row))  # the rows are this refresh's own
        old = stored.get(key)
        if old is None:
            create.append(row)
        elif old[1] != sidik:
            update.append((old[0], row))
    gone = [pk for key, (pk, _) in stored.items() if key not in seen]
    if gone:
        model.objects.filter(id__in=gone).delete()
    angka_tulis.insert(model, create)
    fixed = {"urutan"} if model is AngkaIndikator else {"kode"}
    angka_tulis.update(model, update, [c for c in columns if c not in fixed] + ["sidik"])
    return len(create) + len(update), len(gone)


def forget(*, all_rows: bool = False) -> None:
    """Delete the stored rows of every local Renja (`all_rows`: pulled rows too)."""
    AngkaTanda.objects.all().delete()
    AngkaPD.objects.all().delete()
    angka_jumlah.forget(all_rows=all_rows)
    found = (
        AngkaSimpul.objects.all() if all_rows else AngkaSimpul.objects.filter(renja__isnull=False)
    )
    found.delete()
    lines = AngkaIndikator.objects.all()
    (lines if all_rows else lines.filter(renja__isnull=False)).delete()


# -- between servers -----------------------------------------------------------------------------


def _out(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in _PERSEN:
        return str(capaian_of(value))
    if column in _RP and isinstance(value, int):  # a node's amount in sen
        return str(rp_of(value))
    if isinstance(value, Decimal):
        return str(value)
    return value


def export_rows(renja: Renja, triwulan: int) -> dict[str, Any]:
    """Return the verified rows of a PD's quarter as a JSON-able document (amounts in Rp and
    capaian in per cent as decimal strings). Raise ValueError when the quarter is not verified.

    The rows are refreshed first, so that they are the quarter's snapshot as recorded."""
    verified = LaporanTriwulan.objects.filter(
        renja=renja, triwulan=triwulan, status=LaporanTriwulan.Status.DIVERIFIKASI
    ).exists()
    if not verified:
        raise ValueError(
            f"TW {triwulan} Renja {renja.tahun} {renja.perangkat_daerah.nama} belum diverifikasi: "
            "angkanya belum dapat dikirim."
        )
    refresh([renja])
    pd = renja.perangkat_daerah
    found = {"renja_id": renja.pk, "triwulan": triwulan, "terverifikasi": True}
    simpul = (
        AngkaSimpul.objects.filter(**found)
        .order_by("urutan")
        .values("urutan", "kode", *KOLOM_SIMPUL)
    )
    lines = AngkaIndikator.objects.filter(**found).order_by("urutan")
    return {
        "versi": VERSI_DOKUMEN,
        "pemda": {"nama": pd.pemda.nama, "jenis": pd.pemda.jenis},
        "perangkat_daerah": {"kode": pd.kode, "nama": pd.nama},
        "tahun": renja.tahun,
        "triwulan": triwulan,
        "simpul": [
            {c: _out(c, v) for c, v in row.items() if c not in common_skip} for row in simpul
        ],
        "indikator": [
            {c: _out(c, v) for c, v in row.items() if c not in common_skip}
            for row in lines.values("urutan", *KOLOM_INDIKATOR)
        ],
    }


def _in(column: str, value: Any, where: str, errors: list[str], *, sen: bool) -> Any:
    if value is None:
        return None
    try:
        if column in _BOOL:
            if not isinstance(value, bool):
                raise TypeError
            return value
        if column in _INT or column == "urutan":
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError
            return value
        if column in _PERSEN or column in _RP or column in _NILAI:
            if not isinstance(value, str):
                raise TypeError
            number = Decimal(value)
            if not number.is_finite():
                raise TypeError
            if column in _PERSEN:
                return capaian_int(number)
            if sen and column in _RP:
                return sen_int(number)
            return number
        if not isinstance(value, str):
            raise TypeError
        return value
    except (TypeError, InvalidOperation):
        errors.append(f"{where}, kolom {column}: nilai {value!r} tidak terbaca")
        return None


def import_rows(doc: Mapping[str, Any], *, pemda: Pemda, sumber: str) -> int:
    """Write the rows of a document (`export_rows` of another server) as the figures of a PD of
    `pemda`, marked as pulled from `sumber`; they replace that PD quarter's rows from the same
    source. All or nothing: raise `AngkaImportError` listing every problem. Return the rows
    written."""
    errors: list[str] = []
    if not sumber:
        errors.append("sumber kosong: baris tarikan harus menyebut server asalnya")
    if doc.get("versi") != VERSI_DOKUMEN:
        errors.append(f"versi dokumen {doc.get('versi')!r} tidak dikenal (harus {VERSI_DOKUMEN})")
    pd = doc.get("perangkat_daerah") or {}
    pd_kode, pd_nama = pd.get("kode"), pd.get("nama")
    if not isinstance(pd_kode, str) or not pd_kode or not isinstance(pd_nama, str):
        errors.append("perangkat_daerah: kode dan nama wajib diisi")
    tahun, triwulan = doc.get("tahun"), doc.get("triwulan")
    if not isinstance(tahun, int) or not 2000 <= tahun <= 2100:
        errors.append(f"tahun {tahun!r} tidak sah")
    if triwulan not in (1, 2, 3, 4):
        errors.append(f"triwulan {triwulan!r} tidak sah (1 sampai 4)")
    common = {
        "renja": None,
        "pemda": pemda,
        "tahun": tahun,
        "triwulan": triwulan,
        "pd_kode": pd_kode,
        "pd_nama": pd_nama,
        "sumber": sumber,
        "terverifikasi": True,
    }
    made: list[Any] = []
    for name, model, columns, required in (
        ("simpul", AngkaSimpul, KOLOM_SIMPUL, ("urutan", "kode", "tingkat")),
        ("indikator", AngkaIndikator, KOLOM_INDIKATOR, ("urutan", "kode", "tingkat", "nomor")),
    ):
        rows = doc.get(name)
        if not isinstance(rows, list):
            errors.append(f"{name}: daftar baris tidak ada")
            continue
        for i, row in enumerate(rows, start=1):
            where = f"{name} baris {i}"
            if not isinstance(row, dict):
                errors.append(f"{where}: bukan objek")
                continue
            missing = [c for c in required if row.get(c) is None]
            if missing:
                errors.append(f"{where}: kolom {', '.join(missing)} wajib diisi")
            values = {
                c: _in(c, row.get(c), where, errors, sen=name == "simpul")
                for c in ("urutan", "kode", *columns)
                if c in row and c not in common_skip
            }
            text = {
                c: values.get(c) or ""
                for c in ("nama", "urusan", "bidang", "program", "predikat", "teks", "satuan")
                if c in columns
            }
            made.append(model(**{**common, **values, **text}))
    if errors:
        raise AngkaImportError(errors)
    where = {
        "pemda": pemda,
        "tahun": tahun,
        "triwulan": triwulan,
        "pd_kode": pd_kode,
        "sumber": sumber,
    }
    with transaction.atomic():
        AngkaSimpul.objects.filter(**where).delete()
        AngkaIndikator.objects.filter(**where).delete()
        AngkaSimpul.objects.bulk_create(
            [m for m in made if isinstance(m, AngkaSimpul)], batch_size=2000
        )
        AngkaIndikator.objects.bulk_create(
            [m for m in made if isinstance(m, AngkaIndikator)], batch_size=2000
        )
        angka_jumlah.rebuild_pulled(
            pemda_id=pemda.pk, tahun=tahun, triwulan=triwulan, pd_kode=pd_kode, sumber=sumber
        )
    return len(made)
