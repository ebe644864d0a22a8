"""One line of the flat format written from the engine's model: the inverse of `monev.io.flat`,
shared by every reader that rebuilds a plan (`monev periksa --keluaran`)."""

from __future__ import annotations

from decimal import Decimal

from monev.core.model import Indikator, Node
from monev.core.numbers import decimal_text
from monev.io.flat import COLUMNS


def _text(value: Decimal | None) -> str:
    return (decimal_text(value) or "") if value is not None else ""


def flat_row(
    node: Node, item: Indikator, first: bool, *, kode_asli: str, catatan: str
) -> dict[str, str]:
    """Return the flat line of one indicator of a node; the node's own columns (name, Rp) on its
    first line only, as the format writes them."""
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        kode=node.kode,
        kode_asli=kode_asli,
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
        catatan=catatan,
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
    return row
