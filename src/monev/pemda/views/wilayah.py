"""The regional summary (issue 17): every pemda the user may read as a whole (a province with its
kabupaten/kota, or the nation for the ministry) side by side, read from the stored rows only
(`monev.pemda.angka_sql`), per pemda or per urusan, bidang urusan or program; page and CSV.

The rows are not refreshed here: at national size that would evaluate every Renja in a request.
The background refresh and `monev kelola segarkan_angka` keep them fresh."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from monev.core.nomenclature import kode_key, nama_bidang, nama_urusan
from monev.core.rules import Pengaturan, Total
from monev.io import excel_csv
from monev.io.tabular import safe_cell
from monev.pemda import angka, angka_sql
from monev.pemda.angka_sql import Kelompok
from monev.pemda.views.common import PEMDA_ROLES, ROMAWI, csv_response, parse_int
from monev.web import access
from monev.web.models import Pemda, Renja
from monev.web.pengaturan import pengaturan_of

#: The groupings offered, in the selector's order (the first is the default).
KELOMPOK = {
    Kelompok.PEMDA: "per pemda",
    Kelompok.URUSAN: "per urusan",
    Kelompok.BIDANG: "per bidang urusan",
    Kelompok.PROGRAM: "per program",
}

#: The heading of the name column per grouping.
JUDUL = {
    Kelompok.PEMDA: "Pemda",
    Kelompok.URUSAN: "Urusan",
    Kelompok.BIDANG: "Bidang urusan",
    Kelompok.PROGRAM: "Program",
}


@dataclass(frozen=True)
class Baris:
    """One line of the table: a pemda (or a group of codes), or a province's subtotal."""

    kode: str
    nama: str
    jenis: str
    jumlah_pd: int
    total: Total
    pemda_id: int | None = None
    subtotal: bool = False


@dataclass(frozen=True)
class Rekap:
    tahun: int
    triwulan: int
    kelompok: Kelompok
    tahun_list: list[int]
    baris: list[Baris]
    total: Total
    jumlah_pd: int
    jumlah_pemda: int
    renja_berlaku: int
    renja_berangka: int
    renja_basi: int
    dihitung: Any
    sumber: list[str]
    #: The one pemda asked for (`?pemda=`), else None: every pemda the user may read.
    satu: Pemda | None = None

    @property
    def label(self) -> str:
        return JUDUL[self.kelompok]

    def query(self, **extra: Any) -> str:
        values: dict[str, Any] = {
            "tahun": self.tahun,
            "triwulan": self.triwulan,
            "kelompok": self.kelompok.value,
        }
        if self.satu is not None:
            values["pemda"] = self.satu.pk
        values.update(extra)
        return urlencode(values)


def _pengaturan(user: Any) -> Pengaturan:
    """The band set of the user's own pemda; the default one for the ministry."""
    home = access.home_pemda_id(user)
    return pengaturan_of(Pemda.objects.filter(pk=home).first() if home else None)


def _pemda_rows(
    pemda: list[Pemda], tahun: int, triwulan: int, pengaturan: Pengaturan
) -> list[Baris]:
    ids = [p.pk for p in pemda]
    sums = angka_sql.sums(ids, tahun, triwulan, Kelompok.PEMDA)
    counts = angka_sql.pd_counts(ids, tahun, triwulan, Kelompok.PEMDA)

    def line(p: Pemda) -> Baris:
        figures = angka_sql.combined(sums, [p.pk], pengaturan)
        return Baris("", p.nama, p.get_jenis_display(), counts.get(p.pk, 0), figures, p.pk)

    provinces = [p for p in pemda if p.jenis == Pemda.Jenis.PROVINSI]
    if len(provinces) < 2:  # one province (or none): its total is the table's total
        return [line(p) for p in pemda]
    rows: list[Baris] = []
    placed: set[int] = set()
    for prov in provinces:
        members = [prov] + [p for p in pemda if p.provinsi_id == prov.pk]
        rows.extend(line(p) for p in members)
        member_ids = [p.pk for p in members]
        rows.append(
            Baris(
                "",
                f"Jumlah {prov.nama} beserta kabupaten/kota",
                "",
                sum(counts.get(i, 0) for i in member_ids),
                angka_sql.combined(sums, member_ids, pengaturan),
                subtotal=True,
            )
        )
        placed.update(member_ids)
    rows.extend(line(p) for p in pemda if p.pk not in placed)
    return rows


