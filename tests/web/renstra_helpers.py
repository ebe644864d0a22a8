"""A small, plainly illustrative Renstra (2024–2028) and Renja of the demo's *contoh* PD, built
in code so that every figure of the tests is visible here."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from monev.core import model as core
from monev.core.codes import Tingkat
from monev.core.rules import Agregasi
from monev.io.renstra_flat import read_renstra
from monev.web.models import LaporanTriwulan, PerangkatDaerah, Renja

PROGRAM, KEGIATAN, SUB = "2.16.03", "2.16.03.2.02", "2.16.03.2.02.01"

RENSTRA_CSV = """kode,tingkat,nama,indikator,satuan,polaritas,agregasi,target_akhir_k,target_akhir_rp,k_2024,rp_2024,k_2025,rp_2025,k_2026,rp_2026,k_2027,rp_2027,k_2028,rp_2028
2.16.03,program,Program contoh,Layanan terintegrasi (contoh),%,positif,progresif,90,5000000000,70,1000000000,75,1000000000,80,1000000000,85,1000000000,90,1000000000
2.16.03.2.02,kegiatan,Kegiatan contoh,Aplikasi dikembangkan (contoh),aplikasi,positif,akumulatif,30,,6,,6,,6,,6,,6,
2.16.03.2.02.01,sub_kegiatan,Sub kegiatan contoh,Indeks layanan (contoh),indeks,positif,rata_rata,3.8,,3.5,,3.6,,3.7,,3.7,,3.8,
"""


def renstra_periode(text: str = RENSTRA_CSV, awal: int = 2024, akhir: int = 2028):  # type: ignore[no-untyped-def]
    return read_renstra(Path("renstra-contoh.csv"), awal, akhir, text.encode())


def renja_core(
    sub_kode: str = SUB,
    program_tw: tuple = (D(50), D(60), D(65), D(72)),
    kegiatan_tw: tuple = (D(1), D(2), D(2), D(1)),
    sub_tw: tuple = (D("3.4"), D("3.6"), D("3.5"), D("3.5")),
    rp_tw: tuple = (D(100), D(200), D(300), D(400)),
) -> core.Renja:
    """Three levels, one aggregation each (progresif, akumulatif, rata_rata); Rp on the leaf."""
    return core.Renja(
        (
            core.Node(
                PROGRAM,
                Tingkat.PROGRAM,
                "Program contoh",
                (
                    core.Indikator(
                        "Layanan terintegrasi (contoh)", "%", target=D(70), triwulan=program_tw
                    ),
                ),
            ),
            core.Node(
                KEGIATAN,
                Tingkat.KEGIATAN,
                "Kegiatan contoh",
                (
                    core.Indikator(
                        "Aplikasi dikembangkan (contoh)",
                        "aplikasi",
                        target=D(6),
                        triwulan=kegiatan_tw,
                        agregasi=Agregasi.AKUMULATIF,
                    ),
                ),
            ),
            core.Node(
                sub_kode,
                Tingkat.SUB_KEGIATAN,
                "Sub kegiatan contoh",
                (
                    core.Indikator(
                        "Indeks layanan (contoh)",
                        "indeks",
                        target=D("3.5"),
                        triwulan=sub_tw,
                        agregasi=Agregasi.RATA_RATA,
                    ),
                ),
                pagu=D(1000),
                triwulan_rp=rp_tw,
                agregasi_rp=Agregasi.AKUMULATIF,
            ),
        )
    )


def contoh_pd() -> PerangkatDaerah:
    return PerangkatDaerah.objects.get(kode="2.16.01")


def verify_year(renja: Renja) -> None:
    """Accept quarter IV and record its evaluation, as `siklus.laporan_verify` does (the cycle's
    own transitions are tested in test_siklus)."""
    from monev.web import snapshot

    LaporanTriwulan.objects.update_or_create(
        renja=renja, triwulan=4, defaults={"status": LaporanTriwulan.Status.DIVERIFIKASI}
    )
    snapshot.take(user=None, renja=renja, triwulan=4)
