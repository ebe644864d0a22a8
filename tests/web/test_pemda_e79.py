"""The pemda's consolidated evaluation (Formulir E.79 style) read from stored rows prints exactly
what the one built from fresh evaluations prints: every cell's text, every footer figure, at every
quarter, on generated pemda (budgets at every level or on sub kegiatan only, every aggregation,
empty cells) and on the demo pemda with a verified quarter (as recorded)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from monev.core.consolidation import Bagian, consolidate
from monev.core.evaluation import evaluate
from monev.io.report.konsolidasi import build_konsolidasi_report
from monev.io.report.model import Laporan, Persen, show
from monev.pemda import angka, reports, selectors
from monev.pemda.baris_tersimpan import lines_from_rows
from monev.pemda.models import AngkaIndikator
from monev.web import selectors as web_selectors
from monev.web import services, snapshot
from monev.web.models import Indikator, LaporanTriwulan, Pemda

from .angka_helpers import generated_pemda
from .test_snapshot import accept


@pytest.fixture(autouse=True)
def _fresh_process():
    """Each test reads its rows: figures kept in this process by an earlier test (whose rows
    were rolled back) would spare the refresh."""
    selectors.clear_cache()


def _from_evaluations(data: selectors.PemdaTahun, triwulan: int) -> Laporan:
    """The E.79 as it was built before stored rows: every PD evaluated by the engine."""
    with_renja = [pd for pd in data.pd if pd.renja is not None]
    loaded = selectors.load_renja([pd.renja for pd in with_renja])
    recorded, _ = snapshot.verified_records(loaded, triwulan)
    evaluasi = {
        pd.renja.pk: recorded.get((pd.renja.pk, triwulan))
        or evaluate(loaded[pd.renja.pk].core, triwulan, data.pengaturan)
        for pd in with_renja
    }
    hasil = consolidate(
        [
            Bagian(pd.perangkat_daerah.nama, pd.renja.pk, evaluasi[pd.renja.pk].ringkasan)
            for pd in with_renja
        ],
        data.pengaturan,
    )
    konteks = reports.konteks_pemda(data.pemda, data.tahun)
    draf = any(pd.status_of(triwulan) != LaporanTriwulan.Status.DIVERIFIKASI for pd in with_renja)
    return build_konsolidasi_report(hasil, evaluasi, triwulan, replace(konteks, draf=draf))


def _printed(laporan: Laporan) -> tuple:
    """Everything the report prints, as text."""
    return (
        laporan.judul,
        laporan.draf,
        [(b.tingkat, b.pertama, tuple(show(s) for s in b.sel)) for b in laporan.baris],
        show_footer(laporan),
        laporan.narasi,
        laporan.tanda_tangan,
    )


def show_footer(laporan: Laporan) -> tuple:
    return (
        show(Persen(laporan.rata_rata_capaian_k)),
        laporan.predikat_k,
        show(Persen(laporan.persen_realisasi_rp)),
        laporan.predikat_rp,
    )


def _assert_same(data: selectors.PemdaTahun, triwulan: int) -> Laporan:
    stored = reports.e79_report(data, triwulan)
    fresh = _from_evaluations(data, triwulan)
    a, b = _printed(stored), _printed(fresh)
    for i, (x, y) in enumerate(zip(a[2], b[2], strict=True)):
        for j, (u, v) in enumerate(zip(x[2], y[2], strict=True)):
            assert u == v, (triwulan, i, j, x[2][2], x[2][4], u, v)
    assert a == b, triwulan
    return stored


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_e79_from_stored_rows_prints_what_fresh_evaluations_print(users, seed):
    pemda, _ = generated_pemda(users["admin"], f"Kabupaten E79 {seed}", seed=seed, jumlah_pd=4)
    data = selectors.pemda_year(pemda, 2022)  # refreshes the rows, as the pages do
    for q in (1, 2, 3, 4):
        laporan = _assert_same(data, q)
        assert len(laporan.baris) > 10


def test_e79_of_the_demo_with_a_verified_quarter_prints_it_as_recorded(users, disnaker):
    accept(users, disnaker, 1)
    indikator = Indikator.objects.filter(simpul__renja=disnaker, target__gt=0).first()
    services.realisasi_k_update(  # a later quarter moves; the verified one stays as accepted
        user=users["admin"],
        indikator=indikator,
        triwulan=3,
        nilai=Decimal("5"),
        versi=web_selectors.versi_k(indikator, 3),
    )
    pemda = Pemda.objects.get(pk=disnaker.perangkat_daerah.pemda_id)
    data = selectors.pemda_year(pemda, 2022)
    for q in (1, 2, 3, 4):
        _assert_same(data, q)


def test_a_renja_whose_rows_no_longer_match_its_plan_is_left_out(users, disnaker):
    angka.refresh([disnaker])
    assert disnaker.pk in lines_from_rows([disnaker.pk], 2)
    AngkaIndikator.objects.filter(renja=disnaker, triwulan=2, tingkat="kegiatan").first().delete()
    assert lines_from_rows([disnaker.pk], 2) == {}


def _workbook_from_evaluations(data: selectors.PemdaTahun, triwulan: int) -> bytes:
    """The pemda's workbook as it was built before stored rows: every PD evaluated."""
    import io

    from monev.io.report.xlsx_pemda import render_pemda_xlsx
    from monev.web.reports import konteks_pd

    with_renja = [pd for pd in data.pd if pd.renja is not None]
    loaded = selectors.load_renja([pd.renja for pd in with_renja])
    recorded, _ = snapshot.verified_records(loaded, triwulan)
    items = [
        (
            replace(
                konteks_pd(pd.perangkat_daerah, data.tahun),
                draf=pd.status_of(triwulan) != LaporanTriwulan.Status.DIVERIFIKASI,
            ),
            recorded.get((pd.renja.pk, triwulan))
            or evaluate(loaded[pd.renja.pk].core, triwulan, data.pengaturan),
        )
        for pd in with_renja
    ]
    buffer = io.BytesIO()
    render_pemda_xlsx(items, buffer)
    return buffer.getvalue()


