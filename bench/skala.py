"""Scale benchmark (issue 17 point 5): N pemda × PD × indicator lines on PostgreSQL, then the
stored figures (`monev.pemda.angka`, `monev.pemda.angka_sql`) timed at that scale.

The database is its own, `monev_skala` on the server of `--postgres` (default
postgres://postgres@127.0.0.1:5432/postgres): dropped if it exists, created, and dropped again at
the end unless `--simpan` (it holds about 10 million rows at full size: disk matters). Never the
test database nor another helper's.

Generation, in bulk: the demo (pemda 1, its accounts), then pemda 1's `--pd` synthetic PDs of
`--baris` lines each through the normal import (`services.renja_import`), then the other
`--pemda` − 1 pemda copied from pemda 1 at SQL level (`INSERT … SELECT`, every id moved by a
fixed offset per copy so that parents, indicators and realisations follow their node). The copy
runs with `session_replication_role = replica` (foreign-key triggers off: the rows are copies of
rows that passed them; bench database only), then VACUUM ANALYZE.

Phases (median of `--runs` where repeated):
  a. every stored figure computed from nothing (`angka.forget`, then `monev kelola segarkan_angka
     --proses N`: `angka.refresh` of every Renja in N worker processes, chunks of 20 Renja),
     wall time and the client's CPU time (the database server's is not in it); with
     `--angka-salin`, pemda 1's only, then its rows copied to the other pemda at SQL level (they
     are its copies) and the pre-summed rows made from them: the read phases see the same rows,
     sooner;
  b. one PD's save (`services.realisasi_k_update`) propagated: refresh of its Renja, then its
     pemda's, its province's and the nation's figures from stored rows;
  c. a pemda's dashboard cold: `/pemda/` (today's view) in a new process that has shown the page
     once for another quarter (a running worker: templates compiled), nothing of this quarter in
     its cache (the figures the view keeps in the database left as they are, and once with
     none), and its
     figures per PD from stored rows (`angka_sql.totals(by=PD)`), in a new process too;
  d. a province's consolidation from stored rows: the first `--provinsi` pemda (no province
     field yet: a set of pemda ids, as the selectors take it), per pemda and per program;
  e. the national roll-up from stored rows: every pemda, per pemda and all together.

Run (full): .venv/bin/python bench/skala.py                    # 35 × 50 × 600 ≈ 1 M lines
Run (check that it works, about a minute): .venv/bin/python bench/skala.py --pemda 2 --pd 5 --baris 100
Generate once, time many: bench/skala.py --db skala_dasar --hanya-buat, then
  bench/skala.py --dari skala_dasar --db skala_saya  (a copy of it, migrated to this code)
Side by side with another checkout (phase c's dashboard only, alternately, on a kept database):
  bench/skala.py --db skala_saya --banding /work/main --runs 7
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DB = "monev_skala"
TAHUN = 2022
TRIWULAN = 3


def say(text: str) -> None:
    print(text, flush=True)


def median_ms(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1000:,.0f} ms ({', '.join(f'{t * 1000:,.0f}' for t in times)})"


def recreate(server: str, *, drop_only: bool = False, template: str = "") -> None:
    """Drop the bench database and create it again (empty, or a copy of `template`: a database
    this script generated with `--hanya-buat`, so that generation is paid once)."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        if not drop_only:
            connection.execute(
                f"CREATE DATABASE {DB}" + (f" TEMPLATE {template}" if template else "")
            )


