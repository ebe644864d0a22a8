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

from monev.core.frozen import builder

_ALLOWED_PREFIX = "monev.core."
#: The record's own layout; a record of another layout is refused, never misread.
FORMAT = 2


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


# A value is a JSON scalar (None, bool, int, str) or a list whose first item says what it is. An
# object's fields are listed positionally, in the order its class entry names them (once per
# class, in the record's header), so that a record stays readable when a class gains a field with
# a default; objects are numbered in the order they are completed, and a later `_REF` names one.
_DECIMAL, _OBJECT, _REF, _TUPLE, _DICT, _ENUM, _LIST = range(7)


class _Encoder:
    def __init__(self) -> None:
        self.classes: dict[type, int] = {}
        self.header: list[list[Any]] = []
        self.seen: dict[int, int] = {}
        self.keep: list[Any] = []  # keeps every object alive, so that no id is reused

    def cls(self, cls: type, names: list[str] | None = None) -> int:
        index = self.classes.get(cls)
        if index is None:
            if not cls.__module__.startswith(_ALLOWED_PREFIX):
                raise TypeError(f"{_name(cls)} bukan kelas monev.core")
            index = self.classes[cls] = len(self.header)
            self.header.append([_name(cls), names or []])
        return index

    def value(self, obj: Any) -> Any:
        kind = type(obj)
        if obj is None or kind is str or kind is int or kind is bool:
            return obj
        if kind is Decimal:
            return [_DECIMAL, str(obj)]
        if isinstance(obj, Enum):
            return [_ENUM, self.cls(kind), obj.value]
        if kind is tuple:
            return [_TUPLE, *[self.value(v) for v in obj]]
        if kind is list:
            return [_LIST, *[self.value(v) for v in obj]]
        if kind is dict:
            items: list[Any] = [_DICT]
            for k, v in obj.items():
                items += [self.value(k), self.value(v)]
            return items
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            ref = self.seen.get(id(obj))
            if ref is not None:
                return [_REF, ref]
            names = [f.name for f in dataclasses.fields(obj) if f.init]
            index = self.cls(kind, names)
            out = [_OBJECT, index, *[self.value(getattr(obj, n)) for n in names]]
            self.seen[id(obj)] = len(self.keep)  # numbered when complete, as the reader does
            self.keep.append(obj)
            return out
        raise TypeError(f"{kind.__name__} tidak dapat direkam")


def _constructor(cls: type, names: list[str]) -> Any:
    """Return a function of the recorded field values that builds an instance of `cls`."""
    if dataclasses.is_dataclass(cls):
        fields = [f.name for f in dataclasses.fields(cls) if f.init]
        if names == fields:
            try:
                return builder(cls)  # the engine's own fast path for its frozen classes
            except TypeError:
                return cls
        known = set(fields)  # a field the class no longer has is left out

        def build(*values: Any) -> Any:
            given = {n: v for n, v in zip(names, values, strict=True) if n in known}
            try:
                return cls(**given)
            except TypeError as exc:  # a field it gained without a default
                raise RekamanError(f"{cls.__qualname__}: {exc}") from exc

        return build
    enum: type[Enum] = cls
    members = {m.value: m for m in enum}
    return members.__getitem__


class _Decoder:
    def __init__(self, header: list[list[Any]]) -> None:
        self.make = [_constructor(_class(name), names) for name, names in header]
        self.objects: list[Any] = []

    def value(self, data: Any) -> Any:
        if type(data) is not list:
            if data is None or isinstance(data, bool | int | str):
                return data
            raise RekamanError(f"nilai {data!r} tidak dikenal")
        tag = data[0]
        if tag == _DECIMAL:
            return Decimal(data[1])
        if tag == _OBJECT:
            value = self.value
            obj = self.make[data[1]](*[value(v) for v in data[2:]])
            self.objects.append(obj)
            return obj
        if tag == _REF:
            return self.objects[data[1]]
        if tag == _TUPLE:
            value = self.value
            return tuple([value(v) for v in data[1:]])
        if tag == _ENUM:
            return self.make[data[1]](data[2])
        if tag == _DICT:
            value = self.value
            return {value(data[i]): value(data[i + 1]) for i in range(1, len(data), 2)}
        if tag == _LIST:
            return [self.value(v) for v in data[1:]]
        raise RekamanError(f"nilai {data!r} tidak dikenal")


def dumps(result: Any) -> str:
    """Return the record of an engine result (an `Evaluasi`, a `Ringkasan`, …) as JSON text."""
    encoder = _Encoder()
    content = encoder.value(result)
    return json.dumps(
        {"format": FORMAT, "kelas": encoder.header, "isi": content},
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
    try:
        return _Decoder(data["kelas"]).value(data["isi"])
    except (KeyError, IndexError, TypeError, ValueError, ArithmeticError) as exc:
        if isinstance(exc, RekamanError):
            raise
        raise RekamanError(f"rekaman rusak: {exc}") from exc
