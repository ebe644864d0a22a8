"""The entry grid (its header, rows and input cells) and a save's answer as HTML, built in Python.

Django's template engine spends half a second on the 600 lines of inputs of a large PD; this a
small fraction of that. One function builds an entry cell for both the page and the answer of a
save, so a cell looks the same before and after `entri.js` patches it. It formats numbers the
engine computed and escapes every text; it computes none.

A cell is in one state, written as a word (`data-keadaan`), a symbol and a hidden text for
screen readers, so that it reads without colour: empty, saved, error, warning, changed since
the last verification, locked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from monev.core.checks import Pemeriksaan, Sisi
from monev.core.numbers import format_angka, format_nilai

if TYPE_CHECKING:  # the template tag library loads this module; it needs no models
    from monev.core.evaluation import Evaluasi
    from monev.web.selectors import EntriGrid

ROMAWI = ("I", "II", "III", "IV")
#: How an indicator's quarters make its year value, as an operator reads it.
_AGREGASI = {"progresif": "progresif", "akumulatif": "akumulatif", "rata_rata": "rata-rata"}
_TINGKAT_CSS = {"program": "t-program", "kegiatan": "t-kegiatan", "sub_kegiatan": "t-sub"}

#: state -> (symbol, the words a screen reader says)
KEADAAN = {
    "kosong": ("", "kosong"),
    "tersimpan": ("✓", "tersimpan"),
    "galat": ("✗", "salah"),
    "peringatan": ("⚠", "peringatan"),
    "berubah": ("✎", "diubah sejak verifikasi"),
    "terkunci": ("⊘", "terkunci"),
}


def _cell(*, url: str, value: str, label: str, versi: int | None, error: str, saved: bool) -> str:
    """The plain cell of the admin's plan page (target, pagu): htmx posts it on change."""
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


def keadaan_of(
    *, value: str, error: str = "", peringatan: Sequence[str] = (), berubah: bool = False
) -> str:
    """Return the one state a cell shows: an error first, then a warning, a change since the
    verification, a saved value, and empty last."""
    if error:
        return "galat"
    if peringatan:
        return "peringatan"
    if berubah:
        return "berubah"
    return "tersimpan" if value else "kosong"


def _mark(sel: str, keadaan: str, note: str = "") -> str:
    symbol, words = KEADAAN[keadaan]
    text = escape(f"{words}: {note}") if note else words  # the words need no escaping
    return (
        f'<span class="mark" id="st-{sel}" title="{text}">'
        f'<span aria-hidden="true">{symbol}</span><span class="sr">{text}</span></span>'
    )


def on_cell(p: Pemeriksaan, kolom: str, nomor: int | None, triwulan: int) -> bool:
    """Tell whether a finding is about a line's entry cell of the quarter: its side (K with the
    indicator's index, or Rp), and this quarter or none in particular (a pagu)."""
    if p.triwulan not in (None, triwulan):
        return False
    if kolom == "k":
        return p.sisi is Sisi.K and p.nomor_indikator == nomor
    return p.sisi is Sisi.RP and p.nomor_indikator is None


def pesan_temuan(p: Pemeriksaan) -> str:
    """A finding as the grid and the summary say it: its label, then what the engine found."""
    return f"{p.label}: {p.pesan}"


