"""The indexed nomenclature matcher finds the same matches with the same scores as comparing
every node with every entry of its level (the matcher before the index), on generated lists
with repeated, near and damaged names."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monev.core.codes import Tingkat
from monev.io.legacy.model import Place
from monev.io.tabel.baca import Simpul, key_of
from monev.io.tabel.nomenklatur import MATCH_FROM, Cocok, Entri, _score_from, match

WORDS = ["Penyediaan", "Pengelolaan", "Layanan", "Data", "Sarana", "Daerah", "Kabupaten/Kota", "ASN", "Gaji", "Tunjangan"]  # fmt: skip


def brute_force(nodes: Sequence[Simpul], entries: Sequence[Entri]) -> dict[int, Cocok]:
    """The matcher as it was: each node scored against every entry of its level."""
    by_level: dict[Tingkat, list[tuple[str, Entri]]] = {}
    for entry in entries:
        by_level.setdefault(entry.tingkat, []).append((key_of(entry.nama), entry))
    children: dict[int, list[Simpul]] = {}
    for node in nodes:
        if node.induk is not None:
            children.setdefault(id(node.induk), []).append(node)
    found: dict[int, Cocok] = {}

    def candidates(node: Simpul, parent_code: str | None) -> list[tuple[float, Entri]]:
        scored = [
            (_score_from(node.kunci, key, MATCH_FROM), entry)
            for key, entry in by_level.get(node.tingkat, [])
            if parent_code is None or entry.induk == parent_code
        ]
        best = max((s for s, _ in scored), default=0.0)
        return [(s, e) for s, e in scored if s >= MATCH_FROM and s == best]

    def fit(node: Simpul, code: str) -> float:
        kids = children.get(id(node), [])
        if not kids:
            return 0.0
        return sum(
            max((s + fit(k, e.kode) for s, e in candidates(k, code)), default=0.0) for k in kids
        ) / len(kids)

    def visit(node: Simpul, parent_code: str | None) -> None:
        if node.kode is None and (node.induk is None or parent_code is not None):
            options = candidates(node, parent_code)
            if len(options) > 1:
                ranked = sorted(options, key=lambda o: fit(node, o[1].kode), reverse=True)
                if fit(node, ranked[0][1].kode) > fit(node, ranked[1][1].kode):
                    options = ranked[:1]
            if len(options) == 1:
                found[id(node)] = Cocok(options[0][1], options[0][0])
        code = node.kode or (found[id(node)].entri.kode if id(node) in found else None)
        for child in children.get(id(node), []):
            visit(child, code)

    for node in nodes:
        if node.induk is None:
            visit(node, None)
    return found


names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
#: A node's name: an entry's, cut, with a letter lost or changed, or another name.
damage = st.sampled_from(["sama", "potong", "hilang", "ganti", "lain"])


def _damaged(name: str, how: str, at: int) -> str:
    at = at % max(len(name), 1)
    if how == "potong":  # up to a quarter cut off: scores from 1 down past the floor
        return name[: max(1, len(name) - 1 - at % max(len(name) // 4, 1))]
    if how == "hilang":
        return name[:at] + name[at + 3 :]
    if how == "ganti":
        for step in (0, 7, 13):
            here = (at + step) % len(name)
            name = name[:here] + ("1" if name[here] != "1" else "l") + name[here + 1 :]
    return name


@settings(max_examples=60, deadline=None)
@given(
    programs=st.lists(names, min_size=1, max_size=3),
    kegiatan=st.lists(names, min_size=1, max_size=4),
    subs=st.lists(names, min_size=1, max_size=6),
    picks=st.lists(st.tuples(st.integers(0, 50), damage, st.integers(0, 60)), max_size=12),
    with_program=st.booleans(),
)
def test_indexed_matcher_finds_what_comparing_every_entry_finds(
    programs, kegiatan, subs, picks, with_program
):
    place = Place("t.csv")
    entries = []
    # Two bidang with the same names (as every bidang's Program Penunjang has).
    for bidang in ("1.02", "2.07"):
        for p, program in enumerate(programs, start=1):
            entries.append(Entri(f"{bidang}.{p:02d}", Tingkat.PROGRAM, program.upper()))
            for k, name in enumerate(kegiatan, start=1):
                entries.append(Entri(f"{bidang}.{p:02d}.2.{k:02d}", Tingkat.KEGIATAN, name))
                for s, sub in enumerate(subs, start=1):
                    code = f"{bidang}.{p:02d}.2.{k:02d}.{s:04d}"
                    entries.append(Entri(code, Tingkat.SUB_KEGIATAN, f"{sub} {k}"))
    nodes: list[Simpul] = []
    top = Simpul(Tingkat.PROGRAM, programs[0], place, 1) if with_program else None
    if top is not None:
        nodes.append(top)
    mid = None
    for number, how, at in picks:
        source = entries[number % len(entries)]
        if source.tingkat is Tingkat.PROGRAM:
            continue
        name = _damaged(source.nama, how, at) if how != "lain" else f"Kegiatan Lain {at}"
        if source.tingkat is Tingkat.KEGIATAN or mid is None:
            mid = Simpul(Tingkat.KEGIATAN, name, place, 1, induk=top)
            nodes.append(mid)
        else:
            nodes.append(Simpul(Tingkat.SUB_KEGIATAN, name, place, 1, induk=mid))
    expected = {k: (v.entri.kode, v.skor) for k, v in brute_force(nodes, entries).items()}
    assert {k: (v.entri.kode, v.skor) for k, v in match(nodes, entries).items()} == expected


@pytest.mark.parametrize(
    "printed",
    [
        "Administrasi Keuangan Perangkat Daerah",  # the same name twice (two bidang): 1, ambiguous
        "Administrasi Keuangan Perangkat Dae",  # cut: 0.959 Daerah, 0.958 Desa
        "Administrasi Keuangan Perangkat",  # cut further: 0.925 Desa
        "Administrasi Keuangan Perangka",  # 0.909 Desa
        "Administrasi Keuangan Peran",  # 0.857 Desa, 0.831 Daerah: near the floor
        "Adm1nistras1 Keuangan Perangkat Daerah",  # OCR: 0.947, twice
        "Adrninistrasi Keuanqan Perangkat Daerah",  # OCR: 0.935, twice
        "Penyediaan Layanan Daerah",  # equally near several names: stays ambiguous
    ],
)
def test_a_root_node_scores_as_comparing_every_entry_scores(printed):
    entries = [
        Entri(f"2.07.01.2.{k:02d}", Tingkat.KEGIATAN, f"Penyediaan Layanan Daerah {k}")
        for k in range(1, 60)
    ]
    entries += [
        Entri("2.07.01.2.77", Tingkat.KEGIATAN, "Administrasi Keuangan Perangkat Daerah"),
        Entri("2.07.01.2.78", Tingkat.KEGIATAN, "Administrasi Keuangan Perangkat Desa"),
        Entri("1.02.01.2.02", Tingkat.KEGIATAN, "Administrasi Keuangan Perangkat Daerah"),
    ]
    nodes = [Simpul(Tingkat.KEGIATAN, printed, Place("t.csv"), 1)]
    expected = {k: (v.entri.kode, v.skor) for k, v in brute_force(nodes, entries).items()}
    assert {k: (v.entri.kode, v.skor) for k, v in match(nodes, entries).items()} == expected


def test_a_root_node_matches_the_nearest_of_many_names_with_difflibs_score():
    entries = [
        Entri(f"2.07.01.2.{k:02d}", Tingkat.KEGIATAN, f"Penyediaan Layanan Daerah {k}")
        for k in range(1, 60)
    ]
    entries.append(
        Entri("2.07.01.2.77", Tingkat.KEGIATAN, "Administrasi Keuangan Perangkat Daerah")
    )
    nodes = [
        Simpul(Tingkat.KEGIATAN, "Adrninistrasi Keuangan Perangkat Daerah", Place("t.csv"), 1),
        Simpul(Tingkat.KEGIATAN, "Sesuatu yang tidak ada", Place("t.csv"), 1),
    ]
    found = match(nodes, entries)
    assert found[id(nodes[0])].entri.kode == "2.07.01.2.77"
    assert found[id(nodes[0])].skor == _score_from(
        key_of(nodes[0].nama), key_of(entries[-1].nama), MATCH_FROM
    )
    assert id(nodes[1]) not in found
