"""The pemda dashboard's rows, filters, sort order and charts, from the PDs' figures.

Views parse the request into `Saringan`, call `build`, and render. Every figure here is a PD's
evaluation (`summary.RingkasanPD`) or the pemda's total by the engine's rules (`summary.total`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from monev.core.consolidation import Bagian, Konsolidasi, consolidate
from monev.core.numbers import round_half_up
from monev.core.rules import Pengaturan, Total
from monev.pemda import charts
from monev.pemda.projection import alasan, alasan_rata_rata
from monev.pemda.selectors import PDTahun, PemdaTahun
from monev.pemda.summary import (
    AngkaTriwulan,
    pemda_plan_persen,
    pemda_total,
    ranks,
    shown_change,
)
from monev.web.models import LaporanTriwulan

ROMAWI = ("I", "II", "III", "IV")
Status = LaporanTriwulan.Status
STATUS_LABEL = dict(Status.choices)
STATUS_ORDER = {Status.DRAF: 0, Status.DIKEMBALIKAN: 1, Status.DIAJUKAN: 2, Status.DIVERIFIKASI: 3}
PREDIKAT = charts.PREDIKAT
BELUM = "belum"
#: Bars shown at most in the dashboard's chart of programs (the lowest capaian first).
MAKS_PROGRAM = 30


@dataclass(frozen=True)
class Saringan:
    """The dashboard's filters and sort order, as given in the query string."""

    status: str = ""
    predikat: str = ""  # a predikat K, or BELUM for no capaian yet
    peringatan: bool = False
    cari: str = ""
    urut: str = "kode"
    arah: str = "naik"

    @classmethod
    def parse(cls, query: Mapping[str, str], predikat_k: Sequence[str] = PREDIKAT) -> Saringan:
        """Read the filters; `predikat_k`: the names the pemda's K band set gives."""
        status = query.get("status", "")
        predikat = query.get("predikat", "")
        urut = query.get("urut", "kode")
        return cls(
            status=status if status in STATUS_LABEL else "",
            predikat=predikat if predikat in (*predikat_k, BELUM) else "",
            peringatan=query.get("peringatan") == "1",
            cari=query.get("cari", "").strip()[:100],
            urut=urut if urut in SORT_KEYS else "kode",
            arah="turun" if query.get("arah") == "turun" else "naik",
        )

    def query(self, **changes: Any) -> dict[str, str]:
        values = {
            "status": self.status,
            "predikat": self.predikat,
            "peringatan": "1" if self.peringatan else "",
            "cari": self.cari,
            "urut": self.urut,
            "arah": self.arah,
        }
        values.update({k: str(v) for k, v in changes.items()})
        return {k: v for k, v in values.items() if v and not (k == "urut" and v == "kode")}


@dataclass(frozen=True)
class BarisDasbor:
    """One PD's line on the dashboard at the chosen quarter."""

    pd: PDTahun
    triwulan: int
    angka: AngkaTriwulan | None
    sebelum: AngkaTriwulan | None
    peringkat: int | None = None
    alasan: tuple[str, ...] = field(default=())

    @property
    def nama(self) -> str:
        return self.pd.perangkat_daerah.nama

    @property
    def kode(self) -> str:
        return self.pd.perangkat_daerah.kode

    @property
    def renja(self) -> Any:
        return self.pd.renja

    @property
    def status(self) -> str:
        return self.pd.status_of(self.triwulan)

    @property
    def status_label(self) -> str:
        return STATUS_LABEL[self.status]

    @property
    def capaian_k(self) -> Decimal | None:
        return self.angka.ringkasan.rata_rata_capaian_k if self.angka else None

    @property
    def predikat_k(self) -> str | None:
        return self.angka.ringkasan.predikat_k if self.angka else None

    @property
    def persen_rp(self) -> Decimal | None:
        return self.angka.ringkasan.persen_realisasi_rp if self.angka else None

    @property
    def predikat_rp(self) -> str | None:
        return self.angka.ringkasan.predikat_rp if self.angka else None

    @property
    def perubahan_k(self) -> Decimal | None:
        if self.angka is None or self.sebelum is None:
            return None
        return shown_change(
            self.angka.ringkasan.rata_rata_capaian_k, self.sebelum.ringkasan.rata_rata_capaian_k
        )

    @property
    def perubahan_rp(self) -> Decimal | None:
        if self.angka is None or self.sebelum is None:
            return None
        return shown_change(
            self.angka.ringkasan.persen_realisasi_rp, self.sebelum.ringkasan.persen_realisasi_rp
        )

    @property
    def proyeksi_k(self) -> Decimal | None:
        return self.angka.proyeksi_k.capaian_akhir if self.angka else None

    @property
    def proyeksi_rp(self) -> Decimal | None:
        return self.angka.proyeksi_rp.capaian_akhir if self.angka else None

    @property
    def peringatan(self) -> bool:
        return bool(self.alasan)

    @property
    def jumlah_peringatan_indikator(self) -> int:
        return len(self.angka.peringatan) if self.angka else 0


