"""Every URL × every role × GET and POST, built from the URL configuration, so that a new URL
cannot escape it; an operator typing another PD's URLs by hand learns nothing."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver

from monev.web.models import Bukti, Indikator, Komentar, Simpul, TugasImpor

ROLES = ("admin", "verifikator", "pimpinan", "operator", "operator2", None)
BAPPEDA = ("admin", "verifikator", "pimpinan")


def _app_patterns() -> set[str]:
    """Return the names of the application's own top-level URL patterns (not Django admin,
    not included apps, which test their own)."""
    return {e.name for e in get_resolver().url_patterns if isinstance(e, URLPattern) and e.name}


def _urls(renja):
    """Return, per URL name: the URL on Dinas Ketenagakerjaan's data and its allowed methods."""
    indikator = Indikator.objects.filter(simpul__renja=renja).first()
    simpul = Simpul.objects.filter(renja=renja, anak__isnull=True).first()
    r = renja.pk
    bukti = Bukti.objects.create(
        renja=renja,
        triwulan=3,
        simpul=simpul,
        kode=simpul.kode,
        nama_berkas="a.pdf",
        jenis="pdf",
        ukuran=12,
        sha256="0" * 64,
        isi=b"%PDF-1.4\n%%EOF",
    )
    utas = Komentar.objects.create(
        renja=renja, triwulan=3, indikator=indikator, teks="Periksa", penulis=None
    )
    from django.contrib.auth import get_user_model

    tugas = TugasImpor.objects.create(  # the admin's import job: only they (and admins) see it
        pengguna=get_user_model().objects.get(username="admin"),
        perangkat_daerah=renja.perangkat_daerah,
        tahun=2031,
        jenis="datar",
        nama_berkas="renja.csv",
        berkas="0" * 32 + ".csv",
    )
    pratinjau = TugasImpor.objects.create(  # a preview's background read, the admin's
        pengguna=get_user_model().objects.get(username="admin"),
        perangkat_daerah=renja.perangkat_daerah,
        tahun=2031,
        jenis="pratinjau",
        nama_berkas="tabel.csv",
        berkas="1" * 32 + ".csv",
    )
    return {
        "home": ("/", {"GET"}),
        "login": ("/masuk/", {"GET", "POST"}),
        "logout": ("/keluar/", {"POST"}),
        "renja": (f"/renja/{r}/", {"GET"}),
        "entri": (f"/renja/{r}/entri/3/", {"GET"}),
        "entri_ringkasan": (f"/renja/{r}/entri/3/ringkasan/", {"GET"}),
        "entri_k": (f"/renja/{r}/entri/3/k/{indikator.pk}/", {"POST"}),
        "entri_rp": (f"/renja/{r}/entri/3/rp/{simpul.pk}/", {"POST"}),
        "entri_narasi": (f"/renja/{r}/entri/3/narasi/", {"POST"}),
        "laporan_aksi": (f"/renja/{r}/laporan/3/ajukan/", {"POST"}),
        "papan": ("/papan/", {"GET"}),
        "jendela": ("/jendela/", {"GET", "POST"}),
        "evaluasi": (f"/renja/{r}/evaluasi/", {"GET"}),
        "unduh": (f"/renja/{r}/unduh/?format=csv", {"GET"}),
        "renja_target": (f"/renja/{r}/target/{indikator.pk}/", {"POST"}),
        "renja_pagu": (f"/renja/{r}/pagu/{simpul.pk}/", {"POST"}),
        "riwayat_indikator": (f"/indikator/{indikator.pk}/riwayat/", {"GET"}),
        "impor": ("/impor/", {"GET", "POST"}),
        "impor_tabel": ("/impor/tabel/", {"GET", "POST"}),
        "impor_tabel_pratinjau": ("/impor/tabel/pratinjau/", {"POST"}),
        "nomenklatur": ("/impor/nomenklatur/", {"GET", "POST"}),
        "nomenklatur_aktif": ("/impor/nomenklatur/999999/aktif/", {"POST"}),
        "tugas_impor": (f"/impor/tugas/{tugas.pk}/", {"GET"}),
        "impor_tabel_pratinjau_tugas": (f"/impor/tabel/pratinjau/{pratinjau.pk}/", {"GET"}),
        "bukti": (f"/renja/{r}/bukti/3/", {"GET", "POST"}),
        "bukti_zip": (f"/renja/{r}/bukti/3/semua.zip", {"GET"}),
        "bukti_unduh": (f"/renja/{r}/bukti/berkas/{bukti.pk}/", {"GET"}),
        "bukti_hapus": (f"/renja/{r}/bukti/berkas/{bukti.pk}/hapus/", {"POST"}),
        "pita_predikat": ("/pengaturan/predikat/", {"GET", "POST"}),
        "tingkat_persetujuan": ("/pengaturan/persetujuan/", {"GET", "POST"}),
        "pengingat": ("/pengingat/", {"GET", "POST"}),
        "pilih_pemda": ("/pilih-pemda/", {"GET", "POST"}),
        "komentar": (f"/renja/{r}/komentar/3/k/{indikator.pk}/", {"GET"}),
        "komentar_tulis": (f"/renja/{r}/komentar/3/k/{indikator.pk}/tulis/", {"POST"}),
        "komentar_aksi": (f"/renja/{r}/komentar/utas/{utas.pk}/selesai/", {"POST"}),
        "riwayat_laporan": (f"/renja/{r}/riwayat/3/", {"GET"}),
    }


