"""Realistic synthetic Renja data in the flat format, for benchmarks and load tests.

Every file is plainly synthetic (names say `Sintetis`); nothing here is ever shown as real data.
It covers every aggregation and polarity, multi-indicator nodes, nodes that state their own budget
and nodes that leave it to roll up, and a few faults of the kinds real reports carry (children's
pagu not adding up, realisation above pagu, a cumulative value going down).
"""

from __future__ import annotations

import csv
import random
from decimal import Decimal
from pathlib import Path

from monev.io.flat import COLUMNS

_WORDS = [
    "Pelayanan",
    "Penyediaan",
    "Pembinaan",
    "Pengelolaan",
    "Peningkatan",
    "Penyelenggaraan",
    "Koordinasi",
    "Fasilitasi",
    "Pengembangan",
    "Pemeliharaan",
    "Pengawasan",
    "Pendataan",
    "Sosialisasi",
    "Pelatihan",
    "Perencanaan",
]
_OBJECTS = [
    "Administrasi",
    "Kepegawaian",
    "Sarana",
    "Prasarana",
    "Informasi",
    "Layanan",
    "Masyarakat",
    "Usaha",
    "Mikro",
    "Tenaga",
    "Kerja",
    "Pendidikan",
    "Kesehatan",
    "Jalan",
    "Lingkungan",
    "Data",
    "Statistik",
    "Dokumen",
    "Perencanaan",
]
_UNITS = ("dokumen", "orang", "kegiatan", "unit", "laporan", "bulan", "paket", "lembaga")


def _name(rng: random.Random, prefix: str) -> str:
    return f"{prefix}{rng.choice(_WORDS)} {rng.choice(_OBJECTS)} {rng.choice(_OBJECTS)} (Sintetis)"


def _quarters(rng: random.Random, target: Decimal, agregasi: str, fault: bool) -> list[str]:
    reached = target * Decimal(rng.randint(30, 115)) / 100
    if agregasi == "progresif":
        steps = sorted(Decimal(rng.randint(0, 100)) / 100 for _ in range(4))
        values = [reached * s for s in steps]
        values[-1] = reached
        if fault:
            values[2], values[1] = values[1], values[2] + 1
    elif agregasi == "akumulatif":
        values = [reached * Decimal(rng.randint(10, 40)) / 100 for _ in range(4)]
    else:
        values = [reached * Decimal(rng.randint(85, 115)) / 100 for _ in range(4)]
    filled = rng.choice((4, 4, 4, 3))
    return [f"{v.quantize(Decimal('0.01'))}" if i < filled else "" for i, v in enumerate(values)]


def _rupiah(rng: random.Random, pagu: int, fault: bool) -> list[str]:
    absorbed = pagu * rng.randint(40, 100) // 100
    if fault:
        absorbed = pagu + rng.randint(1, 50) * 1000
    cuts = sorted(rng.randint(0, absorbed) for _ in range(3))
    return [str(c) for c in (*cuts, absorbed)]


def _indicator_row(
    rng: random.Random, kode: str, tingkat: str, nama: str, nomor: int
) -> dict[str, str]:
    first = nomor == 0
    polaritas = "negatif" if rng.random() < 0.1 else "positif"
    agregasi = rng.choices(("progresif", "akumulatif", "rata_rata"), (6, 3, 1))[0]
    target = Decimal(rng.choice((100, 100, 100, rng.randint(5, 500))))
    quarters = _quarters(rng, target, agregasi, fault=rng.random() < 0.01)
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        kode=kode,
        tingkat=tingkat,
        nama=nama if first else "",
        indikator=f"Jumlah {rng.choice(_OBJECTS).lower()} yang {rng.choice(_WORDS).lower()} "
        f"(Sintetis {nomor + 1})",
        satuan="%" if target == 100 else rng.choice(_UNITS),
        target_renstra_k=str(target * 5 if agregasi == "akumulatif" else target),
        realisasi_lalu_k=str(target * 2 if agregasi == "akumulatif" else target * Decimal("0.8")),
        target_k=str(target),
        target_volume=f"{rng.randint(1, 400)} {rng.choice(_UNITS)}",
        polaritas=polaritas,
        agregasi_k=agregasi,
        agregasi_rp="progresif",
        unit_penanggung_jawab=f"Bidang {rng.randint(1, 5)}",
    )
    for q, value in enumerate(quarters, start=1):
        row[f"tw{q}_k"] = value
    return row


