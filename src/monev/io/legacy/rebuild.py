"""The data of a legacy report in the flat format (one line per indicator), for `--keluaran`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from monev.core.model import Indikator
from monev.core.numbers import decimal_text
from monev.io.flat import COLUMNS
from monev.io.legacy.model import LegacyReport
from monev.synthetic import write_flat_csv


def _text(value: Decimal | None) -> str:
    return decimal_text(value) or ""


def flat_rows(report: LegacyReport) -> list[dict[str, str]]:
    """Return the report's data as flat rows, one per indicator.

    A report read in part may lack a kegiatan's program or a sub kegiatan's kegiatan; such nodes
    are written as they are: the flat reader accepts them and the evaluation names them.
    """
    renja = report.renja
    rows: list[dict[str, str]] = []
    for node in renja.nodes:
        for number, item in enumerate(node.indikator or (Indikator(),)):
            line = report.indikator_baris.get((node.kode, number))
            first = number == 0
            row = dict.fromkeys(COLUMNS, "")
            row.update(
                kode=node.kode,
                kode_asli=line.kode_asli if line is not None and line.kode else "",
                tingkat=node.tingkat.value,
                nama=node.nama if first else "",
                indikator=item.teks,
                satuan=item.satuan,
                target_renstra_k=_text(item.target_renstra),
                realisasi_lalu_k=_text(item.realisasi_lalu),
                target_k=_text(item.target),
                target_volume=item.target_volume,
                polaritas=item.polaritas.value,
                agregasi_k=item.agregasi.value,
                agregasi_rp=node.agregasi_rp.value,
                unit_penanggung_jawab=node.unit,
                capaian_tercetak=_text(item.capaian_tercetak),
                catatan="; ".join(line.catatan) if line is not None else "",
            )
            for q in range(4):
                row[f"tw{q + 1}_k"] = _text(item.triwulan[q])
            if first:
                row.update(
                    target_renstra_rp=_text(node.target_renstra_rp),
                    realisasi_lalu_rp=_text(node.realisasi_lalu_rp),
                    pagu=_text(node.pagu),
                )
                for q in range(4):
                    row[f"tw{q + 1}_rp"] = _text(node.triwulan_rp[q])
            rows.append(row)
    return rows


def write_flat(report: LegacyReport, path: Path) -> None:
    """Write the report's data as a flat CSV."""
    write_flat_csv(path, flat_rows(report))
