import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.web.settings")
application = get_wsgi_application()

# A process that serves the application keeps the stored figures fresh after every save (off
# unless served: tests and one-off commands never start the background refresh).
from monev.pemda import angka_segar  # noqa: E402  (needs the apps loaded above)

angka_segar.served()
