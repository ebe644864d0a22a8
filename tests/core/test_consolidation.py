"""The pemda's consolidation: groups by urusan → bidang urusan, each by the footer's rules."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from monev.core.codes import Tingkat
from monev.core.consolidation import Bagian, consolidate, total_of_pd
from monev.core.evaluation import evaluate
from monev.core.model import Indikator, Node, Renja
from monev.core.nomenclature import kode_key
from monev.core.rules import Pengaturan, total
from monev.io.flat import read_flat


def test_group_total_is_a_mean_of_lines_and_a_ratio_of_sums():
    result = total(
        [D(100), D(50), None],
        [(D(1000), D(900)), (D(3000), D(600)), (None, None)],
        Pengaturan(),
    )
    assert (result.rata_rata_capaian_k, result.predikat_k) == (D(75), "Sedang")
    assert (result.pagu, result.realisasi_rp) == (D(4000), D(1500))
    assert (result.persen_realisasi_rp, result.predikat_rp) == (D("37.5"), "Sangat Rendah")


def test_empty_group_has_no_figures():
    result = total([], [], Pengaturan())
    assert result.rata_rata_capaian_k is None and result.predikat_k is None
    assert result.pagu is None and result.persen_realisasi_rp is None


def _renja(pd: str, program: str, kegiatan: list[tuple[int, int]], pagu: int, real: int) -> Renja:
    """A PD with one program, one sub kegiatan budget, and kegiatan with (target, realisation)."""
    nodes = [Node(program, Tingkat.PROGRAM, nama=f"Program {program}")]
    for i, (target, realisasi) in enumerate(kegiatan, start=1):
        kode = f"{program}.2.{i:02d}"
        nodes.append(
            Node(
                kode,
                Tingkat.KEGIATAN,
                indikator=(
                    Indikator(
                        teks="keluaran", target=D(target), triwulan=(D(realisasi), None, None, None)
                    ),
                ),
            )
        )
    nodes.append(
        Node(
            f"{program}.2.01.0001",
            Tingkat.SUB_KEGIATAN,
            pagu=D(pagu),
            triwulan_rp=(D(real), None, None, None),
        )
    )
    return Renja(tuple(nodes), pd, "Kabupaten Contoh", 2024)


def test_groups_programs_of_several_pds_by_urusan_and_bidang():
    p = Pengaturan()
    a = evaluate(_renja("Dinas A", "2.07.02", [(100, 100), (100, 40)], 1000, 500), 1, p)
    b = evaluate(_renja("Dinas B", "2.07.02", [(100, 70)], 3000, 3000), 1, p)
    c = evaluate(_renja("Dinas C", "1.02.03", [(10, 9)], 100, 10), 1, p)
    result = consolidate(
        [
            Bagian("Dinas B", 2, b.ringkasan),
            Bagian("Dinas A", 1, a.ringkasan),
            Bagian("Dinas C", 3, c.ringkasan),
        ],
        p,
    )
    assert [(u.tingkat, u.kode) for u in result.urusan] == [
        (Tingkat.URUSAN, "1"),
        (Tingkat.URUSAN, "2"),
    ]
    tenaga_kerja = result.urusan[1].bidang[0]
    assert (tenaga_kerja.tingkat, tenaga_kerja.kode, tenaga_kerja.nama) == (
        Tingkat.BIDANG_URUSAN,
        "2.07",
        "Tenaga Kerja",
    )
    # the same program of two PDs: once under each, by PD name, carrying the caller's ref
    assert [(x.perangkat_daerah, x.ref) for x in tenaga_kerja.program] == [
        ("Dinas A", 1),
        ("Dinas B", 2),
    ]
    # the mean of the three kegiatan lines (100, 40, 70), not of the PDs' means (70 and 70)
    assert tenaga_kerja.total.rata_rata_capaian_k == D(70)
    # Σ realisasi / Σ pagu (3500 / 4000), not the mean of 50 % and 100 %
    assert tenaga_kerja.total.persen_realisasi_rp == D("87.5")
    assert tenaga_kerja.total.predikat_rp == "Tinggi"
    assert result.urusan[1].total == tenaga_kerja.total  # the urusan's only bidang
    # the pemda: every kegiatan line (100, 40, 70, 90) and every budget (3510 / 4100)
    assert result.total.rata_rata_capaian_k == D(75)
    assert result.total.pagu == D(4100) and result.total.realisasi_rp == D(3510)
    assert result.total == total_of_pd([a.ringkasan, b.ringkasan, c.ringkasan], p)


def test_unknown_codes_keep_their_code_as_name():
    p = Pengaturan()
    x = evaluate(_renja("Dinas X", "9.99.01", [(1, 1)], 1, 1), 1, p)
    result = consolidate([Bagian("Dinas X", None, x.ringkasan)], p)
    assert result.urusan[0].nama == "Urusan 9"
    assert result.urusan[0].bidang[0].nama == "Bidang urusan 9.99"


def test_codes_sort_part_by_part():
    assert sorted(["2.10", "2.7", "X.XX", "2.07.1", "1.02"], key=kode_key) == [
        "1.02",
        "2.7",
        "2.07.1",
        "2.10",
        "X.XX",
    ]


@pytest.mark.parametrize("triwulan", [1, 2, 3, 4])
def test_one_pd_consolidates_to_its_own_footer(reference_csv, triwulan):
    evaluasi = evaluate(read_flat(reference_csv), triwulan)
    r = evaluasi.ringkasan
    result = consolidate([Bagian("Disnaker", None, r)], evaluasi.pengaturan)
    figures = (r.rata_rata_capaian_k, r.predikat_k, r.pagu, r.realisasi_rp)
    assert (
        result.total.rata_rata_capaian_k,
        result.total.predikat_k,
        result.total.pagu,
        result.total.realisasi_rp,
    ) == figures
    assert result.total.persen_realisasi_rp == r.persen_realisasi_rp
    bidang = result.urusan[0].bidang[0]
    assert [x.program for x in bidang.program] == list(r.program)
    assert bidang.total == result.total
