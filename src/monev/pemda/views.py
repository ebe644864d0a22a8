"""Short views of the pemda's pages: access helper, parse, selector or service, render."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from monev.core.budget import children_of
from monev.core.evaluation import evaluate
from monev.core.numbers import decimal_text
from monev.io.flat import InputError
from monev.io.report.context import Kertas
from monev.io.tabular import safe_cell
from monev.pemda import dashboard, reports, selectors, services
from monev.pemda.api import api
from monev.pemda.charts import Grafik
from monev.pemda.models import TokenApi
from monev.pemda.projection import Dasar, alasan, alasan_rata_rata
from monev.pemda.summary import project_lines
from monev.web import access
from monev.web.access import ALL_ROLES, Peran, role_required
from monev.web.models import Indikator, Pemda, Renja, Simpul

ROMAWI = dashboard.ROMAWI
#: Bappeda and the pemda's leaders read the whole pemda; operators see their own PD only.
PEMDA_ROLES = (Peran.ADMIN, Peran.VERIFIKATOR, Peran.PIMPINAN)
DASAR_LABEL = {
    Dasar.RENCANA: "terhadap rencana triwulan",
    Dasar.TREN: "laju sejauh ini",
    Dasar.BELUM_ADA_DATA: "belum ada data",
    Dasar.TANPA_TARGET: "tanpa target",
}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Pilihan:
    """The pemda, year and quarter a page shows, as chosen in the query string."""

    pemda: Pemda
    tahun: int
    triwulan: int
    tahun_list: list[int]
    pemda_list: list[Pemda]
    data: selectors.PemdaTahun

    def query(self, **extra: Any) -> str:
        values = {"tahun": self.tahun, "triwulan": self.triwulan}
        if len(self.pemda_list) > 1:
            values["pemda"] = self.pemda.pk
        values.update(extra)
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def _pilihan(request: HttpRequest) -> Pilihan | None:
    pemda_list = selectors.pemda_list()
    if not pemda_list:
        return None
    wanted = _int(request.GET.get("pemda"))
    pemda = next((p for p in pemda_list if p.pk == wanted), pemda_list[0])
    years = selectors.years_of(pemda)
    if not years:
        return None
    tahun = _int(request.GET.get("tahun"))
    tahun = tahun if tahun in years else years[0]
    data = selectors.pemda_year(pemda, tahun)
    triwulan = _int(request.GET.get("triwulan"))
    if triwulan not in (1, 2, 3, 4):
        triwulan = data.default_triwulan()
    return Pilihan(pemda, tahun, triwulan, years, pemda_list, data)


def _base(pilihan: Pilihan) -> dict[str, Any]:
    return {
        "pilihan": pilihan,
        "romawi": ROMAWI[pilihan.triwulan - 1],
        "triwulan_list": [(q, ROMAWI[q - 1]) for q in range(1, 5)],
    }


def _empty(request: HttpRequest) -> HttpResponse:
    return render(request, "pemda/kosong.html")


def _svg(grafik: Grafik) -> Any:
    return mark_safe(grafik.svg)  # built by monev.pemda.charts, every text escaped


@dataclass(frozen=True)
class Kolom:
    key: str
    label: str
    url: str
    aria: str
    arrow: str


def _columns(pilihan: Pilihan, saringan: dashboard.Saringan) -> dict[str, Kolom]:
    labels = {
        "peringkat": "Peringkat",
        "kode": "Kode",
        "nama": "Perangkat Daerah",
        "status": f"Status TW {ROMAWI[pilihan.triwulan - 1]}",
        "capaian_k": "Capaian kinerja (%)",
        "perubahan_k": "Perubahan (poin)",
        "persen_rp": "Realisasi anggaran (%)",
        "perubahan_rp": "Perubahan (poin)",
        "proyeksi_k": "Proyeksi kinerja akhir tahun (%)",
        "proyeksi_rp": "Proyeksi anggaran akhir tahun (%)",
    }
    out = {}
    for key, label in labels.items():
        current = saringan.urut == key
        arah = "turun" if current and saringan.arah == "naik" else "naik"
        if not current and key in ("capaian_k", "persen_rp", "proyeksi_k", "proyeksi_rp"):
            arah = "turun"  # the best first on a first click
        query = pilihan.query(**saringan.query(urut=key, arah=arah))
        out[key] = Kolom(
            key=key,
            label=label,
            url=f"?{query}",
            aria=("descending" if saringan.arah == "turun" else "ascending") if current else "none",
            arrow=(" ▼" if saringan.arah == "turun" else " ▲") if current else "",
        )
    return out


@require_GET
@role_required(*PEMDA_ROLES)
def dasbor(request: HttpRequest) -> HttpResponse:
    pilihan = _pilihan(request)
    if pilihan is None:
        return _empty(request)
    saringan = dashboard.Saringan.parse(request.GET)
    hasil = dashboard.build(pilihan.data, pilihan.triwulan, saringan)
    query = pilihan.query(**saringan.query())
    return render(
        request,
        "pemda/dasbor.html",
        {
            **_base(pilihan),
            "dasbor": hasil,
            "saringan": saringan,
            "kolom": _columns(pilihan, saringan),
            "grafik": [
                (g, _svg(g), f"{reverse('pemda:grafik', args=[g.nama])}?{query}")
                for g in hasil.grafik.values()
            ],
            "query": query,
            "status_list": dashboard.STATUS_LABEL.items(),
            "predikat_list": dashboard.PREDIKAT,
            "peringatan_pd": [r for r in hasil.rows if r.peringatan],
            "perhatian": [r for r in hasil.rows if r.peringatan or r.jumlah_peringatan_indikator],
            "jumlah_peringatan_indikator": sum(r.jumlah_peringatan_indikator for r in hasil.rows),
        },
    )


@require_GET
@role_required(*PEMDA_ROLES)
def grafik(request: HttpRequest, nama: str) -> HttpResponse:
    """Return one chart as an SVG file: the dashboard's, or a PD's with `?renja=`."""
    renja_id = _int(request.GET.get("renja"))
    if renja_id is not None:
        renja = access.renja_for(request.user, renja_id)
        figures = selectors.renja_figures(renja)
        triwulan = _int(request.GET.get("triwulan"))
        if triwulan not in (1, 2, 3, 4):
            triwulan = figures.last_triwulan
        found = dashboard.pd_charts(
            renja.perangkat_daerah.nama, renja.tahun, list(figures.triwulan), triwulan
        )
        stem = f"{nama}-{renja.perangkat_daerah.kode}-{renja.tahun}-tw{triwulan}"
    else:
        pilihan = _pilihan(request)
        if pilihan is None:
            raise Http404("belum ada data")
        saringan = dashboard.Saringan.parse(request.GET)
        rows = dashboard.apply(dashboard.rows_of(pilihan.data, pilihan.triwulan), saringan)
        found = dashboard.charts_of(pilihan.data, rows, pilihan.triwulan)
        stem = f"{nama}-{pilihan.tahun}-tw{pilihan.triwulan}"
    chart = found.get(nama)
    if chart is None:
        raise Http404("grafik tidak dikenal")
    response = HttpResponse(chart.svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.svg"'
    return response


# -- early warning ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Peringatan:
    """One line of the early-warning list: a PD's mean, its budget, or an indicator."""

    renja_id: int
    perangkat_daerah: str
    jenis: str
    kode: str
    uraian: str
    indikator: str
    proyeksi: Any  # Proyeksi, or ProyeksiRataRata for a PD's mean
    alasan: str
    ref: int | None = None


