"""A cell save reads only the side it answers for (`selectors.evaluasi_simpul(sisi=...)`): its
figures and its findings on that side are the node's own, whatever the other side holds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from monev.core.checks import Sisi
from monev.web import selectors, services
from monev.web.models import RealisasiRp, Simpul
from monev.web.pengaturan import pengaturan_of_renja


def _k_side(evaluasi):
    lines = [(b.indikator.ref, b.nomor_indikator, b.capaian, b.predikat) for b in evaluasi.baris]
    return lines, [p for p in evaluasi.pemeriksaan if p.sisi is Sisi.K]


def _rp_side(evaluasi):
    rp = [(kode, a.capaian, a.predikat) for kode, a in evaluasi.rp.items()]
    return rp, [p for p in evaluasi.pemeriksaan if p.sisi is Sisi.RP]


@pytest.mark.parametrize("triwulan", [1, 2, 3, 4])
def test_each_side_alone_answers_as_the_whole_node(disnaker, triwulan):
    # A budget realisation over the pagu gives every leaf an Rp finding to keep apart.
    for simpul in Simpul.objects.filter(renja=disnaker, anak__isnull=True, pagu__gt=0):
        RealisasiRp.objects.update_or_create(
            simpul=simpul, triwulan=triwulan, defaults={"nilai": simpul.pagu * Decimal(2)}
        )
    pengaturan = pengaturan_of_renja(disnaker)
    leaves = Simpul.objects.filter(renja=disnaker, anak__isnull=True)
    assert leaves.count() > 5
    for simpul in leaves:
        whole = selectors.evaluasi_simpul(simpul, triwulan, pengaturan)
        k = selectors.evaluasi_simpul(simpul, triwulan, pengaturan, sisi="k")
        rp = selectors.evaluasi_simpul(simpul, triwulan, pengaturan, sisi="rp")
        assert _k_side(k) == _k_side(whole), simpul.kode
        assert _rp_side(rp) == _rp_side(whole), simpul.kode


def test_an_rp_answer_still_warns_over_the_pagu(client_for, disnaker):
    simpul = Simpul.objects.filter(renja=disnaker, anak__isnull=True, pagu__gt=0).first()
    response = client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/rp/{simpul.pk}/",
        {"nilai": services.shown(simpul.pagu * 2), "versi": selectors.versi_rp(simpul, 3)},
    )
    assert response.status_code == 200
    assert "melebihi pagu" in response.content.decode()
