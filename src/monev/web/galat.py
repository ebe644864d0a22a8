"""The pages of a refusal (403), a missing page (404) and a failure (500): in Bahasa Indonesia,
in the app's layout, with a way back; and a refusal logged as one line, without a traceback.

Django's own pages are bare English; its 404 messages (`No Renja matches the given query.`,
the resolver's list of patterns) are not for a user, so a 404 page shows our own message only.
Django logs a PermissionDenied with its traceback (`log_response(..., exception=exc)`), which
buries an ordinary refusal among real faults: `SatuBarisPenolakan` keeps the line and its
reason and drops the traceback of every answer below 500.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.template import loader
from django.urls import Resolver404
from django.utils.http import url_has_allowed_host_and_scheme

#: Django's English 404 messages (get_object_or_404, the static and the resolver's views).
_DJANGO_404 = re.compile(r"^(No .* matches the given query\.|.*“.*” does not exist)$")

PESAN_400 = "Permintaan ini tidak dapat diproses; muat ulang halamannya lalu coba lagi."
PESAN_403 = "Anda tidak berwenang membuka halaman ini."
PESAN_404 = "Halaman yang Anda cari tidak ada, atau tidak dapat Anda buka."
PESAN_500 = (
    "Terjadi kesalahan pada server; tidak ada data yang berubah karena kesalahan ini. "
    "Coba lagi sebentar lagi; bila terulang, beri tahu admin Bappeda waktu kejadiannya."
)


def _back(request: HttpRequest) -> str | None:
    """Return the page the user came from when it is on this site and not this page."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return None if referer.endswith(request.get_full_path()) else referer


def _message(exception: Exception | None, default: str) -> str:
    """Return the message an exception was raised with when it is ours, else `default`."""
    if exception is None or isinstance(exception, Resolver404) or not exception.args:
        return default
    message = exception.args[0]
    if not isinstance(message, str) or not message.strip() or _DJANGO_404.match(message):
        return default
    return message


def _page(
    request: HttpRequest, template: str, status: int, context: dict[str, Any]
) -> HttpResponse:
    body = loader.render_to_string(template, {"kembali": _back(request), **context}, request)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "400.html", 400, {"pesan": PESAN_400})


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "403.html", 403, {"pesan": _message(exception, PESAN_403)})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _message(exception, PESAN_404) if isinstance(exception, Http404) else PESAN_404
    return _page(request, "404.html", 404, {"pesan": message, "alamat": request.path})


def server_error(request: HttpRequest) -> HttpResponse:
    """Render without the request's context processors: the fault may lie in them (a database
    that does not answer), and this page must still come out."""
    try:
        body = loader.get_template("500.html").render({"pesan": PESAN_500})
    except Exception:  # the layout itself failed: plain text rather than nothing
        return HttpResponse(PESAN_500, status=500, content_type="text/plain; charset=utf-8")
    return HttpResponse(body, status=500)


class SatuBarisPenolakan(logging.Filter):
    """Log a refused or missing request (status below 500) as one line with its reason, never
    with the traceback of the PermissionDenied or Http404 that answered it."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500 and record.exc_info:
            exception = record.exc_info[1]
            if exception is not None and str(exception):
                record.msg = f"{record.msg} (%s)"
                record.args = (*(record.args or ()), str(exception))  # type: ignore[misc]
            record.exc_info = None
            record.exc_text = None
        return True


def install_log_filter() -> None:
    """Attach the filter to the logger Django answers requests with (called once at start)."""
    logger = logging.getLogger("django.request")
    if not any(isinstance(f, SatuBarisPenolakan) for f in logger.filters):
        logger.addFilter(SatuBarisPenolakan())


class RekamanRusakMiddleware:
    """A verified quarter whose record cannot be read (`monev.web.snapshot.RekamanRusak`), on any
    page: a page that says which record and what an admin can do, not the bare failure page (the
    figures are not shown at all: others in their place could differ from the accepted ones)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from monev.web.snapshot import RekamanRusak

        if not isinstance(exception, RekamanRusak):
            return None
        return _page(request, "rekaman_rusak.html", 500, {"pesan": str(exception)})