def _shown(value: Decimal | None) -> Decimal | None:
    return round_half_up(value, 2) if value is not None else None


SORT_KEYS = {
    "kode": lambda b: b.kode,
    "nama": lambda b: b.nama.casefold(),
    "status": lambda b: STATUS_ORDER[b.status],
    "capaian_k": lambda b: _shown(b.capaian_k),
    "perubahan_k": lambda b: b.perubahan_k,
    "persen_rp": lambda b: _shown(b.persen_rp),
    "perubahan_rp": lambda b: b.perubahan_rp,
    "peringkat": lambda b: b.peringkat,
    "proyeksi_k": lambda b: _shown(b.proyeksi_k),
    "proyeksi_rp": lambda b: _shown(b.proyeksi_rp),
}


def reasons(angka: AngkaTriwulan | None) -> tuple[str, ...]:
    if angka is None:
        return ()
    out = []
    if angka.proyeksi_k.peringatan:
        out.append("Kinerja: " + alasan_rata_rata(angka.proyeksi_k))
    if angka.proyeksi_rp.peringatan:
        out.append("Anggaran: " + alasan(angka.proyeksi_rp, rupiah=True))
    return tuple(out)


def rows_of(data: PemdaTahun, triwulan: int) -> list[BarisDasbor]:
    """Return every PD's line at the quarter, ranked by mean capaian (K) as shown."""
    rows = []
    for pd in data.pd:
        angka = pd.angka.at(triwulan) if pd.angka else None
        sebelum = pd.angka.at(triwulan - 1) if pd.angka and triwulan > 1 else None
        rows.append(BarisDasbor(pd, triwulan, angka, sebelum, alasan=reasons(angka)))
    ranked = ranks([r.capaian_k for r in rows])
    return [
        BarisDasbor(r.pd, r.triwulan, r.angka, r.sebelum, rank, r.alasan)
        for r, rank in zip(rows, ranked, strict=True)
    ]


def apply(rows: list[BarisDasbor], saringan: Saringan) -> list[BarisDasbor]:
    """Return the rows that pass the filters, in the asked order (undefined values last)."""
    cari = saringan.cari.casefold()
    kept = [
        r
        for r in rows
        if (not saringan.status or r.status == saringan.status)
        and (not saringan.predikat or (r.predikat_k or BELUM) == saringan.predikat)
        and (not saringan.peringatan or r.peringatan)
        and (not cari or cari in r.nama.casefold() or cari in r.kode.casefold())
    ]
    key = SORT_KEYS[saringan.urut]
    defined = [r for r in kept if key(r) is not None]
    undefined = [r for r in kept if key(r) is None]
    defined.sort(key=lambda r: (key(r), r.kode), reverse=saringan.arah == "turun")
    return defined + undefined


@dataclass(frozen=True)
class Dasbor:
    tahun: int
    triwulan: int
    rows: list[BarisDasbor]  # filtered and sorted
    semua: list[BarisDasbor]
    total: Total
    total_sebelum: Total | None
    jumlah_status: list[tuple[str, str, int]]
    grafik: dict[str, charts.Grafik]


