"""Remove a Renja's whole plan (every node and all that hangs off them) in a few statements.

An import that replaces a plan of 100 000 indicator lines deleted it through Django's delete
collector, which loads every node and indicator as a model instance to follow the cascades: most
of a minute inside the import's transaction, holding SQLite's only write lock, while sign-ins
waited and failed (issue 14, point 6). The relations are followed here from the models' own
metadata instead, one statement per related table (children first), so that a relation added
later is handled as its `on_delete` says. A relation this cannot follow alike (a PROTECT, a
many-to-many, a delete signal) makes it fall back to Django's collector: slow, never wrong.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import post_delete, pre_delete

from monev.web.models import Renja, Simpul


class _Slow(Exception):
    """A relation this module does not follow; Django's collector must do the delete."""


def hapus_rencana(renja: Renja) -> None:
    """Delete every node of `renja` with what depends on them, inside the caller's transaction."""
    hapus_simpul(Simpul._base_manager.filter(renja=renja))


def hapus_simpul(nodes: models.QuerySet[Simpul]) -> None:
    """Delete `nodes` with what depends on them, inside the caller's transaction. A node's
    children must be among `nodes` or already gone (the database checks it at commit)."""
    try:
        plan: list[tuple[str, Any]] = []
        _follow(Simpul, nodes, plan, seen=set())
    except _Slow:
        nodes.delete()
        return
    for action, step in plan:
        if action == "update":
            queryset, field = step
            queryset.update(**{field: None})
        else:
            step._raw_delete(step.db)


def _follow(
    model: type[models.Model],
    rows: models.QuerySet[Any],
    plan: list[tuple[str, Any]],
    seen: set[type[models.Model]],
) -> None:
    """Add to `plan` what deleting `rows` needs, children first, then `rows` themselves."""
    if pre_delete.has_listeners(model) or post_delete.has_listeners(model):
        raise _Slow
    if model._meta.many_to_many:
        raise _Slow
    seen = seen | {model}
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            raise _Slow
        field = relation.field
        related = relation.related_model
        assert isinstance(related, type)
        on_delete = field.remote_field.on_delete
        if related is model:
            # A node's children belong to the same Renja: they are among `rows` already (the
            # database checks the self reference at commit, the foreign keys being deferred).
            if on_delete is not models.CASCADE:
                raise _Slow
            continue
        if related in seen:
            raise _Slow
        dependants = related._base_manager.filter(**{f"{field.name}__in": rows.values("pk")})
        if on_delete is models.CASCADE:
            _follow(related, dependants, plan, seen)
        elif on_delete is models.SET_NULL:
            plan.append(("update", (dependants, field.name)))
        elif on_delete is not models.DO_NOTHING:
            raise _Slow  # PROTECT, RESTRICT, SET_DEFAULT, SET(): the collector decides
    plan.append(("delete", rows))
