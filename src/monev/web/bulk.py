"""Insert many rows at once, without building a model instance per row.

An import of 30 000 indicator lines writes about 250 000 rows (nodes, indicators, four quarters of
realisation each); Django's `bulk_create` spent most of its time building model instances and
compiling one parameter per value. Here a row is a plain dict of column values: PostgreSQL takes
them through COPY, SQLite through one prepared statement (`executemany`). Rows whose new ids are
needed: on PostgreSQL the ids are taken from the table's sequence first (one `nextval` query for
the lot) and COPY writes them with the rows; a multi-row `INSERT … VALUES … RETURNING id` made
psycopg split a query of 30 000 placeholders on the client, which cost more than the insert
itself. SQLite gives them back from `INSERT … RETURNING id` in batches, in the order given.

Fields a row does not name take their model default, converted once per field: a field added to a
model later is filled as the ORM would fill it. The named columns come first in the statement and
are picked from each row by one `itemgetter` call, the defaults appended as one tuple. Values pass through the same driver adapters as
the ORM's (Decimal as it is; Django registers Decimal → str for SQLite).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.utils import timezone

#: SQLite allows 32 766 parameters in one statement; PostgreSQL 65 535.
MAX_PARAMETERS = 32_000

#: Field types whose values COPY takes as this module writes them (`_copy_text`): numbers,
#: text, booleans, dates and times, foreign keys (their ids). A model with any other kind of
#: column (JSON, binary, …) goes through psycopg's own row formatting.
_TEXT_COPY_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateField",
        "DateTimeField",
        "DecimalField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)
#: Rows per block handed to COPY at once.
_COPY_BLOCK = 2_000
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _escaped(value: str) -> str:
    return value.translate(_ESCAPES)


def _null(value: None) -> str:
    return "\\N"


def _flag(value: bool) -> str:
    return "t" if value else "f"


#: How COPY's text format reads a value (`\\N` for NULL), by the value's exact type: one
#: dictionary look-up per value instead of a chain of isinstance tests (an import's COPY formats
#: over a million values).
_BY_TYPE: dict[type, Any] = {
    str: _escaped,
    int: str,
    Decimal: str,
    type(None): _null,
    bool: _flag,
    datetime.date: datetime.date.isoformat,
    datetime.datetime: datetime.datetime.isoformat,
    datetime.time: datetime.time.isoformat,
}


def _copy_text(value: Any) -> str:
    """Return one value as COPY's text format reads it; a subclass of a type of `_BY_TYPE` (a str
    enum, a SafeString) as its nearest base type is written."""
    convert = next((_BY_TYPE[t] for t in type(value).__mro__ if t in _BY_TYPE), None)
    if convert is None:
        raise TypeError(f"nilai {type(value).__name__} tidak dapat ditulis lewat COPY teks")
    return convert(value)


def _line(value: tuple[Any, ...]) -> str:
    """Return one row as a COPY text line (without its end)."""
    try:
        return "\t".join([_BY_TYPE[type(v)](v) for v in value])
    except KeyError:  # a subclass: the general rule
        return "\t".join(map(_copy_text, value))


def _text_copy_fits(model: type[models.Model]) -> bool:
    return all(f.get_internal_type() in _TEXT_COPY_TYPES for f in model._meta.concrete_fields)


def _copy_lines(values: Iterable[tuple[Any, ...]], rest: tuple[Any, ...]) -> Iterator[str]:
    """Yield the rows (each followed by the columns `rest`, the same for all) as blocks of COPY
    text lines; `rest` (defaults, a timestamp among them) is written once, not per row.

    Psycopg's `write_row` formats each value through its adapters, about twice this cost in
    CPU at 250 000 rows (an import of 30 000 lines); the server reads the same text either way."""
    tail = "".join("\t" + _copy_text(value) for value in rest)
    block: list[str] = []
    for value in values:
        block.append(_line(value) + tail)
        if len(block) == _COPY_BLOCK:
            yield "\n".join(block) + "\n"
            block = []
    if block:
        yield "\n".join(block) + "\n"


def _copy(
    cursor: Any,
    model: type[models.Model],
    sql: str,
    values: Iterable[tuple[Any, ...]],
    rest: tuple[Any, ...],
) -> None:
    """COPY the rows, each followed by `rest`, through Django's cursor `cursor` (PostgreSQL)."""
    raw = cursor.cursor  # the psycopg cursor under Django's wrapper
    with raw.copy(sql) as copy:
        if _text_copy_fits(model):
            for lines in _copy_lines(values, rest):
                copy.write(lines)
        else:
            for value in values:
                copy.write_row(value + rest)


