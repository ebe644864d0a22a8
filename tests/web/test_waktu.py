"""The `waktu` filter: a moment in the server's zone with the zone's name written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monev.web.templatetags.monev import waktu

MOMENT = datetime(2026, 12, 1, 16, 42, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "fmt", "shown"),
    [
        ("Asia/Jakarta", "j F Y H:i", "1 Desember 2026 23:42 WIB"),
        ("Asia/Jakarta", "d-m-Y H:i:s", "01-12-2026 23:42:05 WIB"),
        ("Asia/Pontianak", "H:i", "23:42 WIB"),
        ("Asia/Makassar", "j F Y H:i", "2 Desember 2026 00:42 WITA"),
        ("Asia/Jayapura", "H:i", "01:42 WIT"),
        ("UTC", "H:i", "16:42 UTC+0000"),
    ],
)
def test_a_moment_is_shown_in_the_servers_zone_with_its_name(settings, zone, fmt, shown):
    settings.TIME_ZONE = zone
    assert waktu(MOMENT, fmt) == shown


def test_no_moment_is_a_dash():
    assert waktu(None) == "-"
