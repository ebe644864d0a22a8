"""Open data: the accepted evaluations, without signing in, as JSON and CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import http_date
from ninja import Path, Query, Schema
from ninja.errors import HttpError

from monev.io import excel_csv
from monev.io.tabular import csv_rows, evaluation_json, safe_cell
from monev.pemda import selectors, terbuka_baris
from monev.pemda.api.base import (
    MAX_ID,
    EvaluasiOut,
    Galat,
    GalatIsian,
    amount_text,
    api,
    pct_text,
)
from monev.web import snapshot
from monev.web.models import LaporanTriwulan, Pemda, Renja
from monev.web.pengaturan import pengaturan_of


class TerbukaOut(Schema):
    pemda: str
    kode_perangkat_daerah: str
    perangkat_daerah: str
    renja_id: int
    tahun: int
    triwulan: int
    rata_rata_capaian_k: str | None
    predikat_k: str | None
    pagu: str | None
    realisasi_rp: str | None
    persen_realisasi_rp: str | None
    predikat_rp: str | None


def _open_items(tahun: int | None, triwulan: int | None) -> list[TerbukaOut]:
    reports = selectors.verified(tahun, triwulan)
    renja = {r.renja.pk: r.renja for r in reports}
    figures: dict[int, Any] = {}
    by_pemda: dict[int, list[Renja]] = {}
    for r in renja.values():
        by_pemda.setdefault(r.perangkat_daerah.pemda_id, []).append(r)
    for items in by_pemda.values():
        pemda = items[0].perangkat_daerah.pemda
        figures.update(selectors.figures_of(items, pengaturan_of(pemda)))
    out = []
    for report in reports:
        r = report.renja
        ringkasan = figures[r.pk].at(report.triwulan).ringkasan
        out.append(
            TerbukaOut(
                pemda=r.perangkat_daerah.pemda.nama,
                kode_perangkat_daerah=r.perangkat_daerah.kode,
                perangkat_daerah=r.perangkat_daerah.nama,
                renja_id=r.pk,
                tahun=r.tahun,
                triwulan=report.triwulan,
                rata_rata_capaian_k=pct_text(ringkasan.rata_rata_capaian_k),
                predikat_k=ringkasan.predikat_k,
                pagu=amount_text(ringkasan.pagu),
                realisasi_rp=amount_text(ringkasan.realisasi_rp),
                persen_realisasi_rp=pct_text(ringkasan.persen_realisasi_rp),
                predikat_rp=ringkasan.predikat_rp,
            )
        )
    return out


@api.get(
    "/terbuka/evaluasi",
    response={200: list[TerbukaOut], 422: GalatIsian},
    auth=None,
    summary="Data terbuka: ringkasan evaluasi yang sudah diverifikasi Bappeda",
    description="Tanpa masuk. Hanya triwulan berstatus diverifikasi.",
)
def terbuka_list(
    request: HttpRequest,
    tahun: int | None = Query(None, ge=1900, le=2200),
    triwulan: int | None = Query(None, ge=1, le=4),
) -> Any:
    return _open_items(tahun, triwulan)


CSV_RESPONSE = {
    "responses": {
        "200": {
            "description": "CSV (UTF-8, dipisah koma, titik desimal); dengan excel=true: "
            "dipisah titik koma, koma desimal, dengan BOM",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        "422": {
            "description": "Parameter tidak sah",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
    }
}


#: `?excel=true`: the same rows for Excel set to Indonesian; the default stays machine CSV.
EXCEL = Query(
    False,
    description="true: untuk Excel berbahasa Indonesia (dipisah titik koma, koma desimal, BOM); "
    "bawaan: CSV mesin (dipisah koma, titik desimal).",
)
_PERSEN = {"rata_rata_capaian_k", "persen_realisasi_rp"}


def _csv(rows: list[list[Any]], filename: str, excel: bool = False) -> HttpResponse:
    if excel:
        response = HttpResponse(excel_csv.render(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@api.get(
    "/terbuka/evaluasi.csv",
    auth=None,
    summary="Data terbuka dalam CSV: ringkasan evaluasi yang sudah diverifikasi",
    openapi_extra=CSV_RESPONSE,
)
def terbuka_csv(
    request: HttpRequest,
    tahun: int | None = Query(None, ge=1900, le=2200),
    triwulan: int | None = Query(None, ge=1, le=4),
    excel: bool = EXCEL,
) -> HttpResponse:
    items = _open_items(tahun, triwulan)
    fields = list(TerbukaOut.model_fields)
    text_fields = {"pemda", "kode_perangkat_daerah", "perangkat_daerah"}
    numbers = {"pagu", "realisasi_rp", *_PERSEN}

    def cell(name: str, value: Any) -> Any:
        if name in text_fields:
            return safe_cell(value)
        if value is None:
            return ""
        if excel and name in numbers:
            number = Decimal(value)
            return excel_csv.persen(number) if name in _PERSEN else excel_csv.angka(number)
        return value

    rows: list[list[Any]] = [fields]
    for item in items:
        values = item.model_dump()
        rows.append([cell(f, values[f]) for f in fields])
    return _csv(rows, "evaluasi-terverifikasi.csv", excel)


def _verified_renja(renja_id: int, triwulan: int) -> Renja:
    report = (
        LaporanTriwulan.objects.filter(
            renja_id=renja_id, triwulan=triwulan, status=LaporanTriwulan.Status.DIVERIFIKASI
        )
        .select_related("renja__perangkat_daerah__pemda")
        .first()
    )
    if report is None:
        raise Http404
    return report.renja


@api.get(
    "/terbuka/evaluasi/{renja_id}/{triwulan}",
    response={200: EvaluasiOut, 404: Galat, 422: GalatIsian},
    auth=None,
    summary="Data terbuka: evaluasi lengkap satu Perangkat Daerah pada triwulan terverifikasi",
)
def terbuka_detail(
    request: HttpRequest,
    renja_id: int = Path(..., ge=1, le=MAX_ID),
    triwulan: int = Path(..., ge=1, le=4),
) -> Any:
    renja = _verified_renja(renja_id, triwulan)
    return evaluation_json(snapshot.evaluasi_of(renja, triwulan))  # as accepted


@api.get(
    "/terbuka/evaluasi/{renja_id}/{triwulan}/csv",
    auth=None,
    summary="Data terbuka dalam CSV: evaluasi lengkap satu Perangkat Daerah (kolom formulir)",
    openapi_extra={
        "responses": {**CSV_RESPONSE["responses"], "404": {"description": "Tidak ditemukan"}}
    },
)
def terbuka_detail_csv(
    request: HttpRequest,
    renja_id: int = Path(..., ge=1, le=MAX_ID),
    triwulan: int = Path(..., ge=1, le=4),
    excel: bool = EXCEL,
) -> HttpResponse:
    renja = _verified_renja(renja_id, triwulan)
    evaluasi = snapshot.evaluasi_of(renja, triwulan)  # as accepted
    rows = list(
        csv_rows(evaluasi, num=excel_csv.angka, pct=excel_csv.persen)
        if excel
        else csv_rows(evaluasi)
    )
    name = f"evaluasi-{renja.perangkat_daerah.kode}-{renja.tahun}-tw{triwulan}.csv"
    return _csv(rows, name, excel)


# --- Between servers: the verified rows of a pemda, for a province's monev to pull -------------


class PemdaTerbukaOut(Schema):
    id: int
    nama: str
    jenis: str


@api.get(
    "/terbuka/pemda",
    response={200: list[PemdaTerbukaOut]},
    auth=None,
    summary="Data terbuka: pemda yang datanya dilayani server ini",
    description="Tanpa masuk. Identitas pemda untuk server lain yang menarik datanya.",
)
def terbuka_pemda(request: HttpRequest) -> Any:
    return [
        PemdaTerbukaOut(id=p.pk, nama=p.nama, jenis=p.jenis) for p in terbuka_baris.open_pemda()
    ]


class TriwulanPDOut(Schema):
    kode_perangkat_daerah: str
    perangkat_daerah: str
    tahun: int
    triwulan: int
    versi: str
    tanda: str  # changes when the quarter is verified again
    diverifikasi: str  # when its record was taken (ISO 8601)
    angka: dict[str, Any]  # its rows: one per node, one per indicator line (monev.pemda.angka)


class BarisTerbukaOut(Schema):
    format: str
    pemda: PemdaTerbukaOut
    tahun: int | None
    triwulan: int | None
    tanda: str  # a mark of the whole listing (every page): changes when anything in it does
    halaman: int
    jumlah_halaman: int
    jumlah: int  # PD quarters in the whole listing
    triwulan_pd: list[TriwulanPDOut]


@api.get(
    "/terbuka/pemda/{pemda_id}/baris",
    response={200: BarisTerbukaOut, 404: Galat, 422: GalatIsian},
    auth=None,
    summary="Data terbuka: baris evaluasi terverifikasi sebuah pemda, per triwulan PD",
    description=(
        "Tanpa masuk. Setiap butir: satu triwulan terverifikasi sebuah Perangkat Daerah (Renja "
        "yang berlaku) dengan angkanya: satu baris per simpul (anggaran) dan satu per baris "
        "indikator (kinerja), persis seperti saat diverifikasi; angka sebagai teks desimal. "
        f"Urutan tetap (tahun, kode PD, triwulan), {terbuka_baris.PER_HALAMAN} "
        "butir per halaman. Jawaban membawa ETag dan Last-Modified; kirim ETag itu sebagai "
        "If-None-Match: bila tidak ada yang berubah, jawabannya 304 tanpa isi."
    ),
    openapi_extra={"responses": {"304": {"description": "Tidak ada yang berubah sejak ETag itu"}}},
)
def terbuka_baris_list(
    request: HttpRequest,
    response: HttpResponse,
    pemda_id: int = Path(..., ge=1, le=MAX_ID),
    tahun: int | None = Query(None, ge=1900, le=2200),
    triwulan: int | None = Query(None, ge=1, le=4),
    halaman: int = Query(1, ge=1, le=1_000_000),
) -> Any:
    pemda = Pemda.objects.filter(pk=pemda_id).first()
    if pemda is None:
        raise HttpError(404, f"Pemda dengan ID {pemda_id} tidak ada di server ini.")
    items = terbuka_baris.verified_quarters(pemda, tahun)
    if triwulan is not None:
        items = [t for t in items if t.triwulan == triwulan]
    per = terbuka_baris.PER_HALAMAN
    pages = max(1, -(-len(items) // per))
    if halaman > pages:
        raise HttpError(404, f"Halaman {halaman} tidak ada; jumlah halaman {pages}.")
    mark = terbuka_baris.change_mark(pemda, items)
    etag = f'"{mark}-{halaman}"'
    shown = items[(halaman - 1) * per : halaman * per]
    if request.headers.get("If-None-Match", "") == etag:
        not_modified = HttpResponse(status=304)
        not_modified["ETag"] = etag
        return not_modified
    response["ETag"] = etag
    if items:
        response["Last-Modified"] = http_date(max(t.diverifikasi for t in items).timestamp())
    return BarisTerbukaOut(
        format=terbuka_baris.FORMAT,
        pemda=PemdaTerbukaOut(id=pemda.pk, nama=pemda.nama, jenis=pemda.jenis),
        tahun=tahun,
        triwulan=triwulan,
        tanda=mark,
        halaman=halaman,
        jumlah_halaman=pages,
        jumlah=len(items),
        triwulan_pd=terbuka_baris.rows_of(shown),
    )
