"""Benchmark (issue 17): the figures kept as rows (`monev.pemda.angka`) and the SQL group figures
over them, next to what the same work costs without rows (the engine's consolidation over every
PD's evaluation, as the pemda's pages computed it before stored rows).

Generates `--pemda` pemda of `--pd` PDs × `--baris` indicator lines (monev.synthetic), through the
import service, on a fresh SQLite database in a temporary folder (or on DATABASE_URL when set),
then prints medians of `--runs` runs of:

- every stored row computed from nothing (all Renja), and per 1,000 lines;
- one Renja of `--baris` lines refreshed from nothing, and after one cell save (rows written);
  next to the evaluation alone (what any path, pickled or not, must spend: `evaluate_year` +
  the plans and projections);
- a pemda's dashboard, first request of a new process (rows stored, nothing in the process);
- group figures over stored rows: one pemda, `--pemda` pemda (by urusan, and the whole), next to
  the engine's consolidation over the same PDs' evaluations (loaded and evaluated);
- one save propagated to the figures of all pemda (save + refresh of that Renja + SQL total).

Run: .venv/bin/python bench/angka_baris.py [--pemda 3] [--pd 8] [--baris 600] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any


def _median(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pemda", type=int, default=3)
    parser.add_argument("--pd", type=int, default=8)
    parser.add_argument("--baris", type=int, default=600)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="monev-bench-angka-")
    os.environ.setdefault("MONEV_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.web.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from monev.core.consolidation import Bagian, consolidate
    from monev.core.evaluation import evaluate
    from monev.io.flat import read_flat
    from monev.pemda import angka, angka_sql, selectors
    from monev.pemda.angka_sql import Kelompok
    from monev.pemda.models import AngkaIndikator
    from monev.pemda.muat import load_renja
    from monev.synthetic import synthetic_rows, write_flat_csv
    from monev.web import selectors as web_selectors
    from monev.web import services
    from monev.web.demo import load_demo, prepare_database
    from monev.web.models import Indikator, Pemda, PerangkatDaerah, Renja
    from monev.web.pengaturan import pengaturan_of

    prepare_database()
    load_demo()
    users = get_user_model().objects
    admin, verifikator = users.get(username="admin"), users.get(username="verifikator")
    demo = Pemda.objects.get(nama="Kota Tangerang")

    started = time.perf_counter()
    rng = random.Random(17)
    pemda_list = [demo] + [
        Pemda.objects.create(nama=f"Kabupaten Sintetis {n}") for n in range(2, args.pemda + 1)
    ]
    for p, pemda in enumerate(pemda_list):
        for n in range(1, args.pd + 1):
            path = Path(tmp) / f"pd-{p}-{n}.csv"
            write_flat_csv(path, synthetic_rows(rng, f"{n % 3 + 1}.{n % 25 + 1:02d}", args.baris))
            pd = PerangkatDaerah.objects.create(
                pemda=pemda, kode=f"SIN-{n:02d}", nama=f"Dinas Sintetis {n:02d}"
            )
            services.renja_import(
                user=admin, perangkat_daerah=pd, tahun=2022, renja=read_flat(path)
            )
    renja = list(Renja.objects.filter(tahun=2022).select_related("perangkat_daerah__pemda"))
    lines = Indikator.objects.filter(simpul__renja__tahun=2022).count()
    ids = [p.pk for p in pemda_list]
    print(
        f"{len(pemda_list)} pemda, {len(renja)} Renja, {lines} baris indikator "
        f"({connection.vendor}); disiapkan dalam {time.perf_counter() - started:.0f} s"
    )

    # -- every row from nothing ---------------------------------------------------------------
    angka.forget()
    start = time.perf_counter()
    angka.refresh(renja)
    everything = time.perf_counter() - start
    rows = AngkaIndikator.objects.count()
    print(
        f"semua baris dari nol: {everything:.1f} s ({rows} baris angka indikator; "
        f"{everything / lines * 1000:.1f} s per 1.000 baris indikator; "
        f"1 juta baris ≈ {everything / lines * 10**6 / 60:.0f} menit pada mesin ini, satu proses)"
    )

    # -- one Renja ----------------------------------------------------------------------------
    one = next(r for r in renja if r.perangkat_daerah.kode == "SIN-01")
    one_lines = Indikator.objects.filter(simpul__renja=one).count()
    pengaturan = pengaturan_of(one.perangkat_daerah.pemda)

    def evaluation_only() -> None:
        data = load_renja([one])[one.pk]
        evaluations = angka.evaluate_year(data, pengaturan, {})
        angka.figures_of_year(data, evaluations, pengaturan)

    t_eval, _ = _median(evaluation_only, args.runs)

    def from_nothing() -> None:
        angka.AngkaTanda.objects.filter(renja=one).delete()
        for model in (angka.AngkaSimpul, angka.AngkaIndikator, angka.AngkaPD):
            model.objects.filter(renja=one).delete()
        angka.refresh([one])

    t_nothing, _ = _median(from_nothing, args.runs)
    indikator = Indikator.objects.filter(simpul__renja=one, target__gt=0).first()
    saves = iter(range(10**6))
    written: list[tuple[int, int]] = []

    def after_save() -> float:
        services.realisasi_k_update(
            user=admin,
            indikator=indikator,
            triwulan=3,
            nilai=Decimal(40 + next(saves)),
            versi=web_selectors.versi_k(indikator, 3),
        )
        data = load_renja([one])[one.pk]
        start = time.perf_counter()
        key = angka.stale([one])[one.pk]
        evaluations = angka.evaluate_year(data, pengaturan, {})
        figures = angka.figures_of_year(data, evaluations, pengaturan)
        written.append(angka.write_rows(one, key, evaluations, set(), figures))
        return time.perf_counter() - start

    save_times = [after_save() for _ in range(args.runs)]
    t_save_refresh = statistics.median(save_times)

    def refresh_after_save() -> None:
        services.realisasi_k_update(
            user=admin,
            indikator=indikator,
            triwulan=3,
            nilai=Decimal(40 + next(saves)),
            versi=web_selectors.versi_k(indikator, 3),
        )
        angka.refresh([one])

    t_refresh_full, _ = _median(refresh_after_save, args.runs)
    print(
        f"satu Renja ({one_lines} baris): evaluasi saja (4 triwulan + rencana + proyeksi) "
        f"{_ms(t_eval)}; segarkan dari nol {_ms(t_nothing)}; sesudah satu sel disimpan: "
        f"simpan + segarkan {_ms(t_refresh_full)} (evaluasi + tulis {_ms(t_save_refresh)}, "
        f"{written[-1][0]} baris ditulis dari {4 * (one_lines + 100)}±)"
    )

    # -- the dashboard of a new process -------------------------------------------------------
    client = Client()
    client.force_login(verifikator)
    url = "/pemda/?tahun=2022&triwulan=3"
    assert client.get(url).status_code == 200

    def dashboard() -> None:
        selectors.clear_cache()
        assert client.get(url).status_code == 200

    t_dash, _ = _median(dashboard, args.runs)
    print(f"dasbor pemda ({args.pd + 2} PD), proses baru (baris tersimpan): median {_ms(t_dash)}")

    # -- group figures --------------------------------------------------------------------------
    for label, chosen in (("1 pemda", ids[:1]), (f"{len(ids)} pemda", ids)):
        t_total, _ = _median(lambda c=chosen: angka_sql.total(c, 2022, 3, pengaturan), args.runs)
        t_urusan, _ = _median(
            lambda c=chosen: angka_sql.totals(c, 2022, 3, pengaturan, Kelompok.BIDANG), args.runs
        )
        chosen_renja = [r for r in renja if r.perangkat_daerah.pemda_id in chosen]

        def engine(items: list[Renja] = chosen_renja) -> None:
            loaded = load_renja(items)
            consolidate(
                [
                    Bagian(r.perangkat_daerah.nama, r.pk, evaluate(loaded[r.pk].core, 3).ringkasan)
                    for r in items
                ],
                pengaturan,
            )

        t_engine, _ = _median(engine, max(args.runs // 2, 1))
        print(
            f"angka kelompok {label} dari baris (SQL): total {_ms(t_total)}, per bidang "
            f"{_ms(t_urusan)}; konsolidasi mesin atas evaluasi yang sama: {_ms(t_engine)}"
        )

    def propagate() -> None:
        services.realisasi_k_update(
            user=admin,
            indikator=indikator,
            triwulan=3,
            nilai=Decimal(40 + next(saves)),
            versi=web_selectors.versi_k(indikator, 3),
        )
        angka.refresh([one])
        angka_sql.total(ids, 2022, 3, pengaturan)

    t_prop, _ = _median(propagate, args.runs)
    print(f"satu simpan sampai angka semua pemda: median {_ms(t_prop)}")


if __name__ == "__main__":
    main()
