"""The HTTP API (django-ninja), described in OpenAPI at /pemda/api/openapi.json.

- Reads (pemda, PDs, Renja, indicators, evaluations) with a personal token (`Authorization:
  Bearer monev_…`) or the signed-in session, under the same roles as the pages
  (`monev.web.access`): an operator reads their own PD only.
- Writes of realisations with a token only, through `monev.web.services`, so that every role,
  entry window and lock of the quarterly cycle applies, and every change is recorded.
- Open data: the accepted (`diverifikasi`) evaluations, without signing in, as JSON and CSV.

Numbers are decimal strings (per cents with two decimals, half up), as in `monev evaluasi
--format json`; evaluations are that same document (`monev.io.tabular.evaluation_json`).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.security import HttpBearer, django_auth

from monev.core.evaluation import evaluate
from monev.core.numbers import decimal_text
from monev.io.tabular import csv_rows, evaluation_json, safe_cell
from monev.pemda import dashboard, selectors
from monev.pemda.services import token_user
from monev.web import access, services
from monev.web.access import Peran
from monev.web.models import Indikator, LaporanTriwulan, Renja, Simpul

try:  # the quarterly cycle's refusals (closed window, locked quarter, stale value)
    from monev.web.siklus import Ditolak
except ImportError:  # pragma: no cover - before the cycle exists

    class Ditolak(Exception):  # type: ignore[no-redef]
        pass


MAX_ID = 2**63 - 1
PEMDA_ROLES = (Peran.ADMIN, Peran.VERIFIKATOR, Peran.PIMPINAN)


class TokenAuth(HttpBearer):
    """A personal token made on /pemda/token/, sent as `Authorization: Bearer monev_…`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return token_user(token)


token_auth = TokenAuth()
READ_AUTH = [token_auth, django_auth]

api = NinjaAPI(
    title="monev API",
    version="1",
    description="Baca data pemda, Perangkat Daerah, Renja, indikator, dan evaluasi; tulis "
    "realisasi dengan token pribadi; data terbuka evaluasi yang sudah diverifikasi.",
    # Mounted by monev.pemda.urls inside the app's "pemda" namespace, as "api".
    urls_namespace="pemda:api",
    docs_url=None,
    # Served by monev.pemda.views.openapi (GET only, like every read of the app).
    openapi_url=None,
)


# -- errors as JSON -----------------------------------------------------------------------------


class Galat(Schema):
    detail: str


class GalatIsian(Schema):
    """A refused input: our own message, or the list of fields the description does not allow."""

    detail: str | list[dict[str, Any]]


ERRORS: dict[int, Any] = {401: Galat, 403: Galat, 404: Galat, 422: GalatIsian}


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Tidak berwenang."}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Tidak ditemukan."}, status=404)


