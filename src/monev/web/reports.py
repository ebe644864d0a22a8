"""The official report files of a stored Renja: the engine's evaluation, the context the database
holds (names, narrative, signatures), rendered by monev.io.report (nothing is computed here)."""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone

from monev.core.evaluation import Evaluasi
from monev.io import tabular
from monev.io.report.context import Kertas, KonteksLaporan, Penandatangan, TataLetak
from monev.io.report.model import Laporan
from monev.web.models import LaporanTriwulan, Pemda, PerangkatDaerah, Renja
from monev.web.selectors import laporan_of

BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def tanggal_indonesia(date: object = None) -> str:
    d = date or timezone.localdate()
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"  # type: ignore[attr-defined]


def kepala_pd_of(pd: PerangkatDaerah) -> Penandatangan:
    return Penandatangan(pd.kepala_jabatan, pd.kepala_nama, pd.kepala_nip)


def kepala_bappeda_of(pemda: Pemda) -> Penandatangan:
    return Penandatangan(
        pemda.kepala_bappeda_jabatan, pemda.kepala_bappeda_nama, pemda.kepala_bappeda_nip
    )


def konteks_pd(pd: PerangkatDaerah, tahun: int, kertas: str = Kertas.F4) -> KonteksLaporan:
    """Return a PD's report context without a quarter's narrative: names, year, signatures."""
    pemda = pd.pemda
    return KonteksLaporan(
        perangkat_daerah=pd.nama,
        pemda=pemda.nama,
        tahun=tahun,
        tempat=pemda.tempat_tanda_tangan,
        tanggal=tanggal_indonesia(),
        kepala_pd=kepala_pd_of(pd),
        kepala_bappeda=kepala_bappeda_of(pemda),
        kertas=Kertas(kertas),
    )


def konteks_laporan(renja: Renja, triwulan: int, kertas: str = Kertas.F4) -> KonteksLaporan:
    """Return the report context of a stored Renja and quarter (2 queries)."""
    laporan = laporan_of(renja, triwulan)
    return dataclasses.replace(
        konteks_pd(renja.perangkat_daerah, renja.tahun, kertas),
        faktor_pendorong=laporan.faktor_pendorong,
        faktor_penghambat=laporan.faktor_penghambat,
        tindak_lanjut_triwulan=laporan.tindak_lanjut_triwulan,
        tindak_lanjut_renja=laporan.tindak_lanjut_renja,
        draf=laporan.status != LaporanTriwulan.Status.DIVERIFIKASI,
    )


@dataclass(frozen=True)
class Berkas:
    data: bytes
    content_type: str
    nama: str

    def response(self) -> HttpResponse:
        """Return the file as a download."""
        response = HttpResponse(self.data, content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.nama}"'
        return response


def file_name(*parts: object, fmt: str) -> str:
    """Return a download's name from its parts: lower case letters, digits and dashes only."""
    name = "-".join(str(part) for part in parts).lower()
    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in name).strip("-")
    return f"{name}.{fmt}"


def printed(konteks: KonteksLaporan) -> tuple[str, ...]:
    """Return what a printed file's name says beside its subject: the paper (an F4 and an A4
    file of the same report are two files) and, for an unverified quarter, `draf`."""
    return (konteks.kertas.value, "draf") if konteks.draf else (konteks.kertas.value,)


def laporan_file(laporan: Laporan, fmt: str, nama: str) -> Berkas:
    """Return a report model rendered as XLSX or PDF."""
    buffer = io.BytesIO()
    if fmt == "xlsx":
        from monev.io.report.xlsx import render_xlsx

        render_xlsx(laporan, buffer)
    elif fmt == "pdf":
        from monev.io.report.pdf import render_pdf

        render_pdf(laporan, buffer)
    else:
        raise ValueError(fmt)
    return Berkas(buffer.getvalue(), CONTENT_TYPES[fmt], nama)


def with_versi(laporan: Laporan, versi: str) -> Laporan:
    """Return the report with the Renja version it evaluates on its year's title line (the title
    block has a fixed number of lines), e.g. "Renja Perubahan (berlaku mulai TW III)"."""
    if not versi:
        return laporan
    judul = tuple(
        f"{line} · {versi}" if line.startswith("Periode Pelaksanaan") else line
        for line in laporan.judul
    )
    return dataclasses.replace(laporan, judul=judul)


def render_file(
    evaluasi: Evaluasi,
    konteks: KonteksLaporan,
    fmt: str,
    tata_letak: str = TataLetak.E81,
    versi: str = "",
) -> Berkas:
    """Return the report file in a format: xlsx, pdf, csv or json (`versi`: the Renja version
    for the title, when the year has a perubahan)."""
    from monev.io.report.model import build_report

    parts = ["evaluasi", konteks.perangkat_daerah, konteks.tahun, f"tw{evaluasi.triwulan}"]
    if fmt == "csv":
        # For Excel set to Indonesian (`;`, decimal comma, BOM), where a page's user opens it.
        data = tabular.render_csv_excel(evaluasi).encode("utf-8")
    elif fmt == "json":
        data = tabular.render_json(evaluasi).encode("utf-8")
    elif fmt in ("xlsx", "pdf"):
        report = with_versi(build_report(evaluasi, konteks, TataLetak(tata_letak)), versi)
        return laporan_file(report, fmt, file_name(*parts, tata_letak, *printed(konteks), fmt=fmt))
    else:
        raise ValueError(fmt)
    return Berkas(data, CONTENT_TYPES[fmt], file_name(*parts, fmt=fmt))
