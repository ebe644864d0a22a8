"""Verified quarters built with the services, and a transport that serves a Django test client
as if it were another server (the pull reads it through the same checks as a real answer)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from monev.pemda.tarik_http import Jawaban
from monev.web import selectors, services, siklus
from monev.web.models import Indikator, LaporanTriwulan

NARASI = dict.fromkeys(LaporanTriwulan.NARASI, "ada")
BASE = "http://sumber.test"


def accept(operator: Any, verifikator: Any, renja: Any, triwulan: int) -> None:
    """The operator writes the narrative and submits, the verifier accepts."""
    services.laporan_narasi_update(
        user=operator,
        renja=renja,
        triwulan=triwulan,
        narasi=NARASI,
        versi=selectors.versi_laporan(renja, triwulan),
    )
    siklus.laporan_submit(user=operator, renja=renja, triwulan=triwulan)
    siklus.laporan_verify(user=verifikator, renja=renja, triwulan=triwulan)


def correct_and_accept_again(
    admin: Any, operator: Any, verifikator: Any, renja: Any, nilai: Decimal
) -> None:
    """An admin reopens TW I, the operator corrects a realisation, the verifier accepts again."""
    siklus.laporan_unlock(user=admin, renja=renja, triwulan=1, alasan="koreksi realisasi")
    indikator = (
        Indikator.objects.filter(simpul__renja=renja, simpul__tingkat="sub_kegiatan")
        .order_by("simpul__urutan", "urutan")
        .first()
    )
    assert indikator is not None
    services.realisasi_k_update(
        user=operator,
        indikator=indikator,
        triwulan=1,
        nilai=nilai,
        versi=selectors.versi_k(indikator, 1),
    )
    siklus.laporan_submit(user=operator, renja=renja, triwulan=1)
    siklus.laporan_verify(user=verifikator, renja=renja, triwulan=1)


class ClientTransport:
    """Serve GETs of `BASE…` from a Django test client; record every request; let a test
    rewrite an answer (`rewrite(url, status, headers, body) -> Jawaban`)."""

    def __init__(self, client: Any, rewrite: Any = None) -> None:
        self.client = client
        self.rewrite = rewrite
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.answers: list[int] = []

    def __call__(self, url: str, headers: dict[str, str]) -> Jawaban:
        assert url.startswith(BASE), url
        self.requests.append((url, dict(headers)))
        response = self.client.get(url[len(BASE) :], headers=headers)
        answer = Jawaban(
            response.status_code,
            {k.lower(): v for k, v in response.headers.items()},
            response.content,
        )
        if self.rewrite is not None:
            answer = self.rewrite(url, answer)
        self.answers.append(answer.status)
        return answer


def pulled_rows(sumber_nama: str, pd_kode: str, tahun: int, triwulan: int) -> dict[str, Any]:
    """Return the rows pulled from a source for a PD quarter, written back in the document form
    of `export_rows` (its `simpul` and `indikator`), to compare with what the source served."""
    from monev.pemda import angka
    from monev.pemda.models import AngkaIndikator, AngkaSimpul

    where = {"sumber": sumber_nama, "pd_kode": pd_kode, "tahun": tahun, "triwulan": triwulan}
    simpul = (
        AngkaSimpul.objects.filter(**where)
        .order_by("urutan")
        .values("urutan", "kode", *angka.KOLOM_SIMPUL)
    )
    lines = AngkaIndikator.objects.filter(**where).order_by("urutan")
    skip = angka.common_skip
    return {
        "simpul": [{c: angka._out(c, v) for c, v in r.items() if c not in skip} for r in simpul],
        "indikator": [
            {c: angka._out(c, v) for c, v in r.items() if c not in skip}
            for r in lines.values("urutan", *angka.KOLOM_INDIKATOR)
        ],
    }


def served_rows(item: dict[str, Any]) -> dict[str, Any]:
    return {"simpul": item["angka"]["simpul"], "indikator": item["angka"]["indikator"]}
