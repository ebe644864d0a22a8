"""The dashboard's table of PDs and its list of warnings as HTML, built in Python.

Django's template engine spent about half of a cold dashboard's CPU on these two loops (50 PDs,
eleven cells each, three URLs a row: bench/skala.py phase c); this is a small fraction of that,
as `monev.web.entri_html` is for the entry grid. It formats figures the engine computed (the
rows' `dashboard.BarisDasbor` properties) and escapes every text; it computes none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from monev.core.numbers import format_angka, format_nilai
from monev.pemda.dashboard import BarisDasbor

_PK = 2_147_483_647  # a placeholder id, replaced in the URL reversed once per name


def _url_of(name: str) -> Callable[[int], str]:
    """Return a function making the URL `name` of an id, reversing it once (not once a row)."""
    pattern = reverse(name, args=[_PK])
    head, _, tail = pattern.partition(str(_PK))
    return lambda pk: f"{head}{pk}{tail}"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _css(predikat: str | None) -> str:
    # As the `predikat_css` filter.
    return "p-" + predikat.lower().replace(" ", "-") if predikat else ""


def _arah(value: Decimal | None) -> str:
    # As the `arah` filter.
    if value is None or value == 0:
        return ""
    return "naik" if value > 0 else "turun"


def _perubahan(value: Decimal | None) -> str:
    # As the `perubahan` filter.
    if value is None:
        return "-"
    text = format_angka(value)
    return f"+{text}" if value > 0 else text


def _projection(kind: str, value: Decimal | None, proyeksi: object) -> str:
    warns = proyeksi is not None and getattr(proyeksi, "peringatan", False)
    flag = "flag" if warns else ""
    note = f"<small>⚠ {_e(getattr(proyeksi, 'predikat_akhir', ''))}</small>" if warns else ""
    return (
        f'<td class="num capaian {flag}" data-angka="{kind}">{_e(format_angka(value))}{note}</td>'
    )


def pd_rows(rows: Sequence[BarisDasbor], tahun: int, triwulan: int) -> SafeString:
    """Return the `<tr>` of every PD row (or the line saying none matches the filters)."""
    if not rows:
        return mark_safe(
            '<tr><td colspan="11">Tidak ada Perangkat Daerah yang cocok dengan saringan.</td></tr>'
        )
    pd_url, e81_url = _url_of("pemda:pd"), _url_of("evaluasi")
    rencana_url = _url_of("pemda:rencana")
    tw = f"?triwulan={triwulan}"
    out = []
    for r in rows:
        renja = r.renja
        angka = r.angka
        attrs = f' data-renja="{renja.pk}"' if renja else ""
        if r.peringatan:
            attrs += ' class="warn"'
        nama = _e(r.nama)
        if renja:
            name = f'<a href="{pd_url(renja.pk)}{tw}">{nama}</a>'
            status = (
                f'<span class="status st-{_e(r.status)}" data-status="{_e(r.status)}">'
                f"{_e(r.status_label)}</span>"
            )
            links = (
                f'<a href="{e81_url(renja.pk)}{tw}" data-e81>E.81</a> '
                f'<a href="{rencana_url(renja.pk)}">Rencana</a>'
            )
        else:
            name, links = nama, ""
            status = f'<span class="muted">Belum ada Renja {tahun}</span>'
        if angka:
            budget = (
                f"{_e(format_nilai(angka.ringkasan.pagu))}<br>"
                f"<small>{_e(format_nilai(angka.ringkasan.realisasi_rp))}</small>"
            )
        else:
            budget = "-"
        peringkat = "-" if r.peringkat is None else r.peringkat
        out.append(
            f'<tr data-pd="{_e(r.kode)}"{attrs}>\n'
            f'  <td class="num" data-angka="peringkat">{peringkat}</td>\n'
            f'  <td class="pd-name">{name}<br><small>{_e(r.kode)}</small></td>\n'
            f"  <td>{status}</td>\n"
            f'  <td class="num capaian {_css(r.predikat_k)}" data-angka="capaian_k">'
            f"{_e(format_angka(r.capaian_k))}<small>{_e(r.predikat_k or '')}</small></td>\n"
            f'  <td class="num {_arah(r.perubahan_k)}" data-angka="perubahan_k">'
            f"{_e(_perubahan(r.perubahan_k))}</td>\n"
            f'  <td class="num capaian {_css(r.predikat_rp)}" data-angka="persen_rp">'
            f"{_e(format_angka(r.persen_rp))}<small>{_e(r.predikat_rp or '')}</small></td>\n"
            f'  <td class="num {_arah(r.perubahan_rp)}" data-angka="perubahan_rp">'
            f"{_e(_perubahan(r.perubahan_rp))}</td>\n"
            f'  <td class="num">{budget}</td>\n'
            f"  {_projection('proyeksi_k', r.proyeksi_k, angka.proyeksi_k if angka else None)}\n"
            f"  {_projection('proyeksi_rp', r.proyeksi_rp, angka.proyeksi_rp if angka else None)}\n"
            f'  <td class="links">{links}</td>\n'
            "</tr>"
        )
    return mark_safe("\n".join(out))  # every text above escaped


def warnings(rows: Sequence[BarisDasbor], triwulan: int, query: str) -> SafeString:
    """Return the `<li>` of every PD warned or with indicators warned."""
    pd_url = _url_of("pemda:pd")
    list_url = reverse("pemda:peringatan")
    out = []
    for r in rows:
        reasons = "".join(f"<br>{_e(a)}" for a in r.alasan) or (
            "<br>Rata-rata kinerja dan anggaran diproyeksikan Sedang atau lebih baik."
        )
        count = r.jumlah_peringatan_indikator
        lines = (
            f'<br><a href="{list_url}?{_e(query)}&amp;pd={r.pd.perangkat_daerah.pk}">'
            f"{count} indikator diproyeksikan di bawah Sedang</a>"
            if count
            else ""
        )
        out.append(
            f'<li><a href="{pd_url(r.renja.pk)}?triwulan={triwulan}"><strong>{_e(r.nama)}'
            f"</strong></a>{reasons}{lines}</li>"
        )
    return mark_safe("".join(out))  # every text above escaped
