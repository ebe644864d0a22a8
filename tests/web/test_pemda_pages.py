"""The pemda's pages: the dashboard equals every PD's evaluation page, charts, early warning,
consolidation, drill-down, quarterly plans, tokens."""

from __future__ import annotations

import csv
import dataclasses
import io
import random
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monev.core.numbers import format_angka, round_half_up
from monev.pemda import selectors
from monev.pemda.models import RencanaK, RencanaRp, TokenApi
from monev.pemda.projection import Dasar
from monev.pemda.services import digest_of
from monev.web import selectors as web_selectors
from monev.web import services
from monev.web.models import Indikator, LaporanTriwulan, PerangkatDaerah, Riwayat, Simpul


@pytest.fixture(autouse=True)
def _fresh_cache():
    selectors.clear_cache()
    yield
    selectors.clear_cache()


def _shown(value):
    """Return a figure (or a dataclass of figures) as pages show it: per cents to two decimals.

    The pemda's view reads stored rows, whose capaian are kept to 10⁻⁸ per cent
    (`monev.core.aggregate`): equal to the PD's own page as shown, not to the last digit."""
    if isinstance(value, Decimal):
        return round_half_up(value, 2)
    if isinstance(value, tuple | list):
        return tuple(_shown(v) for v in value)
    if dataclasses.is_dataclass(value):
        return tuple(_shown(getattr(value, f.name)) for f in dataclasses.fields(value))
    return value


def _evaluasi(client, renja, triwulan):
    return client.get(f"/renja/{renja.pk}/evaluasi/?triwulan={triwulan}").context["evaluasi"]


@pytest.mark.parametrize("triwulan", [1, 2, 4])
def test_dashboard_figures_equal_each_pd_evaluation_page(client_for, disnaker, contoh, triwulan):
    client = client_for("verifikator")
    response = client.get(f"/pemda/?tahun=2022&triwulan={triwulan}")
    assert response.status_code == 200
    rows = {r.kode: r for r in response.context["dasbor"].rows}
    assert set(rows) == {"2.07.01", "2.16.01"}
    page = response.content.decode()
    for renja in (disnaker, contoh):
        r = _evaluasi(client, renja, triwulan).ringkasan
        row = rows[renja.perangkat_daerah.kode]
        assert _shown((row.capaian_k, row.predikat_k)) == _shown(
            (r.rata_rata_capaian_k, r.predikat_k)
        )
        assert _shown((row.persen_rp, row.predikat_rp)) == _shown(
            (r.persen_realisasi_rp, r.predikat_rp)
        )
        assert f"{format_angka(r.rata_rata_capaian_k)}<small>{r.predikat_k}" in page
        assert f"{format_angka(r.persen_realisasi_rp)}<small>{r.predikat_rp}" in page
        assert f"/renja/{renja.pk}/evaluasi/?triwulan={triwulan}" in page


def test_dashboard_shows_the_change_from_the_previous_quarter(client_for, disnaker):
    client = client_for("admin")
    row = next(r for r in client.get("/pemda/?triwulan=3").context["dasbor"].rows if r.renja)
    now = _evaluasi(client, disnaker, 3).ringkasan
    before = _evaluasi(client, disnaker, 2).ringkasan
    assert row.perubahan_k == round_half_up(now.rata_rata_capaian_k, 2) - round_half_up(
        before.rata_rata_capaian_k, 2
    )
    assert row.perubahan_rp == round_half_up(now.persen_realisasi_rp, 2) - round_half_up(
        before.persen_realisasi_rp, 2
    )
    first = client.get("/pemda/?triwulan=1").context["dasbor"].rows
    assert all(r.perubahan_k is None for r in first)


