"""`monev kelola tarik_data [--sumber NAMA]`: pull every active source (or the one named) of data
between servers, for a scheduler (cron). One line per source; exit status 0 when every pull
succeeded, 1 when any failed (each failure is also in the pull log on the sources page), 2 when
the source named does not exist.

`--tarikan ID` runs the pull queued by "Tarik sekarang" on the sources page (the page starts it
detached, `monev.pemda.tarik_kelola.pull_start`); exit 2 when that pull is not queued."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from monev.pemda import tarik, tarik_kelola
from monev.pemda.models_tarik import SumberData, TarikanData


class Command(BaseCommand):
    help = (
        "Tarik evaluasi terverifikasi kabupaten/kota dari server monev sumbernya (semua sumber "
        "aktif, atau satu dengan --sumber). Status keluar 0 bila semua berhasil, 1 bila ada "
        "yang gagal, 2 bila sumber yang disebut tidak ada."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sumber", metavar="NAMA", help="Tarik satu sumber ini saja.")
        parser.add_argument(
            "--tarikan",
            metavar="ID",
            type=int,
            help="Jalankan tarikan yang diantrekan tombol 'Tarik sekarang' (halaman sumber data).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("tarikan") is not None:
            queued = tarik_kelola.pull_queued(options["tarikan"])
            if queued is None:
                self.stderr.write(
                    f"galat: tarikan {options['tarikan']} tidak sedang antre (tidak ada, sudah "
                    "dijalankan, atau dijalankan proses lain)"
                )
                sys.exit(2)
            done = [queued]
        else:
            done = self._pull_sources(options.get("sumber"))
        if not done:
            self.stdout.write("Tidak ada sumber aktif: tidak ada yang ditarik.")
            return
        self._report(done)

    def _pull_sources(self, nama: str | None) -> list[TarikanData]:
        if nama and not SumberData.objects.filter(nama=nama).exists():
            known = ", ".join(SumberData.objects.values_list("nama", flat=True)) or "belum ada"
            self.stderr.write(f"galat: sumber '{nama}' tidak ada (sumber yang ada: {known})")
            sys.exit(2)
        return tarik.pull_all(nama=nama, pemicu="jadwal")

    def _report(self, done: list[TarikanData]) -> None:
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
