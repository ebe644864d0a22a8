"""Sign-in with a limit on failed attempts (per user name and per address), kept in the database
so that it holds across server workers."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from monev.web.models import PercobaanMasuk


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        username = request.POST.get("username", "")[:150]
        since = timezone.now() - datetime.timedelta(seconds=settings.MONEV_LOGIN_WINDOW_SECONDS)
        failures = PercobaanMasuk.objects.filter(waktu__gte=since).filter(
            Q(username=username) | Q(alamat=_address(request))
        )
        if failures.count() >= settings.MONEV_LOGIN_ATTEMPTS:
            minutes = settings.MONEV_LOGIN_WINDOW_SECONDS // 60
            form = self.get_form()
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    terlalu_banyak=f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit.",
                ),
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):  # type: ignore[no-untyped-def]
        request = self.request
        PercobaanMasuk.objects.filter(
            waktu__lt=timezone.now() - datetime.timedelta(days=1)
        ).delete()
        PercobaanMasuk.objects.create(
            username=request.POST.get("username", "")[:150], alamat=_address(request)
        )
        return super().form_invalid(form)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        PercobaanMasuk.objects.filter(username=form.get_user().get_username()).delete()
        return super().form_valid(form)