def test_submission_state_is_shown_and_filtered(client_for, contoh):
    LaporanTriwulan.objects.update_or_create(
        renja=contoh, triwulan=2, defaults={"status": LaporanTriwulan.Status.DIAJUKAN}
    )
    client = client_for("pimpinan")
    rows = client.get("/pemda/?triwulan=2").context["dasbor"].rows
    assert {r.kode: r.status for r in rows} == {"2.07.01": "draf", "2.16.01": "diajukan"}
    only = client.get("/pemda/?triwulan=2&status=diajukan").context["dasbor"].rows
    assert [r.kode for r in only] == ["2.16.01"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["2.07.01", "2.16.01"]),
        ("urut=capaian_k&arah=naik", ["2.16.01", "2.07.01"]),
        ("urut=capaian_k&arah=turun", ["2.07.01", "2.16.01"]),
        ("urut=nama&arah=turun", ["2.16.01", "2.07.01"]),
        ("urut=peringkat", ["2.07.01", "2.16.01"]),
        ("urut=bukan-kolom&arah=kemana", ["2.07.01", "2.16.01"]),
        ("cari=ketenagakerjaan", ["2.07.01"]),
        ("cari=2.16", ["2.16.01"]),
        ("predikat=Tinggi", ["2.07.01"]),
        ("predikat=Sangat+Rendah", ["2.16.01"]),
        ("predikat=belum", []),
        ("peringatan=1", []),  # the demo's budgets are on track (see the test below)
        ("status=diverifikasi", []),
    ],
)
def test_dashboard_sorts_and_filters(client_for, query, expected):
    response = client_for("verifikator").get(f"/pemda/?tahun=2022&triwulan=4&{query}")
    assert [r.kode for r in response.context["dasbor"].rows] == expected


def test_ranking_follows_mean_capaian(client_for):
    rows = client_for("verifikator").get("/pemda/?triwulan=4").context["dasbor"].rows
    assert {r.kode: r.peringkat for r in rows} == {"2.07.01": 1, "2.16.01": 2}


def test_sort_headers_are_links_with_their_state(client_for):
    page = client_for("verifikator").get("/pemda/?triwulan=4&urut=capaian_k&arah=turun")
    html = page.content.decode()
    assert (
        'aria-sort="descending"><a href="?tahun=2022&amp;triwulan=4&amp;urut=capaian_k&amp;arah=naik"'
        in html
    )


def _add_pd(kode, nama, bidang, tmp_path, admin):
    from monev.io.flat import read_flat
    from monev.synthetic import synthetic_rows, write_flat_csv

    path = tmp_path / f"{kode}.csv"
    write_flat_csv(path, synthetic_rows(random.Random(len(kode)), bidang, 40))
    pd = PerangkatDaerah.objects.create(
        pemda_id=PerangkatDaerah.objects.first().pemda_id, kode=kode, nama=nama
    )
    services.renja_import(user=admin, perangkat_daerah=pd, tahun=2022, renja=read_flat(path))
    return pd