def _tuples(
    model: type[models.Model], rows: Iterable[Mapping[str, Any]], given: Sequence[str]
) -> tuple[list[str], Iterable[tuple[Any, ...]], tuple[Any, ...]]:
    """Return the columns to write (the named ones in the rows' order, then every other concrete
    column but the id), the rows' named values as tuples in that order, and the values of the
    other columns, the same for every row: a field a row does not name takes its default,
    converted once (auto_now fields: now)."""
    fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
    unknown = [name for name in given if name not in fields]
    if unknown:
        raise ValueError(f"{model.__name__} tidak punya kolom {', '.join(unknown)}")
    names = [fields[name].column for name in given]
    constants: list[Any] = []
    for attname, field in fields.items():
        if attname in given:
            continue
        names.append(field.column)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constants.append(field.get_db_prep_save(timezone.now(), connection))
        else:
            constants.append(field.get_db_prep_save(field.get_default(), connection))
    rest = tuple(constants)
    # One C call per row picks the named values (a tuple even for one name).
    pick = itemgetter(*given) if len(given) > 1 else (lambda row: (row[given[0]],))
    return names, (pick(row) for row in rows), rest


def insert(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert rows (dicts keyed by field attname, e.g. `indikator_id`); return how many."""
    if not rows:
        return 0
    given = list(rows[0])
    names, values, rest = _tuples(model, rows, given)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(n) for n in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, model, f"COPY {table} ({columns}) FROM STDIN", values, rest)
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", [v + rest for v in values]
            )
    return len(rows)


def insert_returning_ids(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert rows and return their new ids, in the order of `rows`."""
    if not rows:
        return []
    given = list(rows[0])
    names, values, rest = _tuples(model, rows, given)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(n) for n in names)
    pk = connection.ops.quote_name(model._meta.pk.column)
    if connection.vendor == "postgresql":
        return _copy_with_new_ids(model, table, pk, columns, values, rest, len(rows))
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    batch = max(1, MAX_PARAMETERS // len(names))
    ids: list[int] = []
    pending: list[Any] = []
    count = 0

    def flush(cursor: Any) -> None:
        nonlocal pending, count
        if not count:
            return
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * count)} RETURNING {pk}",
            pending,
        )
        # Both backends number the rows of one statement upwards in the order of VALUES, whatever
        # order RETURNING lists them in.
        ids.extend(sorted(row[0] for row in cursor.fetchall()))
        pending, count = [], 0

    with connection.cursor() as cursor:
        for value in values:
            pending.extend(value + rest)
            count += 1
            if count == batch:
                flush(cursor)
        flush(cursor)
    if len(ids) != len(rows):  # pragma: no cover - a driver that drops RETURNING rows
        raise RuntimeError("jumlah id yang kembali tidak sama dengan jumlah baris")
    return ids


def _copy_with_new_ids(
    model: type[models.Model],
    table: str,
    pk: str,
    columns: str,
    values: Iterable[tuple[Any, ...]],
    rest: tuple[Any, ...],
    count: int,
) -> list[int]:
    """Take `count` ids from the table's sequence, then COPY the rows with them (PostgreSQL).

    The ids are the sequence's, as an INSERT without an id would take them: other writers at the
    same time take others, and a rolled-back import leaves a gap, as any rolled-back insert does.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        ids = [row[0] for row in cursor.fetchall()]
        rows = ((pk_value, *value) for pk_value, value in zip(ids, values, strict=True))
        _copy(cursor, model, f"COPY {table} ({pk}, {columns}) FROM STDIN", rows, rest)
    return ids
