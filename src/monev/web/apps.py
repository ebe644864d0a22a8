from django.apps import AppConfig


class MonevConfig(AppConfig):
    name = "monev.web"
    label = "monev"
    verbose_name = "Monev Renja"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Here rather than in settings.LOGGING, so that every configuration (tests, the demo,
        # a server's own LOGGING) logs a refusal as one line without its traceback.
        from monev.web.galat import install_log_filter

        install_log_filter()
        # Uploads left by a process that was killed during an import go at the next start;
        # the folder must exist for Django's temporary upload files (FILE_UPLOAD_TEMP_DIR).
        from monev.web import uploads

        try:
            uploads.folder()
            uploads.sweep()
        except OSError:
            pass  # a read-only data folder does not stop a command that needs no uploads
