"""Who may read and write what (spec §8 roles), in one place. Views call these helpers only.

- admin (Bappeda): everything;
- verifikator (Bappeda): reads every PD, changes none of a PD's numbers;
- pimpinan: reads every PD;
- operator: reads and changes only their own PD's realisations and narrative;
- kepala_pd: reads their own PD, approves its reports at their level (issue 16 point 4);
- kepala_bappeda: reads every PD, approves at their level.
Who approves at which level is the pemda's choice (`monev.web.persetujuan`); `can_approve` here.
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

from monev.web.models import PerangkatDaerah, Profil, Renja

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
    if role in (Peran.ADMIN, Peran.VERIFIKATOR, Peran.PIMPINAN, Peran.KEPALA_BAPPEDA):
        return PerangkatDaerah.objects.all()
    if role in (Peran.OPERATOR, Peran.KEPALA_PD):
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


def can_approve(user: Any, renja: Renja, peran_tingkat: str) -> bool:
    """Tell whether the user approves (or returns) a report of the Renja waiting at a level
    held by `peran_tingkat`: its role (a kepala_pd only for their own PD), or an admin."""
    role = peran(user)
    if not can_approve_level(role, own_pd_id(user), renja.perangkat_daerah_id, peran_tingkat):
        return False
    return visible_pd(user).filter(pk=renja.perangkat_daerah_id).exists()


def can_approve_level(
    role: str | None, own_pd: int | None, perangkat_daerah_id: int, peran_tingkat: str
) -> bool:
    """`can_approve` for a PD the user may already read (a queue built from `visible_pd`)."""
    if role == Peran.ADMIN:
        return True
    if role is None or role != peran_tingkat:
        return False
    return role != Peran.KEPALA_PD or own_pd == perangkat_daerah_id


def require_approve(user: Any, renja: Renja, peran_tingkat: str, menunggu: str) -> None:
    """Refuse (403) a user who does not hold the level a report waits at (`menunggu`, its label)."""
    if not can_approve(user, renja, peran_tingkat):
        raise PermissionDenied(
            f"Anda tidak berwenang menyetujui atau mengembalikan laporan ini: laporan sedang "
            f"menunggu persetujuan {menunggu}."
        )


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
#: Who opens the status board (a kepala_pd sees their own PD's row only).
PAPAN_ROLES = (
    Peran.ADMIN,
    Peran.VERIFIKATOR,
    Peran.PIMPINAN,
    Peran.KEPALA_BAPPEDA,
    Peran.KEPALA_PD,
)
#: Who opens the pemda dashboard (monev.pemda's own list; the menu follows it).
_DASBOR_ROLES = (Peran.ADMIN, Peran.VERIFIKATOR, Peran.PIMPINAN)


def role_context(request: HttpRequest) -> dict[str, Any]:
    role = peran(request.user) if hasattr(request, "user") else None
    return {
        "peran": role,
        "peran_label": Peran(role).label if role else "",
        "is_admin": role == Peran.ADMIN,
        "lihat_papan": role in PAPAN_ROLES,
        "lihat_dasbor": role in _DASBOR_ROLES,
    }
