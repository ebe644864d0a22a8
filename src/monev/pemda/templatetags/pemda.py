"""Display filters of the pemda pages: Indonesian notation of figures already computed."""

from __future__ import annotations

from decimal import Decimal

from django import template

from monev.core.numbers import format_angka

register = template.Library()


@register.filter
def perubahan(value: Decimal | None) -> str:
    """A change in points with its sign: `+1,25`, `-0,50`, `0,00`; `-` when undefined."""
    if value is None:
        return "-"
    text = format_angka(value)
    return f"+{text}" if value > 0 else text


@register.filter
def arah(value: Decimal | None) -> str:
    """The CSS class of a change: up, down, or none."""
    if value is None or value == 0:
        return ""
    return "naik" if value > 0 else "turun"


@register.filter
def status_css(status: str) -> str:
    return f"st-{status}"


@register.filter
def tingkat_label(tingkat: object) -> str:
    return str(getattr(tingkat, "value", tingkat)).replace("_", " ")


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key, "")