def _warnings(pilihan: Pilihan, pd_id: int | None = None) -> list[Peringatan]:
    out = []
    for pd in pilihan.data.pd:
        if pd.renja is None or pd.angka is None:
            continue
        if pd_id is not None and pd.perangkat_daerah.pk != pd_id:
            continue
        angka = pd.angka.at(pilihan.triwulan)
        nama = pd.perangkat_daerah.nama
        if angka.proyeksi_k.peringatan:
            out.append(
                Peringatan(
                    pd.renja.pk,
                    nama,
                    "Rata-rata kinerja Perangkat Daerah",
                    pd.perangkat_daerah.kode,
                    nama,
                    "Rata-rata capaian indikator kegiatan",
                    angka.proyeksi_k,
                    alasan_rata_rata(angka.proyeksi_k),
                )
            )
        if angka.proyeksi_rp.peringatan:
            out.append(
                Peringatan(
                    pd.renja.pk,
                    nama,
                    "Realisasi anggaran Perangkat Daerah",
                    pd.perangkat_daerah.kode,
                    nama,
                    "Σ realisasi / Σ pagu",
                    angka.proyeksi_rp,
                    alasan(angka.proyeksi_rp, rupiah=True),
                )
            )
        for item in angka.peringatan:
            out.append(
                Peringatan(
                    pd.renja.pk,
                    nama,
                    f"Indikator {item.tingkat.value.replace('_', ' ')}",
                    item.kode,
                    item.nama,
                    item.teks,
                    item.proyeksi,
                    alasan(item.proyeksi),
                    item.ref,
                )
            )
    return out


