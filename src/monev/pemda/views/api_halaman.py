"""The API pages: personal tokens, the API documentation and its OpenAPI description."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from monev.pemda import services
from monev.pemda.api import api
from monev.pemda.models import TokenApi
from monev.web.access import ALL_ROLES, role_required


@require_http_methods(["GET", "POST"])
@role_required(*ALL_ROLES)
def token(request: HttpRequest) -> HttpResponse:
    baru = None
    if request.method == "POST":
        try:
            _, baru = services.token_create(user=request.user, nama=request.POST.get("nama", ""))
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    return render(
        request,
        "pemda/token.html",
        {
            "tokens": TokenApi.objects.filter(pengguna=request.user),
            "baru": baru,
            "docs_url": reverse("pemda:api_dokumentasi"),
        },
        status=201 if baru else 200,
    )


@require_POST
@role_required(*ALL_ROLES)
def token_cabut(request: HttpRequest, token_id: int) -> HttpResponse:
    found = get_object_or_404(TokenApi, pk=token_id, pengguna=request.user)
    services.token_revoke(user=request.user, token=found)
    messages.success(request, f"Token “{found.nama}” dicabut.")
    return redirect("pemda:token")


@require_GET
def api_dokumentasi(request: HttpRequest) -> HttpResponse:
    """Describe the API in Indonesian from its own OpenAPI description (public, offline)."""
    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "akses": _access_label(op.get("security", [])),
                }
            )
    return render(
        request,
        "pemda/api.html",
        {
            "operations": operations,
            "openapi_url": reverse("pemda:openapi"),
            "token_url": reverse("pemda:token"),
        },
    )


def _access_label(security: list[dict[str, Any]]) -> str:
    schemes = {name for option in security for name in option}
    if not schemes:
        return "terbuka"
    if any("Session" in name for name in schemes):
        return "token / sesi"
    return "token"


@require_GET
def openapi(request: HttpRequest) -> HttpResponse:
    """Return the API's OpenAPI description (public)."""
    return JsonResponse(api.get_openapi_schema(), json_dumps_params={"ensure_ascii": False})


def api_akar(request: HttpRequest) -> HttpResponse:
    return redirect("pemda:api_dokumentasi")
