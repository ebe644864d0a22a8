"""`monev kelola jalankan_impor ID` runs one queued import job (the web process starts it);
`monev kelola jalankan_impor --semua`, for a scheduler, marks dead jobs failed and runs every
job still queued."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from monev.web import tugas_impor


class Command(BaseCommand):
    help = (
        "Jalankan tugas impor yang menunggu: satu (ID) atau semuanya (--semua, untuk penjadwal; "
        "juga menandai gagal tugas yang prosesnya berhenti)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", nargs="?", type=int, help="Nomor tugas impor.")
        parser.add_argument("--semua", action="store_true", help="Semua tugas yang menunggu.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["semua"] == (options["id"] is not None):
            raise CommandError("sebutkan satu nomor tugas atau --semua")
        if options["semua"]:
            putaran = tugas_impor.tugas_jalankan_semua()
            self.stdout.write(
                f"{putaran.dijalankan} tugas dijalankan; {putaran.basi} tugas terhenti ditandai "
                f"gagal; {putaran.berkas_dihapus} berkas tanpa tugas dihapus."
            )
            return
        tugas = tugas_impor.tugas_jalankan(options["id"])
        if tugas is None:
            raise CommandError(
                f"tugas impor {options['id']} tidak ada atau sudah dijalankan proses lain"
            )
        self.stdout.write(f"Tugas impor {tugas.pk}: {tugas.get_status_display()}. {tugas.hasil}")
        for pesan in tugas.galat:
            self.stderr.write(pesan)
