from django.apps import AppConfig


class RenstraConfig(AppConfig):
    """The five-year plan (Renstra PD): its targets per year, the links of every year's Renja to
    it, the code mapping across nomenclature versions, and the evaluation of the period (E.80)."""

    name = "monev.renstra"
    label = "renstra"
    verbose_name = "Renstra"
    default_auto_field = "django.db.models.BigAutoField"
