"""Pull the verified evaluations of kabupaten/kota from their own monev servers (issue 17).

For each source (`SumberData`): read every page of its open rows
(`/pemda/api/terbuka/pemda/<id>/baris`, `monev.pemda.terbuka_baris`), check each PD quarter
strictly (`monev.pemda.tarik_periksa`), and write what changed into the local pemda the source
fills. Each pull is logged (`TarikanData`) with its counts and an Indonesian message.

- Idempotent: a PD quarter whose rows, version, name and mark are those already pulled is left
  alone; a pull of an unchanged source costs one small answer (304 on the ETag).
- All or nothing per PD quarter: each PD quarter is one transaction, replaced whole. A PD quarter
  is the unit a source verifies; one that a source serves broken is refused with its reason while
  the others, each verified on its own, are still taken (refusing the whole source would hold
  back every good quarter for one bad one). Pages are read one at a time (a source of many years
  never sits whole in memory) and each page's quarters written as it comes; every page must carry
  the first page's mark, so a source changing mid-pull stops the pull. Quarters the source no
  longer serves are removed only after the whole listing was read.
- A source cannot write outside its pemda: every row goes to the local pemda bound to the source
  (created at its first pull from the source's identity, or chosen by the admin), under the
  source; a source that later claims another pemda is refused.
- A failing source is recorded with its reason; `pull_all` goes on with the others.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from monev.pemda import angka, angka_jumlah
from monev.pemda.angka import AngkaImportError
from monev.pemda.models import AngkaIndikator, AngkaSimpul
from monev.pemda.models_tarik import SumberData, TarikanData, TriwulanTertarik
from monev.pemda.tarik_http import SumberGagal, Transport, check_address, read_json
from monev.pemda.tarik_http import urllib_transport as default_transport
from monev.pemda.tarik_periksa import (
    HalamanMasuk,
    PemdaMasuk,
    SkemaSalah,
    TriwulanPDMasuk,
    page_of,
    pemda_list_of,
    quarter_of,
)
from monev.web.models import Pemda

logger = logging.getLogger(__name__)

Kunci = tuple[str, int, int]  # PD code, year, quarter


@dataclass
class Hitungan:
    baru: int = 0
    berubah: int = 0
    tetap: int = 0
    dihapus: int = 0


def pull_all(
    *, nama: str | None = None, pemicu: str = "jadwal", transport: Transport | None = None
) -> list[TarikanData]:
    """Pull every active source (or the one named), each on its own: one failing never stops
    the others. Return the log entry of each pull, in the sources' order."""
    sources = SumberData.objects.all() if nama else SumberData.objects.filter(aktif=True)
    if nama:
        sources = sources.filter(nama=nama)
    return [pull(sumber=s, pemicu=pemicu, transport=transport) for s in sources.order_by("nama")]


def pull(
    *,
    sumber: SumberData,
    pemicu: str,
    transport: Transport | None = None,
    tarikan: TarikanData | None = None,
) -> TarikanData:
    """Pull one source and log it (in `tarikan`, a pull queued by the sources page, or a new
    entry); never raises for the source's faults (they are the log's)."""
    if tarikan is None:
        tarikan = TarikanData.objects.create(
            sumber=sumber, mulai=timezone.now(), pemicu=pemicu[:150]
        )
    hitungan = Hitungan()
    stopped = False
    try:
        if not sumber.aktif:
            raise SumberGagal("sumber tidak aktif; aktifkan dulu di halaman sumber data")
        pesan, ditolak = _pull(sumber, transport or default_transport, hitungan)
        tarikan.status = TarikanData.Status.GALAT if ditolak else TarikanData.Status.OK
        tarikan.pesan = pesan
    except (SumberGagal, SkemaSalah) as exc:
        tarikan.status, tarikan.pesan = TarikanData.Status.GALAT, str(exc)
        stopped = True
    except Exception as exc:  # a fault of ours: logged with its traceback, the next source goes on
        logger.exception("tarik_data: sumber %s", sumber.nama)
        tarikan.status = TarikanData.Status.GALAT
        tarikan.pesan = f"kesalahan tak terduga di server ini ({exc.__class__.__name__}); lihat log"
        stopped = True
    if stopped and hitungan.baru + hitungan.berubah:
        tarikan.pesan += f" (sebelum berhenti: {hitungan.baru} baru, {hitungan.berubah} berubah)"
    tarikan.baru, tarikan.berubah = hitungan.baru, hitungan.berubah
    tarikan.tetap, tarikan.dihapus = hitungan.tetap, hitungan.dihapus
    tarikan.selesai = timezone.now()
    tarikan.save()
    return tarikan


def _remote_pemda(sumber: SumberData, base: str, transport: Transport) -> int:
    if sumber.pemda_sumber:
        return sumber.pemda_sumber
    data, _ = read_json(transport, f"{base}/pemda/api/terbuka/pemda")
    found = pemda_list_of(data)
    if len(found) != 1:
        raise SumberGagal(
            f"server sumber memuat {len(found)} pemda; isi 'ID pemda di server sumber' pada "
            "sumber ini"
        )
    return found[0].id


