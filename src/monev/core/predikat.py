"""Predikat band sets (spec §7): data, per pemda and per side (K, Rp), checked on the decimals.

A band set (`PitaPredikat`) is any number of bands (`Pita`), each an interval of the capaian
rounded to two decimals, with inclusive or exclusive bounds or no bound on one side, plus an
optional label for a line without a target (`tanpa_target`, e.g. "Tidak ada target").

Rules of a set, checked when it is built (`PitaError` names every fault, in Bahasa Indonesia):

- on the grid of two decimals (the capaian is rated after rounding, half up), every value from the
  lowest band's lower bound up is in exactly one band: no gap, no overlap;
- the highest band has no upper bound (a capaian above 100 is kept, spec §3);
- a capaian below the lowest band's lower bound (a negative capaian of the `negatif` formula) is
  rated with the lowest band: sets are typed as `0–24,99`, and such a capaian is the worst there is.

The compact text form an admin types, one band per line (`parse_pita`, `PitaPredikat.teks`):

    tanpa target = Tidak ada target      (also: `tidak ada target`, `-`)
    0–24,99 = Sangat Rendah              (both bounds included; `-`, `s.d.`, `sampai` also)
    100 = Tercapai                       (one value)
    > 100 = Melebihi target              (`>`, `≥`/`>=`, `<`, `≤`/`<=`: one bound)
    > 75 dan ≤ 90 = Tinggi               (two bounds with their own signs)

Numbers in Indonesian (`24,99`) or machine notation (`24.99`), an optional `%`; blank lines and
lines starting with `#` are skipped; the order of the lines does not matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from itertools import pairwise

from monev.core.numbers import AngkaError, format_angka, format_nilai, parse_angka, round_half_up

_STEP = Decimal("0.01")


class PitaError(ValueError):
    """A band set that cannot be used; the message names every fault."""

    def __init__(self, kesalahan: list[str]) -> None:
        super().__init__("; ".join(kesalahan))
        self.kesalahan = kesalahan


def _angka(value: Decimal) -> str:
    """A bound as typed: `90`, `24,99`."""
    return format_nilai(value)


def _grid(value: Decimal) -> str:
    """A value of the two-decimal grid, as the capaian is shown: `25,00`."""
    return format_angka(value, 2)


@dataclass(frozen=True, slots=True)
class Pita:
    """One band: its predikat for every capaian (rounded to two decimals) between its bounds."""

    predikat: str
    bawah: Decimal | None = None  # None: no lower bound
    atas: Decimal | None = None  # None: no upper bound
    bawah_inklusif: bool = True
    atas_inklusif: bool = True

    @property
    def dari(self) -> Decimal | None:
        """The lowest two-decimal value in the band (None: no lower bound)."""
        if self.bawah is None:
            return None
        if self.bawah_inklusif:
            return self.bawah.quantize(_STEP, ROUND_CEILING)
        return self.bawah.quantize(_STEP, ROUND_FLOOR) + _STEP

    @property
    def sampai(self) -> Decimal | None:
        """The highest two-decimal value in the band (None: no upper bound)."""
        if self.atas is None:
            return None
        if self.atas_inklusif:
            return self.atas.quantize(_STEP, ROUND_FLOOR)
        return self.atas.quantize(_STEP, ROUND_CEILING) - _STEP

    def rentang(self) -> str:
        """Return the band's range in the text form (`0–24,99`, `> 100`, `> 75 dan ≤ 90`)."""
        lo, hi = self.bawah, self.atas
        if lo is not None and hi is not None and self.bawah_inklusif and self.atas_inklusif:
            return _angka(lo) if lo == hi else f"{_angka(lo)}–{_angka(hi)}"
        parts = []
        if lo is not None:
            parts.append(f"{'≥' if self.bawah_inklusif else '>'} {_angka(lo)}")
        if hi is not None:
            parts.append(f"{'≤' if self.atas_inklusif else '<'} {_angka(hi)}")
        return " dan ".join(parts) if parts else "semua nilai"


