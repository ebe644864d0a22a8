"""The evaluation table (spec §4), its summary (§6) and predikat (§7), up to a chosen quarter.

`evaluate` is the one place where a capaian, a mean, a budget per cent or a predikat is computed.
Every page, report and export renders its result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from monev.core.baris import Baris as Baris
from monev.core.baris import Rp as Rp
from monev.core.budget import Anggaran, parent_kode, roll_up
from monev.core.checks import Pemeriksaan, check_renja
from monev.core.codes import Tingkat, program_of
from monev.core.frozen import builder
from monev.core.model import Indikator, Node, Quarters, Renja
from monev.core.rules import Agregasi, Pengaturan, capaian, mean, nilai_tahun, total


@dataclass(frozen=True, slots=True)
class RingkasanProgram:
    kode: str
    nama: str
    rata_rata_capaian_kegiatan: Decimal | None
    predikat_kegiatan: str | None
    pagu: Decimal | None
    realisasi_rp: Decimal | None
    persen_realisasi_rp: Decimal | None
    predikat_rp: str | None
    #: The capaian of the program's kegiatan indicator lines, in table order: the values behind
    #: `rata_rata_capaian_kegiatan`, kept so that a group of programs (a bidang urusan, a pemda)
    #: takes the mean of its kegiatan lines, not a mean of means (`monev.core.consolidation`).
    capaian_kegiatan: tuple[Decimal | None, ...]


@dataclass(frozen=True, slots=True)
class Ringkasan:
    rata_rata_capaian_program: Decimal | None
    rata_rata_capaian_kegiatan: Decimal | None
    rata_rata_capaian_sub_kegiatan: Decimal | None
    program: tuple[RingkasanProgram, ...]
    #: The footer of the form: K is the mean over all kegiatan indicators; Rp is Σ realisasi / Σ pagu
    #: over the programs (never a mean of per cents, spec §5), each with its own predikat.
    rata_rata_capaian_k: Decimal | None
    predikat_k: str | None
    pagu: Decimal | None
    realisasi_rp: Decimal | None
    persen_realisasi_rp: Decimal | None
    predikat_rp: str | None


@dataclass(frozen=True, slots=True)
class Evaluasi:
    renja: Renja
    triwulan: int
    pengaturan: Pengaturan
    baris: tuple[Baris, ...]
    ringkasan: Ringkasan
    pemeriksaan: tuple[Pemeriksaan, ...]
    rp: dict[str, Rp] = field(repr=False)

    def rp_of(self, kode: str) -> Rp | None:
        return self.rp.get(kode)


# Tens of thousands of each are built per evaluation (see monev.core.frozen).
_build_rp = builder(Rp)
_build_baris = builder(Baris)


#: The one line of a node without indicators.
_NO_INDIKATOR = (Indikator(),)


def _cut(values: Quarters, triwulan: int) -> Quarters:
    if triwulan == 4:
        return values
    return values[:triwulan] + (None,) * (4 - triwulan)  # type: ignore[return-value]


def _plus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if b is None:
        return None
    return b if a is None else a + b


def _rp(node: Node, anggaran: Anggaran, triwulan: int, pengaturan: Pengaturan) -> Rp:
    realisasi = anggaran.realisasi_sampai(triwulan)
    capaian_rp = capaian(anggaran.pagu, realisasi)
    renstra_realisasi = _plus(node.realisasi_lalu_rp, realisasi)
    return _build_rp(
        target_renstra=node.target_renstra_rp,
        realisasi_lalu=node.realisasi_lalu_rp,
        pagu=anggaran.pagu,
        triwulan=_cut(anggaran.triwulan, triwulan),
        realisasi=realisasi,
        capaian=capaian_rp,
        predikat=pengaturan.predikat_rp.nilai(capaian_rp)
        if capaian_rp is not None
        else pengaturan.predikat_rp.nilai(None, tanpa_target=not anggaran.pagu),
        renstra_realisasi=renstra_realisasi,
        renstra_capaian=capaian(node.target_renstra_rp, renstra_realisasi),
    )


def _baris(
    node: Node, indikator: Indikator, nomor: int, rp: Rp | None, triwulan: int, p: Pengaturan
) -> Baris:
    realisasi = nilai_tahun(indikator.triwulan, indikator.agregasi, triwulan)
    capaian_k = capaian(indikator.target, realisasi, indikator.polaritas, p.rumus_negatif)
    if indikator.agregasi is Agregasi.AKUMULATIF:
        renstra_realisasi = _plus(indikator.realisasi_lalu, realisasi)
    else:  # a level: adding last year's level to this year's means nothing (spec §4, col 14)
        renstra_realisasi = realisasi
    return _build_baris(
        node=node,
        indikator=indikator,
        nomor_indikator=nomor,
        triwulan=_cut(indikator.triwulan, triwulan),
        realisasi=realisasi,
        capaian=capaian_k,
        predikat=p.predikat_k.nilai(capaian_k)
        if capaian_k is not None
        else p.predikat_k.nilai(
            None, tanpa_target=not indikator.target and indikator is not _NO_INDIKATOR[0]
        ),
        renstra_realisasi=renstra_realisasi,
        renstra_capaian=capaian(
            indikator.target_renstra, renstra_realisasi, indikator.polaritas, p.rumus_negatif
        ),
        rp=rp if nomor == 0 else None,
    )


def _ringkasan(renja: Renja, baris: list[Baris], rp: dict[str, Rp], p: Pengaturan) -> Ringkasan:
    cap = p.batas_capaian_rata_rata
    by_tingkat: dict[Tingkat, list[Decimal | None]] = {t: [] for t in Tingkat}
    kegiatan_by_program: dict[str, list[Decimal | None]] = {}
    for line in baris:
        by_tingkat[line.node.tingkat].append(line.capaian)
        if line.node.tingkat is Tingkat.KEGIATAN:
            program = program_of(line.node.kode)
            kegiatan_by_program.setdefault(program, []).append(line.capaian)

    programs: list[RingkasanProgram] = []
    seen: set[str] = set()
    for node in renja.nodes:
        if node.tingkat is not Tingkat.PROGRAM or node.kode in seen:
            continue
        seen.add(node.kode)
        node_rp = rp[node.kode]
        kegiatan = tuple(kegiatan_by_program.get(node.kode, ()))
        rata = mean(kegiatan, cap)
        programs.append(
            RingkasanProgram(
                kode=node.kode,
                nama=node.nama,
                rata_rata_capaian_kegiatan=rata,
                predikat_kegiatan=p.predikat_k.nilai(rata),
                pagu=node_rp.pagu,
                realisasi_rp=node_rp.realisasi,
                persen_realisasi_rp=node_rp.capaian,
                predikat_rp=node_rp.predikat,
                capaian_kegiatan=kegiatan,
            )
        )

    # Rp of the whole: Σ over the programs, and over the nodes whose parent the plan lacks (a part
    # of a plan: the kegiatan of one unit without their program), so that no budget is left out.
    roots = [(r.pagu, r.realisasi_rp) for r in programs]
    for node in renja.nodes:
        parent = parent_kode(node)
        if parent is not None and node.kode not in seen and renja.node(parent) is None:
            seen.add(node.kode)
            roots.append((rp[node.kode].pagu, rp[node.kode].realisasi))
    footer = total(by_tingkat[Tingkat.KEGIATAN], roots, p)
    return Ringkasan(
        rata_rata_capaian_program=mean(by_tingkat[Tingkat.PROGRAM], cap),
        rata_rata_capaian_kegiatan=footer.rata_rata_capaian_k,
        rata_rata_capaian_sub_kegiatan=mean(by_tingkat[Tingkat.SUB_KEGIATAN], cap),
        program=tuple(programs),
        rata_rata_capaian_k=footer.rata_rata_capaian_k,
        predikat_k=footer.predikat_k,
        pagu=footer.pagu,
        realisasi_rp=footer.realisasi_rp,
        persen_realisasi_rp=footer.persen_realisasi_rp,
        predikat_rp=footer.predikat_rp,
    )


def evaluate(
    renja: Renja,
    triwulan: int | None = None,
    pengaturan: Pengaturan | None = None,
    *,
    anggaran: dict[str, Anggaran] | None = None,
) -> Evaluasi:
    """Return the evaluation of `renja` up to quarter `triwulan` (default: the last one with data).

    `anggaran`: `roll_up(renja)` when the caller has it (the roll-up holds every quarter, so that
    the four evaluations of a year share one)."""
    p = pengaturan or Pengaturan()
    tw = renja.last_triwulan() if triwulan is None else triwulan
    if not 1 <= tw <= 4:
        raise ValueError(f"triwulan harus 1 sampai 4, bukan {tw}")
    if anggaran is None:
        anggaran = roll_up(renja)
    rp = {kode: _rp(renja.node(kode), a, tw, p) for kode, a in anggaran.items()}  # type: ignore[arg-type]
    baris: list[Baris] = []
    for node in renja.nodes:
        node_rp = rp[node.kode]
        for nomor, item in enumerate(node.indikator or _NO_INDIKATOR):
            baris.append(_baris(node, item, nomor, node_rp, tw, p))
    return Evaluasi(
        renja=renja,
        triwulan=tw,
        pengaturan=p,
        baris=tuple(baris),
        ringkasan=_ringkasan(renja, baris, rp, p),
        pemeriksaan=tuple(check_renja(renja, anggaran, baris, tw, p.batas_capaian_wajar)),
        rp=rp,
    )
