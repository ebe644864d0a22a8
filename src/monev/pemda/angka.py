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

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from monev.core.aggregate import capaian_int, capaian_of, rp_of, sen_int
from monev.core.codes import Tingkat, program_of
from monev.core.evaluation import Evaluasi, evaluate
from monev.core.nomenclature import bidang_of, urusan_of
from monev.core.rules import Pengaturan
from monev.pemda.models import SUMBER_LOKAL, AngkaIndikator, AngkaSimpul, AngkaTanda
from monev.pemda.muat import DataRenja, change_marks, code_digest, load_renja, settings_key
from monev.web import bulk, snapshot
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


# -- from evaluations to rows --------------------------------------------------------------------


def _codes(kode: str) -> dict[str, str]:
    program = program_of(kode)
    return {"program": program, "bidang": bidang_of(program), "urusan": urusan_of(program)}


def rows_of(
    evaluasi: Evaluasi, *, terverifikasi: bool = False
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return a quarter's node rows and line rows (column → stored value) of an evaluation.

    A node row counts (`dihitung`) when it is a program (the first of its code), a line row when
    it is a kegiatan line of a program of the Renja: exactly the values `Ringkasan.program` and
    `monev.core.consolidation` take (a kegiatan whose program the plan lacks is in no group).
    """
    renja = evaluasi.renja
    cap = evaluasi.pengaturan.batas_capaian_rata_rata
    programs: set[str] = set()
    for node in renja.nodes:
        if node.tingkat is Tingkat.PROGRAM:
            programs.add(node.kode)
    simpul = []
    for kode, rp in evaluasi.rp.items():
        node = renja.node(kode)
        assert node is not None
        simpul.append(
            {
                "kode": kode,
                "tingkat": str(node.tingkat),
                "nama": node.nama,
                **_codes(kode),
                "terverifikasi": terverifikasi,
                "dihitung": node.tingkat is Tingkat.PROGRAM,
                "pagu": sen_int(rp.pagu),
                "realisasi": sen_int(rp.realisasi),
                "capaian": capaian_int(rp.capaian),
                "predikat": rp.predikat or "",
                "target_renstra": sen_int(rp.target_renstra),
                "renstra_realisasi": sen_int(rp.renstra_realisasi),
                "renstra_capaian": capaian_int(rp.renstra_capaian),
            }
        )
    indikator = []
    for urutan, line in enumerate(evaluasi.baris):
        node, item = line.node, line.indikator
        counted = node.tingkat is Tingkat.KEGIATAN and program_of(node.kode) in programs
        rata = line.capaian if cap is None or line.capaian is None else min(line.capaian, cap)
        indikator.append(
            {
                "urutan": urutan,
                "kode": node.kode,
                "tingkat": str(node.tingkat),
                "nama": node.nama,
                "nomor": line.nomor_indikator,
                "indikator_ref": item.ref,
                "teks": item.teks,
                "satuan": item.satuan,
                **_codes(node.kode),
                "terverifikasi": terverifikasi,
                "dihitung": counted,
                "target": item.target,
                "realisasi": line.realisasi,
                "capaian": capaian_int(line.capaian),
                "capaian_rata": capaian_int(rata),
                "predikat": line.predikat or "",
                "target_renstra": item.target_renstra,
                "renstra_realisasi": line.renstra_realisasi,
                "renstra_capaian": capaian_int(line.renstra_capaian),
            }
        )
    return simpul, indikator


def evaluate_year(
    data: DataRenja, pengaturan: Pengaturan, recorded: Mapping[int, Evaluasi]
) -> dict[int, Evaluasi]:
    """Return the Renja's evaluation of each quarter: the recorded one when verified."""
    return {q: recorded.get(q) or evaluate(data.core, q, pengaturan) for q in range(1, 5)}


# -- refresh -------------------------------------------------------------------------------------


def stored_key(mark: tuple[Any, ...] | None, pengaturan: Pengaturan) -> str:
    """Return the state a Renja's rows are computed from (its change mark, settings, code)."""
    parts = [str(part) for part in mark or ("-",)]
    return "|".join([*parts, settings_key(pengaturan), code_digest()])


def stale(renja: Iterable[Renja]) -> dict[int, str]:
    """Return the Renja among these whose rows are missing or stale, with their current key
    (three queries: the marks, the pemda settings, the stored marks)."""
    listed = list(renja)
    if not listed:
        return {}
    marks = change_marks(r.pk for r in listed)
    settings: dict[int, Pengaturan] = {}
    wanted = {}
    for r in listed:
        pemda = r.perangkat_daerah.pemda
        if pemda.pk not in settings:
            settings[pemda.pk] = pengaturan_of(pemda)
        wanted[r.pk] = stored_key(marks.get(r.pk), settings[pemda.pk])
    have = dict(
        AngkaTanda.objects.filter(renja_id__in=list(wanted)).values_list("renja_id", "kunci")
    )
    return {pk: key for pk, key in wanted.items() if have.get(pk) != key}


def refresh(renja: Iterable[Renja]) -> dict[int, dict[int, Evaluasi]]:
    """Bring the rows of these Renja up to date: evaluate each stale one once and write what
    changed. Return the evaluations made (Renja id → quarter → evaluation)."""
    by_id = {r.pk: r for r in renja}
    keys = stale(by_id.values())
    if not keys:
        return {}
    # The keys are read before the data: rows stored under a key are never older than it.
    loaded = load_renja(by_id[pk] for pk in keys)
    return write_evaluated(by_id, keys, loaded)


def write_evaluated(
    by_id: Mapping[int, Renja], keys: Mapping[int, str], loaded: Mapping[int, DataRenja]
) -> dict[int, dict[int, Evaluasi]]:
    """Evaluate the loaded Renja (verified quarters as recorded) and write their rows."""
    recorded = snapshot.verified_evaluations(loaded)
    verified = set(
        LaporanTriwulan.objects.filter(
            renja_id__in=list(loaded), status=LaporanTriwulan.Status.DIVERIFIKASI
        ).values_list("renja_id", "triwulan")
    )
    done = {}
    settings: dict[int, Pengaturan] = {}
    for renja_id, data in loaded.items():
        r = by_id[renja_id]
        pemda = r.perangkat_daerah.pemda
        if pemda.pk not in settings:
            settings[pemda.pk] = pengaturan_of(pemda)
        mine = {q: e for (rid, q), e in recorded.items() if rid == renja_id}
        evaluations = evaluate_year(data, settings[pemda.pk], mine)
        write_rows(r, keys[renja_id], evaluations, {q for rid, q in verified if rid == renja_id})
        done[renja_id] = evaluations
    return done


def _key_simpul(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (row["triwulan"], row["kode"])


def _key_indikator(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (row["triwulan"], row["urutan"])


def write_rows(
    renja: Renja, kunci: str, evaluations: Mapping[int, Evaluasi], verified: set[int]
) -> tuple[int, int]:
    """Write a Renja's rows from its evaluations, in one transaction; only rows that differ
    from the stored ones are written. Return (rows written, rows deleted)."""
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
    for q, evaluasi in evaluations.items():
        nodes, lines = rows_of(evaluasi, terverifikasi=q in verified)
        simpul += [{**common, "triwulan": q, **row} for row in nodes]
        indikator += [{**common, "triwulan": q, **row} for row in lines]
    with transaction.atomic():
        # The mark first: a concurrent refresh of the same Renja waits here until this commits.
        AngkaTanda.objects.bulk_create(
            [AngkaTanda(renja_id=renja.pk, kunci=kunci)],
            update_conflicts=True,
            unique_fields=["renja"],
            update_fields=["kunci", "dihitung"],
        )
        AngkaTanda.objects.select_for_update().filter(renja_id=renja.pk).exists()
        a = _sync(AngkaSimpul, renja, simpul, ("kode", *KOLOM_SIMPUL), _key_simpul)
        b = _sync(AngkaIndikator, renja, indikator, ("urutan", *KOLOM_INDIKATOR), _key_indikator)
    return a[0] + b[0], a[1] + b[1]


def _normal(column: str, value: Any) -> Any:
    """Return a value as the database hands it back, so that unchanged rows compare equal."""
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _sync(
    model: Any,
    renja: Renja,
    rows: list[dict[str, Any]],
    columns: tuple[str, ...],
    key_of: Any,
) -> tuple[int, int]:
    stored = {
        key_of(row): row
        for row in model.objects.filter(renja_id=renja.pk).values("id", "triwulan", *columns)
    }
    create, update, seen = [], [], set()
    for row in rows:
        key = key_of(row)
        seen.add(key)
        old = stored.get(key)
        if old is None:
            create.append(row)
        elif any(_normal(c, old[c]) != _normal(c, row[c]) for c in columns):
            update.append(model(id=old["id"], **row))
    gone = [row["id"] for key, row in stored.items() if key not in seen]
    if gone:
        model.objects.filter(id__in=gone).delete()
    if create:  # COPY on PostgreSQL: bulk_create spent 4/5 of a Renja's refresh building rows
        bulk.insert(model, create)
    if update:
        model.objects.bulk_update(update, [c for c in columns if c != "urutan"], batch_size=1000)
    return len(create) + len(update), len(gone)


def forget(*, all_rows: bool = False) -> None:
    """Delete the stored rows of every local Renja (`all_rows`: pulled rows too)."""
    AngkaTanda.objects.all().delete()
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
    simpul = AngkaSimpul.objects.filter(**found).order_by("kode").values("kode", *KOLOM_SIMPUL)
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
        ("simpul", AngkaSimpul, KOLOM_SIMPUL, ("kode", "tingkat")),
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
            if name == "simpul":
                values.pop("urutan", None)
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
    return len(made)
