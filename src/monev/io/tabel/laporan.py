"""The outputs of a table read: the check report (text, JSON), the mapping used, the flat rows.

Nothing is computed here: the figures come from the findings and the engine's checks.
"""

from __future__ import annotations

import json
from typing import Any

from monev.core.codes import Tingkat
from monev.core.model import Indikator
from monev.io.flat_rows import flat_row
from monev.io.tabel import HasilTabel, notasi
from monev.io.tabel.model import field_label


def _counts(hasil: HasilTabel) -> str:
    nodes = hasil.renja.nodes
    count = {t: sum(1 for n in nodes if n.tingkat is t) for t in Tingkat}
    lines = sum(len(n.indikator) for n in nodes)
    return (
        f"{count[Tingkat.PROGRAM]} program, {count[Tingkat.KEGIATAN]} kegiatan, "
        f"{count[Tingkat.SUB_KEGIATAN]} sub kegiatan, {lines} baris indikator"
    )


def mapping_lines(hasil: HasilTabel) -> list[str]:
    """Return the mapping used, table by table: each column's field and notation."""
    out: list[str] = []
    for table in hasil.tabel:
        place = ", ".join(
            p for p in (table.grid.berkas, table.grid.lembar and f"lembar {table.grid.lembar}") if p
        )
        rows = ", ".join(str(r + 1) for r in table.judul_baris)
        out.append(
            f"Tabel {table.nomor} ({place}, judul di baris {rows}, {len(table.baris)} baris):"
        )
        for kolom in table.kolom:
            if not kolom.judul and not kolom.isi:
                continue
            isi = field_label(kolom.isi) if kolom.isi else "tidak dikenal (diabaikan)"
            notation = hasil.bacaan.notasi.get((table.nomor, kolom.indeks))
            extra = f"; notasi {notasi.name(notation)}" if notation else ""
            given = " (dari pemetaan)" if kolom.dari_pemetaan else ""
            out.append(f"  kolom {kolom.indeks + 1} '{kolom.judul}' → {isi}{given}{extra}")
    for (nomor, side), (agregasi, sums, levels) in sorted(hasil.susunan.agregasi.items()):
        evidence = (
            f" ({sums} baris cocok sebagai jumlah, {levels} sebagai nilai terakhir)"
            if sums or levels
            else ""
        )
        out.append(
            f"Tabel {nomor}: realisasi {'Rp' if side == 'rp' else 'K'} dibaca {agregasi.value}{evidence}"
        )
    for kode, cocok in hasil.susunan.cocok.items():
        read = next((n for n in hasil.susunan.simpul if hasil.susunan.kode[id(n)] == kode), None)
        shown = read.nama if read is not None else kode
        source = " ".join(str(p) for p in (cocok.entri.regulasi, cocok.entri.tahun) if p)
        out.append(
            f"Nomenklatur: '{shown}' → {kode} '{cocok.entri.nama}'"
            f"{' (' + source + ')' if source else ''}, kemiripan {round(cocok.skor * 100)}%"
        )
    for gabung in hasil.susunan.gabungan:
        out.append(
            f"Digabung: '{gabung.k.nama}' (tabel {gabung.k.tabel}) dengan '{gabung.rp.nama}' "
            f"(tabel {gabung.rp.tabel}), kemiripan {round(gabung.skor * 100)}%"
        )
    return out


def render_text(hasil: HasilTabel) -> str:
    """Return the check report of a table read, in Bahasa Indonesia."""
    out = [f"PEMERIKSAAN TABEL: {hasil.berkas}", f"Terbaca: {_counts(hasil)}", ""]
    out.append("PEMETAAN KOLOM")
    out += mapping_lines(hasil)
    if hasil.susunan.sementara:
        out.append(
            f"{len(hasil.susunan.sementara)} simpul tanpa kode tercetak diberi kode sementara "
            "(diawali 0.00 atau bernomor 9x); kode sementara bukan kode nomenklatur"
        )
    figures = [t for t in hasil.temuan if t.jenis == "angka"]
    out += ["", f"ANGKA TERCETAK YANG TIDAK SESUAI ({len(figures)})"]
    out += [f"- {t}" for t in figures] or ["- tidak ada"]
    engine = hasil.pemeriksaan
    out += ["", f"PEMERIKSAAN ANGKA ({len(engine)})"]
    out += [f"- {p.kode}: {p.pesan}" for p in engine] or ["- tidak ada"]
    notes = [t for t in hasil.temuan if t.jenis != "angka"]
    if notes:
        out += ["", f"CATATAN PEMBACAAN ({len(notes)})"]
        out += [f"- {t}" for t in notes]
    return "\n".join(out) + "\n"


def render_json(hasil: HasilTabel) -> str:
    data: dict[str, Any] = {
        "berkas": hasil.berkas,
        "tabel": [
            {
                "nomor": t.nomor,
                "lembar": t.grid.lembar,
                "baris_judul": [r + 1 for r in t.judul_baris],
                "kolom": [
                    {
                        "kolom": k.indeks + 1,
                        "judul": k.judul,
                        "isi": k.isi,
                        "notasi": hasil.bacaan.notasi.get((t.nomor, k.indeks)),
                    }
                    for k in t.kolom
                ],
            }
            for t in hasil.tabel
        ],
        "pemetaan": json.loads(hasil.pemetaan.to_json()),
        "temuan": [
            {"jenis": t.jenis, "tempat": str(t.tempat), "pesan": t.pesan} for t in hasil.temuan
        ],
        "pemeriksaan": [
            {"kode": p.kode, "jenis": p.jenis.value, "pesan": p.pesan} for p in hasil.pemeriksaan
        ],
        "kode_sementara": sorted(hasil.susunan.sementara),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def flat_rows(hasil: HasilTabel) -> list[dict[str, str]]:
    """Return the plan as flat rows (one per indicator), with the place and notes of each node."""
    rows: list[dict[str, str]] = []
    read = {hasil.susunan.kode[id(s)]: s for s in hasil.susunan.simpul}
    for node in hasil.renja.nodes:
        simpul = read.get(node.kode)
        notes = list(simpul.catatan) if simpul is not None else []
        if node.kode in hasil.susunan.sementara:
            notes.insert(0, "kode sementara (tidak tercetak)")
        if simpul is not None and simpul.rekening:
            notes.append(f"Rp = jumlah {simpul.rekening} rekening")
        for number, item in enumerate(node.indikator or (Indikator(),)):
            first = number == 0
            row = flat_row(
                node,
                item,
                first,
                kode_asli=simpul.kode_asli if simpul is not None and first else "",
                catatan="; ".join(([item.asal] if item.asal else []) + (notes if first else [])),
            )
            rows.append(row)
    return rows
