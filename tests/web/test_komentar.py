"""Comments per value (issue 16, point 3): who may write, flag and resolve; the verified lock;
what a return records and the operator's to-do shows; the marks on the grid and the evaluation
page; the report's history; the reminder of a return."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from monev.web import komentar, pengingat, riwayat_laporan, selectors, services, siklus
from monev.web.models import Indikator, Komentar, LaporanTriwulan, Riwayat, Simpul
from monev.web.tugas import tugas_for

NARASI = {
    "faktor_pendorong": "Dukungan pimpinan",
    "faktor_penghambat": "Pengadaan terlambat",
    "tindak_lanjut_triwulan": "Percepat pengadaan",
    "tindak_lanjut_renja": "Jadwal lebih awal",
}
TW = 3


def submit(users, renja):
    services.laporan_narasi_update(
        user=users["operator"],
        renja=renja,
        triwulan=TW,
        narasi=NARASI,
        versi=selectors.versi_laporan(renja, TW),
    )
    siklus.laporan_submit(user=users["operator"], renja=renja, triwulan=TW)


def lines(renja):
    indikator = list(
        Indikator.objects.filter(simpul__renja=renja)
        .select_related("simpul")
        .order_by("simpul__urutan", "urutan", "id")
    )
    leaf = Simpul.objects.filter(renja=renja, anak__isnull=True).order_by("urutan").first()
    return (
        komentar.Sasaran("k", indikator[0].simpul, indikator[0]),
        komentar.Sasaran("rp", leaf),
    )


def write(user, renja, sasaran, teks="Periksa angka ini", flag=False, induk=None):
    return komentar.komentar_write(
        user=user,
        renja=renja,
        triwulan=TW,
        sasaran=sasaran,
        teks=teks,
        perlu_tindak_lanjut=flag,
        induk=induk,
    )


# (role, write, flag, resolve a flagged thread, resolve a plain thread)
ROLES = [
    ("admin", True, True, True, True),
    ("verifikator", True, True, True, True),
    ("operator", True, False, False, True),
    ("pimpinan", False, False, False, False),
]


@pytest.mark.parametrize(("role", "may_write", "may_flag", "may_close_flagged", "may_close"), ROLES)
def test_who_may_write_flag_and_resolve(
    users, disnaker, role, may_write, may_flag, may_close_flagged, may_close
):
    k, _ = lines(disnaker)
    user = users[role]
    flagged = write(users["verifikator"], disnaker, k, flag=True)
    plain = write(users["verifikator"], disnaker, k, "Catatan biasa")
    cases = [
        (may_write, lambda: write(user, disnaker, k, "Tanggapan")),
        (may_flag, lambda: komentar.komentar_flag(user=user, utas=plain, perlu_tindak_lanjut=True)),
        (may_close_flagged, lambda: komentar.komentar_resolve(user=user, utas=flagged)),
    ]
    for allowed, action in cases:
        if allowed:
            action()
        else:
            with pytest.raises(PermissionDenied):
                action()
    plain.refresh_from_db()
    if may_flag:
        assert plain.perlu_tindak_lanjut
        komentar.komentar_flag(user=user, utas=plain, perlu_tindak_lanjut=False)
    if may_close:
        komentar.komentar_resolve(user=user, utas=plain)
        plain.refresh_from_db()
        assert plain.selesai and plain.selesai_oleh == user and plain.selesai_waktu
    else:
        with pytest.raises(PermissionDenied):
            komentar.komentar_resolve(user=user, utas=plain)


def test_an_operator_may_not_flag_a_new_thread(users, disnaker):
    k, _ = lines(disnaker)
    with pytest.raises(PermissionDenied) as info:
        write(users["operator"], disnaker, k, flag=True)
    assert "verifikator" in str(info.value)
    assert not Komentar.objects.exists()


@pytest.mark.parametrize(
    ("teks", "pesan"),
    [
        ("   ", "Tulis isi komentar dulu"),
        ("x" * 2001, "Komentar terlalu panjang: 2001 karakter; paling banyak 2.000 karakter."),
    ],
)
def test_an_empty_or_too_long_comment_is_refused_in_indonesian(users, disnaker, teks, pesan):
    k, _ = lines(disnaker)
    with pytest.raises(siklus.Ditolak) as info:
        write(users["verifikator"], disnaker, k, teks)
    assert pesan in str(info.value)
    assert not Komentar.objects.exists() and not Riwayat.objects.filter(jenis="komentar").exists()


def test_comments_are_taken_while_submitted_and_refused_once_verified(users, disnaker):
    k, _ = lines(disnaker)
    submit(users, disnaker)
    utas = write(users["verifikator"], disnaker, k, "Saat diajukan")
    komentar.komentar_resolve(user=users["verifikator"], utas=utas)
    siklus.laporan_verify(user=users["verifikator"], renja=disnaker, triwulan=TW)
    with pytest.raises(siklus.Ditolak) as info:
        write(users["operator"], disnaker, k, "Sesudah diverifikasi")
    assert "TW III sudah diverifikasi dan dikunci" in str(info.value)
    with pytest.raises(siklus.Ditolak):
        komentar.komentar_reopen(user=users["verifikator"], utas=utas)


def test_a_reply_to_a_resolved_thread_is_refused(users, disnaker):
    k, _ = lines(disnaker)
    utas = write(users["verifikator"], disnaker, k)
    komentar.komentar_resolve(user=users["verifikator"], utas=utas)
    with pytest.raises(siklus.Ditolak) as info:
        write(users["operator"], disnaker, k, "Jawab", induk=utas)
    assert "buka lagi" in str(info.value)
    komentar.komentar_reopen(user=users["operator"], utas=utas)
    write(users["operator"], disnaker, k, "Jawab", induk=utas)
    assert [m.teks for m in komentar.utas_baris(disnaker, TW, k)[0].pesan] == [
        "Periksa angka ini",
        "Jawab",
    ]


def test_a_return_lists_the_flagged_open_lines_and_accept_waits_for_them(users, disnaker):
    k, rp = lines(disnaker)
    submit(users, disnaker)
    a = write(users["verifikator"], disnaker, k, "Realisasi K tidak sesuai bukti", flag=True)
    b = write(users["verifikator"], disnaker, rp, "SP2D belum dilampirkan", flag=True)
    write(users["verifikator"], disnaker, k, "Hanya catatan")  # not flagged: not listed
    with pytest.raises(siklus.Ditolak) as info:
        siklus.laporan_verify(user=users["verifikator"], renja=disnaker, triwulan=TW)
    assert "2 baris perlu tindak lanjut belum selesai" in str(info.value)

    siklus.laporan_return(
        user=users["verifikator"], renja=disnaker, triwulan=TW, catatan="Perbaiki dua baris"
    )
    record = Riwayat.objects.filter(renja=disnaker, jenis="status").latest("waktu", "id")
    assert record.keterangan == (
        f"Perbaiki dua baris\nBaris perlu tindak lanjut (2): {k.label}; {rp.label}."
    )
    assert LaporanTriwulan.objects.get(renja=disnaker, triwulan=TW).catatan_verifikasi == (
        record.keterangan
    )

    todo = tugas_for(users["operator"])
    assert [(b.sel, b.url) for b in todo.komentar_tl] == [
        (k.sel, f"/renja/{disnaker.pk}/entri/{TW}/#sel-{k.sel}"),
        (rp.sel, f"/renja/{disnaker.pk}/entri/{TW}/#sel-{rp.sel}"),
    ]
    assert not tugas_for(users["operator2"]).komentar_tl
    assert not tugas_for(users["verifikator"]).komentar_dijawab

    write(users["operator"], disnaker, k, "Sudah diperbaiki, bukti diunggah", induk=a)
    answered = tugas_for(users["verifikator"]).komentar_dijawab
    assert [(x.sel, x.terakhir_teks) for x in answered] == [
        (k.sel, "Sudah diperbaiki, bukti diunggah")
    ]
    assert [x.dijawab for x in tugas_for(users["operator"]).komentar_tl] == [True, False]

    submit(users, disnaker)
    for utas in (a, b):
        komentar.komentar_resolve(user=users["verifikator"], utas=utas)
    siklus.laporan_verify(user=users["verifikator"], renja=disnaker, triwulan=TW)
    assert not tugas_for(users["operator"]).komentar_tl


def test_the_return_reminder_names_the_flagged_lines(users, disnaker):
    k, _ = lines(disnaker)
    submit(users, disnaker)
    write(users["verifikator"], disnaker, k, "Cek", flag=True)
    siklus.laporan_return(user=users["verifikator"], renja=disnaker, triwulan=TW, catatan="Cek")
    events = [e for e in pengingat.returned_events() if "Dinas Ketenagakerjaan" in e.subjek]
    assert f"Baris perlu tindak lanjut (1): {k.label}." in events[0].isi


def test_marks_on_the_grid_and_the_evaluation_page(client_for, users, disnaker):
    k, rp = lines(disnaker)
    write(users["verifikator"], disnaker, k, flag=True)
    write(users["verifikator"], disnaker, rp, "Catatan")
    for path in (
        f"/renja/{disnaker.pk}/entri/{TW}/",
        f"/renja/{disnaker.pk}/evaluasi/?triwulan={TW}",
    ):
        html = client_for("operator").get(path).content.decode()
        assert f'class="km km-tindak-lanjut" id="km-{k.sel}"' in html
        assert "Komentar (1 perlu tindak lanjut)" in html
        assert f'class="km km-terbuka" id="km-{rp.sel}"' in html
        assert "Komentar (1 komentar terbuka)" in html
        assert 'id="panel-komentar"' in html
        assert html.count('class="km km-kosong"') > 10  # every other line can take a comment


@pytest.mark.parametrize(
    ("role", "status", "forms"),
    [
        ("operator", 200, True),
        ("verifikator", 200, True),
        ("admin", 200, True),
        ("pimpinan", 200, False),
        ("operator2", 404, False),
    ],
)
def test_the_panel_by_role(client_for, disnaker, role, status, forms):
    k, _ = lines(disnaker)
    url = f"/renja/{disnaker.pk}/komentar/{TW}/k/{k.ref}/"
    response = client_for(role).get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert k.label in html
        assert ('id="komentar-baru"' in html) is forms
        assert 'hx-swap-oob="true"' in html


@pytest.mark.parametrize(
    ("role", "status"),
    [("verifikator", 200), ("operator", 200), ("pimpinan", 403), ("operator2", 404)],
)
def test_writing_through_the_panel_by_role(client_for, disnaker, role, status):
    k, _ = lines(disnaker)
    url = f"/renja/{disnaker.pk}/komentar/{TW}/k/{k.ref}/tulis/"
    response = client_for(role).post(url, {"teks": "Mohon cek"}, HTTP_HX_REQUEST="true")
    assert response.status_code == status
    assert Komentar.objects.count() == (1 if status == 200 else 0)
    if status == 200:
        assert "Komentar terkirim." in response.content.decode()


def test_a_refused_write_answers_the_panel_with_the_reason(client_for, disnaker):
    k, _ = lines(disnaker)
    url = f"/renja/{disnaker.pk}/komentar/{TW}/k/{k.ref}/tulis/"
    response = client_for("verifikator").post(url, {"teks": " "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert "Tulis isi komentar dulu" in response.content.decode()


def test_a_thread_of_another_renja_is_not_found(client_for, users, disnaker, contoh):
    k, _ = lines(disnaker)
    utas = write(users["verifikator"], disnaker, k)
    response = client_for("admin").post(f"/renja/{contoh.pk}/komentar/utas/{utas.pk}/selesai/")
    assert response.status_code == 404
    response = client_for("operator2").post(
        f"/renja/{disnaker.pk}/komentar/utas/{utas.pk}/selesai/"
    )
    assert response.status_code == 404


def test_the_report_history_shows_every_event_in_order(client_for, users, disnaker):
    k, _ = lines(disnaker)
    submit(users, disnaker)
    utas = write(users["verifikator"], disnaker, k, "Angka janggal", flag=True)
    siklus.laporan_return(user=users["verifikator"], renja=disnaker, triwulan=TW, catatan="Cek")
    write(users["operator"], disnaker, k, "Sudah dibetulkan", induk=utas)
    submit(users, disnaker)
    komentar.komentar_resolve(user=users["verifikator"], utas=utas)
    siklus.laporan_verify(user=users["verifikator"], renja=disnaker, triwulan=TW)
    siklus.laporan_unlock(user=users["admin"], renja=disnaker, triwulan=TW, alasan="Koreksi BPK")
    events = [(p.peristiwa, p.oleh) for p in riwayat_laporan.peristiwa(disnaker, TW)]
    assert events == [
        ("Diajukan ke Bappeda", "operator"),
        ("Komentar ditulis", "verifikator"),
        ("Ditandai perlu tindak lanjut", "verifikator"),
        ("Dikembalikan ke operator", "verifikator"),
        ("Komentar dibalas", "operator"),
        ("Diajukan ke Bappeda", "operator"),
        ("Utas ditandai selesai", "verifikator"),
        ("Diterima (diverifikasi) dan dikunci", "verifikator"),
        ("Kunci dibuka admin", "admin"),
    ]
    html = client_for("pimpinan").get(f"/renja/{disnaker.pk}/riwayat/{TW}/").content.decode()
    assert "Catatan verifikator: Cek" in html and "Alasan: Koreksi BPK" in html
    assert f"{k.label}: Angka janggal" in html
    assert html.index("Diajukan ke Bappeda") < html.index("Kunci dibuka admin")
    assert client_for("operator2").get(f"/renja/{disnaker.pk}/riwayat/{TW}/").status_code == 404


def test_the_report_page_and_the_home_to_do_link_the_flagged_lines(client_for, users, disnaker):
    k, _ = lines(disnaker)
    submit(users, disnaker)
    write(users["verifikator"], disnaker, k, "Angka janggal", flag=True)
    siklus.laporan_return(user=users["verifikator"], renja=disnaker, triwulan=TW, catatan="Cek")
    link = f'href="/renja/{disnaker.pk}/entri/{TW}/#sel-{k.sel}"'
    home = client_for("operator").get("/").content.decode()
    assert "Komentar perlu tindak lanjut (1)" in home and link in home
    entri = client_for("operator").get(f"/renja/{disnaker.pk}/entri/{TW}/").content.decode()
    assert "1 baris perlu tindak lanjut" in entri and link in entri
    assert "1 baris perlu tindak lanjut belum selesai" in entri  # the summary before Ajukan
