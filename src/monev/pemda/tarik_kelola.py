"""The admin's side of the pulls between servers: add a source, see the ones the admin manages,
turn one on or off, delete one (with or without the rows it filled), and pull one now in the
background (`monev kelola tarik_data --tarikan ID`, started detached like the import jobs).

Who manages which source (`sources_of`): the server's admin every one; a province's admin the
sources that fill one of its kabupaten/kota, and those that fill none yet that its province
added (a new source is seen by its owner only, never by every province on the server).
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from monev.pemda import tarik
from monev.pemda.models import AngkaIndikator, AngkaSimpul
from monev.pemda.models_tarik import SumberData, TarikanData
from monev.pemda.tarik_http import SumberGagal, check_address
from monev.web import access
from monev.web.models import Pemda

logger = logging.getLogger(__name__)

#: A pull still marked running after this long died with its process: a new one may start.
BASI = dt.timedelta(minutes=30)


def sources_of(user: Any) -> QuerySet[SumberData]:
    """Return the sources the user manages (none unless `access.can_manage_sources`)."""
    if not access.can_manage_sources(user):
        return SumberData.objects.none()
    if access.is_server_admin(user):
        return SumberData.objects.all()
    return SumberData.objects.filter(
        Q(pemda__in=access.source_pemda(user))
        | Q(pemda__isnull=True, pemilik_id=access.home_pemda_id(user))
    )


def sumber_list(user: Any) -> list[tuple[SumberData, list[TarikanData], int]]:
    """Return each source the user manages with its last ten pulls and how many PD quarters it
    filled."""
    sources = list(
        sources_of(user).select_related("pemda").annotate(jumlah=Count("triwulan")).order_by("nama")
    )
    pulls: dict[int, list[TarikanData]] = {}
    for t in TarikanData.objects.filter(sumber__in=sources).order_by("-mulai", "-id"):
        found = pulls.setdefault(t.sumber_id, [])
        if len(found) < 10:
            found.append(t)
    return [(s, pulls.get(s.pk, []), s.jumlah) for s in sources]  # type: ignore[attr-defined]


def sumber_create(
    *,
    user: Any,
    nama: str,
    alamat: str,
    pemda_sumber: int | None = None,
    pemda: Pemda | None = None,
) -> SumberData:
    """An admin adds a source to pull from; checked whole (refused with every reason). It belongs
    to the admin's province (None: the server's admin)."""
    access.require_manage_sources(user)
    errors = []
    nama = nama.strip()
    if not nama or len(nama) > 100:
        errors.append("Nama sumber wajib diisi, paling banyak 100 karakter.")
    elif SumberData.objects.filter(nama=nama).exists():
        errors.append(f"Sumber bernama '{nama}' sudah ada.")
    try:
        alamat = check_address(alamat.strip())
    except SumberGagal as exc:
        errors.append(f"Alamat server: {exc}.")
    if len(alamat) > 300:
        errors.append("Alamat server paling banyak 300 karakter.")
    if pemda is not None and pemda.jenis == Pemda.Jenis.PROVINSI:
        errors.append(f"{pemda.nama} adalah provinsi; sumber mengisi kabupaten/kota.")
    if errors:
        raise ValidationError(errors)
    return SumberData.objects.create(
        nama=nama,
        alamat=alamat,
        pemda_sumber=pemda_sumber,
        pemda=pemda,
        pemilik_id=None if access.is_server_admin(user) else access.home_pemda_id(user),
    )


def sumber_set_aktif(*, user: Any, sumber: SumberData, aktif: bool) -> None:
    """An admin turns the scheduled pull of a source on or off."""
    access.require_manage_sources(user)
    SumberData.objects.filter(pk=sumber.pk).update(aktif=aktif)
    sumber.aktif = aktif


# -- deleting a source ------------------------------------------------------------------------


@dataclass(frozen=True)
class IsiSumber:
    """What a source filled: its PD quarters and the rows written for them."""

    triwulan_pd: int
    baris: int


def _rows_of(sumber: SumberData) -> tuple[QuerySet[AngkaSimpul], QuerySet[AngkaIndikator]]:
    # Pulled rows carry the source's name and no local Renja (`tarik.forget_rows`).
    where = {"sumber": sumber.nama, "renja__isnull": True}
    return AngkaSimpul.objects.filter(**where), AngkaIndikator.objects.filter(**where)


def sumber_isi(sumber: SumberData) -> IsiSumber:
    """Return how many PD quarters and rows the source filled (shown before deleting it)."""
    simpul, indikator = _rows_of(sumber)
    return IsiSumber(sumber.triwulan.count(), simpul.count() + indikator.count())


@transaction.atomic
def sumber_delete(*, user: Any, sumber: SumberData, hapus_baris: bool) -> IsiSumber:
    """Delete a source with its log, and, with `hapus_baris`, every row it filled; all or
    nothing. Return what it had filled (the rows kept when `hapus_baris` is False)."""
    access.require_manage_sources(user)
    locked = sources_of(user).select_for_update().get(pk=sumber.pk)
    isi = sumber_isi(locked)
    if hapus_baris:
        for rows in _rows_of(locked):
            rows.delete()
    locked.delete()  # its pulls and its ledger of PD quarters go with it
    return isi


# -- pulling now, off the request -------------------------------------------------------------

#: Runner processes started by this process, reaped by a thread each (no zombie is left).
_running: set[subprocess.Popen[bytes]] = set()


def is_running(tarikan: TarikanData, now: dt.datetime | None = None) -> bool:
    """Whether the pull is still running (and not a pull whose process died long ago)."""
    return (
        tarikan.status == TarikanData.Status.BERJALAN
        and tarikan.mulai >= (now or timezone.now()) - BASI
    )


def running(sumber: SumberData, now: dt.datetime | None = None) -> TarikanData | None:
    """Return the source's pull still running (started less than `BASI` ago), if any."""
    since = (now or timezone.now()) - BASI
    return (
        TarikanData.objects.filter(
            sumber=sumber, status=TarikanData.Status.BERJALAN, mulai__gte=since
        )
        .order_by("-mulai")
        .first()
    )


