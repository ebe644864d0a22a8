"""The evaluation page's table: one header cell per column, and every finding of the checks
linked to its line (and back)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest


class _Table(HTMLParser):
    """Collect the rows of the page's E.81 table as lists of (colspan, rowspan), per section."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.section = ""
        self.rows: dict[str, list[list[tuple[int, int]]]] = {"thead": [], "tbody": [], "tfoot": []}
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "a" and (a.get("href") or "").startswith("#"):
            self.hrefs.append((a["href"] or "")[1:])
        if tag == "table" and a.get("id") == "tabel-e81":
            self.inside = True
        if not self.inside:
            return
        if tag in self.rows:
            self.section = tag
        elif tag == "tr":
            self.rows[self.section].append([])
        elif tag in ("td", "th"):
            cell = (int(a.get("colspan") or 1), int(a.get("rowspan") or 1))
            self.rows[self.section][-1].append(cell)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False


def _widths(rows: list[list[tuple[int, int]]]) -> list[int]:
    """Return the number of grid columns each row fills, cells spanning from above included."""
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        column = 0
        for colspan, rowspan in row:
            while (r, column) in taken:
                column += 1
            taken |= {(r + i, column + j) for i in range(rowspan) for j in range(colspan)}
            column += colspan
    return [sum(1 for row, _ in taken if row == r) for r in range(len(rows))]


def _page(client_for, renja):
    response = client_for("admin").get(f"/renja/{renja.pk}/evaluasi/?triwulan=4")
    assert response.status_code == 200
    parser = _Table()
    parser.feed(response.content.decode())
    return response, parser


def test_every_header_row_has_as_many_columns_as_a_line(client_for, disnaker):
    _, table = _page(client_for, disnaker)
    line = {sum(c for c, _ in row) for row in table.rows["tbody"]}
    assert line == {27}
    assert _widths(table.rows["thead"]) == [27, 27, 27]
    assert {sum(c for c, _ in row) for row in table.rows["tfoot"]} == {27}


def test_every_finding_links_to_its_line_and_the_line_back(client_for, disnaker):
    response, table = _page(client_for, disnaker)
    temuan = response.context["temuan"]
    assert len(temuan) == len(response.context["evaluasi"].pemeriksaan) > 10
    for nomor, check, baris in temuan:
        assert baris == f"baris-{check.kode}"
        assert baris in table.ids and f"temuan-{nomor}" in table.ids
    assert {b for _, _, b in temuan} <= set(table.hrefs)  # findings -> lines
    marks = {h for h in table.hrefs if h.startswith("temuan-")}
    assert marks and marks <= {f"temuan-{n}" for n, _, _ in temuan}  # lines -> findings


@pytest.mark.browser
def test_header_and_footer_stay_in_view_at_1366_by_768(live_server, browser, transactional_db):
    from monev.web.demo import load_demo
    from monev.web.models import Renja

    load_demo()
    renja = Renja.objects.get(perangkat_daerah__kode="2.07.01", tahun=2022)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "monev-demo")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/renja/{renja.pk}/evaluasi/?triwulan=4")
    page.locator("#temuan-5 a").click()  # a finding's link scrolls the table to its line
    target = page.evaluate("location.hash.slice(1)")
    box = page.evaluate(
        """(id) => {
            const r = (el) => el.getBoundingClientRect();
            const wrap = document.querySelector('.e81-wrap');
            return {wrap: r(wrap), head: r(wrap.querySelector('thead')),
                    foot: r(wrap.querySelector('tfoot')), line: r(document.getElementById(id)),
                    scrolled: wrap.scrollTop, width: wrap.scrollWidth,
                    unit: r(wrap.querySelector('thead th:last-child'))}; }""",
        target,
    )
    assert box["scrolled"] > 0
    assert abs(box["head"]["top"] - box["wrap"]["top"]) <= 2  # the header stuck on top
    assert box["foot"]["bottom"] <= 768 and box["foot"]["bottom"] >= box["wrap"]["bottom"] - 2
    assert box["line"]["top"] >= box["head"]["bottom"] - 1  # the line is not under the header
    assert box["line"]["bottom"] <= box["foot"]["top"] + 1
    # "Unit PD penanggung jawab" is the header's last column: nothing stray right of it.
    assert abs(box["unit"]["right"] - (box["wrap"]["left"] + box["width"])) <= 2
