"""The bulk import path writes what the ORM would: every node under its parent, every indicator
and realisation, the fields a row does not name at their model default, and the plan read back is
the plan written (on SQLite and PostgreSQL alike)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from monev.core.budget import parent_kode
from monev.core.codes import Tingkat
from monev.core.model import Indikator as CoreIndikator
from monev.core.model import Node
from monev.core.model import Renja as CoreRenja
from monev.io.flat import read_flat
from monev.web import bulk, selectors, services
from monev.web.models import RealisasiK, RealisasiRp, Renja, Simpul

pytestmark = pytest.mark.django_db


def _import(users, pd, renja: CoreRenja, tahun: int = 2031) -> Renja:
    return services.renja_import(user=users["admin"], perangkat_daerah=pd, tahun=tahun, renja=renja)


def test_a_plan_read_back_is_the_plan_written(users, disnaker, reference_csv) -> None:
    written = read_flat(reference_csv)
    stored = _import(users, disnaker.perangkat_daerah, written)
    read = selectors.renja_data(stored).core
    assert [n.kode for n in read.nodes] == [n.kode for n in written.nodes]
    for a, b in zip(read.nodes, written.nodes, strict=True):
        assert (a.tingkat, a.nama, a.pagu, a.triwulan_rp, a.agregasi_rp) == (
            b.tingkat,
            b.nama,
            b.pagu,
            b.triwulan_rp,
            b.agregasi_rp,
        )
        assert [(i.teks, i.target, i.triwulan) for i in a.indikator] == [
            (i.teks, i.target, i.triwulan) for i in b.indikator
        ]


def test_every_node_hangs_under_its_parent(users, disnaker, reference_csv) -> None:
    stored = _import(users, disnaker.perangkat_daerah, read_flat(reference_csv))
    by_id = {s.pk: s for s in Simpul.objects.filter(renja=stored)}
    for s in by_id.values():
        node = Node(kode=s.kode, tingkat=Tingkat(s.tingkat), nama=s.nama)
        parent = parent_kode(node)
        expected = next((p.pk for p in by_id.values() if p.kode == parent), None)
        assert s.induk_id == expected, s.kode


def test_fields_a_row_does_not_name_take_their_default(users, disnaker) -> None:
    program = Node(
        kode="2.07.09",
        tingkat=Tingkat.PROGRAM,
        nama="Program uji",
        pagu=Decimal("1000.50"),
        triwulan_rp=(Decimal("10.25"), None, None, Decimal("99999999999.99")),
        indikator=(
            CoreIndikator(
                teks="uji", target=Decimal("12.3456"), triwulan=(Decimal(1), None, None, None)
            ),
        ),
    )
    stored = _import(users, disnaker.perangkat_daerah, CoreRenja((program,)))
    rp = RealisasiRp.objects.filter(simpul__renja=stored).order_by("triwulan")
    assert [(r.triwulan, r.nilai, r.versi) for r in rp] == [
        (1, Decimal("10.25"), 0),
        (4, Decimal("99999999999.99"), 0),
    ]
    assert all(r.diubah is not None for r in rp)
    k = RealisasiK.objects.get(indikator__simpul__renja=stored)
    assert (k.nilai, k.versi, k.diubah_oleh_id) == (Decimal(1), 0, None)


def test_ids_come_back_in_the_order_of_the_rows(users, disnaker) -> None:
    rows = [
        {
            "renja_id": disnaker.pk,
            "induk_id": None,
            "urutan": 1000 + i,
            "kode": f"9.99.{i:03d}",
            "tingkat": "program",
            "nama": f"uji {i}",
            "sasaran": "",
            "unit_kerja": "",
            "pagu": None,
            "target_renstra_rp": None,
            "realisasi_lalu_rp": None,
            "agregasi_rp": "progresif",
        }
        for i in range(250)
    ]
    saved = bulk.MAX_PARAMETERS
    bulk.MAX_PARAMETERS = 12 * 7  # several batches of 7 rows
    try:
        ids = bulk.insert_returning_ids(Simpul, rows)
    finally:
        bulk.MAX_PARAMETERS = saved
    assert [Simpul.objects.get(pk=pk).kode for pk in ids] == [r["kode"] for r in rows]


def test_a_failed_import_keeps_none_of_its_rows(
    users, disnaker, reference_csv, monkeypatch
) -> None:
    """The nodes and indicators are written before the realisations; a failure there keeps none."""
    written = read_flat(reference_csv)
    before = (Simpul.objects.count(), RealisasiK.objects.count(), Renja.objects.count())

    def broken(model, rows):  # the realisations' write fails after the nodes' and indicators'
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(bulk, "insert", broken)
    with pytest.raises(RuntimeError):
        _import(users, disnaker.perangkat_daerah, written, tahun=2032)
    assert (Simpul.objects.count(), RealisasiK.objects.count(), Renja.objects.count()) == before


def test_new_ids_are_fresh_after_a_bulk_write(users, disnaker) -> None:
    """Ids taken for a bulk write are the table's own: a later ordinary insert takes a new one."""
    row = {
        "renja_id": disnaker.pk,
        "induk_id": None,
        "urutan": 999,
        "kode": "9.99.500",
        "tingkat": "program",
        "nama": "uji",
        "sasaran": "",
        "unit_kerja": "",
        "pagu": None,
        "target_renstra_rp": None,
        "realisasi_lalu_rp": None,
        "agregasi_rp": "progresif",
    }
    ids = bulk.insert_returning_ids(Simpul, [row, {**row, "kode": "9.99.501"}])
    later = Simpul.objects.create(
        renja=disnaker, kode="9.99.502", tingkat="program", nama="uji", urutan=1001
    )
    assert later.pk not in ids
    assert len(set(ids)) == 2


@pytest.mark.parametrize(
    "text",
    ["tab\there", "two\nlines", "back\\slash \\N", "carriage\rreturn", "plain ÄÖÜ — ½", ""],
)
def test_awkward_text_and_numbers_are_read_back_as_written(users, disnaker, text) -> None:
    """COPY's text format (PostgreSQL) escapes what it must; exponents, signs and scale of a
    Decimal come back as the same number; None stays NULL."""
    program = Node(
        kode="2.07.09",
        tingkat=Tingkat.PROGRAM,
        nama=text,
        sasaran=f"{text}\\t",
        pagu=Decimal("1E+3"),
        triwulan_rp=(Decimal("-0.50"), None, Decimal("0E-2"), Decimal("1.10")),
        indikator=(
            CoreIndikator(teks=text, satuan=text, target=None, triwulan=(Decimal("1E-4"),) * 4),
        ),
    )
    stored = _import(users, disnaker.perangkat_daerah, CoreRenja((program,)))
    simpul = Simpul.objects.get(renja=stored)
    assert (simpul.nama, simpul.sasaran, simpul.pagu) == (text, f"{text}\\t", Decimal(1000))
    rp = RealisasiRp.objects.filter(simpul=simpul).order_by("triwulan")
    assert [(r.triwulan, r.nilai) for r in rp] == [
        (1, Decimal("-0.5")),
        (3, Decimal(0)),
        (4, Decimal("1.1")),
    ]
    indikator = simpul.indikator.get()
    assert (indikator.teks, indikator.satuan, indikator.target) == (text, text, None)
    assert [k.nilai for k in RealisasiK.objects.filter(indikator=indikator)] == [
        Decimal("0.0001")
    ] * 4
