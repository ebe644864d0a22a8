"""The demo's five-year plan: a plainly illustrative Renstra 2019–2023 of the reference PD (Dinas
Ketenagakerjaan) and an illustrative first year, 2021 (*contoh*), so that the real 2022 report is
the second year of a period monev holds.

Only the reference's programs are in this Renstra (the real report prints columns 6 and 7 for
programs only; its kegiatan keep the 0 it typed). The figures are made so that the 2022 report's
own columns 6 and 7 come out of the Renstra and 2021 unchanged: the end targets are the report's
column 6; 2019 and 2020 are entered by hand (years before monev) and 2021 is evaluated in monev
and verified, adding up by the rule to the report's column 7. 2021 also has a Renja perubahan from
quarter III, so both versions and their comparison can be seen. All through the normal services.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from monev.core import model as core
from monev.core.codes import Tingkat
from monev.core.renstra import IndikatorPeriode, NilaiTahun, RenstraPeriode, SimpulPeriode, Sumber
from monev.renstra import perubahan as perubahan_mod
from monev.renstra import services
from monev.renstra.models import Renstra
from monev.web import services as web_services
from monev.web import siklus
from monev.web.models import Indikator, PerangkatDaerah, Renja
from monev.web.selectors import laporan_of, renja_data

_THOUSAND = Decimal(1000)
_SHARE = (Decimal("0.3"), Decimal("0.3"))  # of the report's column 7 Rp: 2019 and 2020, by hand


def _round(value: Decimal) -> Decimal:
    return (value / _THOUSAND).quantize(Decimal(1)) * _THOUSAND


def _rp_targets(end: Decimal | None, pagu: Decimal | None) -> dict[int, Decimal | None]:
    """Yearly budget targets that add up to the end target: 2022 and 2023 the 2022 pagu, the rest
    spread over 2019–2021."""
    if end is None or pagu is None:
        return {y: None for y in range(2019, 2024)}
    rest = end - 2 * pagu
    first = _round(rest / 3)
    return {2019: first, 2020: first, 2021: rest - 2 * first, 2022: pagu, 2023: pagu}


def _periode(reference: core.Renja) -> tuple[RenstraPeriode, dict[str, tuple[Decimal, ...]]]:
    simpul = []
    rp_2021: dict[str, tuple[Decimal, ...]] = {}
    for node in reference.nodes:
        if node.tingkat is not Tingkat.PROGRAM:
            continue
        targets = _rp_targets(node.target_renstra_rp, node.pagu)
        lalu = node.realisasi_lalu_rp or Decimal(0)
        manual = [_round(lalu * share) for share in _SHARE]
        realisasi = lalu - sum(manual)
        # the year's pagu: the Renstra's figure, or more where the illustrative spending needs it
        pagu = max(targets[2021] or Decimal(0), _round(realisasi * Decimal("1.1")))
        rp_2021[node.kode] = (pagu, realisasi)
        rp = tuple(
            NilaiTahun(y, targets[y], manual[y - 2019] if y < 2021 else None, Sumber.MANUAL)
            for y in range(2019, 2024)
        )
        indikator = tuple(
            IndikatorPeriode(
                i.teks,
                i.satuan,
                i.agregasi,
                i.polaritas,
                i.target_renstra,
                tuple(
                    NilaiTahun(
                        y,
                        {2022: i.target, 2023: i.target_renstra}.get(y, i.realisasi_lalu),
                        i.realisasi_lalu if y < 2021 else None,
                        Sumber.MANUAL,
                    )
                    for y in range(2019, 2024)
                ),
            )
            for i in node.indikator
        )
        simpul.append(
            SimpulPeriode(node.kode, node.tingkat, node.nama, node.target_renstra_rp, rp, indikator)
        )
    return RenstraPeriode(2019, 2023, tuple(simpul)), rp_2021


def _ramp(end: Decimal | None, steps: tuple[str, ...]) -> core.Quarters:
    if end is None:
        return (None, None, None, None)
    values = [(end * Decimal(s)).quantize(Decimal("0.01")) for s in steps]
    return (values[0], values[1], values[2], end)


def _renja_2021(reference: core.Renja, rp_2021: dict[str, tuple[Decimal, ...]]) -> core.Renja:
    """The illustrative first year: the programs, their names marked *contoh*, each level ending
    at the report's column 7."""
    nodes = []
    for node in reference.nodes:
        if node.tingkat is not Tingkat.PROGRAM:
            continue
        pagu, realisasi = rp_2021[node.kode]
        nodes.append(
            core.Node(
                node.kode,
                node.tingkat,
                f"{node.nama} (contoh)",
                tuple(
                    core.Indikator(
                        i.teks,
                        i.satuan,
                        target=i.realisasi_lalu,
                        triwulan=_ramp(i.realisasi_lalu, ("0.25", "0.5", "0.75")),
                        polaritas=i.polaritas,
                        agregasi=i.agregasi,
                    )
                    for i in node.indikator
                ),
                pagu=pagu,
                triwulan_rp=_ramp(realisasi, ("0.2", "0.45", "0.7")),
                agregasi_rp=node.agregasi_rp,
                unit=node.unit,
            )
        )
    return core.Renja(tuple(nodes))