#: Lines shown on the page at most; the CSV holds them all.
MAKS_PERINGATAN = 300


@require_GET
@role_required(*PEMDA_ROLES)
def peringatan(request: HttpRequest) -> HttpResponse:
    pilihan = _pilihan(request)
    if pilihan is None:
        return _empty(request)
    pd_id = _int(request.GET.get("pd"))
    lines = _warnings(pilihan, pd_id)
    return render(
        request,
        "pemda/peringatan.html",
        {
            **_base(pilihan),
            "lines": lines[:MAKS_PERINGATAN],
            "jumlah": len(lines),
            "terpotong": len(lines) > MAKS_PERINGATAN,
            "pd_id": pd_id,
            "query": pilihan.query(pd=pd_id or ""),
            "dasar_label": DASAR_LABEL,
        },
    )


PERINGATAN_COLUMNS = (
    "perangkat_daerah",
    "jenis",
    "kode",
    "uraian",
    "indikator",
    "triwulan",
    "sampai_triwulan",
    "realisasi",
    "capaian",
    "rencana",
    "capaian_rencana",
    "selisih_rencana",
    "dasar",
    "proyeksi_nilai",
    "proyeksi_capaian",
    "proyeksi_predikat",
    "alasan",
)


def _plain(value: Decimal | None) -> str:
    """Return a number in machine form without trailing zeros (`25`, `1234.5`); blank for none."""
    return "" if value is None else decimal_text(value.normalize()) or ""


