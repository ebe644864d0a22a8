"""Writes of realisations with a personal token, through the services (every window, lock and record applies)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Schema

from monev.pemda.api.base import (
    ERRORS,
    MAX_ID,
    Galat,
    GalatIsian,
    amount_text,
    api,
    token_auth,
)
from monev.web import access, services
from monev.web.models import Indikator, Simpul

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
    return RealisasiKOut(indikator_id=indikator.pk, triwulan=triwulan, nilai=amount_text(row.nilai))


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
    return RealisasiRpOut(simpul_id=simpul.pk, triwulan=triwulan, nilai=amount_text(row.nilai))
