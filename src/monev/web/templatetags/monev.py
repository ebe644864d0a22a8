"""Display filters: Indonesian notation for numbers the engine has computed (format, never compute)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.safestring import SafeString

from monev.core.codes import kode_tampil
from monev.core.numbers import format_angka, format_nilai
from monev.web.entri_html import cell_html
from monev.web.models import Riwayat
from monev.web.riwayat_laporan import BarisRiwayat, baris

register = template.Library()


@register.filter
def kode(value: str) -> str:
    """A code as shown: a provisional one carries "(kode sementara)"."""
    return kode_tampil(value)


@register.filter
def persen(value: Decimal | None) -> str:
    """`75,00`; `-` when undefined."""
    return format_angka(value)


@register.filter
def nilai(value: Decimal | None) -> str:
    """A value with the decimals it carries: `23,8`, `12.500`; `-` when none."""
    return format_nilai(value)


@register.filter
def isian(value: Decimal | None) -> str:
    """A value as an input field shows it: blank when none."""
    return "" if value is None else format_nilai(value)


@register.filter
def romawi(value: int) -> str:
    return ("I", "II", "III", "IV")[int(value) - 1]


@register.filter
def tingkat_css(tingkat: str) -> str:
    return {"program": "t-program", "kegiatan": "t-kegiatan", "sub_kegiatan": "t-sub"}.get(
        str(tingkat), ""
    )


@register.filter
def predikat_css(predikat: str | None) -> str:
    return "p-" + predikat.lower().replace(" ", "-") if predikat else ""


@register.simple_tag(takes_context=True)
def cell(context: template.Context) -> SafeString:
    """Render `_cell.html`: the input cell of its context's url, value, label, versi, error, saved."""
    return cell_html(
        url=context.get("url", ""),
        value=context.get("value", ""),
        label=context.get("label", ""),
        versi=context.get("versi"),
        error=context.get("error", ""),
        saved=context.get("saved", False),
    )


@register.filter
def riwayat(record: Riwayat) -> BarisRiwayat:
    """A history record in words (`monev.web.riwayat_laporan.baris`)."""
    return baris(record)
