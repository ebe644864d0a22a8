"""A Renja made from another: the next year in one step (from year N, or from the Renstra alone),
and the Renja perubahan made mid-year from the version in force. One transaction each, recorded.

Next year: the tree, indicators and links of year N are carried (codes renamed through the code
mapping of year N+1), each indicator takes that year's target from the Renstra, the pagu is left
for the budget, and the Renstra's nodes that year N lacked are added; the report says which is which.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from monev.renstra import selectors
from monev.renstra.models import (
    IndikatorRenstra,
    RenjaRenstra,
    Renstra,
    SimpulRenstra,
    TahunIndikator,
    TautanIndikator,
    TautanSimpul,
)
from monev.web import access
from monev.web.models import (
    Indikator,
    PerangkatDaerah,
    Renja,
    Riwayat,
    Simpul,
)


@dataclass
class LaporanSalin:
    """What the next-year step carried, renamed, added and left to fill."""

    renja: Renja
    dibawa: list[str] = field(default_factory=list)
    kode_berubah: list[str] = field(default_factory=list)
    baru: list[str] = field(default_factory=list)
    tanpa_target: list[str] = field(default_factory=list)


def _parent(kode: str, codes: dict[str, Simpul]) -> Simpul | None:
    parts = kode.split(".")
    while len(parts) > 1:
        parts.pop()
        if ".".join(parts) in codes:
            return codes[".".join(parts)]
    return None


def renstra_for_year(perangkat_daerah: PerangkatDaerah, tahun: int) -> Renstra | None:
    """The PD's Renstra covering a year; where two periods meet, the one that starts then."""
    return (
        Renstra.objects.filter(
            perangkat_daerah=perangkat_daerah, tahun_awal__lte=tahun, tahun_akhir__gte=tahun
        )
        .order_by("-tahun_awal")
        .first()
    )


