"""Render the check of a legacy report as text or JSON. Nothing is computed here."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from monev.core.codes import Tingkat
from monev.core.numbers import decimal_text
from monev.io.legacy.check import CheckReport, Finding
from monev.io.legacy.model import Doubt, Notice, Place

_ROMAWI = ("I", "II", "III", "IV")


def _counts(check: CheckReport) -> dict[str, int]:
    renja = check.laporan.renja
    return {
        "program": sum(1 for n in renja.nodes if n.tingkat is Tingkat.PROGRAM),
        "kegiatan": sum(1 for n in renja.nodes if n.tingkat is Tingkat.KEGIATAN),
        "sub_kegiatan": sum(1 for n in renja.nodes if n.tingkat is Tingkat.SUB_KEGIATAN),
        "baris_indikator": sum(1 for _ in renja.indikator_lines()),
        "baris_ragu": sum(1 for line in check.laporan.baris if line.ragu),
    }


def _finding_line(finding: Finding) -> str:
    indikator = finding.indikator
    if len(indikator) > 50:
        indikator = indikator[:49] + "…"
    head = " ".join(
        part
        for part in (
            f"[{finding.tempat}]" if finding.tempat else "",
            finding.kode or "",
            f"({indikator})" if indikator else "",
        )
        if part
    )
    text = f"{finding.label}: {finding.pesan}"
    return f"- {head}: {text}" if head else f"- {text}"


def render_text(check: CheckReport) -> str:
    """Return the check as a readable report in Bahasa Indonesia."""
    report = check.laporan
    renja = report.renja
    counts = _counts(check)
    out = [f"PEMERIKSAAN LAPORAN: {report.berkas}"]
    who = " ".join(x for x in (renja.perangkat_daerah, renja.pemda) if x)
    if who:
        out.append(f"Perangkat daerah: {who}")
    if renja.tahun:
        out.append(f"Tahun: {renja.tahun}")
    out.append(f"Dihitung sampai dengan TW {_ROMAWI[check.evaluasi.triwulan - 1]}")
    out.append(
        f"Terbaca: {counts['program']} program, {counts['kegiatan']} kegiatan, "
        f"{counts['sub_kegiatan']} sub kegiatan, {counts['baris_indikator']} baris indikator "
        f"({counts['baris_ragu']} baris dengan sel yang tidak pasti)"
    )
    sections: list[tuple[str, list[str]]] = [
        (
            "ANGKA TERCETAK YANG TIDAK SAMA DENGAN HASIL HITUNG",
            [_finding_line(f) for f in check.temuan],
        ),
        ("SEL YANG TIDAK DAPAT DITEMPATKAN", [f"- {d}" for d in report.tak_terpasang]),
        ("SEL YANG DITEMPATKAN ATAU DIBACA DENGAN DUGAAN", [f"- {d}" for d in report.ragu]),
        ("PERINGATAN", [f"- {n}" for n in report.peringatan]),
    ]
    for title, lines in sections:
        out += ["", f"{title} ({len(lines)})"]
        out += lines or ["- tidak ada"]
    for signature in report.tanda_tangan:
        out += ["", "TANDA TANGAN"]
        for label, value in (
            ("Peran", signature.peran),
            ("Tempat, tanggal", signature.tempat_tanggal),
            ("Jabatan", signature.jabatan),
            ("Nama", signature.nama),
            ("NIP", signature.nip),
        ):
            if value:
                out.append(f"{label}: {value}")
    return "\n".join(out) + "\n"


def _place(tempat: Place | None) -> dict[str, Any] | None:
    if tempat is None:
        return None
    return {
        "berkas": tempat.berkas,
        "lembar": tempat.lembar,
        "tabel": tempat.tabel,
        "bagian": tempat.bagian,
        "baris": tempat.baris,
        "kolom": tempat.kolom,
    }


def _num(value: Decimal | None) -> str | None:
    return decimal_text(value)


def _doubt(doubt: Doubt) -> dict[str, Any]:
    return {"teks": doubt.teks, "alasan": doubt.alasan, "tempat": _place(doubt.tempat)}


def _notice(notice: Notice) -> dict[str, Any]:
    return {"pesan": notice.pesan, "tempat": _place(notice.tempat)}


def check_json(check: CheckReport) -> dict[str, Any]:
    """Return the check as a JSON document (numbers as decimal strings, as printed)."""
    report = check.laporan
    renja = report.renja
    return {
        "berkas": report.berkas,
        "perangkat_daerah": renja.perangkat_daerah or None,
        "pemda": renja.pemda or None,
        "tahun": renja.tahun,
        "triwulan": check.evaluasi.triwulan,
        "jumlah": _counts(check),
        "perbedaan": [
            {
                "jenis": f.jenis,
                "kode": f.kode,
                "indikator": f.indikator or None,
                "tercetak": _num(f.tercetak),
                "hitung": _num(f.hitung),
                "pesan": f.pesan,
                "tempat": _place(f.tempat),
            }
            for f in check.temuan
        ],
        "sel_tak_terpasang": [_doubt(d) for d in report.tak_terpasang],
        "sel_ragu": [_doubt(d) for d in report.ragu],
        "peringatan": [_notice(n) for n in report.peringatan],
        "ringkasan_tercetak": [
            {
                "jenis": s.jenis,
                "label": s.label,
                "kode": s.kode,
                "capaian": _num(s.capaian),
                "pagu": _num(s.pagu),
                "realisasi": _num(s.realisasi),
                "persen": _num(s.persen),
                "predikat_k": s.predikat_k or None,
                "predikat_rp": s.predikat_rp or None,
                "tempat": _place(s.tempat),
            }
            for s in report.ringkasan
        ],
        "tanda_tangan": [
            {
                "peran": s.peran or None,
                "tempat_tanggal": s.tempat_tanggal or None,
                "jabatan": s.jabatan or None,
                "nama": s.nama or None,
                "nip": s.nip or None,
            }
            for s in report.tanda_tangan
        ],
    }


def render_json(check: CheckReport) -> str:
    return json.dumps(check_json(check), ensure_ascii=False, indent=1) + "\n"
