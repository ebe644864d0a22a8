"""A second monev server on 127.0.0.1 for the two-server test and the pull benchmark: its own
SQLite file in a folder, the demo (renamed to a kabupaten) with TW I of every PD verified, built
with the services, optionally `--pd N --baris M` synthetic PDs more; served by `django runserver`.

    python -m tests.web.tarik_sumber siapkan [--pd N --baris M]   (MONEV_DATA_DIR=folder)
    python -m tests.web.tarik_sumber koreksi NILAI   (TW I of Disnaker reopened, corrected, verified)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

NAMA = "Kabupaten Sumber Uji"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MONEV_TEST_DB_NAME")}
    env.update(
        MONEV_DATA_DIR=str(folder),
        DJANGO_SETTINGS_MODULE="monev.web.settings",
        PYTHONPATH=str(ROOT),
        SECRET_KEY="uji-dua-server",
    )
    return env


def run(folder: Path, *args: str) -> None:
    """Run a step of this module against the source's database (its own process)."""
    subprocess.run(
        [sys.executable, "-m", "tests.web.tarik_sumber", *args],
        env=_env(folder),
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start(folder: Path) -> Server:
    """Serve the source's database on a free port of 127.0.0.1; return once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=_env(folder),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/pemda/api/terbuka/pemda", timeout=2):
                return Server(process, base)
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("server sumber tidak mau jalan") from None
            time.sleep(0.2)


def _siapkan(pd: int, baris: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from monev.io.flat import read_flat
    from monev.synthetic import write_synthetic
    from monev.web import services
    from monev.web.demo import load_demo, prepare_database
    from monev.web.models import Pemda, PerangkatDaerah, Renja
    from tests.web.tarik_helpers import accept

    prepare_database()
    load_demo()
    # The demo's city becomes the kabupaten this server serves (the demo's second pemda and its
    # province stay, with nothing verified: open data does not name them).
    Pemda.objects.filter(nama="Kota Tangerang").update(nama=NAMA, jenis=Pemda.Jenis.KABUPATEN)
    pemda = Pemda.objects.get(nama=NAMA)
    admin = get_user_model().objects.get(username="admin")
    if pd:
        folder = Path(os.environ["MONEV_DATA_DIR"]) / "sintetis"
        for n, path in enumerate(
            write_synthetic(folder, jumlah_pd=pd, baris_per_pd=baris, benih=17), start=1
        ):
            made = PerangkatDaerah.objects.create(
                pemda=pemda, kode=f"SIN-{n:02d}", nama=f"Dinas Sintetis {n:02d}"
            )
            services.renja_import(
                user=admin, perangkat_daerah=made, tahun=2022, renja=read_flat(path)
            )
    for renja in Renja.objects.select_related("perangkat_daerah").order_by("pk"):
        accept(admin, admin, renja, 1)


def _koreksi(nilai: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from monev.web.models import Renja
    from tests.web.tarik_helpers import correct_and_accept_again

    admin = get_user_model().objects.get(username="admin")
    renja = Renja.objects.get(perangkat_daerah__kode="2.07.01", tahun=2022)
    correct_and_accept_again(admin, admin, admin, renja, Decimal(nilai))


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "siapkan":
        pd = int(rest[rest.index("--pd") + 1]) if "--pd" in rest else 0
        baris = int(rest[rest.index("--baris") + 1]) if "--baris" in rest else 0
        _siapkan(pd, baris)
    elif command == "koreksi":
        _koreksi(rest[0])
    else:
        raise SystemExit(f"perintah tidak dikenal: {command}")
