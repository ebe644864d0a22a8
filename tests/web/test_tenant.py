"""Tenancy's data rules (issue 17): a province only over kabupaten/kota, an operator inside its
PD's pemda, the ministry outside every pemda; the profiles' migration; `monev kelola` commands."""

from __future__ import annotations

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from monev.web import access
from monev.web.models import Pemda, PerangkatDaerah, Profil

pytestmark = pytest.mark.django_db


@pytest.fixture
def kota():
    return Pemda.objects.get(nama="Kota Tangerang")


@pytest.mark.parametrize(
    ("jenis", "provinsi_jenis", "error"),
    [
        ("kota", "provinsi", None),
        ("kabupaten", "provinsi", None),
        ("kota", "kota", "bukan provinsi"),
        ("provinsi", "provinsi", "tidak berada di bawah provinsi"),
    ],
)
def test_only_a_province_is_over_a_kabupaten_or_kota(jenis, provinsi_jenis, error):
    atas = Pemda.objects.create(nama="Atas (uji)", jenis=provinsi_jenis)
    bawah = Pemda(nama="Bawah (uji)", jenis=jenis, provinsi=atas)
    if error is None:
        bawah.full_clean()
    else:
        with pytest.raises(ValidationError, match=error):
            bawah.full_clean()


def test_a_province_under_a_province_is_refused_by_the_database():
    atas = Pemda.objects.create(nama="Atas (uji)", jenis="provinsi")
    with pytest.raises(IntegrityError), transaction.atomic():
        Pemda.objects.create(nama="Bawah (uji)", jenis="provinsi", provinsi=atas)


def test_an_operator_takes_its_pd_pemda_and_cannot_have_another(users, kota):
    lain = Pemda.objects.create(nama="Lain (uji)", jenis="kota")
    profil = users["operator"].profil
    profil.pemda = None
    profil.save()
    assert profil.pemda_id == kota.pk
    profil.pemda = lain
    with pytest.raises(ValidationError, match="bukan milik"):
        profil.save()


def test_the_ministry_has_no_pemda(users, kota):
    with pytest.raises(IntegrityError), transaction.atomic():
        Profil.objects.filter(user=users["pimpinan"]).update(peran="kementerian")
    profil = users["pimpinan"].profil
    profil.peran = "kementerian"
    with pytest.raises(ValidationError, match="tidak terikat"):
        profil.full_clean()


def test_migration_gives_operators_their_pd_pemda_and_others_none_among_several(users):
    migration = importlib.import_module("monev.web.migrations.0012_tenant")
    Profil.objects.filter(user=users["verifikator"]).update(pemda=None)
    lain = Pemda.objects.get(nama="Kabupaten Contoh")
    Profil.objects.filter(user=users["operator"]).update(pemda=lain)  # as if never set right
    assert Pemda.objects.count() > 1
    with transaction.atomic():
        migration.give_profiles_their_pemda(apps, type("E", (), {"connection": _Conn()})())
    assert Profil.objects.get(user=users["operator"]).pemda.nama == "Kota Tangerang"
    assert Profil.objects.get(user=users["verifikator"]).pemda is None


class _Conn:
    vendor = "sqlite"


def test_a_user_without_pemda_sees_nothing(users):
    Profil.objects.filter(user=users["verifikator"]).update(pemda=None)
    users["verifikator"].profil.refresh_from_db()
    assert access.without_pemda(users["verifikator"])
    assert not access.visible_pd(users["verifikator"]).exists()
    assert not access.visible_pemda(users["verifikator"]).exists()


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_kelola_adds_a_pemda_under_its_province_and_its_users(monkeypatch):
    monkeypatch.setenv("MONEV_KATA_SANDI", "rahasia-uji-123")
    assert "ditambahkan di bawah Provinsi Contoh" in _run(
        "tambah_pemda", "Kota Baru (uji)", "--jenis", "kota", "--provinsi", "Provinsi Contoh"
    )
    baru = Pemda.objects.get(nama="Kota Baru (uji)")
    PerangkatDaerah.objects.create(pemda=baru, kode="1.01.01", nama="Dinas Pendidikan (uji)")
    assert "dibuat: Admin Bappeda di Kota Baru (uji)" in _run(
        "tambah_pengguna", "admin_baru", "--peran", "admin", "--pemda", "Kota Baru (uji)"
    )
    _run(
        "tambah_pengguna",
        "op_baru",
        "--peran",
        "operator",
        "--pemda",
        "Kota Baru (uji)",
        "--pd",
        "1.01.01",
    )
    op = Profil.objects.get(user__username="op_baru")
    assert (op.pemda, op.perangkat_daerah.nama) == (baru, "Dinas Pendidikan (uji)")
    assert op.user.check_password("rahasia-uji-123")
    assert "diubah: Kementerian" in _run("tambah_pengguna", "admin_baru", "--peran", "kementerian")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("tambah_pemda", "Kota Tangerang", "--jenis", "kota"), "sudah ada"),
        (("tambah_pemda", "X (uji)", "--jenis", "kota", "--provinsi", "Entah"), "tidak ada"),
        (
            ("tambah_pemda", "X (uji)", "--jenis", "kota", "--provinsi", "Kota Tangerang"),
            "bukan provinsi",
        ),
        (("tambah_pengguna", "x", "--peran", "admin"), "memerlukan --pemda"),
        (
            ("tambah_pengguna", "x", "--peran", "operator", "--pemda", "Kota Tangerang"),
            "memerlukan --pd",
        ),
        (
            (
                "tambah_pengguna",
                "x",
                "--peran",
                "operator",
                "--pemda",
                "Kabupaten Contoh",
                "--pd",
                "2.07.01",
            ),
            "tidak memiliki Perangkat Daerah",
        ),
        (
            ("tambah_pengguna", "x", "--peran", "kementerian", "--pemda", "Kota Tangerang"),
            "tidak terikat",
        ),
    ],
)
def test_kelola_refuses_bad_input_whole(args, message):
    before = (Pemda.objects.count(), Profil.objects.count())
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert (Pemda.objects.count(), Profil.objects.count()) == before
