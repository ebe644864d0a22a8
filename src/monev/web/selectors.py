"""Reads: plain data with the queries they need (a fixed number, never one per row)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Subquery
from django.utils import timezone

from monev.core import model as core
from monev.core.budget import roll_up
from monev.core.checks import Sisi
from monev.core.codes import Tingkat
from monev.core.evaluation import Evaluasi, evaluate
from monev.core.model import Quarters
from monev.core.rules import Agregasi, Pengaturan, Polaritas
from monev.web.models import (
    Indikator,
    JendelaEntri,
    LaporanTriwulan,
    PengecualianJendela,
    PerangkatDaerah,
    RealisasiK,
    RealisasiRp,
    Renja,
    Riwayat,
    Simpul,
)
from monev.web.persetujuan import Level, level_at, levels_by_pemda
from monev.web.prepared import Prepared, fields_of, instance


def _quarters(values: dict[int, Decimal | None]) -> Quarters:
    return (values.get(1), values.get(2), values.get(3), values.get(4))


def _node(
    s: Simpul,
    indikator: list[Indikator],
    realisasi_k: dict[int, dict[int, Decimal | None]],
    realisasi_rp: dict[int, Decimal | None],
    renstra_k: dict[int, tuple[Decimal | None, Decimal | None]] | None = None,
    renstra_rp: dict[int, tuple[Decimal | None, Decimal | None]] | None = None,
) -> core.Node:
    """Return a stored node as the engine reads it (one builder for a whole Renja and one row);
    columns 6 and 7 from the linked Renstra where given."""
    renstra_k = renstra_k or {}
    renstra_rp = renstra_rp or {}
    return core.Node(
        kode=s.kode,
        tingkat=Tingkat(s.tingkat),
        nama=s.nama,
        indikator=tuple(
            core.Indikator(
                teks=i.teks,
                satuan=i.satuan,
                target_renstra=renstra_k.get(i.pk, (i.target_renstra,))[0],
                realisasi_lalu=renstra_k.get(i.pk, (None, i.realisasi_lalu))[1],
                target=i.target,
                target_volume=i.target_volume,
                triwulan=_quarters(realisasi_k.get(i.pk, {})),
                polaritas=Polaritas(i.polaritas),
                agregasi=Agregasi(i.agregasi),
                ref=i.pk,
            )
            for i in indikator
        ),
        pagu=s.pagu,
        triwulan_rp=_quarters(realisasi_rp),
        target_renstra_rp=renstra_rp.get(s.pk, (s.target_renstra_rp,))[0],
        realisasi_lalu_rp=renstra_rp.get(s.pk, (None, s.realisasi_lalu_rp))[1],
        agregasi_rp=Agregasi(s.agregasi_rp),
        unit=s.unit_kerja,
        sasaran=s.sasaran,
        ref=s.pk,
    )


@dataclass(frozen=True)
class RenjaData:
    """A Renja's rows as loaded, and the engine's view of it."""

    simpul: list[Simpul]
    indikator: dict[int, list[Indikator]]
    realisasi_k: dict[int, dict[int, Decimal | None]]
    realisasi_rp: dict[int, dict[int, Decimal | None]]
    #: The stored version of each realisation, keyed ("k", indikator id | "rp", simpul id, quarter).
    versi: dict[tuple[str, int, int], int]
    core: core.Renja


def renja_data(renja: Renja, *, dengan_renstra: bool = True) -> RenjaData:
    """Load a Renja's tree, indicators and realisations in four queries.

    A Renja linked to its Renstra takes columns 6 and 7 from it (`monev.renstra.selectors`):
    the end target, and the verified realisation of the earlier years; `dengan_renstra=False`
    keeps the typed columns (an earlier year's own figures need no columns 6 and 7).
    """
    simpul_rows = Simpul.objects.filter(renja=renja).order_by("urutan")
    if dengan_renstra:  # the node's link to the Renstra (monev.renstra), in the same query
        simpul_rows = simpul_rows.select_related("tautan_renstra")
    simpul = list(simpul_rows)
    indikator: dict[int, list[Indikator]] = defaultdict(list)
    for item in Indikator.objects.filter(simpul__renja=renja).order_by("simpul_id", "urutan", "id"):
        indikator[item.simpul_id].append(item)
    realisasi_k: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    versi: dict[tuple[str, int, int], int] = {}
    for indikator_id, triwulan, nilai, v in RealisasiK.objects.filter(
        indikator__simpul__renja=renja
    ).values_list("indikator_id", "triwulan", "nilai", "versi"):
        realisasi_k[indikator_id][triwulan] = nilai
        versi[("k", indikator_id, triwulan)] = v
    realisasi_rp: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for simpul_id, triwulan, nilai, v in RealisasiRp.objects.filter(
        simpul__renja=renja
    ).values_list("simpul_id", "triwulan", "nilai", "versi"):
        realisasi_rp[simpul_id][triwulan] = nilai
        versi[("rp", simpul_id, triwulan)] = v

    pd = renja.perangkat_daerah
    renstra_k: dict[int, tuple[Decimal | None, Decimal | None]] = {}
    renstra_rp: dict[int, tuple[Decimal | None, Decimal | None]] = {}
    if dengan_renstra and any(hasattr(s, "tautan_renstra") for s in simpul):
        from monev.renstra.selectors import kolom_renstra

        kolom = kolom_renstra(renja)
        if kolom is not None:
            renstra_k, renstra_rp = kolom.k, kolom.rp
    nodes = tuple(
        _node(
            s,
            indikator.get(s.pk, []),
            realisasi_k,
            realisasi_rp.get(s.pk, {}),
            renstra_k,
            renstra_rp,
        )
        for s in simpul
    )
    return RenjaData(
        simpul=simpul,
        indikator=indikator,
        realisasi_k=realisasi_k,
        realisasi_rp=realisasi_rp,
        versi=versi,
        core=core.Renja(nodes, perangkat_daerah=pd.nama, pemda=pd.pemda.nama, tahun=renja.tahun),
    )


def renja_evaluasi(
    renja: Renja, triwulan: int | None = None, pengaturan: Pengaturan | None = None
) -> Evaluasi:
    """Return the engine's evaluation of a stored Renja (the only source of its figures), with
    its pemda's settings unless others are given."""
    from monev.web.pengaturan import pengaturan_of_renja

    return evaluate(renja_data(renja).core, triwulan, pengaturan or pengaturan_of_renja(renja))


def versi_k(indikator: Indikator, triwulan: int) -> int:
    """Return the version of an indicator's stored realisation of a quarter (0: none stored),
    the one a write based on that value carries."""
    row = RealisasiK.objects.filter(indikator=indikator, triwulan=triwulan).values("versi").first()
    return row["versi"] if row else 0


def versi_rp(simpul: Simpul, triwulan: int) -> int:
    """Return the version of a node's stored budget realisation of a quarter (0: none stored)."""
    row = RealisasiRp.objects.filter(simpul=simpul, triwulan=triwulan).values("versi").first()
    return row["versi"] if row else 0


def versi_laporan(renja: Renja, triwulan: int) -> int:
    """Return the version of a quarter's report (its narrative; 0: none written yet)."""
    row = LaporanTriwulan.objects.filter(renja=renja, triwulan=triwulan).values("versi").first()
    return row["versi"] if row else 0


def laporan_of(renja: Renja, triwulan: int) -> LaporanTriwulan:
    """Return the quarter's report, unsaved and empty when none has been written yet."""
    found = LaporanTriwulan.objects.filter(renja=renja, triwulan=triwulan).first()
    return found or LaporanTriwulan(renja=renja, triwulan=triwulan)


@dataclass(frozen=True)
class EntriK:
    indikator: Indikator
    simpul: Simpul
    nilai: list[Decimal | None]  # TW I–IV
    versi: int  # of the quarter being entered (0 when nothing is stored yet)


@dataclass(frozen=True)
class EntriRp:
    simpul: Simpul
    nilai: list[Decimal | None]
    versi: int


@dataclass(frozen=True)
class EntriBaris:
    simpul: Simpul
    k: list[EntriK]
    rp: EntriRp | None  # only on nodes without children: budgets are entered where they are spent
    #: The pagu in force: the node's own, else the sum of its children's (spec §5, core.budget).
    pagu: Decimal | None = None


def entri_rows(renja: Renja, triwulan: int, data: RenjaData | None = None) -> list[EntriBaris]:
    """Return the rows of the quarterly entry page: every indicator, and Rp of every leaf node."""
    data = data or renja_data(renja, dengan_renstra=False)  # entry shows no columns 6 and 7
    parents = {s.induk_id for s in data.simpul if s.induk_id}
    anggaran = roll_up(data.core)
    rows = []
    for s in data.simpul:
        k = [
            EntriK(
                i,
                s,
                [data.realisasi_k.get(i.pk, {}).get(q) for q in range(1, 5)],
                data.versi.get(("k", i.pk, triwulan), 0),
            )
            for i in data.indikator.get(s.pk, [])
        ]
        rp = None
        if s.pk not in parents:
            rp = EntriRp(
                s,
                [data.realisasi_rp.get(s.pk, {}).get(q) for q in range(1, 5)],
                data.versi.get(("rp", s.pk, triwulan), 0),
            )
        rows.append(EntriBaris(s, k, rp, anggaran[s.kode].pagu))
    return rows


@dataclass(frozen=True)
class Temuan:
    """A finding of the engine shown before submitting, with the id of the cell it points at."""

    sel: str  # "k-<indikator id>", "rp-<simpul id>", or "baris-<simpul id>" (no entry cell)
    tempat: str  # where, as the operator reads it: the code, the indicator, the quarter
    pesan: str
    #: On the line's entry cell of the quarter (marked there), not on another quarter or a row.
    di_sel: bool

    @property
    def anchor(self) -> str:
        """The id of the element a link to the finding goes to: its cell, or its row."""
        return self.sel if self.sel.startswith("baris-") else f"sel-{self.sel}"


@dataclass(frozen=True)
class EntriGrid:
    """Everything the entry grid shows besides the stored values: the engine's capaian and
    predikat of every row, its findings, and the cells changed since the last verification."""

    rows: list[EntriBaris]
    evaluasi: Evaluasi
    temuan: list[Temuan]
    #: Cell id ("k-12", "rp-7") -> the findings' messages on it.
    temuan_sel: dict[str, list[str]]
    berubah: set[str]


def _temuan(evaluasi: Evaluasi, data: RenjaData, leaves: set[int]) -> list[Temuan]:
    from monev.web.entri_html import on_cell, pesan_temuan

    by_kode: dict[str, Simpul] = {}
    for s in data.simpul:
        by_kode.setdefault(s.kode, s)
    triwulan = evaluasi.triwulan
    found = []
    for p in evaluasi.pemeriksaan:
        simpul = by_kode.get(p.kode)
        if simpul is None:
            continue
        items = data.indikator.get(simpul.pk, [])
        nomor = p.nomor_indikator
        if p.sisi is Sisi.K and nomor is not None and nomor < len(items):
            sel, apa = f"k-{items[nomor].pk}", items[nomor].teks or "(tanpa indikator)"
        elif p.sisi is Sisi.RP and simpul.pk in leaves:
            sel, apa = f"rp-{simpul.pk}", "anggaran"
        else:
            sel, apa = f"baris-{simpul.pk}", "anggaran" if p.sisi is Sisi.RP else p.indikator
        kolom, _, _ = sel.partition("-")
        di_sel = kolom != "baris" and on_cell(p, kolom, nomor, triwulan)
        tempat = " · ".join(part for part in (p.kode, apa, p.tempat) if part)
        found.append(Temuan(sel, tempat, pesan_temuan(p), di_sel))
    return found


def _verifications(renja_id: int, triwulan: int) -> Any:
    """The records of the quarter's acceptances, the last first."""
    return Riwayat.objects.filter(
        renja_id=renja_id,
        triwulan=triwulan,
        jenis=Riwayat.Jenis.STATUS,
        nilai_baru=LaporanTriwulan.Status.DIVERIFIKASI,
    ).order_by("-waktu", "-id")


def berubah_sejak_verifikasi(renja: Renja, triwulan: int) -> set[str]:
    """Return the cells ("k-12", "rp-7") whose value changed after the quarter was last accepted."""
    last = _verifications(renja.pk, triwulan).values_list("waktu", flat=True).first()
    if last is None:
        return set()
    changed = set()
    for jenis, indikator_id, simpul_id in Riwayat.objects.filter(
        renja=renja,
        triwulan=triwulan,
        jenis__in=[Riwayat.Jenis.REALISASI_K, Riwayat.Jenis.REALISASI_RP],
        waktu__gt=last,
    ).values_list("jenis", "indikator_id", "simpul_id"):
        if jenis == Riwayat.Jenis.REALISASI_K:
            changed.add(f"k-{indikator_id}")
        else:
            changed.add(f"rp-{simpul_id}")
    return changed


def entri_grid(renja: Renja, triwulan: int) -> EntriGrid:
    """Return the entry grid's rows with the engine's evaluation up to the quarter."""
    from monev.web.pengaturan import pengaturan_of_renja

    data = renja_data(renja, dengan_renstra=False)  # the grid shows no columns 6 and 7
    rows = entri_rows(renja, triwulan, data)
    evaluasi = evaluate(data.core, triwulan, pengaturan_of_renja(renja))
    leaves = {row.simpul.pk for row in rows if row.rp}
    temuan = _temuan(evaluasi, data, leaves)
    temuan_sel: dict[str, list[str]] = defaultdict(list)
    for t in temuan:
        if t.di_sel:
            temuan_sel[t.sel].append(t.pesan)
    return EntriGrid(
        rows, evaluasi, temuan, dict(temuan_sel), berubah_sejak_verifikasi(renja, triwulan)
    )


# A cell save's answer reads these (prepared: compiled once per thread, `monev.web.prepared`).
_LINES = Prepared(
    # A node's indicators, each with its realisations (one row per quarter stored; a line with
    # none has one row whose quarter is None): one query.
    lambda simpul: (
        Indikator.objects.filter(simpul_id=simpul)
        .order_by("urutan", "id", "realisasi__triwulan")
        .values_list(*fields_of(Indikator), "realisasi__triwulan", "realisasi__nilai")
    ),
    2_147_480_001,
)
_NODE_RP = Prepared(
    lambda simpul: RealisasiRp.objects.filter(simpul_id=simpul).values_list("triwulan", "nilai"),
    2_147_480_001,
)


def _changed_query(jenis: str, ref: str) -> Prepared:
    def build(renja: int, triwulan: int, pk: int) -> Any:
        verified = _verifications(renja, triwulan).values("waktu")[:1]
        return Riwayat.objects.filter(
            renja_id=renja,
            triwulan=triwulan,
            jenis=jenis,
            waktu__gt=Subquery(verified),
            **{ref: pk},
        ).values_list("id")[:1]

    return Prepared(build, 2_147_480_001, 32_701, 2_147_480_002)


_CHANGED = {
    "k": _changed_query(Riwayat.Jenis.REALISASI_K, "indikator_id"),
    "rp": _changed_query(Riwayat.Jenis.REALISASI_RP, "simpul_id"),
}


def berubah_sel(renja: Renja, triwulan: int, kolom: str, ref: int) -> bool:
    """Tell whether one cell ("k" of an indicator, "rp" of a node) changed after the quarter was
    last accepted (`berubah_sejak_verifikasi` for one cell, in one query)."""
    return _CHANGED[kolom].first(renja.pk, triwulan, ref) is not None


def evaluasi_simpul(
    simpul: Simpul, triwulan: int, pengaturan: Pengaturan, *, sisi: str | None = None
) -> Evaluasi:
    """Return the engine's evaluation of one node alone, up to a quarter, with the pemda's
    settings (two queries; `sisi="k"` or `sisi="rp"` one).

    An indicator's capaian and a leaf's budget capaian depend on their own figures only, so this
    is what the whole Renja's evaluation shows on that row, at a fraction of its cost; a save's
    answer carries it. The findings are the row's own (a fall, a missing target, over the pagu).
    `sisi`: only the side a cell save answers for is read: "k" its indicators without the budget
    realisations, "rp" its budget without the indicators (no finding of one side reads the
    other's figures, `monev.core.checks`).
    """
    indikator: list[Indikator] = []
    realisasi_k: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    if sisi != "rp":
        for row in _LINES.rows(simpul.pk):
            line, at = instance(Indikator, row)
            if not indikator or indikator[-1].pk != line.pk:
                indikator.append(line)
            if row[at] is not None:
                realisasi_k[line.pk][row[at]] = row[at + 1]
    realisasi_rp: dict[int, Decimal | None] = {}
    if sisi != "k":
        realisasi_rp = dict(_NODE_RP.rows(simpul.pk))
    node = _node(simpul, indikator, realisasi_k, realisasi_rp)
    return evaluate(core.Renja((node,)), triwulan, pengaturan)


def sel_kosong(renja: Renja, triwulan: int) -> int:
    """Return how many entry cells of the quarter hold no value: indicators (K) and leaf budgets."""
    filled_k = RealisasiK.objects.filter(
        indikator__simpul__renja=renja, triwulan=triwulan, nilai__isnull=False
    ).values("indikator_id")
    filled_rp = RealisasiRp.objects.filter(
        simpul__renja=renja, triwulan=triwulan, nilai__isnull=False
    ).values("simpul_id")
    k = Indikator.objects.filter(simpul__renja=renja).exclude(pk__in=filled_k).count()
    rp = Simpul.objects.filter(renja=renja, anak__isnull=True).exclude(pk__in=filled_rp).count()
    return k + rp


def riwayat_indikator(indikator: Indikator) -> list[Riwayat]:
    return list(
        Riwayat.objects.filter(indikator=indikator)
        .select_related("pengguna")
        .order_by("-waktu", "-id")
    )


def riwayat_simpul(simpul: Simpul) -> list[Riwayat]:
    return list(
        Riwayat.objects.filter(simpul=simpul, indikator__isnull=True)
        .select_related("pengguna")
        .order_by("-waktu", "-id")
    )


def riwayat_status(renja: Renja) -> list[Riwayat]:
    """Return the Renja's quarterly transitions (unlocks with their reasons among them)."""
    return list(
        Riwayat.objects.filter(renja=renja, jenis=Riwayat.Jenis.STATUS)
        .select_related("pengguna")
        .order_by("-waktu", "-id")
    )


@dataclass(frozen=True)
class SelPapan:
    status: str
    terakhir: Riwayat | None  # the last transition (who, what, when)
    ubah_setelah_diterima: int  # changes made to the quarter after it was first accepted
    jendela_terbuka: bool
    #: The approval level a submitted report waits at (None in every other state).
    menunggu: Level | None = None


@dataclass(frozen=True)
class BarisPapan:
    perangkat_daerah: PerangkatDaerah
    renja: Renja | None
    sel: list[SelPapan]  # TW I–IV


def papan_status(perangkat_daerah: list[PerangkatDaerah], tahun: int) -> list[BarisPapan]:
    """Return every PD × quarter with its state, in a fixed number of queries."""
    pd_ids = [pd.pk for pd in perangkat_daerah]
    renja_by_pd: dict[int, Renja] = {}
    for renja in Renja.objects.filter(
        perangkat_daerah_id__in=pd_ids, tahun=tahun, berlaku=True, diarsipkan=False
    ).order_by("pk"):
        renja_by_pd[renja.perangkat_daerah_id] = renja  # the newest version in force wins
    renja_ids = [r.pk for r in renja_by_pd.values()]
    status = {}
    position = {}
    for renja_id, q, s, tingkat in LaporanTriwulan.objects.filter(
        renja_id__in=renja_ids
    ).values_list("renja_id", "triwulan", "status", "tingkat"):
        status[(renja_id, q)] = s
        position[(renja_id, q)] = tingkat
    levels = levels_by_pemda({pd.pemda_id for pd in perangkat_daerah})
    last: dict[tuple[int, int], Riwayat] = {}
    accepted: dict[tuple[int, int], object] = {}
    for record in (
        Riwayat.objects.filter(renja_id__in=renja_ids, jenis=Riwayat.Jenis.STATUS)
        .select_related("pengguna")
        .order_by("waktu", "id")
    ):
        key = (record.renja_id, record.triwulan or 0)
        last[key] = record
        if record.nilai_baru == LaporanTriwulan.Status.DIVERIFIKASI and key not in accepted:
            accepted[key] = record.waktu
    after: dict[tuple[int, int], int] = defaultdict(int)
    if accepted:
        since = min(accepted.values())  # type: ignore[type-var]
        for renja_id, q, waktu in Riwayat.objects.filter(
            renja_id__in=renja_ids,
            jenis__in=[Riwayat.Jenis.REALISASI_K, Riwayat.Jenis.REALISASI_RP, Riwayat.Jenis.NARASI],
            waktu__gt=since,
        ).values_list("renja_id", "triwulan", "waktu"):
            first = accepted.get((renja_id, q or 0))
            if first is not None and waktu > first:  # type: ignore[operator]
                after[(renja_id, q or 0)] += 1
    pemda_ids = {pd.pemda_id for pd in perangkat_daerah}
    windows = {
        (pemda_id, q): (terbuka, batas)
        for pemda_id, q, terbuka, batas in JendelaEntri.objects.filter(
            pemda_id__in=pemda_ids, tahun=tahun
        ).values_list("pemda_id", "triwulan", "terbuka", "batas")
    }
    exceptions = {
        (pd_id, q): terbuka
        for pd_id, q, terbuka in PengecualianJendela.objects.filter(
            perangkat_daerah_id__in=pd_ids, tahun=tahun
        ).values_list("perangkat_daerah_id", "triwulan", "terbuka")
    }
    today = timezone.localdate()

    def is_open(pd: PerangkatDaerah, q: int) -> bool:
        if (pd.pk, q) in exceptions:
            return exceptions[(pd.pk, q)]
        terbuka, batas = windows.get((pd.pemda_id, q), (False, None))
        return bool(terbuka) and (batas is None or today <= batas)

    rows = []
    for pd in perangkat_daerah:
        renja = renja_by_pd.get(pd.pk)
        if renja is not None:
            # The PD is at hand: a page naming the Renja's PD (a queue) asks no query per row.
            renja.perangkat_daerah = pd
        cells = []
        for q in range(1, 5):
            key = (renja.pk, q) if renja else (0, q)
            cells.append(
                SelPapan(
                    status=status.get(key, LaporanTriwulan.Status.DRAF),
                    terakhir=last.get(key),
                    ubah_setelah_diterima=after.get(key, 0),
                    jendela_terbuka=is_open(pd, q),
                    menunggu=(
                        level_at(levels[pd.pemda_id], position[key])
                        if status.get(key) == LaporanTriwulan.Status.DIAJUKAN
                        else None
                    ),
                )
            )
        rows.append(BarisPapan(pd, renja, cells))
    return rows