def _pita_teks(pita: Pita) -> str:
    return f"'{pita.predikat}' ({pita.rentang()})"


def _shared(first: Decimal | None, last: Decimal | None) -> str:
    if first is not None and last is not None:
        if first == last:
            return f"nilai {_grid(first)}"
        return f"nilai {_grid(first)} sampai {_grid(last)}"
    if first is not None:
        return f"nilai {_grid(first)} ke atas"
    if last is not None:
        return f"nilai sampai {_grid(last)}"
    return "semua nilai"


def _faults(pita: tuple[Pita, ...]) -> list[str]:
    """Return every fault of bands sorted from the lowest (see the module docstring)."""
    faults = []
    for p in pita:
        if not p.predikat.strip():
            faults.append(f"pita {p.rentang()} tidak bernama")
        lo, hi = p.dari, p.sampai
        if lo is not None and hi is not None and lo > hi:
            faults.append(f"pita {_pita_teks(p)} tidak memuat nilai apa pun")
    for low, high in pairwise(pita):
        hi, lo = low.sampai, high.dari
        if hi is None or lo is None or lo <= hi:
            first = lo
            last = (
                high.sampai if hi is None or (high.sampai is not None and high.sampai < hi) else hi
            )
            faults.append(
                f"pita {_pita_teks(low)} dan {_pita_teks(high)} tumpang tindih: "
                f"{_shared(first, last)} masuk keduanya"
            )
        elif lo > hi + _STEP:
            first, last = hi + _STEP, lo - _STEP
            nilai = (
                f"nilai {_grid(first)}"
                if first == last
                else f"nilai {_grid(first)} sampai {_grid(last)}"
            )
            faults.append(
                f"celah antara {_grid(hi)} dan {_grid(lo)}: {nilai} tidak masuk pita mana pun"
            )
    top = pita[-1] if pita else None
    if top is not None and top.sampai is not None:
        faults.append(
            f"pita tertinggi {_pita_teks(top)} berbatas atas: nilai di atas {_grid(top.sampai)} "
            f"tidak masuk pita mana pun (tulis mis. '≥ {_angka(top.dari or Decimal(0))}')"
        )
    return faults


def _sort_key(p: Pita) -> tuple[int, Decimal]:
    dari = p.dari
    return (0, Decimal(0)) if dari is None else (1, dari)


@dataclass(frozen=True, slots=True)
class PitaPredikat:
    """A band set; the bands are kept from the highest down. Raises `PitaError` if unusable."""

    pita: tuple[Pita, ...]
    #: The predikat of a line whose capaian is undefined because it has no target (None: none).
    tanpa_target: str | None = None
    #: (lowest value, predikat) of every band but the lowest, highest first (see `nilai`).
    _dari: tuple[tuple[Decimal, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.pita, key=_sort_key))
        faults = [] if ordered else ["himpunan pita predikat kosong"]
        faults += _faults(ordered)
        if self.tanpa_target is not None and not self.tanpa_target.strip():
            faults.append("label tanpa target kosong")
        if faults:
            raise PitaError(faults)
        highest_first = ordered[::-1]
        object.__setattr__(self, "pita", highest_first)
        pairs = tuple((p.dari, p.predikat) for p in highest_first[:-1])
        object.__setattr__(self, "_dari", pairs)

    def nilai(self, capaian: Decimal | None, *, tanpa_target: bool = False) -> str | None:
        """Return the predikat of a capaian rounded to two decimals; None if it is undefined,
        or the `tanpa_target` label if the caller says the line has no target."""
        if capaian is None:
            return self.tanpa_target if tanpa_target else None
        shown = round_half_up(capaian, 2)
        # Runs for every line of a table: a plain loop over (lowest value, predikat) pairs.
        for dari, label in self._dari:
            if shown >= dari:
                return label
        return self.pita[-1].predikat

    def __iter__(self) -> Iterator[Pita]:
        """The bands, highest first."""
        return iter(self.pita)

    @property
    def nama(self) -> tuple[str, ...]:
        """Every predikat the set can give, highest first, then the no-target label."""
        names = tuple(p.predikat for p in self.pita)
        return names + ((self.tanpa_target,) if self.tanpa_target else ())

    def teks(self) -> str:
        """Return the set in the text form `parse_pita` reads (lowest band first)."""
        lines = [f"tanpa target = {self.tanpa_target}"] if self.tanpa_target else []
        lines += [f"{p.rentang()} = {p.predikat}" for p in reversed(self.pita)]
        return "\n".join(lines)


