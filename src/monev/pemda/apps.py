from django.apps import AppConfig


class PemdaConfig(AppConfig):
    """The whole pemda's view for Bappeda: dashboard, charts, early warning, consolidation, API."""

    name = "monev.pemda"
    label = "pemda"
    verbose_name = "Pemda"
    default_auto_field = "django.db.models.BigAutoField"
