"""The mapping preview of the web import (issue 14 point 3): upload a table, see it as read, change
what each column holds, answer the questions, correct names, then download or save the mapping,
apply a saved one, or import.

The uploaded file is kept in the private upload area (`monev.web.uploads`) under a random token
for as long as the preview needs it; every step reads it again with the mapping the form holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from monev.io.flat import InputError
from monev.io.safety import check_upload
from monev.io.tabel.model import Pemetaan
from monev.io.tabel.pratinjau import PILIHAN_ISI, Pratinjau, mapping_from_form, pd_differs
from monev.web import access, impor_tabel, pratinjau_tugas, siklus, uploads
from monev.web.access import Peran, role_required
from monev.web.models import PemetaanTersimpan, PerangkatDaerah, Renja, TugasImpor

#: What the table reader takes (PDF included: text or scanned).
SUFFIXES = (".csv", ".txt", ".xlsx", ".xls", ".ods", ".pdf")
_AGREGASI = (("progresif", "progresif"), ("akumulatif", "akumulatif"), ("rata_rata", "rata-rata"))
_TINGKAT = (("program", "program"), ("kegiatan", "kegiatan"), ("sub_kegiatan", "sub kegiatan"))


@dataclass
class _Pilihan:
    """What the upload chose: the PD, the year and version, the kept file."""

    pd: PerangkatDaerah
    tahun: int
    versi: str
    token: str
    nama_berkas: str


def _choices(request: HttpRequest) -> tuple[PerangkatDaerah | None, int | None, str, list[str]]:
    problems: list[str] = []
    pd_id = request.POST.get("perangkat_daerah", "")
    pd = (
        access.writable_pd(request.user).select_related("pemda").filter(pk=pd_id).first()
        if pd_id.isdigit()
        else None
    )
    if pd is None:
        problems.append("Pilih Perangkat Daerah.")
    text = request.POST.get("tahun", "").strip()
    tahun = int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None
    if tahun is None:
        problems.append("Tahun harus berupa angka tahun, misalnya 2023.")
    versi = request.POST.get("versi", Renja.Versi.MURNI)
    if versi not in Renja.Versi.values:
        problems.append("Versi Renja tidak dikenal.")
    return pd, tahun, versi, problems


def _form_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "daftar_pd": access.writable_pd(request.user).select_related("pemda").order_by("kode"),
        "versi_list": Renja.Versi.choices,
        "tersimpan_semua": PemetaanTersimpan.objects.filter(
            pemda__in=access.writable_pemda(request.user)
        )
        .select_related("pemda")
        .order_by("pemda__nama", "nama"),
        "suffixes": ",".join(SUFFIXES),
        **extra,
    }


@require_http_methods(["GET", "POST"])
@role_required(Peran.ADMIN)
def unggah(request: HttpRequest) -> HttpResponse:
    """The first step: choose the PD, year and file (and a saved mapping to apply)."""
    if request.method == "GET":
        return render(request, "monev/pemetaan_unggah.html", _form_context(request))
    pd, tahun, versi, problems = _choices(request)
    berkas = uploads.received(
        request,
        problems,
        suffixes=SUFFIXES,
        pilih="Pilih berkas tabel (CSV, XLSX/XLS/ODS, teks, atau PDF).",
        harus="Berkas harus CSV, XLSX, XLS, ODS, teks (TXT), atau PDF.",
    )
    saved = _saved(request, pd)
    if request.POST.get("terapkan") and saved is None and pd is not None:
        problems.append("Pemetaan tersimpan itu tidak ada untuk pemda Perangkat Daerah ini.")
    if problems or pd is None or tahun is None or berkas is None:
        context = _form_context(request, problems=problems, post=request.POST)
        return render(request, "monev/pemetaan_unggah.html", context, status=400)
    name, data = Path(berkas[0] or "berkas").name, berkas[1]
    try:
        check_upload(
            data,
            name,
            max_bytes=settings.MONEV_UPLOAD_MAX_BYTES,
            max_unpacked_bytes=settings.MONEV_UPLOAD_MAX_UNPACKED_BYTES,
        )
    except InputError as exc:
        context = _form_context(request, problems=[str(m) for m in exc.masalah], post=request.POST)
        return render(request, "monev/pemetaan_unggah.html", context, status=400)
    uploads.sweep()
    token = uploads.keep(data, Path(name).suffix.lower())
    chosen = _Pilihan(pd, tahun, versi, token, name)
    mapping = impor_tabel.pemetaan_of(saved) if saved is not None else None
    if saved is not None:
        messages.info(request, f"Pemetaan tersimpan '{saved.nama}' diterapkan.")
    if pratinjau_tugas.latar(len(data)):  # read in the background; the page follows the job
        tugas = _start(request, chosen, data, mapping)
        return redirect("impor_tabel_pratinjau_tugas", tugas_id=tugas.pk)
    return _preview_page(request, chosen, data, mapping)


def _saved(request: HttpRequest, pd: PerangkatDaerah | None) -> PemetaanTersimpan | None:
    text = request.POST.get("terapkan", "")
    if not text.isdigit() or pd is None:
        return None
    return PemetaanTersimpan.objects.filter(pk=int(text), pemda_id=pd.pemda_id).first()


@require_POST
@role_required(Peran.ADMIN)
def pratinjau(request: HttpRequest) -> HttpResponse:
    """Every later step, by the button pressed (`aksi`): read again with the form's mapping,
    apply a saved mapping, download or save the mapping, or import."""
    pd, tahun, versi, problems = _choices(request)
    token = request.POST.get("token", "")
    data = uploads.read(token) if token else None  # never a path from the client: see uploads
    if data is None:
        problems.append(
            "Berkas unggahan sudah tidak ada (disimpan paling lama sehari); unggah ulang."
        )
    if problems or pd is None or tahun is None or data is None:
        context = _form_context(request, problems=problems, post=request.POST)
        return render(request, "monev/pemetaan_unggah.html", context, status=400)
    chosen = _Pilihan(pd, tahun, versi, token, Path(request.POST.get("nama_berkas", token)).name)
    aksi = request.POST.get("aksi", "baca")
    if aksi == "terapkan":
        saved = _saved(request, pd)
        if saved is None:
            return _preview_page(
                request, chosen, data, None, ["Pilih pemetaan tersimpan yang akan diterapkan."]
            )
        messages.info(request, f"Pemetaan tersimpan '{saved.nama}' diterapkan.")
        return _preview_page(request, chosen, data, impor_tabel.pemetaan_of(saved))
    try:
        mapping = mapping_from_form(request.POST)
    except InputError as exc:
        return _preview_page(request, chosen, data, None, [str(m) for m in exc.masalah])
    if aksi == "unduh":
        return _download(request, chosen, data, mapping)
    if aksi == "simpan":
        try:
            saved = impor_tabel.pemetaan_save(
                user=request.user, pemda=pd.pemda, nama=request.POST.get("nama_pemetaan", ""),
                pemetaan=mapping,
            )  # fmt: skip
        except impor_tabel.Ditolak as exc:
            return _preview_page(request, chosen, data, mapping, [str(exc)])
        messages.success(request, f"Pemetaan '{saved.nama}' tersimpan untuk {pd.pemda.nama}.")
    if aksi == "impor":
        return _import(request, chosen, data, mapping)
    return _preview_page(request, chosen, data, mapping)


def _start(
    request: HttpRequest, chosen: _Pilihan, data: bytes, mapping: Pemetaan | None
) -> TugasImpor:
    """Return the background read of this file with this mapping: one done or running, else a
    new one."""
    found = pratinjau_tugas.pratinjau_cari(
        user=request.user, perangkat_daerah=chosen.pd, token=chosen.token,
        nama_berkas=chosen.nama_berkas, pemetaan=mapping,
    )  # fmt: skip
    return found or pratinjau_tugas.pratinjau_mulai(
        user=request.user, perangkat_daerah=chosen.pd, tahun=chosen.tahun, versi=chosen.versi,
        token=chosen.token, nama_berkas=chosen.nama_berkas, data=data, pemetaan=mapping,
    )  # fmt: skip


@require_safe
@role_required(Peran.ADMIN)
def pratinjau_tugas_page(request: HttpRequest, tugas_id: int) -> HttpResponse:
    """The preview of a large file: a progress bar while its background read runs (htmx polls
    this page), then the preview itself, or every message that refused the file."""
    tugas = access.tugas_impor_for(request.user, tugas_id)
    if tugas.jenis != pratinjau_tugas.JENIS_PRATINJAU:
        raise Http404("Tugas pratinjau tidak ditemukan")
    pd = PerangkatDaerah.objects.select_related("pemda").get(pk=tugas.perangkat_daerah_id)
    chosen = _Pilihan(
        pd, tugas.tahun, tugas.versi, str(tugas.opsi.get("token", "")),
        str(tugas.opsi.get("nama_berkas", tugas.nama_berkas)),
    )  # fmt: skip
    return _job_page(request, chosen, tugas, pratinjau_tugas.pemetaan_tugas(tugas))


def _job_page(
    request: HttpRequest,
    chosen: _Pilihan,
    tugas: TugasImpor,
    mapping: Pemetaan | None,
    problems: list[str] | None = None,
) -> HttpResponse:
    if tugas.aktif:
        context = {"pilihan": chosen, "tugas": tugas, "problems": problems or []}
        template = "monev/_pemetaan_tugas.html" if request.htmx else "monev/pemetaan_pratinjau.html"  # type: ignore[attr-defined]
        return render(request, template, context, status=202 if request.htmx else 200)  # type: ignore[attr-defined]
    # A refusal polled by htmx is 422, which base.html's htmx-config swaps in.
    refused = 422 if request.htmx else 400  # type: ignore[attr-defined]
    if tugas.status == TugasImpor.Status.GAGAL:
        return _render_preview(request, chosen, None, [*(problems or []), *tugas.galat], refused)
    shown = pratinjau_tugas.pratinjau_hasil(tugas)
    if shown is None:
        gone = "Pratinjau berkas ini sudah tidak disimpan (paling lama satu jam); unggah ulang."
        return _render_preview(request, chosen, None, [*(problems or []), gone], refused)
    return _render_preview(request, chosen, shown, problems or [], 200)


def _read(
    chosen: _Pilihan, data: bytes, mapping: Pemetaan | None
) -> tuple[Pratinjau | None, list[str]]:
    try:
        return (
            impor_tabel.baca_tabel(
                perangkat_daerah=chosen.pd, berkas=chosen.nama_berkas, data=data, pemetaan=mapping
            ),
            [],
        )
    except InputError as exc:
        return None, [str(m) for m in exc.masalah]


def _warnings(chosen: _Pilihan, shown: Pratinjau) -> list[str]:
    out = []
    if shown.tahun_tercetak is not None and shown.tahun_tercetak != chosen.tahun:
        out.append(
            f"Berkas ini mencetak tahun {shown.tahun_tercetak}, sedangkan yang dipilih tahun "
            f"{chosen.tahun}. Periksa lagi sebelum mengimpor."
        )
    if pd_differs(shown.pd_tercetak, chosen.pd.nama):
        out.append(
            f"Berkas ini mencetak '{shown.pd_tercetak}', sedangkan Perangkat Daerah yang dipilih "
            f"{chosen.pd.nama}. Periksa lagi sebelum mengimpor."
        )
    return out


def _preview_page(
    request: HttpRequest,
    chosen: _Pilihan,
    data: bytes,
    mapping: Pemetaan | None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    if pratinjau_tugas.latar(len(data)):
        return _job_page(request, chosen, _start(request, chosen, data, mapping), mapping, problems)
    shown, read_problems = _read(chosen, data, mapping)
    return _render_preview(request, chosen, shown, [*(problems or []), *read_problems], status)


def _render_preview(
    request: HttpRequest,
    chosen: _Pilihan,
    shown: Pratinjau | None,
    problems: list[str],
    status: int,
) -> HttpResponse:
    context: dict[str, Any] = {
        "pilihan": chosen,
        "pratinjau": shown,
        "problems": problems,
        "peringatan": _warnings(chosen, shown) if shown is not None else [],
        "pilihan_isi": PILIHAN_ISI,
        "pilihan_agregasi": _AGREGASI,
        "pilihan_tingkat": _TINGKAT,
        "tersimpan": PemetaanTersimpan.objects.filter(pemda_id=chosen.pd.pemda_id),
        "nomenklatur": impor_tabel.daftar_aktif(chosen.pd.pemda_id),
        "pemetaan_json": shown.pemetaan.to_json() if shown is not None else "",
        "sementara": shown.jumlah_sementara if shown else 0,
        "simpul_tampil": shown.simpul[: pratinjau_tugas.SIMPUL_TAMPIL] if shown else [],
        "ada": Renja.objects.filter(
            perangkat_daerah=chosen.pd, tahun=chosen.tahun, versi=chosen.versi
        ).exists(),
    }
    if shown is None and status == 200:
        status = 400
    template = (
        "monev/_pemetaan_pratinjau.html" if request.htmx else "monev/pemetaan_pratinjau.html"  # type: ignore[attr-defined]
    )
    return render(request, template, context, status=status)


def _download(
    request: HttpRequest, chosen: _Pilihan, data: bytes, mapping: Pemetaan
) -> HttpResponse:
    """The mapping used, as the JSON `monev impor --pemetaan` reads."""
    if pratinjau_tugas.latar(len(data)):
        tugas = _start(request, chosen, data, mapping)
        shown = pratinjau_tugas.pratinjau_hasil(tugas) if not tugas.aktif else None
        if shown is None:  # still reading, or refused: the page says which
            return _job_page(request, chosen, tugas, mapping)
        problems: list[str] = []
    else:
        shown, problems = _read(chosen, data, mapping)
    if shown is None:
        return _preview_page(request, chosen, data, mapping, problems)
    response = HttpResponse(
        shown.pemetaan.to_json(), content_type="application/json; charset=utf-8"
    )
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in Path(chosen.nama_berkas).stem)
    response["Content-Disposition"] = f'attachment; filename="pemetaan-{stem or "tabel"}.json"'
    return response


def _import_job(
    request: HttpRequest, chosen: _Pilihan, data: bytes, mapping: Pemetaan
) -> HttpResponse:
    """A large file is imported as a job too; its page shows the progress, then the Renja."""
    try:
        tugas = pratinjau_tugas.impor_mulai(
            user=request.user, perangkat_daerah=chosen.pd, tahun=chosen.tahun,
            versi=chosen.versi, nama_berkas=chosen.nama_berkas, data=data, pemetaan=mapping,
        )  # fmt: skip
    except siklus.Ditolak as exc:
        return _preview_page(request, chosen, data, mapping, [str(exc)], status=409)
    uploads.discard(chosen.token)
    url = reverse("tugas_impor", kwargs={"tugas_id": tugas.pk})
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _import(request: HttpRequest, chosen: _Pilihan, data: bytes, mapping: Pemetaan) -> HttpResponse:
    if pratinjau_tugas.latar(len(data)):
        return _import_job(request, chosen, data, mapping)
    try:
        hasil = impor_tabel.impor_tabel(
            user=request.user,
            perangkat_daerah=chosen.pd,
            tahun=chosen.tahun,
            versi=chosen.versi,
            berkas=chosen.nama_berkas,
            data=data,
            pemetaan=mapping,
        )
    except InputError as exc:
        problems = ["Belum dapat diimpor:", *(str(m) for m in exc.masalah)]
        return _preview_page(request, chosen, data, mapping, problems, status=400)
    except siklus.Ditolak as exc:
        return _preview_page(request, chosen, data, mapping, [str(exc)], status=409)
    uploads.discard(chosen.token)
    extra = f", {hasil.kode_sementara} dengan kode sementara" if hasil.kode_sementara else ""
    messages.success(
        request,
        f"Renja {chosen.pd.nama} {chosen.tahun} tersimpan: {hasil.simpul} simpul, "
        f"{hasil.indikator} indikator{extra}.",
    )
    response = redirect("renja", renja_id=hasil.renja.pk)
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = response_url(hasil.renja.pk)
    return response


def response_url(renja_id: int) -> str:
    from django.urls import reverse

    return reverse("renja", kwargs={"renja_id": renja_id})
