"""The entry grid built in Python (monev.web.entri_html): its cells, states, labels and rows.

The plan page's cell is still compared with the template fragment it replaced.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.template import engines
from django.template.loader import render_to_string

from monev.web import selectors, siklus
from monev.web.entri_html import Kolom, cell_html, entri_body, keadaan_of
from monev.web.models import Indikator, LaporanTriwulan, Simpul

REFERENCE_CELL = """<input name="nilai" value="{{ value }}" inputmode="decimal" autocomplete="off" spellcheck="false" aria-label="{{ label|default:'nilai' }}"
 hx-post="{{ url }}" hx-trigger="change" hx-target="closest td" hx-swap="innerHTML"{% if versi is not None %} hx-vals='{"versi": "{{ versi }}"}'{% endif %}{% if error %} class="invalid" aria-invalid="true"{% endif %}>
{% if error %}<span class="cell-error" role="alert">{{ error }}</span>{% elif saved %}<span class="cell-ok" role="status">tersimpan</span>{% endif %}
"""


def _template(text: str):  # type: ignore[no-untyped-def]
    return engines["django"].from_string(text)


CELLS = [
    {"url": "/renja/1/entri/3/k/7/", "value": "75", "label": "realisasi K", "versi": 0},
    {"url": "/renja/1/entri/3/rp/9/", "value": "1.234,5", "label": "realisasi Rp", "versi": 12},
    {"url": "/renja/1/target/7/", "value": "", "label": "target"},
    {"url": "/x/", "value": "1", "label": "", "versi": None},
    {"url": "/x/", "value": "abc", "versi": 3, "error": "realisasi: angka tidak dikenal"},
    {"url": "/x/", "value": "12,5", "versi": 4, "saved": True},
    {"url": "/x/", "value": "12,5", "error": "basi", "saved": True},
    {
        "url": '/x/"><b>/',
        "value": '"><script>alert(1)</script>',
        "label": "<i>'",
        "versi": 1,
        "error": "<script>alert('x')</script> & \"kutip\"",
    },
]


@pytest.mark.parametrize("cell", CELLS)
def test_cell_is_the_fragment_the_template_made(cell):
    reference = _template(REFERENCE_CELL).render(cell)
    assert cell_html(**cell) == reference
    # and the fragment the save endpoints answer with is built by the same function
    assert render_to_string("monev/_cell.html", cell) == reference


def _lock(users, renja, triwulan):  # type: ignore[no-untyped-def]
    from monev.web import services

    services.laporan_narasi_update(
        user=users["operator"],
        renja=renja,
        triwulan=triwulan,
        narasi=dict.fromkeys(LaporanTriwulan.NARASI, "ada"),
        versi=selectors.versi_laporan(renja, triwulan),
    )
    siklus.laporan_submit(user=users["operator"], renja=renja, triwulan=triwulan)


def test_text_in_the_entry_table_is_escaped(client_for, disnaker):
    script = "<script>alert(1)</script>"
    simpul = Simpul.objects.filter(renja=disnaker, anak__isnull=True).first()
    Simpul.objects.filter(pk=simpul.pk).update(kode=f"9.{script}", nama=script)
    Indikator.objects.filter(simpul=simpul).update(teks=script, satuan=f'"{script}')
    page = client_for("operator").get(f"/renja/{disnaker.pk}/entri/3/").content.decode()
    assert script not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3
    body = entri_body(
        selectors.entri_grid(disnaker, 3),
        renja_id=disnaker.pk,
        kolom=Kolom(3, True),
        bisa_ubah=True,
    )
    assert script not in body and "&quot;&lt;script&gt;" in body


def test_entry_table_shows_the_rolled_up_pagu_of_program_and_kegiatan(client_for, contoh):
    """The example states pagu on sub kegiatan only (600 + 400 million): its kegiatan and
    program show the sum (spec §5), not `-`."""
    page = client_for("operator2").get(f"/renja/{contoh.pk}/entri/2/").content.decode()
    rows = {
        kode: row
        for row in page[page.index("<tbody>") :].split("</tr>")
        for kode in ("2.16.03", "2.16.03.2.02")
        if f'<td class="c-kode">{kode}</td>' in row
    }
    assert set(rows) == {"2.16.03", "2.16.03.2.02"}
    assert all('<td class="num">1.000.000.000</td>' in row for row in rows.values())


class _Grid(HTMLParser):
    """The entry table's rows as lists of (tag, attributes) of their cells, and its inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, dict[str, str | None]]]] = []
        self.inputs: list[dict[str, str | None]] = []
        self.head = 0
        self._in_body = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attributes = dict(attrs)
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag in ("td", "th") and self._in_body:
            self.rows[-1].append((tag, attributes))
        elif tag == "input" and attributes.get("name") == "nilai":
            self.inputs.append(attributes)