def test_every_url_of_the_application_is_in_the_matrix(disnaker):
    assert _app_patterns() == set(_urls(disnaker))


READ = {
    "renja",
    "entri",
    "entri_ringkasan",
    "evaluasi",
    "riwayat_indikator",
    "unduh",
    "bukti_zip",
    "bukti_unduh",
    "komentar",
    "riwayat_laporan",
}
WRITE = {"entri_k", "entri_rp", "entri_narasi", "laporan_aksi"}


def expected(name: str, role: str | None, method: str, allowed: set[str]) -> set[int]:
    if method not in allowed:
        return {405}
    if name == "login":
        return {200, 302}
    if name == "logout":
        return {302}
    if role is None:
        return {302}  # to the sign-in page
    if name == "home":
        return {200}
    if name == "pengingat":  # one's own reminders: every role
        return {200, 302}
    if name == "pilih_pemda":  # every role; a POST naming no pemda it may read: 404
        return {200} if method == "GET" else {404}
    if name in ("renja_target", "renja_pagu"):
        # The matrix posts no version: past the access check, the version check refuses (409).
        return {409} if role == "admin" else {403}
    if name == "nomenklatur_aktif":  # no such list: past the access check, 404
        return {404} if role == "admin" else {403}
    if name in (
        "impor",
        "jendela",
        "pita_predikat",
        "impor_tabel",
        "impor_tabel_pratinjau",
        "nomenklatur",
        "tingkat_persetujuan",
    ):
        return {200, 302, 400} if role == "admin" else {403}
    if name == "papan":
        return {200} if role in BAPPEDA else {403}
    if name == "impor_tabel_pratinjau_tugas":  # the admin's preview read; other roles: 403
        return {200} if role == "admin" else {403}
    if name == "tugas_impor":  # who started the job (the admin) and admins; nobody else
        return {200} if role == "admin" else {404}
    if role == "operator2":
        return {404}  # another PD's data does not exist for them
    if name == "bukti":  # GET reads; a POST without a file is refused past the access check
        if method == "GET":
            return {200}
        return {400} if role in ("admin", "operator") else {403}
    if name == "bukti_hapus":
        return {302} if role in ("admin", "operator") else {403}
    if name in READ:
        return {200}
    if name in ("entri_k", "entri_rp"):  # no version posted: refused past the access check
        return {409} if role in ("admin", "operator") else {403}
    if name in ("komentar_tulis", "komentar_aksi"):  # an empty comment is refused: a redirect
        return {302} if role in ("admin", "verifikator", "operator") else {403}
    if name in WRITE:
        return {200, 302} if role in ("admin", "operator") else {403}
    raise AssertionError(name)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_for, client, disnaker, role):
    for name, (url, allowed) in _urls(disnaker).items():
        for method in ("GET", "POST"):
            c = client_for(role) if role else client
            response = c.post(url, {"nilai": "1"}) if method == "POST" else c.get(url)
            assert response.status_code in expected(name, role, method, allowed), (
                name,
                role,
                method,
                response.status_code,
            )
            if response.status_code in (403, 404, 405):
                assert b"Dinas Ketenagakerjaan" not in response.content
            if role is None and response.status_code == 302 and name not in ("login", "logout"):
                assert "/masuk/" in response["Location"]


def test_operator_cannot_reach_another_pd_indicator_through_own_renja(client_for, disnaker, contoh):
    foreign = Indikator.objects.filter(simpul__renja=contoh).first()
    response = client_for("operator").post(
        f"/renja/{disnaker.pk}/entri/3/k/{foreign.pk}/", {"nilai": "1"}
    )
    assert response.status_code == 404


def test_user_without_a_role_sees_nothing(client, db, disnaker):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("tamu", password="x-long-password")
    client.force_login(user)
    assert client.get("/").status_code == 403
    assert client.get(f"/renja/{disnaker.pk}/evaluasi/").status_code == 403


def test_admin_site_only_for_staff(client_for):
    assert client_for("admin").get("/admin/").status_code == 200
    assert client_for("operator").get("/admin/").status_code == 302
