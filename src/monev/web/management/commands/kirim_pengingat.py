"""`monev kelola kirim_pengingat [--hari 7,3,1]`: send the reminders due now, for a scheduler."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from monev.web import pengingat


class Command(BaseCommand):
    help = (
        "Kirim pengingat e-mail yang jatuh tempo: batas entri yang mendekat, laporan yang "
        "dikembalikan, laporan yang menunggu verifikasi. Setiap peristiwa dikirim sekali per "
        "pengguna; jalankan sesering perlu dari penjadwal (cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hari",
            default=os.environ.get("MONEV_PENGINGAT_HARI", "7,3,1"),
            help="Berapa hari sebelum batas akhir pengingat dikirim (mis. 7,3,1; bawaan "
            "MONEV_PENGINGAT_HARI atau 7,3,1).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            hari = pengingat.hari_from_text(options["hari"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        hasil = pengingat.kirim_pengingat(hari)
        self.stdout.write(
            f"{hasil.terkirim} pengingat terkirim; {hasil.sudah} sudah pernah dikirim; "
            f"{hasil.tanpa_email} penerima tanpa alamat e-mail; {hasil.dimatikan} dimatikan "
            f"penggunanya; {hasil.gagal} gagal (dicoba lagi berikutnya)."
        )
