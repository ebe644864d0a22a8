"""The entry table built in Python (monev.web.entri_html) is the page the template loop made.

The references below are the template loop and the cell fragment as they stood before the body
moved to Python, kept here only to prove the new markup identical to theirs.
"""

from __future__ import annotations

import re

import pytest
from django.template import engines
from django.template.loader import render_to_string

from monev.web import selectors, siklus
from monev.web.entri_html import cell_html, entri_body
from monev.web.models import Indikator, LaporanTriwulan, Simpul

REFERENCE_CELL = """<input name="nilai" value="{{ value }}" inputmode="decimal" autocomplete="off" spellcheck="false" aria-label="{{ label|default:'nilai' }}"
 hx-post="{{ url }}" hx-trigger="change" hx-target="closest td" hx-swap="innerHTML"{% if versi is not None %} hx-vals='{"versi": "{{ versi }}"}'{% endif %}{% if error %} class="invalid" aria-invalid="true"{% endif %}>
{% if error %}<span class="cell-error" role="alert">{{ error }}</span>{% elif saved %}<span class="cell-ok" role="status">tersimpan</span>{% endif %}
"""

REFERENCE_ROWS = """{% load monev %}
{% for row in rows %}
  <tr class="node {{ row.simpul.tingkat|tingkat_css }}"><td>{{ row.simpul.kode }}</td><td class="uraian" colspan="6">{{ row.simpul.nama }}</td>
    {% if row.rp %}<td class="num">{{ row.pagu|nilai }}</td>
      {% for v in row.rp.nilai %}{% with q=forloop.counter %}
        {% if q == triwulan and bisa_ubah %}<td class="cell now" data-rp="{{ row.simpul.pk }}">{% url 'entri_rp' renja.pk triwulan row.simpul.pk as u %}{% include old_cell with url=u value=v|isian label="realisasi Rp" versi=row.rp.versi %}</td>
        {% elif q > triwulan %}<td class="num later"></td>{% else %}<td class="num{% if q == triwulan %} now{% endif %}">{{ v|nilai }}</td>{% endif %}
      {% endwith %}{% endfor %}
    {% else %}<td class="num">{{ row.pagu|nilai }}</td><td colspan="4" class="muted">diisi pada rinciannya</td>{% endif %}
  </tr>
  {% for k in row.k %}
  <tr class="{{ row.simpul.tingkat|tingkat_css }}"><td></td><td class="indikator">{{ k.indikator.teks|default:"(tanpa indikator)" }} <small>{{ k.indikator.satuan }} · {{ k.indikator.agregasi }}</small></td>
    <td class="num">{{ k.indikator.target|nilai }}</td>
    {% for v in k.nilai %}{% with q=forloop.counter %}
      {% if q == triwulan and bisa_ubah %}<td class="cell now" data-k="{{ k.indikator.pk }}">{% url 'entri_k' renja.pk triwulan k.indikator.pk as u %}{% include old_cell with url=u value=v|isian label="realisasi K" versi=k.versi %}</td>
      {% elif q > triwulan %}<td class="num later"></td>{% else %}<td class="num{% if q == triwulan %} now{% endif %}">{{ v|nilai }}</td>{% endif %}
    {% endwith %}{% endfor %}
    <td colspan="5"></td>
  </tr>
  {% endfor %}
{% endfor %}
"""


def _template(text: str):  # type: ignore[no-untyped-def]
    return engines["django"].from_string(text)


def _between_rows_and_cells(html: str) -> str:
    """Drop the whitespace the template tags leave before a row or a cell (and at the ends):
    whitespace there is no text of the table. A cell's content is compared as it is."""
    return re.sub(r"\s+(?=<(?:tr|/tr|td)[\s>])", "", html).strip()


def _tbody(page: str) -> str:
    start = page.index("<tbody>") + len("<tbody>")
    return page[start : page.index("</tbody>", start)]


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


@pytest.mark.parametrize(
    ("pd", "username", "triwulan", "locked", "editable"),
    [
        ("disnaker", "operator", 1, False, True),
        ("disnaker", "operator", 3, False, True),
        ("disnaker", "operator", 4, False, True),
        ("disnaker", "operator", 3, True, False),
        ("disnaker", "verifikator", 3, False, False),
        ("disnaker", "admin", 2, False, True),
        ("contoh", "operator2", 3, False, True),
        ("contoh", "verifikator", 4, False, False),
    ],
)
def test_entry_table_is_the_one_the_template_made(
    request, users, client_for, pd, username, triwulan, locked, editable
):
    renja = request.getfixturevalue(pd)
    if locked:
        _lock(users, renja, triwulan)
    state = siklus.status_entri(users[username], renja, triwulan)
    assert state.bisa_ubah is editable  # the case is the one it says it is

    page = client_for(username).get(f"/renja/{renja.pk}/entri/{triwulan}/").content.decode()
    reference = _template(REFERENCE_ROWS).render(
        {
            "rows": selectors.entri_rows(renja, triwulan),
            "renja": renja,
            "triwulan": triwulan,
            "bisa_ubah": state.bisa_ubah,
            "old_cell": _template(REFERENCE_CELL),
        }
    )
    assert ('name="nilai"' in reference) is editable
    assert _between_rows_and_cells(_tbody(page)) == _between_rows_and_cells(reference)


def test_text_in_the_entry_table_is_escaped(client_for, disnaker):
    script = "<script>alert(1)</script>"
    simpul = Simpul.objects.filter(renja=disnaker, anak__isnull=True).first()
    Simpul.objects.filter(pk=simpul.pk).update(kode=f"9.{script}", nama=script)
    Indikator.objects.filter(simpul=simpul).update(teks=script, satuan=f'"{script}')
    page = client_for("operator").get(f"/renja/{disnaker.pk}/entri/3/").content.decode()
    assert script not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3
    body = entri_body(
        selectors.entri_rows(disnaker, 3), renja_id=disnaker.pk, triwulan=3, bisa_ubah=True
    )
    assert script not in body and "&quot;&lt;script&gt;" in body


def test_entry_table_shows_the_rolled_up_pagu_of_program_and_kegiatan(client_for, contoh):
    """The example states pagu on sub kegiatan only (600 + 400 million): its kegiatan and
    program show the sum (spec §5), not `-`."""
    page = client_for("operator2").get(f"/renja/{contoh.pk}/entri/2/").content.decode()
    rows = {
        kode: row
        for row in _tbody(page).split("</tr>")
        for kode in ("2.16.03", "2.16.03.2.02")
        if f"<td>{kode}</td>" in row
    }
    assert set(rows) == {"2.16.03", "2.16.03.2.02"}
    assert all('<td class="num">1.000.000.000</td>' in row for row in rows.values())
