from django.urls import path

from monev.renstra import views, views_renja

app_name = "renstra"
urlpatterns = [
    path("", views.daftar, name="daftar"),
    path("impor/", views.impor, name="impor"),
    path("pemetaan/", views.pemetaan, name="pemetaan"),
    path("pemda/", views.e80_pemda, name="e80_pemda"),
    path("pemda/e80.<str:fmt>", views.e80_pemda_file, name="e80_pemda_file"),
    path("<int:renstra_id>/", views.detail, name="detail"),
    path("<int:renstra_id>/e80/", views.e80, name="e80"),
    path("<int:renstra_id>/e80.<str:fmt>", views.e80_file, name="e80_file"),
    path("renja/<int:renja_id>/", views_renja.renja, name="renja"),
    path("renja/<int:renja_id>/tautkan/", views_renja.tautkan, name="tautkan"),
    path("renja/<int:renja_id>/tahun-berikut/", views_renja.tahun_berikut, name="tahun_berikut"),
    path("renja/<int:renja_id>/perubahan/", views_renja.perubahan, name="perubahan"),
    path(
        "renja/<int:renja_id>/rencana-perubahan/",
        views_renja.rencana_perubahan,
        name="rencana_perubahan",
    ),
    path(
        "renja/<int:renja_id>/rencana-perubahan/<slug:jenis>/<int:obj_id>/",
        views_renja.ubah_perubahan,
        name="ubah_perubahan",
    ),
    path("renja/<int:renja_id>/banding/", views_renja.banding, name="banding"),
    path("renja/<int:renja_id>/e81/<int:triwulan>.<str:fmt>", views_renja.e81, name="e81"),
]
