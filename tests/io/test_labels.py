"""Findings are printed with their label (the JSON keeps the code): `monev evaluasi --format
teks` and the check report of `monev periksa`."""

from __future__ import annotations

import json

from monev.core.evaluation import evaluate
from monev.io.flat import read_flat
from monev.io.legacy import read_legacy
from monev.io.legacy.check import check_report, label_temuan
from monev.io.legacy.render import check_json, render_text
from monev.io.tabular import render_json
from monev.io.tabular import render_text as evaluasi_text


def test_evaluation_text_prints_labels_and_json_keeps_codes(reference_csv):
    evaluasi = evaluate(read_flat(reference_csv))
    text = evaluasi_text(evaluasi)
    assert "- 2.07.01.2.08 Rp TW IV: Realisasi anggaran melebihi pagu: realisasi Rp" in text
    assert "Pagu anak tidak sama dengan pagu induk: pagu Rp" in text
    codes = {p["jenis"] for p in json.loads(render_json(evaluasi))["pemeriksaan"]}
    assert "pagu_anak_tidak_sama" in codes


def test_check_report_prints_labels_and_json_keeps_codes(reference_csv):
    check = check_report(read_legacy(reference_csv.parent / "laporan-asli.txt"))
    text = render_text(check)
    assert "Pagu anak tidak sama dengan pagu induk: pagu Rp" in text
    assert "Capaian tercetak berbeda dengan hasil hitung: capaian tercetak" in text
    assert all(f["jenis"] != label_temuan(f["jenis"]) for f in check_json(check)["perbedaan"])