def _angka(rows: list[BarisDasbor], triwulan: int) -> list[AngkaTriwulan]:
    return [r.pd.angka.at(triwulan) for r in rows if r.pd.angka]


def build(data: PemdaTahun, triwulan: int, saringan: Saringan) -> Dasbor:
    """Return the dashboard of the pemda's year up to a quarter, filtered and sorted."""
    semua = rows_of(data, triwulan)
    rows = apply(semua, saringan)
    counts = Counter(r.status for r in semua if r.renja)
    totals = totals_of(data, rows, triwulan)
    return Dasbor(
        tahun=data.tahun,
        triwulan=triwulan,
        rows=rows,
        semua=semua,
        total=totals[triwulan],
        total_sebelum=totals.get(triwulan - 1),
        jumlah_status=[(s, STATUS_LABEL[s], counts.get(s, 0)) for s in STATUS_ORDER],
        grafik=charts_of(data, rows, triwulan, totals),
    )


def totals_of(data: PemdaTahun, rows: list[BarisDasbor], triwulan: int) -> dict[int, Total]:
    """Return the pemda's footer over the rows at every quarter up to `triwulan` (each once: the
    summary, the change and the S curve read them)."""
    return {q: pemda_total(_angka(rows, q), data.pengaturan) for q in range(1, triwulan + 1)}


def charts_of(
    data: PemdaTahun,
    rows: list[BarisDasbor],
    triwulan: int,
    totals: Mapping[int, Total] | None = None,
) -> dict[str, charts.Grafik]:
    """Return the dashboard's four charts for the rows shown (`totals`: `totals_of` the same
    rows, when the caller has them)."""
    p = data.pengaturan
    if totals is None:
        totals = totals_of(data, rows, triwulan)
    tw = ROMAWI[triwulan - 1]
    scope = f"{len([r for r in rows if r.renja])} Perangkat Daerah, {data.tahun}"
    realisasi: list[Decimal | None] = []
    rencana: list[Decimal | None] = []
    for q in range(1, 5):
        realisasi.append(totals[q].persen_realisasi_rp if q <= triwulan else None)
        rencana.append(pemda_plan_persen(_angka(rows, q)))
    has_plan = any(v is not None for v in rencana)
    kurva = charts.kurva_s(
        realisasi,
        rencana if has_plan else None,
        judul="Kurva S realisasi anggaran terhadap rencana",
        sub=f"{scope} · Σ realisasi / Σ pagu, kumulatif",
        keterangan="Persen realisasi anggaran kumulatif (Σ realisasi / Σ pagu) pada akhir setiap "
        "triwulan; rencana dari rencana penarikan dana yang diisi Perangkat Daerah.",
    )
    programs = [(r, program) for r in rows if r.angka for program in r.angka.ringkasan.program]
    note = ""
    if len(programs) > MAKS_PROGRAM:
        note = f"; {MAKS_PROGRAM} program terendah dari {len(programs)}"
        programs = sorted(
            programs,
            key=lambda rp: (
                rp[1].rata_rata_capaian_kegiatan is None,
                rp[1].rata_rata_capaian_kegiatan or 0,
            ),
        )[:MAKS_PROGRAM]
    program_chart = charts.batang(
        [
            charts.Batang(
                label=f"{program.kode} {program.nama}",
                nilai=program.rata_rata_capaian_kegiatan,
                predikat=program.predikat_kegiatan,
                keterangan=r.nama,
            )
            for r, program in programs
        ],
        warna=charts.palet(p.predikat_k),
        judul=f"Capaian kinerja per program s.d. TW {tw}",
        sub=f"Rata-rata capaian indikator kegiatan (%){note}",
        keterangan="Rata-rata capaian indikator kegiatan setiap program (%), seperti ringkasan "
        "Formulir E.81 Perangkat Daerahnya.",
    )
    with_renja = [r for r in rows if r.renja]
    distribusi = charts.distribusi(
        Counter(r.predikat_k for r in with_renja),
        Counter(r.predikat_rp for r in with_renja),
        warna=charts.palet(p.predikat_k, p.predikat_rp),
        judul=f"Sebaran predikat Perangkat Daerah s.d. TW {tw}",
        sub=scope,
        keterangan="Jumlah Perangkat Daerah menurut predikat kinerja (K) dan predikat realisasi "
        "anggaran (Rp).",
    )
    peta = charts.peta_panas(
        [
            charts.BarisPeta(
                label=r.nama,
                kinerja=tuple(_sel(r, q, triwulan, "k") for q in range(1, 5)),
                anggaran=tuple(_sel(r, q, triwulan, "rp") for q in range(1, 5)),
            )
            for r in with_renja
        ],
        warna=charts.palet(p.predikat_k, p.predikat_rp),
        judul=f"Peta capaian Perangkat Daerah per triwulan, {data.tahun}",
        sub="Diwarnai menurut predikat"
        + (f"; triwulan setelah TW {tw} tidak ditampilkan" if triwulan < 4 else ""),
        keterangan="Capaian kinerja dan realisasi anggaran setiap Perangkat Daerah sampai akhir "
        "setiap triwulan, diwarnai menurut predikat.",
    )
    return {g.nama: g for g in (kurva, program_chart, distribusi, peta)}


