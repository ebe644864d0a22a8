"""Export with the report renderer, read back with `periksa`: the same data, no disagreement.

The only findings left are the engine's own checks of the data (faults the data carries, which
the export prints faithfully); nothing printed may disagree with its recomputation.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from monev.core.checks import Jenis
from monev.core.evaluation import Evaluasi, evaluate
from monev.core.model import Renja
from monev.io.flat import COLUMNS, read_flat
from monev.io.legacy import read_legacy
from monev.io.legacy.check import CheckReport, check_report
from monev.synthetic import synthetic_rows

report = pytest.importorskip("monev.io.report")


def _export_and_check(evaluasi: Evaluasi, layout: str, path: Path) -> CheckReport:
    report.render_xlsx(report.build_report(evaluasi, tata_letak=layout), path)
    return check_report(read_legacy(path))


def _same_data(source: Evaluasi, again: Evaluasi, *, with_rules: bool) -> None:
    """Assert that two evaluations rest on the same nodes, indicators and budget figures."""
    assert [(n.kode, n.tingkat, n.nama) for n in again.renja.nodes] == [
        (n.kode, n.tingkat, n.nama) for n in source.renja.nodes
    ]
    for mine, theirs in zip(again.baris, source.baris, strict=True):
        item, other = mine.indikator, theirs.indikator
        assert (item.teks, item.target, item.target_volume, item.triwulan) == (
            other.teks,
            other.target,
            other.target_volume,
            other.triwulan,
        )
        assert (item.target_renstra, item.realisasi_lalu) == (
            other.target_renstra,
            other.realisasi_lalu,
        )
        if with_rules:
            assert (item.agregasi, item.polaritas) == (other.agregasi, other.polaritas)
        assert mine.capaian == theirs.capaian
    for node in source.renja.nodes:
        mine_rp, theirs_rp = again.rp_of(node.kode), source.rp_of(node.kode)
        assert mine_rp is not None and theirs_rp is not None
        assert (mine_rp.pagu, mine_rp.triwulan) == (theirs_rp.pagu, theirs_rp.triwulan)


#: The printed capaian of the source is not exported (the export prints the computed one), and
#: the printed layouts carry no unit column (the reader takes "%" from a printed per cent target),
#: so the checks that read the unit are left out on both sides.
_NOT_EXPORTED = {
    Jenis.CAPAIAN_TERCETAK_BERBEDA,
    Jenis.SATUAN_JUMLAH_TERISI_PERSEN,
    Jenis.SATUAN_PERSEN_TIDAK_WAJAR,
}


def _engine_checks(evaluasi: Evaluasi) -> set[tuple[str, str, str]]:
    return {
        (p.kode, p.jenis.value, p.pesan)
        for p in evaluasi.pemeriksaan
        if p.jenis not in _NOT_EXPORTED
    }


def _found(check: CheckReport) -> set[tuple[str, str, str]]:
    unit = {j.value for j in _NOT_EXPORTED} - {Jenis.CAPAIAN_TERCETAK_BERBEDA.value}
    return {(f.kode, f.jenis, f.pesan) for f in check.temuan if f.jenis not in unit}


@pytest.mark.parametrize("layout", ["e81", "e55", "ringkas"])
def test_reference_exported_and_read_back_is_the_same(reference_csv, tmp_path, layout):
    source = evaluate(read_flat(reference_csv))
    check = _export_and_check(source, layout, tmp_path / f"evaluasi-{layout}.xlsx")
    _same_data(source, check.evaluasi, with_rules=True)
    assert _found(check) == _engine_checks(source)
    assert check.laporan.ragu == () and check.laporan.tak_terpasang == ()
    assert check.laporan.peringatan == ()


def test_synthetic_data_of_every_rule_round_trips_through_the_reference_layout(tmp_path):
    """The `ringkas` layout prints each indicator's formula, so every rule comes back."""
    rows = synthetic_rows(random.Random(7), "2.07", 120)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    renja: Renja = read_flat(Path("sintetis.csv"), out.getvalue().encode("utf-8"))
    assert {i.agregasi for _, i in renja.indikator_lines()} >= {"akumulatif", "rata_rata"}
    assert {i.polaritas for _, i in renja.indikator_lines()} == {"positif", "negatif"}
    source = evaluate(renja)
    check = _export_and_check(source, "ringkas", tmp_path / "sintetis.xlsx")
    _same_data(source, check.evaluasi, with_rules=True)
    assert _found(check) == _engine_checks(source)
