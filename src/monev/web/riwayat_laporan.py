"""The history of a quarter's report, in order: every cycle event (submit, with the empty cells
it was submitted with; return, with the verifier's note; accept; unlock, with its reason) and
every comment event, each with who and when, named in Indonesian. Reads `Riwayat` only: the
cycle (`monev.web.siklus`) and the comments (`monev.web.komentar`) record every event there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
    if new == Status.DIKEMBALIKAN and note.startswith("buka kunci ikut"):
        return "Kunci dibuka ikut triwulan sebelumnya", note.removeprefix("buka kunci ")
    if new == Status.DIKEMBALIKAN and note.startswith("buka kunci:"):
        return "Kunci dibuka admin", "Alasan: " + note.removeprefix("buka kunci:").strip()
    if new == Status.DIKEMBALIKAN:
        return "Dikembalikan ke operator", f"Catatan verifikator: {note}" if note else ""
    labels = dict(Status.choices)
    old = labels.get(record.nilai_lama, record.nilai_lama)
    return f"Status {old} → {labels.get(new, new)}", note


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
