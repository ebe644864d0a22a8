"""`monev kelola segarkan_angka [--proses N] [--pemda …]`: refresh the stored rows of every stale
Renja (`monev.pemda.angka_semua`) in N processes, with a progress line: what an admin runs after
an upgrade, before the first visitor. Verified quarters without a snapshot are recorded first;
the tables are vacuumed and analysed last (`angka_semua.tidy_tables`)."""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from monev.pemda import angka_semua
from monev.web import snapshot
from monev.web.models import Pemda


def _pemda_ids(names: list[str]) -> list[int]:
    """Return the pemda named by id or by name; refuse, naming them, those that do not exist."""
    ids, unknown = [], []
    for name in names:
        found = Pemda.objects.filter(pk=int(name)) if name.isdigit() else None
        if found is None or not found.exists():
            found = Pemda.objects.filter(nama=name)
        pk = found.values_list("pk", flat=True).first()
        if pk is None:
            unknown.append(name)
        else:
            ids.append(pk)
    if unknown:
        raise CommandError(f"pemda tidak ditemukan: {', '.join(unknown)}")
    return ids


class Command(BaseCommand):
    help = (
        "Segarkan angka tersimpan setiap Renja yang usang (misalnya sesudah pemasangan versi "
        "baru) dalam beberapa proses, dengan baris kemajuan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--proses",
            type=int,
            default=min(4, os.cpu_count() or 1),
            help="Jumlah proses kerja (bawaan: jumlah inti CPU, paling banyak 4).",
        )
        parser.add_argument(
            "--pemda",
            nargs="+",
            metavar="PEMDA",
            help="Hanya pemda ini (id atau nama persis); bawaan: semua pemda.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        proses = options["proses"]
        if proses < 1:
            raise CommandError(f"--proses harus 1 atau lebih, bukan {proses}")
        pemda_ids = _pemda_ids(options["pemda"]) if options["pemda"] else None
        recorded = snapshot.take_missing()
        if recorded:
            self.stdout.write(
                f"{recorded} triwulan terverifikasi tanpa snapshot kini direkam dari datanya."
            )
        ids = angka_semua.stale_renja(pemda_ids)
        if not ids:
            self.stdout.write("Semua angka tersimpan sudah mutakhir: tidak ada yang disegarkan.")
            return
        self.stdout.write(f"{len(ids)} Renja usang disegarkan dalam {proses} proses.")
        shown = [0.0]

        def progress(kemajuan: angka_semua.Kemajuan) -> None:
            # A line every few seconds and the last one: readable in a log, alive on a terminal.
            now = time.monotonic()
            if kemajuan.selesai == kemajuan.jumlah or now - shown[0] >= 5:
                shown[0] = now
                self.stdout.write(kemajuan.line())

        angka_semua.refresh_all(ids, proses=proses, progress=progress)
        started = time.monotonic()
        failure = angka_semua.tidy_tables()
        if failure:
            self.stderr.write(
                "Peringatan: statistik tabel angka tidak dapat diperbarui (VACUUM/ANALYZE): "
                f"{failure}. Angkanya tetap benar; halaman membacanya lebih lambat sampai "
                "autovacuum PostgreSQL atau admin basis data menjalankannya."
            )
        else:
            self.stdout.write(
                f"Statistik tabel angka diperbarui ({time.monotonic() - started:.1f} detik)."
            )
        self.stdout.write(self.style.SUCCESS(f"Angka tersimpan {len(ids)} Renja kini mutakhir."))
