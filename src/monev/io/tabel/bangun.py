"""Build the Renja from what the rows hold: K and Rp tables joined by name, codes (printed or
provisional), periods turned into quarters by each side's aggregation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher

from monev.core.codes import Tingkat
from monev.core.model import Indikator, Node, Renja
from monev.core.numbers import agrees_as_printed, format_nilai
from monev.core.rules import Agregasi, Polaritas, capaian, nilai_tahun
from monev.io.legacy.cells import polaritas_of
from monev.io.tabel.baca import Bacaan, Simpul
from monev.io.tabel.baca import Indikator as Indikator_
from monev.io.tabel.model import Temuan
from monev.io.tabel.nomenklatur import Cocok, Entri, match
from monev.io.tabel.periode import choose, quarters
from monev.io.tabel.temukan import Tabel

#: The lowest similarity of two names (0–1) at which a K node and an Rp node are joined.
JOIN_FROM = 0.85


@dataclass
class Gabungan:
    """A K node and the Rp node joined to it, with the similarity of their names."""

    k: Simpul
    rp: Simpul
    skor: float


@dataclass
class Susunan:
    """The plan as built, with how it was built (shown to the user)."""

    renja: Renja
    simpul: list[Simpul]
    kode: dict[int, str]
    sementara: set[str]
    gabungan: list[Gabungan] = field(default_factory=list)
    #: (table, side) → (aggregation, lines that read as sums, lines that read as levels).
    agregasi: dict[tuple[int, str], tuple[Agregasi, int, int]] = field(default_factory=dict)
    temuan: list[Temuan] = field(default_factory=list)
    #: Code → the nomenclature entry a node without a printed code was matched to.
    cocok: dict[str, Cocok] = field(default_factory=dict)


def similarity(a: str, b: str) -> float:
    """Return how alike two node keys are (1 for equal; a name cut short matches its whole)."""
    if a == b:
        return 1.0
    if a and b and (a.startswith(b) or b.startswith(a)) and min(len(a), len(b)) >= 15:
        return 0.95
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def join(
    bacaan: Bacaan, tables: Sequence[Tabel]
) -> tuple[list[Simpul], list[Gabungan], list[Temuan]]:
    """Join the nodes of Rp-only tables to those of K-only tables by name; return the nodes."""
    sides = {t.nomor: t.sides for t in tables}
    k_tables = {n for n, s in sides.items() if s == {"k"}}
    rp_tables = {n for n, s in sides.items() if s == {"rp"}}
    if not k_tables or not rp_tables:
        return list(bacaan.simpul), [], []
    base = [s for s in bacaan.simpul if s.tabel not in rp_tables]
    free = list(base)
    joined: list[Gabungan] = []
    notes: list[Temuan] = []
    extra: list[Simpul] = []
    for node in (s for s in bacaan.simpul if s.tabel in rp_tables):
        best: tuple[float, float, Simpul] | None = None
        for candidate in free:
            score = similarity(node.kunci, candidate.kunci)
            if node.kode and candidate.kode and node.kode == candidate.kode:
                score = 1.0
            rank = score + (0.01 if candidate.tingkat is node.tingkat else 0)  # ties: same level
            if best is None or rank > best[0]:
                best = (rank, score, candidate)
        if best is None or best[1] < JOIN_FROM:
            notes.append(
                Temuan(
                    f"'{node.nama}' tidak ada pasangannya di tabel kinerja (K); dipakai sebagai "
                    "simpul tersendiri",
                    node.tempat,
                    "ragu",
                )
            )
            extra.append(node)
            continue
        _, score, target = best
        free.remove(target)
        joined.append(Gabungan(target, node, score))
        for key, value in node.rp.items():
            target.rp[key] = value
        target.rp_sel.update(node.rp_sel)
        target.rp_tercetak.update(node.rp_tercetak)
        target.rekening += node.rekening
        if score < 1:
            notes.append(
                Temuan(
                    f"Rp '{node.nama}' digabung dengan '{target.nama}' ({target.tempat}), "
                    f"kemiripan nama {round(score * 100)}%",
                    node.tempat,
                    "catatan",
                )
            )
    return base + extra, joined, notes


def _codes(nodes: Sequence[Simpul]) -> tuple[dict[int, str], set[str]]:
    """Return every node's code: the printed one, or a provisional one under its parent.

    Provisional codes start from urusan `0` (which no nomenclature has) or, under a printed
    parent, from the 90s (kegiatan) and 9000s (sub kegiatan), and are marked as provisional
    wherever they are shown."""
    kode: dict[int, str] = {}
    used = {n.kode for n in nodes if n.kode}  # provisional codes never take a printed one
    provisional: set[str] = set()
    counters: dict[str, int] = {}

    def fresh(prefix: str, width: int, start: int) -> str:
        number = counters.get(prefix, start)
        while True:
            number += 1
            candidate = f"{prefix}{number:0{width}d}"
            if candidate not in used:
                counters[prefix] = number
                used.add(candidate)
                return candidate

    printed: set[str] = set()
    for node in nodes:
        if node.kode and node.kode in printed:
            # The same code printed for a second node (a copy-paste slip in the report).
            node.catatan.append(f"kode {node.kode} tercetak dua kali; diberi kode sementara")
            node.kode = None
        if node.kode:
            printed.add(node.kode)
            kode[id(node)] = node.kode
            continue
        parent = kode.get(id(node.induk)) if node.induk is not None else None
        coded_parent = parent is not None and parent not in provisional
        if node.tingkat is Tingkat.PROGRAM:
            value = fresh("0.00.", 2, 0)
        elif node.tingkat is Tingkat.KEGIATAN:
            program = parent if parent and node.induk.tingkat is Tingkat.PROGRAM else "0.00.00"  # type: ignore[union-attr]
            value = fresh(f"{program}.2.", 2, 90 if coded_parent else 0)
        else:
            kegiatan = (
                parent
                if parent and node.induk.tingkat is Tingkat.KEGIATAN  # type: ignore[union-attr]
                else "0.00.00.2.00"
            )
            value = fresh(f"{kegiatan}.", 4, 9000 if coded_parent else 0)
        kode[id(node)] = value
        provisional.add(value)
    return kode, provisional


def _agregasi_of(formula: str, default: Agregasi) -> Agregasi:
    lowered = formula.lower()
    if "akumul" in lowered or ("kumulatif" in lowered and "non" not in lowered):
        return Agregasi.AKUMULATIF
    if "rata" in lowered:
        return Agregasi.RATA_RATA
    if "progres" in lowered:
        return Agregasi.PROGRESIF
    return default


def _by_printed(
    item: Indikator_,
    periods: dict[str, Decimal | None],
    agregasi: Agregasi,
    polaritas: Polaritas,
    tw: int | None,
    notes: list[Temuan],
) -> Agregasi:
    """Return the aggregation under which the line's printed capaian follows from its figures,
    when the table's own does not and exactly one other does (a count among levels)."""
    printed = item.angka.get("capaian_k")
    target = item.angka.get("target_k")
    if printed is None or target is None:
        return agregasi

    def agrees(candidate: Agregasi) -> bool:
        q, how = quarters(periods, candidate, tw)
        return how is not None and agrees_as_printed(
            printed, capaian(target, nilai_tahun(q, candidate), polaritas)
        )

    if agrees(agregasi):
        return agregasi
    others = [a for a in Agregasi if a is not agregasi and agrees(a)]
    if len(others) != 1:
        return agregasi
    notes.append(
        Temuan(
            f"indikator '{item.teks}' dibaca {others[0].value}: hanya dengan itu capaian "
            f"tercetak {format_nilai(printed)} sesuai dengan angkanya",
            item.tempat,
            "catatan",
        )
    )
    return others[0]


