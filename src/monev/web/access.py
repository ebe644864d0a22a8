"""Who may read and write what (spec §8 roles, issue 17 tenancy), in one place. Views, API
endpoints and services call these helpers only.

Every user works in one pemda (`Profil.pemda`, the tenant):
- admin (Bappeda): everything of its own pemda;
- verifikator (Bappeda): reads every PD of its pemda, changes none of a PD's numbers;
- pimpinan: reads every PD of its pemda;
- operator: reads and changes only their own PD's realisations and narrative;
- kepala_pd: reads their own PD, approves its reports at their level (issue 16 point 4);
- kepala_bappeda: reads every PD of its pemda, approves at their level.
Who approves at which level is the pemda's choice (`monev.web.persetujuan`); `can_approve` here.
A province's admin, verifikator and pimpinan also READ (never write) every page of the
kabupaten/kota whose `Pemda.provinsi` it is. The ministry role (kementerian) has no pemda, reads
every pemda and writes nothing. A superuser without a pemda is the server's operator: an admin of
every pemda. A user without a pemda (an account from before there were several) sees nothing.

An object of a pemda (or a PD) the user may not read does not exist for them (404), so that nobody
learns what another pemda holds; a write on a pemda the user may only read is refused (403).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from monev.web.models import Pemda, PerangkatDaerah, Profil, Renja, Simpul, TugasImpor

Peran = Profil.Peran

#: Roles that read a whole pemda (and, in a province, its kabupaten/kota).
PEMDA_READERS = (Peran.ADMIN, Peran.VERIFIKATOR, Peran.PIMPINAN, Peran.KEPALA_BAPPEDA)
#: Roles that read whole-pemda pages (dashboards, consolidation, the status board).
WHOLE_PEMDA_ROLES = (*PEMDA_READERS, Peran.KEMENTERIAN)
#: Roles that change something of their own pemda.
#: (The heads of a PD and of Bappeda write only their approvals.)
WRITERS = (Peran.ADMIN, Peran.VERIFIKATOR, Peran.OPERATOR, Peran.KEPALA_PD, Peran.KEPALA_BAPPEDA)
#: The session key of the pemda chosen on the "Pilih pemda" page.
SESSION_PEMDA = "monev_pemda_aktif"

FORBIDDEN_READ_ONLY = (
    "Pemda ini hanya dapat Anda baca; perubahan hanya boleh dilakukan oleh pemda itu sendiri."
)
NO_PEMDA = (
    "Akun Anda belum terhubung ke pemda mana pun, sehingga belum ada data yang dapat Anda lihat. "
    "Mintalah admin server menghubungkan akun Anda ke pemda Anda."
)


def peran(user: Any) -> str | None:
    """Return the user's role; a superuser is an admin; None for a user without a role."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Peran.ADMIN
    profil = getattr(user, "profil", None)
    return profil.peran if profil else None


def home_pemda_id(user: Any) -> int | None:
    """Return the pemda the user works in (None for the ministry and for users without one)."""
    profil = getattr(user, "profil", None)
    return profil.pemda_id if profil else None


def own_pd_id(user: Any) -> int | None:
    profil = getattr(user, "profil", None)
    return profil.perangkat_daerah_id if profil else None


def is_server_admin(user: Any) -> bool:
    """A superuser tied to no pemda: the admin of every pemda on the server."""
    return bool(user.is_authenticated and user.is_superuser and home_pemda_id(user) is None)


def without_pemda(user: Any) -> bool:
    """Whether the user has a role that needs a pemda but has none yet (it sees nothing)."""
    role = peran(user)
    if role is None or role == Peran.KEMENTERIAN or is_server_admin(user):
        return False
    return home_pemda_id(user) is None


def visible_pemda(user: Any) -> QuerySet[Pemda]:
    """Return the pemda the user may read (the selector every whole-pemda view and aggregate
    starts from): its own, a province's kabupaten/kota, or every pemda for the ministry."""
    role = peran(user)
    if role is None:
        return Pemda.objects.none()
    if role == Peran.KEMENTERIAN or is_server_admin(user):
        return Pemda.objects.all()
    home = home_pemda_id(user)
    if home is None:
        return Pemda.objects.none()
    if role in PEMDA_READERS:
        return Pemda.objects.filter(Q(pk=home) | Q(provinsi_id=home))
    return Pemda.objects.filter(pk=home)


