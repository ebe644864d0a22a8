"""`monev kelola tarik_data [--sumber NAMA]`: pull every active source (or the one named) of data
between servers, for a scheduler (cron). One line per source; exit status 0 when every pull
succeeded, 1 when any failed (each failure is also in the pull log on the sources page), 2 when
the source named does not exist."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from monev.pemda import tarik
from monev.pemda.models_tarik import SumberData, TarikanData


class Command(BaseCommand):
    help = (
        "Tarik evaluasi terverifikasi kabupaten/kota dari server monev sumbernya (semua sumber "
        "aktif, atau satu dengan --sumber). Status keluar 0 bila semua berhasil, 1 bila ada "
        "yang gagal, 2 bila sumber yang disebut tidak ada."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sumber", metavar="NAMA", help="Tarik satu sumber ini saja.")

    def handle(self, *args: Any, **options: Any) -> None:
        nama = options.get("sumber")
        if nama and not SumberData.objects.filter(nama=nama).exists():
            known = ", ".join(SumberData.objects.values_list("nama", flat=True)) or "belum ada"
            self.stderr.write(f"galat: sumber '{nama}' tidak ada (sumber yang ada: {known})")
            sys.exit(2)
        done = tarik.pull_all(nama=nama, pemicu="jadwal")
        if not done:
            self.stdout.write("Tidak ada sumber aktif: tidak ada yang ditarik.")
            return
        failed = 0
        for t in done:
            assert t.selesai is not None
            seconds = (t.selesai - t.mulai).total_seconds()
            line = f"{t.sumber.nama} ({t.sumber.alamat}), {seconds:.1f} detik: {t.pesan}"
            if t.status == TarikanData.Status.OK:
                self.stdout.write(f"[ok] {line}")
            else:
                failed += 1
                self.stdout.write(f"[galat] {line}")
        if failed:
            self.stderr.write(f"{failed} dari {len(done)} sumber gagal ditarik.")
            sys.exit(1)
