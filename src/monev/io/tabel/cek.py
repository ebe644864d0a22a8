"""Printed figures that do not follow from the amounts, named with their place.

Each printed figure is compared at the precision it was printed in (93.6 matches 93,63): a
capaian K against realisasi / target, a per cent of realisation against realisasi / pagu, a
printed total (`Jumlah`) against the periods, a sum of account lines against the sub kegiatan's
own printed pagu, a `JUMLAH` row against the lines above it. A group's per cent that is the mean of
its lines' per cents instead of Σ realisasi / Σ pagu (spec §5) is named as such.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from monev.core.budget import roll_up
from monev.core.model import Renja
from monev.core.numbers import agrees_as_printed, format_angka, format_nilai, printed_places
from monev.core.rules import Agregasi, capaian, jumlah, mean, nilai_tahun
from monev.io.tabel.baca import Bacaan, Simpul
from monev.io.tabel.bangun import Susunan
from monev.io.tabel.model import Temuan
from monev.io.tabel.periode import year_value


def _shown(value: Decimal) -> str:
    """A printed figure as printed: with its own decimals (`80,5`), at most two."""
    return format_angka(value, printed_places(value))


def _rp(value: Decimal | None) -> str:
    return format_nilai(value)


def check(bacaan: Bacaan, susunan: Susunan) -> list[Temuan]:
    """Return every printed figure that does not follow from the others."""
    renja = susunan.renja
    nodes = {susunan.kode[id(n)]: n for n in susunan.simpul}
    return [
        *_indikator(renja, nodes),
        *_rp_percent(renja, susunan, nodes),
        *_sums(bacaan, susunan, nodes),
    ]


def _indikator(renja: Renja, nodes: dict[str, Simpul]) -> Iterator[Temuan]:
    for node in renja.nodes:
        read = nodes.get(node.kode)
        if read is None:
            continue
        for item, drawn in zip(node.indikator, read.indikator, strict=False):
            printed = item.capaian_tercetak
            year = nilai_tahun(item.triwulan, item.agregasi)
            if printed is not None:
                computed = capaian(item.target, year, item.polaritas)
                if not agrees_as_printed(printed, computed):
                    how = (
                        f"realisasi {format_nilai(year)} / target {format_nilai(item.target)}"
                        if computed is not None
                        else "tidak dapat dihitung (target atau realisasi kosong)"
                    )
                    shown = "-" if computed is None else format_angka(computed)
                    yield Temuan(
                        f"capaian K tercetak {_shown(printed)} tidak sama dengan hitung ulang "
                        f"{shown} ({how})",
                        drawn.sel.get("capaian_k", drawn.tempat),
                    )
            total = drawn.angka.get("realisasi_k:jumlah")
            periods = {k.partition(":")[2]: v for k, v in drawn.angka.items() if ":" in k}
            computed_total = year_value(periods, item.agregasi)
            if total is not None and computed_total is not None and total != computed_total:
                yield Temuan(
                    f"jumlah realisasi K tercetak {format_nilai(total)} tidak sama dengan "
                    f"{format_nilai(computed_total)} ({_how(item.agregasi)} periode)",
                    drawn.sel.get("realisasi_k:jumlah", drawn.tempat),
                )


def _how(agregasi: Agregasi) -> str:
    return {
        Agregasi.AKUMULATIF: "jumlah",
        Agregasi.PROGRESIF: "nilai terakhir",
        Agregasi.RATA_RATA: "rata-rata",
    }[agregasi]


def _rp_percent(renja: Renja, susunan: Susunan, nodes: dict[str, Simpul]) -> Iterator[Temuan]:
    anggaran = roll_up(renja)
    children: dict[int, list[Simpul]] = {}
    for simpul in susunan.simpul:
        if simpul.induk is not None:
            children.setdefault(id(simpul.induk), []).append(simpul)
    for node in renja.nodes:
        read = nodes.get(node.kode)
        if read is None:
            continue
        a = anggaran[node.kode]
        realisasi = a.realisasi_sampai(4)  # the year value in force, as the engine rolls it up
        printed = read.rp.get("capaian_rp")
        if printed is not None:
            computed = capaian(a.pagu, realisasi)
            if not agrees_as_printed(printed, computed):
                kids = [k.rp.get("capaian_rp") for k in children.get(id(read), [])]
                kids_mean = mean(kids) if any(v is not None for v in kids) else None
                if kids_mean is not None and agrees_as_printed(printed, kids_mean):
                    why = (
                        f"adalah rata-rata persen {len([k for k in kids if k is not None])} baris "
                        f"di bawahnya ({format_angka(kids_mean)}), bukan Σ realisasi / Σ pagu"
                    )
                else:
                    why = "tidak sama dengan realisasi / pagu"
                shown = "-" if computed is None else format_angka(computed)
                yield Temuan(
                    f"persen realisasi Rp tercetak {_shown(printed)} {why} = "
                    f"{_rp(realisasi)} / {_rp(a.pagu)} = {shown}",
                    read.rp_sel.get("capaian_rp", read.tempat),
                )
        total = read.rp.get("realisasi_rp:jumlah")
        periods = {k.partition(":")[2]: v for k, v in read.rp.items() if ":" in k}
        computed_total = year_value(periods, node.agregasi_rp)
        if total is not None and computed_total is not None and total != computed_total:
            yield Temuan(
                f"jumlah realisasi Rp tercetak {_rp(total)} tidak sama dengan "
                f"{_rp(computed_total)} ({_how(node.agregasi_rp)} periode)",
                read.rp_sel.get("realisasi_rp:jumlah", read.tempat),
            )


def _sums(bacaan: Bacaan, susunan: Susunan, nodes: dict[str, Simpul]) -> Iterator[Temuan]:
    for node in susunan.simpul:
        if not node.rekening:
            continue
        yield Temuan(
            f"angka Rp '{node.nama}' adalah jumlah {node.rekening} baris rekening: pagu "
            f"{_rp(node.rp.get('pagu'))}, realisasi {_rp(_realisasi_of(node))}",
            node.tempat,
            "catatan",
        )
        for key in ("pagu", "realisasi_rp:jumlah"):
            own = node.rp_tercetak.get(key)
            summed = node.rp.get(key)
            if own is not None and summed is not None and own != summed:
                yield Temuan(
                    f"{'pagu' if key == 'pagu' else 'realisasi'} tercetak {_rp(own)} tidak sama "
                    f"dengan jumlah {node.rekening} rekening di bawahnya {_rp(summed)}",
                    node.rp_sel.get(key, node.tempat),
                )
    anggaran = roll_up(susunan.renja)
    for total in bacaan.jumlah:
        tops = [
            n
            for n in susunan.simpul
            if (n.tabel == total.tabel or _joined_into(susunan, n, total.tabel)) and n.induk is None
        ]
        if not tops:
            continue
        pagu = jumlah(anggaran[susunan.kode[id(n)]].pagu for n in tops)
        # The year value in force (the engine's roll-up: own figures, or the children's year
        # values), never the node's quarters read again with its own aggregation.
        realisasi = jumlah(anggaran[susunan.kode[id(n)]].realisasi_sampai(4) for n in tops)
        for key, computed, label in (
            ("pagu", pagu, "jumlah pagu"),
            ("realisasi_rp:jumlah", realisasi, "jumlah realisasi"),
        ):
            printed = total.rp.get(key)
            if printed is not None and computed is not None and printed != computed:
                yield Temuan(
                    f"{label} tercetak {_rp(printed)} tidak sama dengan Σ baris di atasnya "
                    f"{_rp(computed)}",
                    total.sel.get(key, total.tempat),
                )
        printed = total.rp.get("capaian_rp")
        computed = capaian(pagu, realisasi)
        if printed is not None and not agrees_as_printed(printed, computed):
            yield Temuan(
                f"persen jumlah tercetak {_shown(printed)} tidak sama dengan Σ realisasi / Σ pagu "
                f"= {'-' if computed is None else format_angka(computed)}",
                total.sel.get("capaian_rp", total.tempat),
            )


def _realisasi_of(node: Simpul) -> Decimal | None:
    periods = {k.partition(":")[2]: v for k, v in node.rp.items() if ":" in k}
    return periods.get("jumlah") or jumlah(periods.values())


def _joined_into(susunan: Susunan, node: Simpul, table: int) -> bool:
    return any(g.k is node and g.rp.tabel == table for g in susunan.gabungan)