def _csv_response(rows: list[list[Any]], filename: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    # A BOM makes Excel read the file as UTF-8.
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@role_required(*PEMDA_ROLES)
def peringatan_csv(request: HttpRequest) -> HttpResponse:
    pilihan = _pilihan(request)
    if pilihan is None:
        raise Http404("belum ada data")
    rows: list[list[Any]] = [list(PERINGATAN_COLUMNS)]
    for line in _warnings(pilihan, _int(request.GET.get("pd"))):
        p = line.proyeksi
        single = not hasattr(p, "jumlah")
        rows.append(
            [
                safe_cell(line.perangkat_daerah),
                safe_cell(line.jenis),
                safe_cell(line.kode),
                safe_cell(line.uraian),
                safe_cell(line.indikator),
                pilihan.triwulan,
                p.sampai_triwulan if single else "",
                _plain(p.realisasi) if single else "",
                decimal_text(p.capaian, 2) if single else "",
                _plain(p.rencana) if single else "",
                decimal_text(p.capaian_rencana, 2) if single else "",
                decimal_text(p.selisih_rencana, 2),
                p.dasar.value if single else "rata_rata",
                _plain(p.nilai_akhir) if single else "",
                decimal_text(p.capaian_akhir, 2),
                p.predikat_akhir or "",
                safe_cell(line.alasan),
            ]
        )
    return _csv_response(rows, f"peringatan-dini-{pilihan.tahun}-tw{pilihan.triwulan}.csv")


# -- consolidation ------------------------------------------------------------------------------


@require_GET
@role_required(*PEMDA_ROLES)
def konsolidasi(request: HttpRequest) -> HttpResponse:
    pilihan = _pilihan(request)
    if pilihan is None:
        return _empty(request)
    hasil = dashboard.consolidation(pilihan.data, pilihan.triwulan)
    return render(
        request,
        "pemda/konsolidasi.html",
        {**_base(pilihan), "urusan": hasil.urusan, "total": hasil.total, "query": pilihan.query()},
    )


@require_GET
@role_required(*PEMDA_ROLES)
def konsolidasi_xlsx(request: HttpRequest) -> HttpResponse:
    """Return the pemda's workbook: a summary of every PD, then each PD's E.81 on its own sheet."""
    pilihan = _pilihan(request)
    if pilihan is None:
        raise Http404("belum ada data")
    return reports.workbook_file(pilihan.data, pilihan.triwulan).response()


@require_GET
@role_required(*PEMDA_ROLES)
def konsolidasi_e79(request: HttpRequest, fmt: str) -> HttpResponse:
    """Return the pemda's consolidated evaluation (Formulir E.79 style) as XLSX or PDF."""
    pilihan = _pilihan(request)
    if pilihan is None or fmt not in ("xlsx", "pdf"):
        raise Http404("belum ada data")
    kertas = request.GET.get("kertas", "")
    if kertas not in {k.value for k in Kertas}:
        kertas = Kertas.F4
    return reports.e79_file(pilihan.data, pilihan.triwulan, fmt, kertas).response()


# -- drill-down: PD → program → kegiatan → sub kegiatan → indicator -----------------------------


def _drill(request: HttpRequest, renja_id: int) -> dict[str, Any]:
    renja = access.renja_for(request.user, renja_id)
    data = selectors.load_renja([renja])[renja.pk]
    pengaturan = selectors.pengaturan_of(renja.perangkat_daerah.pemda)
    figures = selectors.figures_of([renja], pengaturan)[renja.pk]
    triwulan = _int(request.GET.get("triwulan"))
    if triwulan not in (1, 2, 3, 4):
        triwulan = figures.last_triwulan
    evaluasi = evaluate(data.core, triwulan, pengaturan)
    laporan = renja.laporan.filter(triwulan=triwulan).first()
    return {
        "renja": renja,
        "data": data,
        "figures": figures,
        "angka": figures.at(triwulan),
        "evaluasi": evaluasi,
        "pengaturan": pengaturan,
        "triwulan": triwulan,
        "romawi": ROMAWI[triwulan - 1],
        "triwulan_list": [(q, ROMAWI[q - 1]) for q in range(1, 5)],
        "status": dashboard.STATUS_LABEL[laporan.status if laporan else "draf"],
        "e81_url": f"{reverse('evaluasi', args=[renja.pk])}?triwulan={triwulan}",
    }


@require_GET
@role_required(*PEMDA_ROLES)
def pd(request: HttpRequest, renja_id: int) -> HttpResponse:
    context = _drill(request, renja_id)
    renja = context["renja"]
    charts = dashboard.pd_charts(
        renja.perangkat_daerah.nama,
        renja.tahun,
        list(context["figures"].triwulan),
        context["triwulan"],
    )
    download = f"?renja={renja.pk}&triwulan={context['triwulan']}"
    context["grafik"] = [
        (g, _svg(g), reverse("pemda:grafik", args=[g.nama]) + download) for g in charts.values()
    ]
    context["alasan"] = dashboard.reasons(context["angka"])
    return render(request, "pemda/pd.html", context)


@dataclass(frozen=True)
class BarisIndikator:
    baris: Any  # monev.core.evaluation.Baris
    proyeksi: Any
    alasan: str
    rencana: tuple[Decimal | None, ...] | None


@require_GET
@role_required(*PEMDA_ROLES)
def simpul(request: HttpRequest, renja_id: int, kode: str) -> HttpResponse:
    context = _drill(request, renja_id)
    core = context["data"].core
    node = core.node(kode)
    if node is None:
        raise Http404("kode tidak ada dalam Renja ini")
    evaluasi = context["evaluasi"]
    projections = {
        (n.kode, item.ref, item.teks): p
        for n, item, p in project_lines(evaluasi, context["data"].rencana_k, context["pengaturan"])
        if n.kode == kode
    }
    lines = []
    for b in evaluasi.baris:
        if b.node.kode != kode or (b.indikator.ref is None and not b.indikator.teks):
            continue
        p = projections[(kode, b.indikator.ref, b.indikator.teks)]
        lines.append(
            BarisIndikator(b, p, alasan(p), context["data"].rencana_k.get(b.indikator.ref))
        )
    parts = kode.split(".")
    trail = []
    for n in (3, 5, 6):
        ancestor = core.node(".".join(parts[:n])) if len(parts) > n else None
        if ancestor is not None:
            trail.append(ancestor)
    children = [
        (
            child,
            evaluasi.rp_of(child.kode),
            [b for b in evaluasi.baris if b.node.kode == child.kode],
        )
        for child in children_of(core).get(kode, [])
    ]
    context.update(
        node=node,
        rp=evaluasi.rp_of(kode),
        lines=lines,
        trail=trail,
        children=children,
        rencana_rp=context["data"].rencana_rp.get(node.ref),
        dasar_label=DASAR_LABEL,
    )
    return render(request, "pemda/simpul.html", context)


# -- quarterly plans ----------------------------------------------------------------------------


@require_GET
@role_required(*ALL_ROLES)
def rencana(request: HttpRequest, renja_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    k, rp = selectors.rencana_of(renja)
    simpul_list = list(Simpul.objects.filter(renja=renja).order_by("urutan"))
    parents = {s.induk_id for s in simpul_list if s.induk_id}
    indikator: dict[int, list[Indikator]] = {}
    for item in Indikator.objects.filter(simpul__renja=renja).order_by("simpul_id", "urutan", "id"):
        indikator.setdefault(item.simpul_id, []).append(item)
    rows = [
        (
            s,
            [(i, k.get(i.pk, services.KOSONG)) for i in indikator.get(s.pk, [])],
            rp.get(s.pk, services.KOSONG) if s.pk not in parents else None,
        )
        for s in simpul_list
    ]
    return render(
        request,
        "pemda/rencana.html",
        {
            "renja": renja,
            "rows": rows,
            "bisa_ubah": access.can_edit_realisasi(request.user, renja),
            "jumlah_k": len(k),
            "jumlah_rp": len(rp),
            "romawi": ROMAWI,
        },
    )


def _back_to_rencana(renja: Renja, anchor: str = "") -> HttpResponse:
    return redirect(reverse("pemda:rencana", args=[renja.pk]) + (f"#{anchor}" if anchor else ""))


def _quarters_from(request: HttpRequest, places: int) -> Any:
    return services.parse_quarters(
        [request.POST.get(f"tw{q}", "") for q in range(1, 5)], places=places
    )


@require_POST
@role_required(*ALL_ROLES)
def rencana_k(request: HttpRequest, renja_id: int, indikator_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    access.require_edit_realisasi(request.user, renja)
    indikator = get_object_or_404(
        Indikator.objects.select_related("simpul__renja"), pk=indikator_id, simpul__renja=renja
    )
    try:
        nilai = _quarters_from(request, services.MAX_K_PLACES)
    except ValidationError as exc:
        messages.error(request, f"{indikator.simpul.kode}: " + "; ".join(exc.messages))
        return _back_to_rencana(renja, f"k-{indikator.pk}")
    services.rencana_k_update(user=request.user, indikator=indikator, nilai=nilai)
    messages.success(request, f"Rencana triwulan {indikator.simpul.kode} tersimpan.")
    return _back_to_rencana(renja, f"k-{indikator.pk}")


@require_POST
@role_required(*ALL_ROLES)
def rencana_rp(request: HttpRequest, renja_id: int, simpul_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    access.require_edit_realisasi(request.user, renja)
    node = get_object_or_404(Simpul.objects.select_related("renja"), pk=simpul_id, renja=renja)
    try:
        nilai = _quarters_from(request, services.MAX_RP_PLACES)
        services.rencana_rp_update(user=request.user, simpul=node, nilai=nilai)
    except ValidationError as exc:
        messages.error(request, f"{node.kode}: " + "; ".join(exc.messages))
        return _back_to_rencana(renja, f"rp-{node.pk}")
    messages.success(request, f"Rencana penarikan dana {node.kode} tersimpan.")
    return _back_to_rencana(renja, f"rp-{node.pk}")


@require_POST
@role_required(*ALL_ROLES)
def rencana_impor(request: HttpRequest, renja_id: int) -> HttpResponse:
    renja = access.renja_for(request.user, renja_id)
    access.require_edit_realisasi(request.user, renja)
    upload = request.FILES.get("berkas")
    if upload is None:
        messages.error(request, "Pilih berkas CSV atau XLSX.")
        return _back_to_rencana(renja, "impor")
    try:
        lines = services.read_rencana(renja, upload.name or "rencana.csv", upload.read())
    except InputError as exc:
        for problem in exc.masalah[:50]:
            messages.error(request, str(problem))
        if len(exc.masalah) > 50:
            messages.error(request, f"… dan {len(exc.masalah) - 50} masalah lain.")
        messages.error(request, "Tidak ada yang disimpan: perbaiki berkasnya lalu unggah lagi.")
        return _back_to_rencana(renja, "impor")
    if request.POST.get("coba") == "1":
        messages.success(
            request, f"Berkas benar: {len(lines)} baris rencana siap disimpan (belum disimpan)."
        )
        return _back_to_rencana(renja, "impor")
    changed = services.rencana_import(user=request.user, renja=renja, lines=lines)
    messages.success(
        request, f"{len(lines)} baris rencana dibaca; {changed} berubah dan tersimpan."
    )
    return _back_to_rencana(renja, "impor")


@require_GET
@role_required(*ALL_ROLES)
def rencana_csv(request: HttpRequest, renja_id: int) -> HttpResponse:
    """Return the Renja's plan lines as a CSV that can be filled in and imported again."""
    renja = access.renja_for(request.user, renja_id)
    k, rp = selectors.rencana_of(renja)
    rows: list[list[Any]] = [["kode", "jenis", "indikator", "tw1", "tw2", "tw3", "tw4"]]
    simpul_list = list(Simpul.objects.filter(renja=renja).order_by("urutan"))
    parents = {s.induk_id for s in simpul_list if s.induk_id}
    indikator: dict[int, list[Indikator]] = {}
    for item in Indikator.objects.filter(simpul__renja=renja).order_by("simpul_id", "urutan", "id"):
        indikator.setdefault(item.simpul_id, []).append(item)
    for s in simpul_list:
        for n, item in enumerate(indikator.get(s.pk, []), start=1):
            values = k.get(item.pk, services.KOSONG)
            rows.append([s.kode, "k", n, *(_plain(v) for v in values)])
        if s.pk not in parents:
            values = rp.get(s.pk, services.KOSONG)
            rows.append([s.kode, "rp", "", *(_plain(v) for v in values)])
    return _csv_response(rows, f"rencana-{renja.perangkat_daerah.kode}-{renja.tahun}.csv")


# -- API tokens and the API's description -------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*ALL_ROLES)
def token(request: HttpRequest) -> HttpResponse:
    baru = None
    if request.method == "POST":
        try:
            _, baru = services.token_create(user=request.user, nama=request.POST.get("nama", ""))
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    return render(
        request,
        "pemda/token.html",
        {
            "tokens": TokenApi.objects.filter(pengguna=request.user),
            "baru": baru,
            "docs_url": reverse("pemda:api_dokumentasi"),
        },
        status=201 if baru else 200,
    )


@require_POST
@role_required(*ALL_ROLES)
def token_cabut(request: HttpRequest, token_id: int) -> HttpResponse:
    found = get_object_or_404(TokenApi, pk=token_id, pengguna=request.user)
    services.token_revoke(user=request.user, token=found)
    messages.success(request, f"Token “{found.nama}” dicabut.")
    return redirect("pemda:token")


@require_GET
def api_dokumentasi(request: HttpRequest) -> HttpResponse:
    """Describe the API in Indonesian from its own OpenAPI description (public, offline)."""
    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "akses": _access_label(op.get("security", [])),
                }
            )
    return render(
        request,
        "pemda/api.html",
        {
            "operations": operations,
            "openapi_url": reverse("pemda:openapi"),
            "token_url": reverse("pemda:token"),
        },
    )


def _access_label(security: list[dict[str, Any]]) -> str:
    schemes = {name for option in security for name in option}
    if not schemes:
        return "terbuka"
    if any("Session" in name for name in schemes):
        return "token / sesi"
    return "token"


@require_GET
def openapi(request: HttpRequest) -> HttpResponse:
    """Return the API's OpenAPI description (public)."""
    return JsonResponse(api.get_openapi_schema(), json_dumps_params={"ensure_ascii": False})


def api_akar(request: HttpRequest) -> HttpResponse:
    return redirect("pemda:api_dokumentasi")
