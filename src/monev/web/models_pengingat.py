"""The e-mail reminders' own data (`monev.web.pengingat`): each user's choice and what was sent.
Registered with the app by `monev.web.models`, which imports them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PengaturanPengingat(models.Model):
    """A user's choice about e-mail reminders; a user without a row receives them."""

    pengguna = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pengaturan_pengingat"
    )
    kirim = models.BooleanField("kirim pengingat lewat e-mail", default=True)
    diubah = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pengaturan pengingat"
        verbose_name_plural = "pengaturan pengingat"


class PengingatTerkirim(models.Model):
    """One reminder sent to one user for one event (`kunci`), so that none is sent twice."""

    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kunci = models.CharField(max_length=200)
    subjek = models.CharField(max_length=300)
    waktu = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pengingat terkirim"
        verbose_name_plural = "pengingat terkirim"
        constraints = [
            models.UniqueConstraint(fields=["pengguna", "kunci"], name="pengingat_sekali"),
        ]