def setup_django(server: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = server.rsplit("/", 1)[0] + "/" + DB
    os.environ["MONEV_DATA_DIR"] = data_dir
    os.environ["DB_CONN_MAX_AGE"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.web.settings")
    import django

    django.setup()


# -- generation -----------------------------------------------------------------------------------


def load_first_pemda(pd_count: int, baris: int, tmp: Path) -> list[int]:
    """Import pemda 1's synthetic PDs through the normal import; return their Renja ids."""
    from django.contrib.auth import get_user_model

    from monev.io.flat import read_flat
    from monev.synthetic import synthetic_rows, write_flat_csv
    from monev.web import services
    from monev.web.models import PerangkatDaerah

    admin = get_user_model().objects.get(username="admin")
    pemda_id = PerangkatDaerah.objects.order_by("pk").first().pemda_id  # type: ignore[union-attr]
    rng = random.Random(17)
    ids = []
    for n in range(1, pd_count + 1):
        urusan, bidang = divmod(n - 1, 30)
        path = tmp / f"pd-{n:02d}.csv"
        write_flat_csv(path, synthetic_rows(rng, f"{urusan + 1}.{bidang + 1:02d}", baris))
        pd = PerangkatDaerah.objects.create(
            pemda_id=pemda_id, kode=f"SKL-{n:02d}", nama=f"Dinas Skala {n:02d}"
        )
        renja = services.renja_import(
            user=admin, perangkat_daerah=pd, tahun=TAHUN, renja=read_flat(path)
        )
        ids.append(renja.pk)
    return ids


def copy_pemda(copies: int, source_renja: list[int]) -> None:
    """Copy pemda 1's synthetic PDs, Renja, nodes, indicators and realisations `copies` times."""
    from django.db import connection, transaction

    from monev.web.models import (
        Indikator,
        Pemda,
        PerangkatDaerah,
        RealisasiK,
        RealisasiRp,
        Renja,
        Simpul,
    )

    pemda_ids = [
        Pemda.objects.create(nama=f"Kabupaten Skala {k:03d}", jenis=Pemda.Jenis.KABUPATEN).pk
        for k in range(1, copies + 1)
    ]
    simpul_of = "SELECT id FROM monev_simpul WHERE renja_id = ANY(%(renja)s)"
    indikator_of = f"SELECT id FROM monev_indikator WHERE simpul_id IN ({simpul_of})"
    pd_of = "SELECT perangkat_daerah_id FROM monev_renja WHERE id = ANY(%(renja)s)"
    plan: list[tuple[Any, str, dict[str, Any]]] = [
        (PerangkatDaerah, f"s.id IN ({pd_of})", {"pemda_id": "m.pemda_id"}),
        (
            Renja,
            "s.id = ANY(%(renja)s)",
            {"perangkat_daerah_id": PerangkatDaerah, "periode_id": None},
        ),
        (Simpul, "s.renja_id = ANY(%(renja)s)", {"renja_id": Renja, "induk_id": Simpul}),
        (Indikator, f"s.simpul_id IN ({simpul_of})", {"simpul_id": Simpul}),
        (RealisasiK, f"s.indikator_id IN ({indikator_of})", {"indikator_id": Indikator}),
        (RealisasiRp, f"s.simpul_id IN ({simpul_of})", {"simpul_id": Simpul}),
    ]
    span: dict[Any, int] = {}
    with connection.cursor() as cursor:
        for model, where, _ in plan:  # each table's offset: copies land above every stored id
            table = model._meta.db_table
            cursor.execute(
                f"SELECT min(s.id), (SELECT max(id) FROM {table}) FROM {table} s WHERE {where}",
                {"renja": source_renja},
            )
            lo, hi = cursor.fetchone()
            span[model] = hi - lo + 1
    mapping = ", ".join(f"({k}, {pk})" for k, pk in enumerate(pemda_ids, start=1))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for model, where, remap in plan:
            table = model._meta.db_table
            columns, values = [], []
            for field in model._meta.concrete_fields:
                columns.append(connection.ops.quote_name(field.column))
                target = remap.get(field.column, "")
                if field.primary_key:
                    values.append(f"s.id + m.k * {span[model]}")
                elif target is None:
                    values.append("NULL")
                elif isinstance(target, str) and target:
                    values.append(target)
                elif target:
                    name = connection.ops.quote_name(field.column)
                    values.append(f"s.{name} + m.k * {span[target]}")
                else:
                    values.append(f"s.{connection.ops.quote_name(field.column)}")
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
                f"FROM {table} s CROSS JOIN (VALUES {mapping}) AS m(k, pemda_id) WHERE {where}",
                {"renja": source_renja},
            )
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    with connection.cursor() as cursor:  # autocommit outside atomic: VACUUM may run
        cursor.execute("VACUUM ANALYZE")


# -- phases ---------------------------------------------------------------------------------------


def all_renja_ids() -> list[int]:
    from monev.web.models import Renja

    return list(
        Renja.objects.filter(tahun=TAHUN, diarsipkan=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def refresh_ids(ids: list[int], chunk: int = 20) -> None:
    from monev.pemda import angka
    from monev.web.models import Renja

    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        angka.refresh(Renja.objects.filter(pk__in=part).select_related("perangkat_daerah__pemda"))


def phase_a(proses: int) -> tuple[float, float]:
    """Every stored figure from nothing, in `proses` worker processes: `monev kelola
    segarkan_angka --proses N`, what an admin runs after an upgrade. Return (wall seconds, CPU
    seconds of this process and its workers)."""
    import io

    from django.core.management import call_command

    from monev.pemda import angka

    angka.forget(all_rows=True)
    out = io.StringIO()
    cpu = _children_cpu()
    started = time.perf_counter()
    call_command("segarkan_angka", proses=proses, stdout=out)
    wall = time.perf_counter() - started
    say("   " + out.getvalue().strip().splitlines()[-2])  # the last progress line
    return wall, _children_cpu() - cpu


def _children_cpu() -> float:
    """Return the CPU seconds of this process and of its children that have ended."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def phase_a_copied(proses: int, keep: bool = False) -> tuple[float, float]:
    """Pemda 1's stored figures computed from nothing (in `proses` workers), then copied to the
    other pemda at SQL level (they are copies of pemda 1: the same rows but for their Renja and
    pemda ids) and every pre-summed row made by the database; return (compute, copy) seconds.
    For a loaded machine, where computing every pemda's figures takes longer than a run may."""
    import multiprocessing

    from django.db import connection, connections, transaction

    from monev.pemda import angka, angka_jumlah
    from monev.pemda.models import AngkaIndikator, AngkaPD, AngkaSimpul, AngkaTanda
    from monev.web.models import Pemda, Renja

    first = Pemda.objects.order_by("pk").values_list("pk", flat=True)[0]
    ids = list(
        Renja.objects.filter(tahun=TAHUN, diarsipkan=False, perangkat_daerah__pemda_id=first)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # `keep` (--pakai): pemda 1's rows already computed by an earlier run are kept.
    stored = AngkaTanda.objects.filter(renja_id__in=ids).count() == len(ids)
    if keep and stored:
        AngkaTanda.objects.exclude(renja_id__in=ids).delete()
        for model in (AngkaPD, AngkaSimpul, AngkaIndikator):
            model.objects.exclude(renja_id__in=ids).delete()
    else:
        angka.forget(all_rows=True)
    connections.close_all()
    started = time.perf_counter()
    if not (keep and stored):
        with multiprocessing.get_context("fork").Pool(proses) as pool:
            pool.map(refresh_ids, [ids[n::proses] for n in range(proses)])
    computed = time.perf_counter() - started
    started = time.perf_counter()
    # Each copied Renja and the Renja of pemda 1 it was copied from (same PD code, year, version).
    pairs = (
        "SELECT s.id AS src, d.id AS dst, dpd.pemda_id AS pemda FROM monev_renja s"
        " JOIN monev_perangkatdaerah spd ON spd.id = s.perangkat_daerah_id"
        " JOIN monev_perangkatdaerah dpd ON dpd.kode = spd.kode AND dpd.pemda_id <> spd.pemda_id"
        " JOIN monev_renja d ON d.perangkat_daerah_id = dpd.id AND d.tahun = s.tahun"
        f" AND d.versi = s.versi WHERE spd.pemda_id = {int(first)}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign-key triggers off, as for the plans' copy: copies of rows that passed them
        # (checking ~14 M references at commit takes longer than the copy).
        cursor.execute("SET LOCAL session_replication_role = replica")
        for model in (AngkaTanda, AngkaPD, AngkaSimpul, AngkaIndikator):
            table = model._meta.db_table
            columns, values = [], []
            for field in model._meta.concrete_fields:
                if field.primary_key and field.column == "id":
                    continue
                name = connection.ops.quote_name(field.column)
                columns.append(name)
                moved = {"renja_id": "m.dst", "pemda_id": "m.pemda"}.get(field.column)
                values.append(moved or f"t.{name}")
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
                f"FROM {table} t JOIN ({pairs}) AS m ON t.renja_id = m.src"
            )
        angka_jumlah.rebuild_all()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return computed, time.perf_counter() - started


def figures(pemda_ids: list[int], by: Any = None) -> Any:
    from monev.pemda import angka_sql
    from monev.web.models import Pemda
    from monev.web.pengaturan import pengaturan_of

    pengaturan = pengaturan_of(Pemda.objects.get(pk=pemda_ids[0]))
    if by is None:
        return angka_sql.total(pemda_ids, TAHUN, TRIWULAN, pengaturan)
    return angka_sql.totals(pemda_ids, TAHUN, TRIWULAN, pengaturan, by)


def timed(runs: int, work: Any, cpu: list[float] | None = None) -> list[float]:
    """Return the wall times of `runs` calls; `cpu`: filled with this process's CPU times."""
    times = []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        work()
        times.append(time.perf_counter() - started)
        if cpu is not None:
            cpu.append(time.process_time() - used)
    return times


def main_sums(pemda_ids: list[int], by: Any) -> dict[Any, Any]:
    """Return the group sums as main's code (before the pre-summed rows) makes them: the line and
    node rows of every Renja in force, listed by id, grouped on each call."""
    from django.db.models import Count, Q, Sum

    from monev.core.aggregate import Jumlahan
    from monev.pemda.angka_sql import _FIELDS, _key
    from monev.pemda.models import AngkaIndikator, AngkaSimpul
    from monev.web.models import Renja

    chosen: dict[int, tuple[int, str]] = {}
    for pk, pd_id, versi in Renja.objects.filter(
        perangkat_daerah__pemda_id__in=pemda_ids, tahun=TAHUN, berlaku=True, diarsipkan=False
    ).values_list("pk", "perangkat_daerah_id", "versi"):
        current = chosen.get(pd_id)
        if current is None or (versi == "perubahan" and current[1] != "perubahan"):
            chosen[pd_id] = (pk, versi)
    ids = [pk for pk, _ in chosen.values()]

    def rows(model: Any) -> Any:
        return model.objects.filter(
            Q(renja_id__in=ids) | Q(renja__isnull=True, pemda_id__in=pemda_ids),
            tahun=TAHUN,
            triwulan=TRIWULAN,
            dihitung=True,
        )

    fields = _FIELDS[by]
    out: dict[Any, Any] = {}
    lines = rows(AngkaIndikator).values(*fields)
    for row in lines.annotate(s=Sum("capaian_rata"), n=Count("capaian_rata")).order_by():
        key = _key(row, fields)
        out[key] = out.get(key, Jumlahan()) + Jumlahan(capaian_sum=row["s"], capaian_count=row["n"])
    nodes = rows(AngkaSimpul).values(*fields)
    for row in nodes.annotate(
        ps=Sum("pagu"), pn=Count("pagu"), rs=Sum("realisasi"), rn=Count("realisasi")
    ).order_by():
        key = _key(row, fields)
        value = lambda v: None if v is None else int(v)  # noqa: E731
        out[key] = out.get(key, Jumlahan()) + Jumlahan(
            pagu_sum=value(row["ps"]),
            pagu_count=row["pn"],
            realisasi_sum=value(row["rs"]),
            realisasi_count=row["rn"],
        )
    return out


def side_by_side(label: str, runs: int, pemda_ids: list[int], groups: list[Any]) -> None:
    """Time the group sums read from the pre-summed rows and as main's code makes them, on the
    same data in one run (alternating), check they are equal, and print medians and ratios."""
    from monev.pemda import angka_sql

    for by in groups:  # the same figures both ways, to the integer
        assert angka_sql.sums(pemda_ids, TAHUN, TRIWULAN, by) == main_sums(pemda_ids, by), by
    new_cpu: list[float] = []
    old_cpu: list[float] = []
    new: list[float] = []
    old: list[float] = []
    for _ in range(runs):
        new += timed(
            1, lambda: [angka_sql.sums(pemda_ids, TAHUN, TRIWULAN, by) for by in groups], new_cpu
        )
        old += timed(1, lambda: [main_sums(pemda_ids, by) for by in groups], old_cpu)
    ratio = statistics.median(old) / statistics.median(new)
    say(f"{label}: {median_ms(new)}, CPU klien {statistics.median(new_cpu) * 1000:,.0f} ms")
    say(
        f"   kode main (baris dijumlah tiap panggilan): {median_ms(old)}, CPU klien "
        f"{statistics.median(old_cpu) * 1000:,.0f} ms; rasio main/baru {ratio:,.1f}×"
    )


def phase_b(runs: int, pemda: list[int], provinsi: list[int]) -> tuple[list[float], list[float]]:
    """One save in a PD of a copied pemda, then its Renja refreshed and the figures of its pemda,
    province and nation read; return (refresh times, save-to-nation times)."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from monev.pemda import angka
    from monev.web import selectors, services
    from monev.web.models import Indikator, Renja

    # The server's operator: the demo's admin is one pemda's own and may not write another's.
    admin = get_user_model().objects.get_or_create(
        username="admin_server", defaults={"is_superuser": True, "is_staff": True}
    )[0]
    target = provinsi[-1]
    renja = (
        Renja.objects.filter(perangkat_daerah__pemda_id=target, tahun=TAHUN)
        .select_related("perangkat_daerah__pemda")
        .order_by("pk")
        .first()
    )
    assert renja is not None
    # A kegiatan line: the pemda's K is the mean of those, so the save shows in every figure.
    indikator = (
        Indikator.objects.filter(simpul__renja=renja, simpul__tingkat="kegiatan", target__gt=0)
        .select_related("simpul__renja")
        .order_by("pk")[3]
    )
    before = figures([target])
    refreshes, totals = [], []
    for n in range(runs):
        started = time.perf_counter()
        services.realisasi_k_update(
            user=admin,
            indikator=indikator,
            triwulan=TRIWULAN,
            nilai=Decimal(1000 + n),
            versi=selectors.versi_k(indikator, TRIWULAN),
        )
        refresh_start = time.perf_counter()
        angka.refresh([renja])
        refreshes.append(time.perf_counter() - refresh_start)
        figures([target])
        figures(provinsi)
        figures(pemda)
        totals.append(time.perf_counter() - started)
    after = figures([target])
    say(
        f"  (angka pemda sebelum/sesudah: K {before.rata_rata_capaian_k} → {after.rata_rata_capaian_k})"
    )
    return refreshes, totals


CHILD = """
import json, sys, time
sys.argv = ["skala"]
import bench_skala
from bench_skala import setup_django
bench_skala.DB = {db!r}  # the database of this run (--db), not the module's default
setup_django({server!r}, {data_dir!r})
from django.contrib.auth import get_user_model
from django.test import Client
from monev.pemda import selectors
started = time.perf_counter()
if {what!r} == "dasbor":
    client = Client()
    client.force_login(get_user_model().objects.get(username="verifikator"))
    # A running worker: its modules loaded and its templates compiled (it has shown this page
    # before, for another quarter), no figures of this pemda in its cache.
    assert client.get("/pemda/?tahun={tahun}&triwulan={lain}").status_code == 200
    selectors.clear_cache(stored={stored!r})
    started, used = time.perf_counter(), time.process_time()
    assert client.get("/pemda/?tahun={tahun}&triwulan={triwulan}").status_code == 200
else:
    from bench_skala import figures
    from monev.pemda.angka_sql import Kelompok
    from django.db import connection
    connection.ensure_connection()  # a running worker has its connection
    started, used = time.perf_counter(), time.process_time()
    figures([{pemda}], Kelompok.PD)
    figures([{pemda}])
print(json.dumps([time.perf_counter() - started, time.process_time() - used]))
"""


def in_new_process(
    server: str, data_dir: str, what: str, pemda: int, stored: bool = False, tree: str = ""
) -> float:
    """Run one timed child and return its wall seconds (its CPU seconds go to CHILD_CPU);
    `tree`: a checkout whose `src` the child imports monev from instead of this one's."""
    code = CHILD.format(
        db=DB,
        server=server,
        data_dir=data_dir,
        what=what,
        stored=stored,
        pemda=pemda,
        tahun=TAHUN,
        triwulan=TRIWULAN,
        lain=1 if TRIWULAN != 1 else 2,
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [
                str(BENCH),
                *([str(Path(tree) / "src")] if tree else []),
                os.environ.get("PYTHONPATH", ""),
            ]
        ),
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"proses anak gagal ({what}):\n{out.stderr}")
    wall, cpu = json.loads(out.stdout.strip().splitlines()[-1])
    CHILD_CPU.append(float(cpu))
    return float(wall)


#: The CPU time of each child's timed part (its own process; the database's is not counted).
CHILD_CPU: list[float] = []


#: Where the child processes import this file from (as `bench_skala`): a directory of this run
#: (several runs of several branches may run at once).
BENCH = Path(tempfile.gettempdir())


def main() -> None:
    global DB, BENCH
    parser = argparse.ArgumentParser()
    parser.add_argument("--pemda", type=int, default=35)
    parser.add_argument("--pd", type=int, default=50)
    parser.add_argument("--baris", type=int, default=600)
    parser.add_argument("--provinsi", type=int, default=12, help="pemda in the province")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--proses", type=int, default=2, help="workers of phase a")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--db", default=DB, help="the bench database's name (dropped first)")
    parser.add_argument(
        "--dari", default="", help="copy this generated database instead of generating"
    )
    parser.add_argument(
        "--hanya-buat", action="store_true", help="generate, keep the database, time nothing"
    )
    parser.add_argument("--simpan", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--tanpa-dasbor-lama", action="store_true", help="skip /pemda/ before any stored row"
    )
    parser.add_argument(
        "--pakai", action="store_true", help="time the database --db as it is (kept afterwards)"
    )
    parser.add_argument(
        "--banding",
        default="",
        metavar="TREE",
        help="time only phase c's dashboard, alternately with this code and TREE's (e.g. "
        "/work/main), on the database --db as it is (kept); print both and their ratio",
    )
    parser.add_argument(
        "--angka-salin",
        action="store_true",
        help="phase a for pemda 1 only, its stored rows copied to the others (a loaded machine)",
    )
    args = parser.parse_args()
    DB = args.db
    if args.hanya_buat:
        args.simpan = True
    # The child processes import this file as a module under a name that is a valid one.
    BENCH = Path(tempfile.mkdtemp(prefix="monev-skala-modul-"))
    (BENCH / "bench_skala.py").write_text(Path(__file__).read_text(encoding="utf-8"))
    tmp = Path(tempfile.mkdtemp(prefix="monev-skala-"))
    if args.pakai or args.banding:
        args.simpan = args.pakai = True
    else:
        recreate(args.postgres, template=args.dari)
    try:
        run(args, tmp)
    finally:
        if not args.simpan:
            from django.db import connections

            connections.close_all()
            recreate(args.postgres, drop_only=True)
            say(f"basis data {DB} dihapus")


def run(args: argparse.Namespace, tmp: Path) -> None:
    setup_django(args.postgres, str(tmp))
    from monev.pemda.angka_sql import Kelompok
    from monev.pemda.models import AngkaIndikator, AngkaJumlah, AngkaSimpul
    from monev.web.demo import load_demo, prepare_database
    from monev.web.models import Indikator, Pemda

    loaded = copied = 0.0
    if args.dari or args.pakai:  # a generated copy: bring its schema up to this code's
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    else:
        prepare_database()
        load_demo()
        started = time.perf_counter()
        source = load_first_pemda(args.pd, args.baris, tmp)
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        copy_pemda(args.pemda - 1, source)
        copied = time.perf_counter() - started
    lines = Indikator.objects.count()
    pemda = list(Pemda.objects.order_by("pk").values_list("pk", flat=True))
    provinsi = pemda[: max(1, min(args.provinsi, len(pemda)))]
    say(
        f"{len(pemda)} pemda × {args.pd} PD × {args.baris} baris: {lines:,} baris indikator "
        f"(PostgreSQL, {DB}); pemda 1 lewat impor biasa {loaded:.0f} s, salinan SQL {copied:.0f} s"
    )
    if args.hanya_buat:
        say(f"basis data {DB} disimpan: pakai lagi dengan --dari {DB} --db NAMA")
        return
    if args.banding:
        compare_dashboard(args, tmp, pemda[0])
        return

    if not args.tanpa_dasbor_lama:  # today's dashboard, before any stored row exists
        first = in_new_process(args.postgres, str(tmp), "dasbor", pemda[0], stored=True)
        again = [
            in_new_process(args.postgres, str(tmp), "dasbor", pemda[0]) for _ in range(args.runs)
        ]
        say(f"c0. /pemda/ (kode hari ini) pemda 1, tanpa angka tersimpan: {first * 1000:,.0f} ms")
        say(f"    /pemda/ proses baru (angka kode hari ini tersimpan): {median_ms(again)}")

    from monev.pemda.models import AngkaTanda

    if args.pakai and AngkaTanda.objects.count() == len(all_renja_ids()):
        say("a. angka tersimpan semua Renja sudah ada (--pakai): dipakai apa adanya")
    elif args.angka_salin:
        computed, copied_rows = phase_a_copied(args.proses, keep=args.pakai)
        say(
            f"a'. angka tersimpan pemda 1 dari nol ({args.proses} proses): {computed:.1f} s; "
            f"disalin ke pemda lain + jumlah dibuat basis data: {copied_rows:.1f} s"
        )
    else:
        a, a_cpu = phase_a(args.proses)
        say(
            f"a. semua angka tersimpan dari nol ({args.proses} proses): {a:.1f} s "
            f"(CPU klien {a_cpu:.0f} s)"
        )
    say(
        f"   {AngkaIndikator.objects.count():,} baris indikator, "
        f"{AngkaSimpul.objects.count():,} baris simpul, {AngkaJumlah.objects.count():,} baris jumlah"
    )
    refreshes, totals = phase_b(args.runs, pemda, provinsi)
    say(f"b. satu simpan → refresh Renja-nya: {median_ms(refreshes)}")
    say(f"   satu simpan → angka pemda, provinsi, nasional: {median_ms(totals)}")
    CHILD_CPU.clear()
    dasbor = [in_new_process(args.postgres, str(tmp), "dasbor", pemda[0]) for _ in range(args.runs)]
    cpu = statistics.median(CHILD_CPU) * 1000
    say(f"c. /pemda/ pemda 1, proses baru: {median_ms(dasbor)}, CPU proses {cpu:,.0f} ms")
    rows = [in_new_process(args.postgres, str(tmp), "baris", pemda[0]) for _ in range(args.runs)]
    say(f"c. angka pemda per PD dari baris tersimpan, proses baru: {median_ms(rows)}")
    figures(provinsi)  # the connection and the settings, as a running server has them
    side_by_side(
        f"d. konsolidasi provinsi ({len(provinsi)} pemda, per pemda dan per program)",
        args.runs,
        provinsi,
        [Kelompok.PEMDA, Kelompok.PROGRAM],
    )
    side_by_side(
        f"e. rekap nasional ({len(pemda)} pemda, per pemda dan seluruhnya)",
        args.runs,
        pemda,
        [Kelompok.PEMDA, Kelompok.SEMUA],
    )


def compare_dashboard(args: argparse.Namespace, tmp: Path, pemda: int) -> None:
    """Phase c's dashboard, this code and `--banding`'s alternately (`--runs` each, in one run
    on the same database), with the medians of wall and CPU times and their ratios."""
    times: dict[str, list[float]] = {"ini": [], "banding": []}
    cpu: dict[str, list[float]] = {"ini": [], "banding": []}
    for _ in range(args.runs):
        for name, tree in (("banding", args.banding), ("ini", "")):
            CHILD_CPU.clear()
            times[name].append(in_new_process(args.postgres, str(tmp), "dasbor", pemda, tree=tree))
            cpu[name].append(CHILD_CPU[-1])
    for name, label in (("ini", "kode ini"), ("banding", args.banding)):
        say(
            f"c. /pemda/ pemda 1, proses baru, {label}: {median_ms(times[name])}, "
            f"CPU proses median {statistics.median(cpu[name]) * 1000:,.0f} ms"
        )
    wall = statistics.median(times["banding"]) / statistics.median(times["ini"])
    used = statistics.median(cpu["banding"]) / statistics.median(cpu["ini"])
    say(f"   rasio {args.banding}/kode ini: waktu {wall:.2f}×, CPU {used:.2f}×")


if __name__ == "__main__":
    main()
