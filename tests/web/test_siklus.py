"""The quarterly cycle (spec §8): every transition, allowed and refused, by each role; locks;
windows; and no lost writes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from monev.web import selectors, services, siklus
from monev.web.models import (
    Indikator,
    JendelaEntri,
    LaporanTriwulan,
    RealisasiK,
    Riwayat,
    Simpul,
)

NARASI = {
    "faktor_pendorong": "Dukungan pimpinan",
    "faktor_penghambat": "Pengadaan terlambat",
    "tindak_lanjut_triwulan": "Percepat pengadaan",
    "tindak_lanjut_renja": "Jadwal lebih awal",
}


def fill_narrative(users, renja, triwulan=3):
    services.laporan_narasi_update(
        user=users["operator"],
        renja=renja,
        triwulan=triwulan,
        narasi=NARASI,
        versi=selectors.versi_laporan(renja, triwulan),
    )


def status(renja, triwulan=3):
    found = LaporanTriwulan.objects.filter(renja=renja, triwulan=triwulan).first()
    return found.status if found else "draf"


def submit(users, renja, who="operator"):
    return siklus.laporan_submit(user=users[who], renja=renja, triwulan=3)


TRANSITIONS = {
    "ajukan": lambda u, r: siklus.laporan_submit(user=u, renja=r, triwulan=3),
    "terima": lambda u, r: siklus.laporan_verify(user=u, renja=r, triwulan=3),
    "kembalikan": lambda u, r: siklus.laporan_return(
        user=u, renja=r, triwulan=3, catatan="lengkapi data"
    ),
    "buka_kunci": lambda u, r: siklus.laporan_unlock(
        user=u, renja=r, triwulan=3, alasan="salah ketik"
    ),
}
# (from state, action) -> the roles that may do it; everyone else is refused.
ALLOWED = {
    ("draf", "ajukan"): {"operator", "admin"},
    ("dikembalikan", "ajukan"): {"operator", "admin"},
    ("diajukan", "terima"): {"verifikator", "admin"},
    ("diajukan", "kembalikan"): {"verifikator", "admin"},
    ("diverifikasi", "buka_kunci"): {"admin"},
}
TARGET = {
    "ajukan": "diajukan",
    "terima": "diverifikasi",
    "kembalikan": "dikembalikan",
    "buka_kunci": "dikembalikan",
}


def bring_to(state, users, renja):
    fill_narrative(users, renja)
    if state == "draf":
        return
    submit(users, renja)
    if state == "diajukan":
        return
    if state == "dikembalikan":
        siklus.laporan_return(
            user=users["verifikator"], renja=renja, triwulan=3, catatan="perbaiki"
        )
        return
    siklus.laporan_verify(user=users["verifikator"], renja=renja, triwulan=3)


@pytest.mark.parametrize("state", ["draf", "diajukan", "dikembalikan", "diverifikasi"])
@pytest.mark.parametrize("action", list(TRANSITIONS))
@pytest.mark.parametrize("role", ["admin", "verifikator", "pimpinan", "operator", "operator2"])
def test_every_transition_by_every_role(users, disnaker, state, action, role):
    bring_to(state, users, disnaker)
    allowed = ALLOWED.get((state, action), set())
    if role in allowed:
        TRANSITIONS[action](users[role], disnaker)
        assert status(disnaker) == TARGET[action]
        record = Riwayat.objects.filter(renja=disnaker, jenis="status").latest("waktu", "id")
        assert (record.nilai_lama, record.nilai_baru, record.pengguna) == (
            state,
            TARGET[action],
            users[role],
        )
    else:
        with pytest.raises((PermissionDenied, siklus.Ditolak)):
            TRANSITIONS[action](users[role], disnaker)
        assert status(disnaker) == state


def test_submit_is_refused_while_a_required_narrative_is_empty(users, disnaker):
    services.laporan_narasi_update(
        user=users["operator"],
        renja=disnaker,
        triwulan=3,
        narasi={"faktor_pendorong": "ada"},
        versi=selectors.versi_laporan(disnaker, 3),
    )
    with pytest.raises(siklus.Ditolak) as info:
        submit(users, disnaker)
    assert "Faktor penghambat pencapaian kinerja" in str(info.value)
    assert status(disnaker) == "draf"


def test_return_needs_a_note_and_unlock_needs_a_reason(users, disnaker):
    bring_to("diajukan", users, disnaker)
    with pytest.raises(siklus.Ditolak):
        siklus.laporan_return(user=users["verifikator"], renja=disnaker, triwulan=3, catatan="  ")
    siklus.laporan_verify(user=users["verifikator"], renja=disnaker, triwulan=3)
    with pytest.raises(siklus.Ditolak):
        siklus.laporan_unlock(user=users["admin"], renja=disnaker, triwulan=3, alasan="")
    siklus.laporan_unlock(user=users["admin"], renja=disnaker, triwulan=3, alasan="koreksi BPK")
    record = Riwayat.objects.filter(renja=disnaker, jenis="status").latest("waktu", "id")
    assert "koreksi BPK" in record.keterangan


def test_operator_sees_the_verifier_note(users, disnaker, client_for):
    bring_to("diajukan", users, disnaker)
    siklus.laporan_return(
        user=users["verifikator"], renja=disnaker, triwulan=3, catatan="Lampirkan bukti SP2D"
    )
    page = client_for("operator").get(f"/renja/{disnaker.pk}/entri/3/").content.decode()
    assert "Lampirkan bukti SP2D" in page and "Ajukan ke Bappeda" in page


@pytest.mark.parametrize("state", ["diajukan", "diverifikasi"])
def test_locked_data_cannot_be_changed_by_any_url_or_service(users, disnaker, client_for, state):
    bring_to(state, users, disnaker)
    indikator = Indikator.objects.filter(simpul__renja=disnaker).first()
    simpul = Simpul.objects.filter(renja=disnaker, anak__isnull=True).first()
    before = RealisasiK.objects.get(indikator=indikator, triwulan=3).nilai
    for who in ("operator", "admin"):
        c = client_for(who)
        assert (
            c.post(
                f"/renja/{disnaker.pk}/entri/3/k/{indikator.pk}/",
                {"nilai": "1", "versi": selectors.versi_k(indikator, 3)},
            ).status_code
            == 409
        )
        assert (
            c.post(
                f"/renja/{disnaker.pk}/entri/3/rp/{simpul.pk}/",
                {"nilai": "1", "versi": selectors.versi_rp(simpul, 3)},
            ).status_code
            == 409
        )
        c.post(
            f"/renja/{disnaker.pk}/entri/3/narasi/",
            {"faktor_pendorong": "diubah", "versi": selectors.versi_laporan(disnaker, 3)},
        )
        with pytest.raises(siklus.Ditolak):
            services.realisasi_k_update(
                user=users[who],
                indikator=indikator,
                triwulan=3,
                nilai=Decimal(1),
                versi=selectors.versi_k(indikator, 3),
            )
        with pytest.raises(siklus.Ditolak):
            services.realisasi_rp_update(
                user=users[who],
                simpul=simpul,
                triwulan=3,
                nilai=Decimal(1),
                versi=selectors.versi_rp(simpul, 3),
            )
        with pytest.raises(siklus.Ditolak):
            services.laporan_narasi_update(
                user=users[who],
                renja=disnaker,
                triwulan=3,
                narasi={"faktor_pendorong": "x"},
                versi=selectors.versi_laporan(disnaker, 3),
            )
    assert RealisasiK.objects.get(indikator=indikator, triwulan=3).nilai == before
    assert (
        LaporanTriwulan.objects.get(renja=disnaker, triwulan=3).faktor_pendorong
        == NARASI["faktor_pendorong"]
    )
    page = client_for("operator").get(f"/renja/{disnaker.pk}/entri/3/").content.decode()
    assert 'name="nilai"' not in page
    # other quarters stay open
    services.realisasi_k_update(
        user=users["operator"],
        indikator=indikator,
        triwulan=4,
        nilai=Decimal(99),
        versi=selectors.versi_k(indikator, 4),
    )


def test_reimport_refused_while_a_quarter_is_locked(users, disnaker, reference_csv):
    from monev.io.flat import read_flat

    bring_to("diverifikasi", users, disnaker)
    with pytest.raises(siklus.Ditolak):
        services.renja_import(
            user=users["admin"],
            perangkat_daerah=disnaker.perangkat_daerah,
            tahun=2022,
            renja=read_flat(reference_csv),
        )


def test_closed_window_refuses_operator_but_an_exception_reopens_it(users, disnaker, client_for):
    indikator = Indikator.objects.filter(simpul__renja=disnaker).first()
    pemda = disnaker.perangkat_daerah.pemda
    siklus.jendela_set(user=users["admin"], pemda=pemda, tahun=2022, triwulan=3, terbuka=False)
    response = client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/k/{indikator.pk}/",
        {"nilai": "5", "versi": selectors.versi_k(indikator, 3)},
    )
    assert response.status_code == 409 and "ditutup" in response.content.decode()
    with pytest.raises(siklus.Ditolak):
        submit(users, disnaker)
    siklus.pengecualian_set(
        user=users["admin"],
        perangkat_daerah=disnaker.perangkat_daerah,
        tahun=2022,
        triwulan=3,
        terbuka=True,
        alasan="terlambat",
    )
    assert (
        client_for("operator")
        .post(
            f"/renja/{disnaker.pk}/entri/3/k/{indikator.pk}/",
            {"nilai": "5", "versi": selectors.versi_k(indikator, 3)},
        )
        .status_code
        == 200
    )
    with pytest.raises(PermissionDenied):
        siklus.jendela_set(
            user=users["verifikator"], pemda=pemda, tahun=2022, triwulan=3, terbuka=True
        )


def test_window_past_its_deadline_is_closed(users, disnaker):
    import datetime

    pemda = disnaker.perangkat_daerah.pemda
    siklus.jendela_set(
        user=users["admin"],
        pemda=pemda,
        tahun=2022,
        triwulan=3,
        terbuka=True,
        batas=datetime.date(2022, 10, 15),
    )
    assert not siklus.window_open(disnaker.perangkat_daerah, 2022, 3)
    JendelaEntri.objects.filter(pemda=pemda, tahun=2022, triwulan=3).delete()
    assert not siklus.window_open(disnaker.perangkat_daerah, 2022, 3)  # no window: closed


def test_window_page_opens_and_closes(client_for, disnaker):
    pemda = disnaker.perangkat_daerah.pemda
    c = client_for("admin")
    assert c.get("/jendela/?tahun=2022").status_code == 200
    c.post("/jendela/", {"tahun": "2022", "pemda": pemda.pk, "triwulan": "2", "terbuka": "0"})
    assert not JendelaEntri.objects.get(pemda=pemda, tahun=2022, triwulan=2).terbuka
    c.post(
        "/jendela/",
        {
            "tahun": "2022",
            "pemda": pemda.pk,
            "triwulan": "2",
            "terbuka": "1",
            "batas": "2099-01-31",
        },
    )
    assert JendelaEntri.objects.get(pemda=pemda, tahun=2022, triwulan=2).terbuka


def test_actions_through_the_pages(client_for, users, disnaker):
    fill_narrative(users, disnaker)
    assert client_for("operator").post(f"/renja/{disnaker.pk}/laporan/3/ajukan/").status_code == 302
    assert status(disnaker) == "diajukan"
    assert client_for("operator").post(f"/renja/{disnaker.pk}/laporan/3/terima/").status_code == 403
    client_for("verifikator").post(
        f"/renja/{disnaker.pk}/laporan/3/kembalikan/", {"catatan": "cek lagi"}
    )
    assert status(disnaker) == "dikembalikan"
    assert client_for("admin").post(f"/renja/{disnaker.pk}/laporan/3/hapus/").status_code == 404


def test_status_board_shows_every_demo_pd_and_changes_after_acceptance(client_for, users, disnaker):
    bring_to("diverifikasi", users, disnaker)
    siklus.laporan_unlock(user=users["admin"], renja=disnaker, triwulan=3, alasan="koreksi")
    indikator = Indikator.objects.filter(simpul__renja=disnaker).first()
    services.realisasi_k_update(
        user=users["operator"],
        indikator=indikator,
        triwulan=3,
        nilai=Decimal(77),
        versi=selectors.versi_k(indikator, 3),
    )
    response = client_for("verifikator").get("/papan/?tahun=2022")
    page = response.content.decode()
    assert "Dinas Ketenagakerjaan" in page and "Dinas Komunikasi dan Informatika (contoh)" in page
    row = next(r for r in response.context["rows"] if r.perangkat_daerah.kode == "2.07.01")
    assert row.sel[2].status == "dikembalikan" and row.sel[2].ubah_setelah_diterima == 1
    assert row.sel[2].terakhir.pengguna == users["admin"]
    assert "1 perubahan setelah diterima" in page


def test_status_board_queries_do_not_grow_with_pds(client_for, django_assert_max_num_queries):
    c = client_for("admin")
    c.get("/papan/?tahun=2022")
    with django_assert_max_num_queries(13):  # + the pemda's approval levels
        c.get("/papan/?tahun=2022")


def test_two_people_editing_the_same_cell_never_lose_each_others_work(client_for, disnaker):
    """Two clients open the page (same version); the later save is refused and shows the other's value."""
    indikator = Indikator.objects.filter(simpul__renja=disnaker).first()
    url = f"/renja/{disnaker.pk}/entri/3/k/{indikator.pk}/"
    seen = RealisasiK.objects.get(indikator=indikator, triwulan=3).versi
    first, second = client_for("operator"), client_for("admin")
    assert first.post(url, {"nilai": "80", "versi": seen}).status_code == 200
    late = second.post(url, {"nilai": "90", "versi": seen})
    assert late.status_code == 409
    page = late.content.decode()
    assert "sudah diubah oleh operator" in page and 'value="80"' in page
    stored = RealisasiK.objects.get(indikator=indikator, triwulan=3)
    assert stored.nilai == Decimal(80)
    # with the fresh version, the second person's save goes through
    assert second.post(url, {"nilai": "90", "versi": stored.versi}).status_code == 200


def test_stale_narrative_is_refused(users, disnaker, client_for):
    laporan = services.laporan_narasi_update(
        user=users["operator"],
        renja=disnaker,
        triwulan=3,
        narasi={"faktor_pendorong": "a"},
        versi=selectors.versi_laporan(disnaker, 3),
    )
    seen = laporan.versi
    services.laporan_narasi_update(
        user=users["admin"],
        renja=disnaker,
        triwulan=3,
        narasi={"faktor_pendorong": "b"},
        versi=seen,
    )
    response = client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/narasi/",
        {"faktor_pendorong": "c", "versi": seen},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert LaporanTriwulan.objects.get(renja=disnaker, triwulan=3).faktor_pendorong == "b"