def writable_pemda(user: Any) -> QuerySet[Pemda]:
    """Return the pemda in which the user may change something (never a read-only one)."""
    role = peran(user)
    if role not in WRITERS:
        return Pemda.objects.none()
    if is_server_admin(user):
        return Pemda.objects.all()
    home = home_pemda_id(user)
    return Pemda.objects.filter(pk=home) if home is not None else Pemda.objects.none()


def pemda_id_of(obj: Pemda | PerangkatDaerah | Renja | int) -> int:
    """Return the pemda id of a pemda, a PD, a Renja (with its PD loaded or not) or a pemda id."""
    if isinstance(obj, int):
        return obj
    if isinstance(obj, Pemda):
        return obj.pk
    if isinstance(obj, PerangkatDaerah):
        return obj.pemda_id
    return obj.perangkat_daerah.pemda_id


def can_write(user: Any, obj: Pemda | PerangkatDaerah | Renja | int) -> bool:
    """Whether the user may change anything of this pemda at all (its role decides what)."""
    if peran(user) not in WRITERS:
        return False
    if is_server_admin(user):
        return True
    home = home_pemda_id(user)
    return home is not None and home == pemda_id_of(obj)


def require_write(user: Any, obj: Pemda | PerangkatDaerah | Renja | int) -> None:
    if not can_write(user, obj):
        raise PermissionDenied(FORBIDDEN_READ_ONLY)


def visible_pd(user: Any) -> QuerySet[PerangkatDaerah]:
    role = peran(user)
    if role in (Peran.OPERATOR, Peran.KEPALA_PD) and not user.is_superuser:
        return PerangkatDaerah.objects.filter(pk=own_pd_id(user))
    if role in PEMDA_READERS or role == Peran.KEMENTERIAN:
        return PerangkatDaerah.objects.filter(pemda__in=visible_pemda(user))
    return PerangkatDaerah.objects.none()


def working_pd(user: Any) -> QuerySet[PerangkatDaerah]:
    """Return the PDs of the user's own work (its to-do list, its reminders): those it may read in
    its own pemda, never a kabupaten/kota it only reads; none for the ministry."""
    if is_server_admin(user):
        return PerangkatDaerah.objects.all()
    home = home_pemda_id(user)
    if home is None:
        return PerangkatDaerah.objects.none()
    return visible_pd(user).filter(pemda_id=home)


def writable_pd(user: Any) -> QuerySet[PerangkatDaerah]:
    """Return the PDs whose plans and figures the user may change (an admin's own pemda's)."""
    if peran(user) == Peran.OPERATOR and not user.is_superuser:
        return PerangkatDaerah.objects.filter(pk=own_pd_id(user))
    return PerangkatDaerah.objects.filter(pemda__in=writable_pemda(user))


def visible_renja(user: Any) -> QuerySet[Renja]:
    """Return the Renja the user may open. Not an archived one: it is kept with its history but
    out of every page, list and API, by its id too: the stored rows that the dashboards read are
    no longer refreshed from it (`monev.pemda.angka_segar`), so a page of it could disagree with
    them and a write to it would reach no dashboard. The admin brings it back first."""
    role = peran(user)
    if role in (Peran.OPERATOR, Peran.KEPALA_PD) and not user.is_superuser:
        # `visible_pd`'s one PD, without its subquery: every cell save asks this.
        return Renja.objects.filter(perangkat_daerah_id=own_pd_id(user), diarsipkan=False)
    return Renja.objects.filter(perangkat_daerah__in=visible_pd(user), diarsipkan=False)


PESAN_DIARSIPKAN = (
    "Renja ini sudah diarsipkan: tersimpan bersama riwayatnya, tetapi tidak dapat dibuka atau "
    "diubah. Minta admin mengeluarkannya dari arsip (Django admin → Renja → "
    "“Keluarkan Renja terpilih dari arsip”) bila masih diperlukan."
)


def renja_for(user: Any, renja_id: int) -> Renja:
    """Return a Renja the user may read, with its PD and pemda; 404 otherwise (saying so when it
    is one the user would read but it is archived)."""
    try:
        return visible_renja(user).select_related("perangkat_daerah__pemda").get(pk=renja_id)
    except Renja.DoesNotExist as exc:
        archived = Renja.objects.filter(
            pk=renja_id, perangkat_daerah__in=visible_pd(user), diarsipkan=True
        )
        raise Http404(PESAN_DIARSIPKAN if archived.exists() else "Renja tidak ditemukan") from exc


