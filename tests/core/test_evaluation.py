from __future__ import annotations

from decimal import Decimal as D

import pytest

from monev.core.codes import Tingkat
from monev.core.evaluation import evaluate
from monev.core.model import Indikator, Node, Renja
from monev.core.numbers import round_half_up
from monev.core.rules import Agregasi, Pengaturan, Polaritas, RumusNegatif
from monev.io.flat import read_flat


def r2(value):
    return None if value is None else round_half_up(value)


@pytest.fixture(scope="module")
def reference(reference_csv):
    return evaluate(read_flat(reference_csv))


def test_reference_program_means_match_the_recomputed_column(reference):
    programs = {p.kode: p for p in reference.ringkasan.program}
    expected_k = {
        "2.07.01": "78.25",
        "2.07.02": "50.00",
        "2.07.03": "75.88",
        "2.07.04": "85.41",
        "2.07.05": "81.55",
    }
    expected_rp = {
        "2.07.01": "72.37",
        "2.07.02": "0.00",
        "2.07.03": "80.85",
        "2.07.04": "75.91",
        "2.07.05": "82.97",
    }
    assert {k: str(r2(p.rata_rata_capaian_kegiatan)) for k, p in programs.items()} == expected_k
    assert {k: str(r2(p.persen_realisasi_rp)) for k, p in programs.items()} == expected_rp
    assert r2(reference.ringkasan.rata_rata_capaian_kegiatan) == D("77.69")


def test_reference_evaluates_up_to_the_last_quarter_with_data(reference):
    assert reference.triwulan == 4


def test_reference_line_capaian_equals_printed_unless_catatan_explains(reference_csv, reference):
    import csv

    with reference_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(reference.baris)
    for row, line in zip(rows, reference.baris, strict=True):
        assert line.node.kode == row["kode"]
        printed = D(row["capaian_tercetak"])
        computed = r2(line.capaian)
        if computed != printed:
            assert row["catatan"], f"{row['kode']}: {computed} vs printed {printed} without a note"


def _kinds(evaluasi, jenis):
    return {p.kode for p in evaluasi.pemeriksaan if p.jenis == jenis}


def test_reference_checks_find_the_known_faults(reference):
    assert {"2.07.01.2.08", "2.07.01.2.08.01"} <= _kinds(reference, "realisasi_melebihi_pagu")
    assert {"2.07.01.2.08", "2.07.01.2.09", "2.07.04.2.01", "2.07.05.2.02"} <= _kinds(
        reference, "pagu_anak_tidak_sama"
    )
    assert "2.07.03.2.01" in _kinds(reference, "realisasi_anak_tidak_sama")
    falling = {
        (p.kode, "K" if "K " in p.pesan else "Rp")
        for p in reference.pemeriksaan
        if p.jenis == "nilai_kumulatif_turun"
    }
    assert {
        ("2.07.01.2.09.02", "K"),
        ("2.07.01.2.06.05", "Rp"),
        ("2.07.05.2.01", "Rp"),
        ("2.07.04.2.04.01", "K"),
    } <= falling
    assert "2.07.01.2.06.01" in _kinds(reference, "capaian_tercetak_berbeda")


def test_reference_cut_at_tw_ii_uses_second_quarter_values(reference_csv):
    evaluasi = evaluate(read_flat(reference_csv), 2)
    first = evaluasi.baris[0]
    assert first.realisasi == D(50)
    assert first.triwulan[2] is None and first.triwulan[3] is None
    assert first.rp.realisasi == D(6985034764)
    # falls after TW II are not reported at TW II
    assert "2.07.01.2.09.02" not in _kinds(evaluasi, "nilai_kumulatif_turun")


def _renja(*indikator, node_rp=None, agregasi_rp=Agregasi.PROGRESIF):
    program = Node(
        kode="1.01.01",
        tingkat=Tingkat.PROGRAM,
        nama="PROGRAM UJI",
        indikator=tuple(indikator),
        **(node_rp or {}),
        agregasi_rp=agregasi_rp,
    )
    return Renja((program,))


def _ind(
    agregasi, quarters, *, target=D(100), renstra=D(200), lalu=D(80), polaritas=Polaritas.POSITIF
):
    return Indikator(
        teks="uji",
        target=target,
        target_renstra=renstra,
        realisasi_lalu=lalu,
        triwulan=tuple(quarters),
        agregasi=agregasi,
        polaritas=polaritas,
    )


