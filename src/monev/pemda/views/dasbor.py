"""The Bappeda dashboard: every PD of a year and quarter, its charts, and the drill-down to a PD and a node."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from monev.core.budget import children_of
from monev.core.evaluation import evaluate
from monev.pemda import dasbor_html, dasbor_tarikan, dashboard, selectors
from monev.pemda.projection import alasan
from monev.pemda.summary import project_lines
from monev.pemda.views.common import (
    DASAR_LABEL,
    PEMDA_ROLES,
    ROMAWI,
    Pilihan,
    base_context,
    empty_page,
    parse_int,
    pilihan_of,
    pulled_pemda,
    svg_markup,
)
from monev.web import access, snapshot
from monev.web.access import role_required
from monev.web.pengaturan import pengaturan_of


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
    pilihan = pilihan_of(request)
    if pilihan is None:
        pulled = pulled_pemda(request)
        return _pulled(request, pulled) if pulled is not None else empty_page(request)
    names = pilihan.data.pengaturan.predikat_k.nama
    saringan = dashboard.Saringan.parse(request.GET, names)
    hasil = dashboard.build(pilihan.data, pilihan.triwulan, saringan)
    query = pilihan.query(**saringan.query())
    perhatian = [r for r in hasil.rows if r.peringatan or r.jumlah_peringatan_indikator]
    return render(
        request,
        "pemda/dasbor.html",
        {
            **base_context(pilihan),
            "dasbor": hasil,
            "saringan": saringan,
            "kolom": _columns(pilihan, saringan),
            "grafik": [
                (g, svg_markup(g), f"{reverse('pemda:grafik', args=[g.nama])}?{query}")
                for g in hasil.grafik.values()
            ],
            "query": query,
            "status_list": dashboard.STATUS_LABEL.items(),
            "predikat_list": names,
            "peringatan_pd": [r for r in hasil.rows if r.peringatan],
            "perhatian": perhatian,
            "tabel_pd": dasbor_html.pd_rows(hasil.rows, pilihan.tahun, pilihan.triwulan),
            "daftar_perhatian": dasbor_html.warnings(perhatian, pilihan.triwulan, query),
            "jumlah_peringatan_indikator": sum(r.jumlah_peringatan_indikator for r in hasil.rows),
        },
    )


def _pulled(request: HttpRequest, pemda: Any) -> HttpResponse:
    """The dashboard of a pemda held here through pulled rows only (read-only by nature)."""
    hasil = dasbor_tarikan.build(
        pemda, parse_int(request.GET.get("tahun")), parse_int(request.GET.get("triwulan"))
    )
    pemda_list = list(access.visible_pemda(request.user).order_by("nama"))
    values = {"tahun": hasil.tahun, "triwulan": hasil.triwulan}
    if len(pemda_list) > 1:
        values["pemda"] = pemda.pk
    return render(
        request,
        "pemda/dasbor_tarikan.html",
        {
            "dasbor": hasil,
            "pilihan": {
                "pemda": pemda,
                "pemda_list": pemda_list,
                "tahun": hasil.tahun,
                "tahun_list": hasil.tahun_list,
                "triwulan": hasil.triwulan,
            },
            "romawi": ROMAWI[hasil.triwulan - 1],
            "triwulan_list": [(q, ROMAWI[q - 1]) for q in range(1, 5)],
            "query": urlencode(values),
        },
    )


@require_GET
@role_required(*PEMDA_ROLES)
def grafik(request: HttpRequest, nama: str) -> HttpResponse:
    """Return one chart as an SVG file: the dashboard's, or a PD's with `?renja=`."""
    renja_id = parse_int(request.GET.get("renja"))
    if renja_id is not None:
        renja = access.renja_for(request.user, renja_id)
        figures = selectors.renja_figures(renja)
        triwulan = parse_int(request.GET.get("triwulan"))
        if triwulan not in (1, 2, 3, 4):
            triwulan = figures.last_triwulan
        found = dashboard.pd_charts(
            renja.perangkat_daerah.nama,
            renja.tahun,
            list(figures.triwulan),
            triwulan,
            pengaturan_of(renja.perangkat_daerah.pemda),
        )
        stem = f"{nama}-{renja.perangkat_daerah.kode}-{renja.tahun}-tw{triwulan}"
    else:
        pilihan = pilihan_of(request)
        if pilihan is None:
            raise Http404("belum ada data")
        saringan = dashboard.Saringan.parse(request.GET, pilihan.data.pengaturan.predikat_k.nama)
        rows = dashboard.apply(dashboard.rows_of(pilihan.data, pilihan.triwulan), saringan)
        found = dashboard.charts_of(pilihan.data, rows, pilihan.triwulan)
        stem = f"{nama}-{pilihan.tahun}-tw{pilihan.triwulan}"
    chart = found.get(nama)
    if chart is None:
        raise Http404("grafik tidak dikenal")
    response = HttpResponse(chart.svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.svg"'
    return response


def _drill(request: HttpRequest, renja_id: int) -> dict[str, Any]:
    renja = access.renja_for(request.user, renja_id)
    data = selectors.load_renja([renja])[renja.pk]
    pengaturan = pengaturan_of(renja.perangkat_daerah.pemda)
    figures = selectors.figures_of([renja], pengaturan)[renja.pk]
    triwulan = parse_int(request.GET.get("triwulan"))
    if triwulan not in (1, 2, 3, 4):
        triwulan = figures.last_triwulan
    evaluasi = snapshot.verified_evaluation(renja, triwulan) or evaluate(
        data.core, triwulan, pengaturan
    )
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
        context["pengaturan"],
    )
    download = f"?renja={renja.pk}&triwulan={context['triwulan']}"
    context["grafik"] = [
        (g, svg_markup(g), reverse("pemda:grafik", args=[g.nama]) + download)
        for g in charts.values()
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
