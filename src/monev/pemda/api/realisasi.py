"""Writes of realisations with a personal token, through the services (every window, lock and record applies).

Every write carries the version of the value it replaces, as the entry page's cells do: the
body's `versi` or an `If-Match` header with the value's ETag (from the GET of the same URL, or
from the previous write's answer). A write without one, or with another, is refused with 409
and the value stored now, so that nobody overwrites another person's value unseen.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from annotated_types import Ge, Le
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Schema
from pydantic import BeforeValidator

from monev.pemda.api.base import (
    ERRORS,
    MAX_ID,
    READ_AUTH,
    Galat,
    GalatIsian,
    amount_text,
    api,
    token_auth,
)
from monev.web import access, services, siklus
from monev.web.models import Indikator, RealisasiK, RealisasiRp, Simpul

K_PATTERN = r"^-?\d{1,16}(\.\d{1,4})?$"


RP_PATTERN = r"^-?\d{1,16}(\.\d{1,2})?$"


def _versi_number(value: Any) -> Any:
    """Refuse true/false as a version (JSON Schema's integer is not a boolean; 2.0 is one)."""
    if isinstance(value, bool):
        raise ValueError("versi harus bilangan bulat")
    return value


Versi = Annotated[int, Ge(0), Le(2**31 - 1), BeforeValidator(_versi_number)]
VERSI = Field(
    None,
    description="Versi nilai yang Anda ganti (dari GET atau tulisan sebelumnya; 0 bila belum "
    "pernah diisi). Boleh juga dikirim sebagai header `If-Match`. Tanpa versi: 409.",
)


class RealisasiKIn(Schema):
    """A quarter's realisation in machine form (`1234.5`, at most four decimals); null clears it."""

    nilai: str | None = Field(..., pattern=K_PATTERN, examples=["37.5"])
    versi: Versi | None = VERSI


class RealisasiRpIn(Schema):
    """A quarter's budget realisation in rupiah (`1250000.50`); null clears it."""

    nilai: str | None = Field(..., pattern=RP_PATTERN, examples=["1250000.50"])
    versi: Versi | None = VERSI


class RealisasiKOut(Schema):
    indikator_id: int
    triwulan: int
    nilai: str | None
    versi: int


class RealisasiRpOut(Schema):
    simpul_id: int
    triwulan: int
    nilai: str | None
    versi: int


class Konflik(Schema):
    """A write refused because it did not carry the stored value's version: the value now."""

    detail: str
    nilai: str | None
    versi: int


def _sent_versi(request: HttpRequest, versi: int | None) -> int | None:
    """Return the version a write was based on: the body's, else the `If-Match` ETag's."""
    if versi is not None:
        return versi
    header = request.headers.get("If-Match", "").strip()
    if header.startswith("W/"):
        header = header[2:]
    header = header.strip('"')
    return int(header) if header.isdigit() and len(header) < 10 else None


def _etag(response: HttpResponse, versi: int) -> HttpResponse:
    response["ETag"] = f'"{versi}"'
    return response


def _answer(request: HttpRequest, out: Schema, versi: int) -> HttpResponse:
    return _etag(api.create_response(request, out.model_dump(), status=200), versi)


def _conflict(request: HttpRequest, exc: siklus.NilaiBasi, sent: int | None) -> HttpResponse:
    nilai = amount_text(exc.asli)
    detail = (
        str(exc)
        if sent is not None
        else "Tulisan ditolak: sertakan versi nilai yang Anda ganti (`versi` di badan permintaan "
        f"atau header If-Match). Nilai tersimpan sekarang: {nilai or 'kosong'}, versi {exc.versi}."
    )
    body = {"detail": detail, "nilai": nilai, "versi": exc.versi}
    return _etag(api.create_response(request, body, status=409), exc.versi)


def _parse(text: str | None) -> Decimal | None:
    """Return the value of a checked machine-form number (the description's pattern)."""
    return None if text is None else Decimal(text)


WRITE_ERRORS = {**ERRORS, 400: GalatIsian, 409: Konflik | Galat}


@api.put(
    "/indikator/{indikator_id}/realisasi/{triwulan}",
    response={200: RealisasiKOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Tulis realisasi kinerja (K) satu indikator pada satu triwulan",
    description="Dengan token pribadi. Aturan peran, jendela entri, dan kunci triwulan berlaku "
    "seperti di halaman entri (409 bila ditolak siklus triwulan). Sertakan versi nilai yang "
    "diganti (`versi`, atau header `If-Match` berisi ETag dari GET URL yang sama); tanpa versi "
    "atau dengan versi lama: 409 dengan nilai dan versi yang tersimpan sekarang.",
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
    sent = _sent_versi(request, body.versi)
    try:
        row = services.realisasi_k_update(
            user=request.auth,
            indikator=indikator,
            triwulan=triwulan,
            nilai=_parse(body.nilai),
            versi=sent,
        )
    except siklus.NilaiBasi as exc:
        return _conflict(request, exc, sent)
    out = RealisasiKOut(
        indikator_id=indikator.pk, triwulan=triwulan, nilai=amount_text(row.nilai), versi=row.versi
    )
    return _answer(request, out, row.versi)


@api.get(
    "/indikator/{indikator_id}/realisasi/{triwulan}",
    response={200: RealisasiKOut, **ERRORS},
    auth=READ_AUTH,
    summary="Baca realisasi kinerja (K) satu indikator pada satu triwulan, dengan versinya",
    description="Versi (juga header `ETag`) dikirim kembali saat menulis (`versi` atau `If-Match`).",
)
def realisasi_k_get(
    request: HttpRequest,
    indikator_id: int = Path(..., ge=1, le=MAX_ID),
    triwulan: int = Path(..., ge=1, le=4),
) -> Any:
    indikator = get_object_or_404(
        Indikator, pk=indikator_id, simpul__renja__in=access.visible_renja(request.auth)
    )
    row = RealisasiK.objects.filter(indikator=indikator, triwulan=triwulan).first()
    versi = row.versi if row else 0
    out = RealisasiKOut(
        indikator_id=indikator.pk,
        triwulan=triwulan,
        nilai=amount_text(row.nilai) if row else None,
        versi=versi,
    )
    return _answer(request, out, versi)


@api.put(
    "/simpul/{simpul_id}/realisasi/{triwulan}",
    response={200: RealisasiRpOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Tulis realisasi anggaran (Rp) satu sub kegiatan pada satu triwulan",
    description="Dengan token pribadi; aturan yang sama dengan realisasi kinerja, termasuk versi "
    "(`versi` atau `If-Match`).",
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
    sent = _sent_versi(request, body.versi)
    try:
        row = services.realisasi_rp_update(
            user=request.auth,
            simpul=simpul,
            triwulan=triwulan,
            nilai=_parse(body.nilai),
            versi=sent,
        )
    except siklus.NilaiBasi as exc:
        return _conflict(request, exc, sent)
    out = RealisasiRpOut(
        simpul_id=simpul.pk, triwulan=triwulan, nilai=amount_text(row.nilai), versi=row.versi
    )
    return _answer(request, out, row.versi)


@api.get(
    "/simpul/{simpul_id}/realisasi/{triwulan}",
    response={200: RealisasiRpOut, **ERRORS},
    auth=READ_AUTH,
    summary="Baca realisasi anggaran (Rp) satu sub kegiatan pada satu triwulan, dengan versinya",
)
def realisasi_rp_get(
    request: HttpRequest,
    simpul_id: int = Path(..., ge=1, le=MAX_ID),
    triwulan: int = Path(..., ge=1, le=4),
) -> Any:
    simpul = get_object_or_404(Simpul, pk=simpul_id, renja__in=access.visible_renja(request.auth))
    row = RealisasiRp.objects.filter(simpul=simpul, triwulan=triwulan).first()
    versi = row.versi if row else 0
    out = RealisasiRpOut(
        simpul_id=simpul.pk,
        triwulan=triwulan,
        nilai=amount_text(row.nilai) if row else None,
        versi=versi,
    )
    return _answer(request, out, versi)
