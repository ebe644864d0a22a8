"""The body of the E.81 table as HTML, built in Python.

The page template renders everything else; the body has some 30 cells per line and Django's
template engine spends half a second on 600 lines, this about a twentieth of that. It formats
the engine's figures only (nothing is computed here) and escapes every text.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from monev.core.checks import Pemeriksaan, Sisi, per_sel
from monev.core.codes import kode_tampil
from monev.core.evaluation import Evaluasi
from monev.core.numbers import format_angka, format_nilai

_TINGKAT_CSS = {"program": "t-program", "kegiatan": "t-kegiatan", "sub_kegiatan": "t-sub"}


def _n(value: Decimal | None) -> str:
    return format_nilai(value)


def _predikat_css(predikat: str | None) -> str:
    return "p-" + predikat.lower().replace(" ", "-") if predikat else ""


def _cell(value: str, found: list[Pemeriksaan] | None) -> str:
    """A quarter's cell; marked, with the findings as its tooltip, where the engine flags it."""
    if not found:
        return f'<td class="num">{value}</td>'
    title = escape("; ".join(f"{p.label}: {p.pesan}" for p in found))
    return f'<td class="num peringatan" title="{title}">{value}</td>'


def anchor(kode: str) -> str:
    """Return the id of a node's first line, which the findings under the table link to."""
    return f"baris-{kode}"


def _findings_by_kode(evaluasi: Evaluasi) -> dict[str, list[int]]:
    """Return, per node code, the numbers (from 1, in the page's order) of its findings."""
    found: dict[str, list[int]] = {}
    for number, check in enumerate(evaluasi.pemeriksaan, start=1):
        found.setdefault(check.kode, []).append(number)
    return found


def _finding_mark(numbers: list[int]) -> str:
    label = f"{len(numbers)} temuan pemeriksaan angka"
    return (
        f' <a class="temuan" href="#temuan-{numbers[0]}" title="{label}" aria-label="{label}">'
        f"⚠ {len(numbers)}</a>"
    )


def e81_body(evaluasi: Evaluasi) -> SafeString:
    """Return the `<tr>` rows of the evaluation table, each flagged quarter cell marked; a
    node's first line carries its anchor and, when the checks found something in it, a mark
    that links to its first finding under the table."""
    history = reverse("riwayat_indikator", args=[0]).replace("/0/", "/{}/")
    cells = per_sel(evaluasi.pemeriksaan)
    findings = _findings_by_kode(evaluasi)
    anchored: set[str] = set()
    out: list[str] = []
    nomor = 0
    for b in evaluasi.baris:
        node, item, rp = b.node, b.indikator, b.rp
        first = b.first
        row_id = kode_cell = ""
        if first:
            nomor += 1
            kode_cell = escape(kode_tampil(node.kode))
            if node.kode not in anchored:  # a code printed twice keeps one anchor
                anchored.add(node.kode)
                row_id = f' id="{escape(anchor(node.kode))}"'
                if node.kode in findings:
                    kode_cell += _finding_mark(findings[node.kode])
        teks = escape(item.teks) or "-"
        if item.ref is not None:
            teks = f'<a href="{history.format(item.ref)}">{teks}</a>'
        kode, nomor_k = node.kode, b.nomor_indikator
        quarters = "".join(
            _cell(_n(k), cells.get((kode, nomor_k, q, Sisi.K)))
            + _cell(_n(r) if rp else "", cells.get((kode, None, q, Sisi.RP)) if rp else None)
            for q, (k, r) in enumerate(
                zip(b.triwulan, rp.triwulan if rp else (None,) * 4, strict=True), start=1
            )
        )
        predikat = f"<small>{escape(b.predikat)}</small>" if b.predikat else ""
        out.append(
            f'<tr class="{_TINGKAT_CSS.get(node.tingkat.value, "")}{" first" if first else ""}" '
            f'data-kode="{escape(node.kode)}"{row_id}>'
            f'<td class="num">{nomor if first else ""}</td>'
            f"<td>{kode_cell}</td>"
            f'<td class="uraian">{escape(node.nama) if first else ""}</td>'
            f"<td>{teks}</td>"
            f'<td class="num">{_n(item.target_renstra)}</td><td class="num">{_n(rp.target_renstra) if rp else ""}</td>'
            f'<td class="num">{_n(item.realisasi_lalu)}</td><td class="num">{_n(rp.realisasi_lalu) if rp else ""}</td>'
            f'<td class="num">({_n(item.target)}) {escape(item.target_volume)}</td>'
            f'<td class="num">{_n(rp.pagu) if rp else ""}</td>'
            f"{quarters}"
            f'<td class="num">{_n(b.realisasi)}</td><td class="num">{_n(rp.realisasi) if rp else ""}</td>'
            f'<td class="num capaian {_predikat_css(b.predikat)}" data-capaian-k>{format_angka(b.capaian)}{predikat}</td>'
            f'<td class="num capaian {_predikat_css(rp.predikat) if rp else ""}">{format_angka(rp.capaian) if rp else ""}</td>'
            f'<td class="num">{_n(b.renstra_realisasi)}</td><td class="num">{_n(rp.renstra_realisasi) if rp else ""}</td>'
            f'<td class="num">{format_angka(b.renstra_capaian)}</td>'
            f'<td class="num">{format_angka(rp.renstra_capaian) if rp else ""}</td>'
            f"<td>{escape(node.unit) if first else ''}</td></tr>"
        )
    return mark_safe("\n".join(out))  # every text above is escaped


def findings_with_lines(evaluasi: Evaluasi) -> list[tuple[int, Pemeriksaan, str | None]]:
    """Return the findings under the table: (number, check, the anchor of its line or None
    when no line of the table has the check's code)."""
    kode = {b.node.kode for b in evaluasi.baris if b.first}
    return [
        (number, check, anchor(check.kode) if check.kode in kode else None)
        for number, check in enumerate(evaluasi.pemeriksaan, start=1)
    ]