def _pages(
    sumber: SumberData, base: str, remote: int, transport: Transport
) -> tuple[Iterator[HalamanMasuk], str] | None:
    """Return the source's pages one at a time (each checked against the first: the same
    listing, in order) and the first page's ETag; None when the source answers that nothing
    changed since the last complete pull."""
    url = f"{base}/pemda/api/terbuka/pemda/{remote}/baris?halaman="
    headers = {"If-None-Match": sumber.etag} if sumber.etag and sumber.pemda_id else {}
    data, etag = read_json(transport, f"{url}1", headers)
    if data is None:
        return None
    first = page_of(data)
    if first.pemda.id != remote or first.halaman != 1:
        raise SkemaSalah(f"halaman 1 sumber bukan halaman 1 pemda {remote}")

    def pages() -> Iterator[HalamanMasuk]:
        yield first
        for n in range(2, first.jumlah_halaman + 1):
            page = page_of(read_json(transport, f"{url}{n}")[0])
            if page.tanda != first.tanda or page.jumlah_halaman != first.jumlah_halaman:
                raise SumberGagal(
                    f"data sumber berubah selama penarikan (halaman {n}); tarikan berhenti, "
                    "tidak ada yang dihapus; tarik lagi"
                )
            if page.pemda != first.pemda or page.halaman != n:
                raise SkemaSalah(f"halaman {n} sumber bukan halaman {n} pemda {remote}")
            yield page

    return pages(), etag


def _pull(sumber: SumberData, transport: Transport, hitungan: Hitungan) -> tuple[str, list[str]]:
    """Read the source page by page (one page in memory at a time), writing each page's PD
    quarters as it comes; remove what the source no longer lists only after the whole listing
    was read. Count into `hitungan` (kept when a later page fails)."""
    base = check_address(sumber.alamat)
    remote = _remote_pemda(sumber, base, transport)
    read = _pages(sumber, base, remote, transport)
    if read is None:
        hitungan.tetap = TriwulanTertarik.objects.filter(sumber=sumber).count()
        return "Tidak ada yang berubah sejak tarikan terakhir.", []
    pages, etag = read
    ditolak: list[str] = []
    listed: set[Kunci] = set()
    index = 0
    pemda: Pemda | None = None
    jumlah = None
    for page in pages:
        if pemda is None:
            pemda, jumlah = _local_pemda(sumber, page.pemda), page.jumlah
        for item in page.triwulan_pd:
            _take(sumber, pemda, page.pemda, item, index, listed, ditolak, hitungan)
            index += 1
    if index != jumlah:
        raise SkemaSalah(f"sumber menyebut {jumlah} triwulan PD tetapi mengirim {index}")
    hitungan.dihapus = _remove_unlisted(sumber, listed)
    if not ditolak and etag != sumber.etag:
        SumberData.objects.filter(pk=sumber.pk).update(etag=etag)
        sumber.etag = etag
    pesan = (
        f"{index} triwulan PD di sumber: {hitungan.baru} baru, {hitungan.berubah} berubah, "
        f"{hitungan.tetap} tetap, {hitungan.dihapus} dihapus."
    )
    if ditolak:
        pesan += f" {len(ditolak)} triwulan PD ditolak (yang lain tersimpan): " + "; ".join(
            ditolak[:10]
        )
    return pesan, ditolak


def _take(
    sumber: SumberData,
    pemda: Pemda,
    identity: PemdaMasuk,
    item: Any,
    index: int,
    listed: set[Kunci],
    ditolak: list[str],
    hitungan: Hitungan,
) -> None:
    """Check one PD quarter and write it if it changed; a refused one is listed with its reason
    (and its earlier pull, if any, stays: it is not removed)."""
    try:
        quarter = quarter_of(item, index, identity)
    except SkemaSalah as exc:
        ditolak.append(str(exc))
        key = _key_of(item)
        if key:
            listed.add(key)
        return
    key = (quarter.kode_perangkat_daerah, quarter.tahun, quarter.triwulan)
    label = f"PD {key[0]} {key[1]} TW {key[2]}"
    if key in listed:
        ditolak.append(f"{label}: dikirim lebih dari sekali")
        return
    listed.add(key)
    try:
        outcome = _store(sumber, pemda, quarter)
    except AngkaImportError as exc:  # refused whole by the rows store: nothing of it written
        ditolak.append(f"{label}: {exc}")
        return
    setattr(hitungan, outcome, getattr(hitungan, outcome) + 1)


def _key_of(item: Any) -> Kunci | None:
    if not isinstance(item, dict):
        return None
    kode, tahun, tw = (item.get(k) for k in ("kode_perangkat_daerah", "tahun", "triwulan"))
    if isinstance(kode, str) and isinstance(tahun, int) and isinstance(tw, int):
        return (kode, tahun, tw)
    return None


