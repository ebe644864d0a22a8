"""The admin's side of the pulls (`monev.pemda.tarik_kelola`): who sees a source that fills no
pemda yet, deleting a source with or without the rows it filled, and "Tarik sekarang" run off
the request."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from monev.pemda import tarik, tarik_kelola
from monev.pemda.models import AngkaIndikator, AngkaSimpul
from monev.pemda.models_tarik import SumberData, TarikanData, TriwulanTertarik
from monev.pemda.tarik_http import Jawaban
from monev.web.models import Pemda, Profil
from tests.web.tarik_helpers import BASE, ClientTransport, accept

MATI = "http://127.0.0.1:9"  # nothing listens there: a pull fails at once, and is logged


def _admin(username: str, pemda: Pemda | None, *, superuser: bool = False) -> Client:
    user = get_user_model().objects.create_user(username=username, is_superuser=superuser)
    Profil.objects.create(user=user, peran=Profil.Peran.ADMIN, pemda=pemda)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def provinsi(db):
    return Pemda.objects.get(nama="Provinsi Contoh")


@pytest.fixture
def lain(db):
    """The admin of another province on the same server."""
    return _admin("admin_lain", Pemda.objects.create(nama="Provinsi Lain", jenis="provinsi"))


def test_a_source_without_pemda_is_seen_by_the_province_that_added_it_only(client_for, lain):
    mine = client_for("provinsi")
    assert mine.post("/pemda/sumber/", {"nama": "Kab. Baru", "alamat": MATI}).status_code == 302
    sumber = SumberData.objects.get(nama="Kab. Baru")
    assert sumber.pemda is None and sumber.pemilik.nama == "Provinsi Contoh"
    assert "Kab. Baru" in mine.get("/pemda/sumber/").content.decode()

    assert "Kab. Baru" not in lain.get("/pemda/sumber/").content.decode()
    for action in ("tarik", "aktif", "hapus"):
        assert lain.post(f"/pemda/sumber/{sumber.pk}/{action}/").status_code == 404, action
    assert not TarikanData.objects.exists()

    server = _admin("admin_server", None, superuser=True)
    assert "Kab. Baru" in server.get("/pemda/sumber/").content.decode()


def test_a_source_from_before_owners_is_the_server_admins_only(client_for):
    SumberData.objects.create(nama="Kab. Lama", alamat=MATI)
    assert "Kab. Lama" not in client_for("provinsi").get("/pemda/sumber/").content.decode()
    server = _admin("admin_server", None, superuser=True)
    assert "Kab. Lama" in server.get("/pemda/sumber/").content.decode()


def _renamed(url, answer):
    """The demo city served under another name: a kabupaten new to this server."""
    doc = json.loads(answer.body)
    for pemda in (doc["pemda"], *(i["angka"]["pemda"] for i in doc.get("triwulan_pd", []))):
        pemda["nama"], pemda["jenis"] = "Kabupaten Tertarik", "kabupaten"
    return Jawaban(200, answer.headers, json.dumps(doc).encode())


@pytest.fixture
def pulled(users, disnaker, contoh, client, provinsi):
    """A source of the demo province, pulled once: TW I of both demo PDs."""
    accept(users["operator"], users["verifikator"], disnaker, 1)
    accept(users["operator2"], users["verifikator"], contoh, 1)
    Pemda.objects.create(nama="Provinsi Lain", jenis="provinsi")  # server_provinsi() is None
    sumber = SumberData.objects.create(
        nama="Kab. Tertarik",
        alamat=BASE,
        pemda_sumber=disnaker.perangkat_daerah.pemda_id,
        pemilik=provinsi,
    )
    done = tarik.pull(sumber=sumber, pemicu="uji", transport=ClientTransport(client, _renamed))
    assert done.status == TarikanData.Status.OK, done.pesan
    sumber.refresh_from_db()
    return sumber


def _rows(nama):
    return (
        AngkaSimpul.objects.filter(sumber=nama).count()
        + AngkaIndikator.objects.filter(sumber=nama).count()
    )


def test_the_pemda_a_pull_creates_belongs_to_the_province_that_owns_the_source(pulled):
    assert pulled.pemda.provinsi.nama == "Provinsi Contoh"


def test_deleting_a_source_asks_what_becomes_of_its_rows_and_says_how_many(pulled, client_for):
    admin = client_for("provinsi")
    rows = _rows(pulled.nama)
    assert rows > 0
    page = admin.get(f"/pemda/sumber/{pulled.pk}/hapus/").content.decode()
    assert f"<strong>2 triwulan PD</strong> dengan <strong>{rows} baris</strong>" in page
    assert "Hapus juga" in page and "Simpan baris itu" in page

    asked = admin.post(f"/pemda/sumber/{pulled.pk}/hapus/", follow=True)  # no choice
    assert "Pilih apakah baris" in asked.content.decode()
    assert SumberData.objects.filter(pk=pulled.pk).exists() and _rows(pulled.nama) == rows


@pytest.mark.parametrize(("baris", "kept"), [("hapus", False), ("simpan", True)])
def test_a_source_is_deleted_with_or_without_its_rows(pulled, client_for, baris, kept):
    rows = _rows(pulled.nama)
    done = client_for("provinsi").post(
        f"/pemda/sumber/{pulled.pk}/hapus/", {"baris": baris}, follow=True
    )
    page = done.content.decode()
    assert not SumberData.objects.filter(pk=pulled.pk).exists()
    assert not TriwulanTertarik.objects.exists() and not TarikanData.objects.exists()
    assert _rows(pulled.nama) == (rows if kept else 0)
    if kept:
        assert f"{rows} baris yang ditariknya tetap tersimpan" in page
    else:
        assert f"dihapus bersama {rows} baris dari 2 triwulan PD" in page
    assert Pemda.objects.filter(pk=pulled.pemda_id).exists()  # the pemda itself stays


def test_deleting_a_source_and_its_rows_is_all_or_nothing(pulled, users, monkeypatch):
    rows = _rows(pulled.nama)

    def fails(self, *args, **kwargs):
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(SumberData, "delete", fails)
    with pytest.raises(RuntimeError):
        tarik_kelola.sumber_delete(user=users["provinsi"], sumber=pulled, hapus_baris=True)
    assert _rows(pulled.nama) == rows


class _Proses:
    """Stands for the detached runner: records its command line, never starts anything."""

    started: list[list[str]] = []

    def __init__(self, argv, **kwargs):
        assert kwargs["start_new_session"] is True
        _Proses.started.append(argv)

    def wait(self):
        return 0


def test_pull_now_starts_off_the_request_and_the_page_shows_the_result(
    client_for, provinsi, settings, monkeypatch
):
    settings.MONEV_IMPOR_LATAR = "proses"
    monkeypatch.setattr(tarik_kelola.subprocess, "Popen", _Proses)
    _Proses.started.clear()
    sumber = SumberData.objects.create(nama="Kab. Mati", alamat=MATI, pemilik=provinsi)
    admin = client_for("provinsi")

    page = admin.post(f"/pemda/sumber/{sumber.pk}/tarik/", follow=True).content.decode()
    queued = TarikanData.objects.get(sumber=sumber)
    assert _Proses.started[0][-4:] == ["kelola", "tarik_data", "--tarikan", str(queued.pk)]
    assert (queued.status, queued.pemicu, queued.selesai) == ("berjalan", "provinsi", None)
    assert "Tarikan Kab. Mati dimulai di latar belakang" in page
    assert "Berjalan" in page and 'hx-trigger="every 2s"' in page  # it asks for the result

    again = admin.post(f"/pemda/sumber/{sumber.pk}/tarik/", follow=True).content.decode()
    assert "Tarikan Kab. Mati sedang berjalan sejak" in again
    assert TarikanData.objects.filter(sumber=sumber).count() == 1 and len(_Proses.started) == 1

    with pytest.raises(SystemExit) as failed:  # the runner: the source is down, exit 1
        call_command("tarik_data", "--tarikan", str(queued.pk))
    assert failed.value.code == 1
    queued.refresh_from_db()
    assert queued.status == "galat" and queued.selesai is not None
    assert "server sumber tidak dapat dihubungi" in queued.pesan

    shown = admin.get("/pemda/sumber/", headers={"HX-Request": "true"}).content.decode()
    assert "server sumber tidak dapat dihubungi" in shown and "hx-trigger" not in shown
    with pytest.raises(SystemExit) as twice:  # run once only
        call_command("tarik_data", "--tarikan", str(queued.pk))
    assert twice.value.code == 2


def test_a_pull_whose_process_died_long_ago_does_not_block_the_next(client_for, provinsi):
    sumber = SumberData.objects.create(nama="Kab. Mati", alamat=MATI, pemilik=provinsi)
    dead = TarikanData.objects.create(sumber=sumber, mulai=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert not tarik_kelola.is_running(dead)
    client_for("provinsi").post(f"/pemda/sumber/{sumber.pk}/tarik/")
    assert TarikanData.objects.filter(sumber=sumber).count() == 2
