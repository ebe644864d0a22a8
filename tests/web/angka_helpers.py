"""Generated pemda for the stored-rows tests: plans of several shapes written through the import
service, so that their rows can be compared with the engine's consolidation."""

from __future__ import annotations

import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from monev.core import model as core
from monev.core.codes import Tingkat
from monev.core.rules import Agregasi, Polaritas
from monev.web import access, services
from monev.web.models import Pemda, PerangkatDaerah, Renja

SHAPES = ("setiap_tingkat", "sub_saja")


def _value(rng: random.Random, low: int, high: int, empty: float = 0.15) -> Decimal | None:
    if rng.random() < empty:
        return None
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def _indikator(rng: random.Random, n: int) -> tuple[core.Indikator, ...]:
    items = []
    for i in range(n):
        target = rng.choice(
            (Decimal(0), None, Decimal(3), Decimal("7.5"), Decimal(100), Decimal(12))
        )
        if rng.random() < 0.7:
            target = Decimal(rng.randint(1, 400))
        quarters = tuple(_value(rng, 0, 150) for _ in range(4))
        items.append(
            core.Indikator(
                teks=f"Indikator {i + 1}",
                satuan="persen",
                target=target,
                target_renstra=target * 4 if target is not None else None,
                realisasi_lalu=_value(rng, 0, 300, 0.5),
                triwulan=quarters,  # type: ignore[arg-type]
                polaritas=rng.choice(tuple(Polaritas)),
                agregasi=rng.choice(tuple(Agregasi)),
            )
        )
    return tuple(items)


def _rp(rng: random.Random, pagu: Decimal | None) -> tuple[Decimal | None, ...]:
    if pagu is None:
        return (None, None, None, None)
    return tuple(
        None if rng.random() < 0.2 else (pagu * rng.randint(0, 40) / 100).quantize(Decimal("0.01"))
        for _ in range(4)
    )


def generated_renja(
    rng: random.Random, programs: list[str], shape: str, sub_per_kegiatan: int = 2
) -> core.Renja:
    """Return a plan with these program codes, budgets on every level or on sub kegiatan only."""
    nodes = []
    for program in programs:
        every = shape == "setiap_tingkat"
        pagu = Decimal(rng.randint(10**6, 10**9)) / 100 if every else None
        nodes.append(
            core.Node(
                program,
                Tingkat.PROGRAM,
                f"Program {program}",
                _indikator(rng, rng.randint(0, 2)),
                pagu=pagu,
                triwulan_rp=_rp(rng, pagu),  # type: ignore[arg-type]
                target_renstra_rp=pagu * 5 if pagu else None,
                agregasi_rp=rng.choice((Agregasi.PROGRESIF, Agregasi.AKUMULATIF)),
            )
        )
        for k in range(1, rng.randint(2, 3) + 1):
            kegiatan = f"{program}.2.{k:02d}"
            pagu = Decimal(rng.randint(10**5, 10**8)) / 100 if every else None
            nodes.append(
                core.Node(
                    kegiatan,
                    Tingkat.KEGIATAN,
                    f"Kegiatan {kegiatan}",
                    _indikator(rng, rng.choice((0, 1, 1, 2, 3))),
                    pagu=pagu,
                    triwulan_rp=_rp(rng, pagu),  # type: ignore[arg-type]
                )
            )
            for s in range(1, sub_per_kegiatan + 1):
                sub = f"{kegiatan}.{s:04d}"
                pagu = Decimal(rng.randint(10**4, 10**8)) / 100 if rng.random() < 0.9 else None
                nodes.append(
                    core.Node(
                        sub,
                        Tingkat.SUB_KEGIATAN,
                        f"Sub kegiatan {sub}",
                        _indikator(rng, rng.choice((1, 1, 2))),
                        pagu=pagu,
                        triwulan_rp=_rp(rng, pagu),  # type: ignore[arg-type]
                        agregasi_rp=rng.choice((Agregasi.PROGRESIF, Agregasi.AKUMULATIF)),
                    )
                )
    return core.Renja(tuple(nodes))


def generated_pemda(
    user, nama: str, *, seed: int, jumlah_pd: int = 3, tahun: int = 2022
) -> tuple[Pemda, list[Renja]]:
    """Return a new pemda whose PDs share some programs (the first PD's first program)."""
    rng = random.Random(seed)
    pemda = Pemda.objects.create(nama=nama)
    if not access.can_write(user, pemda):  # a pemda's own admin: the server's operator here
        user = get_user_model().objects.get_or_create(
            username="admin_server", defaults={"is_superuser": True, "is_staff": True}
        )[0]
    renja = []
    shared = f"{rng.randint(1, 3)}.0{rng.randint(1, 5)}.01"
    for n in range(1, jumlah_pd + 1):
        pd = PerangkatDaerah.objects.create(pemda=pemda, kode=f"PD-{n}", nama=f"Dinas {n} {nama}")
        bidang = f"{rng.randint(1, 3)}.0{rng.randint(1, 5)}"
        programs = sorted(
            {shared, f"{bidang}.0{rng.randint(2, 4)}", f"{bidang}.0{rng.randint(5, 7)}"}
        )
        plan = generated_renja(rng, programs, SHAPES[n % 2])
        renja.append(services.renja_import(user=user, perangkat_daerah=pd, tahun=tahun, renja=plan))
    return pemda, list(
        Renja.objects.filter(pk__in=[r.pk for r in renja]).select_related("perangkat_daerah__pemda")
    )
