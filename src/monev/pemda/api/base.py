"""The API object, its sign-in, its errors as JSON, and the helpers every resource shares."""

from __future__ import annotations

import copy
import logging
from decimal import Decimal
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as IsianTidakSah
from ninja.security import HttpBearer, django_auth

from monev.core.numbers import decimal_text
from monev.pemda.api.galat import (
    PESAN_401,
    PESAN_500,
    alamat_tidak_dikenal,
    http_error_message,
    method_not_allowed,
    validation_errors,
)
from monev.pemda.services import token_user
from monev.web import access
from monev.web.models import Renja
from monev.web.siklus import Ditolak
from monev.web.snapshot import RekamanRusak

MAX_ID = 2**63 - 1


PEMDA_ROLES = access.WHOLE_PEMDA_ROLES


class TokenAuth(HttpBearer):
    """A personal token made on /pemda/token/, sent as `Authorization: Bearer monev_…`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return token_user(token)


token_auth = TokenAuth()


READ_AUTH = [token_auth, django_auth]


class Api(NinjaAPI):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._openapi_schemas: dict[str, dict[str, Any]] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        """Return the OpenAPI description, built once per process for each address prefix: the
        operations are registered when the resources are imported, so it cannot change while the
        process runs, and building it costs ~60 ms (every read of /pemda/api/openapi.json and of
        the API's documentation page paid it). A copy, so that no caller can alter the next one's."""
        if path_prefix is None:
            # The API's own address, the script prefix included (a server mounted under a path).
            path_prefix = self.get_root_path(path_params or {})
        if path_prefix not in self._openapi_schemas:
            self._openapi_schemas[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
        return copy.deepcopy(self._openapi_schemas[path_prefix])

    def get_openapi_operation_id(self, operation: Any) -> str:
        # The ids the API was published with, when it lived in one module (monev.pemda.api).
        return f"monev_pemda_api_{operation.view_func.__name__}"

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        """ninja's URLs, each answering a method it does not serve in JSON and Indonesian
        (ninja answers a bare `Method not allowed`), and after them one URL that answers an
        unknown address under the API in JSON (Django would answer an HTML page)."""
        urls: list[URLResolver | URLPattern] = []
        for entry in super()._get_urls():
            if isinstance(entry, URLPattern):
                entry = URLPattern(
                    entry.pattern, _json_405(entry.callback), entry.default_args, entry.name
                )
            urls.append(entry)
        urls.append(re_path(r"^.*$", csrf_exempt(alamat_tidak_dikenal), name="tidak_dikenal"))
        return urls


def _json_405(view: Any) -> Any:
    @wraps(view)  # keeps csrf_exempt and the rest of the view's attributes
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if getattr(response, "status_code", None) == 405:
            return method_not_allowed(request, response)
        return response

    return wrapped


api = Api(
    title="monev API",
    version="1",
    description="Baca data pemda, Perangkat Daerah, Renja, indikator, dan evaluasi; tulis "
    "realisasi dengan token pribadi; data terbuka evaluasi yang sudah diverifikasi.",
    # Mounted by monev.pemda.urls inside the app's "pemda" namespace, as "api".
    urls_namespace="pemda:api",
    docs_url=None,
    # Served by monev.pemda.views.openapi (GET only, like every read of the app).
    openapi_url=None,
)


class Galat(Schema):
    detail: str


class GalatIsian(Schema):
    """A refused input: our own message, or the list of fields the description does not allow."""

    detail: str | list[dict[str, Any]]


ERRORS: dict[int, Any] = {401: Galat, 403: Galat, 404: Galat, 422: GalatIsian}


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Tidak berwenang."}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Tidak ditemukan."}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": PESAN_401}, status=401)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": http_error_message(exc)}, status=exc.status_code)


@api.exception_handler(IsianTidakSah)
def _fields_refused(request: HttpRequest, exc: IsianTidakSah) -> HttpResponse:
    return api.create_response(request, {"detail": validation_errors(exc.errors)}, status=422)


@api.exception_handler(Exception)
def _fault(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A fault of ours: logged with its traceback, answered in JSON without it."""
    # Django logs the answer's status line itself; the traceback is only known here.
    logging.getLogger(__name__).error("galat pada %s", request.path, exc_info=exc)
    return api.create_response(request, {"detail": PESAN_500}, status=500)


@api.exception_handler(RekamanRusak)
def _record_unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A verified quarter whose record cannot be read: said, and no other figures in its place."""
    return api.create_response(request, {"detail": str(exc)}, status=500)


@api.exception_handler(Ditolak)
def _refused(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": "; ".join(exc.messages)}, status=422)


def pct_text(value: Decimal | None) -> str | None:
    return decimal_text(value, 2)


def amount_text(value: Decimal | None) -> str | None:
    """Return an amount in machine form without the zeros the database pads it with."""
    return decimal_text(value.normalize()) if value is not None else None


def visible_renja(request: HttpRequest, renja_id: int) -> Renja:
    return access.renja_for(request.auth, renja_id)


class EvaluasiOut(Schema):
    """The document of `monev evaluasi --format json` (see the README)."""

    triwulan: int
    baris: list[dict[str, Any]]
    ringkasan: dict[str, Any]
    pemeriksaan: list[dict[str, Any]]