def row_for(user: Any, renja_id: int, model: type[Any], pk: int) -> Any:
    """Return the indicator or node `pk` of a Renja the user may read, with its node, the Renja,
    its PD and its pemda; 404 as `renja_for` answers when the Renja is not one to open, else
    when the row is not its. A cell save's first read: one prepared query for an operator."""
    if peran(user) in (Peran.OPERATOR, Peran.KEPALA_PD) and not user.is_superuser:
        from monev.web import sel_simpan

        found = sel_simpan.own_pd_row(model, pk, renja_id, own_pd_id(user))
        if found is not None:
            return found
    renja = renja_for(user, renja_id)
    if model is Simpul:
        found = Simpul.objects.filter(pk=pk, renja=renja).first()
        node = found
    else:
        found = model.objects.select_related("simpul").filter(pk=pk, simpul__renja=renja).first()
        node = found.simpul if found is not None else None
    if found is None or node is None:
        raise Http404("Baris tidak ditemukan di Renja ini")
    node.renja = renja  # read with its PD and pemda already
    return found


def pd_for(user: Any, pd_id: Any) -> PerangkatDaerah | None:
    """Return a PD the user may read by its id (text or int), or None."""
    try:
        pk = int(pd_id)
    except (TypeError, ValueError):
        return None
    return visible_pd(user).select_related("pemda").filter(pk=pk).first()


def pemda_for(user: Any, pemda_id: Any) -> Pemda | None:
    """Return a pemda the user may read by its id (text or int), or None."""
    try:
        pk = int(pemda_id)
    except (TypeError, ValueError):
        return None
    return visible_pemda(user).filter(pk=pk).first()


def pemda_for_write(user: Any, pemda_id: Any) -> Pemda:
    """Return a pemda the user may change; 404 if the user may not even read it, 403 if only."""
    found = pemda_for(user, pemda_id)
    if found is None:
        raise Http404("Pemda tidak ditemukan")
    require_write(user, found)
    return found


def can_manage_sources(user: Any) -> bool:
    """Whether the user manages the pulls from other servers (issue 17 point 3): the server's
    operator, or an admin of a province (which pulls its kabupaten/kota)."""
    if peran(user) != Peran.ADMIN:
        return False
    if is_server_admin(user):
        return True
    home = home_pemda_id(user)
    return home is not None and Pemda.objects.filter(pk=home, jenis=Pemda.Jenis.PROVINSI).exists()


def source_pemda(user: Any) -> QuerySet[Pemda]:
    """Return the kabupaten/kota whose data the user's pulls may fill: a province's own, or
    (the server's operator) every one."""
    if not can_manage_sources(user):
        return Pemda.objects.none()
    kab_kota = Pemda.objects.exclude(jenis=Pemda.Jenis.PROVINSI)
    return kab_kota if is_server_admin(user) else kab_kota.filter(provinsi_id=home_pemda_id(user))


def require_manage_sources(user: Any) -> None:
    if not can_manage_sources(user):
        raise PermissionDenied(
            "Hanya admin provinsi (atau admin server) yang mengelola penarikan data dari server "
            "kabupaten/kota."
        )


def tugas_impor_for(user: Any, pk: int) -> TugasImpor:
    """Return an import job the user may follow (who started it, or an admin of its pemda);
    404 otherwise."""
    jobs = TugasImpor.objects.select_related("perangkat_daerah", "renja")
    if peran(user) == Peran.ADMIN:
        jobs = jobs.filter(perangkat_daerah__pemda__in=writable_pemda(user))
    else:
        jobs = jobs.filter(pengguna_id=user.pk) if user.is_authenticated else jobs.none()
    try:
        return jobs.get(pk=pk)
    except TugasImpor.DoesNotExist as exc:
        raise Http404("Tugas impor tidak ditemukan") from exc


def can_edit_realisasi(user: Any, renja: Renja) -> bool:
    role = peran(user)
    if role == Peran.ADMIN:
        return can_write(user, renja)
    return role == Peran.OPERATOR and own_pd_id(user) == renja.perangkat_daerah_id


def require_edit_realisasi(user: Any, renja: Renja) -> None:
    if not can_edit_realisasi(user, renja):
        raise PermissionDenied("Anda tidak berwenang mengubah data Perangkat Daerah ini.")


