"""Many pemda on one server (issue 17): every URL of monev.web, monev.pemda and monev.renstra,
read from the URL resolver (a new URL cannot be forgotten), tried by every role of two pemda (A and
B), of a province P over A, by the ministry, by a user without a pemda and by an anonymous visitor,
with GET and POST (and PUT where the API writes). A URL that needs ids is tried on A's, B's and P's
objects; a whole-pemda page also with `?pemda=` of each. The status expected comes from the table
below, never from `monev.web.access`; and no page a user gets names anything of a pemda the user
may not read.

The world, the table and one user's run (`run_matrix`); the tests are test_tenant_matrix*.py, one
file per group of users (`GROUPS`), so that `--dist loadfile` spreads the ~6 000 requests over the
workers. Each file builds the world once (`dunia`, rolled back at the file's end); each user's run
is its own test, rolled back at its end."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from monev.io.flat import read_flat
from monev.pemda import selectors as pemda_selectors
from monev.pemda import services as pemda_services
from monev.pemda.models_tarik import SumberData
from monev.renstra.models import Renstra
from monev.web import services
from monev.web.komentar_model import Komentar
from monev.web.models import (
    Bukti,
    DaftarNomenklatur,
    Indikator,
    JendelaEntri,
    Pemda,
    PerangkatDaerah,
    Profil,
    Simpul,
    TugasImpor,
)

#: Each pemda's names carry its own marker; a page may show a marker only to those who may read it.
MARK = {"A": "Qalfa", "B": "Qbeta", "P": "Qprov"}
JENIS = {"A": Pemda.Jenis.KOTA, "B": Pemda.Jenis.KABUPATEN, "P": Pemda.Jenis.PROVINSI}
TAHUN = 2031

#: The cast: username -> (role, pemda). A province reads A; the ministry reads every pemda.
CAST = {
    **{
        f"{p.lower()}_{role}": (role, p)
        for p in ("A", "B", "P")
        for role in ("admin", "verifikator", "pimpinan", "operator")
    },
    "kementerian": ("kementerian", None),
    "tanpa_pemda": ("verifikator", None),  # an account from before there were several pemda
    "anonim": (None, None),
}
READS = {"A": {"A"}, "B": {"B"}, "P": {"P", "A"}}
EVERY = {"A", "B", "P"}


def reads(user: str) -> set[str]:
    role, pemda = CAST[user]
    if role == "kementerian":
        return EVERY
    if pemda is None:
        return set()
    return {pemda} if role == "operator" else READS[pemda]


def writes(user: str) -> set[str]:
    role, pemda = CAST[user]
    return {pemda} if role in ("admin", "verifikator", "operator") and pemda else set()


FLAT_HEADER = (
    "kode,tingkat,nama,indikator,satuan,target_renstra_k,target_renstra_rp,realisasi_lalu_k,"
    "realisasi_lalu_rp,target_k,target_volume,pagu,tw1_k,tw1_rp,tw2_k,tw2_rp,tw3_k,tw3_rp,tw4_k,"
    "tw4_rp,polaritas,agregasi_k,agregasi_rp,unit_penanggung_jawab"
)
FLAT_ROWS = (
    "9.01.01,program,Program {m},Indikator program {m},%,,,,,80,,,50,,,,,,,,positif,progresif,"
    "progresif,",
    "9.01.01.2.01,kegiatan,Kegiatan {m},Indikator kegiatan {m},%,,,,,80,,,50,,,,,,,,positif,"
    "progresif,progresif,",
    "9.01.01.2.01.0001,sub_kegiatan,Sub kegiatan {m},Indikator sub {m},dokumen,,,,,4,4 dokumen,"
    "100000000,1,20000000,,,,,,,positif,akumulatif,akumulatif,",
)


def _flat(marker: str) -> bytes:
    return "\n".join([FLAT_HEADER, *(r.format(m=marker) for r in FLAT_ROWS)]).encode()


@dataclass
class Ids:
    renja: int
    indikator: int
    simpul: int
    bukti: int
    renstra: int
    token_cabut: int
    nomenklatur: int
    utas: int
    tugas: int
    sumber: int
    pemda: int
    pratinjau: int


@dataclass
class Dunia:
    ids: dict[str, Ids]
    pemda: dict[str, int]
    users: dict[str, object]
    tokens: dict[str, str]


def _build() -> Dunia:
    User = get_user_model()
    pemda = {}
    for key in ("P", "A", "B"):
        pemda[key] = Pemda.objects.create(
            nama=f"Pemda {MARK[key]}",
            jenis=JENIS[key],
            provinsi=pemda["P"] if key == "A" else None,
        )
    pd = {
        key: PerangkatDaerah.objects.create(pemda=p, kode="9.01.01", nama=f"Dinas {MARK[key]}")
        for key, p in pemda.items()
    }
    users: dict[str, object] = {}
    for username, (role, key) in CAST.items():
        if role is None:
            continue
        user = User.objects.create_user(username=f"matriks_{username}")
        Profil.objects.create(
            user=user,
            peran=role,
            pemda=pemda[key] if key else None,
            perangkat_daerah=pd[key] if role == "operator" and key else None,
        )
        users[username] = user
    ids = {}
    for key in ("A", "B", "P"):
        admin = users[f"{key.lower()}_admin"]
        JendelaEntri.objects.create(pemda=pemda[key], tahun=TAHUN, triwulan=3, terbuka=True)
        data = _flat(MARK[key])
        renja = services.renja_import(
            user=admin,
            perangkat_daerah=pd[key],
            tahun=TAHUN,
            renja=read_flat(Path(f"{MARK[key]}.csv"), data),
        )
        leaf = Simpul.objects.get(renja=renja, tingkat="sub_kegiatan")
        bukti = Bukti.objects.create(
            renja=renja,
            triwulan=3,
            simpul=leaf,
            kode=leaf.kode,
            nama_berkas=f"bukti-{MARK[key]}.pdf",
            jenis="pdf",
            ukuran=12,
            sha256="0" * 64,
            isi=b"%PDF-1.4\n%%EOF",
        )
        renstra = Renstra.objects.create(
            perangkat_daerah=pd[key], tahun_awal=2029, tahun_akhir=2033, nama=f"Renstra {MARK[key]}"
        )
        cabut, _ = pemda_services.token_create(user=admin, nama=f"dicabut {MARK[key]}")
        ids[key] = Ids(
            renja.pk,
            Indikator.objects.filter(simpul=leaf).first().pk,  # type: ignore[union-attr]
            leaf.pk,
            bukti.pk,
            renstra.pk,
            cabut.pk,
            DaftarNomenklatur.objects.create(pemda=pemda[key], nama=f"Daftar {MARK[key]}").pk,
            Komentar.objects.create(
                renja=renja, triwulan=3, simpul=leaf, penulis=admin, teks=f"Utas {MARK[key]}"
            ).pk,
            TugasImpor.objects.create(
                pengguna=admin,
                perangkat_daerah=pd[key],
                tahun=2031,
                jenis="datar",
                nama_berkas=f"renja-{MARK[key]}.csv",
                berkas="0" * 32 + ".csv",
            ).pk,
            # A source that is down (port 9): a pull fails at once, and is logged. It fills the
            # pemda (a kabupaten/kota; the province's, added by its admin, has none yet).
            SumberData.objects.create(
                nama=f"Sumber {MARK[key]}",
                alamat="http://127.0.0.1:9",
                pemda=pemda[key] if key != "P" else None,
                pemilik=pemda["P"] if key == "P" else None,
            ).pk,
            pemda[key].pk,
            TugasImpor.objects.create(  # the background read of a large table's preview
                pengguna=admin,
                perangkat_daerah=pd[key],
                tahun=2031,
                jenis="pratinjau",
                nama_berkas=f"tabel-{MARK[key]}.csv",
                berkas="0" * 32 + ".csv",
            ).pk,
        )
    tokens = {
        u: pemda_services.token_create(user=user, nama="matriks")[1] for u, user in users.items()
    }
    return Dunia(ids, {k: p.pk for k, p in pemda.items()}, users, tokens)


@pytest.fixture(scope="module")
def dunia(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        pemda_selectors.clear_cache()
        yield _build()
        transaction.set_rollback(True)
    pemda_selectors.clear_cache()


# -- the URLs ----------------------------------------------------------------------------------


def _walk(patterns, names):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django admin: superusers only (test_admin_is_for_superusers_only)
            yield from _walk(
                entry.url_patterns, [*names, entry.namespace] if entry.namespace else names
            )
        elif isinstance(entry, URLPattern) and entry.name:
            yield ":".join([*names, entry.name])


def url_names() -> set[str]:
    return set(_walk(get_resolver().url_patterns, []))


#: URL name -> (category, path template). `{r}` a Renja, `{i}` an indicator, `{s}` a leaf node,
#: `{b}` a supporting document, `{rs}` a Renstra, `{t}` a token of the pemda's admin, `{n}` a
#: nomenclature list, `{u}` a comment thread, `{j}` an import job of the pemda's admin, `{q}` a
#: source of pulls, `{p}` the pemda itself; a path with
#: any of them is tried on A's, B's and P's objects. Categories are explained in `expected`.
TABLE: dict[str, tuple[str, str]] = {
    "login": ("public_form", "/masuk/"),
    "logout": ("logout", "/keluar/"),
    "home": ("self", "/"),
    "pengingat": ("self", "/pengingat/"),
    "pilih_pemda": ("pilih", "/pilih-pemda/"),
    "renja": ("renja_read", "/renja/{r}/"),
    "entri": ("renja_read", "/renja/{r}/entri/3/"),
    "entri_ringkasan": ("renja_read", "/renja/{r}/entri/3/ringkasan/"),
    "entri_k": ("realisasi_write", "/renja/{r}/entri/3/k/{i}/"),
    "entri_rp": ("realisasi_write", "/renja/{r}/entri/3/rp/{s}/"),
    "entri_narasi": ("realisasi_write", "/renja/{r}/entri/3/narasi/"),
    "laporan_aksi": ("verifier_write", "/renja/{r}/laporan/3/terima/"),
    "papan": ("whole_pemda", "/papan/"),
    "jendela": ("admin_pemda", "/jendela/"),
    "renja_target": ("renja_admin", "/renja/{r}/target/{i}/"),
    "renja_pagu": ("renja_admin", "/renja/{r}/pagu/{s}/"),
    "evaluasi": ("renja_read", "/renja/{r}/evaluasi/"),
    "unduh": ("renja_read", "/renja/{r}/unduh/?format=csv"),
    "riwayat_indikator": ("renja_read", "/indikator/{i}/riwayat/"),
    "bukti": ("bukti", "/renja/{r}/bukti/3/"),
    "bukti_zip": ("renja_read", "/renja/{r}/bukti/3/semua.zip"),
    "bukti_unduh": ("renja_read", "/renja/{r}/bukti/berkas/{b}/"),
    "bukti_hapus": ("realisasi_write", "/renja/{r}/bukti/berkas/{b}/hapus/"),
    "impor": ("admin_pemda", "/impor/"),
    "pita_predikat": ("admin_pemda", "/pengaturan/predikat/"),
    "tingkat_persetujuan": ("admin_pemda", "/pengaturan/persetujuan/"),
    "tugas_impor": ("tugas", "/impor/tugas/{j}/"),
    "impor_tabel_pratinjau_tugas": ("tugas_pratinjau", "/impor/tabel/pratinjau/{pj}/"),
    "pemda:sumber_data": ("sources", "/pemda/sumber/"),
    "pemda:sumber_tarik": ("sources", "/pemda/sumber/{q}/tarik/"),
    "pemda:sumber_aktif": ("sources", "/pemda/sumber/{q}/aktif/"),
    "pemda:sumber_hapus": ("sources", "/pemda/sumber/{q}/hapus/"),
    "pemda:api:terbuka_pemda": ("public", "/pemda/api/terbuka/pemda"),
    "pemda:api:terbuka_baris_list": ("public", "/pemda/api/terbuka/pemda/{p}/baris"),
    "komentar": ("renja_read", "/renja/{r}/komentar/3/k/{i}/"),
    "komentar_tulis": ("comment_write", "/renja/{r}/komentar/3/k/{i}/tulis/"),
    "komentar_aksi": ("comment_write", "/renja/{r}/komentar/utas/{u}/selesai/"),
    "riwayat_laporan": ("renja_read", "/renja/{r}/riwayat/3/"),
    "impor_tabel": ("admin_pemda", "/impor/tabel/"),
    "impor_tabel_pratinjau": ("admin_pemda", "/impor/tabel/pratinjau/"),
    "nomenklatur": ("admin_pemda", "/impor/nomenklatur/"),
    "nomenklatur_aktif": ("renja_admin", "/impor/nomenklatur/{n}/aktif/"),
    "pemda:dasbor": ("whole_pemda", "/pemda/?triwulan=1"),
    "pemda:grafik": ("whole_pemda", "/pemda/grafik/kurva-s.svg"),
    "pemda:peringatan": ("whole_pemda", "/pemda/peringatan/"),
    "pemda:peringatan_csv": ("whole_pemda", "/pemda/peringatan.csv"),
    "pemda:konsolidasi": ("whole_pemda", "/pemda/konsolidasi/"),
    "pemda:konsolidasi_xlsx": ("whole_pemda", "/pemda/konsolidasi.xlsx"),
    "pemda:konsolidasi_e79": ("whole_pemda", "/pemda/konsolidasi/e79.xlsx"),
    "pemda:wilayah": ("wilayah", "/pemda/wilayah/"),
    "pemda:wilayah_csv": ("wilayah", "/pemda/wilayah.csv?kelompok=program"),
    "pemda:pd": ("renja_whole", "/pemda/pd/{r}/"),
    "pemda:simpul": ("renja_whole", "/pemda/pd/{r}/simpul/9.01.01/"),
    "pemda:rencana": ("renja_read", "/pemda/renja/{r}/rencana/"),
    "pemda:rencana_k": ("realisasi_write", "/pemda/renja/{r}/rencana/k/{i}/"),
    "pemda:rencana_rp": ("realisasi_write", "/pemda/renja/{r}/rencana/rp/{s}/"),
    "pemda:rencana_impor": ("realisasi_write", "/pemda/renja/{r}/rencana/impor/"),
    "pemda:rencana_csv": ("renja_read", "/pemda/renja/{r}/rencana.csv"),
    "pemda:token": ("token", "/pemda/token/"),
    "pemda:token_cabut": ("token_cabut", "/pemda/token/{t}/cabut/"),
    "pemda:api_dokumentasi": ("public", "/pemda/api/dokumentasi/"),
    "pemda:openapi": ("public", "/pemda/api/openapi.json"),
    "pemda:api_akar": ("to_docs", "/pemda/api/"),
    "pemda:api:api-root": ("to_docs", "/pemda/api/"),  # shadowed by api_akar
    "pemda:api:pemda_list": ("api_list", "/pemda/api/pemda"),
    "pemda:api:perangkat_daerah_list": ("api_list", "/pemda/api/perangkat-daerah"),
    "pemda:api:renja_list": ("api_list", "/pemda/api/renja"),
    "pemda:api:renja_detail": ("api_renja", "/pemda/api/renja/{r}"),
    "pemda:api:indikator_list": ("api_renja", "/pemda/api/renja/{r}/indikator"),
    "pemda:api:renja_evaluasi": ("api_renja", "/pemda/api/renja/{r}/evaluasi?triwulan=1"),
    "pemda:api:rekap": ("api_rekap", "/pemda/api/rekap"),
    "pemda:api:realisasi_k_get": ("api_renja", "/pemda/api/indikator/{i}/realisasi/3"),
    "pemda:api:realisasi_rp_get": ("api_renja", "/pemda/api/simpul/{s}/realisasi/3"),
    "pemda:api:realisasi_k_put": ("api_write", "/pemda/api/indikator/{i}/realisasi/3"),
    "pemda:api:realisasi_rp_put": ("api_write", "/pemda/api/simpul/{s}/realisasi/3"),
    "pemda:api:terbuka_list": ("public", "/pemda/api/terbuka/evaluasi"),
    "pemda:api:terbuka_csv": ("public", "/pemda/api/terbuka/evaluasi.csv"),
    # Public open data shows verified quarters only: these are not verified.
    "pemda:api:terbuka_detail": ("public_unverified", "/pemda/api/terbuka/evaluasi/{r}/1"),
    "pemda:api:terbuka_detail_csv": (
        "public_unverified",
        "/pemda/api/terbuka/evaluasi/{r}/1/csv",
    ),
    "pemda:api:tidak_dikenal": ("api_unknown", "/pemda/api/tidak-ada"),
    "renstra:daftar": ("self", "/renstra/"),
    "renstra:impor": ("admin_pemda", "/renstra/impor/"),
    "renstra:pemetaan": ("admin_pemda", "/renstra/pemetaan/"),
    "renstra:e80_pemda": ("whole_pemda", "/renstra/pemda/"),
    "renstra:e80_pemda_file": ("whole_pemda", "/renstra/pemda/e80.xlsx"),
    "renstra:detail": ("renja_read", "/renstra/{rs}/"),
    "renstra:e80": ("renja_read", "/renstra/{rs}/e80/"),
    "renstra:e80_file": ("renja_read", "/renstra/{rs}/e80.xlsx"),
    "renstra:renja": ("renja_read", "/renstra/renja/{r}/"),
    "renstra:tautkan": ("renja_admin", "/renstra/renja/{r}/tautkan/"),
    "renstra:tahun_berikut": ("renja_admin", "/renstra/renja/{r}/tahun-berikut/"),
    "renstra:perubahan": ("renja_admin", "/renstra/renja/{r}/perubahan/"),
    "renstra:rencana_perubahan": ("renja_read_perubahan", "/renstra/renja/{r}/rencana-perubahan/"),
    "renstra:ubah_perubahan": (
        "renja_admin",
        "/renstra/renja/{r}/rencana-perubahan/target/{i}/",
    ),
    "renstra:banding": ("renja_read_perubahan", "/renstra/renja/{r}/banding/"),
    "renstra:e81": ("renja_read", "/renstra/renja/{r}/e81/1.xlsx"),
}

#: The methods each category answers (others: 405). GET is the read; POST the page write.
METHODS = {
    "public_form": {"GET", "POST"},
    "logout": {"POST"},
    "self": {"GET", "POST"},
    "pilih": {"GET", "POST"},
    "token": {"GET", "POST"},
    "token_cabut": {"POST"},
    "renja_read": {"GET"},
    "renja_read_perubahan": {"GET"},
    "renja_whole": {"GET"},
    "realisasi_write": {"POST"},
    "verifier_write": {"POST"},
    "comment_write": {"POST"},
    "tugas": {"GET"},
    "tugas_pratinjau": {"GET"},
    "sources": {"GET", "POST"},
    "bukti": {"GET", "POST"},
    "renja_admin": {"POST"},
    "whole_pemda": {"GET"},
    "wilayah": {"GET"},
    "admin_pemda": {"GET", "POST"},
    "public": {"GET"},
    "public_unverified": {"GET"},
    "to_docs": {"GET", "POST"},
    "api_unknown": {"GET", "POST"},
    "api_list": {"GET"},
    "api_renja": {"GET"},
    "api_rekap": {"GET"},
    "api_write": {"PUT"},
}
#: URLs that answer other methods than their category's.
ONLY = {
    "home": {"GET"},
    "renstra:daftar": {"GET"},
    "renstra:impor": {"POST"},
    "renstra:pemetaan": {"POST"},
    "impor_tabel_pratinjau": {"POST"},
    "pemda:sumber_tarik": {"POST"},
    "pemda:sumber_aktif": {"POST"},
}
#: Past every access check, what a write answers (the matrix posts no file, no version, no
#: choice: each is refused or redirected, or, for a few, done).
PASSED = {
    "entri_k": {409},
    "entri_rp": {409},
    "entri_narasi": {200, 302},
    "laporan_aksi": {302},  # a quarter not submitted cannot be accepted: refused with a message
    "pengingat": {302},
    "bukti": {400},
    "bukti_hapus": {302},
    "pemda:rencana_k": {302},
    "pemda:rencana_rp": {302},
    "pemda:rencana_impor": {302},
    "renja_target": {409},
    "renja_pagu": {409},
    "renstra:tautkan": {302},
    "renstra:tahun_berikut": {200, 302},
    "renstra:perubahan": {302},
    "renstra:ubah_perubahan": {302},
    "jendela": {302},
    "impor": {400},
    "pita_predikat": {302, 400},
    "tingkat_persetujuan": {302},
    "pemda:sumber_data": {422},  # an empty form
    "pemda:sumber_tarik": {302},
    "pemda:sumber_aktif": {302},
    "pemda:sumber_hapus": {302},  # no choice of what becomes of the rows: asked again
    "komentar_tulis": {302},  # no text: refused with a message
    "komentar_aksi": {302},  # no rows: the single verifier level, saved
    "impor_tabel": {400},
    "impor_tabel_pratinjau": {400},
    "nomenklatur": {400},
    "nomenklatur_aktif": {302},
    "renstra:impor": {400},
    "renstra:pemetaan": {302},
}
WHOLE_ROLES = {"admin", "verifikator", "pimpinan", "kementerian"}
API = "pemda:api:"


def _methods(name: str, category: str) -> set[str]:
    return ONLY.get(name, METHODS[category])


def expected(name: str, user: str, method: str, target: str | None) -> set[int]:
    """Return the statuses allowed for `user` on URL `name` with `method`, on `target`'s objects
    (or `?pemda=` of it; None: the URL names no pemda)."""
    category, _ = TABLE[name]
    role = CAST[user][0]
    anonymous = role is None
    if category == "api_write" and method == "GET":  # the same URL as the read of the value
        return expected(name.replace("_put", "_get"), user, method, target)
    if method not in _methods(name, category):
        return {405}
    login = {401} if name.startswith(API) else {302}
    if category == "public_form":  # a signed-in user is sent on from the sign-in page
        return {200} if anonymous else {302}
    if category == "public":
        return {200}
    if category == "to_docs":
        return {302}
    if category in ("api_unknown", "public_unverified"):
        return {404}
    if category == "logout":
        return {302}
    if anonymous:
        return login
    seen = target is None or target in reads(user)
    mine = target in writes(user)
    if category == "self":
        return {200} if method == "GET" else PASSED[name]
    if category == "pilih":  # a POST naming no pemda it may read: 404
        return {200} if method == "GET" else {404}
    if category == "token":
        return {200} if method == "GET" else {201}
    if category == "sources":  # the pulls from other servers: a province's admin, of its own
        if user != "p_admin":
            return {403}
        if target == "B":  # B is not one of P's kabupaten/kota
            return {404}
        return {200} if method == "GET" else PASSED[name]
    if category == "tugas":  # an import job: who started it (here its pemda's admin) sees it
        return {200} if user == f"{(target or '').lower()}_admin" else {404}
    if category == "tugas_pratinjau":  # a preview's read: admins only, then as an import job
        if role != "admin":
            return {403}
        return {200} if user == f"{(target or '').lower()}_admin" else {404}
    if category == "token_cabut":  # the target admin's own token; nobody else's
        return {302} if user == f"{(target or '').lower()}_admin" else {404}
    if category == "admin_pemda":
        if role != "admin":
            return {403}
        return {200} if method == "GET" else PASSED[name]
    if category in ("whole_pemda", "api_rekap", "renja_whole"):
        if role not in WHOLE_ROLES:
            return {403}
        if not seen:
            return {404}
        if target is None and (not reads(user) or role == "kementerian"):
            # Nothing to show, or the ministry's first pemda (the demo's, without data): an empty
            # page, or a file that is not there
            return {200, 404}
        return {200}
    if category == "wilayah":  # every pemda the user reads, side by side; no `?pemda=`
        return {200} if role in WHOLE_ROLES else {403}
    if category == "renja_admin":  # the role is checked before the Renja is looked up
        if role != "admin":
            return {403}
        if not seen:
            return {404}
        return PASSED[name] if mine else {403}
    if not seen:
        return {404}
    if category in ("renja_read", "api_renja", "api_list"):
        return {200}
    if category == "renja_read_perubahan":
        return {404}  # these Renja have no perubahan
    if category == "bukti":
        if method == "GET":
            return {200}
        return PASSED[name] if (role in ("admin", "operator") and mine) else {403}
    if category == "realisasi_write":
        return PASSED[name] if (role in ("admin", "operator") and mine) else {403}
    if category == "comment_write":  # the PD's operator and its own pemda's Bappeda
        allowed = role in ("admin", "verifikator", "operator") and mine
        return PASSED[name] if allowed else {403}
    if category == "verifier_write":
        return PASSED[name] if (role in ("admin", "verifikator") and mine) else {403}
    if category == "api_write":
        return {409} if (role in ("admin", "operator") and mine) else {403}
    raise AssertionError(f"no expectation for {name}")


def _targets(path: str, category: str) -> list[str | None]:
    if "{" in path:
        return ["A", "B", "P"]
    if category in ("whole_pemda", "api_rekap"):
        return [None, "A", "B", "P"]
    return [None]


def _url(path: str, category: str, target: str | None, world: Dunia) -> str:
    if target is None:
        return path
    if "{" in path:
        i = world.ids[target]
        return path.format(
            r=i.renja,
            i=i.indikator,
            s=i.simpul,
            b=i.bukti,
            rs=i.renstra,
            t=i.token_cabut,
            n=i.nomenklatur,
            u=i.utas,
            j=i.tugas,
            q=i.sumber,
            p=i.pemda,
            pj=i.pratinjau,
        )
    key = "pemda_id" if category == "api_rekap" else "pemda"
    return f"{path}{'&' if '?' in path else '?'}{key}={world.pemda[target]}"


CASES = [
    (name, method, target)
    for name, (category, path) in TABLE.items()
    for target in _targets(path, category)
    for method in ("GET", "POST", "PUT")
    if method != "PUT" or category == "api_write"
]
#: Reads first, then writes (a write that is done, a document deleted, comes after every read);
#: signing in and out (which end the session) last.
CASES.sort(key=lambda c: (c[0] in ("login", "logout"), c[1] != "GET"))

#: The users of each test file (test_tenant_matrix_<group>.py; `lain` in test_tenant_matrix.py).
GROUPS: dict[str, list[str]] = {
    group: [u for u, (_, pemda) in CAST.items() if (pemda or "lain") == group]
    for group in ("A", "B", "P", "lain")
}


def run_matrix(dunia: Dunia, user: str) -> None:
    """Try every case of the table as `user`; fail with every status not allowed, and every
    page that names a pemda the user may not read."""
    client = Client()
    auth = {}
    if CAST[user][0] is not None:
        client.force_login(dunia.users[user])
        auth = {"HTTP_AUTHORIZATION": f"Bearer {dunia.tokens[user]}"}
    hidden = [MARK[p].encode() for p in sorted(EVERY - reads(user))]
    failures = []
    for name, method, target in CASES:
        category, path = TABLE[name]
        url = _url(path, category, target, dunia)
        headers = auth if name.startswith(API) else {}
        if method == "GET":
            response = client.get(url, **headers)
        elif method == "PUT":
            response = client.put(
                url, json.dumps({"nilai": "1"}), content_type="application/json", **headers
            )
        else:
            data = {"nama": "token uji"} if name == "pemda:token" else {"nilai": "1"}
            response = client.post(url, data, **headers)
        want = expected(name, user, method, target)
        if response.status_code not in want:
            failures.append((name, method, target, response.status_code, want))
        body = b"".join(response) if response.streaming else response.content
        # Open data names, to anyone, the pemda it serves (what it must never serve, figures
        # not verified, is the public_unverified category's and test_tarik_halaman's).
        named_openly = category == "public" and name.startswith(f"{API}terbuka_")
        leaked = [] if named_openly else [m for m in hidden if m in body]
        if leaked:
            failures.append((name, method, target, "memuat", leaked))
    assert not failures, "\n".join(map(str, failures))
