"""`monev kelola hitung_angka`: compute and store every pemda's figures as rows (`monev.pemda.angka`)
ahead of the first visitor (after a deploy, whose new code makes the stored rows stale), after
recording the snapshot of every verified quarter that has none (verified before snapshots were
kept). Only Renja whose rows are stale are evaluated; the others are left as they are."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from monev.pemda import selectors
from monev.web import snapshot


class Command(BaseCommand):
    help = (
        "Hitung dan simpan angka dasbor pemda (setiap pemda, setiap tahun) sebelum pengunjung "
        "pertama membukanya, misalnya sesudah pemasangan versi baru."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        recorded = snapshot.take_missing()
        if recorded:
            self.stdout.write(
                f"{recorded} triwulan terverifikasi tanpa snapshot kini direkam dari datanya."
            )
        pairs = [(p, t) for p in selectors.pemda_list() for t in selectors.years_of(p)]
        if not pairs:
            self.stdout.write("Belum ada Renja: tidak ada yang dihitung.")
            return
        for i, (pemda, tahun) in enumerate(pairs, start=1):
            started = time.monotonic()
            data = selectors.pemda_year(pemda, tahun)
            jumlah = sum(1 for pd in data.pd if pd.angka is not None)
            self.stdout.write(
                f"[{i}/{len(pairs)}] {pemda.nama} {tahun}: {jumlah} Perangkat Daerah "
                f"({time.monotonic() - started:.1f} detik)"
            )
        self.stdout.write(self.style.SUCCESS("Angka dasbor tersimpan."))