def _sel(row: BarisDasbor, q: int, triwulan: int, side: str) -> charts.Sel:
    if row.pd.angka is None or q > triwulan:
        return charts.Sel(None, None, aktif=q <= triwulan)
    r = row.pd.angka.at(q).ringkasan
    if side == "k":
        return charts.Sel(r.rata_rata_capaian_k, r.predikat_k)
    return charts.Sel(r.persen_realisasi_rp, r.predikat_rp)


def pd_charts(
    nama: str,
    tahun: int,
    angka: list[AngkaTriwulan],
    triwulan: int,
    pengaturan: Pengaturan | None = None,
) -> dict[str, charts.Grafik]:
    """Return the charts of one PD: its programs' capaian and its absorption against its plan,
    coloured by its pemda's band sets (`pengaturan`)."""
    now = angka[triwulan - 1]
    realisasi = [a.ringkasan.persen_realisasi_rp if a.triwulan <= triwulan else None for a in angka]
    rencana = [a.rencana.persen_realisasi_rp if a.rencana else None for a in angka]
    has_plan = any(a.rencana is not None for a in angka)
    kurva = charts.kurva_s(
        realisasi,
        rencana if has_plan else None,
        judul="Kurva S realisasi anggaran terhadap rencana",
        sub=f"{nama}, {tahun} · kumulatif",
        keterangan="Persen realisasi anggaran kumulatif pada akhir setiap triwulan, dan rencana "
        "penarikan dana bila diisi.",
    )
    program = charts.batang(
        [
            charts.Batang(
                label=f"{p.kode} {p.nama}",
                nilai=p.rata_rata_capaian_kegiatan,
                predikat=p.predikat_kegiatan,
            )
            for p in now.ringkasan.program
        ],
        warna=charts.palet((pengaturan or Pengaturan()).predikat_k),
        judul=f"Capaian kinerja per program s.d. TW {ROMAWI[triwulan - 1]}",
        sub=f"{nama}: rata-rata capaian indikator kegiatan (%)",
        keterangan="Rata-rata capaian indikator kegiatan setiap program (%).",
    )
    return {g.nama: g for g in (kurva, program)}


def consolidation(data: PemdaTahun, triwulan: int) -> Konsolidasi:
    """Return the pemda's urusan → bidang urusan → program groups and its total at a quarter."""
    return consolidate(
        [
            Bagian(pd.perangkat_daerah.nama, pd.renja.pk, pd.angka.at(triwulan).ringkasan)
            for pd in data.pd
            if pd.renja is not None and pd.angka is not None
        ],
        data.pengaturan,
    )