def grid_cell(
    *,
    sel: str,
    url: str,
    value: str,
    label: str,
    versi: int | None,
    kolom: str,
    error: str = "",
    peringatan: Sequence[str] = (),
    berubah: bool = False,
    tersimpan: str | None = None,
) -> str:
    """Return the inside of an entry grid's input cell: the field and its state mark.

    `entri.js` posts the field (`nilai`, and `versi` from `hx-vals`, where every cell carries it) to
    `data-url`, the same
    fields the save endpoints always took, and patches the cell with the answer. `tersimpan` is
    the value stored, when the field shows another (a refused value kept for correcting)."""
    keadaan = keadaan_of(value=value, error=error, peringatan=peringatan, berubah=berubah)
    versi_attr = f""" hx-vals='{{"versi": "{int(versi)}"}}'""" if versi is not None else ""
    invalid = ' aria-invalid="true"' if error else ""
    message = f'<span class="cell-error" role="alert">{escape(error)}</span>' if error else ""
    shown = escape(value)
    stored = shown if tersimpan is None else escape(tersimpan)
    return (
        f'<input id="in-{sel}" name="nilai" value="{shown}" inputmode="decimal"'
        f' autocomplete="off" spellcheck="false" aria-label="{escape(label)}"'
        f' aria-describedby="st-{sel}" data-url="{escape(url)}" data-kolom="{kolom}"'
        f' data-keadaan="{keadaan}" data-tersimpan="{stored}"'
        f"{versi_attr}{invalid}>{_mark(sel, keadaan, '; '.join(peringatan))}{message}"
    )


def capaian_html(capaian: Decimal | None, predikat: str | None) -> str:
    """Return a row's capaian and predikat as computed by the engine (`–` while undefined)."""
    if capaian is None:
        return '<span class="cap-nilai">–</span>'
    css = "p-" + predikat.lower().replace(" ", "-") if predikat else ""
    return (
        f'<span class="cap-nilai">{format_angka(capaian)}</span>'
        f' <span class="predikat {css}">{escape(predikat or "")}</span>'
    )


def save_answer(
    *,
    sel: str,
    url: str,
    value: str,
    label: str,
    versi: int | None,
    kolom: str,
    evaluasi: Evaluasi | None,
    ref: int,
    error: str = "",
    berubah: bool = False,
    tersimpan: str | None = None,
) -> SafeString:
    """Return a save's answer: the cell as it now stands, and its row's capaian and predikat
    (in an element naming the id it replaces), from the engine's evaluation of the row."""
    peringatan: list[str] = []
    replace = ""
    if evaluasi is not None:
        triwulan = evaluasi.triwulan
        if kolom == "k":
            line = next((b for b in evaluasi.baris if b.indikator.ref == ref), None)
            figures = (line.capaian, line.predikat) if line else (None, None)
            nomor = line.nomor_indikator if line else -1
        else:
            rp = next(iter(evaluasi.rp.values()), None)
            figures = (rp.capaian, rp.predikat) if rp else (None, None)
            nomor = None
        peringatan = [
            pesan_temuan(p) for p in evaluasi.pemeriksaan if on_cell(p, kolom, nomor, triwulan)
        ]
        replace = f'<template data-ganti="cap-{sel}">{capaian_html(*figures)}</template>'
    cell = grid_cell(
        sel=sel,
        url=url,
        value=value,
        label=label,
        versi=versi,
        kolom=kolom,
        error=error,
        peringatan=peringatan,
        berubah=berubah,
        tersimpan=tersimpan,
    )
    return mark_safe(cell + replace)  # every text in it is escaped


def label_k(triwulan: int, kode: str, teks: str, satuan: str) -> str:
    satuan_text = f" ({satuan})" if satuan else ""
    return (
        f"Realisasi K TW {ROMAWI[triwulan - 1]}: {kode} {teks or '(tanpa indikator)'}{satuan_text}"
    )


def label_rp(triwulan: int, kode: str, nama: str) -> str:
    return f"Realisasi Rp TW {ROMAWI[triwulan - 1]}: {kode} {nama}"


def _url_pattern(name: str, renja_id: int, triwulan: int) -> str:
    """Return the URL of a row's save endpoint with `{}` for the row's id (one reverse, not 600)."""
    url = reverse(name, args=[renja_id, triwulan, 0])
    head, zero, tail = url.rpartition("/0/")
    assert zero, url
    return head + "/{}/" + tail


@dataclass(frozen=True)
class Kolom:
    """Which quarters the grid shows: the quarter being entered, or all four."""

    triwulan: int
    semua: bool

    @property
    def quarters(self) -> list[int]:
        return [1, 2, 3, 4] if self.semua else [self.triwulan]


