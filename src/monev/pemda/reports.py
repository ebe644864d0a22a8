"""The pemda's report files: the consolidated evaluation (Formulir E.79 style, XLSX or PDF) and the
workbook of every PD's E.81. Nothing is computed here.

Both are read from the PDs' stored rows (`monev.pemda.angka`, refreshed by
`selectors.pemda_year` where a Renja changed, as the pages are); no PD is evaluated. The E.79:
the group figures as the consolidation page shows them, each PD's program and kegiatan lines
from `monev.pemda.baris_tersimpan`. The workbook: every line of every PD from the same rows, its
footer and number of check findings from its `AngkaPD` row. A verified quarter is read from its
record (spec §8)."""

from __future__ import annotations

import dataclasses
import io
import logging
from collections.abc import Sequence

from monev.core import model as core
from monev.core.baris import Baris
from monev.core.evaluation import Evaluasi, evaluate
from monev.core.rules import Pengaturan
from monev.io.report.context import Kertas, KonteksLaporan, Penandatangan
from monev.io.report.model import Laporan
from monev.pemda import baris_tersimpan, dashboard
from monev.pemda.selectors import PDTahun, PemdaTahun, load_renja
from monev.web import snapshot
from monev.web.models import LaporanTriwulan, Pemda
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

logger = logging.getLogger(__name__)

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


def read_lines(
    items: Sequence[PDTahun], triwulan: int, pengaturan: Pengaturan, tingkat: tuple[str, ...]
) -> dict[int, Evaluasi | tuple[Baris, ...]]:
    """Return each PD's lines of these levels at a quarter by Renja id: a verified quarter's whole
    recorded evaluation, every other's lines from the stored rows. A Renja whose rows moved since
    they were refreshed (a write in between) is evaluated instead, and logged."""
    verified = [
        pd.renja.pk
        for pd in items
        if pd.renja is not None and pd.status_of(triwulan) == LaporanTriwulan.Status.DIVERIFIKASI
    ]
    recorded, unreadable = snapshot.verified_records(verified, triwulan)
    if unreadable:  # an official form never shows other figures in place of the accepted ones
        raise next(iter(unreadable.values()))
    found: dict[int, Evaluasi | tuple[Baris, ...]] = {
        renja_id: evaluasi for (renja_id, _), evaluasi in recorded.items()
    }
    rest = [pd.renja.pk for pd in items if pd.renja is not None and pd.renja.pk not in found]
    found.update(baris_tersimpan.lines_from_rows(rest, triwulan, tingkat))
    missing = [pd.renja for pd in items if pd.renja is not None and pd.renja.pk not in found]
    if missing:
        logger.warning("baris tersimpan Renja %s tak cocok: dievaluasi", [r.pk for r in missing])
        loaded = load_renja(missing)
        for renja in missing:
            found[renja.pk] = evaluate(loaded[renja.pk].core, triwulan, pengaturan)
    return found


def _baris(found: Evaluasi | tuple[Baris, ...]) -> tuple[Baris, ...]:
    return found.baris if isinstance(found, Evaluasi) else found


def _with_figures(pd: PDTahun) -> bool:
    return pd.renja is not None and pd.angka is not None


def e79_report(data: PemdaTahun, triwulan: int, kertas: str = Kertas.F4) -> Laporan:
    """Return the pemda's consolidated evaluation (Formulir E.79 style), read from stored rows."""
    from monev.io.report.konsolidasi import build_konsolidasi_from_lines

    items = [pd for pd in data.pd if _with_figures(pd)]
    # The pemda's evaluation is a draft while any PD's quarter in it is.
    konteks = dataclasses.replace(
        konteks_pemda(data.pemda, data.tahun, kertas),
        draf=any(pd.status_of(triwulan) != LaporanTriwulan.Status.DIVERIFIKASI for pd in items),
    )
    found = read_lines(items, triwulan, data.pengaturan, baris_tersimpan.TINGKAT_E79)
    return build_konsolidasi_from_lines(
        dashboard.consolidation(data, triwulan),
        {pd.renja.pk: _baris(found[pd.renja.pk]) for pd in items if pd.renja is not None},
        triwulan,
        konteks,
    )


def e79_file(data: PemdaTahun, triwulan: int, fmt: str, kertas: str = Kertas.F4) -> Berkas:
    """Return the pemda's consolidated evaluation as XLSX or PDF, read from stored rows."""
    laporan = e79_report(data, triwulan, kertas)
    konteks = KonteksLaporan(kertas=laporan.kertas, draf=laporan.draf)
    nama = file_name(
        "evaluasi-rkpd", data.pemda.nama, data.tahun, f"tw{triwulan}", *printed(konteks), fmt=fmt
    )
    return laporan_file(laporan, fmt, nama)


def workbook_file(data: PemdaTahun, triwulan: int) -> Berkas:
    """Return the workbook of the pemda: a summary sheet, then every PD's E.81 on its own sheet,
    read from stored rows (a verified quarter from its record)."""
    from monev.io.report.xlsx_pemda import render_pemda_xlsx

    pds = [pd for pd in data.pd if _with_figures(pd)]
    found = read_lines(pds, triwulan, data.pengaturan, baris_tersimpan.SEMUA_TINGKAT)
    items: list[tuple[KonteksLaporan, Evaluasi]] = []
    temuan: list[int] = []
    for pd in pds:
        assert pd.renja is not None and pd.angka is not None
        draf = pd.status_of(triwulan) != LaporanTriwulan.Status.DIVERIFIKASI
        konteks = dataclasses.replace(konteks_pd(pd.perangkat_daerah, data.tahun), draf=draf)
        read = found[pd.renja.pk]
        if isinstance(read, Evaluasi):
            items.append((konteks, read))
            temuan.append(len(read.pemeriksaan))
            continue
        figures = pd.angka.at(triwulan)
        # Read back without its checks: the sheet prints the lines and the footer, the summary
        # the number of findings, stored with the figures.
        evaluasi = Evaluasi(
            renja=core.Renja((), perangkat_daerah=konteks.perangkat_daerah, tahun=data.tahun),
            triwulan=triwulan,
            pengaturan=data.pengaturan,
            baris=read,
            ringkasan=figures.ringkasan,
            pemeriksaan=(),
            rp={},
        )
        items.append((konteks, evaluasi))
        temuan.append(figures.jumlah_pemeriksaan)
    buffer = io.BytesIO()
    render_pemda_xlsx(items, buffer, jumlah_pemeriksaan=temuan)
    nama = file_name("evaluasi-pd", data.pemda.nama, data.tahun, f"tw{triwulan}", fmt="xlsx")
    return Berkas(buffer.getvalue(), CONTENT_TYPES["xlsx"], nama)
