"""Many pemda on one server (issue 17): the table covers every URL, the matrix's users without a
pemda of the world (the ministry, an account without a pemda, an anonymous visitor), and the
checks of one journey each. The matrix itself is described in tests/web/tenant_matrix.py; the
users of A, B and P run in test_tenant_matrix_a.py, _b.py and _p.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from monev.pemda import services as pemda_services
from monev.pemda.models import TokenApi
from monev.web.models import Pemda, Renja
from tests.web import tenant_matrix as matrix
from tests.web.tenant_matrix import CASES, CAST, GROUPS, MARK, TABLE, url_names

dunia = matrix.dunia  # this file's world


def test_every_url_is_in_the_table():
    assert url_names() == set(TABLE)


def test_every_user_of_the_cast_runs_the_matrix_in_one_file():
    assert sorted(u for users in GROUPS.values() for u in users) == sorted(CAST)
    for group in GROUPS:
        if group != "lain":
            assert Path(__file__).with_name(f"test_tenant_matrix_{group.lower()}.py").exists()


@pytest.mark.parametrize("user", GROUPS["lain"])
def test_tenant_permission_matrix(dunia, db, user):
    matrix.run_matrix(dunia, user)


def test_matrix_size():
    """The matrix's size, for the report: roles × (URL, target, method) cases."""
    assert len(CAST) == 15
    assert len(CASES) > 300


def test_user_without_pemda_is_told_to_ask_the_admin(dunia, db):
    client = Client()
    client.force_login(dunia.users["tanpa_pemda"])
    assert "belum terhubung ke pemda" in client.get("/").content.decode()


def test_admin_is_for_superusers_only(dunia, db):
    client = Client()
    staff = dunia.users["a_admin"]
    staff.is_staff = True  # type: ignore[attr-defined]
    staff.save()  # type: ignore[attr-defined]
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302  # to the admin's own sign-in
    assert client.get("/admin/monev/pemda/").status_code == 302


def test_province_chooses_its_kota_and_still_cannot_write_it(dunia, db):
    client = Client()
    client.force_login(dunia.users["p_admin"])
    page = client.get("/pilih-pemda/").content.decode()
    assert MARK["A"] in page and MARK["P"] in page and MARK["B"] not in page
    response = client.post("/pilih-pemda/", {"pemda": dunia.pemda["A"], "next": "/papan/"})
    assert response.status_code == 302 and response["Location"] == "/papan/"
    assert f"Dinas {MARK['A']}" in client.get("/papan/").content.decode()
    assert client.get("/").status_code == 200
    refused = client.post(f"/renja/{dunia.ids['A'].renja}/entri/3/narasi/", {"nilai": "1"})
    assert refused.status_code == 403
    assert client.post("/pilih-pemda/", {"pemda": dunia.pemda["B"]}).status_code == 404


def test_a_chosen_pemda_no_longer_allowed_is_forgotten(dunia, db):
    client = Client()
    user = dunia.users["p_admin"]
    client.force_login(user)
    client.post("/pilih-pemda/", {"pemda": dunia.pemda["A"]})
    client.get("/")  # shows (and so clears) the message naming the pemda chosen
    Pemda.objects.filter(pk=dunia.pemda["A"]).update(provinsi=None)
    page = client.get("/papan/").content.decode()
    assert MARK["A"] not in page and f"Dinas {MARK['P']}" in page


def test_ministry_sees_every_pemda_grouped_by_province(dunia, db):
    client = Client()
    client.force_login(dunia.users["kementerian"])
    page = client.get("/pilih-pemda/").content.decode()
    assert all(m in page for m in MARK.values())
    assert page.index(f"Pemda {MARK['P']}</legend>") < page.index(f"Pemda {MARK['A']} (")


def test_token_of_another_pemda_user_cannot_be_revoked_by_an_admin(dunia, db):
    other = TokenApi.objects.get(pengguna=dunia.users["a_verifikator"], nama="matriks")
    with pytest.raises(PermissionDenied):
        pemda_services.token_revoke(user=dunia.users["b_admin"], token=other)
    assert pemda_services.token_revoke(user=dunia.users["a_admin"], token=other).dicabut


def test_reminders_of_a_pemda_go_to_its_own_verifiers(dunia, db):
    from monev.web import persetujuan

    pd = Renja.objects.get(pk=dunia.ids["A"].renja).perangkat_daerah_id
    level = persetujuan.level_at(persetujuan.levels_of(dunia.pemda["A"]), 1)  # the verifier's
    approvers = persetujuan.approvers(level, pd)
    assert approvers == [dunia.users["a_verifikator"]]
    assert dunia.users["b_verifikator"] not in approvers


def test_renja_of_the_other_pemda_is_not_in_the_to_do_list(dunia, db):
    from monev.web.tugas import tugas_for

    LaporanTriwulan = Renja._meta.get_field("laporan").related_model
    LaporanTriwulan.objects.create(renja_id=dunia.ids["A"].renja, triwulan=3, status="diajukan")
    assert [a.renja.pk for a in tugas_for(dunia.users["a_verifikator"]).antrean] == [
        dunia.ids["A"].renja
    ]
    assert tugas_for(dunia.users["b_verifikator"]).antrean == []
    assert tugas_for(dunia.users["p_verifikator"]).antrean == []  # reads A, verifies only P


# -- the demo's second pemda and province --------------------------------------------------------

DEMO_FIRST = (b"Tangerang", b"Ketenagakerjaan", b"Komunikasi dan Informatika")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/papan/",
        "/pemda/",
        "/pemda/konsolidasi/",
        "/renstra/",
        "/renstra/pemda/",
        "/jendela/",
        "/impor/",
        "/pengaturan/predikat/",
        "/pilih-pemda/",
        "/pemda/api/renja",
        "/pemda/api/perangkat-daerah",
        "/pemda/api/pemda",
        "/pemda/api/rekap",
    ],
)
def test_demo_second_pemda_sees_nothing_of_the_first(client_for, url):
    response = client_for("kabupaten").get(url)
    assert response.status_code in (200, 404)
    assert not [name for name in DEMO_FIRST if name in response.content]


def test_demo_province_reads_its_kota_and_writes_nothing_of_it(client_for, disnaker):
    client = client_for("provinsi")
    kota = Pemda.objects.get(nama="Kota Tangerang")
    assert b"Dinas Ketenagakerjaan" in client.get(f"/pemda/?pemda={kota.pk}").content
    assert client.get(f"/renja/{disnaker.pk}/evaluasi/").status_code == 200
    assert client.post(f"/renja/{disnaker.pk}/entri/3/narasi/", {"x": "1"}).status_code == 403
    assert client.post(f"/renstra/renja/{disnaker.pk}/tahun-berikut/").status_code == 403
    assert (
        client.get(f"/pemda/?pemda={Pemda.objects.get(nama='Kabupaten Contoh').pk}").status_code
        == 404
    )
