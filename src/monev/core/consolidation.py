"""The pemda's consolidated evaluation (Formulir E.79 style): every PD's programs grouped by
urusan → bidang urusan, and the figures of each group and of the whole pemda.

A group's figures follow the rule of a PD's footer (`monev.core.rules.total`, spec §5, §6): K is
the mean of the capaian of every kegiatan indicator line in the group (not a mean of the
programs' means), Rp is Σ realisasi / Σ pagu of its programs (never a mean of per cents); each
with its predikat. A program's own figures are its PD's evaluation's (`RingkasanProgram`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from monev.core.codes import Tingkat
from monev.core.evaluation import Ringkasan, RingkasanProgram
from monev.core.nomenclature import bidang_of, kode_key, nama_bidang, nama_urusan, urusan_of
from monev.core.rules import Pengaturan, Total, total


def total_of_programs(programs: Iterable[RingkasanProgram], pengaturan: Pengaturan) -> Total:
    """Return the figures of a group of programs (from one PD or from several)."""
    listed = list(programs)
    return total(
        (c for p in listed for c in p.capaian_kegiatan),
        ((p.pagu, p.realisasi_rp) for p in listed),
        pengaturan,
    )


def total_of_pd(ringkasan: Iterable[Ringkasan], pengaturan: Pengaturan) -> Total:
    """Return the figures of several PDs evaluated up to the same quarter, as one footer."""
    return total_of_programs((p for r in ringkasan for p in r.program), pengaturan)


@dataclass(frozen=True, slots=True)
class Bagian:
    """One PD's evaluation as the consolidation reads it."""

    perangkat_daerah: str
    #: The caller's handle on the PD's Renja (a database id), carried to its programs' lines.
    ref: int | None
    ringkasan: Ringkasan


@dataclass(frozen=True, slots=True)
class ProgramPD:
    """A program of one PD, in its bidang urusan."""

    perangkat_daerah: str
    ref: int | None
    program: RingkasanProgram


@dataclass(frozen=True, slots=True)
class Kelompok:
    """An urusan (with its bidang urusan) or a bidang urusan (with its programs), and its totals."""

    tingkat: Tingkat
    kode: str
    nama: str
    total: Total
    bidang: tuple[Kelompok, ...] = ()
    program: tuple[ProgramPD, ...] = ()


@dataclass(frozen=True, slots=True)
class Konsolidasi:
    urusan: tuple[Kelompok, ...]
    #: The pemda's figures: every program of every PD.
    total: Total


def consolidate(bagian: Sequence[Bagian], pengaturan: Pengaturan) -> Konsolidasi:
    """Return the PDs' programs by urusan → bidang urusan (codes in order), with every total.

    A program run by two PDs appears once under each (ordered by PD name), as in the RKPD.
    """
    by_bidang: dict[str, list[ProgramPD]] = {}
    for item in bagian:
        for program in item.ringkasan.program:
            by_bidang.setdefault(bidang_of(program.kode), []).append(
                ProgramPD(item.perangkat_daerah, item.ref, program)
            )
    bidang_by_urusan: dict[str, list[str]] = {}
    for kode in by_bidang:
        bidang_by_urusan.setdefault(urusan_of(kode), []).append(kode)

    def bidang_group(kode: str) -> Kelompok:
        programs = tuple(
            sorted(by_bidang[kode], key=lambda b: (kode_key(b.program.kode), b.perangkat_daerah))
        )
        return Kelompok(
            tingkat=Tingkat.BIDANG_URUSAN,
            kode=kode,
            nama=nama_bidang(kode),
            total=total_of_programs((b.program for b in programs), pengaturan),
            program=programs,
        )

    urusan = []
    for kode in sorted(bidang_by_urusan, key=kode_key):
        groups = tuple(bidang_group(k) for k in sorted(bidang_by_urusan[kode], key=kode_key))
        urusan.append(
            Kelompok(
                tingkat=Tingkat.URUSAN,
                kode=kode,
                nama=nama_urusan(kode),
                total=total_of_programs((b.program for g in groups for b in g.program), pengaturan),
                bidang=groups,
            )
        )
    return Konsolidasi(
        urusan=tuple(urusan),
        total=total_of_pd((b.ringkasan for b in bagian), pengaturan),
    )
