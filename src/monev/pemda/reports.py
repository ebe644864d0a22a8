"""The pemda's report files: the consolidated evaluation (Formulir E.79 style, XLSX or PDF) and the
workbook of every PD's E.81. Each PD is evaluated by the engine once; nothing is computed here."""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass

from monev.core.consolidation import Bagian, consolidate
from monev.core.evaluation import Evaluasi, evaluate
from monev.io.report.context import Kertas, KonteksLaporan, Penandatangan
from monev.pemda.selectors import PemdaTahun, load_renja
from monev.web import snapshot
from monev.web.models import LaporanTriwulan, Pemda, PerangkatDaerah
from monev.web.reports import (
    CONTENT_TYPES,
    Berkas,
    file_name,
    kepala_bappeda_of,
    konteks_pd,
    laporan_file,
    printed,
    tanggal_indonesia,
)

JUDUL_E79 = {
    str(Pemda.Jenis.PROVINSI): "EVALUASI TERHADAP HASIL RKPD PROVINSI",
    str(Pemda.Jenis.KABUPATEN): "EVALUASI TERHADAP HASIL RKPD KABUPATEN",
    str(Pemda.Jenis.KOTA): "EVALUASI TERHADAP HASIL RKPD KOTA",
}
#: The head of each kind of region, and the word its name starts with.
KEPALA_DAERAH = {
    str(Pemda.Jenis.PROVINSI): ("Gubernur", "Provinsi"),
    str(Pemda.Jenis.KABUPATEN): ("Bupati", "Kabupaten"),
    str(Pemda.Jenis.KOTA): ("Wali Kota", "Kota"),
}


def kepala_daerah(pemda: Pemda) -> str:
    """Return the title of the pemda's head (`Kabupaten Tangerang` → `Bupati Tangerang`)."""
    title, prefix = KEPALA_DAERAH.get(pemda.jenis, ("Kepala Daerah", ""))
    name = pemda.nama.removeprefix(f"{prefix} ").strip() if prefix else pemda.nama
    return f"{title} {name}"


def konteks_pemda(pemda: Pemda, tahun: int, kertas: str = Kertas.F4) -> KonteksLaporan:
    """Return the context of the pemda's consolidated evaluation: prepared by Bappeda, acknowledged
    by the head of the region (names left dotted, to be written in by hand)."""
    return KonteksLaporan(
        judul=JUDUL_E79.get(pemda.jenis, "EVALUASI TERHADAP HASIL RKPD"),
        pemda=pemda.nama,
        tahun=tahun,
        tempat=pemda.tempat_tanda_tangan,
        tanggal=tanggal_indonesia(),
        kepala_pd=Penandatangan(jabatan=kepala_daerah(pemda)),
        kepala_bappeda=kepala_bappeda_of(pemda),
        kertas=Kertas(kertas),
    )


@dataclass(frozen=True)
class EvaluasiPD:
    perangkat_daerah: PerangkatDaerah
    renja_id: int
    evaluasi: Evaluasi
    #: The PD's quarter is not verified yet.
    draf: bool = False


def evaluations(data: PemdaTahun, triwulan: int) -> list[EvaluasiPD]:
    """Return every PD's evaluation at a quarter (PDs without a Renja left out), loaded in bulk."""
    with_renja = [pd for pd in data.pd if pd.renja is not None]
    loaded = load_renja([pd.renja for pd in with_renja if pd.renja is not None])
    recorded = snapshot.verified_evaluations(loaded, triwulan)  # verified: as accepted
    return [
        EvaluasiPD(
            pd.perangkat_daerah,
            pd.renja.pk,
            recorded.get((pd.renja.pk, triwulan))
            or evaluate(loaded[pd.renja.pk].core, triwulan, data.pengaturan),
            draf=pd.status_of(triwulan) != LaporanTriwulan.Status.DIVERIFIKASI,
        )
        for pd in with_renja
        if pd.renja is not None
    ]


def e79_file(data: PemdaTahun, triwulan: int, fmt: str, kertas: str = Kertas.F4) -> Berkas:
    """Return the pemda's consolidated evaluation as XLSX or PDF."""
    from monev.io.report.konsolidasi import build_konsolidasi_report

    items = evaluations(data, triwulan)
    hasil = consolidate(
        [Bagian(i.perangkat_daerah.nama, i.renja_id, i.evaluasi.ringkasan) for i in items],
        data.pengaturan,
    )
    # The pemda's evaluation is a draft while any PD's quarter in it is.
    konteks = dataclasses.replace(
        konteks_pemda(data.pemda, data.tahun, kertas), draf=any(i.draf for i in items)
    )
    laporan = build_konsolidasi_report(
        hasil, {i.renja_id: i.evaluasi for i in items}, triwulan, konteks
    )
    nama = file_name(
        "evaluasi-rkpd", data.pemda.nama, data.tahun, f"tw{triwulan}", *printed(konteks), fmt=fmt
    )
    return laporan_file(laporan, fmt, nama)


def workbook_file(data: PemdaTahun, triwulan: int) -> Berkas:
    """Return the workbook of the pemda: a summary sheet, then every PD's E.81 on its own sheet."""
    from monev.io.report.xlsx_pemda import render_pemda_xlsx

    items = [
        (
            dataclasses.replace(konteks_pd(item.perangkat_daerah, data.tahun), draf=item.draf),
            item.evaluasi,
        )
        for item in evaluations(data, triwulan)
    ]
    buffer = io.BytesIO()
    render_pemda_xlsx(items, buffer)
    nama = file_name("evaluasi-pd", data.pemda.nama, data.tahun, f"tw{triwulan}", fmt="xlsx")
    return Berkas(buffer.getvalue(), CONTENT_TYPES["xlsx"], nama)
