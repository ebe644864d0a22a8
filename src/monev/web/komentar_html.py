"""A line's comment button on the entry grid and the evaluation page, built in Python (the grid
has hundreds of lines). The button opens the line's comment panel (htmx, `komentar.js`); it
shows the line's state with a symbol and, for screen readers, words, never by colour only:
no thread (❝), open threads (❝ 2), flagged *perlu tindak lanjut* (⚑ 1, the strongest mark),
answered by the operator (↩ added), all resolved (❝ ✓)."""

from __future__ import annotations

from html import escape

from django.urls import reverse

from monev.web.komentar import Tanda

#: The element the panel's content is swapped into (the page's `_komentar_dialog.html`).
TARGET = "#komentar-isi"


def keadaan(tanda: Tanda | None) -> tuple[str, str, str]:
    """Return a line's (state, symbol, words) from its threads."""
    if tanda is None or (tanda.terbuka == 0 and tanda.selesai == 0):
        return "kosong", "❝", "tulis komentar"
    if tanda.tindak_lanjut:
        words = f"{tanda.tindak_lanjut} perlu tindak lanjut"
        if tanda.dijawab:
            words += f", {tanda.dijawab} sudah dijawab operator"
        return "tindak-lanjut", f"⚑ {tanda.tindak_lanjut}{' ↩' if tanda.dijawab else ''}", words
    if tanda.terbuka:
        words = f"{tanda.terbuka} komentar terbuka"
        if tanda.dijawab:
            words += f", {tanda.dijawab} sudah dijawab operator"
        return "terbuka", f"❝ {tanda.terbuka}{' ↩' if tanda.dijawab else ''}", words
    return "selesai", "❝ ✓", f"{tanda.selesai} komentar selesai"


def panel_url_pattern(renja_id: int, triwulan: int) -> str:
    """Return the panel's URL with `{kolom}` and `{ref}` to fill (one reverse for the page)."""
    url = reverse("komentar", args=[renja_id, triwulan, "k", 0])
    head, found, tail = url.rpartition("/k/0/")
    assert found, url
    return head + "/{kolom}/{ref}/" + tail


def button(
    *,
    url: str,
    sel: str,
    label: str,
    tanda: Tanda | None,
    oob: bool = False,
    tab: bool = True,
) -> str:
    """Return the comment button of one line (every text escaped); `oob`: to replace the one
    on the page, out of band of an htmx answer; not `tab`: out of the Tab order (an editable
    grid, where Tab goes from cell to cell and Shift+F2 opens a cell's comments)."""
    state, symbol, words = keadaan(tanda)
    swap = (' hx-swap-oob="true"' if oob else "") + ("" if tab else ' tabindex="-1"')
    return (
        f'<button type="button" class="km km-{state}" id="km-{escape(sel)}"'
        f"{swap}"
        f' hx-get="{escape(url)}" hx-target="{TARGET}" aria-haspopup="dialog">'
        f'<span aria-hidden="true">{escape(symbol)}</span>'
        f'<span class="sr">Komentar ({escape(words)}): {escape(label)}</span></button>'
    )


class Penanda:
    """Build the comment buttons of one quarter's page from its marks (by cell id)."""

    def __init__(
        self, renja_id: int, triwulan: int, tanda: dict[str, Tanda], *, tab: bool = True
    ) -> None:
        self.tanda = tanda
        self.tab = tab
        self._url = panel_url_pattern(renja_id, triwulan)

    def __call__(self, kolom: str, ref: int, label: str) -> str:
        sel = f"{kolom}-{ref}"
        url = self._url.format(kolom=kolom, ref=ref)
        return button(url=url, sel=sel, label=label, tanda=self.tanda.get(sel), tab=self.tab)