@api.exception_handler(Ditolak)
def _refused(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": "; ".join(exc.messages)}, status=422)


def _pct(value: Decimal | None) -> str | None:
    return decimal_text(value, 2)


def _num(value: Decimal | None) -> str | None:
    """Return an amount in machine form without the zeros the database pads it with."""
    return decimal_text(value.normalize()) if value is not None else None


def _visible_renja(request: HttpRequest, renja_id: int) -> Renja:
    return access.renja_for(request.auth, renja_id)


# -- reads --------------------------------------------------------------------------------------


class PemdaOut(Schema):
    id: int
    nama: str
    jenis: str


class PerangkatDaerahOut(Schema):
    id: int
    pemda_id: int
    kode: str
    nama: str


class RenjaOut(Schema):
    id: int
    perangkat_daerah_id: int
    perangkat_daerah: str
    tahun: int
    versi: str
    berlaku: bool


def _renja_out(r: Renja) -> RenjaOut:
    return RenjaOut(
        id=r.pk,
        perangkat_daerah_id=r.perangkat_daerah_id,
        perangkat_daerah=r.perangkat_daerah.nama,
        tahun=r.tahun,
        versi=r.versi,
        berlaku=r.berlaku,
    )


@api.get(
    "/pemda",
    response={200: list[PemdaOut], **ERRORS},
    auth=READ_AUTH,
    summary="Daftar pemda yang terlihat oleh pengguna",
)
def pemda_list(request: HttpRequest) -> Any:
    pds = access.visible_pd(request.auth).select_related("pemda")
    seen = {pd.pemda.pk: pd.pemda for pd in pds}
    return [PemdaOut(id=p.pk, nama=p.nama, jenis=p.jenis) for p in seen.values()]


@api.get(
    "/perangkat-daerah",
    response={200: list[PerangkatDaerahOut], **ERRORS},
    auth=READ_AUTH,
    summary="Daftar Perangkat Daerah yang terlihat oleh pengguna",
)
def perangkat_daerah_list(request: HttpRequest) -> Any:
    return [
        PerangkatDaerahOut(id=pd.pk, pemda_id=pd.pemda_id, kode=pd.kode, nama=pd.nama)
        for pd in access.visible_pd(request.auth).order_by("kode")
    ]


@api.get(
    "/renja",
    response={200: list[RenjaOut], **ERRORS},
    auth=READ_AUTH,
    summary="Daftar Renja yang terlihat oleh pengguna, menurut tahun bila diminta",
)
def renja_list(request: HttpRequest, tahun: int | None = Query(None, ge=1900, le=2200)) -> Any:
    found = access.visible_renja(request.auth).select_related("perangkat_daerah")
    if tahun is not None:
        found = found.filter(tahun=tahun)
    return [_renja_out(r) for r in found.order_by("perangkat_daerah__kode", "-tahun", "versi")]


class SimpulOut(Schema):
    id: int
    induk_id: int | None
    kode: str
    tingkat: str
    nama: str
    pagu: str | None
    realisasi_rp: list[str | None]  # TW I–IV as entered
    rencana_rp: list[str | None] | None  # the withdrawal plan, when entered


class RenjaDetail(RenjaOut):
    simpul: list[SimpulOut]


@api.get(
    "/renja/{renja_id}",
    response={200: RenjaDetail, **ERRORS},
    auth=READ_AUTH,
    summary="Satu Renja: program, kegiatan, dan sub kegiatan dengan pagu dan realisasi Rp",
)
def renja_detail(request: HttpRequest, renja_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    renja = _visible_renja(request, renja_id)
    data = selectors.load_renja([renja])[renja.pk]
    simpul = dict(Simpul.objects.filter(renja=renja).values_list("id", "induk_id"))
    out = _renja_out(renja).model_dump()
    out["simpul"] = [
        SimpulOut(
            id=node.ref,
            induk_id=simpul.get(node.ref),
            kode=node.kode,
            tingkat=node.tingkat.value,
            nama=node.nama,
            pagu=_num(node.pagu),
            realisasi_rp=[_num(v) for v in node.triwulan_rp],
            rencana_rp=[_num(v) for v in data.rencana_rp[node.ref]]
            if node.ref in data.rencana_rp
            else None,
        )
        for node in data.core.nodes
    ]
    return out


class IndikatorOut(Schema):
    id: int
    simpul_id: int
    kode: str
    teks: str
    satuan: str
    polaritas: str
    agregasi: str
    target: str | None
    realisasi: list[str | None]  # TW I–IV as entered
    rencana: list[str | None] | None  # the quarterly plan, when entered


@api.get(
    "/renja/{renja_id}/indikator",
    response={200: list[IndikatorOut], **ERRORS},
    auth=READ_AUTH,
    summary="Indikator sebuah Renja dengan target, realisasi, dan rencana triwulan",
)
def indikator_list(request: HttpRequest, renja_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    renja = _visible_renja(request, renja_id)
    data = selectors.load_renja([renja])[renja.pk]
    return [
        IndikatorOut(
            id=item.ref,
            simpul_id=node.ref,
            kode=node.kode,
            teks=item.teks,
            satuan=item.satuan,
            polaritas=item.polaritas.value,
            agregasi=item.agregasi.value,
            target=_num(item.target),
            realisasi=[_num(v) for v in item.triwulan],
            rencana=[_num(v) for v in data.rencana_k[item.ref]]
            if item.ref in data.rencana_k
            else None,
        )
        for node, item in data.core.indikator_lines()
    ]


class EvaluasiOut(Schema):
    """The document of `monev evaluasi --format json` (see the README)."""

    triwulan: int
    baris: list[dict[str, Any]]
    ringkasan: dict[str, Any]
    pemeriksaan: list[dict[str, Any]]


@api.get(
    "/renja/{renja_id}/evaluasi",
    response={200: EvaluasiOut, **ERRORS},
    auth=READ_AUTH,
    summary="Evaluasi (Formulir E.81) sebuah Renja sampai triwulan tertentu",
    description="Tanpa `triwulan`: sampai triwulan terakhir yang berisi data.",
)
def renja_evaluasi(
    request: HttpRequest,
    renja_id: int = Path(..., ge=1, le=MAX_ID),
    triwulan: int | None = Query(None, ge=1, le=4),
) -> Any:
    renja = _visible_renja(request, renja_id)
    data = selectors.load_renja([renja])[renja.pk]
    pengaturan = selectors.pengaturan_of(renja.perangkat_daerah.pemda)
    return evaluation_json(evaluate(data.core, triwulan, pengaturan))


class RekapOut(Schema):
    perangkat_daerah_id: int
    kode: str
    perangkat_daerah: str
    renja_id: int | None
    status: str
    peringkat: int | None
    rata_rata_capaian_k: str | None
    predikat_k: str | None
    perubahan_k: str | None
    pagu: str | None
    realisasi_rp: str | None
    persen_realisasi_rp: str | None
    predikat_rp: str | None
    perubahan_rp: str | None
    proyeksi_capaian_k: str | None
    proyeksi_persen_rp: str | None
    peringatan: list[str]


class RekapPemdaOut(Schema):
    pemda: str
    tahun: int
    triwulan: int
    perangkat_daerah: list[RekapOut]


@api.get(
    "/rekap",
    response={200: RekapPemdaOut, **ERRORS},
    auth=READ_AUTH,
    summary="Rekap pemda per Perangkat Daerah (dasbor): status, capaian, serapan, proyeksi",
    description="Hanya untuk Bappeda dan pimpinan.",
)
def rekap(
    request: HttpRequest,
    tahun: int | None = Query(None, ge=1900, le=2200),
    triwulan: int | None = Query(None, ge=1, le=4),
    pemda_id: int | None = Query(None, ge=1, le=MAX_ID),
) -> Any:
    if access.peran(request.auth) not in PEMDA_ROLES:
        raise PermissionDenied("Hanya Bappeda dan pimpinan yang dapat membaca rekap pemda.")
    pemda_list = selectors.pemda_list()
    pemda = next((p for p in pemda_list if p.pk == pemda_id), None)
    if pemda is None and pemda_id is not None:
        raise Http404
    pemda = pemda or (pemda_list[0] if pemda_list else None)
    years = selectors.years_of(pemda) if pemda else []
    if pemda is None or not years:
        raise Http404
    data = selectors.pemda_year(pemda, tahun if tahun in years else years[0])
    tw = triwulan or data.default_triwulan()
    rows = dashboard.rows_of(data, tw)
    return RekapPemdaOut(
        pemda=pemda.nama,
        tahun=data.tahun,
        triwulan=tw,
        perangkat_daerah=[
            RekapOut(
                perangkat_daerah_id=r.pd.perangkat_daerah.pk,
                kode=r.kode,
                perangkat_daerah=r.nama,
                renja_id=r.renja.pk if r.renja else None,
                status=r.status,
                peringkat=r.peringkat,
                rata_rata_capaian_k=_pct(r.capaian_k),
                predikat_k=r.predikat_k,
                perubahan_k=_pct(r.perubahan_k),
                pagu=_num(r.angka.ringkasan.pagu) if r.angka else None,
                realisasi_rp=_num(r.angka.ringkasan.realisasi_rp) if r.angka else None,
                persen_realisasi_rp=_pct(r.persen_rp),
                predikat_rp=r.predikat_rp,
                perubahan_rp=_pct(r.perubahan_rp),
                proyeksi_capaian_k=_pct(r.proyeksi_k),
                proyeksi_persen_rp=_pct(r.proyeksi_rp),
                peringatan=list(r.alasan),
            )
            for r in rows
        ],
    )


# -- writes -------------------------------------------------------------------------------------


K_PATTERN = r"^-?\d{1,16}(\.\d{1,4})?$"
RP_PATTERN = r"^-?\d{1,16}(\.\d{1,2})?$"


class RealisasiKIn(Schema):
    """A quarter's realisation in machine form (`1234.5`, at most four decimals); null clears it."""

    nilai: str | None = Field(..., pattern=K_PATTERN, examples=["37.5"])


class RealisasiRpIn(Schema):
    """A quarter's budget realisation in rupiah (`1250000.50`); null clears it."""

    nilai: str | None = Field(..., pattern=RP_PATTERN, examples=["1250000.50"])


class RealisasiKOut(Schema):
    indikator_id: int
    triwulan: int
    nilai: str | None


class RealisasiRpOut(Schema):
    simpul_id: int
    triwulan: int
    nilai: str | None


def _parse(text: str | None) -> Decimal | None:
    """Return the value of a checked machine-form number (the description's pattern)."""
    return None if text is None else Decimal(text)


WRITE_ERRORS = {**ERRORS, 400: GalatIsian, 409: Galat}


@api.put(
    "/indikator/{indikator_id}/realisasi/{triwulan}",
    response={200: RealisasiKOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Tulis realisasi kinerja (K) satu indikator pada satu triwulan",
    description="Dengan token pribadi. Aturan peran, jendela entri, dan kunci triwulan berlaku "
    "seperti di halaman entri (409 bila ditolak siklus triwulan).",
)
def realisasi_k_put(
    request: HttpRequest,
    body: RealisasiKIn,
    indikator_id: int = Path(..., ge=1, le=MAX_ID),
    triwulan: int = Path(..., ge=1, le=4),
) -> Any:
    indikator = get_object_or_404(
        Indikator.objects.select_related("simpul__renja__perangkat_daerah"),
        pk=indikator_id,
        simpul__renja__in=access.visible_renja(request.auth),
    )
    nilai = _parse(body.nilai)
    row = services.realisasi_k_update(
        user=request.auth, indikator=indikator, triwulan=triwulan, nilai=nilai
    )
    return RealisasiKOut(indikator_id=indikator.pk, triwulan=triwulan, nilai=_num(row.nilai))


@api.put(
    "/simpul/{simpul_id}/realisasi/{triwulan}",
    response={200: RealisasiRpOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Tulis realisasi anggaran (Rp) satu sub kegiatan pada satu triwulan",
    description="Dengan token pribadi; aturan yang sama dengan realisasi kinerja.",
)
def realisasi_rp_put(
    request: HttpRequest,
    body: RealisasiRpIn,
    simpul_id: int = Path(..., ge=1, le=MAX_ID),
    triwulan: int = Path(..., ge=1, le=4),
) -> Any:
    simpul = get_object_or_404(
        Simpul.objects.select_related("renja__perangkat_daerah"),
        pk=simpul_id,
        renja__in=access.visible_renja(request.auth),
    )
    nilai = _parse(body.nilai)
    row = services.realisasi_rp_update(
        user=request.auth, simpul=simpul, triwulan=triwulan, nilai=nilai
    )
    return RealisasiRpOut(simpul_id=simpul.pk, triwulan=triwulan, nilai=_num(row.nilai))


# -- open data ----------------------------------------------------------------------------------


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
        figures.update(selectors.figures_of(items, selectors.pengaturan_of(pemda)))
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
                rata_rata_capaian_k=_pct(ringkasan.rata_rata_capaian_k),
                predikat_k=ringkasan.predikat_k,
                pagu=_num(ringkasan.pagu),
                realisasi_rp=_num(ringkasan.realisasi_rp),
                persen_realisasi_rp=_pct(ringkasan.persen_realisasi_rp),
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
            "description": "CSV (UTF-8, dipisah koma)",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        "422": {
            "description": "Parameter tidak sah",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
    }
}


def _csv(rows: list[list[Any]], filename: str) -> HttpResponse:
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
) -> HttpResponse:
    items = _open_items(tahun, triwulan)
    fields = list(TerbukaOut.model_fields)
    text_fields = {"pemda", "kode_perangkat_daerah", "perangkat_daerah"}
    rows: list[list[Any]] = [fields]
    for item in items:
        values = item.model_dump()
        rows.append(
            [
                safe_cell(values[f])
                if f in text_fields
                else ("" if values[f] is None else values[f])
                for f in fields
            ]
        )
    return _csv(rows, "evaluasi-terverifikasi.csv")


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
    data = selectors.load_renja([renja])[renja.pk]
    pengaturan = selectors.pengaturan_of(renja.perangkat_daerah.pemda)
    return evaluation_json(evaluate(data.core, triwulan, pengaturan))


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
) -> HttpResponse:
    renja = _verified_renja(renja_id, triwulan)
    data = selectors.load_renja([renja])[renja.pk]
    pengaturan = selectors.pengaturan_of(renja.perangkat_daerah.pemda)
    rows = list(csv_rows(evaluate(data.core, triwulan, pengaturan)))
    return _csv(rows, f"evaluasi-{renja.perangkat_daerah.kode}-{renja.tahun}-tw{triwulan}.csv")
