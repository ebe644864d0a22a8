from django.apps import AppConfig


class PemdaConfig(AppConfig):
    """The whole pemda's view for Bappeda: dashboard, charts, early warning, consolidation, API."""

    name = "monev.pemda"
    label = "pemda"
    verbose_name = "Pemda"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from monev.pemda.angka_segar import on_riwayat_saved
        from monev.web.models import Riwayat

        # A cache refresh, not a rule: the rows follow the record of every change.
        post_save.connect(on_riwayat_saved, sender=Riwayat, dispatch_uid="angka_segar")
