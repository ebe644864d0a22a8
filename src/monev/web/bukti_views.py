"""The pages of a quarter's supporting documents: list and upload, download one, all as a zip,
remove. Short views: access helper, service, render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from monev.web import access, bukti, siklus
from monev.web.access import ALL_ROLES, role_required
from monev.web.models import Bukti, Indikator, Renja, Simpul

CONTENT_TYPE = {
    Bukti.Jenis.PDF: "application/pdf",
    Bukti.Jenis.JPG: "image/jpeg",
    Bukti.Jenis.PNG: "image/png",
}


def _quarter(triwulan: int) -> int:
    if triwulan not in (1, 2, 3, 4):
        raise Http404("Triwulan tidak ada")
    return triwulan


def _target(renja: Renja, value: str) -> tuple[Simpul | None, Indikator | None]:
    """Return the node or indicator a form's `tempat` names (`s<id>` or `i<id>`) in this Renja."""
    kind, _, number = value.partition("-")
    if not number.isdigit():
        raise bukti.BuktiDitolak("pilih sub kegiatan atau indikator yang didukung berkas ini")
    if kind == "s":
        found = Simpul.objects.filter(renja=renja, pk=int(number)).first()
        if found is not None:
            return found, None
    if kind == "i":
        item = (
            Indikator.objects.filter(simpul__renja=renja, pk=int(number))
            .select_related("simpul")
            .first()
        )
        if item is not None:
            return None, item
    raise bukti.BuktiDitolak("sub kegiatan atau indikator itu tidak ada di Renja ini")


def _choices(renja: Renja) -> list[tuple[str, str]]:
    choices = []
    for s in Simpul.objects.filter(renja=renja, tingkat="sub_kegiatan").order_by("urutan"):
        choices.append((f"s-{s.pk}", f"{s.kode} {s.nama} (anggaran)"))
    for i in (
        Indikator.objects.filter(simpul__renja=renja)
        .select_related("simpul")
        .order_by("simpul__urutan", "urutan")
    ):
        if i.teks:
            choices.append((f"i-{i.pk}", f"{i.simpul.kode} · {i.teks}"))
    return choices


@require_http_methods(["GET", "POST"])
@role_required(*ALL_ROLES)
def daftar(request: HttpRequest, renja_id: int, triwulan: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    triwulan = _quarter(triwulan)
    state = siklus.status_entri(request.user, renja, triwulan)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        access.require_edit_realisasi(request.user, renja)  # 403 before anything about the file
        upload = request.FILES.get("berkas")
        try:
            if upload is None:
                raise bukti.BuktiDitolak("pilih berkas PDF, JPG, atau PNG")
            simpul, indikator = _target(renja, request.POST.get("tempat", ""))
            saved = bukti.bukti_upload(
                user=request.user,
                renja=renja,
                triwulan=triwulan,
                name=upload.name or "berkas",
                data=upload.read(bukti.max_bytes() + 1),
                simpul=simpul,
                indikator=indikator,
            )
        except (bukti.BuktiDitolak, siklus.Ditolak) as exc:
            problems.append(str(exc))
            status = 409 if isinstance(exc, siklus.Ditolak) else 400
        else:
            messages.success(request, f"Bukti {saved.nama_berkas} tersimpan untuk {saved.kode}.")
            return redirect("bukti", renja_id=renja.pk, triwulan=triwulan)
    context = {
        "renja": renja,
        "triwulan": triwulan,
        "romawi": bukti.ROMAWI[triwulan - 1],
        "baris": bukti.bukti_list(renja, triwulan),
        "bisa_ubah": state.bisa_ubah,
        "alasan": state.alasan,
        "pilihan": _choices(renja) if state.bisa_ubah else [],
        "problems": problems,
        "batas_kb": bukti.max_bytes() // 1024,
    }
    return render(request, "monev/bukti.html", context, status=status)


def _bukti_of(request: HttpRequest, renja_id: int, bukti_id: int) -> Bukti:
    renja = access.renja_for(request.user, renja_id)  # 404 for another PD's operator
    return get_object_or_404(Bukti.objects.select_related("renja"), pk=bukti_id, renja=renja)


@require_safe
@role_required(*ALL_ROLES)
def unduh(request: HttpRequest, renja_id: int, bukti_id: int) -> HttpResponse:
    found = _bukti_of(request, renja_id, bukti_id)
    response = HttpResponse(bytes(found.isi), content_type=CONTENT_TYPE[Bukti.Jenis(found.jenis)])
    response["Content-Disposition"] = f'attachment; filename="{found.nama_berkas}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@role_required(*ALL_ROLES)
def unduh_zip(request: HttpRequest, renja_id: int, triwulan: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    triwulan = _quarter(triwulan)
    response = HttpResponse(bukti.bukti_zip(renja, triwulan), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{bukti.zip_name(renja, triwulan)}"'
    return response


@require_POST
@role_required(*ALL_ROLES)
def hapus(request: HttpRequest, renja_id: int, bukti_id: int) -> HttpResponse:
    found = _bukti_of(request, renja_id, bukti_id)
    try:
        bukti.bukti_remove(user=request.user, bukti=found)
    except siklus.Ditolak as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Bukti {found.nama_berkas} dihapus.")
    return redirect("bukti", renja_id=renja_id, triwulan=found.triwulan)