def _group_rows(
    ids: list[int], tahun: int, triwulan: int, by: Kelompok, pengaturan: Pengaturan
) -> list[Baris]:
    totals = angka_sql.totals(ids, tahun, triwulan, pengaturan, by)
    counts = angka_sql.pd_counts(ids, tahun, triwulan, by)
    if by == Kelompok.URUSAN:
        nama = nama_urusan
    elif by == Kelompok.BIDANG:
        nama = nama_bidang
    else:
        names = angka_sql.program_names(ids, tahun, triwulan)

        def nama(kode: str) -> str:
            return names.get(kode, f"Program {kode}")

    jenis = KELOMPOK[by].removeprefix("per ")
    return [
        Baris(kode, nama(kode), jenis, counts.get(kode, 0), totals[kode])
        for kode in sorted(totals, key=kode_key)
    ]


def rekap_of(request: HttpRequest) -> Rekap:
    """Return the summary the query string asks for, over the pemda the user may read (or the
    one of them `?pemda=` names: a pulled pemda's figures per urusan, bidang or program)."""
    pemda = list(access.visible_pemda(request.user).order_by("nama"))
    asked_pemda = parse_int(request.GET.get("pemda"))
    satu = next((p for p in pemda if p.pk == asked_pemda), None)
    if satu is not None:
        pemda = [satu]
    ids = [p.pk for p in pemda]
    tahun_list = angka_sql.years(ids)
    tahun = parse_int(request.GET.get("tahun"))
    if tahun not in tahun_list:
        tahun = tahun_list[0] if tahun_list else 0
    triwulan = parse_int(request.GET.get("triwulan"))
    if triwulan not in (1, 2, 3, 4):
        triwulan = angka_sql.last_triwulan(ids, tahun)
    asked = request.GET.get("kelompok")
    by = Kelompok(asked) if asked in {k.value for k in KELOMPOK} else Kelompok.PEMDA
    pengaturan = _pengaturan(request.user)
    if by == Kelompok.PEMDA:
        rows = _pemda_rows(pemda, tahun, triwulan, pengaturan)
    else:
        rows = _group_rows(ids, tahun, triwulan, by, pengaturan)
    berlaku, berangka, dihitung = angka_sql.computed(ids, tahun)
    # Cheap even for the nation (about 0.1 s for 1 752 Renja: two queries), unlike a refresh.
    in_force = Renja.objects.filter(pk__in=angka_sql.renja_in_force(ids, tahun))
    basi = angka.stale(in_force.select_related("perangkat_daerah__pemda"))
    return Rekap(
        tahun=tahun,
        triwulan=triwulan,
        kelompok=by,
        tahun_list=tahun_list,
        baris=rows,
        total=angka_sql.total(ids, tahun, triwulan, pengaturan),
        jumlah_pd=angka_sql.pd_counts(ids, tahun, triwulan).get(None, 0),
        jumlah_pemda=len(pemda),
        renja_berlaku=berlaku,
        renja_berangka=berangka,
        renja_basi=len(basi),
        dihitung=dihitung,
        sumber=angka_sql.sources(ids, tahun),
        satu=satu,
    )


@require_GET
@access.role_required(*PEMDA_ROLES)
def wilayah(request: HttpRequest) -> HttpResponse:
    rekap = rekap_of(request)
    return render(
        request,
        "pemda/wilayah.html",
        {
            "rekap": rekap,
            "romawi": ROMAWI[rekap.triwulan - 1],
            "triwulan_list": [(q, ROMAWI[q - 1]) for q in range(1, 5)],
            "kelompok_list": list(KELOMPOK.items()),
        },
    )


COLUMNS = (
    "Kode",
    "Uraian",
    "Jenis",
    "Jumlah Perangkat Daerah",
    "Rata-rata capaian kinerja (%)",
    "Predikat kinerja",
    "Pagu (Rp)",
    "Realisasi (Rp)",
    "Realisasi anggaran (%)",
    "Predikat anggaran",
)


def _cells(kode: str, nama: str, jenis: str, jumlah_pd: int, t: Total) -> list[Any]:
    return [
        safe_cell(kode),
        safe_cell(nama),
        jenis,
        jumlah_pd,
        excel_csv.persen(t.rata_rata_capaian_k),
        t.predikat_k or "",
        excel_csv.angka(t.pagu, 2),
        excel_csv.angka(t.realisasi_rp, 2),
        excel_csv.persen(t.persen_realisasi_rp),
        t.predikat_rp or "",
    ]


@require_GET
@access.role_required(*PEMDA_ROLES)
def wilayah_csv(request: HttpRequest) -> HttpResponse:
    rekap = rekap_of(request)
    rows: list[list[Any]] = [list(COLUMNS)]
    rows += [_cells(b.kode, b.nama, b.jenis, b.jumlah_pd, b.total) for b in rekap.baris]
    rows.append(_cells("", "Jumlah", "", rekap.jumlah_pd, rekap.total))
    name = f"rekap-wilayah-{rekap.kelompok.value}-{rekap.tahun}-tw{rekap.triwulan}.csv"
    return csv_response(rows, name)
