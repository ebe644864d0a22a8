"""Comments on the values of a quarter's report (issue 16, point 3): services and selectors.

A thread sits on one line of one quarter: an indicator (its K) or a node's budget (its Rp).

Who may do what (the helpers of `monev.web.access`):
- write and answer: the PD's operator, Bappeda's verifiers and admins; the pimpinan reads;
  another PD's operator does not see the Renja at all (404, by `access.renja_for`);
- flag *perlu tindak lanjut* (and take the flag off): verifiers and admins;
- resolve and reopen: verifiers and admins; the PD's operator only a thread not flagged (a
  flagged line waits for Bappeda's look).

When: comments are about the report, not its data, so the entry window does not matter and
a submitted quarter takes them (that is when the verifier writes them). A verified quarter
is a closed record: nothing is written on it until an admin unlocks it. A verifier cannot
accept a quarter while a flagged thread is open (`require_no_open_flag`, called by
`siklus.laporan_verify`), and a return lists the flagged open lines (`return_text`).

Every write is one transaction that locks the quarter's report row (as the cycle's
transitions do) and records its event in `Riwayat` (jenis `komentar`), so that the report's
history shows it with who and when.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from monev.web import access
from monev.web.access import Peran
from monev.web.models import Indikator, Komentar, LaporanTriwulan, Renja, Riwayat, Simpul
from monev.web.siklus import ROMAWI, Ditolak

Status = LaporanTriwulan.Status
MAX_TEKS = 2000

#: Riwayat.kolom of each comment event -> how the report's history names it.
PERISTIWA = {
    "tulis": "Komentar ditulis",
    "balas": "Komentar dibalas",
    "tandai": "Ditandai perlu tindak lanjut",
    "hapus_tanda": "Tanda perlu tindak lanjut dihapus",
    "selesai": "Utas ditandai selesai",
    "buka": "Utas dibuka lagi",
}


@dataclass(frozen=True)
class Sasaran:
    """The line a thread is on: an indicator's K (`k`) or a node's Rp (`rp`)."""

    kolom: str
    simpul: Simpul
    indikator: Indikator | None = None

    @property
    def ref(self) -> int:
        return self.indikator.pk if self.indikator is not None else self.simpul.pk

    @property
    def sel(self) -> str:
        """The cell's id on the entry grid (`k-12`, `rp-7`), as `entri_html` names it."""
        return f"{self.kolom}-{self.ref}"

    @property
    def label(self) -> str:
        return _label(self.kolom, self.simpul, self.indikator)


def _label(kolom: str, simpul: Simpul, indikator: Indikator | None) -> str:
    if kolom == "k" and indikator is not None:
        return f"{simpul.kode} · {indikator.teks or '(tanpa indikator)'} (realisasi K)"
    return f"{simpul.kode} · realisasi Rp {simpul.nama}".rstrip()


def sasaran_of(renja: Renja, kolom: str, ref: int) -> Sasaran:
    """Return the line `kolom`/`ref` of the Renja; 404 for any other."""
    if kolom == "k":
        indikator = (
            Indikator.objects.select_related("simpul").filter(pk=ref, simpul__renja=renja).first()
        )
        if indikator is not None:
            return Sasaran("k", indikator.simpul, indikator)
    elif kolom == "rp":
        simpul = Simpul.objects.filter(pk=ref, renja=renja).first()
        if simpul is not None:
            return Sasaran("rp", simpul)
    raise Http404("Baris tidak ditemukan pada Renja ini")


def sasaran_of_komentar(komentar: Komentar) -> Sasaran:
    if komentar.indikator_id is not None:
        assert komentar.indikator is not None
        return Sasaran("k", komentar.indikator.simpul, komentar.indikator)
    assert komentar.simpul is not None
    return Sasaran("rp", komentar.simpul)


def cell_url(renja_id: int, triwulan: int, sel: str) -> str:
    """Return the link to a line's cell on the entry grid of the quarter."""
    return f"{reverse('entri', args=[renja_id, triwulan])}#sel-{sel}"


# --- rules --------------------------------------------------------------------------------


