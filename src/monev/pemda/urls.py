from django.urls import include, path

from monev.pemda import views
from monev.pemda.api import api

app_name = "pemda"
urlpatterns = [
    path("", views.dasbor, name="dasbor"),
    path("grafik/<slug:nama>.svg", views.grafik, name="grafik"),
    path("peringatan/", views.peringatan, name="peringatan"),
    path("peringatan.csv", views.peringatan_csv, name="peringatan_csv"),
    path("konsolidasi/", views.konsolidasi, name="konsolidasi"),
    path("konsolidasi.xlsx", views.konsolidasi_xlsx, name="konsolidasi_xlsx"),
    path("konsolidasi/e79.<str:fmt>", views.konsolidasi_e79, name="konsolidasi_e79"),
    path("wilayah/", views.wilayah, name="wilayah"),
    path("wilayah.csv", views.wilayah_csv, name="wilayah_csv"),
    path("pd/<int:renja_id>/", views.pd, name="pd"),
    path("pd/<int:renja_id>/simpul/<str:kode>/", views.simpul, name="simpul"),
    path("renja/<int:renja_id>/rencana/", views.rencana, name="rencana"),
    path("renja/<int:renja_id>/rencana/k/<int:indikator_id>/", views.rencana_k, name="rencana_k"),
    path("renja/<int:renja_id>/rencana/rp/<int:simpul_id>/", views.rencana_rp, name="rencana_rp"),
    path("renja/<int:renja_id>/rencana/impor/", views.rencana_impor, name="rencana_impor"),
    path("renja/<int:renja_id>/rencana.csv", views.rencana_csv, name="rencana_csv"),
    path("sumber/", views.sumber_data, name="sumber_data"),
    path("sumber/<int:sumber_id>/tarik/", views.sumber_tarik, name="sumber_tarik"),
    path("sumber/<int:sumber_id>/aktif/", views.sumber_aktif, name="sumber_aktif"),
    path("sumber/<int:sumber_id>/hapus/", views.sumber_hapus, name="sumber_hapus"),
    path("token/", views.token, name="token"),
    path("token/<int:token_id>/cabut/", views.token_cabut, name="token_cabut"),
    path("api/dokumentasi/", views.api_dokumentasi, name="api_dokumentasi"),
    path("api/openapi.json", views.openapi, name="openapi"),
    # Shadows the API's own (empty) root, which ninja still needs to name its paths.
    path("api/", views.api_akar, name="api_akar"),
    path("api/", include((api.urls[0], "api"), namespace="api")),
]
