"""The engine's result as a record: an `Evaluasi` written to JSON text and read back exactly.

A verified quarter keeps the evaluation it was accepted with (spec §8): later changes to the data,
the settings or the engine's rules must not change it. So the record holds the result itself, not
its inputs: every frozen dataclass of `monev.core` with its fields, every `Decimal` as its exact
text (`str(Decimal)` reads back to the same digits and exponent), every enum by its value. An
object shared in the result (a `Node` in the Renja and in each of its lines, an `Rp` in the map and
on a line) is written once and referred to after, so the rebuilt object has the same shape and
every renderer (E.81 page, XLSX, PDF, CSV, JSON) gives byte for byte what it gave at the time.

Only classes of `monev.core` are rebuilt from a record, never any other importable name.

A record outlives the code that wrote it: a record written before an upgrade is read by the newer
engine. A class that moved to another module of `monev.core` is found by its name there; a field
the class no longer has is left out; a field it gained takes its default. A record that still
cannot be rebuilt is refused (`RekamanError`), never misread.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from decimal import Decimal
from enum import Enum
from typing import Any

_ALLOWED_PREFIX = "monev.core."
#: The record's own layout; a record of another layout is refused, never misread.
FORMAT = 1


class RekamanError(ValueError):
    """A record that cannot be read back (damaged, or of another layout)."""


def _name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _class(name: str) -> type:
    module, _, qualname = name.partition(":")
    if not module.startswith(_ALLOWED_PREFIX) or not qualname.isidentifier():
        raise RekamanError(f"kelas {name!r} tidak dikenal")
    try:
        cls = getattr(importlib.import_module(module), qualname)
    except (ImportError, AttributeError):
        cls = _moved(qualname)
        if cls is None:
            raise RekamanError(f"kelas {name!r} tidak ditemukan") from None
    if not isinstance(cls, type) or not (dataclasses.is_dataclass(cls) or issubclass(cls, Enum)):
        raise RekamanError(f"{name!r} bukan kelas data mesin evaluasi")
    return cls


def _moved(qualname: str) -> type | None:
    """Return the one class of that name defined in a module of `monev.core`, if any."""
    import pkgutil

    import monev.core

    found = set()
    for info in pkgutil.iter_modules(monev.core.__path__, "monev.core."):
        candidate = getattr(importlib.import_module(info.name), qualname, None)
        if isinstance(candidate, type) and candidate.__module__ == info.name:
            found.add(candidate)
    return found.pop() if len(found) == 1 else None


class _Encoder:
    def __init__(self) -> None:
        self.seen: dict[int, int] = {}
        self.keep: list[Any] = []  # keeps every object alive, so that no id is reused

    def value(self, obj: Any) -> Any:
        if obj is None or (isinstance(obj, bool | int | str) and not isinstance(obj, Enum)):
            return obj
        if isinstance(obj, Decimal):
            return {"d": str(obj)}
        if isinstance(obj, Enum):
            return {"e": _name(type(obj)), "v": obj.value}
        if isinstance(obj, tuple):
            return {"t": [self.value(v) for v in obj]}
        if isinstance(obj, list):
            return [self.value(v) for v in obj]
        if isinstance(obj, dict):
            return {"m": [[self.value(k), self.value(v)] for k, v in obj.items()]}
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            ref = self.seen.get(id(obj))
            if ref is not None:
                return {"r": ref}
            ref = self.seen[id(obj)] = len(self.seen)
            self.keep.append(obj)
            cls = type(obj)
            if not cls.__module__.startswith(_ALLOWED_PREFIX):
                raise TypeError(f"{_name(cls)} bukan kelas monev.core")
            fields = {
                f.name: self.value(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init
            }
            return {"c": _name(cls), "i": ref, "f": fields}
        raise TypeError(f"{type(obj).__name__} tidak dapat direkam")


class _Decoder:
    def __init__(self) -> None:
        self.objects: dict[int, Any] = {}
        self.classes: dict[str, type] = {}

    def cls(self, name: str) -> type:
        found = self.classes.get(name)
        if found is None:
            found = self.classes[name] = _class(name)
        return found

    def value(self, data: Any) -> Any:
        if data is None or isinstance(data, bool | int | str):
            return data
        if isinstance(data, list):
            return [self.value(v) for v in data]
        if not isinstance(data, dict):
            raise RekamanError(f"nilai {data!r} tidak dikenal")
        if "d" in data:
            return Decimal(data["d"])
        if "t" in data:
            return tuple(self.value(v) for v in data["t"])
        if "m" in data:
            return {self.value(k): self.value(v) for k, v in data["m"]}
        if "e" in data:
            return self.cls(data["e"])(data["v"])
        if "r" in data:
            try:
                return self.objects[data["r"]]
            except KeyError:
                raise RekamanError(f"rujukan {data['r']} belum didefinisikan") from None
        if "c" in data:
            cls = self.cls(data["c"])
            known = (
                {f.name for f in dataclasses.fields(cls) if f.init}
                if dataclasses.is_dataclass(cls)
                else set()
            )
            fields = {k: self.value(v) for k, v in data["f"].items() if k in known}
            try:
                obj = cls(**fields)
            except TypeError as exc:
                raise RekamanError(f"{data['c']}: {exc}") from exc
            self.objects[data["i"]] = obj
            return obj
        raise RekamanError(f"nilai {data!r} tidak dikenal")


def dumps(result: Any) -> str:
    """Return the record of an engine result (an `Evaluasi`, a `Ringkasan`, …) as JSON text."""
    return json.dumps(
        {"format": FORMAT, "isi": _Encoder().value(result)},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def loads(text: str) -> Any:
    """Return the engine result a record holds, equal to the one it was written from."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RekamanError(f"rekaman rusak: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RekamanError("rekaman berformat lain")
    return _Decoder().value(data["isi"])
