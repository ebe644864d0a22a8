"""Building frozen dataclasses in bulk.

The engine's results are frozen dataclasses (`Indikator`, `Node`, `Baris`, `Rp`, …): immutable and
hashable, which the web application and the reports rely on. Building one costs three times what
building a plain object does: a frozen dataclass's `__init__` sets each field through
`object.__setattr__`, and calling a class with keyword arguments packs them into a dictionary
for `__init__`. For a 30 000-line file that was more than a tenth of the whole run. `builder`
removes that cost for the few places that build such objects by the tens of thousands, without
changing the classes.

Kept because it still pays: `bench/frozen_ab.py` (the same run with `builder` returning the plain
class) measured `monev evaluasi` on 30 210 lines at a median 0,88 s CPU with it and 1,03 s
without (+16 %; `--format teks`: 0,95 s against 1,10 s), December 2026. Keep it this small.
"""

from __future__ import annotations

from dataclasses import MISSING, fields, is_dataclass
from typing import Any, TypeVar

_T = TypeVar("_T")


def builder(cls: type[_T]) -> type[_T]:
    """Return a function that builds instances of the frozen slots dataclass `cls`.

    It takes the same parameters as `cls` with the same defaults and returns an instance of `cls`,
    equal to and indistinguishable from the one `cls(...)` returns. It fills an instance of a
    plain class with the same slots, i.e. the same memory layout, and then gives it the class
    `cls`, which Python allows between classes whose instances have the same layout. Like the
    `__init__` that `dataclasses` writes, the function is generated from the fields. (It is typed
    as `type[cls]` so that calls are checked against the parameters of `cls`.)
    """
    if not is_dataclass(cls) or "__slots__" not in vars(cls) or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} is not a slots dataclass without __post_init__")
    names = [f.name for f in fields(cls)]
    if list(vars(cls)["__slots__"]) != names:
        raise TypeError(f"{cls.__name__} has slots other than its fields")
    namespace: dict[str, Any] = {
        "_new": object.__new__,
        "_Shell": type(f"{cls.__name__}Shell", (), {"__slots__": tuple(names)}),
        "_cls": cls,
    }
    parameters = []
    for f in fields(cls):
        if not f.init or f.kw_only is True or f.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{f.name} is not a plain parameter")
        if f.default is MISSING:
            parameters.append(f.name)
        else:
            parameters.append(f"{f.name}=_default_{f.name}")
            namespace[f"_default_{f.name}"] = f.default
    source = "\n".join(
        [
            f"def build_{cls.__name__.lower()}({', '.join(parameters)}):",
            "    self = _new(_Shell)",
            *(f"    self.{name} = {name}" for name in names),
            "    self.__class__ = _cls",
            "    return self",
        ]
    )
    exec(source, namespace)
    return namespace[f"build_{cls.__name__.lower()}"]  # type: ignore[no-any-return]
