"""Short views: access helper, form or parse, service or selector, render."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from monev.core.evaluation import evaluate
from monev.io.flat import InputError, read_flat
from monev.web import access, selectors, services
from monev.web.access import ALL_ROLES, Peran, role_required
from monev.web.e81_html import e81_body
from monev.web.models import Indikator, LaporanTriwulan, PerangkatDaerah, Renja, Simpul

ROMAWI = ("I", "II", "III", "IV")


def _triwulan(value: Any, default: int | None = None) -> int:
    try:
        triwulan = int(value)
    except (TypeError, ValueError):
        if default is None:
            raise Http404("triwulan tidak dikenal") from None
        return default
    if triwulan not in (1, 2, 3, 4):
        raise Http404("triwulan tidak dikenal")
    return triwulan


@role_required(*ALL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    renja = (
        access.visible_renja(request.user)
        .select_related("perangkat_daerah__pemda")
        .annotate(jumlah_simpul=Count("simpul"))
        .order_by("perangkat_daerah__kode", "-tahun", "versi")
    )
    return render(
        request, "monev/home.html", {"daftar_renja": list(renja), "triwulan_list": range(1, 5)}
    )


@role_required(*ALL_ROLES)
def renja_detail(request: HttpRequest, renja_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    data = selectors.renja_data(renja)
    rows = [(s, data.indikator.get(s.pk, [])) for s in data.simpul]
    return render(
        request,
        "monev/renja.html",
        {
            "renja": renja,
            "rows": rows,
            "bisa_entri": access.can_edit_realisasi(request.user, renja),
        },
    )


@role_required(*ALL_ROLES)
def entri(request: HttpRequest, renja_id: int, triwulan: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    triwulan = _triwulan(triwulan)
    return render(
        request,
        "monev/entri.html",
        {
            "renja": renja,
            "triwulan": triwulan,
            "romawi": ROMAWI[triwulan - 1],
            "rows": selectors.entri_rows(renja),
            "laporan": selectors.laporan_of(renja, triwulan),
            "bisa_ubah": access.can_edit_realisasi(request.user, renja),
            "triwulan_list": [(q, ROMAWI[q - 1]) for q in range(1, 5)],
        },
    )


def _cell_response(
    request: HttpRequest, *, name: str, value: str, error: str = "", saved: bool = False
) -> HttpResponse:
    status = 422 if error else 200
    return render(
        request,
        "monev/_cell.html",
        {"name": name, "value": value, "error": error, "saved": saved, "url": request.path},
        status=status,
    )


@require_POST
@role_required(*ALL_ROLES)
def entri_k(request: HttpRequest, renja_id: int, triwulan: int, indikator_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    triwulan = _triwulan(triwulan)
    access.require_edit_realisasi(request.user, renja)
    indikator = get_object_or_404(
        Indikator.objects.select_related("simpul__renja"), pk=indikator_id, simpul__renja=renja
    )
    text = request.POST.get("nilai", "")
    try:
        nilai = services.parse_nilai(text, places=services.MAX_K_PLACES, label="realisasi")
    except ValidationError as exc:
        return _cell_response(request, name="nilai", value=text, error=exc.messages[0])
    services.realisasi_k_update(
        user=request.user, indikator=indikator, triwulan=triwulan, nilai=nilai
    )
    return _cell_response(request, name="nilai", value=services.shown(nilai), saved=True)


@require_POST
@role_required(*ALL_ROLES)
def entri_rp(request: HttpRequest, renja_id: int, triwulan: int, simpul_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    triwulan = _triwulan(triwulan)
    access.require_edit_realisasi(request.user, renja)
    simpul = get_object_or_404(Simpul.objects.select_related("renja"), pk=simpul_id, renja=renja)
    text = request.POST.get("nilai", "")
    try:
        nilai = services.parse_nilai(text, places=services.MAX_RP_PLACES, label="realisasi Rp")
    except ValidationError as exc:
        return _cell_response(request, name="nilai", value=text, error=exc.messages[0])
    services.realisasi_rp_update(user=request.user, simpul=simpul, triwulan=triwulan, nilai=nilai)
    return _cell_response(request, name="nilai", value=services.shown(nilai), saved=True)


@require_POST
@role_required(*ALL_ROLES)
def entri_narasi(request: HttpRequest, renja_id: int, triwulan: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    triwulan = _triwulan(triwulan)
    access.require_edit_realisasi(request.user, renja)
    narasi = {f: request.POST[f] for f in LaporanTriwulan.NARASI if f in request.POST}
    services.laporan_narasi_update(user=request.user, renja=renja, triwulan=triwulan, narasi=narasi)
    if request.htmx:
        return render(request, "monev/_saved.html", {"pesan": "Narasi tersimpan."})
    messages.success(request, "Narasi tersimpan.")
    return redirect("entri", renja_id=renja.pk, triwulan=triwulan)


@require_POST
@role_required(Peran.ADMIN)
def renja_target(request: HttpRequest, renja_id: int, indikator_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    indikator = get_object_or_404(
        Indikator.objects.select_related("simpul__renja"), pk=indikator_id, simpul__renja=renja
    )
    text = request.POST.get("nilai", "")
    try:
        target = services.parse_nilai(text, places=services.MAX_K_PLACES, label="target")
    except ValidationError as exc:
        return _cell_response(request, name="nilai", value=text, error=exc.messages[0])
    services.indikator_target_update(user=request.user, indikator=indikator, target=target)
    return _cell_response(request, name="nilai", value=services.shown(target), saved=True)


@require_POST
@role_required(Peran.ADMIN)
def renja_pagu(request: HttpRequest, renja_id: int, simpul_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    simpul = get_object_or_404(Simpul.objects.select_related("renja"), pk=simpul_id, renja=renja)
    text = request.POST.get("nilai", "")
    try:
        pagu = services.parse_nilai(text, places=services.MAX_RP_PLACES, label="pagu")
    except ValidationError as exc:
        return _cell_response(request, name="nilai", value=text, error=exc.messages[0])
    services.simpul_pagu_update(user=request.user, simpul=simpul, pagu=pagu)
    return _cell_response(request, name="nilai", value=services.shown(pagu), saved=True)


@role_required(*ALL_ROLES)
def evaluasi(request: HttpRequest, renja_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    data = selectors.renja_data(renja)
    default = data.core.last_triwulan()
    triwulan = _triwulan(request.GET.get("triwulan"), default)
    result = evaluate(data.core, triwulan)
    return render(
        request,
        "monev/evaluasi.html",
        {
            "renja": renja,
            "evaluasi": result,
            "tabel_e81": e81_body(result),
            "triwulan": triwulan,
            "romawi": ROMAWI[triwulan - 1],
            "kolom_triwulan": [ROMAWI[q] for q in range(4)],
            "laporan": selectors.laporan_of(renja, triwulan),
            "triwulan_list": [(q, ROMAWI[q - 1]) for q in range(1, 5)],
        },
    )


@role_required(*ALL_ROLES)
def riwayat_indikator(request: HttpRequest, indikator_id: int) -> HttpResponse:
    indikator = get_object_or_404(
        Indikator.objects.select_related("simpul__renja__perangkat_daerah"), pk=indikator_id
    )
    renja = access.renja_for(request.user, indikator.simpul.renja_id)
    return render(
        request,
        "monev/riwayat.html",
        {
            "renja": renja,
            "indikator": indikator,
            "simpul": indikator.simpul,
            "riwayat": selectors.riwayat_indikator(indikator),
            "riwayat_simpul": selectors.riwayat_simpul(indikator.simpul),
        },
    )


def _upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "impor"
    path.mkdir(parents=True, exist_ok=True)
    return path


@require_http_methods(["GET", "POST"])
@role_required(Peran.ADMIN)
def impor(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "daftar_pd": PerangkatDaerah.objects.select_related("pemda").order_by("kode"),
        "versi_list": Renja.Versi.choices,
    }
    if request.method == "GET":
        return render(request, "monev/impor.html", context)

    token = request.POST.get("token", "")
    pd_id = request.POST.get("perangkat_daerah", "")
    tahun_text = request.POST.get("tahun", "").strip()
    versi = request.POST.get("versi", Renja.Versi.MURNI)
    context.update(pd_id=pd_id, tahun=tahun_text, versi=versi)
    problems: list[str] = []
    pd = PerangkatDaerah.objects.filter(pk=pd_id).first() if pd_id.isdigit() else None
    if pd is None:
        problems.append("Pilih Perangkat Daerah.")
    if not (tahun_text.isdigit() and 2000 <= int(tahun_text) <= 2100):
        problems.append("Tahun harus berupa angka tahun, misalnya 2022.")
    if versi not in Renja.Versi.values:
        problems.append("Versi Renja tidak dikenal.")

    if token:  # the confirm step: the file was checked and kept under a random name
        stored = _stored_upload(token)
        if stored is None:
            problems.append("Berkas unggahan sudah tidak ada; unggah ulang.")
    else:
        upload = request.FILES.get("berkas")
        stored = None
        if upload is None:
            problems.append("Pilih berkas CSV atau XLSX.")
        elif upload.size and upload.size > settings.MONEV_UPLOAD_MAX_BYTES:
            problems.append("Berkas terlalu besar.")
        elif Path(upload.name or "").suffix.lower() not in (".csv", ".xlsx", ".xls", ".ods"):
            problems.append("Berkas harus CSV, XLSX, XLS, atau ODS.")
        else:
            stored = _upload_dir() / f"{uuid.uuid4().hex}{Path(upload.name or '').suffix.lower()}"
            with stored.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            context["nama_berkas"] = upload.name
    if problems or stored is None:
        context["problems"] = problems
        return render(request, "monev/impor.html", context, status=400)

    name = request.POST.get("nama_berkas") or context.get("nama_berkas") or stored.name
    try:
        # Read under the user's own file name, so that every message names the file they know.
        renja_core = read_flat(Path(Path(name).name), stored.read_bytes())
    except InputError as exc:
        stored.unlink(missing_ok=True)
        context["problems"] = [str(m) for m in exc.masalah]
        return render(request, "monev/impor.html", context, status=400)

    if request.POST.get("konfirmasi") != "1":
        context.update(
            token=stored.name,
            nama_berkas=name,
            pratinjau=evaluate(renja_core),
            jumlah_simpul=len(renja_core.nodes),
            jumlah_indikator=sum(len(n.indikator) for n in renja_core.nodes),
            pd=pd,
            ada=Renja.objects.filter(
                perangkat_daerah=pd, tahun=int(tahun_text), versi=versi
            ).exists(),
        )
        return render(request, "monev/impor.html", context)

    assert pd is not None
    saved = services.renja_import(
        user=request.user,
        perangkat_daerah=pd,
        tahun=int(tahun_text),
        renja=renja_core,
        versi=versi,
        sumber=name,
    )
    stored.unlink(missing_ok=True)
    messages.success(
        request, f"Renja {pd.nama} {tahun_text} tersimpan: {len(renja_core.nodes)} simpul."
    )
    return redirect("renja", renja_id=saved.pk)


def _stored_upload(token: str) -> Path | None:
    name = Path(token).name  # never a path from the client
    stem = name.partition(".")[0]
    if len(stem) != 32 or not all(c in "0123456789abcdef" for c in stem):
        return None
    path = _upload_dir() / name
    return path if path.exists() else None