def _grid(page: str) -> _Grid:
    parser = _Grid()
    parser.feed(page[page.index("<table") : page.index("</table>")])
    return parser


@pytest.mark.parametrize(
    ("username", "triwulan", "semua", "locked"),
    [
        ("operator", 1, False, False),
        ("operator", 3, False, False),
        ("operator", 4, True, False),
        ("operator", 3, True, True),
        ("verifikator", 3, False, False),
    ],
)
def test_every_row_has_the_cells_of_the_header(
    users, client_for, disnaker, username, triwulan, semua, locked
):
    if locked:
        _lock(users, disnaker, triwulan)
    url = f"/renja/{disnaker.pk}/entri/{triwulan}/" + ("?semua=1" if semua else "")
    grid = _grid(client_for(username).get(url).content.decode())
    quarters = 4 if semua else 1
    # kode, uraian, target, K quarters, capaian K, pagu, Rp quarters, capaian Rp
    assert {len(row) for row in grid.rows} == {6 + 2 * quarters}
    # the second cell of every row is its header, for a screen reader's table navigation
    assert {row[1][0] for row in grid.rows} == {"th"}
    assert {row[1][1].get("scope") for row in grid.rows} == {"row"}


def test_every_input_names_its_line_and_quarter_and_is_unique(client_for, disnaker):
    page = client_for("operator").get(f"/renja/{disnaker.pk}/entri/3/").content.decode()
    grid = _grid(page)
    assert len(grid.inputs) == 55 + Simpul.objects.filter(renja=disnaker, anak__isnull=True).count()
    labels = [i["aria-label"] or "" for i in grid.inputs]
    assert all(
        label.startswith(("Realisasi K TW III: 2.07.", "Realisasi Rp TW III: 2.07."))
        for label in labels
    )
    indikator = Indikator.objects.filter(simpul__renja=disnaker).order_by("simpul__urutan").first()
    assert f"Realisasi K TW III: {indikator.simpul.kode} {indikator.teks} (%)" in labels
    ids = [i["id"] for i in grid.inputs]
    assert len(set(ids)) == len(ids)
    assert all(f'id="st-{i[3:]}"' in page for i in ids)  # each one's state is described


@pytest.mark.parametrize(
    ("value", "error", "peringatan", "berubah", "keadaan"),
    [
        ("", "", (), False, "kosong"),
        ("12,5", "", (), False, "tersimpan"),
        ("abc", "bukan angka", (), False, "galat"),
        ("12,5", "", ("turun",), False, "peringatan"),
        ("12,5", "", (), True, "berubah"),
        ("12,5", "", ("turun",), True, "peringatan"),
        ("abc", "bukan angka", ("turun",), True, "galat"),
        ("", "", (), True, "berubah"),
    ],
)
def test_a_cell_shows_one_state_error_first(value, error, peringatan, berubah, keadaan):
    assert keadaan_of(value=value, error=error, peringatan=peringatan, berubah=berubah) == keadaan


def test_locked_quarter_shows_its_values_marked_locked(users, client_for, disnaker):
    _lock(users, disnaker, 3)
    page = client_for("operator").get(f"/renja/{disnaker.pk}/entri/3/").content.decode()
    assert 'name="nilai"' not in page
    assert (
        page.count('class="num now locked"')
        == 55 + Simpul.objects.filter(renja=disnaker, anak__isnull=True).count()
    )
    assert '<span class="sr">terkunci</span>' in page


def test_each_row_shows_the_engines_capaian_and_predikat(client_for, disnaker):
    from monev.core.evaluation import evaluate
    from monev.core.numbers import format_angka

    page = client_for("operator").get(f"/renja/{disnaker.pk}/entri/3/").content.decode()
    evaluasi = evaluate(selectors.renja_data(disnaker).core, 3)
    lines = [b for b in evaluasi.baris if b.indikator.ref is not None and b.capaian is not None]
    assert lines
    for line in lines:
        cell = page[page.index(f'id="cap-k-{line.indikator.ref}"') :]
        cell = cell[: cell.index("</td>")]
        assert f">{format_angka(line.capaian)}<" in cell and f">{line.predikat}<" in cell


def test_a_line_with_a_finding_is_marked_with_its_message(client_for, disnaker):
    simpul = Simpul.objects.get(renja=disnaker, kode="2.07.01.2.06.05")
    page = client_for("operator").get(f"/renja/{disnaker.pk}/entri/3/").content.decode()
    field = page[page.index(f'id="in-rp-{simpul.pk}"') :]
    field = field[: field.index("</td>")]
    assert 'data-keadaan="peringatan"' in field and "lebih kecil dari TW II" in field
    # and the summary before submitting links to that cell
    assert f'href="#sel-rp-{simpul.pk}"' in page