def entri_head(kolom: Kolom) -> SafeString:
    """Return the grid's `<thead>`: two rows, every heading scoped to its column or group."""
    q = kolom.quarters
    romawi = ROMAWI[kolom.triwulan - 1]
    tw = "".join(
        f'<th scope="col" class="{"now" if n == kolom.triwulan else "past"}">TW {ROMAWI[n - 1]}</th>'
        for n in q
    )
    return mark_safe(
        "<thead><tr>"
        '<th scope="col" rowspan="2" class="c-kode">Kode</th>'
        '<th scope="col" rowspan="2" class="c-uraian">Uraian / indikator</th>'
        '<th scope="col" rowspan="2" class="num">Target K</th>'
        f'<th scope="colgroup" colspan="{len(q)}">Realisasi K</th>'
        f'<th scope="col" rowspan="2" class="num">Capaian K<br>s.d. TW {romawi}</th>'
        '<th scope="col" rowspan="2" class="num">Pagu (Rp)</th>'
        f'<th scope="colgroup" colspan="{len(q)}">Realisasi Rp</th>'
        f'<th scope="col" rowspan="2" class="num">Capaian Rp<br>s.d. TW {romawi}</th>'
        f"</tr><tr>{tw}{tw}</tr></thead>"
    )


def _quarters(
    values: Sequence[Decimal | None],
    *,
    kolom: Kolom,
    bisa_ubah: bool,
    sel: str,
    url: str,
    label: str,
    versi: int,
    jenis: str,
    peringatan: Sequence[str],
    berubah: bool,
) -> str:
    """Return the quarter cells shown: the current one an input if it may be changed (else
    locked), the earlier ones read-only, the later ones empty."""
    out = []
    for q in kolom.quarters:
        value = values[q - 1]
        if q == kolom.triwulan and bisa_ubah:
            cell = grid_cell(
                sel=sel,
                url=url,
                value="" if value is None else format_nilai(value),
                label=label,
                versi=versi,
                kolom=jenis,
                peringatan=peringatan,
                berubah=berubah,
            )
            out.append(
                f'<td class="cell now" id="sel-{sel}" data-{jenis}="{sel.partition("-")[2]}"'
                f">{cell}</td>"
            )
        elif q == kolom.triwulan:
            out.append(
                f'<td class="num now locked" id="sel-{sel}">{format_nilai(value)}'
                f"{_mark(sel, 'terkunci')}</td>"
            )
        elif q > kolom.triwulan:
            out.append('<td class="num later"></td>')
        else:
            out.append(f'<td class="num past">{format_nilai(value)}</td>')
    return "".join(out)