def _close_quarter(admin: object, verifikator: object, renja: Renja, triwulan: int) -> None:
    web_services.laporan_narasi_update(
        user=admin,
        renja=renja,
        triwulan=triwulan,
        narasi={f: "Data contoh (ilustrasi), bukan laporan nyata." for f in siklus.NARASI_WAJIB},
        versi=laporan_of(renja, triwulan).versi,
    )
    siklus.laporan_submit(user=admin, renja=renja, triwulan=triwulan)
    siklus.laporan_verify(user=verifikator, renja=renja, triwulan=triwulan)


@transaction.atomic
def load_tahun_contoh() -> bool:
    """Add the demo's Renstra and 2021 (contoh) once; False when they are there already."""
    pd = PerangkatDaerah.objects.filter(kode="2.07.01", pemda__nama="Kota Tangerang").first()
    if pd is None or Renstra.objects.filter(perangkat_daerah=pd).exists():
        return False
    User = get_user_model()
    admin, verifikator = (
        User.objects.get(username="admin"),
        User.objects.get(username="verifikator"),
    )
    tahun_2022 = Renja.objects.get(perangkat_daerah=pd, tahun=2022, versi=Renja.Versi.MURNI)
    reference = renja_data(tahun_2022, dengan_renstra=False).core
    periode, rp_2021 = _periode(reference)
    renstra = services.renstra_import(
        user=admin,
        perangkat_daerah=pd,
        periode=periode,
        nama="Renstra Dinas Ketenagakerjaan 2019–2023 (data contoh)",
        sumber="monev demo (data contoh)",
    )
    murni = web_services.renja_import(
        user=admin,
        perangkat_daerah=pd,
        tahun=2021,
        renja=_renja_2021(reference, rp_2021),
        sumber="data contoh",
    )
    Renja.objects.filter(pk=murni.pk).update(periode=tahun_2022.periode)
    murni.refresh_from_db()
    services.tautan_terapkan(user=admin, renja=murni, renstra=renstra)
    for triwulan in (1, 2):
        _close_quarter(admin, verifikator, murni, triwulan)
    perubahan = perubahan_mod.renja_perubahan(
        user=admin, renja=murni, triwulan_mulai=3, alasan="APBD Perubahan 2021 (data contoh)"
    )
    program = perubahan.simpul.get(kode="2.07.03")
    perubahan_mod.perubahan_pagu_update(
        user=admin,
        simpul=program,
        pagu=(program.pagu or Decimal(0)) + Decimal(250_000_000),
        versi=None,
    )
    item = Indikator.objects.filter(simpul=program).order_by("urutan").first()
    if item is not None and item.target is not None:
        perubahan_mod.perubahan_target_update(
            user=admin, indikator=item, target=item.target + 5, versi=None
        )
    for triwulan in (3, 4):
        _close_quarter(admin, verifikator, perubahan, triwulan)
    services.tautan_terapkan(user=admin, renja=tahun_2022, renstra=renstra)
    return True
