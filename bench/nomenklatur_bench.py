"""Benchmark: nodes without codes matched against a Kepmendagri-size nomenclature list (issue 14
point 2), main's matcher and this checkout's side by side, in one process, runs interleaved.

Run: .venv/bin/python bench/nomenklatur_bench.py [--runs 5] [--lama /work/main/src/monev/io/tabel/nomenklatur.py]

Generates (seeded, no file needed) a list of about 15 000 entries shaped like Kepmendagri
900.1.15.5-1317: urusan, bidang urusan, programs (every bidang's first one the same `PROGRAM
PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA` with the same kegiatan and sub kegiatan
names), kegiatan and sub kegiatan with Indonesian names and codes like 1.02.03.2.01.0001; then
plans of about 600 nodes without codes taken from it, names partly cut or OCR-damaged, a few
local ones that no entry has. Three shapes of plan:

- `lengkap`: programs, kegiatan, sub kegiatan (the usual Renja of one PD);
- `tanpa-program`: the kegiatan and sub kegiatan of one unit, no program above them;
- `datar`: sub kegiatan only, each its own root (the worst case: each against every entry).

Prints, per shape, the median wall and CPU time of each matcher, the ratio, and whether both
found the same matches with the same scores (the first difference when not).

Measured 2026-12-01 on the shared 2-core machine (load ~9, so wall is several times CPU),
15 747 entries, --runs 3, medians (CPU in brackets), main's matcher → this one:
  lengkap (606 nodes, 521 matched):        294 s (43,3 s) → 1,03 s (0,21 s); same results
  tanpa-program (603 nodes, 512 matched):  273 s (40,9 s) → 1,82 s (0,24 s); same results
  datar (602 nodes, 224 matched):          868 s (162 s)  → 0,41 s (0,27 s); same results
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from monev.core.codes import Tingkat
from monev.io.legacy.model import Place
from monev.io.tabel import nomenklatur as baru
from monev.io.tabel.baca import Simpul
from monev.io.tabel.nomenklatur import Entri

REGULASI = "Kepmendagri 900.1.15.5-1317"
PENUNJANG = "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA"
#: The kegiatan every bidang's first program has, with sub kegiatan of the same names each time.
KEGIATAN_PENUNJANG = {
    "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah": [
        "Penyusunan Dokumen Perencanaan Perangkat Daerah", "Koordinasi dan Penyusunan Dokumen RKA-SKPD",
        "Koordinasi dan Penyusunan Dokumen Perubahan RKA-SKPD", "Koordinasi dan Penyusunan DPA-SKPD",
        "Evaluasi Kinerja Perangkat Daerah", "Koordinasi dan Penyusunan Laporan Capaian Kinerja dan Ikhtisar Realisasi Kinerja SKPD",
    ],
    "Administrasi Keuangan Perangkat Daerah": [
        "Penyediaan Gaji dan Tunjangan ASN", "Penyediaan Administrasi Pelaksanaan Tugas ASN",
        "Pelaksanaan Penatausahaan dan Pengujian/Verifikasi Keuangan SKPD",
        "Koordinasi dan Penyusunan Laporan Keuangan Akhir Tahun SKPD",
        "Koordinasi dan Penyusunan Laporan Keuangan Bulanan/Triwulanan/Semesteran SKPD",
    ],
    "Administrasi Kepegawaian Perangkat Daerah": [
        "Pengadaan Pakaian Dinas Beserta Atribut Kelengkapannya", "Pendataan dan Pengolahan Administrasi Kepegawaian",
        "Pendidikan dan Pelatihan Pegawai Berdasarkan Tugas dan Fungsi", "Sosialisasi Peraturan Perundang-Undangan",
    ],
    "Administrasi Umum Perangkat Daerah": [
        "Penyediaan Komponen Instalasi Listrik/Penerangan Bangunan Kantor", "Penyediaan Peralatan dan Perlengkapan Kantor",
        "Penyediaan Bahan Logistik Kantor", "Penyediaan Barang Cetakan dan Penggandaan",
        "Penyediaan Bahan Bacaan dan Peraturan Perundang-undangan", "Fasilitasi Kunjungan Tamu",
        "Penyelenggaraan Rapat Koordinasi dan Konsultasi SKPD",
    ],
    "Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah": [
        "Penyediaan Jasa Surat Menyurat", "Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik",
        "Penyediaan Jasa Peralatan dan Perlengkapan Kantor", "Penyediaan Jasa Pelayanan Umum Kantor",
    ],
    "Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah": [
        "Penyediaan Jasa Pemeliharaan, Biaya Pemeliharaan, dan Pajak Kendaraan Perorangan Dinas atau Kendaraan Dinas Jabatan",
        "Pemeliharaan Peralatan dan Mesin Lainnya", "Pemeliharaan/Rehabilitasi Gedung Kantor dan Bangunan Lainnya",
    ],
}  # fmt: skip
URUSAN = [
    ("1", "URUSAN PEMERINTAHAN WAJIB YANG BERKAITAN DENGAN PELAYANAN DASAR", 6),
    ("2", "URUSAN PEMERINTAHAN WAJIB YANG TIDAK BERKAITAN DENGAN PELAYANAN DASAR", 18),
    ("3", "URUSAN PEMERINTAHAN PILIHAN", 8),
    ("4", "UNSUR PENDUKUNG URUSAN PEMERINTAHAN", 6),
    ("5", "UNSUR PENUNJANG URUSAN PEMERINTAHAN", 7),
]
BIDANG = [
    "Pendidikan", "Kesehatan", "Pekerjaan Umum dan Penataan Ruang", "Perumahan Rakyat dan Kawasan Permukiman",
    "Ketenteraman dan Ketertiban Umum serta Perlindungan Masyarakat", "Sosial", "Tenaga Kerja",
    "Pemberdayaan Perempuan dan Perlindungan Anak", "Pangan", "Pertanahan", "Lingkungan Hidup",
    "Administrasi Kependudukan dan Pencatatan Sipil", "Pemberdayaan Masyarakat dan Desa",
    "Pengendalian Penduduk dan Keluarga Berencana", "Perhubungan", "Komunikasi dan Informatika",
    "Koperasi, Usaha Kecil, dan Menengah", "Penanaman Modal", "Kepemudaan dan Olahraga", "Statistik",
    "Persandian", "Kebudayaan", "Perpustakaan", "Kearsipan", "Kelautan dan Perikanan", "Pariwisata",
    "Pertanian", "Kehutanan", "Energi dan Sumber Daya Mineral", "Perdagangan", "Perindustrian",
    "Transmigrasi", "Sekretariat Daerah", "Sekretariat DPRD", "Kecamatan", "Perencanaan",
    "Keuangan", "Kepegawaian", "Pendidikan dan Pelatihan", "Penelitian dan Pengembangan",
    "Pengawasan", "Kesatuan Bangsa dan Politik", "Pemerintahan Umum", "Penanggulangan Bencana",
    "Pemadam Kebakaran",
]  # fmt: skip
KATA_KERJA = [
    "Penyediaan", "Pengelolaan", "Pembinaan", "Pengembangan", "Penyelenggaraan", "Fasilitasi",
    "Koordinasi", "Peningkatan", "Pembangunan", "Rehabilitasi", "Pemeliharaan", "Pelaksanaan",
    "Penyusunan", "Pengawasan", "Pendataan", "Sosialisasi", "Pengendalian", "Pemberdayaan",
    "Penetapan", "Perlindungan", "Penguatan", "Pemantauan dan Evaluasi", "Standardisasi",
]  # fmt: skip
OBJEK = [
    "Sarana dan Prasarana", "Layanan", "Data dan Informasi", "Kapasitas Sumber Daya Manusia",
    "Kelembagaan", "Sistem Informasi", "Kawasan", "Kemitraan", "Kualitas", "Tenaga Pendidik",
    "Fasilitas Pelayanan", "Infrastruktur", "Regulasi", "Rencana Aksi", "Program Kerja",
    "Pemanfaatan", "Jaringan", "Usaha", "Kelompok Masyarakat", "Standar Pelayanan Minimal",
    "Cadangan", "Sertifikasi", "Perizinan", "Akreditasi", "Kerja Sama", "Pengaduan",
]  # fmt: skip
KETERANGAN = [
    "Tingkat Daerah Kabupaten/Kota", "bagi Masyarakat", "di Wilayah Kabupaten/Kota",
    "Lintas Sektor", "Berbasis Elektronik", "pada Satuan Pendidikan", "Skala Kabupaten/Kota",
    "dalam Daerah Kabupaten/Kota", "Kewenangan Kabupaten/Kota", "Terpadu", "Lanjutan",
    "bagi Kelompok Rentan", "di Desa dan Kelurahan", "Tahunan",
]  # fmt: skip


def entries(seed: int = 14) -> list[Entri]:
    """Return a nomenclature list of about 15 000 entries (seeded)."""
    rnd = random.Random(seed)
    out: list[Entri] = []

    def add(kode: str, tingkat: Tingkat, nama: str) -> None:
        out.append(Entri(kode, tingkat, nama, REGULASI, 2023))

    names = iter(BIDANG)
    for u, nama_u, bidang in URUSAN:
        add(u, Tingkat.URUSAN, nama_u)
        for b in range(1, bidang + 1):
            nama_b = next(names)
            kb = f"{u}.{b:02d}"
            add(kb, Tingkat.BIDANG_URUSAN, f"URUSAN PEMERINTAHAN BIDANG {nama_b.upper()}")
            add(f"{kb}.01", Tingkat.PROGRAM, PENUNJANG)
            for k, (kegiatan, subs) in enumerate(KEGIATAN_PENUNJANG.items(), start=1):
                add(f"{kb}.01.2.{k:02d}", Tingkat.KEGIATAN, kegiatan)
                for s, sub in enumerate(subs, start=1):
                    add(f"{kb}.01.2.{k:02d}.{s:04d}", Tingkat.SUB_KEGIATAN, sub)
            for p in range(2, rnd.randint(6, 9) + 1):
                kp = f"{kb}.{p:02d}"
                add(kp, Tingkat.PROGRAM, f"PROGRAM {_phrase(rnd).upper()} {nama_b.upper()}")
                for k in range(1, rnd.randint(5, 8) + 1):
                    kk = f"{kp}.2.{k:02d}"
                    add(kk, Tingkat.KEGIATAN, f"{_phrase(rnd)} {nama_b}")
                    for s in range(1, rnd.randint(5, 8) + 1):
                        add(f"{kk}.{s:04d}", Tingkat.SUB_KEGIATAN, f"{_phrase(rnd)} {_ket(rnd)}")
    return out


def _phrase(rnd: random.Random) -> str:
    return f"{rnd.choice(KATA_KERJA)} {rnd.choice(OBJEK)}"


def _ket(rnd: random.Random) -> str:
    return rnd.choice(KETERANGAN) if rnd.random() < 0.8 else f"{rnd.choice(OBJEK)} {rnd.choice(KETERANGAN)}"  # fmt: skip


_OCR = [("l", "1"), ("O", "0"), ("rn", "m"), ("i", "l"), ("S", "5"), ("n", "m"), ("e", "c")]


def damage(name: str, rnd: random.Random) -> str:
    """Return the name as a plan may print it: mostly as is, some cut, some OCR-damaged."""
    roll = rnd.random()
    if roll < 0.15 and len(name) > 30:  # cut at the cell's edge
        return name[: int(len(name) * rnd.uniform(0.88, 0.97))]
    if roll < 0.35:  # one or two OCR slips
        for _ in range(rnd.randint(1, 2)):
            wrong, right = rnd.choice(_OCR)
            if wrong in name:
                at = rnd.choice([i for i in range(len(name)) if name.startswith(wrong, i)])
                name = name[:at] + right + name[at + len(wrong) :]
        return name
    if roll < 0.40:  # a letter lost
        at = rnd.randrange(len(name))
        return name[:at] + name[at + 1 :]
    return name


def plan(listing: Sequence[Entri], shape: str, size: int = 600, seed: int = 7) -> list[Simpul]:
    """Return about `size` nodes without codes taken from the list (one PD's plan)."""
    rnd = random.Random(seed)
    by_parent: dict[str | None, list[Entri]] = {}
    for entry in listing:
        by_parent.setdefault(entry.induk, []).append(entry)
    programs = [e for e in listing if e.tingkat is Tingkat.PROGRAM]
    # The PD's penunjang program first, then programs of two or three bidang.
    bidang = rnd.sample(sorted({p.kode[:4] for p in programs}), 3)
    chosen = [p for p in programs if p.kode[:4] in bidang]
    place = Place("rencana.csv", None, 1)
    nodes: list[Simpul] = []

    def node(entry: Entri, parent: Simpul | None) -> Simpul:
        made = Simpul(entry.tingkat, damage(entry.nama, rnd), place, 1, induk=parent)
        nodes.append(made)
        return made

    def local(tingkat: Tingkat, parent: Simpul | None) -> None:
        name = f"{_phrase(rnd)} Khusus Daerah {rnd.randint(1, 99)}"
        nodes.append(Simpul(tingkat, name, place, 1, induk=parent))

    for program in chosen:
        top = node(program, None) if shape == "lengkap" else None
        for kegiatan in by_parent.get(program.kode, []):
            if len(nodes) >= size:
                return nodes
            mid = node(kegiatan, top) if shape != "datar" else None
            for sub in by_parent.get(kegiatan.kode, []):
                node(sub, mid)
            if rnd.random() < 0.2:
                local(Tingkat.SUB_KEGIATAN, mid)
    return nodes


def load_old(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("nomenklatur_lama", path)
    if spec is None or spec.loader is None:
        sys.exit(f"{path}: tidak dapat dimuat")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def timed(run: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def same(nodes: Sequence[Simpul], old: dict[int, Any], new: dict[int, Any]) -> str:
    """Return '' when both found the same matches with the same scores, else the first difference."""
    for n in nodes:
        a, b = old.get(id(n)), new.get(id(n))
        pair_a = (a.entri.kode, a.skor) if a else None
        pair_b = (b.entri.kode, b.skor) if b else None
        if pair_a != pair_b:
            return f"'{n.nama}': lama {pair_a}, baru {pair_b}"
    return ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lama", type=Path, default=Path("/work/main/src/monev/io/tabel/nomenklatur.py"))  # fmt: skip
    parser.add_argument("--bentuk", nargs="*", default=["lengkap", "tanpa-program", "datar"])
    parser.add_argument("--tanpa-lama", action="store_true", help="only this checkout's matcher")
    args = parser.parse_args()
    listing = entries()
    levels = {t: sum(1 for e in listing if e.tingkat is t) for t in Tingkat}
    print(f"{len(listing)} entri: " + ", ".join(f"{n} {t.value}" for t, n in levels.items()))
    old = None if args.tanpa_lama else load_old(args.lama)
    for shape in args.bentuk:
        nodes = plan(listing, shape)
        times: dict[str, list[tuple[float, float]]] = {"lama": [], "baru": []}
        found: dict[str, Any] = {}
        for _ in range(args.runs):
            for label, module in (("lama", old), ("baru", baru)):
                if module is None:
                    continue
                wall, cpu, found[label] = timed(lambda m=module, n=nodes: m.match(n, listing))
                times[label].append((wall, cpu))
        print(f"\n{shape}: {len(nodes)} simpul, {len(found['baru'])} cocok")
        for label, pairs in times.items():
            if pairs:
                wall = statistics.median(w for w, _ in pairs)
                cpu = statistics.median(c for _, c in pairs)
                print(f"  {label}: median {wall:.3f} s (CPU {cpu:.3f} s)")
        if old is not None:
            ratio = statistics.median(w for w, _ in times["lama"]) / statistics.median(
                w for w, _ in times["baru"]
            )
            print(f"  lama/baru: {ratio:.1f}×")
            diff = same(nodes, found["lama"], found["baru"])
            print(f"  hasil sama: {'ya' if not diff else 'TIDAK: ' + diff}")


if __name__ == "__main__":
    main()