def entri_body(
    grid: EntriGrid,
    *,
    renja_id: int,
    kolom: Kolom,
    bisa_ubah: bool,
    tanda: Callable[[str, int, str], str] | None = None,
) -> SafeString:
    """Return the `<tr>` rows of the entry grid: each node, with its Rp where it is entered,
    then its indicators; every row has the same cells, so that a screen reader's table
    navigation and the sticky columns line up. `tanda(kolom, ref, label)` gives a line's
    comment button (`monev.web.komentar_html`), put at the end of its row heading."""
    triwulan = kolom.triwulan
    url_k = _url_pattern("entri_k", renja_id, triwulan)
    url_rp = _url_pattern("entri_rp", renja_id, triwulan)
    evaluasi = grid.evaluasi
    cap_k = {b.indikator.ref: (b.capaian, b.predikat) for b in evaluasi.baris}
    n = len(kolom.quarters)
    blank_q = '<td class="blank"></td>' * n
    out: list[str] = []
    for row in grid.rows:
        simpul = row.simpul
        css = _TINGKAT_CSS.get(str(simpul.tingkat), "")
        pk = escape(str(simpul.pk))
        pagu = f'<td class="num">{format_nilai(row.pagu)}</td>'
        if row.rp:
            sel = f"rp-{pk}"
            rp = evaluasi.rp_of(simpul.kode)
            budget = (
                pagu
                + _quarters(
                    row.rp.nilai,
                    kolom=kolom,
                    bisa_ubah=bisa_ubah,
                    sel=sel,
                    url=url_rp.format(pk),
                    label=label_rp(triwulan, simpul.kode, simpul.nama),
                    versi=row.rp.versi,
                    jenis="rp",
                    peringatan=grid.temuan_sel.get(sel, ()),
                    berubah=sel in grid.berubah,
                )
                + f'<td class="num cap" id="cap-{sel}">'
                f"{capaian_html(rp.capaian if rp else None, rp.predikat if rp else None)}</td>"
            )
        else:
            budget = (
                pagu
                + '<td class="muted">diisi pada rinciannya</td>'
                + '<td class="blank"></td>' * n
            )
        out.append(
            f'<tr class="node {css}" id="baris-{pk}"><td class="c-kode">{escape(simpul.kode)}</td>'
            f'<th scope="row" class="c-uraian uraian">{escape(simpul.nama)}'
            f"{tanda('rp', simpul.pk, label_rp(triwulan, simpul.kode, simpul.nama)) if tanda else ''}</th>"
            f'<td class="blank"></td>{blank_q}<td class="blank"></td>{budget}</tr>'
        )
        for k in row.k:
            indikator = k.indikator
            ipk = escape(str(indikator.pk))
            sel = f"k-{ipk}"
            quarters = _quarters(
                k.nilai,
                kolom=kolom,
                bisa_ubah=bisa_ubah,
                sel=sel,
                url=url_k.format(ipk),
                label=label_k(triwulan, simpul.kode, indikator.teks, indikator.satuan),
                versi=k.versi,
                jenis="k",
                peringatan=grid.temuan_sel.get(sel, ()),
                berubah=sel in grid.berubah,
            )
            capaian, predikat = cap_k.get(indikator.pk, (None, None))
            out.append(
                f'<tr class="{css}"><td class="c-kode"></td><th scope="row" class="c-uraian'
                f' indikator">{escape(indikator.teks) or "(tanpa indikator)"}'
                f" <small>{escape(indikator.satuan)} · {_AGREGASI.get(indikator.agregasi, escape(indikator.agregasi))}"
                f"</small>{tanda('k', indikator.pk, label_k(triwulan, simpul.kode, indikator.teks, indikator.satuan)) if tanda else ''}</th>"
                f'<td class="num">{format_nilai(indikator.target)}</td>{quarters}'
                f'<td class="num cap" id="cap-{sel}">{capaian_html(capaian, predikat)}</td>'
                f'<td class="blank"></td>{blank_q}<td class="blank"></td></tr>'
            )
    return mark_safe("\n".join(out))  # every text above is escaped


def kosong_count(grid: EntriGrid) -> int:
    """Return the entry cells of the quarter with no value (the count above the grid)."""
    q = grid.evaluasi.triwulan - 1
    k = sum(1 for row in grid.rows for item in row.k if item.nilai[q] is None)
    rp = sum(1 for row in grid.rows if row.rp and row.rp.nilai[q] is None)
    return k + rp


def kosong_links(grid: EntriGrid, limit: int = 50) -> SafeString:
    """Return the list items linking to the first empty cells of the quarter (`entri.js` keeps
    the list current as cells are saved)."""
    q = grid.evaluasi.triwulan - 1
    out = []
    for row in grid.rows:
        simpul = row.simpul
        if row.rp and row.rp.nilai[q] is None:
            out.append((f"rp-{simpul.pk}", f"{simpul.kode} · realisasi Rp"))
        for item in row.k:
            if item.nilai[q] is None:
                teks = item.indikator.teks or "(tanpa indikator)"
                out.append((f"k-{item.indikator.pk}", f"{simpul.kode} · {teks}"))
    items = [
        f'<li><a href="#sel-{sel}" data-sel="{sel}">{escape(text)}</a></li>'
        for sel, text in out[:limit]
    ]
    if len(out) > limit:
        items.append(f"<li>… dan {len(out) - limit} sel kosong lainnya (Ctrl+Enter)</li>")
    return mark_safe("".join(items))  # every text in it is escaped