def _periods(values: dict[str, Decimal | None], side: str) -> dict[str, Decimal | None]:
    prefix = f"realisasi_{side}:"
    return {k[len(prefix) :]: v for k, v in values.items() if k.startswith(prefix)}


def build(
    bacaan: Bacaan,
    tables: Sequence[Tabel],
    agregasi_k: str | None,
    agregasi_rp: str | None,
    nomenklatur: Sequence[Entri] | None = None,
) -> Susunan:
    """Return the Renja the rows describe; nodes without codes take the nomenclature's code
    their name matches, when a nomenclature list is given."""
    nodes, joined, notes = join(bacaan, tables)
    matched = match(nodes, nomenklatur) if nomenklatur else {}
    for node in nodes:
        found = matched.get(id(node))
        if found is not None:
            node.kode = found.entri.kode
            source = " ".join(str(p) for p in (found.entri.regulasi, found.entri.tahun) if p)
            node.catatan.append(
                f"kode {found.entri.kode} dari nomenklatur{' ' + source if source else ''} "
                f"('{found.entri.nama}', kemiripan {round(found.skor * 100)}%)"
            )
    kode, provisional = _codes(nodes)
    chosen: dict[tuple[int, str], tuple[Agregasi, int, int]] = {}
    for table in tables:
        k_lines = [
            _periods(i.angka, "k") for n in nodes if n.tabel == table.nomor for i in n.indikator
        ]
        rp_from = {id(g.k): g.rp.tabel for g in joined}
        rp_lines = [
            _periods(n.rp, "rp")
            for n in nodes
            if "rp" in table.sides and rp_from.get(id(n), n.tabel) == table.nomor
        ]
        months = any(k.startswith("bln") for line in rp_lines for k in line)
        default_k = Agregasi(agregasi_k) if agregasi_k else Agregasi.PROGRESIF
        default_rp = (
            Agregasi(agregasi_rp)
            if agregasi_rp
            else (Agregasi.AKUMULATIF if months else Agregasi.PROGRESIF)
        )
        if k_lines:
            chosen[(table.nomor, "k")] = (
                choose(k_lines, default_k) if not agregasi_k else (default_k, 0, 0)
            )
        if rp_lines:
            chosen[(table.nomor, "rp")] = (
                choose(rp_lines, default_rp) if not agregasi_rp else (default_rp, 0, 0)
            )
    built: list[Node] = []
    for node in nodes:
        rp_table = next((g.rp.tabel for g in joined if g.k is node), node.tabel)
        tw = bacaan.triwulan.get(rp_table)
        agg_rp = chosen.get((rp_table, "rp"), (Agregasi.PROGRESIF, 0, 0))[0]
        agg_k = chosen.get((node.tabel, "k"), (Agregasi.PROGRESIF, 0, 0))[0]
        rp_quarters, _ = quarters(_periods(node.rp, "rp"), agg_rp, tw)
        items = []
        for item in node.indikator:
            polaritas = polaritas_of(item.formula) if item.formula else Polaritas.POSITIF
            periods = _periods(item.angka, "k")
            tw = bacaan.triwulan.get(node.tabel)
            agregasi = _agregasi_of(item.formula, agg_k)
            if not item.formula and not agregasi_k:
                agregasi = _by_printed(item, periods, agregasi, polaritas, tw, notes)
            k_quarters, _ = quarters(periods, agregasi, tw)
            items.append(
                Indikator(
                    teks=item.teks,
                    satuan=item.satuan,
                    target_renstra=item.angka.get("target_renstra_k"),
                    realisasi_lalu=item.angka.get("realisasi_lalu_k"),
                    target=item.angka.get("target_k"),
                    target_volume=item.volume,
                    triwulan=k_quarters,
                    polaritas=polaritas,
                    agregasi=agregasi,
                    capaian_tercetak=item.angka.get("capaian_k"),
                    asal=str(item.tempat),
                )
            )
        built.append(
            Node(
                kode=kode[id(node)],
                tingkat=node.tingkat,
                nama=node.nama,
                indikator=tuple(items),
                pagu=node.rp.get("pagu"),
                triwulan_rp=rp_quarters,
                target_renstra_rp=node.rp.get("target_renstra_rp"),
                realisasi_lalu_rp=node.rp.get("realisasi_lalu_rp"),
                agregasi_rp=agg_rp,
                unit=node.unit,
                sasaran=node.sasaran,
                keterangan=node.keterangan,
            )
        )
    susunan = Susunan(Renja(tuple(built)), nodes, kode, provisional, joined, chosen, notes)
    susunan.cocok = {kode[k]: v for k, v in matched.items()}
    return susunan
