"""Writing many stored rows at once, below the ORM: a Renja of 600 lines has some 4,000 rows,
and building a model instance and its per-field SQL for each costs ten times the database's own
work (measured with bench/angka_baris.py). On PostgreSQL new rows go in with one `COPY` per
table (psycopg 3 adapts the values in C; `executemany` cost some 0,7 s of client CPU and as much
server time per Renja, bench/segar.py); elsewhere one `executemany` per table. Values are
converted once per column by the fields' own `get_db_prep_save` where the backend needs it
(decimals on SQLite, JSON everywhere)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections


def _converters(model: Any, columns: Sequence[str]) -> list[Callable[[Any], Any] | None]:
    # The connection itself, not the `django.db.connection` proxy: every attribute of the proxy
    # is a thread-local look-up, and this runs once per value.
    real = connections[DEFAULT_DB_ALIAS]
    # psycopg takes a Decimal as it is, and Django's PostgreSQL backend does not change it.
    types = {"JSONField"} if real.vendor == "postgresql" else {"DecimalField", "JSONField"}
    out: list[Callable[[Any], Any] | None] = []
    for name in columns:
        field = model._meta.get_field(name.removesuffix("_id"))
        if field.get_internal_type() in types:
            out.append(lambda v, f=field: f.get_db_prep_save(v, real))
        else:
            out.append(None)
    return out


def _values(
    row: Mapping[str, Any], columns: Sequence[str], conv: list[Callable[[Any], Any] | None]
) -> tuple[Any, ...]:
    return tuple(
        row[c] if f is None or row[c] is None else f(row[c])
        for c, f in zip(columns, conv, strict=True)
    )


def insert(model: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows (column → value; every row the same columns) into the model's table."""
    if not rows:
        return
    columns = list(rows[0])
    conv = _converters(model, columns)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model._meta.get_field(c.removesuffix("_id")).column) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(_values(row, columns, conv))
            return
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            table, names, ", ".join(["%s"] * len(columns))
        )
        cursor.executemany(sql, [_values(row, columns, conv) for row in rows])


def update(
    model: Any, rows: Sequence[tuple[int, Mapping[str, Any]]], columns: Sequence[str]
) -> None:
    """Set these columns of the rows given by id."""
    if not rows:
        return
    conv = _converters(model, columns)
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE id = %s".format(
        quote(model._meta.db_table),
        ", ".join(
            f"{quote(model._meta.get_field(c.removesuffix('_id')).column)} = %s" for c in columns
        ),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*_values(row, columns, conv), pk) for pk, row in rows])
