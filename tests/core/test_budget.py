"""Budget roll-up by year values (spec §5): tables of plan shapes and an independent recomputation."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monev.core.budget import roll_up
from monev.core.codes import Tingkat
from monev.core.evaluation import evaluate
from monev.core.model import NO_QUARTERS, Node, Renja
from monev.core.numbers import round_half_up
from monev.core.rules import Agregasi
from monev.io.flat import read_flat

P, A, R = Agregasi.PROGRESIF, Agregasi.AKUMULATIF, Agregasi.RATA_RATA
PROGRAM, KEGIATAN, SUB = Tingkat.PROGRAM, Tingkat.KEGIATAN, Tingkat.SUB_KEGIATAN


def q(*values):
    return tuple(None if v is None else D(v) for v in values)


def program(kode="2.07.03", **kw):
    return Node(kode, PROGRAM, **kw)


def kegiatan(kode="2.07.03.2.01", **kw):
    return Node(kode, KEGIATAN, **kw)


def sub(kode, pagu=None, triwulan=NO_QUARTERS, agregasi=P, **kw):
    return Node(
        kode,
        SUB,
        pagu=None if pagu is None else D(pagu),
        triwulan_rp=triwulan,
        agregasi_rp=agregasi,
        **kw,
    )


# -- the real case of the issue -----------------------------------------------------------------

REAL_CASE = Renja(
    (
        program(),
        kegiatan(),
        sub(
            "2.07.03.2.01.0001",
            "808430200",
            q("200000000", "250000000", "200000000", "155369584"),  # Σ 805.369.584
            A,
        ),
        sub(
            "2.07.03.2.01.0002",
            "195992600",
            q("50000000", "45603374", "50000000", "50000000"),  # Σ 195.603.374
            A,
        ),
    )
)


def test_real_case_kegiatan_and_program_roll_up_the_year_values():
    evaluasi = evaluate(REAL_CASE, 4)
    for kode in ("2.07.03.2.01", "2.07.03"):
        rp = evaluasi.rp_of(kode)
        assert rp is not None
        assert rp.pagu == D("1004422800")
        assert rp.realisasi == D("1000972958")
        assert round_half_up(rp.capaian) == D("99.66")
        assert rp.predikat == "Sangat Tinggi"
    assert evaluasi.ringkasan.persen_realisasi_rp is not None
    assert round_half_up(evaluasi.ringkasan.persen_realisasi_rp) == D("99.66")
    assert not [p for p in evaluasi.pemeriksaan if p.sisi == "Rp"]


def test_real_case_parent_quarters_are_the_children_sums_and_add_up_to_the_year_value():
    rp = evaluate(REAL_CASE, 4).rp_of("2.07.03")
    assert rp is not None
    assert rp.triwulan == q("250000000", "295603374", "250000000", "205369584")
    assert sum(v for v in rp.triwulan if v is not None) == rp.realisasi


# -- cut at every quarter, akumulatif / progresif / mixed children ------------------------------

AKUM = sub("2.07.03.2.01.01", "1000", q("100", "200", None, "300"), A)
PROG = sub("2.07.03.2.01.02", "1000", q("50", "150", None, "400"), P)
RATA = sub("2.07.03.2.01.03", "1000", q("10", None, "30", None), R)


@pytest.mark.parametrize(
    ("children", "triwulan", "realisasi", "quarters"),
    [
        ((AKUM,), 1, "100", q("100", None, None, None)),
        ((AKUM,), 2, "300", q("100", "200", None, None)),
        ((AKUM,), 3, "300", q("100", "200", None, None)),
        ((AKUM,), 4, "600", q("100", "200", None, "300")),
        ((PROG,), 1, "50", q("50", None, None, None)),
        ((PROG,), 2, "150", q("50", "100", None, None)),  # contribution = growth of the level
        ((PROG,), 3, "150", q("50", "100", None, None)),
        ((PROG,), 4, "400", q("50", "100", None, "250")),
        ((AKUM, PROG), 1, "150", q("150", None, None, None)),
        ((AKUM, PROG), 2, "450", q("150", "300", None, None)),
        ((AKUM, PROG), 3, "450", q("150", "300", None, None)),
        ((AKUM, PROG), 4, "1000", q("150", "300", None, "550")),
        ((AKUM, PROG, RATA), 3, "470", q("160", "300", "10", None)),  # mean 10 → 20
        ((AKUM, PROG, RATA), 4, "1020", q("160", "300", "10", "550")),
    ],
)
def test_rolled_up_realisation_is_the_sum_of_the_children_year_values(
    children, triwulan, realisasi, quarters
):
    renja = Renja((program(), kegiatan(), *children))
    evaluasi = evaluate(renja, triwulan)
    for kode in ("2.07.03.2.01", "2.07.03"):
        rp = evaluasi.rp_of(kode)
        assert rp is not None
        assert rp.realisasi == D(realisasi)
        assert rp.triwulan == quarters
        assert rp.pagu == D(1000) * len(children)


def test_a_falling_progresif_child_contributes_a_negative_amount():
    child = sub("2.07.03.2.01.01", "100", q("80", "60", None, None), P)
    rp = evaluate(Renja((kegiatan(), child)), 2).rp_of("2.07.03.2.01")
    assert rp is not None and rp.triwulan == q("80", "-20", None, None)
    assert rp.realisasi == D(60)


# -- own figures on some kegiatan only ----------------------------------------------------------


def test_own_kegiatan_figures_are_kept_and_its_program_adds_year_values():
    own = kegiatan(
        "2.07.03.2.01",
        pagu=D(500),
        triwulan_rp=q("100", "250", None, None),  # progresif: 250 to date
        agregasi_rp=P,
    )
    rolled = kegiatan("2.07.03.2.02")
    renja = Renja(
        (
            program(),
            own,
            sub("2.07.03.2.01.01", "400", q("100", "100", None, None), A),
            rolled,
            sub("2.07.03.2.02.01", "300", q("30", "40", None, None), A),
        )
    )
    evaluasi = evaluate(renja, 2)
    assert evaluasi.rp_of("2.07.03.2.01").realisasi == D(250)  # type: ignore[union-attr]
    assert evaluasi.rp_of("2.07.03.2.02").realisasi == D(70)  # type: ignore[union-attr]
    program_rp = evaluasi.rp_of("2.07.03")
    assert program_rp is not None
    assert (program_rp.pagu, program_rp.realisasi) == (D(800), D(320))
    assert program_rp.triwulan == q("130", "190", None, None)
    found = {(p.kode, p.jenis.value) for p in evaluasi.pemeriksaan}
    # own pagu 500 vs children 400; own realisation 250 vs children's year value 200
    assert ("2.07.03.2.01", "pagu_anak_tidak_sama") in found
    assert ("2.07.03.2.01", "realisasi_anak_tidak_sama") in found


def test_own_realisation_equal_to_the_children_year_values_is_not_a_finding():
    """The old rule compared the parent's progresif value with the last quarter's sum."""
    own = kegiatan("2.07.03.2.01", pagu=D(400), triwulan_rp=q("100", "200", None, None))
    child = sub("2.07.03.2.01.01", "400", q("100", "100", None, None), A)
    evaluasi = evaluate(Renja((own, child)), 2)
    assert not evaluasi.pemeriksaan


def test_realisation_above_pagu_compares_year_values():
    children = (
        sub("2.07.03.2.01.01", "100", q("60", "60", None, None), A),  # 120 > 100
        sub("2.07.03.2.01.02", "100", q("10", None, None, None), A),
    )
    evaluasi = evaluate(Renja((kegiatan(), *children)), 2)
    over = {p.kode for p in evaluasi.pemeriksaan if p.jenis == "realisasi_melebihi_pagu"}
    assert over == {"2.07.03.2.01.01"}  # the kegiatan: 130 of 200


def test_kegiatan_without_children_or_figures_has_no_budget_and_is_left_out_of_its_program():
    renja = Renja(
        (
            program(),
            kegiatan("2.07.03.2.01"),
            kegiatan("2.07.03.2.02"),
            sub("2.07.03.2.02.01", "200", q("50", None, None, None), A),
        )
    )
    evaluasi = evaluate(renja, 1)
    empty = evaluasi.rp_of("2.07.03.2.01")
    assert empty is not None
    assert (empty.pagu, empty.realisasi, empty.capaian, empty.predikat) == (None, None, None, None)
    program_rp = evaluasi.rp_of("2.07.03")
    assert program_rp is not None and (program_rp.pagu, program_rp.realisasi) == (D(200), D(50))


def test_budgets_only_on_sub_kegiatan_with_four_digit_codes():
    renja = Renja(
        (
            program("2.07.03"),
            kegiatan("2.07.03.2.01"),
            sub("2.07.03.2.01.0001", "100", q("10", "20", "30", "40"), A),
            sub("2.07.03.2.01.0002", "300", q("100", None, "250", None), P),
        )
    )
    anggaran = roll_up(renja)
    assert anggaran["2.07.03.2.01"].pagu == D(400)
    assert anggaran["2.07.03.2.01"].realisasi == q("110", "130", "310", "350")
    assert anggaran["2.07.03"].realisasi == q("110", "130", "310", "350")
    assert not anggaran["2.07.03"].pagu_sendiri and not anggaran["2.07.03"].realisasi_sendiri


# -- an independent recomputation ---------------------------------------------------------------


def _year(values, agregasi, n):
    given = [v for v in values[:n] if v is not None]
    if not given:
        return None
    if agregasi is P:
        return given[-1]
    if agregasi is A:
        return sum(given)
    return sum(given) / len(given)


def _recompute(renja: Renja, n: int) -> dict[str, tuple]:
    """Spec §5 written out plainly: (pagu, realisation up to n) of every node."""
    by_kode = {}
    for node in renja.nodes:
        by_kode.setdefault(node.kode, node)

    def parent(node):
        if node.tingkat is SUB:
            return node.kode.rsplit(".", 1)[0]
        if node.tingkat is KEGIATAN:
            return ".".join(node.kode.split(".")[:3])
        return None

    def kids(kode):
        return [c for c in by_kode.values() if parent(c) == kode]

    def figures(node):
        children = [figures(c) for c in kids(node.kode)]
        pagu = node.pagu
        if pagu is None:
            given = [p for p, _ in children if p is not None]
            pagu = sum(given) if given else None
        if any(v is not None for v in node.triwulan_rp):
            realisasi = _year(node.triwulan_rp, node.agregasi_rp, n)
        else:
            given = [r for _, r in children if r is not None]
            realisasi = sum(given) if given else None
        return pagu, realisasi

    return {kode: figures(node) for kode, node in by_kode.items()}


def _assert_engine_agrees(renja: Renja) -> None:
    for n in range(1, 5):
        evaluasi = evaluate(renja, n)
        for kode, (pagu, realisasi) in _recompute(renja, n).items():
            rp = evaluasi.rp_of(kode)
            assert rp is not None
            assert (rp.pagu, rp.realisasi) == (pagu, realisasi), (kode, n)
            node = renja.node(kode)
            assert node is not None
            if not any(v is not None for v in node.triwulan_rp):  # rolled up: quarters add up
                shown = [v for v in rp.triwulan if v is not None]
                total = sum(shown) if shown else None
                if total is None or realisasi is None:
                    assert total == realisasi, (kode, n)
                else:  # exact but for the context's 28 digits (a rata_rata child's mean)
                    assert abs(total - realisasi) <= abs(realisasi) * D("1e-26"), (kode, n)


def test_reference_budgets_equal_the_independent_recomputation(reference_csv):
    _assert_engine_agrees(read_flat(reference_csv))


_amount = st.one_of(st.none(), st.integers(min_value=-50, max_value=10_000).map(lambda i: D(i) / 4))
_quarters = st.tuples(_amount, _amount, _amount, _amount)
_agregasi = st.sampled_from([P, A, R])


@st.composite
def _plans(draw):
    nodes = []

    def figures():
        pagu = draw(st.one_of(st.none(), st.integers(0, 10_000).map(D)))
        own = draw(st.one_of(st.just(NO_QUARTERS), _quarters))
        return {"pagu": pagu, "triwulan_rp": own, "agregasi_rp": draw(_agregasi)}

    wide = draw(st.booleans())
    for p in range(1, draw(st.integers(1, 2)) + 1):
        kode_p = f"2.07.{p:02d}"
        top = draw(st.booleans())  # a program states its own figures only sometimes
        nodes.append(Node(kode_p, PROGRAM, **(figures() if top else {})))
        for k in range(1, draw(st.integers(0, 3)) + 1):
            kode_k = f"{kode_p}.2.{k:02d}"
            middle = draw(st.booleans())
            nodes.append(Node(kode_k, KEGIATAN, **(figures() if middle else {})))
            for s in range(1, draw(st.integers(0, 3)) + 1):
                kode_s = f"{kode_k}.{s:04d}" if wide else f"{kode_k}.{s:02d}"
                nodes.append(Node(kode_s, SUB, **figures()))
    return Renja(tuple(nodes))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_plans())
def test_generated_plans_equal_the_independent_recomputation(renja):
    _assert_engine_agrees(renja)
