from django.apps import AppConfig


class MonevConfig(AppConfig):
    name = "monev.web"
    label = "monev"
    verbose_name = "Monev Renja"
    default_auto_field = "django.db.models.BigAutoField"
