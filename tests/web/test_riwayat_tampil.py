"""The history page names a report's states and an archiving in Indonesian, never by the codes
stored in the history (`monev.web.riwayat_laporan.baris`)."""

from __future__ import annotations

import pytest

from monev.web import services, siklus
from monev.web.models import Indikator, Riwayat
from monev.web.riwayat_laporan import baris
from tests.web.tarik_helpers import accept


def _record(kolom, lama, baru, keterangan=""):
    return Riwayat(
        jenis=Riwayat.Jenis.STATUS, kolom=kolom, nilai_lama=lama, nilai_baru=baru,
        keterangan=keterangan,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("record", "shown"),
    [
        (_record("status", "draf", "diajukan"), ("Diajukan ke Bappeda", "Draf", "Diajukan", "")),
        (
            _record("status", "diajukan", "diverifikasi"),
            ("Diterima (diverifikasi) dan dikunci", "Diajukan", "Diverifikasi", ""),
        ),
        (
            _record("status", "diajukan", "dikembalikan", "Lengkapi data"),
            (
                "Dikembalikan ke operator",
                "Diajukan",
                "Dikembalikan",
                "Catatan verifikator: Lengkapi data",
            ),
        ),
        (
            _record("status", "diverifikasi", "dikembalikan", "buka kunci: salah ketik"),
            ("Kunci dibuka admin", "Diverifikasi", "Dikembalikan", "Alasan: salah ketik"),
        ),
        (
            _record("status", "diverifikasi", "dikembalikan", "buka kunci ikut TW I (x): y"),
            (
                "Kunci dibuka ikut triwulan sebelumnya",
                "Diverifikasi",
                "Dikembalikan",
                "ikut TW I (x): y",
            ),
        ),
        (
            _record("tingkat", "diajukan", "diajukan", "TW I: pengaturan tingkat diubah"),
            ("Tingkat persetujuan", "Diajukan", "Diajukan", "TW I: pengaturan tingkat diubah"),
        ),
        (
            _record("diarsipkan", "tidak", "ya", "diarsipkan"),
            ("Arsip Renja", "Tidak diarsipkan", "Diarsipkan", "diarsipkan"),
        ),
        (
            Riwayat(jenis=Riwayat.Jenis.TARGET, nilai_lama="80", nilai_baru="90"),
            ("Target", "80", "90", ""),
        ),
    ],
)
def test_a_history_record_is_shown_in_words(record, shown):
    b = baris(record)
    assert (b.perubahan, b.lama, b.baru, b.keterangan) == shown


def test_the_history_page_shows_the_states_by_their_labels(users, disnaker, client_for):
    accept(users["operator"], users["verifikator"], disnaker, 1)
    siklus.laporan_unlock(user=users["admin"], renja=disnaker, triwulan=1, alasan="salah ketik")
    services.renja_arsip(user=users["admin"], renja=disnaker, diarsipkan=True)
    services.renja_arsip(user=users["admin"], renja=disnaker, diarsipkan=False)
    indikator = Indikator.objects.filter(simpul__renja=disnaker).first()
    page = client_for("verifikator").get(f"/indikator/{indikator.pk}/riwayat/").content.decode()
    status = page[page.index("Status laporan triwulan") :]
    for label in ("Diajukan", "Diverifikasi", "Dikembalikan", "Diarsipkan", "Alasan: salah ketik"):
        assert label in status, label
    for code in ("draf", "diajukan", "diverifikasi", "dikembalikan", "ya", "tidak"):
        assert f'<td class="num">{code}</td>' not in status, code
    assert "buka kunci:" not in status
