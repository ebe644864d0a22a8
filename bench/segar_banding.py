"""Every stored row, computed by two versions of the code on the same data, compared value by value
(issue 17: a cheaper refresh must not change any result).

The data (SQLite, built once under `--dir`): the demo (its pemda, its settings, two of its
quarters verified: their rows are their snapshots'),
generated pemda of every shape (`tests/web/angka_helpers.generated_pemda`: budgets at every level
or only at sub kegiatan, every aggregation and polarity, empty cells, shared programs), two
synthetic PDs of 600 lines (`monev.synthetic`, the skala bench's, with its faults), and quarterly
plans (K and Rp) on some lines, so that the plans' evaluations and projections run too. Each
version runs in its own process with its `src` first on PYTHONPATH, on its own copy of the
database: forget every stored row, refresh every Renja, dump every row of the three tables (all
columns but the id). The dumps must be equal.

Run: git archive main src | tar -x -C /tmp/segar/lama; .venv/bin/python bench/segar_banding.py
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["MONEV_DATA_DIR"] = str(db.parent)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.web.settings")
    import django

    django.setup()


def build(db: Path) -> None:
    """Generate the data set."""
    setup(db)
    sys.path.insert(0, str(ROOT))
    from django.contrib.auth import get_user_model
    from tests.web.angka_helpers import generated_pemda
    from tests.web.test_snapshot import accept

    from monev.io.flat import read_flat
    from monev.pemda.models import RencanaK, RencanaRp
    from monev.synthetic import synthetic_rows, write_flat_csv
    from monev.web import services
    from monev.web.demo import load_demo, prepare_database
    from monev.web.models import Indikator, PerangkatDaerah, Renja, Simpul

    prepare_database()
    load_demo()
    users = {u.username: u for u in get_user_model().objects.all()}
    disnaker = Renja.objects.get(perangkat_daerah__kode="2.07.01", tahun=2022)
    for triwulan in (1, 2):  # verified quarters: their rows are their snapshots'
        accept(users, disnaker, triwulan)
    admin = users["admin"]
    for seed in range(1, 9):
        generated_pemda(admin, f"Kabupaten Banding {seed}", seed=seed, jumlah_pd=2 + seed % 3)
    rng = random.Random(17)
    pemda_id = PerangkatDaerah.objects.order_by("pk").first().pemda_id  # type: ignore[union-attr]
    for n in (1, 2):
        path = db.parent / f"pd-{n}.csv"
        write_flat_csv(path, synthetic_rows(rng, f"{n}.0{n}", 600))
        pd = PerangkatDaerah.objects.create(pemda_id=pemda_id, kode=f"BND-{n}", nama=f"Dinas {n}")
        services.renja_import(user=admin, perangkat_daerah=pd, tahun=2022, renja=read_flat(path))

    def q() -> Decimal | None:
        return None if rng.random() < 0.2 else Decimal(rng.randint(0, 5000)) / 100

    RencanaK.objects.bulk_create(
        RencanaK(indikator_id=pk, tw1=q(), tw2=q(), tw3=q(), tw4=q())
        for pk in Indikator.objects.values_list("pk", flat=True)
        if rng.random() < 0.4
    )
    RencanaRp.objects.bulk_create(
        RencanaRp(simpul_id=pk, tw1=q(), tw2=q(), tw3=q(), tw4=q())
        for pk in Simpul.objects.values_list("pk", flat=True)
        if rng.random() < 0.4
    )


def dump(db: Path, out: Path) -> None:
    """Compute every stored row from nothing and write them all to `out` (JSON)."""
    setup(db)
    from monev.pemda import angka
    from monev.pemda.models import AngkaIndikator, AngkaPD, AngkaSimpul
    from monev.web.models import Renja

    angka.forget()
    renja = list(Renja.objects.select_related("perangkat_daerah__pemda").order_by("pk"))
    for start in range(0, len(renja), 7):
        angka.refresh(renja[start : start + 7])
    tables = {}
    for model in (AngkaSimpul, AngkaIndikator, AngkaPD):
        columns = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        rows = model.objects.order_by("renja_id", "triwulan", "pk").values_list(*columns)
        tables[model.__name__] = [[str(v) for v in row] for row in rows]
    out.write_text(json.dumps(tables))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--lama",
        default="/tmp/segar/lama/src",
        help="src of the reference code (git archive of main)",
    )
    parser.add_argument("--baru", default=str(ROOT / "src"), help="src of the code under test")
    parser.add_argument("--dir", default="/tmp/segar/banding")
    parser.add_argument("--_build", default="")
    parser.add_argument("--_dump", nargs=2, default=None)
    args = parser.parse_args()
    if args._build:
        build(Path(args._build))
        return
    if args._dump:
        dump(Path(args._dump[0]), Path(args._dump[1]))
        return
    work = Path(args.dir)
    work.mkdir(parents=True, exist_ok=True)
    base = work / "dasar.sqlite3"
    me = [sys.executable, __file__]
    if not base.exists():
        subprocess.run([*me, "--_build", str(base)], check=True, env={**os.environ})
    dumps = {}
    for name, src in (("lama", args.lama), ("baru", args.baru)):
        copy = work / f"{name}.sqlite3"
        shutil.copy(base, copy)
        out = work / f"{name}.json"
        env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
        subprocess.run([*me, "--_dump", str(copy), str(out)], check=True, env=env)
        dumps[name] = json.loads(out.read_text())
    same = True
    for table, rows in dumps["lama"].items():
        other = dumps["baru"][table]
        diff = sum(1 for a, b in zip(rows, other, strict=False) if a != b)
        diff += abs(len(rows) - len(other))
        print(f"{table}: {len(rows):,} baris lama, {len(other):,} baru, {diff} berbeda")
        same = same and diff == 0
    print("SAMA" if same else "BERBEDA")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
