"""The evaluation page shows the engine's findings with their label and place, and marks the
quarter cells they concern."""

from __future__ import annotations

import re
from html import unescape


def test_findings_are_listed_with_label_and_place_and_marked_on_their_cells(client_for, disnaker):
    page = client_for("verifikator").get(f"/renja/{disnaker.pk}/evaluasi/?triwulan=4")
    html = page.content.decode()
    evaluasi = page.context["evaluasi"]
    falls = [p for p in evaluasi.pemeriksaan if p.jenis == "nilai_kumulatif_turun"]
    assert falls, "the reference carries falling progresif values"
    assert "<td>Pagu anak tidak sama dengan pagu induk</td>" in html
    assert "<td>Nilai progresif turun dari triwulan sebelumnya</td>" in html
    assert f"<td>{falls[0].tempat}</td>" in html and falls[0].tempat.startswith(("K TW", "Rp TW"))
    titles = [unescape(t) for t in re.findall(r'class="num peringatan" title="([^"]*)"', html)]
    assert any(
        f"Nilai progresif turun dari triwulan sebelumnya: {falls[0].pesan}" in t for t in titles
    )
    assert "pagu_anak_tidak_sama" not in re.sub(r'data-jenis="[^"]*"', "", html)