def pull_start(*, user: Any, sumber: SumberData) -> TarikanData:
    """Queue a pull of the source by the user and start it off the request: a detached
    `monev kelola tarik_data --tarikan ID` (MONEV_IMPOR_LATAR=proses, the default), or here
    and now (=langsung: tests, and a server that must not start processes). Refuse it (a
    `ValidationError`) while another pull of the source runs."""
    access.require_manage_sources(user)
    with transaction.atomic():
        SumberData.objects.select_for_update().filter(pk=sumber.pk).first()
        busy = running(sumber)
        if busy is not None:
            raise ValidationError(
                f"Tarikan {sumber.nama} sedang berjalan sejak "
                f"{timezone.localtime(busy.mulai):%H:%M:%S}; tunggu sampai selesai."
            )
        tarikan = TarikanData.objects.create(
            sumber=sumber, mulai=timezone.now(), pemicu=user.get_username()[:150]
        )
    if settings.MONEV_IMPOR_LATAR == "langsung":
        return tarik.pull(sumber=sumber, pemicu=tarikan.pemicu, tarikan=tarikan)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "monev", "kelola", "tarik_data", "--tarikan", str(tarikan.pk)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            start_new_session=True,  # a server restarted (Ctrl+C) does not stop the pull
            close_fds=True,
        )
    except OSError as exc:
        logger.exception("tarikan %s tidak dapat dimulai", tarikan.pk)
        tarikan.status = TarikanData.Status.GALAT
        tarikan.pesan = f"tarikan tidak dapat dimulai di latar belakang ({exc.strerror})"
        tarikan.selesai = timezone.now()
        tarikan.save()
        return tarikan
    _running.add(process)
    threading.Thread(target=_reap, args=(process,), daemon=True).start()
    return tarikan


def _reap(process: subprocess.Popen[bytes]) -> None:
    process.wait()
    _running.discard(process)


def pull_queued(pk: int) -> TarikanData | None:
    """Run the queued pull `pk` (started by `pull_start`); None when it is not queued (unknown,
    already run, or claimed by another runner)."""
    claimed = TarikanData.objects.filter(
        pk=pk, status=TarikanData.Status.BERJALAN, selesai__isnull=True, pesan=""
    ).update(pesan="sedang menarik")
    if not claimed:
        return None
    tarikan = TarikanData.objects.select_related("sumber").get(pk=pk)
    return tarik.pull(sumber=tarikan.sumber, pemicu=tarikan.pemicu, tarikan=tarikan)
