"""Benchmark (issue 16 point 4): the approval levels' reads and the one write that touches many
reports — a level's queue on the home page, the status board, and a change of the levels with
reports in flight — for a pemda of many PDs (default 80), four quarters each, three levels.

Server time measured in process with Django's test client (no network), on a fresh SQLite
database in a temporary folder (or on DATABASE_URL when set). Median of several runs, wall
clock and this process's CPU time; the number of queries of each page (fixed whatever the PDs).

Run: .venv/bin/python bench/tingkat_bench.py [--runs 11] [--pd 80]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--pd", type=int, default=80)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="monev-bench-")
    os.environ.setdefault("MONEV_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.web.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from monev.web import persetujuan
    from monev.web.demo import load_demo, prepare_database
    from monev.web.models import (
        LaporanTriwulan,
        Pemda,
        PerangkatDaerah,
        Profil,
        Renja,
        Riwayat,
    )

    prepare_database()
    load_demo()
    User = get_user_model()
    admin = User.objects.get(username="admin")
    pemda = Pemda.objects.get(nama="Kota Tangerang")
    three = [
        ("Kepala Perangkat Daerah", "kepala_pd"),
        ("Verifikator bidang Bappeda", "verifikator"),
        ("Kepala Bappeda", "kepala_bappeda"),
    ]
    persetujuan.tingkat_set(user=admin, pemda=pemda, rows=three)
    kepala = User.objects.create(username="kepala_bappeda")
    Profil.objects.create(user=kepala, peran="kepala_bappeda")
    operator = User.objects.get(username="operator")
    for n in range(args.pd):
        pd = PerangkatDaerah.objects.create(pemda=pemda, kode=f"9.{n:02d}", nama=f"Dinas {n}")
        renja = Renja.objects.create(perangkat_daerah=pd, tahun=2022)
        for q in range(1, 5):
            # a quarter of the reports wait at each level, one quarter are drafts
            tingkat = (n + q) % 4
            status = "diajukan" if tingkat else "draf"
            LaporanTriwulan.objects.create(renja=renja, triwulan=q, status=status, tingkat=tingkat)
            if tingkat:
                Riwayat.objects.create(
                    pengguna=operator,
                    renja=renja,
                    jenis="status",
                    triwulan=q,
                    kolom="status",
                    tingkat="x",
                    nilai_lama="draf",
                    nilai_baru="diajukan",
                )
    waiting = LaporanTriwulan.objects.filter(status="diajukan").count()
    print(f"{args.pd} PD, {waiting} laporan menunggu di 3 tingkat ({connection.vendor})")

    client = Client()
    client.force_login(kepala)

    def measure(label: str, fn) -> None:  # type: ignore[no-untyped-def]
        fn()
        walls, cpus = [], []
        for _ in range(args.runs):
            w, c = time.perf_counter(), time.process_time()
            fn()
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
        with CaptureQueriesContext(connection) as queries:
            fn()
        print(
            f"{label:<48} median {statistics.median(walls) * 1000:7.1f} ms wall, "
            f"{statistics.median(cpus) * 1000:7.1f} ms CPU, {len(queries)} queries"
        )

    measure("beranda kepala_bappeda (antrean tingkatnya)", lambda: client.get("/"))
    measure("papan status 2022", lambda: client.get("/papan/?tahun=2022"))
    orders = [three, [three[1], three[0], three[2]]]
    state = {"i": 0}

    def change() -> None:
        state["i"] += 1
        persetujuan.tingkat_set(user=admin, pemda=pemda, rows=orders[state["i"] % 2])

    measure(f"ubah urutan tingkat ({waiting} laporan menunggu)", change)


if __name__ == "__main__":
    main()
