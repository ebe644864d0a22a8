"""The dashboard's display extras of a stored PD quarter (projections, the budget plan's footer) as
JSON and back, exactly: decimals travel as strings. Only the frozen dataclasses named here are
read back; nothing is ever unpickled."""

from __future__ import annotations

import dataclasses
import functools
import typing
from decimal import Decimal
from enum import Enum
from typing import Any

from monev.core.evaluation import Ringkasan, RingkasanProgram
from monev.pemda.projection import Dasar, Proyeksi, ProyeksiRataRata

_CLASSES: dict[str, type] = {
    cls.__name__: cls for cls in (Proyeksi, ProyeksiRataRata, Ringkasan, RingkasanProgram)
}


#: The field names of each class, and the types kept as they are: `dump` runs for every value of
#: every warning of every line of every Renja refreshed, so it looks these up once.
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in _CLASSES.values()
}
_PLAIN = frozenset({type(None), bool, int, str})


def dump(value: Any) -> Any:
    """Return a dataclass (or a value inside one) as JSON-able data."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is Decimal:
        return str(value)
    names = _FIELDS.get(kind)
    if names is not None:
        return {name: dump(getattr(value, name)) for name in names}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [dump(v) for v in value]
    if dataclasses.is_dataclass(value) and type(value).__name__ in _CLASSES:
        return {f.name: dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"tidak dapat disimpan sebagai JSON: {type(value).__name__}")


@functools.cache
def _hints(cls: type) -> dict[str, str]:
    return {name: str(hint) for name, hint in typing.get_type_hints(cls).items()}


def load(cls: type, data: Any) -> Any:
    """Return the dataclass `cls` that `dump` turned into `data`."""
    if data is None:
        return None
    values = {}
    for name, hint in _hints(cls).items():
        raw = data[name]
        if raw is None:
            values[name] = None
        elif "RingkasanProgram" in hint:
            values[name] = tuple(load(RingkasanProgram, item) for item in raw)
        elif "tuple" in hint and "Decimal" in hint:
            values[name] = tuple(None if v is None else Decimal(v) for v in raw)
        elif "Decimal" in hint:
            values[name] = Decimal(raw)
        elif "Dasar" in hint:
            values[name] = Dasar(raw)
        else:
            values[name] = raw
    return cls(**values)
