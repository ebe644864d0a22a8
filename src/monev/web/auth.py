"""Sign-in with a limit on failed attempts, kept in the database so that it holds across server
workers.

Failures are counted per (user name, address) pair, and, with a much higher limit, per address.
A stranger who guesses a user's password from elsewhere therefore never locks the real user out,
and one colleague's typos never lock out the other users of an office behind one NAT address.
A correct password for a user name that has not failed from this address is never refused.

django-axes was weighed and not used: it compares every lock-out rule with one failure limit
(the maximum over the rules) and checks every rule before the password, so an address rule with
a higher limit, and "a correct password from a clean pair passes", cannot be expressed in it.
"""

from __future__ import annotations

import datetime
import ipaddress
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from monev.web.models import PercobaanMasuk, Profil
from monev.web.prepared import Prepared, fields_of, instance


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, peer: str) -> bool:
    if str(address) == peer:
        return True
    for network in settings.MONEV_TRUSTED_PROXIES:
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(request: HttpRequest) -> str:
    """Return the client's address: the peer's, or, only behind a trusted reverse proxy
    (MONEV_BEHIND_PROXY), the right-most hop of X-Forwarded-For that is not a trusted proxy.
    Hops to the left of it are written by the client and never believed."""
    peer = request.META.get("REMOTE_ADDR", "")[:64]
    if not settings.MONEV_BEHIND_PROXY:
        return peer
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _ip(hop)
        if address is None:
            break  # a malformed hop is not an address to count by; fall back to the peer
        if not _trusted(address, peer):
            return str(address)[:64]
    return peer


def _user_query(pk: int) -> Any:
    model = get_user_model()
    return model.objects.filter(pk=pk).values_list(
        *fields_of(model), *fields_of(Profil, "profil__")
    )


_USER = Prepared(_user_query, 2_147_480_001)


class Backend(ModelBackend):
    """Django's user model backend, reading a signed-in user with its profile (role, pemda, PD)
    in one prepared query (`monev.web.prepared`): every page and every cell save asks the role
    before anything else, and the two ORM queries for them were a fifth of a save's cost."""

    def get_user(self, user_id: Any) -> Any:
        row = _USER.first(user_id)
        if row is None:
            return None
        model = get_user_model()
        user, at = instance(model, row)
        if row[at] is None:  # no profile: asking for it answers "none" without a query
            model._meta.get_field("profil").set_cached_value(user, None)
        else:
            user.profil = instance(Profil, row, at)[0]
        return user if self.user_can_authenticate(user) else None


def _username_key(username: str) -> str:
    # Case-folded, so "Verifikator" and "verifikator" share one count (never fewer failures).
    return username.strip().casefold()[:150]


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def _too_many(self) -> HttpResponse:
        minutes = settings.MONEV_LOGIN_WINDOW_SECONDS // 60
        return self.render_to_response(
            self.get_context_data(
                form=self.get_form(),
                terlalu_banyak=(
                    "Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini dari "
                    f"alamat Anda. Coba lagi dalam {minutes} menit."
                ),
            ),
            status=429,
        )

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        username = _username_key(request.POST.get("username", ""))
        address = client_address(request)
        since = timezone.now() - datetime.timedelta(seconds=settings.MONEV_LOGIN_WINDOW_SECONDS)
        recent = PercobaanMasuk.objects.filter(waktu__gte=since, alamat=address)
        pair_failures = recent.filter(username=username).count()
        if pair_failures >= settings.MONEV_LOGIN_ATTEMPTS:
            return self._too_many()
        address_locked = recent.count() >= settings.MONEV_LOGIN_ATTEMPTS_PER_ADDRESS
        if address_locked and pair_failures:
            # A busy address (password spraying) gets one try per user name, no more.
            return self._too_many()
        form = self.get_form()
        if form.is_valid():
            PercobaanMasuk.objects.filter(username=username, alamat=address).delete()
            return self.form_valid(form)
        PercobaanMasuk.objects.filter(
            waktu__lt=timezone.now() - datetime.timedelta(days=1)
        ).delete()
        PercobaanMasuk.objects.create(username=username, alamat=address)
        if address_locked:
            return self._too_many()
        return self.form_invalid(form)
