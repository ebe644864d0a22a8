from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from monev.web import (
    bukti_views,
    entri_views,
    evaluasi_views,
    komentar_views,
    nomenklatur_views,
    pemda_views,
    pemetaan_views,
    pengaturan_views,
    pengingat_views,
    persetujuan_views,
    tugas_views,
    views,
)
from monev.web.auth import LoginView

admin.site.site_header = "Administrasi monev"
admin.site.site_title = "monev"
admin.site.index_title = "Data induk"

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("renja/<int:renja_id>/", views.renja_detail, name="renja"),
    path("renja/<int:renja_id>/entri/<int:triwulan>/", entri_views.entri, name="entri"),
    path(
        "renja/<int:renja_id>/entri/<int:triwulan>/k/<int:indikator_id>/",
        entri_views.entri_k,
        name="entri_k",
    ),
    path(
        "renja/<int:renja_id>/entri/<int:triwulan>/ringkasan/",
        entri_views.entri_ringkasan,
        name="entri_ringkasan",
    ),
    path(
        "renja/<int:renja_id>/entri/<int:triwulan>/rp/<int:simpul_id>/",
        entri_views.entri_rp,
        name="entri_rp",
    ),
    path(
        "renja/<int:renja_id>/entri/<int:triwulan>/narasi/", views.entri_narasi, name="entri_narasi"
    ),
    path(
        "renja/<int:renja_id>/laporan/<int:triwulan>/<slug:aksi>/",
        views.laporan_aksi,
        name="laporan_aksi",
    ),
    path("papan/", views.papan, name="papan"),
    path("jendela/", views.jendela, name="jendela"),
    path(
        "renja/<int:renja_id>/target/<int:indikator_id>/", views.renja_target, name="renja_target"
    ),
    path("renja/<int:renja_id>/pagu/<int:simpul_id>/", views.renja_pagu, name="renja_pagu"),
    path("renja/<int:renja_id>/evaluasi/", evaluasi_views.evaluasi, name="evaluasi"),
    path("renja/<int:renja_id>/unduh/", evaluasi_views.unduh, name="unduh"),
    path(
        "indikator/<int:indikator_id>/riwayat/", views.riwayat_indikator, name="riwayat_indikator"
    ),
    path("renja/<int:renja_id>/bukti/<int:triwulan>/", bukti_views.daftar, name="bukti"),
    path(
        "renja/<int:renja_id>/bukti/<int:triwulan>/semua.zip",
        bukti_views.unduh_zip,
        name="bukti_zip",
    ),
    path(
        "renja/<int:renja_id>/bukti/berkas/<int:bukti_id>/", bukti_views.unduh, name="bukti_unduh"
    ),
    path(
        "renja/<int:renja_id>/bukti/berkas/<int:bukti_id>/hapus/",
        bukti_views.hapus,
        name="bukti_hapus",
    ),
    *komentar_views.urlpatterns,
    path("impor/", views.impor, name="impor"),
    path("impor/tabel/", pemetaan_views.unggah, name="impor_tabel"),
    path("impor/tabel/pratinjau/", pemetaan_views.pratinjau, name="impor_tabel_pratinjau"),
    path(
        "impor/tabel/pratinjau/<int:tugas_id>/",
        pemetaan_views.pratinjau_tugas_page,
        name="impor_tabel_pratinjau_tugas",
    ),
    path("impor/nomenklatur/", nomenklatur_views.daftar, name="nomenklatur"),
    path(
        "impor/nomenklatur/<int:daftar_id>/aktif/",
        nomenklatur_views.aktifkan,
        name="nomenklatur_aktif",
    ),
    path("impor/tugas/<int:tugas_id>/", tugas_views.tugas_impor, name="tugas_impor"),
    path("pengaturan/predikat/", pengaturan_views.pita_predikat, name="pita_predikat"),
    path(
        "pengaturan/persetujuan/",
        persetujuan_views.tingkat_persetujuan,
        name="tingkat_persetujuan",
    ),
    path("pengingat/", pengingat_views.pengaturan, name="pengingat"),
    path("pilih-pemda/", pemda_views.pilih_pemda, name="pilih_pemda"),
    path("pemda/", include("monev.pemda.urls")),
    path("renstra/", include("monev.renstra.urls")),
    path("admin/", admin.site.urls),
]

# Refusals, missing pages and failures in Bahasa Indonesia, in the app's layout (monev.web.galat).
handler400 = "monev.web.galat.bad_request"
handler403 = "monev.web.galat.forbidden"
handler404 = "monev.web.galat.not_found"
handler500 = "monev.web.galat.server_error"
