"""The history of a quarter's report, in order: every cycle event (submit, with the empty cells
it was submitted with; return, with the verifier's note; accept; unlock, with its reason) and
every comment event, each with who and when, named in Indonesian. Reads `Riwayat` only: the
cycle (`monev.web.siklus`) and the comments (`monev.web.komentar`) record every event there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from monev.web import siklus
from monev.web.komentar import PERISTIWA, cell_url, nama
from monev.web.models import LaporanTriwulan, Renja, Riwayat

Status = LaporanTriwulan.Status


@dataclass(frozen=True)
class Peristiwa:
    waktu: dt.datetime
    oleh: str
    jenis: str  # "status" or "komentar"
    peristiwa: str  # what happened, in words
    keterangan: str  # the note, the reason, the comment's line and text
    tautan: str = ""  # the comment's cell on the entry grid
    baris: str = ""  # the comment's line


def _status(record: Riwayat) -> tuple[str, str]:
    new, note = record.nilai_baru, record.keterangan
    if new == Status.DIAJUKAN:
        return "Diajukan ke Bappeda", note.replace("diajukan dengan", "Diajukan dengan")
    if new == Status.DIVERIFIKASI:
        return "Diterima (diverifikasi) dan dikunci", note
    reason = siklus.unlock_reason(note)
    if new == Status.DIKEMBALIKAN and reason is not None and reason.startswith("ikut"):
        return "Kunci dibuka ikut triwulan sebelumnya", reason
    if new == Status.DIKEMBALIKAN and reason is not None:
        return "Kunci dibuka admin", f"Alasan: {reason}"
    if new == Status.DIKEMBALIKAN:
        return "Dikembalikan ke operator", f"Catatan verifikator: {note}" if note else ""
    labels = dict(Status.choices)
    old = labels.get(record.nilai_lama, record.nilai_lama)
    return f"Status {old} → {labels.get(new, new)}", note


#: How archiving is recorded (`services.renja_arsip`), by its label.
ARSIP = {"ya": "Diarsipkan", "tidak": "Tidak diarsipkan"}


@dataclass(frozen=True)
class BarisRiwayat:
    """One history record as the history page shows it."""

    perubahan: str
    lama: str
    baru: str
    keterangan: str


def baris(record: Riwayat) -> BarisRiwayat:
    """Return a history record in words: a report's states by their Indonesian labels (never the
    codes stored), a transition named as the report's history names it."""
    if record.jenis != Riwayat.Jenis.STATUS:
        return BarisRiwayat(
            record.get_jenis_display(), record.nilai_lama, record.nilai_baru, record.keterangan
        )
    if record.kolom == "diarsipkan":
        old, new = (ARSIP.get(v, v) for v in (record.nilai_lama, record.nilai_baru))
        return BarisRiwayat("Arsip Renja", old, new, record.keterangan)
    labels = dict(Status.choices)
    old, new = (labels.get(v, v) for v in (record.nilai_lama, record.nilai_baru))
    if record.kolom == "tingkat":
        return BarisRiwayat("Tingkat persetujuan", old, new, record.keterangan)
    perubahan, keterangan = _status(record)
    return BarisRiwayat(perubahan, old, new, keterangan)


def peristiwa(renja: Renja, triwulan: int) -> list[Peristiwa]:
    """Return the quarter's report events, oldest first (one query)."""
    records = (
        Riwayat.objects.filter(
            renja=renja,
            triwulan=triwulan,
            jenis__in=(Riwayat.Jenis.STATUS, Riwayat.Jenis.KOMENTAR),
        )
        .select_related("pengguna")
        .order_by("waktu", "id")
    )
    out = []
    for r in records:
        if r.jenis == Riwayat.Jenis.STATUS:
            label, note = _status(r)
            out.append(Peristiwa(r.waktu, nama(r.pengguna), "status", label, note))
            continue
        sel = f"k-{r.indikator_id}" if r.indikator_id else f"rp-{r.simpul_id}"
        note = f"{r.keterangan}: {r.nilai_baru}" if r.nilai_baru else r.keterangan
        link = cell_url(renja.pk, triwulan, sel) if (r.indikator_id or r.simpul_id) else ""
        out.append(
            Peristiwa(
                r.waktu,
                nama(r.pengguna),
                "komentar",
                PERISTIWA.get(r.kolom, r.kolom),
                note,
                link,
                r.keterangan,
            )
        )
    return out
