"""Run a monev command (an import, or Django's server) that stops in the middle of a write so
that a test can kill it there with SIGKILL: after the N-th SQL statement containing
MONEV_UJI_SQL, it writes the file MONEV_UJI_PENANDA and sleeps (inside the open transaction),
until killed or until the file MONEV_UJI_LEPAS appears.

    python -m tests.security.kill_harness impor BERKAS --pd KODE --tahun N
    python -m tests.security.kill_harness kelola runserver --noreload 127.0.0.1:PORT

Test code only: the application itself has no such hook.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.web.settings")
    import django

    django.setup()
    from django.db.backends.signals import connection_created

    marker = Path(os.environ["MONEV_UJI_PENANDA"])
    needle = os.environ["MONEV_UJI_SQL"]
    after = int(os.environ.get("MONEV_UJI_SETELAH", "1"))
    seen = 0

    def pause(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal seen
        result = execute(sql, params, many, context)
        if needle in sql:
            seen += 1
            if seen == after:
                marker.write_text(sql[:200], encoding="utf-8")
                # Until killed, or (MONEV_UJI_LEPAS) until that file appears: then on to the end.
                release = os.environ.get("MONEV_UJI_LEPAS")
                until = time.monotonic() + 600
                while time.monotonic() < until and not (release and Path(release).exists()):
                    time.sleep(0.05)
        return result

    def install(sender, connection, **kwargs):  # type: ignore[no-untyped-def]
        connection.execute_wrappers.append(pause)

    connection_created.connect(install)
    from monev.cli import main as monev

    sys.argv = ["monev", *sys.argv[1:]]
    monev()


if __name__ == "__main__":
    main()
