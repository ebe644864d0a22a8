"""`monev demo`: a database with the reference case loaded through the normal import path.

The reference case is the real report of Dinas Ketenagakerjaan Kota Tangerang (2022). The second
PD is an illustration whose names all say "contoh", so that nobody takes it for real data; so are
the second pemda (Kabupaten Contoh, with its own admin, which sees nothing of Kota Tangerang) and
the province (Provinsi Contoh, whose admin reads Kota Tangerang as its kota, never writing it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from monev.io.flat import read_flat
from monev.web import services
from monev.web.models import JendelaEntri, Pemda, PerangkatDaerah, PeriodeRenstra, Profil, Renja

DEMO_DIR = Path(__file__).resolve().parents[1] / "demo"
REFERENCE = DEMO_DIR / "disnaker-tangerang-2022.csv"
CONTOH = DEMO_DIR / "contoh-diskominfo.csv"
PASSWORD = "monev-demo"


@dataclass(frozen=True)
class Akun:
    username: str
    peran: str
    keterangan: str


AKUN = (
    Akun("admin", Profil.Peran.ADMIN, "admin Bappeda"),
    Akun("verifikator", Profil.Peran.VERIFIKATOR, "verifikator Bappeda"),
    Akun("pimpinan", Profil.Peran.PIMPINAN, "pimpinan (hanya membaca)"),
    Akun("operator", Profil.Peran.OPERATOR, "operator Dinas Ketenagakerjaan"),
    Akun("operator2", Profil.Peran.OPERATOR, "operator Dinas Komunikasi dan Informatika (contoh)"),
    Akun("kabupaten", Profil.Peran.ADMIN, "admin Bappeda pemda kedua (Kabupaten Contoh)"),
    Akun("provinsi", Profil.Peran.ADMIN, "admin Bappeda Provinsi Contoh (membaca Kota Tangerang)"),
)


def _user(  # type: ignore[no-untyped-def]
    username: str,
    peran: str,
    pemda: Pemda,
    pd: PerangkatDaerah | None,
    *,
    superuser: bool = False,
):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(PASSWORD)
        user.is_staff = superuser
        user.is_superuser = superuser
        user.save()
    Profil.objects.update_or_create(
        user=user, defaults={"peran": peran, "pemda": pemda, "perangkat_daerah": pd}
    )
    return user


@transaction.atomic
def load_demo() -> bool:
    """Create the demo data once; return False when it is already there (nothing is changed)."""
    if Pemda.objects.filter(nama="Kota Tangerang").exists():
        return False
    pemda = Pemda.objects.create(
        nama="Kota Tangerang",
        jenis=Pemda.Jenis.KOTA,
        tempat_tanda_tangan="Tangerang",
        kepala_bappeda_jabatan="KEPALA BAPPEDA KOTA TANGERANG",
    )
    # The city first, so that it keeps the first id it had before there were several pemda.
    provinsi = Pemda.objects.create(nama="Provinsi Contoh", jenis=Pemda.Jenis.PROVINSI)
    pemda.provinsi = provinsi
    pemda.save(update_fields=["provinsi"])
    periode = PeriodeRenstra.objects.create(pemda=pemda, tahun_awal=2019, tahun_akhir=2023)
    disnaker = PerangkatDaerah.objects.create(
        pemda=pemda,
        kode="2.07.01",
        nama="Dinas Ketenagakerjaan",
        kepala_jabatan="KEPALA DINAS KETENAGAKERJAAN KOTA TANGERANG",
        kepala_nama="ILHAM HENDRA GUNAWAN, S.SOS, MM",
        kepala_nip="197205011001111009",
    )
    contoh = PerangkatDaerah.objects.create(
        pemda=pemda,
        kode="2.16.01",
        nama="Dinas Komunikasi dan Informatika (contoh)",
        kepala_jabatan="KEPALA DINAS (DATA CONTOH)",
    )
    admin = _user("admin", Profil.Peran.ADMIN, pemda, None, superuser=True)
    _user("verifikator", Profil.Peran.VERIFIKATOR, pemda, None)
    _user("pimpinan", Profil.Peran.PIMPINAN, pemda, None)
    _user("operator", Profil.Peran.OPERATOR, pemda, disnaker)
    _user("operator2", Profil.Peran.OPERATOR, pemda, contoh)
    _user("provinsi", Profil.Peran.ADMIN, provinsi, None)
    kabupaten = Pemda.objects.create(
        nama="Kabupaten Contoh",
        jenis=Pemda.Jenis.KABUPATEN,
        kepala_bappeda_jabatan="KEPALA BAPPEDA KABUPATEN CONTOH",
    )
    PerangkatDaerah.objects.create(
        pemda=kabupaten, kode="2.17.01", nama="Dinas Koperasi Kabupaten Contoh"
    )
    _user("kabupaten", Profil.Peran.ADMIN, kabupaten, None)
    # The reference report was written during 2022; its quarters are open for entry in the demo.
    for triwulan in range(1, 5):
        JendelaEntri.objects.create(pemda=pemda, tahun=2022, triwulan=triwulan, terbuka=True)
    for pd, path in ((disnaker, REFERENCE), (contoh, CONTOH)):
        renja = services.renja_import(
            user=admin, perangkat_daerah=pd, tahun=2022, renja=read_flat(path), sumber=path.name
        )
        Renja.objects.filter(pk=renja.pk).update(periode=periode)
    return True


def prepare_database(verbosity: int = 0) -> None:
    call_command("migrate", interactive=False, verbosity=verbosity)
