"""The figures kept across processes (`AngkaRenja`): a new process reads back exactly what an
evaluation gives, and never the figures of an older state, other settings or other code."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from monev.core.rules import Pengaturan
from monev.pemda import selectors
from monev.pemda import services as pemda_services
from monev.pemda.models import AngkaRenja
from monev.pemda.summary import summarise
from monev.web import selectors as web_selectors
from monev.web import services
from monev.web.models import Indikator, Simpul


@pytest.fixture(autouse=True)
def _fresh_cache():
    selectors.clear_cache()
    yield
    selectors.clear_cache()


def _evaluated(renja, pengaturan=None):
    """Return the Renja's figures evaluated now, from the database, bypassing every cache."""
    data = selectors.load_renja([renja])[renja.pk]
    return summarise(
        data.core,
        rencana_k=data.rencana_k,
        rencana_rp=data.rencana_rp,
        pengaturan=pengaturan or selectors.pengaturan_of(None),
    )


@pytest.fixture
def no_evaluation(monkeypatch):
    """Fail the test if a Renja is evaluated (its figures must come from a cache)."""

    def refuse(*args, **kwargs):
        raise AssertionError("dievaluasi ulang, padahal angka tersimpan masih berlaku")

    monkeypatch.setattr(selectors, "summarise", refuse)


def _indikator(renja):
    return Indikator.objects.get(simpul__renja=renja, simpul__kode="2.07.02.2.01")


def _leaf(renja):
    parents = Simpul.objects.filter(renja=renja, induk__isnull=False).values("induk_id")
    return Simpul.objects.filter(renja=renja).exclude(pk__in=parents).order_by("urutan").first()


def test_a_new_process_reads_back_the_figures_an_evaluation_gives(users, disnaker, monkeypatch):
    services.realisasi_k_update(  # far behind: a warning on the line
        user=users["admin"],
        indikator=_indikator(disnaker),
        triwulan=1,
        nilai=Decimal("0.01"),
        versi=web_selectors.versi_k(_indikator(disnaker), 1),
    )
    computed = selectors.renja_figures(disnaker)
    assert AngkaRenja.objects.filter(renja=disnaker).count() == 1
    selectors.clear_cache()  # as in a new process
    monkeypatch.setattr(selectors, "summarise", None)  # a call would fail
    stored = selectors.renja_figures(disnaker)
    assert stored is not computed
    assert stored == computed == _evaluated(disnaker)
    assert len(stored.at(1).peringatan) > 0
    for q in range(1, 5):
        assert len(stored.at(q).peringatan) == len(computed.at(q).peringatan)
        assert list(stored.at(q).peringatan) == list(computed.at(q).peringatan)


