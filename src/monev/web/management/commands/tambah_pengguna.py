"""`monev kelola tambah_pengguna NAMA --peran admin --pemda 'Kota X' [--pd KODE]`: create a user
of a pemda, or change an existing user's role, pemda and PD."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from monev.web import tenant
from monev.web.models import Profil


class Command(BaseCommand):
    help = (
        "Buat pengguna sebuah pemda atau ubah peran, pemda, dan PD pengguna yang ada. Setiap peran "
        "kecuali kementerian memerlukan --pemda; operator juga --pd. Kata sandi dibaca dari "
        "MONEV_KATA_SANDI atau ditanyakan; tanpa keduanya pengguna baru belum dapat masuk sampai "
        "'monev kelola changepassword NAMA'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--peran", choices=Profil.Peran.values, required=True)
        parser.add_argument("--pemda", help="Nama pemda (kosong hanya untuk kementerian).")
        parser.add_argument("--pd", dest="kode_pd", help="Kode Perangkat Daerah (operator).")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("MONEV_KATA_SANDI") or None
        if password is None and sys.stdin.isatty() and options.get("interactive", True):
            password = getpass.getpass("Kata sandi (kosong: atur nanti): ") or None
        try:
            hasil = tenant.pengguna_set(
                username=options["username"],
                peran=options["peran"],
                pemda=options["pemda"],
                kode_pd=options["kode_pd"],
                email=options["email"],
                password=password,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        profil = hasil.user.profil
        where = f" di {profil.pemda}" if profil.pemda else ""
        if profil.perangkat_daerah:
            where += f", {profil.perangkat_daerah}"
        verb = "dibuat" if hasil.dibuat else "diubah"
        self.stdout.write(
            f"Pengguna {hasil.user.username} {verb}: {profil.get_peran_display()}{where}."
        )
        if hasil.dibuat and password is None:
            self.stdout.write(
                f"Belum ada kata sandi: jalankan 'monev kelola changepassword {hasil.user.username}'."
            )