def _local_pemda(sumber: SumberData, identity: PemdaMasuk) -> Pemda:
    """Return the local pemda the source fills: the one bound to it, else one created from the
    source's identity (never an existing pemda picked by name: that is the admin's choice)."""
    with transaction.atomic():
        locked = SumberData.objects.select_for_update().get(pk=sumber.pk)
        if locked.nama_pemda_sumber and locked.nama_pemda_sumber != identity.nama:
            raise SumberGagal(
                f"sumber kini mengaku pemda '{identity.nama}', sebelumnya "
                f"'{locked.nama_pemda_sumber}'; periksa alamat sumber (tidak ada yang disimpan)"
            )
        if locked.pemda_id is None:
            if identity.jenis == Pemda.Jenis.PROVINSI:
                raise SumberGagal(
                    f"sumber melayani provinsi '{identity.nama}', bukan kabupaten/kota"
                )
            if Pemda.objects.filter(nama=identity.nama).exists():
                raise SumberGagal(
                    f"pemda '{identity.nama}' sudah ada di server ini; bila memang pemda yang "
                    "sama, pilih pemda itu pada sumber ini (tidak ada yang disimpan)"
                )
            # A kabupaten/kota pulled by a province is one of its own: the province that added
            # the source, else the one that runs this server.
            locked.pemda = Pemda.objects.create(
                nama=identity.nama,
                jenis=identity.jenis,
                provinsi=locked.pemilik if locked.pemilik_id else server_provinsi(),
            )
        locked.nama_pemda_sumber = identity.nama
        locked.save(update_fields=["pemda", "nama_pemda_sumber"])
    sumber.pemda, sumber.nama_pemda_sumber = locked.pemda, locked.nama_pemda_sumber
    assert locked.pemda is not None
    return locked.pemda


def _document(quarter: TriwulanPDMasuk) -> dict[str, Any]:
    return quarter.angka.model_dump()


def digest_of(document: dict[str, Any]) -> str:
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _store(sumber: SumberData, pemda: Pemda, quarter: TriwulanPDMasuk) -> str:
    """Write one PD quarter if it differs from what was pulled before; return which it was."""
    document = _document(quarter)
    digest = digest_of(document)
    fields = {
        "pemda_id": pemda.pk,
        "perangkat_daerah": quarter.perangkat_daerah,
        "versi": quarter.versi,
        "tanda": quarter.tanda,
        "diverifikasi": _moment(quarter.diverifikasi),
        "digest": digest,
    }
    key = {
        "sumber": sumber,
        "kode_perangkat_daerah": quarter.kode_perangkat_daerah,
        "tahun": quarter.tahun,
        "triwulan": quarter.triwulan,
    }
    existing = TriwulanTertarik.objects.filter(**key).first()
    if existing is not None and all(
        getattr(existing, name) == value for name, value in fields.items()
    ):
        return "tetap"
    with transaction.atomic():
        written = angka.import_rows(document, pemda=pemda, sumber=sumber.nama)
        TriwulanTertarik.objects.update_or_create(
            **key, defaults={**fields, "jumlah_baris": written, "ditarik": timezone.now()}
        )
    return "baru" if existing is None else "berubah"


def _moment(text: str) -> Any:
    """Return the source's time of verification, or None when it is not an ISO time with its
    offset (shown only; never trusted for anything)."""
    from django.utils.dateparse import parse_datetime

    try:
        moment = parse_datetime(text)
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def _remove_unlisted(sumber: SumberData, listed: set[Kunci]) -> int:
    """Remove the PD quarters the source no longer serves (no longer verified there)."""
    gone = [
        t
        for t in TriwulanTertarik.objects.filter(sumber=sumber)
        if (t.kode_perangkat_daerah, t.tahun, t.triwulan) not in listed
    ]
    for t in gone:
        with transaction.atomic():
            forget_rows(
                pemda_id=t.pemda_id,
                sumber=sumber.nama,
                pd_kode=t.kode_perangkat_daerah,
                tahun=t.tahun,
                triwulan=t.triwulan,
            )
            t.delete()
    return len(gone)


def forget_rows(*, pemda_id: int, sumber: str, pd_kode: str, tahun: int, triwulan: int) -> None:
    """Remove the pulled rows of one PD quarter of a source (the rows store has no call for it:
    `import_rows` only replaces)."""
    where = {
        "pemda_id": pemda_id,
        "sumber": sumber,
        "pd_kode": pd_kode,
        "tahun": tahun,
        "triwulan": triwulan,
        "renja__isnull": True,
    }
    AngkaSimpul.objects.filter(**where).delete()
    AngkaIndikator.objects.filter(**where).delete()
    angka_jumlah.rebuild_pulled(
        pemda_id=pemda_id, tahun=tahun, triwulan=triwulan, pd_kode=pd_kode, sumber=sumber
    )


def server_provinsi() -> Pemda | None:
    """Return the province that runs this server (the only provinsi it holds), if there is one:
    the kabupaten/kota a pull creates are linked to it, and so read in its consolidation."""
    found = list(Pemda.objects.filter(jenis=Pemda.Jenis.PROVINSI)[:2])
    return found[0] if len(found) == 1 else None