def _page(client, url):
    """Return a page without its per-request CSRF tokens."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", client.get(url).content.decode())


def test_the_pages_of_a_new_process_show_the_same_figures(client_for, no_evaluation):
    client = client_for("verifikator")
    urls = ["/pemda/?triwulan=2", "/pemda/peringatan/?triwulan=1", "/pemda/konsolidasi/"]
    selectors.clear_cache(stored=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(selectors, "summarise", summarise)  # the first request evaluates
        first = [_page(client, url) for url in urls]
    for url, page in zip(urls, first, strict=True):
        selectors.clear_cache()
        assert _page(client, url) == page


def test_a_new_realisation_shows_in_a_new_process(client_for, users, disnaker):
    client = client_for("verifikator")
    before = client.get("/pemda/?triwulan=3").context["dasbor"].rows[0]
    key_before = AngkaRenja.objects.get(renja=disnaker).kunci
    services.realisasi_k_update(
        user=users["admin"],
        indikator=_indikator(disnaker),
        triwulan=3,
        nilai=Decimal("95.5"),
        versi=web_selectors.versi_k(_indikator(disnaker), 3),
    )
    selectors.clear_cache()  # as in another worker, which never saw the old figures
    after = client.get("/pemda/?triwulan=3").context["dasbor"].rows[0]
    assert after.capaian_k != before.capaian_k
    evaluasi = client.get(f"/renja/{disnaker.pk}/evaluasi/?triwulan=3").context["evaluasi"]
    assert after.capaian_k == evaluasi.ringkasan.rata_rata_capaian_k
    # One row per Renja: the new state replaced the old one.
    assert AngkaRenja.objects.filter(renja=disnaker).exclude(kunci=key_before).count() == 1


def _realisasi_k(users, renja):
    services.realisasi_k_update(
        user=users["admin"],
        indikator=_indikator(renja),
        triwulan=2,
        nilai=Decimal(7),
        versi=web_selectors.versi_k(_indikator(renja), 2),
    )


def _realisasi_rp(users, renja):
    services.realisasi_rp_update(
        user=users["admin"],
        simpul=_leaf(renja),
        triwulan=2,
        nilai=Decimal(1_000_000),
        versi=web_selectors.versi_rp(_leaf(renja), 2),
    )


def _target(users, renja):
    services.indikator_target_update(
        user=users["admin"],
        indikator=_indikator(renja),
        target=Decimal(3),
        versi=_indikator(renja).versi,
    )


def _pagu(users, renja):
    services.simpul_pagu_update(
        user=users["admin"], simpul=_leaf(renja), pagu=Decimal(10**9), versi=_leaf(renja).versi
    )


def _rencana_k(users, renja):
    pemda_services.rencana_k_update(
        user=users["operator"],
        indikator=_indikator(renja),
        nilai=(Decimal(1), Decimal(2), Decimal(3), Decimal(400)),
    )


def _rencana_rp(users, renja):
    pemda_services.rencana_rp_update(
        user=users["operator"],
        simpul=_leaf(renja),
        nilai=(Decimal(1), Decimal(2), Decimal(3), Decimal(4)),
    )


@pytest.mark.parametrize(
    "write", [_realisasi_k, _realisasi_rp, _target, _pagu, _rencana_k, _rencana_rp]
)
def test_after_any_write_a_new_process_never_reads_the_old_figures(users, disnaker, write):
    old = selectors.renja_figures(disnaker)
    write(users, disnaker)
    selectors.clear_cache()
    new = selectors.renja_figures(disnaker)
    assert new != old
    assert new == _evaluated(disnaker)
    selectors.clear_cache()
    assert selectors.renja_figures(disnaker) == new  # now read back


def test_figures_of_other_settings_or_other_code_are_not_read_back(disnaker, monkeypatch):
    selectors.renja_figures(disnaker)
    capped = Pengaturan(batas_capaian_rata_rata=Decimal(100))
    selectors.clear_cache()
    assert selectors.figures_of([disnaker], capped)[disnaker.pk] == _evaluated(disnaker, capped)

    calls = []
    monkeypatch.setattr(
        selectors, "summarise", lambda *a, **k: calls.append(1) or summarise(*a, **k)
    )
    monkeypatch.setattr(selectors, "code_digest", lambda: "versi-lain")
    selectors.clear_cache()
    assert selectors.renja_figures(disnaker) == _evaluated(disnaker)
    assert calls == [1]


def test_a_damaged_stored_row_is_evaluated_again_and_replaced(disnaker):
    computed = selectors.renja_figures(disnaker)
    AngkaRenja.objects.filter(renja=disnaker).update(data=b"rusak")
    selectors.clear_cache()
    assert selectors.renja_figures(disnaker) == computed
    selectors.clear_cache()
    assert bytes(AngkaRenja.objects.get(renja=disnaker).data) != b"rusak"
    assert selectors.renja_figures(disnaker) == computed


def test_hitung_angka_stores_every_years_figures_ahead(disnaker, contoh):
    import io

    from django.core.management import call_command

    selectors.clear_cache(stored=True)
    out = io.StringIO()
    call_command("hitung_angka", stdout=out)
    assert set(AngkaRenja.objects.values_list("renja_id", flat=True)) >= {disnaker.pk, contoh.pk}
    assert "Kota Tangerang 2022: 2 Perangkat Daerah" in out.getvalue()
    stored = selectors._read_stored(
        {
            r.pk: selectors._stored_key(
                selectors.change_marks([r.pk])[r.pk], selectors.settings_key(Pengaturan())
            )
            for r in (disnaker, contoh)
        }
    )
    assert stored[disnaker.pk] == _evaluated(disnaker)
