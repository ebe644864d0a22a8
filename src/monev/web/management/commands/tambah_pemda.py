"""`monev kelola tambah_pemda NAMA --jenis kota [--provinsi NAMA]`: add a pemda to the server."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from monev.web import tenant
from monev.web.models import Pemda


class Command(BaseCommand):
    help = (
        "Tambahkan pemda ke server ini. Kabupaten/kota boleh menyebut provinsinya (yang sudah "
        "ada); Bappeda provinsi itu lalu dapat membaca (tidak mengubah) data pemda ini."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("nama", help="Nama pemda, mis. 'Kota Tangerang'.")
        parser.add_argument("--jenis", choices=Pemda.Jenis.values, required=True)
        parser.add_argument("--provinsi", help="Nama provinsi (untuk kabupaten/kota).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            pemda = tenant.pemda_create(
                nama=options["nama"], jenis=options["jenis"], provinsi=options["provinsi"]
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        suffix = f" di bawah {pemda.provinsi}" if pemda.provinsi else ""
        self.stdout.write(f"Pemda {pemda.nama} ({pemda.get_jenis_display()}) ditambahkan{suffix}.")
