"""The body of the entry table and its input cells as HTML, built in Python.

The page template renders everything else; Django's template engine spends half a second on the
600 lines of inputs of a large PD, this a small fraction of that. One function builds a cell's
markup for both the page and the answers of the save endpoints (through `_cell.html`), so a cell
looks the same before and after htmx swaps it. It formats stored values only and escapes every text.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from monev.core.numbers import format_nilai

if TYPE_CHECKING:  # the template tag library loads this module; it needs no models
    from monev.web.selectors import EntriBaris

_TINGKAT_CSS = {"program": "t-program", "kegiatan": "t-kegiatan", "sub_kegiatan": "t-sub"}


def _cell(*, url: str, value: str, label: str, versi: int | None, error: str, saved: bool) -> str:
    versi_attr = f""" hx-vals='{{"versi": "{escape(str(versi))}"}}'""" if versi is not None else ""
    invalid = ' class="invalid" aria-invalid="true"' if error else ""
    if error:
        message = f'<span class="cell-error" role="alert">{escape(str(error))}</span>'
    elif saved:
        message = '<span class="cell-ok" role="status">tersimpan</span>'
    else:
        message = ""
    return (
        f'<input name="nilai" value="{escape(value)}" inputmode="decimal" autocomplete="off"'
        f' spellcheck="false" aria-label="{escape(label or "nilai")}"\n'
        f' hx-post="{escape(url)}" hx-trigger="change" hx-target="closest td"'
        f' hx-swap="innerHTML"{versi_attr}{invalid}>\n{message}\n'
    )


def cell_html(
    *,
    url: str,
    value: str,
    label: str = "",
    versi: int | None = None,
    error: str = "",
    saved: bool = False,
) -> SafeString:
    """Return an input cell: its field, posting itself on change, and its error or saved mark."""
    return mark_safe(  # every text in it is escaped
        _cell(url=url, value=value, label=label, versi=versi, error=error, saved=saved)
    )


def _url_pattern(name: str, renja_id: int, triwulan: int) -> str:
    """Return the URL of a row's save endpoint with `{}` for the row's id (one reverse, not 600)."""
    url = reverse(name, args=[renja_id, triwulan, 0])
    head, zero, tail = url.rpartition("/0/")
    assert zero, url
    return head + "/{}/" + tail


def _quarters(
    values: Sequence[Decimal | None],
    *,
    triwulan: int,
    bisa_ubah: bool,
    data: str,
    url: str,
    label: str,
    versi: int,
) -> str:
    """Return the four quarter cells: the past ones read-only, the current one an input if it
    may be changed, the later ones empty."""
    out = []
    for q, value in enumerate(values, start=1):
        if q == triwulan and bisa_ubah:
            cell = _cell(
                url=url,
                value="" if value is None else format_nilai(value),
                label=label,
                versi=versi,
                error="",
                saved=False,
            )
            out.append(f'<td class="cell now" {data}>{cell}</td>')
        elif q > triwulan:
            out.append('<td class="num later"></td>')
        else:
            now = " now" if q == triwulan else ""
            out.append(f'<td class="num{now}">{format_nilai(value)}</td>')
    return "".join(out)


def entri_body(
    rows: Sequence[EntriBaris], *, renja_id: int, triwulan: int, bisa_ubah: bool
) -> SafeString:
    """Return the `<tr>` rows of the entry table: each node, with its Rp where it is entered,
    then its indicators."""
    url_k = _url_pattern("entri_k", renja_id, triwulan)
    url_rp = _url_pattern("entri_rp", renja_id, triwulan)
    out: list[str] = []
    for row in rows:
        simpul = row.simpul
        css = _TINGKAT_CSS.get(str(simpul.tingkat), "")
        pagu = f'<td class="num">{format_nilai(row.pagu)}</td>'
        if row.rp:
            pk = escape(str(simpul.pk))
            budget = pagu + _quarters(
                row.rp.nilai,
                triwulan=triwulan,
                bisa_ubah=bisa_ubah,
                data=f'data-rp="{pk}"',
                url=url_rp.format(pk),
                label="realisasi Rp",
                versi=row.rp.versi,
            )
        else:
            budget = pagu + '<td colspan="4" class="muted">diisi pada rinciannya</td>'
        out.append(
            f'<tr class="node {css}"><td>{escape(simpul.kode)}</td>'
            f'<td class="uraian" colspan="6">{escape(simpul.nama)}</td>{budget}</tr>'
        )
        for k in row.k:
            indikator = k.indikator
            pk = escape(str(indikator.pk))
            quarters = _quarters(
                k.nilai,
                triwulan=triwulan,
                bisa_ubah=bisa_ubah,
                data=f'data-k="{pk}"',
                url=url_k.format(pk),
                label="realisasi K",
                versi=k.versi,
            )
            out.append(
                f'<tr class="{css}"><td></td><td class="indikator">'
                f"{escape(indikator.teks) or '(tanpa indikator)'}"
                f" <small>{escape(indikator.satuan)} · {escape(str(indikator.agregasi))}</small></td>"
                f'<td class="num">{format_nilai(indikator.target)}</td>'
                f'{quarters}<td colspan="5"></td></tr>'
            )
    return mark_safe("\n".join(out))  # every text above is escaped
