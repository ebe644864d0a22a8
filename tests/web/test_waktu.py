"""The `waktu` filter: a moment in the server's zone with the zone's name written."""

from __future__ import annotations

import re
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


def test_every_template_writes_a_time_of_day_with_its_zone():
    """A time of day in a page goes through `waktu` (which names the zone); Django's `date`
    filter would write it bare, ambiguous across Indonesia's three zones."""
    import re
    from pathlib import Path

    import monev

    bare = re.compile(r"\|date:\"[^\"]*[GHhgisAa][^\"]*\"")
    found = [
        f"{path.relative_to(Path(monev.__file__).parent)}: {match.group(0)}"
        for path in Path(monev.__file__).parent.rglob("*.html")
        for match in bare.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_history_of_a_cell_shows_the_zone(users, disnaker, client_for):
    from monev.web import selectors, services
    from monev.web.models import Indikator

    indikator = Indikator.objects.filter(simpul__renja=disnaker, target__gt=0).first()
    services.realisasi_k_update(
        user=users["operator"],
        indikator=indikator,
        triwulan=3,
        nilai=indikator.target,
        versi=selectors.versi_k(indikator, 3),
    )
    page = client_for("verifikator").get(f"/indikator/{indikator.pk}/riwayat/").content.decode()
    assert re.search(r"\d\d-\d\d-\d{4} \d\d:\d\d:\d\d WIB", page)