def synthetic_rows(rng: random.Random, bidang: str, baris: int) -> list[dict[str, str]]:
    """Return about `baris` indicator lines of a synthetic PD whose codes start with `bidang`."""
    rows: list[dict[str, str]] = []
    n_program = max(1, min(99, baris // 60))
    per_program = baris / n_program
    n_kegiatan = max(1, min(99, round(per_program / 12)))
    per_kegiatan = per_program / n_kegiatan
    n_sub = max(1, round((per_kegiatan - 1) / (4 / 3)))
    width = 2 if n_sub < 100 else 4
    for p in range(1, n_program + 1):
        program = f"{bidang}.{p:02d}"
        program_rows = [
            _indicator_row(rng, program, "program", _name(rng, "PROGRAM "), i) for i in range(2)
        ]
        rows += program_rows
        program_pagu = 0
        program_real = [0, 0, 0, 0]
        for k in range(1, n_kegiatan + 1):
            kegiatan = f"{program}.2.{k:02d}"
            kegiatan_rows = [_indicator_row(rng, kegiatan, "kegiatan", _name(rng, ""), 0)]
            rows += kegiatan_rows
            kegiatan_pagu = 0
            kegiatan_real = [0, 0, 0, 0]
            for s in range(1, n_sub + 1):
                sub = f"{kegiatan}.{s:0{width}d}"
                count = rng.choice((1, 1, 2))
                sub_rows = [
                    _indicator_row(rng, sub, "sub_kegiatan", _name(rng, ""), i)
                    for i in range(count)
                ]
                pagu = rng.randint(5, 900) * 1_000_000
                real = _rupiah(rng, pagu, fault=rng.random() < 0.01)
                sub_rows[0].update(
                    pagu=str(pagu), tw1_rp=real[0], tw2_rp=real[1], tw3_rp=real[2], tw4_rp=real[3]
                )
                rows += sub_rows
                kegiatan_pagu += pagu
                kegiatan_real = [a + int(b) for a, b in zip(kegiatan_real, real, strict=True)]
            # Most kegiatan state their own budget (as legacy reports do); a few do not add up.
            if rng.random() < 0.7:
                stated = kegiatan_pagu + (
                    rng.randint(1, 9) * 1_000_000 if rng.random() < 0.03 else 0
                )
                kegiatan_rows[0].update(pagu=str(stated))
                for q in range(4):
                    kegiatan_rows[0][f"tw{q + 1}_rp"] = str(kegiatan_real[q])
            program_pagu += kegiatan_pagu
            program_real = [a + b for a, b in zip(program_real, kegiatan_real, strict=True)]
        program_rows[0].update(
            pagu=str(program_pagu),
            target_renstra_rp=str(program_pagu * 5),
            realisasi_lalu_rp=str(program_pagu * 2),
        )
        for q in range(4):
            program_rows[0][f"tw{q + 1}_rp"] = str(program_real[q])
    return rows


def write_flat_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_synthetic(keluaran: Path, *, jumlah_pd: int, baris_per_pd: int, benih: int) -> list[Path]:
    """Write synthetic PDs: one CSV when `keluaran` ends in .csv and one PD is asked, else a folder
    of `pd-NN.csv` files with `daftar-pd.csv` (kode, nama, berkas)."""
    rng = random.Random(benih)
    if jumlah_pd == 1 and keluaran.suffix.lower() == ".csv":
        keluaran.parent.mkdir(parents=True, exist_ok=True)
        write_flat_csv(keluaran, synthetic_rows(rng, "2.07", baris_per_pd))
        return [keluaran]
    keluaran.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    index_rows = []
    for n in range(1, jumlah_pd + 1):
        urusan, bidang = divmod(n - 1, 30)
        prefix = f"{urusan + 1}.{bidang + 1:02d}"
        path = keluaran / f"pd-{n:02d}.csv"
        write_flat_csv(path, synthetic_rows(rng, prefix, baris_per_pd))
        paths.append(path)
        index_rows.append(
            {"kode": f"SIN-{n:02d}", "nama": f"Dinas Sintetis {n:02d}", "berkas": path.name}
        )
    with (keluaran / "daftar-pd.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=("kode", "nama", "berkas"), lineterminator="\n")
        writer.writeheader()
        writer.writerows(index_rows)
    return paths