def can_comment(user: Any, renja: Renja) -> bool:
    """Tell whether the user may write on a Renja's comment threads: its PD's operator and
    Bappeda (verifier, admin); the pimpinan reads them."""
    role = peran(user)
    if role in (Peran.ADMIN, Peran.VERIFIKATOR):
        return can_write(user, renja)  # a province reads its kabupaten/kota's threads only
    return role == Peran.OPERATOR and own_pd_id(user) == renja.perangkat_daerah_id


def require_comment(user: Any, renja: Renja) -> None:
    if not can_comment(user, renja):
        raise PermissionDenied("Anda hanya dapat membaca komentar laporan ini.")


def can_review_comments(user: Any, renja: Renja) -> bool:
    """Tell whether the user may flag a thread *perlu tindak lanjut* and close a flagged one:
    Bappeda's verifiers and admins (of the Renja's own pemda), who asked for the follow-up."""
    return peran(user) in (Peran.ADMIN, Peran.VERIFIKATOR) and can_write(user, renja)


def is_admin_of(user: Any, obj: Pemda | PerangkatDaerah | Renja | int) -> bool:
    return peran(user) == Peran.ADMIN and can_write(user, obj)


def is_admin_of_user(user: Any, other: Any) -> bool:
    """Whether the user is an admin of the other user's pemda (a server admin: of everyone)."""
    if peran(user) != Peran.ADMIN:
        return False
    if is_server_admin(user):
        return True
    home = home_pemda_id(other)
    return home is not None and can_write(user, home)


def require_admin(user: Any, obj: Pemda | PerangkatDaerah | Renja | int | None = None) -> None:
    """Refuse anyone but an admin; with `obj`, anyone but an admin of that object's pemda."""
    if peran(user) != Peran.ADMIN:
        raise PermissionDenied("Hanya admin Bappeda yang boleh melakukan ini.")
    if obj is not None:
        require_write(user, obj)
    elif not writable_pemda(user).exists():
        raise PermissionDenied(FORBIDDEN_READ_ONLY)


def active_pemda(request: HttpRequest) -> Pemda | None:
    """Return the pemda a whole-pemda page shows: `?pemda=` (404 if the user may not read it),
    else the one chosen on the "Pilih pemda" page (kept in the session, re-checked every time),
    else the user's own, else the first the user may read."""
    user = request.user
    visible = visible_pemda(user)
    asked = request.GET.get("pemda")
    if asked:
        found = pemda_for(user, asked)
        if found is None:
            raise Http404("Pemda tidak ditemukan")
        return found
    session = getattr(request, "session", None)
    chosen = session.get(SESSION_PEMDA) if session is not None else None
    if chosen is not None:
        found = pemda_for(user, chosen)
        if found is not None:
            return found
        del session[SESSION_PEMDA]  # no longer allowed (the account changed): forget it
    home = home_pemda_id(user)
    if home is not None:
        found = visible.filter(pk=home).first()
        if found is not None:
            return found
    return visible.order_by("nama").first()


def active_pemda_set(request: HttpRequest, pemda_id: Any) -> Pemda:
    """Remember the pemda the user chose to view; 404 if the user may not read it."""
    found = pemda_for(request.user, pemda_id)
    if found is None:
        raise Http404("Pemda tidak ditemukan")
    request.session[SESSION_PEMDA] = found.pk
    return found


def can_approve(user: Any, renja: Renja, peran_tingkat: str) -> bool:
    """Tell whether the user approves (or returns) a report of the Renja waiting at a level
    held by `peran_tingkat`: its role (a kepala_pd only for their own PD), or an admin."""
    role = peran(user)
    if not can_approve_level(role, own_pd_id(user), renja.perangkat_daerah_id, peran_tingkat):
        return False
    if not can_write(user, renja):  # a province reads its kabupaten/kota, never approves
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
PAPAN_ROLES = (*WHOLE_PEMDA_ROLES, Peran.KEPALA_PD)


def role_context(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = peran(user) if user is not None else None
    return {
        "peran": role,
        "peran_label": Peran(role).label if role else "",
        "is_admin": role == Peran.ADMIN,
        "lihat_papan": role in PAPAN_ROLES,
        "lihat_dasbor": role in WHOLE_PEMDA_ROLES,
        # A callable: the template asks (one query) only where it shows the "Pilih pemda" link.
        "banyak_pemda": lambda: visible_pemda(user).count() > 1 if role else False,
        "kelola_sumber": lambda: can_manage_sources(user),
        "tanpa_pemda": bool(role) and without_pemda(user),
    }
