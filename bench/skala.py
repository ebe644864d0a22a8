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
     wall time and the client's CPU time (the database server's is not in it);
  b. one PD's save (`services.realisasi_k_update`) propagated: refresh of its Renja, then its
     pemda's, its province's and the nation's figures from stored rows;
  c. a pemda's dashboard cold: `/pemda/` (today's view) in a new process, nothing in its cache
     (the figures the view keeps in the database left as they are, and once with none), and its
     figures per PD from stored rows (`angka_sql.totals(by=PD)`), in a new process too;
  d. a province's consolidation from stored rows: the first `--provinsi` pemda (no province
     field yet: a set of pemda ids, as the selectors take it), per pemda and per program;
  e. the national roll-up from stored rows: every pemda, per pemda and all together.

Run (full): .venv/bin/python bench/skala.py                    # 35 × 50 × 600 ≈ 1 M lines
Run (check that it works, about a minute): .venv/bin/python bench/skala.py --pemda 2 --pd 5 --baris 100
Generate once, time many: bench/skala.py --db skala_dasar --hanya-buat, then
  bench/skala.py --dari skala_dasar --db skala_saya  (a copy of it, migrated to this code)
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


def figures(pemda_ids: list[int], by: Any = None) -> Any:
    from monev.pemda import angka_sql
    from monev.web.models import Pemda
    from monev.web.pengaturan import pengaturan_of

    pengaturan = pengaturan_of(Pemda.objects.get(pk=pemda_ids[0]))
    if by is None:
        return angka_sql.total(pemda_ids, TAHUN, TRIWULAN, pengaturan)
    return angka_sql.totals(pemda_ids, TAHUN, TRIWULAN, pengaturan, by)


def timed(runs: int, work: Any) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return times


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
    client.get("/")  # a running worker: modules and templates loaded, no figures in its cache
    selectors.clear_cache(stored={stored!r})
    started = time.perf_counter()
    assert client.get("/pemda/?tahun={tahun}&triwulan={triwulan}").status_code == 200
else:
    from bench_skala import figures
    from monev.pemda.angka_sql import Kelompok
    from django.db import connection
    connection.ensure_connection()  # a running worker has its connection
    started = time.perf_counter()
    figures([{pemda}], Kelompok.PD)
    figures([{pemda}])
print(json.dumps(time.perf_counter() - started))
"""


def in_new_process(
    server: str, data_dir: str, what: str, pemda: int, stored: bool = False
) -> float:
    code = CHILD.format(
        db=DB,
        server=server,
        data_dir=data_dir,
        what=what,
        stored=stored,
        pemda=pemda,
        tahun=TAHUN,
        triwulan=TRIWULAN,
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(BENCH), os.environ.get("PYTHONPATH", "")]),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return float(json.loads(out.stdout.strip().splitlines()[-1]))


#: Where the child processes import this file from (as `bench_skala`).
BENCH = Path(tempfile.gettempdir()) / "monev-skala-modul"


def main() -> None:
    global DB
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
    parser.add_argument("--tanpa-dasbor-lama", action="store_true", help="skip today's /pemda/")
    args = parser.parse_args()
    DB = args.db
    if args.hanya_buat:
        args.simpan = True
    # The child processes import this file as a module under a name that is a valid one.
    BENCH.mkdir(exist_ok=True)
    (BENCH / "bench_skala.py").write_text(Path(__file__).read_text(encoding="utf-8"))
    tmp = Path(tempfile.mkdtemp(prefix="monev-skala-"))
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
    from monev.pemda.models import AngkaIndikator, AngkaSimpul
    from monev.web.demo import load_demo, prepare_database
    from monev.web.models import Indikator, Pemda

    loaded = copied = 0.0
    if args.dari:  # a generated copy: bring its schema up to this code's
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

    if not args.tanpa_dasbor_lama:  # today's dashboard, before any stored row exists
        first = in_new_process(args.postgres, str(tmp), "dasbor", pemda[0], stored=True)
        again = [
            in_new_process(args.postgres, str(tmp), "dasbor", pemda[0]) for _ in range(args.runs)
        ]
        say(f"c0. /pemda/ (kode hari ini) pemda 1, tanpa angka tersimpan: {first * 1000:,.0f} ms")
        say(f"    /pemda/ proses baru (angka kode hari ini tersimpan): {median_ms(again)}")

    a, a_cpu = phase_a(args.proses)
    say(
        f"a. semua angka tersimpan dari nol ({args.proses} proses): {a:.1f} s "
        f"(CPU klien {a_cpu:.0f} s); "
        f"{AngkaIndikator.objects.count():,} baris indikator, {AngkaSimpul.objects.count():,} "
        "baris simpul"
    )
    refreshes, totals = phase_b(args.runs, pemda, provinsi)
    say(f"b. satu simpan → refresh Renja-nya: {median_ms(refreshes)}")
    say(f"   satu simpan → angka pemda, provinsi, nasional: {median_ms(totals)}")
    if not args.tanpa_dasbor_lama:
        old = [
            in_new_process(args.postgres, str(tmp), "dasbor", pemda[0]) for _ in range(args.runs)
        ]
        say(f"c. /pemda/ (kode hari ini) pemda 1, proses baru: {median_ms(old)}")
    rows = [in_new_process(args.postgres, str(tmp), "baris", pemda[0]) for _ in range(args.runs)]
    say(f"c. angka pemda per PD dari baris tersimpan, proses baru: {median_ms(rows)}")
    figures(provinsi)  # the connection and the settings, as a running server has them
    d = timed(
        args.runs, lambda: (figures(provinsi, Kelompok.PEMDA), figures(provinsi, Kelompok.PROGRAM))
    )
    say(
        f"d. konsolidasi provinsi ({len(provinsi)} pemda, per pemda dan per program): {median_ms(d)}"
    )
    e = timed(args.runs, lambda: (figures(pemda, Kelompok.PEMDA), figures(pemda)))
    say(f"e. rekap nasional ({len(pemda)} pemda, per pemda dan seluruhnya): {median_ms(e)}")


if __name__ == "__main__":
    main()
