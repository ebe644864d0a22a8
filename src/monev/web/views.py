"""Short views: access helper, form or parse, service or selector, render."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from monev.core.evaluation import evaluate
from monev.io.flat import InputError, read_flat
from monev.io.safety import check_upload
from monev.web import (
    access,
    legacy_import,
    persetujuan,
    selectors,
    services,
    siklus,
    tugas,
    tugas_impor,
    uploads,
)
from monev.web.access import ALL_ROLES, Peran, role_required
from monev.web.models import (
    Indikator,
    JendelaEntri,
    LaporanTriwulan,
    PengecualianJendela,
    Renja,
    Simpul,
)

ROMAWI = ("I", "II", "III", "IV")


def triwulan_param(value: Any, default: int | None = None) -> int:
    try:
        triwulan = int(value)
    except (TypeError, ValueError):
        if default is None:
            raise Http404("triwulan tidak dikenal") from None
        return default
    if triwulan not in (1, 2, 3, 4):
        raise Http404("triwulan tidak dikenal")
    return triwulan


@require_safe
@role_required(*ALL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    pemda = access.active_pemda(request)
    renja = (
        access.visible_renja(request.user)
        .filter(diarsipkan=False, perangkat_daerah__pemda=pemda)
        .select_related("perangkat_daerah__pemda")
        .annotate(jumlah_simpul=Count("simpul"))
        .order_by("perangkat_daerah__kode", "-tahun", "versi")
    )
    return render(
        request,
        "monev/home.html",
        {
            "daftar_renja": list(renja),
            "pemda_aktif": pemda,
            "triwulan_list": range(1, 5),
            "tugas": tugas.tugas_for(request.user),
        },
    )


@require_safe
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
            "kunci_rencana": siklus.plan_lock(renja),
        },
    )


def _cell_response(
    request: HttpRequest,
    *,
    value: str,
    versi: int | None = None,
    error: str = "",
    saved: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "monev/_cell.html",
        {"value": value, "versi": versi, "error": error, "saved": saved, "url": request.path},
        status=422 if error and status == 200 else status,
    )


def _versi(request: HttpRequest) -> int | None:
    text = request.POST.get("versi", "")
    return int(text) if text.isdigit() else None


#: How a save answers: (value shown, versi, error, stored value if another, status) -> response.
Answer = Callable[[str, int | None, str, str | None, int], HttpResponse]


def _save_cell(
    request: HttpRequest,
    *,
    places: int,
    label: str,
    save: Callable[[Decimal | None, int | None], Any],
    answer: Answer | None = None,
) -> HttpResponse:
    """Parse one typed cell and save it; answer with the cell as it now stands (or its error)."""

    def plain(value: str, versi: int | None, error: str, _stored: str | None, status: int) -> Any:
        return _cell_response(
            request, value=value, versi=versi, error=error, saved=not error, status=status
        )

    respond = answer or plain
    text = request.POST.get("nilai", "")
    versi = _versi(request)
    try:
        nilai = services.parse_nilai(text, places=places, label=label)
    except ValidationError as exc:
        return respond(text, versi, exc.messages[0], None, 422)
    try:
        row = save(nilai, versi)
    except siklus.NilaiBasi as exc:
        return respond(exc.nilai, exc.versi, str(exc), exc.nilai, 409)
    except siklus.Ditolak as exc:
        return respond(text, versi, str(exc), None, 409)
    value = services.shown(nilai)
    return respond(value, getattr(row, "versi", None), "", value, 200)


@require_POST
@role_required(*ALL_ROLES)
def entri_narasi(request: HttpRequest, renja_id: int, triwulan: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    triwulan = triwulan_param(triwulan)
    access.require_edit_realisasi(request.user, renja)
    narasi = {f: request.POST[f] for f in LaporanTriwulan.NARASI if f in request.POST}
    try:
        laporan = services.laporan_narasi_update(
            user=request.user, renja=renja, triwulan=triwulan, narasi=narasi, versi=_versi(request)
        )
    except siklus.Ditolak as exc:
        if request.htmx:
            return render(
                request, "monev/_saved.html", {"pesan": str(exc), "error": True}, status=409
            )
        messages.error(request, str(exc))
        return redirect("entri", renja_id=renja.pk, triwulan=triwulan)
    if request.htmx:
        return render(
            request, "monev/_saved.html", {"pesan": "Narasi tersimpan.", "versi": laporan.versi}
        )
    messages.success(request, "Narasi tersimpan.")
    return redirect("entri", renja_id=renja.pk, triwulan=triwulan)


@require_POST
@role_required(*ALL_ROLES)
def laporan_aksi(request: HttpRequest, renja_id: int, triwulan: int, aksi: str) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    triwulan = triwulan_param(triwulan)
    text = request.POST.get("catatan", "") or request.POST.get("alasan", "")
    handlers: dict[str, Callable[[], LaporanTriwulan]] = {
        "ajukan": lambda: siklus.laporan_submit(user=request.user, renja=renja, triwulan=triwulan),
        "terima": lambda: siklus.laporan_approve(user=request.user, renja=renja, triwulan=triwulan),
        "kembalikan": lambda: siklus.laporan_return(
            user=request.user, renja=renja, triwulan=triwulan, catatan=text
        ),
        "buka-kunci": lambda: siklus.laporan_unlock(
            user=request.user, renja=renja, triwulan=triwulan, alasan=text
        ),
    }
    if aksi not in handlers:
        raise Http404("aksi tidak dikenal")
    if aksi == "ajukan" and request.POST.get("konfirmasi_kosong") != "1":
        kosong = selectors.sel_kosong(renja, triwulan)
        if kosong:
            messages.error(
                request,
                f"Triwulan {ROMAWI[triwulan - 1]} masih memiliki {kosong} sel kosong; laporan "
                "belum diajukan. Isi sel itu, atau ajukan lagi dan setujui pengajuan dengan "
                "sel kosong.",
            )
            return redirect("entri", renja_id=renja.pk, triwulan=triwulan)
    try:
        laporan = handlers[aksi]()
    except siklus.Ditolak as exc:
        messages.error(request, str(exc))
    else:
        menunggu = persetujuan.waiting_level(laporan)
        if aksi == "terima" and menunggu is not None:
            text = f"Laporan TW {ROMAWI[triwulan - 1]} disetujui; kini menunggu {menunggu.label}."
        else:
            text = f"Laporan TW {ROMAWI[triwulan - 1]}: {laporan.get_status_display().lower()}"
            text += f"; menunggu {menunggu.label}." if menunggu else "."
        messages.success(request, text)
    return redirect("entri", renja_id=renja.pk, triwulan=triwulan)


@require_POST
@role_required(Peran.ADMIN)
def renja_target(request: HttpRequest, renja_id: int, indikator_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    indikator = get_object_or_404(
        Indikator.objects.select_related("simpul__renja"), pk=indikator_id, simpul__renja=renja
    )
    return _save_cell(
        request,
        places=services.MAX_K_PLACES,
        label="target",
        save=lambda nilai, versi: services.indikator_target_update(
            user=request.user, indikator=indikator, target=nilai, versi=versi
        ),
    )


@require_POST
@role_required(Peran.ADMIN)
def renja_pagu(request: HttpRequest, renja_id: int, simpul_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    simpul = get_object_or_404(Simpul.objects.select_related("renja"), pk=simpul_id, renja=renja)
    return _save_cell(
        request,
        places=services.MAX_RP_PLACES,
        label="pagu",
        save=lambda nilai, versi: services.simpul_pagu_update(
            user=request.user, simpul=simpul, pagu=nilai, versi=versi
        ),
    )


@require_safe
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
            "riwayat_status": selectors.riwayat_status(renja),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Peran.ADMIN)
def impor(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "daftar_pd": access.writable_pd(request.user).select_related("pemda").order_by("kode"),
        "versi_list": Renja.Versi.choices,
    }
    if request.method == "GET":
        return render(request, "monev/impor.html", context)

    token = request.POST.get("token", "")
    jenis = "lama" if request.POST.get("jenis") == "lama" else "datar"
    context["jenis"] = jenis
    pd_id = request.POST.get("perangkat_daerah", "")
    tahun_text = request.POST.get("tahun", "").strip()
    versi = request.POST.get("versi", Renja.Versi.MURNI)
    context.update(pd_id=pd_id, tahun=tahun_text, versi=versi)
    problems: list[str] = []
    pd = access.writable_pd(request.user).filter(pk=pd_id).first() if pd_id.isdigit() else None
    if pd is None:
        problems.append("Pilih Perangkat Daerah.")
    if not (tahun_text.isdigit() and 2000 <= int(tahun_text) <= 2100):
        problems.append("Tahun harus berupa angka tahun, misalnya 2022.")
    if versi not in Renja.Versi.values:
        problems.append("Versi Renja tidak dikenal.")

    uploads.sweep()
    data: bytes | None = None
    if token:  # the confirm step: the file was checked and kept under a random name
        data = uploads.read(token)
        if data is None:
            problems.append("Berkas unggahan sudah tidak ada; unggah ulang.")
    else:
        berkas = uploads.received(
            request,
            problems,
            suffixes=_UPLOAD_SUFFIXES[jenis],
            pilih="Pilih berkas CSV atau XLSX.",
            harus=f"Berkas harus {_UPLOAD_LABEL[jenis]}.",
        )
        if berkas is not None:
            context["nama_berkas"], data = berkas
    if problems or data is None:
        context["problems"] = problems
        return render(request, "monev/impor.html", context, status=400)

    name = request.POST.get("nama_berkas") or context.get("nama_berkas") or token
    confirmed = bool(token) and request.POST.get("konfirmasi") == "1"
    if confirmed:
        # The bytes go to the job's own folder: the upload's file is gone before anything is
        # saved (a server killed during it leaves no upload behind; the job's file goes with it).
        uploads.discard(token)
    try:
        check_upload(
            data,
            Path(name).name,
            max_bytes=settings.MONEV_UPLOAD_MAX_BYTES,
            max_unpacked_bytes=settings.MONEV_UPLOAD_MAX_UNPACKED_BYTES,
        )
        if confirmed:  # read and checked again by the job, apart from this request
            renja_core = None
        elif jenis == "lama":
            from monev.web.impor_tabel import entri_aktif

            entries = entri_aktif(pd.pemda_id) if pd is not None else None
            # Read under the user's own file name, so that every message names the file.
            check, renja_core = legacy_import.read(Path(Path(name).name), data, entries)
            context.update(vars(check))  # temuan, ragu, tak_terpasang, pemetaan, tahun_tercetak
        else:
            renja_core = read_flat(Path(Path(name).name), data)
    except InputError as exc:
        if token:
            uploads.discard(token)
        context["problems"] = [str(m) for m in exc.masalah]
        return render(request, "monev/impor.html", context, status=400)

    if renja_core is not None:
        context.update(
            token=token or uploads.keep(data, Path(name).suffix.lower()),
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
    try:
        tugas = tugas_impor.tugas_buat(
            user=request.user,
            perangkat_daerah=pd,
            tahun=int(tahun_text),
            versi=versi,
            jenis=jenis,
            nama_berkas=Path(name).name,
            data=data,
        )
    except siklus.Ditolak as exc:
        context["problems"] = [str(exc)]
        return render(request, "monev/impor.html", context, status=409)
    tugas_impor.tugas_mulai(tugas)
    return redirect("tugas_impor", tugas_id=tugas.pk)


_UPLOAD_SUFFIXES = {
    "datar": (".csv", ".xlsx", ".xls", ".ods"),
    "lama": (".txt", ".csv", ".xlsx", ".xls", ".ods", ".pdf"),
}
_UPLOAD_LABEL = {
    "datar": "CSV, XLSX, XLS, atau ODS",
    "lama": "teks hasil pindai (TXT), CSV, XLSX, XLS, ODS, atau PDF",
}


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def _tahun(request: HttpRequest) -> int:
    text = request.GET.get("tahun") or request.POST.get("tahun") or ""
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    latest = (
        access.visible_renja(request.user)
        .order_by("-tahun")
        .values_list("tahun", flat=True)
        .first()
    )
    return latest or timezone.localdate().year


@require_safe
@role_required(*access.PAPAN_ROLES)
def papan(request: HttpRequest) -> HttpResponse:
    tahun = _tahun(request)
    pemda = access.active_pemda(request)
    daftar_pd = list(
        access.visible_pd(request.user).filter(pemda=pemda).select_related("pemda").order_by("kode")
    )
    return render(
        request,
        "monev/papan.html",
        {
            "tahun": tahun,
            "rows": selectors.papan_status(daftar_pd, tahun),
            "triwulan_list": [(q, ROMAWI[q - 1]) for q in range(1, 5)],
            "pemda_aktif": pemda,
            "tahun_list": sorted(
                set(
                    access.visible_renja(request.user)
                    .filter(perangkat_daerah__pemda=pemda)
                    .values_list("tahun", flat=True)
                ),
                reverse=True,
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Peran.ADMIN)
def jendela(request: HttpRequest) -> HttpResponse:
    tahun = _tahun(request)
    pemda_list = list(access.writable_pemda(request.user).order_by("nama"))
    if not pemda_list:
        raise PermissionDenied(access.FORBIDDEN_READ_ONLY)
    if request.method == "POST":
        triwulan_text = request.POST.get("triwulan", "")
        if triwulan_text not in ("1", "2", "3", "4"):
            messages.error(request, "Pilih triwulan I sampai IV.")
            return redirect(f"{request.path}?tahun={tahun}")
        triwulan = int(triwulan_text)
        terbuka_text = request.POST.get("terbuka", "")
        if request.POST.get("aksi") == "pengecualian":
            pd = (
                access.writable_pd(request.user)
                .filter(pk=_int(request.POST.get("perangkat_daerah")))
                .first()
            )
            if pd is None:
                messages.error(request, "Pilih Perangkat Daerah.")
                return redirect(f"{request.path}?tahun={tahun}")
            terbuka = {"1": True, "0": False}.get(terbuka_text)
            siklus.pengecualian_set(
                user=request.user,
                perangkat_daerah=pd,
                tahun=tahun,
                triwulan=triwulan,
                terbuka=terbuka,
                alasan=request.POST.get("alasan", ""),
            )
            messages.success(request, f"Pengecualian {pd.nama} TW {ROMAWI[triwulan - 1]} disimpan.")
        else:
            pemda = next((p for p in pemda_list if p.pk == _int(request.POST.get("pemda"))), None)
            if pemda is None:
                messages.error(request, "Pemda tidak dikenal.")
                return redirect(f"{request.path}?tahun={tahun}")
            batas_text = request.POST.get("batas", "")
            try:
                batas = datetime.date.fromisoformat(batas_text) if batas_text else None
            except ValueError:
                messages.error(request, "Tanggal batas tidak sah; gunakan pemilih tanggal.")
                return redirect(f"{request.path}?tahun={tahun}")
            siklus.jendela_set(
                user=request.user,
                pemda=pemda,
                tahun=tahun,
                triwulan=triwulan,
                terbuka=terbuka_text == "1",
                batas=batas,
            )
            keadaan = "dibuka" if terbuka_text == "1" else "ditutup"
            messages.success(request, f"Jendela entri TW {ROMAWI[triwulan - 1]} {tahun} {keadaan}.")
        return redirect(f"{request.path}?tahun={tahun}")
    windows = {
        (w.pemda_id, w.triwulan): w
        for w in JendelaEntri.objects.filter(tahun=tahun, pemda__in=pemda_list)
    }
    return render(
        request,
        "monev/jendela.html",
        {
            "tahun": tahun,
            "pemda_list": [
                (p, [(q, ROMAWI[q - 1], windows.get((p.pk, q))) for q in range(1, 5)])
                for p in pemda_list
            ],
            "pengecualian": PengecualianJendela.objects.filter(
                tahun=tahun, perangkat_daerah__pemda__in=pemda_list
            ).select_related("perangkat_daerah"),
            "daftar_pd": access.writable_pd(request.user).order_by("kode"),
            "triwulan_list": [(q, ROMAWI[q - 1]) for q in range(1, 5)],
        },
    )