def _count(client, url):
    """Return the queries of a page, but for the batches of stored rows a refresh writes (their
    number follows the number of rows, not of PDs)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    batches = ('INSERT INTO "pemda_angka', 'UPDATE "pemda_angka')
    return sum(1 for q in queries.captured_queries if not q["sql"].startswith(batches))


def _counts(client):
    """Return the queries of the dashboard with nothing cached, with the figures stored in the
    database only (a new process), and with them cached in this process."""
    selectors.clear_cache(stored=True)
    cold = _count(client, "/pemda/?triwulan=4")
    selectors.clear_cache()
    stored = _count(client, "/pemda/?triwulan=4")
    return cold, stored, _count(client, "/pemda/?triwulan=4")


def test_dashboard_queries_do_not_grow_with_the_number_of_pds(client_for, users, tmp_path):
    client = client_for("verifikator")
    client.get("/pemda/")  # the session
    cold, stored, warm = _counts(client)
    _add_pd("SIN-01", "Dinas Sintetis 01", "2.11", tmp_path, users["admin"])
    _add_pd("SIN-02", "Dinas Sintetis 02", "2.12", tmp_path, users["admin"])
    assert _counts(client) == (cold, stored, warm)
    assert warm < stored < cold


def test_a_new_realisation_shows_at_once(client_for, users, disnaker):
    client = client_for("verifikator")
    before = client.get("/pemda/?triwulan=3").context["dasbor"].rows[0]
    indikator = Indikator.objects.get(simpul__renja=disnaker, simpul__kode="2.07.02.2.01")
    services.realisasi_k_update(
        user=users["admin"],
        indikator=indikator,
        triwulan=3,
        nilai=Decimal("95.5"),
        versi=web_selectors.versi_k(indikator, 3),
    )
    after = client.get("/pemda/?triwulan=3").context["dasbor"].rows[0]
    assert after.capaian_k != before.capaian_k
    assert _shown(after.capaian_k) == _shown(
        _evaluasi(client, disnaker, 3).ringkasan.rata_rata_capaian_k
    )


def test_pd_drill_down_shows_the_figures_of_its_evaluation(client_for, disnaker):
    client = client_for("verifikator")
    evaluasi = _evaluasi(client, disnaker, 3)
    page = client.get(f"/pemda/pd/{disnaker.pk}/?triwulan=3")
    assert page.status_code == 200
    assert page.context["evaluasi"].ringkasan == evaluasi.ringkasan
    html = page.content.decode()
    assert f"/renja/{disnaker.pk}/evaluasi/?triwulan=3" in html
    for program in evaluasi.ringkasan.program:
        assert f"/pemda/pd/{disnaker.pk}/simpul/{program.kode}/?triwulan=3" in html

    program = client.get(f"/pemda/pd/{disnaker.pk}/simpul/2.07.02/?triwulan=3")
    assert program.context["rp"] == evaluasi.rp_of("2.07.02")
    children = {child.kode: rp for child, rp, _ in program.context["children"]}
    assert children == {kode: evaluasi.rp_of(kode) for kode in children} and children

    kegiatan = client.get(f"/pemda/pd/{disnaker.pk}/simpul/2.07.02.2.01/?triwulan=3")
    lines = [b for b in evaluasi.baris if b.node.kode == "2.07.02.2.01"]
    assert [line.baris.capaian for line in kegiatan.context["lines"]] == [b.capaian for b in lines]
    assert client.get(f"/pemda/pd/{disnaker.pk}/simpul/9.99.99/").status_code == 404


CHARTS = ("kurva-s", "capaian-program", "distribusi-predikat", "peta-panas")


def test_charts_are_inline_svg_and_downloadable(client_for, disnaker):
    client = client_for("verifikator")
    html = client.get("/pemda/?triwulan=4").content.decode()
    for nama in CHARTS:
        assert f'<svg xmlns="http://www.w3.org/2000/svg" class="grafik" id="grafik-{nama}"' in html
        assert f'data-png="grafik-{nama}"' in html
        response = client.get(f"/pemda/grafik/{nama}.svg?tahun=2022&triwulan=4")
        assert response["Content-Type"].startswith("image/svg+xml")
        assert "attachment" in response["Content-Disposition"]
        root = ET.fromstring(response.content)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "pemda/pemda.js" in html  # the PNG download, in the browser
    for nama in ("kurva-s", "capaian-program"):
        response = client.get(f"/pemda/grafik/{nama}.svg?renja={disnaker.pk}&triwulan=2")
        ET.fromstring(response.content)
    assert client.get("/pemda/grafik/tidak-ada.svg").status_code == 404


def test_chart_labels_are_escaped(client_for, contoh):
    PerangkatDaerah.objects.filter(pk=contoh.perangkat_daerah_id).update(
        nama='<script>alert("x")</script> & co'
    )
    response = client_for("verifikator").get("/pemda/grafik/peta-panas.svg?triwulan=2")
    ET.fromstring(response.content)  # well-formed: the name is escaped
    assert b"<script>" not in response.content


def _budget_behind(contoh):
    """Leave the example PD's TW II budget realisation only (270 of its 1.000 million): its
    kegiatan roll up 440 million by TW II (spec §5), on track; without TW I it is behind."""
    from monev.web.models import RealisasiRp

    RealisasiRp.objects.filter(simpul__renja=contoh, triwulan=1).delete()
    selectors.clear_cache()


def test_dashboard_filters_the_early_warnings(client_for, contoh):
    _budget_behind(contoh)
    response = client_for("verifikator").get("/pemda/?tahun=2022&triwulan=4&peringatan=1")
    assert [r.kode for r in response.context["dasbor"].rows] == ["2.16.01"]


def test_early_warning_lists_reasons_and_downloads_csv(client_for, contoh):
    _budget_behind(contoh)
    client = client_for("verifikator")
    page = client.get("/pemda/peringatan/?triwulan=2")
    lines = page.context["lines"]
    budget = next(line for line in lines if line.jenis == "Realisasi anggaran Perangkat Daerah")
    assert budget.renja_id == contoh.pk and "proyeksi akhir tahun 54,00% (Rendah)" in budget.alasan
    dashboard = client.get("/pemda/?triwulan=2").content.decode()
    assert "proyeksi akhir tahun 54,00% (Rendah)" in dashboard

    PerangkatDaerah.objects.filter(pk=contoh.perangkat_daerah_id).update(nama="=HYPERLINK(1)")
    selectors.clear_cache()
    response = client.get("/pemda/peringatan.csv?triwulan=2")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["perangkat_daerah", "jenis", "kode"]
    line = next(row for row in rows if row[1] == "Realisasi anggaran Perangkat Daerah")
    assert line[0] == "'=HYPERLINK(1)"
    assert line[12:16] == ["tren", "540000000", "54,00", "Rendah"]


def test_a_quarterly_plan_turns_the_projection_into_one_against_plan(client_for, users, disnaker):
    indikator = Indikator.objects.get(simpul__renja=disnaker, simpul__kode="2.07.02.2.01")
    client = client_for("operator")
    response = client.post(
        f"/pemda/renja/{disnaker.pk}/rencana/k/{indikator.pk}/",
        {"tw1": "25", "tw2": "50", "tw3": "75", "tw4": "100"},
    )
    assert response.status_code == 302
    assert RencanaK.objects.get(indikator=indikator).quarters() == (25, 50, 75, 100)
    record = Riwayat.objects.filter(indikator=indikator, kolom="rencana_tw3_k").get()
    assert (record.pengguna, record.nilai_baru) == (users["operator"], "75")

    figures = selectors.renja_figures(disnaker)
    page = client_for("verifikator").get(f"/pemda/pd/{disnaker.pk}/simpul/2.07.02.2.01/?triwulan=3")
    line = page.context["lines"][0]
    assert line.proyeksi.dasar is Dasar.RENCANA and line.proyeksi.rencana == Decimal(75)
    assert figures.jumlah_rencana_k == 1

    bad = client.post(
        f"/pemda/renja/{disnaker.pk}/rencana/k/{indikator.pk}/", {"tw1": "abc", "tw2": "1"}
    )
    assert bad.status_code == 302
    assert RencanaK.objects.get(indikator=indikator).quarters() == (25, 50, 75, 100)
    clear = client.post(f"/pemda/renja/{disnaker.pk}/rencana/k/{indikator.pk}/", {})
    assert clear.status_code == 302 and not RencanaK.objects.filter(indikator=indikator).exists()


def test_budget_plan_only_on_sub_kegiatan(client_for, disnaker):
    client = client_for("admin")
    leaf = Simpul.objects.filter(renja=disnaker, anak__isnull=True, tingkat="sub_kegiatan").first()
    parent = Simpul.objects.get(renja=disnaker, kode="2.07.02")
    ok = client.post(
        f"/pemda/renja/{disnaker.pk}/rencana/rp/{leaf.pk}/",
        {"tw1": "1.000.000", "tw2": "2.000.000,5"},
    )
    assert ok.status_code == 302
    assert RencanaRp.objects.get(simpul=leaf).quarters()[:2] == (1_000_000, Decimal("2000000.5"))
    client.post(f"/pemda/renja/{disnaker.pk}/rencana/rp/{parent.pk}/", {"tw1": "5"})
    assert not RencanaRp.objects.filter(simpul=parent).exists()


def _upload(client, renja, text, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/pemda/renja/{renja.pk}/rencana/impor/",
        {"berkas": SimpleUploadedFile("rencana.csv", text.encode("utf-8")), **extra},
        follow=True,
    )


def test_plan_import_is_all_or_nothing(client_for, disnaker):
    client = client_for("operator")
    leaf = Simpul.objects.filter(renja=disnaker, anak__isnull=True, tingkat="sub_kegiatan").first()
    good = (
        "kode;indikator;tw1;tw2;tw3;tw4\n"
        "2.07.02.2.01;1;25;50;75;100\n"
        f"{leaf.kode};;1.000.000;2.000.000;3.000.000;4.000.000\n"
    )
    bad = good + "2.07.02.2.01;7;1;2;3;4\n9.99.99;1;1;2;3;4\n2.07.02;1;x;;;\n"
    response = _upload(client, disnaker, bad)
    text = response.content.decode()
    assert "rencana.csv, baris 4, kolom indikator" in text
    assert "baris 5, kolom kode" in text and "baris 6, kolom tw1" in text
    assert not RencanaK.objects.exists() and not RencanaRp.objects.exists()

    checked = _upload(client, disnaker, good, coba="1")
    assert "2 baris rencana siap disimpan" in checked.content.decode()
    assert not RencanaK.objects.exists()

    saved = _upload(client, disnaker, good)
    assert "2 berubah dan tersimpan" in saved.content.decode()
    assert RencanaRp.objects.get(simpul=leaf).tw4 == 4_000_000
    again = _upload(client, disnaker, good)
    assert "0 berubah" in again.content.decode()

    export = client.get(f"/pemda/renja/{disnaker.pk}/rencana.csv").content.decode("utf-8-sig")
    assert "2.07.02.2.01;k;1;25;50;75;100" in export


def test_the_plan_download_is_imported_again_as_it_was(client_for, disnaker):
    """The download is Excel's Indonesian CSV (`0,125`); read back, no value changes (a machine
    `0.125` would have been read back as 125 by the Indonesian reader)."""
    client = client_for("operator")
    _upload(
        client, disnaker, "kode;indikator;tw1;tw2;tw3;tw4\n2.07.02.2.01;1;0,125;12,5;75;100,25\n"
    )
    before = RencanaK.objects.get(indikator__simpul__kode="2.07.02.2.01").quarters()
    export = client.get(f"/pemda/renja/{disnaker.pk}/rencana.csv").content.decode("utf-8-sig")
    assert "2.07.02.2.01;k;1;0,125;12,5;75;100,25" in export
    again = _upload(client, disnaker, export)
    assert "0 berubah" in again.content.decode()
    assert RencanaK.objects.get(indikator__simpul__kode="2.07.02.2.01").quarters() == before


def test_plan_page_reads_for_every_role_but_writes_for_own_pd(client_for, disnaker):
    assert (
        'name="tw1"'
        in client_for("operator").get(f"/pemda/renja/{disnaker.pk}/rencana/").content.decode()
    )
    assert (
        'name="tw1"'
        not in client_for("verifikator")
        .get(f"/pemda/renja/{disnaker.pk}/rencana/")
        .content.decode()
    )
    assert client_for("operator2").get(f"/pemda/renja/{disnaker.pk}/rencana/").status_code == 404
    indikator = Indikator.objects.filter(simpul__renja=disnaker).first()
    url = f"/pemda/renja/{disnaker.pk}/rencana/k/{indikator.pk}/"
    assert client_for("verifikator").post(url, {"tw1": "1"}).status_code == 403
    assert not RencanaK.objects.exists()


def test_consolidation_groups_urusan_bidang_program(client_for, disnaker, contoh):
    client = client_for("pimpinan")
    page = client.get("/pemda/konsolidasi/?triwulan=2")
    urusan = page.context["urusan"]
    assert [u.kode for u in urusan] == ["2"]
    assert [(b.kode, b.nama) for b in urusan[0].bidang] == [
        ("2.07", "Tenaga Kerja"),
        ("2.16", "Komunikasi dan Informatika"),
    ]
    disnaker_programs = _evaluasi(client, disnaker, 2).ringkasan.program
    assert _shown([p.program for p in urusan[0].bidang[0].program]) == _shown(disnaker_programs)
    contoh_only = urusan[0].bidang[1]
    r = _evaluasi(client, contoh, 2).ringkasan
    # a bidang held by one PD totals exactly as that PD's footer
    assert _shown(contoh_only.total.rata_rata_capaian_k) == _shown(r.rata_rata_capaian_k)
    assert _shown(contoh_only.total.persen_realisasi_rp) == _shown(r.persen_realisasi_rp)
    html = page.content.decode()
    assert "Tenaga Kerja" in html and "Urusan Pemerintahan Wajib yang Tidak Berkaitan" in html


def test_consolidated_evaluation_downloads_as_e79_with_the_pages_figures(client_for):
    from openpyxl import load_workbook

    from monev.io.report.xlsx import DATA_ROW

    client = client_for("pimpinan")
    page = client.get("/pemda/konsolidasi/?triwulan=2")
    assert "/pemda/konsolidasi/e79.pdf?" in page.content.decode()
    urusan, total = page.context["urusan"], page.context["total"]
    response = client.get("/pemda/konsolidasi/e79.xlsx?triwulan=2")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="evaluasi-rkpd-kota-tangerang-2022-tw2-f4-draf.xlsx"'
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "EVALUASI TERHADAP HASIL RKPD KOTA"
    rows = {
        row[2]: row
        for row in ws.iter_rows(min_row=DATA_ROW + 1, values_only=True)
        if row[2] in ("2", "2.07", "2.16")
    }
    for kelompok in (urusan[0], *urusan[0].bidang):
        row = rows[kelompok.kode]
        assert row[3] == kelompok.nama
        assert row[21] == pytest.approx(float(kelompok.total.rata_rata_capaian_k))
        assert row[22] == pytest.approx(float(kelompok.total.persen_realisasi_rp))
    texts = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Wali Kota Tangerang" in texts  # the head of the region acknowledges
    pdf = client.get("/pemda/konsolidasi/e79.pdf?triwulan=2&kertas=a4")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client.get("/pemda/konsolidasi/e79.csv?triwulan=2").status_code == 404
    assert total.rata_rata_capaian_k is not None


def test_consolidation_downloads_as_xlsx(client_for):
    from openpyxl import load_workbook

    response = client_for("verifikator").get("/pemda/konsolidasi.xlsx?triwulan=2")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Rekapitulasi" and len(workbook.sheetnames) == 3


def test_token_is_shown_once_and_stored_hashed(client_for, users):
    client = client_for("operator")
    response = client.post("/pemda/token/", {"nama": "aplikasi daerah"})
    assert response.status_code == 201
    text = response.context["baru"]
    assert text.startswith("monev_") and text in response.content.decode()
    token = TokenApi.objects.get(pengguna=users["operator"])
    assert token.digest == digest_of(text) and text not in (token.awalan, token.nama)
    assert text not in client.get("/pemda/token/").content.decode()
    assert client.post("/pemda/token/", {"nama": "  "}).status_code == 200
    other = client_for("operator2").post(f"/pemda/token/{token.pk}/cabut/")
    assert other.status_code == 404
    client.post(f"/pemda/token/{token.pk}/cabut/")
    token.refresh_from_db()
    assert token.dicabut is not None


def test_api_description_page_is_public(client):
    page = client.get("/pemda/api/dokumentasi/")
    assert page.status_code == 200
    assert "/pemda/api/terbuka/evaluasi" in page.content.decode()


def test_bulk_loader_builds_the_engine_view_as_the_pages_do(disnaker, contoh):
    from monev.web.selectors import renja_data

    loaded = selectors.load_renja([disnaker, contoh])
    for renja in (disnaker, contoh):
        assert loaded[renja.pk].core == renja_data(renja).core