#: Spec §7's default set (the regulation's table, half-open so that it has no gaps).
DEFAULT_PITA = PitaPredikat(
    (
        Pita("Sangat Tinggi", Decimal(90), None, bawah_inklusif=False),
        Pita("Tinggi", Decimal(75), Decimal(90), bawah_inklusif=False),
        Pita("Sedang", Decimal(65), Decimal(75), bawah_inklusif=False),
        Pita("Rendah", Decimal(50), Decimal(65), bawah_inklusif=False),
        Pita("Sangat Rendah", None, Decimal(50)),
    )
)

_NUM = r"(-?\d[\d.,]*)\s*%?"
_RANGE = re.compile(rf"^{_NUM}\s*(?:–|—|-|s\.?\s*d\.?|sampai)\s*{_NUM}$", re.I)
_ONE = re.compile(rf"^(>|≥|<|≤)?\s*{_NUM}$")
_TWO = re.compile(rf"^(>|≥)\s*{_NUM}\s*(?:dan|,|&)\s*(<|≤)\s*{_NUM}$", re.I)
_NO_TARGET = frozenset({"tanpa target", "tidak ada target", "-", "–", "kosong"})


def _number(text: str, nomor: int) -> Decimal:
    try:
        value = parse_angka(text)
    except AngkaError:
        value = None
    if value is None:
        raise PitaError([f"baris {nomor}: '{text}' bukan angka"])
    return value


def _band(rentang: str, label: str, nomor: int) -> Pita:
    if m := _RANGE.match(rentang):
        return Pita(label, _number(m.group(1), nomor), _number(m.group(2), nomor))
    if m := _TWO.match(rentang):
        return Pita(
            label,
            _number(m.group(2), nomor),
            _number(m.group(4), nomor),
            bawah_inklusif=m.group(1) == "≥",
            atas_inklusif=m.group(3) == "≤",
        )
    if m := _ONE.match(rentang):
        sign, value = m.group(1), _number(m.group(2), nomor)
        if sign is None:
            return Pita(label, value, value)
        if sign in (">", "≥"):
            return Pita(label, value, None, bawah_inklusif=sign == "≥")
        return Pita(label, None, value, atas_inklusif=sign == "≤")
    raise PitaError(
        [
            f"baris {nomor}: rentang '{rentang}' tidak dikenali; tulis mis. '0–24,99', '100', "
            "'> 100', '≥ 95' atau '> 75 dan ≤ 90'"
        ]
    )


def parse_pita(text: str) -> PitaPredikat:
    """Return the band set written in the text form (module docstring); raise `PitaError`."""
    bands: list[Pita] = []
    tanpa_target: str | None = None
    errors: list[str] = []
    for nomor, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.replace(">=", "≥").replace("<=", "≤").replace("=>", "≥").replace("=<", "≤")
        rentang, sep, label = line.partition("=")
        rentang, label = rentang.strip(), label.strip()
        if not sep or not label:
            errors.append(f"baris {nomor}: tulis 'rentang = predikat', mis. '0–24,99 = Rendah'")
            continue
        if rentang.casefold() in _NO_TARGET:
            if tanpa_target is not None:
                errors.append(f"baris {nomor}: label tanpa target ditulis dua kali")
            tanpa_target = label
            continue
        try:
            bands.append(_band(rentang, label, nomor))
        except PitaError as exc:
            errors += exc.kesalahan
    if errors:
        raise PitaError(errors)
    return PitaPredikat(tuple(bands), tanpa_target)