def _lock_report(renja: Renja, triwulan: int) -> str:
    """Lock the quarter's report row for the caller's transaction; refuse a verified quarter."""
    found = list(LaporanTriwulan.objects.select_for_update().filter(renja=renja, triwulan=triwulan))
    status = found[0].status if found else Status.DRAF
    if status == Status.DIVERIFIKASI:
        raise Ditolak(
            f"TW {ROMAWI[triwulan - 1]} sudah diverifikasi dan dikunci; komentar tidak dapat "
            "ditulis atau diubah kecuali admin Bappeda membuka kuncinya."
        )
    return str(status)


def can_close(user: Any, utas: Komentar) -> bool:
    """Tell whether the user may resolve or reopen the thread (see the module's rules)."""
    if access.can_review_comments(user, utas.renja):
        return True
    return access.can_comment(user, utas.renja) and not utas.perlu_tindak_lanjut


def _record(user: Any, utas: Komentar, kolom: str, teks: str = "") -> None:
    sasaran = sasaran_of_komentar(utas)
    Riwayat.objects.create(
        pengguna=user,
        renja=utas.renja,
        simpul=sasaran.simpul,
        indikator=sasaran.indikator,
        jenis=Riwayat.Jenis.KOMENTAR,
        triwulan=utas.triwulan,
        kolom=kolom,
        nilai_baru=teks,
        keterangan=sasaran.label,
    )


def _clean(teks: str) -> str:
    teks = teks.strip()
    if not teks:
        raise Ditolak("Tulis isi komentar dulu; komentar kosong tidak dikirim.")
    if len(teks) > MAX_TEKS:
        raise Ditolak(
            f"Komentar terlalu panjang: {len(teks)} karakter; paling banyak {MAX_TEKS:,} karakter.".replace(
                ",", "."
            )
        )
    return teks


# --- services -----------------------------------------------------------------------------


@transaction.atomic
def komentar_write(
    *,
    user: Any,
    renja: Renja,
    triwulan: int,
    sasaran: Sasaran,
    teks: str,
    perlu_tindak_lanjut: bool = False,
    induk: Komentar | None = None,
) -> Komentar:
    """Start a thread on the line (flagged *perlu tindak lanjut* if asked), or answer `induk`."""
    access.require_comment(user, renja)
    teks = _clean(teks)
    if perlu_tindak_lanjut and not access.can_review_comments(user, renja):
        raise PermissionDenied("Hanya verifikator Bappeda yang dapat menandai perlu tindak lanjut.")
    _lock_report(renja, triwulan)
    if induk is not None:
        induk = Komentar.objects.select_for_update().get(pk=induk.pk)
        if (induk.renja_id, induk.triwulan, induk.induk_id) != (renja.pk, triwulan, None) or (
            induk.indikator_id,
            induk.simpul_id,
        ) != (
            sasaran.indikator.pk if sasaran.indikator else None,
            None if sasaran.indikator else sasaran.simpul.pk,
        ):
            raise Http404("Utas tidak ditemukan pada baris ini")
        if induk.selesai:
            raise Ditolak("Utas ini sudah selesai; buka lagi utasnya dulu untuk membalas.")
    komentar = Komentar.objects.create(
        renja=renja,
        triwulan=triwulan,
        indikator=sasaran.indikator,
        simpul=None if sasaran.indikator else sasaran.simpul,
        induk=induk,
        penulis=user,
        teks=teks,
        perlu_tindak_lanjut=perlu_tindak_lanjut and induk is None,
    )
    if induk is None:
        _record(user, komentar, "tulis", teks)
        if perlu_tindak_lanjut:
            _record(user, komentar, "tandai")
    else:
        _record(user, induk, "balas", teks)
    return komentar


def _thread_for_update(utas: Komentar) -> Komentar:
    return (
        Komentar.objects.select_for_update(of=("self",))
        .select_related("renja", "indikator__simpul", "simpul")
        .get(pk=utas.pk, induk__isnull=True)
    )


@transaction.atomic
def komentar_flag(*, user: Any, utas: Komentar, perlu_tindak_lanjut: bool) -> Komentar:
    """Flag the thread *perlu tindak lanjut*, or take the flag off (verifier, admin)."""
    if not access.can_review_comments(user, utas.renja):
        raise PermissionDenied("Hanya verifikator Bappeda yang dapat mengubah tanda tindak lanjut.")
    _lock_report(utas.renja, utas.triwulan)
    utas = _thread_for_update(utas)
    if utas.selesai:
        raise Ditolak("Utas ini sudah selesai; buka lagi utasnya dulu untuk mengubah tandanya.")
    if utas.perlu_tindak_lanjut != perlu_tindak_lanjut:
        utas.perlu_tindak_lanjut = perlu_tindak_lanjut
        utas.save(update_fields=["perlu_tindak_lanjut"])
        _record(user, utas, "tandai" if perlu_tindak_lanjut else "hapus_tanda")
    return utas