@pytest.mark.parametrize(
    ("agregasi", "quarters", "year", "renstra_realisasi", "renstra_capaian"),
    [
        # akumulatif: col 13 is the sum, col 14 = 7 + 13
        (Agregasi.AKUMULATIF, (D(10), D(20), D(30), D(40)), D(100), D(180), D(90)),
        # progresif: col 13 is the last value, col 14 is the level itself (levels do not add)
        (Agregasi.PROGRESIF, (D(10), D(20), D(30), D(40)), D(40), D(40), D(20)),
        # rata_rata: col 13 is the mean, col 14 is that level
        (Agregasi.RATA_RATA, (D(10), D(20), D(30), D(40)), D(25), D(25), D("12.5")),
    ],
)
def test_renstra_columns_by_aggregation(
    agregasi, quarters, year, renstra_realisasi, renstra_capaian
):
    line = evaluate(_renja(_ind(agregasi, quarters)), 4).baris[0]
    assert line.realisasi == year
    assert line.renstra_realisasi == renstra_realisasi
    assert line.renstra_capaian == renstra_capaian


@pytest.mark.parametrize(
    ("rumus", "expected"),
    [(RumusNegatif.DUA_T_KURANG_R, D(120)), (RumusNegatif.T_PER_R, D(125))],
)
def test_both_negative_formulas(rumus, expected):
    renja = _renja(
        _ind(
            Agregasi.PROGRESIF, (D(9), D(8), None, None), target=D(10), polaritas=Polaritas.NEGATIF
        )
    )
    line = evaluate(renja, 4, Pengaturan(rumus_negatif=rumus)).baris[0]
    assert line.capaian == expected
    assert line.predikat == "Sangat Tinggi"


def test_rp_rolls_up_from_children_when_a_node_states_none():
    sub = lambda kode, pagu, real: Node(
        kode=kode,
        tingkat=Tingkat.SUB_KEGIATAN,
        pagu=D(pagu),
        triwulan_rp=(D(real), None, None, None),
    )
    renja = Renja(
        (
            Node(kode="1.01.01", tingkat=Tingkat.PROGRAM),
            Node(kode="1.01.01.2.01", tingkat=Tingkat.KEGIATAN),
            sub("1.01.01.2.01.01", 100, 30),
            sub("1.01.01.2.01.02", 300, 70),
        )
    )
    evaluasi = evaluate(renja)
    assert evaluasi.rp_of("1.01.01").pagu == D(400)
    assert evaluasi.rp_of("1.01.01").realisasi == D(100)
    assert evaluasi.rp_of("1.01.01").capaian == D(25)
    assert evaluasi.ringkasan.persen_realisasi_rp == D(25)
    assert evaluasi.pemeriksaan == ()


def test_akumulatif_rp_sums_quarters_and_budget_percent_is_not_a_mean():
    renja = _renja(
        _ind(Agregasi.PROGRESIF, (D(50), None, None, None)),
        node_rp={"pagu": D(1000), "triwulan_rp": (D(100), D(200), None, None)},
        agregasi_rp=Agregasi.AKUMULATIF,
    )
    evaluasi = evaluate(renja)
    assert evaluasi.triwulan == 2
    assert evaluasi.rp_of("1.01.01").realisasi == D(300)
    assert evaluasi.ringkasan.program[0].persen_realisasi_rp == D(30)


def test_lines_without_capaian_are_left_out_of_means():
    renja = _renja(
        _ind(Agregasi.PROGRESIF, (D(80), None, None, None)),
        _ind(Agregasi.PROGRESIF, (None, None, None, None)),
        _ind(Agregasi.PROGRESIF, (D(5), None, None, None), target=D(0)),
    )
    evaluasi = evaluate(renja)
    assert evaluasi.ringkasan.rata_rata_capaian_program == D(80)
    assert [line.capaian for line in evaluasi.baris] == [D(80), None, None]
    assert [p.jenis for p in evaluasi.pemeriksaan] == ["realisasi_tanpa_target"]


def test_cap_for_means_is_optional():
    renja = _renja(
        _ind(Agregasi.PROGRESIF, (D(150), None, None, None)),
        _ind(Agregasi.PROGRESIF, (D(50), None, None, None)),
    )
    assert evaluate(renja).ringkasan.rata_rata_capaian_program == D(100)
    capped = evaluate(renja, pengaturan=Pengaturan(batas_capaian_rata_rata=D(100)))
    assert capped.ringkasan.rata_rata_capaian_program == D(75)
    assert capped.baris[0].capaian == D(150)  # the line itself is shown as computed


def test_triwulan_out_of_range_is_refused():
    with pytest.raises(ValueError):
        evaluate(_renja(), 5)


def test_core_imports_no_django_web_or_io_library():
    import subprocess
    import sys

    code = (
        "import sys; import monev.core.evaluation, monev.core.codes, monev.core.numbers, "
        "monev.core.rules, monev.core.checks, monev.core.budget, monev.core.model;"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('django', 'click', 'openpyxl', 'xlsxwriter', 'python_calamine', 'weasyprint', 'csv', 'json', 'requests', 'sqlite3')];"
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
