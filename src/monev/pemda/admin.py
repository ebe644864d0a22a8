"""Django admin of the pemda app: tokens can be listed and revoked; plans are shown read-only
(they change through the plan page or its import, which record every change)."""

from django.contrib import admin
from django.utils import timezone

from monev.pemda import models


@admin.register(models.TokenApi)
class TokenApiAdmin(admin.ModelAdmin):
    list_display = ["nama", "pengguna", "awalan", "dibuat", "terakhir_dipakai", "dicabut"]
    list_filter = ["dicabut"]
    readonly_fields = ["pengguna", "nama", "awalan", "dibuat", "terakhir_dipakai", "dicabut"]
    exclude = ["digest"]
    actions = ["cabut"]

    def has_add_permission(self, request):
        return False  # a token is made by its owner on /pemda/token/, shown to them once

    @admin.action(description="Cabut token terpilih")
    def cabut(self, request, queryset):
        queryset.filter(dicabut__isnull=True).update(dicabut=timezone.now())


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.RencanaK)
class RencanaKAdmin(_ReadOnly):
    list_display = ["indikator", "tw1", "tw2", "tw3", "tw4", "diubah"]


@admin.register(models.RencanaRp)
class RencanaRpAdmin(_ReadOnly):
    list_display = ["simpul", "tw1", "tw2", "tw3", "tw4", "diubah"]
