"""Queries compiled once per thread and then run with new parameters: the cell save's hot path.

Django compiles a QuerySet to SQL on every run, and for the few small queries of one cell save
that compilation costs several times the database's own work (a save of issue 17's bench spent
more than half of its CPU in `SQLCompiler.as_sql`). A `Prepared` query is still written as a
QuerySet (`values_list`, so that Django's own converters turn the columns into Python values on
every database), compiled the first time a thread runs it, with sample parameters that mark
where each argument goes; later runs execute the same SQL with the arguments in those places
and convert the rows as Django would (`SQLCompiler.results_iter`).

The sample values must be ones that appear nowhere else among the query's parameters (in range
for their field: Django turns an out-of-range integer into an empty query), and each must
appear: both are checked when the query is compiled.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Model, QuerySet


class Prepared:
    """A `values_list` query compiled once per thread and database, run with new arguments."""

    def __init__(self, build: Callable[..., QuerySet[Any]], *sample: Any) -> None:
        self.build = build
        self.sample = sample
        self.local = threading.local()

    def _compiled(self, alias: str) -> tuple[Any, ...]:
        cache: dict[str, Any] = self.local.__dict__.setdefault("by_alias", {})
        if alias not in cache:
            queryset = self.build(*self.sample).using(alias)
            compiler = queryset.query.get_compiler(alias)
            sql, params = compiler.as_sql()
            # Where each sample went; the backend may have wrapped it (psycopg's `Int2` for a
            # small integer column): an argument in its place is wrapped the same way.
            where: list[tuple[int, Any] | None] = []
            for value in params:
                found = [i for i, s in enumerate(self.sample) if _same(s, value)]
                wrap = (
                    type(value)
                    if found and type(value) is not type(self.sample[found[0]])
                    else None
                )
                where.append((found[0], wrap) if found else None)
            missing = set(range(len(self.sample))) - {w[0] for w in where if w is not None}
            if missing:
                raise ImproperlyConfigured(
                    f"Prepared: sample {[self.sample[i] for i in sorted(missing)]} is not a "
                    f"parameter of {sql}"
                )
            fields = [col[0] for col in compiler.select[0 : compiler.col_count]]
            cache[alias] = (compiler, sql, list(params), where, compiler.get_converters(fields))
        return cache[alias]  # type: ignore[no-any-return]

    def rows(self, *args: Any, using: str = "default") -> list[tuple[Any, ...]]:
        """Run the query with these arguments (in the order of the sample values)."""
        compiler, sql, params, where, converters = self._compiled(using)
        values = [
            p if w is None else (w[1](args[w[0]]) if w[1] else args[w[0]])
            for p, w in zip(params, where, strict=True)
        ]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, values)
            fetched = cursor.fetchall()
        if converters:  # as `SQLCompiler.results_iter` converts them
            return [tuple(row) for row in compiler.apply_converters(fetched, converters)]
        return fetched

    def first(self, *args: Any, using: str = "default") -> tuple[Any, ...] | None:
        found = self.rows(*args, using=using)
        return found[0] if found else None


def _same(sample: Any, value: Any) -> bool:
    """Tell whether a compiled parameter is this sample value (perhaps wrapped: `Int2(32701)`)."""
    if isinstance(sample, bool) or isinstance(value, bool):
        return False
    return isinstance(value, type(sample)) and value == sample


def fields_of(model: type[Model], path: str = "") -> list[str]:
    """Return the names `values_list` reads every stored column of `model` by (through `path`,
    "simpul__renja__", from another model), in the order `instance` takes them."""
    return [path + f.attname for f in model._meta.concrete_fields]


def instance(
    model: type[Model], row: Sequence[Any], start: int = 0, using: str = "default"
) -> tuple[Any, int]:
    """Return the `model` instance of the columns of `row` from `start` (as `fields_of` lists
    them) as if Django had read it, and where the next model's columns start."""
    names = [f.attname for f in model._meta.concrete_fields]
    end = start + len(names)
    return model.from_db(using, names, row[start:end]), end


def update(obj: Model, names: Sequence[str], using: str = "default") -> None:
    """Write these fields of a stored instance (`save(update_fields=names)` without compiling an
    UPDATE each time and without its signals: for rows no signal listens to). An `auto_now`
    field among them takes the time now, as `save` gives it."""
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = obj._meta
    fields = [meta.get_field(name) for name in names]
    values = [f.get_db_prep_save(f.pre_save(obj, add=False), connection) for f in fields]
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s",
            [*values, obj.pk],
        )
