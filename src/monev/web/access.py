"""Who may read and write what (spec §8 roles), in one place. Views call these helpers only.

- admin (Bappeda): everything;
- verifikator (Bappeda): reads every PD, changes none of a PD's numbers;
- pimpinan: reads every PD;
- operator: reads and changes only their own PD's realisations and narrative.
A PD that a user may not read does not exist for them (404), so that an operator who types
another PD's URL learns nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from monev.web.models import PerangkatDaerah, Profil, Renja, TugasImpor

Peran = Profil.Peran


def peran(user: Any) -> str | None:
    """Return the user's role; a superuser is an admin; None for a user without a role."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Peran.ADMIN
    profil = getattr(user, "profil", None)
    return profil.peran if profil else None


def own_pd_id(user: Any) -> int | None:
    profil = getattr(user, "profil", None)
    return profil.perangkat_daerah_id if profil else None


def visible_pd(user: Any) -> QuerySet[PerangkatDaerah]:
    role = peran(user)
    if role in (Peran.ADMIN, Peran.VERIFIKATOR, Peran.PIMPINAN):
        return PerangkatDaerah.objects.all()
    if role == Peran.OPERATOR:
        return PerangkatDaerah.objects.filter(pk=own_pd_id(user))
    return PerangkatDaerah.objects.none()


def visible_renja(user: Any) -> QuerySet[Renja]:
    return Renja.objects.filter(perangkat_daerah__in=visible_pd(user))


def renja_for(user: Any, renja_id: int) -> Renja:
    """Return a Renja the user may read, with its PD and pemda; 404 otherwise."""
    try:
        return visible_renja(user).select_related("perangkat_daerah__pemda").get(pk=renja_id)
    except Renja.DoesNotExist as exc:
        raise Http404("Renja tidak ditemukan") from exc


def tugas_impor_for(user: Any, pk: int) -> TugasImpor:
    """Return an import job the user may follow (who started it, or an admin); 404 otherwise."""
    jobs = TugasImpor.objects.select_related("perangkat_daerah", "renja")
    if peran(user) != Peran.ADMIN:
        jobs = jobs.filter(pengguna_id=user.pk) if user.is_authenticated else jobs.none()
    try:
        return jobs.get(pk=pk)
    except TugasImpor.DoesNotExist as exc:
        raise Http404("Tugas impor tidak ditemukan") from exc


def can_edit_realisasi(user: Any, renja: Renja) -> bool:
    role = peran(user)
    if role == Peran.ADMIN:
        return True
    return role == Peran.OPERATOR and own_pd_id(user) == renja.perangkat_daerah_id


def require_edit_realisasi(user: Any, renja: Renja) -> None:
    if not can_edit_realisasi(user, renja):
        raise PermissionDenied("Anda tidak berwenang mengubah data Perangkat Daerah ini.")


def require_admin(user: Any) -> None:
    if peran(user) != Peran.ADMIN:
        raise PermissionDenied("Hanya admin Bappeda yang boleh melakukan ini.")


def role_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Let a view through only for signed-in users with one of `roles` (403 otherwise)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if peran(request.user) not in roles:
                raise PermissionDenied("Anda tidak berwenang membuka halaman ini.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


ALL_ROLES = tuple(Peran.values)


def role_context(request: HttpRequest) -> dict[str, Any]:
    role = peran(request.user) if hasattr(request, "user") else None
    return {
        "peran": role,
        "peran_label": Peran(role).label if role else "",
        "is_admin": role == Peran.ADMIN,
    }
