"""Display filters: Indonesian notation for numbers the engine has computed (format, never compute)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils import dateformat, timezone
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


#: The Indonesian name of each of the country's time zones (any other zone shows its offset).
ZONA = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


@register.filter
def waktu(value: datetime | None, fmt: str = "j F Y H:i") -> str:
    """A moment in the server's zone (`TIME_ZONE`, WIB unless set otherwise) with the zone's
    name written: `1 Desember 2026 23:42 WIB`; `-` when none. A time without its zone is
    ambiguous across Indonesia's three."""
    if value is None:
        return "-"
    zone = ZoneInfo(settings.TIME_ZONE)
    local = timezone.localtime(value, zone) if timezone.is_aware(value) else value
    name = ZONA.get(settings.TIME_ZONE) or local.strftime("UTC%z")
    return f"{dateformat.format(local, fmt)} {name}"


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
