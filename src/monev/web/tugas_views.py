"""The page of an import job: a progress bar that follows the job (htmx polling, no inline
script) and, once it ends, what it saved or every message that refused it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from monev.web import access


@require_safe
@login_required
def tugas_impor(request: HttpRequest, tugas_id: int) -> HttpResponse:
    tugas = access.tugas_impor_for(request.user, tugas_id)
    context = {"tugas": tugas}
    if request.htmx:
        return render(request, "monev/_tugas_impor.html", context)
    return render(request, "monev/tugas_impor.html", context)
