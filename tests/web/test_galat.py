"""Refusals, missing pages and failures: Indonesian pages in the app's layout with a way back,
and a refusal logged as one line without a traceback (DEBUG off, as on a server)."""

from __future__ import annotations

import logging

import pytest
from django.test import RequestFactory, override_settings

ENGLISH = ("Forbidden", "Not Found", "Server Error", "Bad Request", "The requested resource")


def _is_our_page(response, code: str) -> str:
    text = response.content.decode()
    assert response.status_code == int(code)
    assert f"Galat {code}" in text and 'lang="id"' in text
    assert 'class="brand"' in text  # the app's layout
    assert 'href="/"' in text and "Ke Beranda" in text  # a way back
    assert not any(word in text for word in ENGLISH), text
    return text


@pytest.fixture(autouse=True)
def _no_debug(settings):
    settings.DEBUG = False


def test_refusal_page_says_why_in_indonesian_with_the_way_back(client_for):
    client = client_for("operator")
    response = client.get("/jendela/", HTTP_REFERER="http://testserver/renja/1/")
    text = _is_our_page(response, "403")
    assert "Hanya admin Bappeda" in text or "tidak berwenang" in text
    assert 'href="http://testserver/renja/1/"' in text and "Kembali" in text
    assert "Beranda" in text and "Keluar" in text  # the signed-in menu is there too


def test_back_link_never_leads_off_the_site(client_for):
    response = client_for("operator").get("/jendela/", HTTP_REFERER="https://jahat.example/")
    text = _is_our_page(response, "403")
    assert "jahat.example" not in text and "Kembali ke halaman" not in text


def test_missing_page_is_indonesian(client_for):
    text = _is_our_page(client_for("admin").get("/tidak-ada/"), "404")
    assert "Halaman tidak ditemukan" in text and "/tidak-ada/" in text


def test_another_pds_renja_is_missing_with_our_message_only(client_for, contoh):
    text = _is_our_page(client_for("operator").get(f"/renja/{contoh.pk}/evaluasi/"), "404")
    assert "Renja tidak ditemukan" in text


def test_django_english_404_messages_are_not_shown():
    from django.http import Http404

    from monev.web.galat import PESAN_404, _message

    assert _message(Http404("No Renja matches the given query."), PESAN_404) == PESAN_404
    assert _message(Http404("belum ada data"), PESAN_404) == "belum ada data"


def test_server_error_page_renders_without_the_request_context():
    from django.urls import get_resolver

    handler = get_resolver().resolve_error_handler(500)
    response = handler(RequestFactory().get("/"))
    text = _is_our_page(response, "500")
    assert "kesalahan pada server" in text


@override_settings(DEBUG=False)
def test_an_unhandled_fault_answers_the_indonesian_500_page(client_for, monkeypatch):
    from monev.web import views

    def boom(*args, **kwargs):
        raise RuntimeError("rusak")

    monkeypatch.setattr(views.selectors, "renja_data", boom)
    client = client_for("admin")
    client.raise_request_exception = False
    from monev.web.models import Renja

    response = client.get(f"/renja/{Renja.objects.first().pk}/evaluasi/")
    _is_our_page(response, "500")


def test_refusal_is_logged_as_one_line_without_traceback(client_for, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client_for("operator").get("/jendela/")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.exc_info is None and record.exc_text is None
    line = record.getMessage()
    assert "/jendela/" in line and "tidak berwenang" in line.lower()
    assert "Traceback" not in caplog.text


def test_a_fault_keeps_its_traceback_in_the_log(client_for, caplog, monkeypatch):
    from monev.web import views
    from monev.web.models import Renja

    def boom(*args, **kwargs):
        raise RuntimeError("rusak")

    monkeypatch.setattr(views.selectors, "renja_data", boom)
    client = client_for("admin")
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        client.get(f"/renja/{Renja.objects.first().pk}/evaluasi/")
    assert any(r.exc_info for r in caplog.records if r.name == "django.request")
