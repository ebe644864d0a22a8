"""The rows a cell save reads, each as a `Prepared` query (compiled once per thread): an
operator saves cells many times a minute, and these few reads were most of a save's CPU cost.

Each is the query the ORM would run for the same question (`access.row_for`,
`siklus.require_entry`, the save's answer), written once here; `tests/web/test_sel_simpan.py`
checks them against those questions on both databases.
"""

from __future__ import annotations

from typing import Any

from monev.web.models import (
    VERSI_SEMENTARA,
    Indikator,
    Pemda,
    PerangkatDaerah,
    RealisasiK,
    RealisasiRp,
    Renja,
    Simpul,
)
from monev.web.prepared import Prepared, fields_of, instance

#: Sample ids and small numbers (in range for their fields, found nowhere else in the queries).
_ID = (2_147_480_001, 2_147_480_002, 2_147_480_003)
_SMALL = (32_701, 32_702)

_RENJA_PATH = {Indikator: "simpul__renja__", Simpul: "renja__"}


def _row_query(model: type[Indikator] | type[Simpul]) -> Prepared:
    path = _RENJA_PATH[model]
    between = [] if model is Simpul else fields_of(Simpul, "simpul__")

    def build(pk: int, renja_id: int, pd_id: int) -> Any:
        # `access.visible_renja` of an operator or a kepala PD: its own PD's Renja, not archived,
        # not the hidden row of an import in progress (`Renja.objects`).
        return (
            model.objects.filter(
                pk=pk,
                **{
                    f"{path}id": renja_id,
                    f"{path}perangkat_daerah_id": pd_id,
                    f"{path}diarsipkan": False,
                },
            )
            .exclude(**{f"{path}versi__startswith": VERSI_SEMENTARA})
            .values_list(
                *fields_of(model),
                *between,
                *fields_of(Renja, path),
                *fields_of(PerangkatDaerah, f"{path}perangkat_daerah__"),
                *fields_of(Pemda, f"{path}perangkat_daerah__pemda__"),
            )
        )

    return Prepared(build, *_ID)


_ROW = {Indikator: _row_query(Indikator), Simpul: _row_query(Simpul)}


def own_pd_row(model: type[Any], pk: int, renja_id: int, pd_id: int) -> Any:
    """Return the indicator or node `pk` of Renja `renja_id` of PD `pd_id` (a Renja of that PD an
    operator may open), its node, Renja, PD and pemda read with it; None if there is none."""
    row = _ROW[model].first(pk, renja_id, pd_id)
    if row is None:
        return None
    found, at = instance(model, row)
    simpul = found
    if model is Indikator:
        simpul, at = instance(Simpul, row, at)
        found.simpul = simpul
    renja, at = instance(Renja, row, at)
    pd, at = instance(PerangkatDaerah, row, at)
    pemda, _ = instance(Pemda, row, at)
    pd.pemda = pemda
    renja.perangkat_daerah = pd
    simpul.renja = renja
    return found


def _realisasi_query(model: type[RealisasiK] | type[RealisasiRp], key: str) -> Prepared:
    return Prepared(
        lambda ref, q: (
            model.objects.select_for_update()
            .filter(triwulan=q, **{key: ref})
            .values_list(*fields_of(model))
        ),
        _ID[0],
        _SMALL[0],
    )


_REALISASI = {
    RealisasiK: _realisasi_query(RealisasiK, "indikator_id"),
    RealisasiRp: _realisasi_query(RealisasiRp, "simpul_id"),
}


def realisasi_for_update(model: type[Any], ref: int, triwulan: int) -> Any:
    """Return the realisation row of an indicator (`RealisasiK`) or a node (`RealisasiRp`) and
    quarter, locked for the caller's transaction; None when it does not exist yet."""
    row = _REALISASI[model].first(ref, triwulan)
    return None if row is None else instance(model, row)[0]


def _user_query(pk: int) -> Any:
    from django.contrib.auth import get_user_model

    model = get_user_model()
    return model.objects.filter(pk=pk).values_list(*fields_of(model))


_USER = Prepared(_user_query, _ID[0])


def user_name(pk: int | None) -> str:
    """Return how a refused save names who changed the value last (full name, else user name)."""
    from django.contrib.auth import get_user_model

    row = _USER.first(pk) if pk is not None else None
    if row is None:
        return "pengguna lain"
    user = instance(get_user_model(), row)[0]
    return str(user.get_full_name() or user.username)