def _cells(content: bytes) -> dict:
    """Every sheet's cells as read back; numbers to 10⁻⁶ (a per cent is stored to 10⁻⁸ and
    printed to 10⁻²)."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return {
        ws.title: [
            tuple(round(v, 6) if isinstance(v, float) else v for v in row)
            for row in ws.iter_rows(values_only=True)
        ]
        for ws in book.worksheets
    }


@pytest.mark.parametrize("seed", [31, 32])
def test_workbook_from_stored_rows_holds_what_fresh_evaluations_give(users, seed):
    pemda, _ = generated_pemda(users["admin"], f"Kota Buku {seed}", seed=seed, jumlah_pd=3)
    data = selectors.pemda_year(pemda, 2022)
    for q in (1, 2, 3, 4):
        stored = _cells(reports.workbook_file(data, q).data)
        fresh = _cells(_workbook_from_evaluations(data, q))
        assert stored.keys() == fresh.keys()
        for sheet, rows in fresh.items():
            assert stored[sheet] == rows, (q, sheet)


def test_workbook_of_the_demo_with_a_verified_quarter(users, disnaker):
    accept(users, disnaker, 2)
    data = selectors.pemda_year(Pemda.objects.get(pk=disnaker.perangkat_daerah.pemda_id), 2022)
    for q in (1, 2, 3, 4):
        assert _cells(reports.workbook_file(data, q).data) == _cells(
            _workbook_from_evaluations(data, q)
        )


def _never(*args, **kwargs):
    raise AssertionError("a Renja was evaluated")


def _shown_total(t) -> tuple:
    return (
        show(Persen(t.rata_rata_capaian_k)),
        t.predikat_k,
        t.pagu,
        t.realisasi_rp,
        show(Persen(t.persen_realisasi_rp)),
        t.predikat_rp,
    )


def test_a_province_reads_its_kabupatens_consolidation_and_files_from_stored_rows_only(
    users, client_for, monkeypatch
):
    pemda, renja = generated_pemda(users["admin"], "Kabupaten Bawah", seed=41, jumlah_pd=3)
    pemda.jenis, pemda.provinsi = Pemda.Jenis.KABUPATEN, Pemda.objects.get(nama="Provinsi Contoh")
    pemda.save()
    client = client_for("provinsi")
    assert client.get(f"/pemda/konsolidasi/?pemda={pemda.pk}").status_code == 200  # refreshes
    selectors.clear_cache()  # a new process: the figures are read from the rows again
    for module in ("monev.pemda.angka_baris", "monev.pemda.reports", "monev.web.snapshot"):
        monkeypatch.setattr(f"{module}.evaluate", _never)
    loaded = selectors.load_renja(renja)
    pengaturan = selectors.pengaturan_of(pemda)
    for q in (1, 2, 3, 4):
        page = client.get(f"/pemda/konsolidasi/?pemda={pemda.pk}&triwulan={q}")
        hasil = consolidate(
            [
                Bagian(
                    r.perangkat_daerah.nama,
                    r.pk,
                    evaluate(loaded[r.pk].core, q, pengaturan).ringkasan,
                )
                for r in renja
            ],
            pengaturan,
        )
        assert _shown_total(page.context["total"]) == _shown_total(hasil.total)
        for u, expected in zip(page.context["urusan"], hasil.urusan, strict=True):
            assert _shown_total(u.total) == _shown_total(expected.total), (q, u.kode)
            for b, e in zip(u.bidang, expected.bidang, strict=True):
                assert _shown_total(b.total) == _shown_total(e.total), (q, b.kode)
        for url in ("konsolidasi/e79.xlsx", "konsolidasi/e79.pdf", "konsolidasi.xlsx"):
            response = client.get(f"/pemda/{url}?pemda={pemda.pk}&triwulan={q}")
            assert response.status_code == 200, url