@transaction.atomic
def komentar_resolve(*, user: Any, utas: Komentar) -> Komentar:
    """Mark the thread resolved, with who and when."""
    access.require_comment(user, utas.renja)
    _lock_report(utas.renja, utas.triwulan)
    utas = _thread_for_update(utas)
    if not can_close(user, utas):
        raise PermissionDenied(
            "Utas perlu tindak lanjut hanya dapat diselesaikan oleh verifikator Bappeda."
        )
    if not utas.selesai:
        utas.selesai = True
        utas.selesai_waktu = timezone.now()
        utas.selesai_oleh = user
        utas.save(update_fields=["selesai", "selesai_waktu", "selesai_oleh"])
        _record(user, utas, "selesai")
    return utas


@transaction.atomic
def komentar_reopen(*, user: Any, utas: Komentar) -> Komentar:
    """Open a resolved thread again (its flag, if any, stays)."""
    access.require_comment(user, utas.renja)
    _lock_report(utas.renja, utas.triwulan)
    utas = _thread_for_update(utas)
    if not can_close(user, utas):
        raise PermissionDenied(
            "Utas perlu tindak lanjut hanya dapat dibuka lagi oleh verifikator Bappeda."
        )
    if utas.selesai:
        utas.selesai = False
        utas.selesai_waktu = None
        utas.selesai_oleh = None
        utas.save(update_fields=["selesai", "selesai_waktu", "selesai_oleh"])
        _record(user, utas, "buka")
    return utas


# --- selectors ----------------------------------------------------------------------------


def _is_operator(user: Any) -> bool:
    return user is not None and access.peran(user) == Peran.OPERATOR


