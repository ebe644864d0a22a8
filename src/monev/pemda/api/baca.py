"""Reads: pemda, PDs, Renja, indicators, evaluations and the recap, under the same roles as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Path, Query, Schema

from monev.io.tabular import evaluation_json
from monev.pemda import dashboard, selectors
from monev.pemda.api.base import (
    ERRORS,
    MAX_ID,
    PEMDA_ROLES,
    READ_AUTH,
    EvaluasiOut,
    amount_text,
    api,
    pct_text,
    visible_renja,
)
from monev.web import access, snapshot
from monev.web.models import Renja, Simpul


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
    found = (
        access.visible_renja(request.auth)
        .filter(diarsipkan=False)  # an archived Renja is kept, not listed
        .select_related("perangkat_daerah")
    )
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
    renja = visible_renja(request, renja_id)
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
            pagu=amount_text(node.pagu),
            realisasi_rp=[amount_text(v) for v in node.triwulan_rp],
            rencana_rp=[amount_text(v) for v in data.rencana_rp[node.ref]]
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
    renja = visible_renja(request, renja_id)
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
            target=amount_text(item.target),
            realisasi=[amount_text(v) for v in item.triwulan],
            rencana=[amount_text(v) for v in data.rencana_k[item.ref]]
            if item.ref in data.rencana_k
            else None,
        )
        for node, item in data.core.indikator_lines()
    ]


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
    renja = visible_renja(request, renja_id)
    return evaluation_json(snapshot.evaluasi_of(renja, triwulan))  # verified: as accepted


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
    pemda_list = list(access.visible_pemda(request.auth).order_by("nama"))
    pemda = next((p for p in pemda_list if p.pk == pemda_id), None)
    if pemda is None and pemda_id is not None:
        raise Http404
    home = access.home_pemda_id(request.auth)
    default = next((p for p in pemda_list if p.pk == home), pemda_list[0] if pemda_list else None)
    pemda = pemda or default
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
                rata_rata_capaian_k=pct_text(r.capaian_k),
                predikat_k=r.predikat_k,
                perubahan_k=pct_text(r.perubahan_k),
                pagu=amount_text(r.angka.ringkasan.pagu) if r.angka else None,
                realisasi_rp=amount_text(r.angka.ringkasan.realisasi_rp) if r.angka else None,
                persen_realisasi_rp=pct_text(r.persen_rp),
                predikat_rp=r.predikat_rp,
                perubahan_rp=pct_text(r.perubahan_rp),
                proyeksi_capaian_k=pct_text(r.proyeksi_k),
                proyeksi_persen_rp=pct_text(r.proyeksi_rp),
                peringatan=list(r.alasan),
            )
            for r in rows
        ],
    )
