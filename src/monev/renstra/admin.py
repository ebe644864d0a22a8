"""The Renstra on the web for Bappeda (Django admin): every save and delete goes through
`monev.renstra.services`, so that each change is recorded like every other write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from monev.renstra import models, services


class _Recorded(admin.ModelAdmin):
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        services.objek_simpan(user=request.user, obj=obj)

    def delete_model(self, request: Any, obj: Any) -> None:
        services.objek_hapus(user=request.user, obj=obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for obj in queryset:
            services.objek_hapus(user=request.user, obj=obj)


class _ManualYearForm(forms.ModelForm):
    """Refuses, on the form, a hand-entered realisation for a year held in monev."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        manual = data.get("realisasi_manual", data.get("realisasi_manual_rp"))
        if manual is not None and self.instance is not None:
            try:
                owner = data.get("indikator") or data.get("simpul")
                renstra = owner.simpul.renstra if hasattr(owner, "simpul") else owner.renstra
                services.require_manual_year(renstra, data["tahun"])
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from exc
        return data


@admin.register(models.Renstra)
class RenstraAdmin(_Recorded):
    list_display = ["perangkat_daerah", "tahun_awal", "tahun_akhir", "nama"]
    list_filter = ["perangkat_daerah__pemda", "tahun_awal"]


@admin.register(models.SimpulRenstra)
class SimpulRenstraAdmin(_Recorded):
    list_display = ["kode", "nama", "tingkat", "renstra", "target_akhir_rp"]
    list_filter = ["renstra"]
    search_fields = ["kode", "nama"]
    raw_id_fields = ["induk"]


@admin.register(models.IndikatorRenstra)
class IndikatorRenstraAdmin(_Recorded):
    list_display = ["teks", "simpul", "satuan", "agregasi", "polaritas", "target_akhir"]
    list_filter = ["simpul__renstra", "agregasi"]
    search_fields = ["teks", "simpul__kode"]


@admin.register(models.TahunIndikator)
class TahunIndikatorAdmin(_Recorded):
    form = _ManualYearForm
    list_display = ["indikator", "tahun", "target", "realisasi_manual"]
    list_filter = ["tahun", "indikator__simpul__renstra"]


@admin.register(models.TahunSimpul)
class TahunSimpulAdmin(_Recorded):
    form = _ManualYearForm
    list_display = ["simpul", "tahun", "target_rp", "realisasi_manual_rp"]
    list_filter = ["tahun", "simpul__renstra"]


@admin.register(models.PemetaanKode)
class PemetaanKodeAdmin(admin.ModelAdmin):
    list_display = ["versi", "tahun_berlaku", "kode_lama", "kode_baru"]
    list_filter = ["versi", "tahun_berlaku"]
    search_fields = ["kode_lama", "kode_baru"]

    def has_add_permission(self, request: Any) -> bool:
        return False  # loaded from a CSV file (`services.pemetaan_import`), recorded there

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