def nama(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else "-"


@dataclass
class Utas:
    """A thread: its first comment (which carries the state) and every comment in order."""

    akar: Komentar
    pesan: list[Komentar] = field(default_factory=list)

    @property
    def terbuka(self) -> bool:
        return not self.akar.selesai

    @property
    def tindak_lanjut(self) -> bool:
        return self.akar.perlu_tindak_lanjut and not self.akar.selesai

    @property
    def dijawab(self) -> bool:
        """An open thread whose last word is an operator's: it waits for Bappeda's look."""
        return self.terbuka and _is_operator(self.pesan[-1].penulis)

    @property
    def terakhir(self) -> Komentar:
        return self.pesan[-1]

    @property
    def sasaran(self) -> Sasaran:
        return sasaran_of_komentar(self.akar)


def _threads(comments: Iterable[Komentar]) -> list[Utas]:
    roots: dict[int, Utas] = {}
    replies: list[Komentar] = []
    for k in comments:
        if k.induk_id is None:
            roots[k.pk] = Utas(k, [k])
        else:
            replies.append(k)
    for k in replies:
        if k.induk_id in roots:
            roots[k.induk_id].pesan.append(k)
    return list(roots.values())


def _comments() -> Any:
    return Komentar.objects.select_related(
        "penulis__profil",
        "selesai_oleh",
        "indikator__simpul",
        "simpul",
        "renja__perangkat_daerah",
    ).order_by("waktu", "id")


def utas_laporan(renja: Renja, triwulan: int) -> list[Utas]:
    """Return every thread of the quarter's report, oldest first (one query)."""
    return _threads(_comments().filter(renja=renja, triwulan=triwulan))


def utas_baris(renja: Renja, triwulan: int, sasaran: Sasaran) -> list[Utas]:
    """Return the threads of one line of the quarter, open ones first, oldest first."""
    query = _comments().filter(renja=renja, triwulan=triwulan)
    if sasaran.indikator is not None:
        query = query.filter(indikator=sasaran.indikator)
    else:
        query = query.filter(simpul=sasaran.simpul)
    return sorted(_threads(query), key=lambda u: not u.terbuka)


@dataclass(frozen=True)
class Tanda:
    """What a line's mark says: its open threads, the flagged ones among them, the answered."""

    terbuka: int = 0
    tindak_lanjut: int = 0
    dijawab: int = 0
    selesai: int = 0


def tanda_laporan(
    renja: Renja, triwulan: int, threads: list[Utas] | None = None
) -> dict[str, Tanda]:
    """Return each line's mark (by cell id) of the quarter (of `threads`, else one query)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for utas in utas_laporan(renja, triwulan) if threads is None else threads:
        c = counts[utas.sasaran.sel]
        c[0] += utas.terbuka
        c[1] += utas.tindak_lanjut
        c[2] += utas.dijawab
        c[3] += not utas.terbuka
    return {sel: Tanda(*c) for sel, c in counts.items()}


@dataclass(frozen=True)
class BarisKomentar:
    """A line with an open thread, for the lists (report page, to-do, a return's text)."""

    renja: Renja
    triwulan: int
    sel: str
    label: str
    url: str
    tindak_lanjut: bool
    dijawab: bool
    terakhir_oleh: str
    terakhir_waktu: Any
    terakhir_teks: str

    @property
    def nama(self) -> str:
        return f"TW {ROMAWI[self.triwulan - 1]}"


def _lines(threads: Iterable[Utas], keep: Any) -> list[BarisKomentar]:
    found: dict[tuple[int, int, str], BarisKomentar] = {}
    for utas in threads:
        if not keep(utas):
            continue
        akar, sasaran = utas.akar, utas.sasaran
        key = (akar.renja_id, akar.triwulan, sasaran.sel)
        previous = found.get(key)
        if previous is not None and previous.terakhir_waktu >= utas.terakhir.waktu:
            continue  # one line per cell: the thread spoken in last
        found[key] = BarisKomentar(
            renja=akar.renja,
            triwulan=akar.triwulan,
            sel=sasaran.sel,
            label=sasaran.label,
            url=cell_url(akar.renja_id, akar.triwulan, sasaran.sel),
            tindak_lanjut=utas.tindak_lanjut or (previous is not None and previous.tindak_lanjut),
            dijawab=utas.dijawab,
            terakhir_oleh=nama(utas.terakhir.penulis),
            terakhir_waktu=utas.terakhir.waktu,
            terakhir_teks=utas.terakhir.teks,
        )
    return list(found.values())


def tindak_lanjut_terbuka(
    renja: Renja, triwulan: int, threads: list[Utas] | None = None
) -> list[BarisKomentar]:
    """Return the quarter's lines with an open thread flagged *perlu tindak lanjut* (of
    `threads`, else one query)."""
    found = utas_laporan(renja, triwulan) if threads is None else threads
    return _lines(found, lambda u: u.tindak_lanjut)


def tindak_lanjut_untuk(renja_ids: Iterable[int]) -> list[BarisKomentar]:
    """Return every open flagged line of these Renja, by Renja, quarter and line (one query)."""
    threads = _threads(_comments().filter(renja_id__in=list(renja_ids)))
    return _lines(threads, lambda u: u.tindak_lanjut)


def dijawab_untuk(renja_ids: Iterable[int]) -> list[BarisKomentar]:
    """Return every line whose open thread an operator answered last (one query)."""
    threads = _threads(_comments().filter(renja_id__in=list(renja_ids), selesai=False))
    lines = _lines(threads, lambda u: u.dijawab)
    return sorted(lines, key=lambda b: b.terakhir_waktu)


def return_text(renja: Renja, triwulan: int, catatan: str) -> str:
    """Return the text a return records: the verifier's note, then the flagged open lines."""
    lines = tindak_lanjut_terbuka(renja, triwulan)
    if not lines:
        return catatan
    items = "; ".join(b.label for b in lines)
    return f"{catatan}\nBaris perlu tindak lanjut ({len(lines)}): {items}."


def require_no_open_flag(renja: Renja, triwulan: int) -> None:
    """Refuse to accept a quarter while a thread flagged *perlu tindak lanjut* is open."""
    lines = tindak_lanjut_terbuka(renja, triwulan)
    if lines:
        raise Ditolak(
            f"Laporan TW {ROMAWI[triwulan - 1]} belum dapat diterima: {len(lines)} baris perlu "
            f"tindak lanjut belum selesai ({'; '.join(b.label for b in lines)}). Tandai "
            "selesai utasnya dulu, atau kembalikan laporan."
        )