@transaction.atomic
def renja_tahun_berikut(
    *,
    user: Any,
    perangkat_daerah: PerangkatDaerah,
    tahun: int,
    asal: Renja | None = None,
    renstra: Renstra | None = None,
) -> LaporanSalin:
    """Create the PD's Renja of `tahun` from its Renja of the year before (`asal`) or, without
    one, from the Renstra alone. Refused when that year's Renja exists already."""
    access.require_admin(user, perangkat_daerah)
    if asal is not None and (
        asal.tahun != tahun - 1 or asal.perangkat_daerah_id != perangkat_daerah.pk
    ):
        raise ValidationError(
            f"Renja asal harus Renja {perangkat_daerah} tahun {tahun - 1}, bukan {asal}."
        )
    if Renja.objects.filter(perangkat_daerah=perangkat_daerah, tahun=tahun).exists():
        raise ValidationError(f"Renja {perangkat_daerah} tahun {tahun} sudah ada.")
    if renstra is None:
        renstra = renstra_for_year(perangkat_daerah, tahun)
    if renstra is not None and not renstra.tahun_awal <= tahun <= renstra.tahun_akhir:
        raise ValidationError(
            f"Tahun {tahun} di luar periode Renstra {renstra.tahun_awal}–{renstra.tahun_akhir}."
        )
    if asal is None and renstra is None:
        raise ValidationError(
            f"Tidak ada Renja {tahun - 1} maupun Renstra yang mencakup tahun {tahun} untuk "
            f"{perangkat_daerah}."
        )
    renja = Renja.objects.create(
        perangkat_daerah=perangkat_daerah,
        tahun=tahun,
        periode=asal.periode if asal else None,
    )
    hasil = LaporanSalin(renja)
    mapping = [m for m in selectors.pemetaan_list() if asal is None or m[0] > asal.tahun]
    targets: dict[int, Decimal | None] = {}
    renstra_nodes: list[SimpulRenstra] = []
    items: dict[int, list[IndikatorRenstra]] = defaultdict(list)
    if renstra is not None:
        RenjaRenstra.objects.create(renja=renja, renstra=renstra)
        targets = dict(
            TahunIndikator.objects.filter(
                indikator__simpul__renstra=renstra, tahun=tahun
            ).values_list("indikator_id", "target")
        )
        renstra_nodes = list(SimpulRenstra.objects.filter(renstra=renstra).order_by("urutan"))
        for item in IndikatorRenstra.objects.filter(simpul__renstra=renstra).order_by("urutan"):
            items[item.simpul_id].append(item)

    codes: dict[str, Simpul] = {}
    used_renstra: set[int] = set()
    urutan = 0

    def add_node(
        kode: str,
        tingkat: str,
        nama: str,
        sasaran: str,
        unit: str,
        agregasi_rp: str,
        link: int | None,
    ) -> Simpul:
        nonlocal urutan
        s = Simpul.objects.create(
            renja=renja,
            induk=_parent(kode, codes),
            urutan=urutan,
            kode=kode,
            tingkat=tingkat,
            nama=nama,
            sasaran=sasaran,
            unit_kerja=unit,
            agregasi_rp=agregasi_rp,
        )
        urutan += 1
        codes[kode] = s
        if link is not None:
            TautanSimpul.objects.create(simpul=s, simpul_renstra_id=link)
            used_renstra.add(link)
        return s

    def add_indikator(
        s: Simpul, position: int, source: Indikator | IndikatorRenstra, link: int | None
    ) -> None:
        target = targets.get(link) if link is not None else None
        if link is None and isinstance(source, Indikator):
            target = None
        item = Indikator.objects.create(
            simpul=s,
            urutan=position,
            teks=source.teks,
            satuan=source.satuan,
            polaritas=source.polaritas,
            agregasi=source.agregasi,
            target=target,
        )
        if link is not None:
            TautanIndikator.objects.create(indikator=item, indikator_renstra_id=link)
        if target is None:
            hasil.tanpa_target.append(f"{s.kode}, indikator '{source.teks}'")

    if asal is not None:
        links_simpul = dict(
            TautanSimpul.objects.filter(simpul__renja=asal).values_list(
                "simpul_id", "simpul_renstra_id"
            )
        )
        links_indikator = dict(
            TautanIndikator.objects.filter(indikator__simpul__renja=asal).values_list(
                "indikator_id", "indikator_renstra_id"
            )
        )
        own: dict[int, list[Indikator]] = defaultdict(list)
        for i in Indikator.objects.filter(simpul__renja=asal).order_by("urutan", "id"):
            own[i.simpul_id].append(i)
        for old in Simpul.objects.filter(renja=asal).order_by("urutan"):
            kode = selectors.kode_kini(old.kode, tahun, mapping)
            link = links_simpul.get(old.pk) if renstra is not None else None
            s = add_node(
                kode, old.tingkat, old.nama, old.sasaran, old.unit_kerja, old.agregasi_rp, link
            )
            if kode != old.kode:
                hasil.kode_berubah.append(f"{old.kode} → {kode} {old.nama}")
            else:
                hasil.dibawa.append(f"{kode} {old.nama}")
            for position, i in enumerate(own.get(old.pk, [])):
                add_indikator(s, position, i, links_indikator.get(i.pk) if renstra else None)
    for node in renstra_nodes:
        if node.pk in used_renstra:
            continue
        kode = selectors.kode_kini(node.kode, tahun, mapping)
        if kode in codes:
            continue
        s = add_node(kode, node.tingkat, node.nama, node.sasaran, "", "progresif", node.pk)
        hasil.baru.append(f"{kode} {node.nama}")
        for position, item in enumerate(items.get(node.pk, [])):
            add_indikator(s, position, item, item.pk)
    Riwayat.objects.create(
        pengguna=user,
        renja=renja,
        jenis=Riwayat.Jenis.IMPOR,
        keterangan=(f"dibuat dari Renja {asal.tahun}" if asal else "dibuat dari Renstra")
        + (f" dan {renstra}" if renstra and asal else (f" {renstra}" if renstra else ""))
        + f": {len(hasil.dibawa) + len(hasil.kode_berubah)} simpul dibawa, {len(hasil.baru)} baru",
    )
    return hasil
