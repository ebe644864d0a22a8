"""The comparison of a Renja perubahan with the version it was made from: every node added or
dropped, every target and pagu changed, and who changed what when (from the history)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from monev.renstra.models import PerubahanRenja
from monev.web.models import Indikator, Renja, Riwayat, Simpul
from monev.web.services import shown


@dataclass(frozen=True)
class Beda:
    kode: str
    uraian: str  # the node's name, or the indicator's text
    kolom: str  # what differs: "simpul", "pagu", "target"
    murni: str
    perubahan: str


@dataclass(frozen=True)
class Banding:
    perubahan: PerubahanRenja
    beda: list[Beda]
    #: The version's creation and every target or pagu change of the perubahan (who, when).
    riwayat: list[Riwayat]


def _indikator(renja: Renja) -> dict[tuple[str, str], Indikator]:
    return {
        (i.simpul.kode, " ".join(i.teks.lower().split())): i
        for i in Indikator.objects.filter(simpul__renja=renja).select_related("simpul")
    }


def banding(perubahan: PerubahanRenja) -> Banding:
    """Return every difference between the perubahan and the version it was made from."""
    asal, baru = perubahan.asal, perubahan.renja
    old_nodes = {s.kode: s for s in Simpul.objects.filter(renja=asal)}
    new_nodes = {s.kode: s for s in Simpul.objects.filter(renja=baru)}
    beda: list[Beda] = []
    for kode in sorted(set(old_nodes) | set(new_nodes)):
        old, new = old_nodes.get(kode), new_nodes.get(kode)
        if old is None and new is not None:
            beda.append(Beda(kode, new.nama, "simpul", "-", "ditambahkan"))
        elif new is None and old is not None:
            beda.append(Beda(kode, old.nama, "simpul", "ada", "dihapus"))
        elif old is not None and new is not None and old.pagu != new.pagu:
            beda.append(Beda(kode, new.nama, "pagu", _num(old.pagu), _num(new.pagu)))
    old_items, new_items = _indikator(asal), _indikator(baru)
    for key in sorted(set(old_items) | set(new_items)):
        old_i, new_i = old_items.get(key), new_items.get(key)
        if old_i is None and new_i is not None:
            beda.append(Beda(key[0], new_i.teks, "indikator", "-", "ditambahkan"))
        elif new_i is None and old_i is not None:
            beda.append(Beda(key[0], old_i.teks, "indikator", "ada", "dihapus"))
        elif old_i is not None and new_i is not None and old_i.target != new_i.target:
            beda.append(Beda(key[0], new_i.teks, "target", _num(old_i.target), _num(new_i.target)))
    riwayat = list(
        Riwayat.objects.filter(
            renja=baru,
            jenis__in=[Riwayat.Jenis.VERSI, Riwayat.Jenis.TARGET, Riwayat.Jenis.PAGU],
        )
        .select_related("pengguna", "simpul", "indikator")
        .order_by("waktu", "id")
    )
    return Banding(perubahan, beda, riwayat)


def _num(value: Decimal | None) -> str:
    return shown(value) or "-"
