"""Django admin for master data (pemda, PD, users and roles, Renstra periods).

Plans and realisations change through the application's services only, so that every change is
recorded; the admin shows them read-only.

Only superusers (the server's operators) may open it, whatever their pemda: it shows every pemda's
rows. Scoping each admin's querysets, its foreign-key choices, its inlines and its actions to one
pemda would be a second access layer beside `monev.web.access`, where one forgotten queryset
leaks another pemda's data; a pemda's admin manages its pemda through the application's pages and
`monev kelola tambah_pengguna` instead (docs/keamanan.md).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from monev.web import models, services


def _superusers_only(request):  # type: ignore[no-untyped-def]
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only  # type: ignore[method-assign]


@admin.register(models.Pemda)
class PemdaAdmin(admin.ModelAdmin):
    list_display = ["nama", "jenis", "provinsi", "tempat_tanda_tangan"]
    list_filter = ["jenis", "provinsi"]
    # Written only through the validated, recorded page `pita_predikat` (monev.web.pengaturan).
    readonly_fields = ["pita_predikat_k", "pita_predikat_rp"]


class UnitKerjaInline(admin.TabularInline):
    model = models.UnitKerja
    extra = 0


@admin.register(models.PerangkatDaerah)
class PerangkatDaerahAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "pemda", "kepala_nama"]
    list_filter = ["pemda"]
    search_fields = ["kode", "nama"]
    inlines = [UnitKerjaInline]


@admin.register(models.PeriodeRenstra)
class PeriodeRenstraAdmin(admin.ModelAdmin):
    list_display = ["pemda", "tahun_awal", "tahun_akhir"]


@admin.register(models.Renja)
class RenjaAdmin(admin.ModelAdmin):
    list_display = ["perangkat_daerah", "tahun", "versi", "berlaku", "diarsipkan"]
    list_filter = ["tahun", "versi", "diarsipkan"]
    fields = ["perangkat_daerah", "periode", "tahun", "versi", "berlaku", "diarsipkan"]
    actions = ["arsipkan", "keluarkan_dari_arsip"]

    def get_readonly_fields(self, request, obj=None):
        # The archive flag changes through the actions, which record it in the history.
        return ["perangkat_daerah", "tahun", "versi", "diarsipkan"] if obj else ["diarsipkan"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and models.renja_delete_refusal(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # The bulk "delete selected" action asks here first: a Renja that is part of the audit
        # trail is listed as protected, so the admin refuses instead of deleting its history.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        refused = [reason for obj in objs if (reason := models.renja_delete_refusal(obj))]
        return deleted, counts, perms_needed, [*protected, *refused]

    @admin.action(description="Arsipkan Renja terpilih (disembunyikan dari daftar)")
    def arsipkan(self, request, queryset):
        for renja in queryset:
            services.renja_arsip(user=request.user, renja=renja, diarsipkan=True)
        self.message_user(request, f"{queryset.count()} Renja diarsipkan.")

    @admin.action(description="Keluarkan Renja terpilih dari arsip")
    def keluarkan_dari_arsip(self, request, queryset):
        for renja in queryset:
            services.renja_arsip(user=request.user, renja=renja, diarsipkan=False)
        self.message_user(request, f"{queryset.count()} Renja dikeluarkan dari arsip.")


class ProfilInline(admin.StackedInline):
    model = models.Profil
    can_delete = False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PenggunaAdmin(UserAdmin):
    inlines = [ProfilInline]
    list_display = ["username", "first_name", "last_name", "is_staff", "peran", "pemda"]

    @admin.display(description="peran")
    def peran(self, obj):
        profil = getattr(obj, "profil", None)
        return profil.get_peran_display() if profil else "-"

    @admin.display(description="pemda")
    def pemda(self, obj):
        profil = getattr(obj, "profil", None)
        return profil.pemda if profil and profil.pemda else "-"


@admin.register(models.Riwayat)
class RiwayatAdmin(admin.ModelAdmin):
    list_display = ["waktu", "pengguna", "renja", "jenis", "kolom", "nilai_lama", "nilai_baru"]
    list_filter = ["jenis"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.SnapshotEvaluasi)
class SnapshotEvaluasiAdmin(admin.ModelAdmin):
    """Verified quarters' records, for audit: read-only, like the history."""

    list_display = ["renja", "triwulan", "berlaku", "dibuat", "dibuat_oleh", "diganti"]
    list_filter = ["berlaku", "triwulan"]
    exclude = ["rekaman"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
