from __future__ import annotations

import pytest

from monev.core.codes import KodeError, Tingkat, parse_kode


@pytest.mark.parametrize(
    ("printed", "normal", "tingkat"),
    [
        ("2", "2", Tingkat.URUSAN),
        ("2.07", "2.07", Tingkat.BIDANG_URUSAN),
        ("2.07.03", "2.07.03", Tingkat.PROGRAM),
        ("2.07.03.2.01", "2.07.03.2.01", Tingkat.KEGIATAN),
        ("2.07.03.2.01.01", "2.07.03.2.01.01", Tingkat.SUB_KEGIATAN),
        ("2.07.03.2.01.0001", "2.07.03.2.01.0001", Tingkat.SUB_KEGIATAN),
        ("1.02.03.1.05.0012", "1.02.03.1.05.0012", Tingkat.SUB_KEGIATAN),
        # compact kegiatan
        ("7.01.01.201.01", "7.01.01.2.01.01", Tingkat.SUB_KEGIATAN),
        ("2.07.03.201", "2.07.03.2.01", Tingkat.KEGIATAN),
        # organisation-prefixed, as in the reference report
        ("2.07.2-7.0-0-0.01.03.201.01", "2.07.03.2.01.01", Tingkat.SUB_KEGIATAN),
        ("2.07.2-7.0-0-0.01.01.", "2.07.01", Tingkat.PROGRAM),
        ("2.07.2-7.0-0-0.01.02", "2.07.02", Tingkat.PROGRAM),
        ("2.07.2-7.0-0-0.01.01.202.", "2.07.01.2.02", Tingkat.KEGIATAN),
        ("2.07.2-7.0.0-0.01.01.206.000", "2.07.01.2.06", Tingkat.KEGIATAN),
        ("2.07.2-7.0.0-0.01.01.206.08", "2.07.01.2.06.08", Tingkat.SUB_KEGIATAN),
        ("2.07.1-7.0.0.0.01.05.202.04.", "2.07.05.2.02.04", Tingkat.SUB_KEGIATAN),
        ("2.07.2-7.0-0.0-0.01.03.201.01", "2.07.03.2.01.01", Tingkat.SUB_KEGIATAN),
        # trailing dot, leading dash, blanks, kegiatan written 02.01
        ("2.07.01.", "2.07.01", Tingkat.PROGRAM),
        ("-2.07.01.2.02", "2.07.01.2.02", Tingkat.KEGIATAN),
        (" 2.07.01.2.02.01 ", "2.07.01.2.02.01", Tingkat.SUB_KEGIATAN),
        ("2.07.01.02.01", "2.07.01.2.01", Tingkat.KEGIATAN),
        ("2.07.01.02.01.03", "2.07.01.2.01.03", Tingkat.SUB_KEGIATAN),
        ("2.7.1", "2.07.01", Tingkat.PROGRAM),
        ("X.XX.01", None, None),
    ],
)
def test_parse_kode_reads_every_printed_shape(printed, normal, tingkat):
    if normal is None:
        with pytest.raises(KodeError):
            parse_kode(printed)
        return
    kode = parse_kode(printed)
    assert str(kode) == normal
    assert kode.tingkat is tingkat


@pytest.mark.parametrize(
    ("kode", "parent"),
    [
        ("2.07.03.2.01.01", "2.07.03.2.01"),
        ("2.07.03.2.01", "2.07.03"),
        ("2.07.03", "2.07"),
        ("2.07", "2"),
        ("2", None),
    ],
)
def test_parent_goes_one_level_up(kode, parent):
    found = parse_kode(kode).parent
    assert (str(found) if found else None) == parent


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "-",
        "abc",
        "2..07",
        "2.07.01.3.01",
        "2.07.01.2",
        "2.07.01.2.01.01.01",
        "2.07.01.2.01.12345",
    ],
)
def test_unreadable_codes_raise_with_a_message(bad):
    with pytest.raises(KodeError) as info:
        parse_kode(bad)
    assert str(info.value)
