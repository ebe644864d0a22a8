"""A progress line on the terminal for a long import (`monev impor`): the phase, the lines done
and the share, rewritten in place ("Memeriksa baris… 45.000/100.000 baris (45 %)")."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import TextIO

from monev.core.numbers import format_nilai


def teks_kemajuan(tahap: str, selesai: int, jumlah: int) -> str:
    """Return one progress line: the phase, and the lines done when their number is known."""
    if not jumlah:
        return f"{tahap}…"
    persen = min(100, selesai * 100 // jumlah)
    return (
        f"{tahap}… {format_nilai(Decimal(selesai))}/{format_nilai(Decimal(jumlah))} baris "
        f"({persen} %)"
    )


class BarisKemajuan:
    """Write progress to `stream` on one line (at most every `jeda` seconds, and at each new
    phase); `selesai()` ends the line."""

    def __init__(self, stream: TextIO, jeda: float = 0.2) -> None:
        self.stream = stream
        self.jeda = jeda
        self.last = 0.0
        self.tahap = ""
        self.width = 0

    def __call__(self, tahap: str, selesai: int, jumlah: int) -> None:
        now = time.monotonic()
        if tahap == self.tahap and now - self.last < self.jeda and selesai < jumlah:
            return
        self.tahap, self.last = tahap, now
        text = teks_kemajuan(tahap, selesai, jumlah)
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def selesai(self) -> None:
        if self.width:
            self.stream.write("\n")
            self.stream.flush()
            self.width = 0
