from __future__ import annotations

import io
from decimal import Decimal

import pytest
from click.testing import CliRunner

from monev.web.models import Indikator, PerangkatDaerah, RealisasiRp, Renja, Riwayat, Simpul


def _upload(client, content: bytes, name="renja.csv", tahun="2023", pd=None, **extra):
    pd = pd or PerangkatDaerah.objects.get(kode="2.07.01")
    berkas = io.BytesIO(content)
    berkas.name = name
    return client.post(
        "/impor/",
        {"perangkat_daerah": pd.pk, "tahun": tahun, "versi": "murni", "berkas": berkas, **extra},
    )


def test_import_preview_then_confirm_saves_the_plan(client_for, reference_csv):
    client = client_for("admin")
    preview = _upload(client, reference_csv.read_bytes())
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Pratinjau" in page and "55 indikator" in page
    assert not Renja.objects.filter(tahun=2023).exists()
    token = preview.context["token"]
    pd = PerangkatDaerah.objects.get(kode="2.07.01")
    done = client.post(
        "/impor/",
        {
            "token": token,
            "nama_berkas": "renja.csv",
            "perangkat_daerah": pd.pk,
            "tahun": "2023",
            "versi": "murni",
            "konfirmasi": "1",
        },
    )
    assert done.status_code == 302
    renja = Renja.objects.get(perangkat_daerah=pd, tahun=2023)
    assert Indikator.objects.filter(simpul__renja=renja).count() == 55
    assert Riwayat.objects.filter(renja=renja, jenis="impor").exists()


def test_bad_file_lists_every_problem_and_saves_nothing(client_for):
    content = b"kode,tingkat,nama,indikator,target_k,pagu,tw1_k,tw1_rp,tw2_k,tw2_rp,tw3_k,tw3_rp,tw4_k,tw4_rp,target_renstra_k,target_renstra_rp,realisasi_lalu_k,realisasi_lalu_rp\n"
    content += (
        b"1.01.01,program,P,I,abc,,,,,,,,,,,,,\n1.01.01.2.01,kegiatanx,K,I,100,,,,,,,,,,,,,\n"
    )
    response = _upload(client_for("admin"), content, name="salah.csv")
    assert response.status_code == 400
    problems = response.context["problems"]
    assert any(p.startswith("salah.csv, baris 2, kolom target_k") for p in problems)
    assert any("baris 3, kolom tingkat" in p for p in problems)
    assert not Renja.objects.filter(tahun=2023).exists()


def test_upload_must_be_a_spreadsheet(client_for):
    response = _upload(client_for("admin"), b"MZ\x90\x00", name="virus.exe")
    assert response.status_code == 400
    assert "Berkas harus CSV" in response.content.decode()


def test_forged_token_is_refused(client_for):
    pd = PerangkatDaerah.objects.get(kode="2.07.01")
    response = client_for("admin").post(
        "/impor/",
        {
            "token": "../../secret_key",
            "perangkat_daerah": pd.pk,
            "tahun": "2023",
            "konfirmasi": "1",
        },
    )
    assert response.status_code == 400


def test_failed_import_leaves_the_database_as_it_was(
    client_for, disnaker, users, reference_csv, monkeypatch
):
    from monev.io.flat import read_flat
    from monev.web import services

    before = (
        Simpul.objects.count(),
        Indikator.objects.count(),
        RealisasiRp.objects.count(),
        Riwayat.objects.count(),
    )

    from monev.web import bulk

    real_insert = bulk.insert

    def broken(model, rows):
        real_insert(model, rows)  # written, then the disk fills up: the transaction must undo it
        if model is RealisasiRp:
            raise RuntimeError("disk penuh (simulasi)")

    monkeypatch.setattr(bulk, "insert", broken)
    with pytest.raises(RuntimeError):
        services.renja_import(
            user=users["admin"],
            perangkat_daerah=disnaker.perangkat_daerah,
            tahun=2022,
            renja=read_flat(reference_csv),
        )
    after = (
        Simpul.objects.count(),
        Indikator.objects.count(),
        RealisasiRp.objects.count(),
        Riwayat.objects.count(),
    )
    assert after == before


def test_reimport_records_what_changed(users, disnaker, reference_csv, tmp_path):
    from monev.io.flat import read_flat
    from monev.web import services

    changed = reference_csv.read_text(encoding="utf-8").replace(",12804156408,", ",12900000000,", 1)
    path = tmp_path / "ubah.csv"
    path.write_text(changed, encoding="utf-8")
    services.renja_import(
        user=users["admin"],
        perangkat_daerah=disnaker.perangkat_daerah,
        tahun=2022,
        renja=read_flat(path),
    )
    record = Riwayat.objects.get(renja=disnaker, jenis="pagu", kolom="pagu")
    assert (record.nilai_lama, record.nilai_baru) == ("12.804.156.408", "12.900.000.000")
    assert Simpul.objects.get(renja=disnaker, kode="2.07.01.2.02").pagu == Decimal(12900000000)


def test_only_admin_may_import(users, disnaker, reference_csv):
    from django.core.exceptions import PermissionDenied

    from monev.io.flat import read_flat
    from monev.web import services

    with pytest.raises(PermissionDenied):
        services.renja_import(
            user=users["operator"],
            perangkat_daerah=disnaker.perangkat_daerah,
            tahun=2022,
            renja=read_flat(reference_csv),
        )


@pytest.mark.django_db
def test_impor_command(reference_csv):
    from monev.cli import main

    runner = CliRunner()
    result = runner.invoke(
        main, ["impor", str(reference_csv), "--pd", "2.16.01", "--tahun", "2024", "--coba"]
    )
    assert result.exit_code == 0, result.output
    assert "tidak ada yang disimpan" in result.output
    assert not Renja.objects.filter(tahun=2024).exists()
    result = runner.invoke(
        main, ["impor", str(reference_csv), "--pd", "2.16.01", "--tahun", "2024"]
    )
    assert result.exit_code == 0, result.output
    assert Renja.objects.filter(tahun=2024, perangkat_daerah__kode="2.16.01").exists()
    result = runner.invoke(main, ["impor", str(reference_csv), "--pd", "9.99", "--tahun", "2024"])
    assert result.exit_code == 1 and "tidak ada" in result.output


def test_legacy_report_is_checked_then_imported_through_the_flat_path(client_for, reference_csv):
    scan = (reference_csv.parent / "laporan-asli.txt").read_bytes()
    client = client_for("admin")
    preview = _upload(client, scan, name="laporan-asli.txt", tahun="2021", jenis="lama")
    assert preview.status_code == 200, (
        preview.context.get("problems") if preview.context else preview
    )
    page = preview.content.decode()
    assert "81,38" in page and "81,55" in page  # HUBUNGAN INDUSTRIAL mean printed vs recomputed
    assert "1.173.813.000" in page
    pd = PerangkatDaerah.objects.get(kode="2.07.01")
    done = client.post(
        "/impor/",
        {
            "token": preview.context["token"],
            "nama_berkas": "laporan-asli.txt",
            "perangkat_daerah": pd.pk,
            "tahun": "2021",
            "versi": "murni",
            "konfirmasi": "1",
            "jenis": "lama",
        },
    )
    assert done.status_code == 302
    renja = Renja.objects.get(perangkat_daerah=pd, tahun=2021)
    assert (
        Simpul.objects.filter(renja=renja).count()
        == Simpul.objects.filter(renja__tahun=2022, renja__perangkat_daerah=pd).count()
    )
    evaluasi = client.get(f"/renja/{renja.pk}/evaluasi/").context["evaluasi"]
    assert str(evaluasi.ringkasan.rata_rata_capaian_kegiatan.quantize(Decimal("0.01"))) == "77.69"


def test_unreadable_legacy_report_is_a_message(client_for):
    response = _upload(
        client_for("admin"), b"\x00\x01 bukan laporan", name="rusak.txt", jenis="lama"
    )
    assert response.status_code == 400
    assert response.context["problems"]


def test_a_forty_digit_number_is_a_message_not_a_500(client_for, reference_csv):
    text = reference_csv.read_text(encoding="utf-8").replace("17442481320", "9" * 40, 1)
    response = _upload(client_for("admin"), text.encode("utf-8"), name="besar.csv")
    assert response.status_code == 400
    assert any(
        p.startswith("besar.csv, baris 2, kolom pagu:") and "terlalu besar" in p
        for p in response.context["problems"]
    )


def _lock_first_quarter(renja, status):
    from monev.web.models import LaporanTriwulan

    LaporanTriwulan.objects.update_or_create(renja=renja, triwulan=1, defaults={"status": status})


@pytest.mark.parametrize("status", ["diajukan", "diverifikasi"])
def test_import_over_a_submitted_quarter_explains_the_refusal(
    client_for, disnaker, reference_csv, status
):
    _lock_first_quarter(disnaker, status)
    client = client_for("admin")
    preview = _upload(client, reference_csv.read_bytes(), tahun="2022")
    done = client.post(
        "/impor/",
        {
            "token": preview.context["token"],
            "nama_berkas": "renja.csv",
            "perangkat_daerah": disnaker.perangkat_daerah.pk,
            "tahun": "2022",
            "versi": "murni",
            "konfirmasi": "1",
        },
    )
    assert done.status_code == 409
    assert f"Renja ini tidak dapat diganti dengan impor: TW I sudah {status}" in (
        done.content.decode()
    )


@pytest.mark.django_db
def test_impor_command_over_a_verified_quarter_exits_2(disnaker, reference_csv):
    from monev.cli import main

    _lock_first_quarter(disnaker, "diverifikasi")
    result = CliRunner().invoke(
        main, ["impor", str(reference_csv), "--pd", "2.07.01", "--tahun", "2022"]
    )
    assert result.exit_code == 2, result.output
    assert "Renja ini tidak dapat diganti dengan impor: TW I sudah diverifikasi" in result.output
    assert "galat tak terduga" not in result.output


@pytest.mark.django_db
def test_impor_reads_a_table_without_codes_with_its_mapping(tmp_path):
    import json

    from monev.cli import main
    from tests.io import tabel_shapes as shapes

    path = shapes.write(tmp_path, "bagian.csv", shapes.csv_bytes(shapes.PART))
    mapping = tmp_path / "pemetaan.json"
    mapping.write_text(json.dumps({"nama": {"Operasional": "Operasional Kantor"}}), "utf-8")
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["impor", str(path), "--pd", "2.16.01", "--tahun", "2025", "--pemetaan", str(mapping)],
    )
    assert result.exit_code == 0, result.output
    assert "Pemetaan kolom yang dipakai:" in result.output
    assert "'Realisasi Semester I' → realisasi K semester I" in result.output
    renja = Renja.objects.get(tahun=2025, perangkat_daerah__kode="2.16.01")
    names = list(
        Simpul.objects.filter(renja=renja).order_by("urutan").values_list("nama", "tingkat")
    )
    assert names == [
        ("Penyediaan Layanan Kesehatan", "kegiatan"),
        ("Pengelolaan Pelayanan", "sub_kegiatan"),
        ("Operasional Kantor", "sub_kegiatan"),
    ]


@pytest.mark.django_db
def test_impor_takes_what_periksa_rebuilt_as_it_is(tmp_path):
    from monev.cli import main
    from tests.io import tabel_shapes as shapes

    path = shapes.write(tmp_path, "label.csv", shapes.csv_bytes(shapes.LABELLED))
    flat = tmp_path / "datar.csv"
    runner = CliRunner()
    assert runner.invoke(main, ["periksa", str(path), "-o", str(flat)]).exit_code == 0
    result = runner.invoke(main, ["impor", str(flat), "--pd", "2.16.01", "--tahun", "2026"])
    assert result.exit_code == 0, result.output
    renja = Renja.objects.get(tahun=2026, perangkat_daerah__kode="2.16.01")
    # The table's title prints 2023: imported as asked, with a warning.
    table = runner.invoke(main, ["impor", str(path), "--pd", "2.16.01", "--tahun", "2028"])
    assert table.exit_code == 0, table.output
    assert "peringatan: label.csv mencetak tahun 2023, diimpor sebagai tahun 2028" in table.output
    assert Simpul.objects.filter(renja=renja).count() == 4
    assert Simpul.objects.filter(renja=renja, induk__isnull=False).count() == 3


def test_a_table_without_codes_is_checked_then_imported_from_the_page(client_for, tmp_path):
    from tests.io import tabel_shapes as shapes

    client = client_for("admin")
    data = shapes.csv_bytes(shapes.LABELLED)
    preview = _upload(client, data, name="tabel.csv", tahun="2027", jenis="lama")
    assert preview.status_code == 200, preview.context.get("problems")
    page = preview.content.decode()
    assert "Pemetaan kolom yang dipakai" in page
    assert "persen realisasi Rp tercetak 80,5" in page and "77,08" in page
    assert "Berkas ini mencetak tahun 2023, sedangkan yang dipilih tahun 2027" in page
    pd = PerangkatDaerah.objects.get(kode="2.07.01")
    done = client.post(
        "/impor/",
        {
            "token": preview.context["token"],
            "nama_berkas": "tabel.csv",
            "perangkat_daerah": pd.pk,
            "tahun": "2027",
            "versi": "murni",
            "konfirmasi": "1",
            "jenis": "lama",
        },
    )
    assert done.status_code == 302
    renja = Renja.objects.get(perangkat_daerah=pd, tahun=2027)
    assert Simpul.objects.filter(renja=renja).count() == 4


@pytest.mark.django_db
def test_impor_command_shows_the_summary_before_saved_and_saves_nothing_if_it_fails(
    reference_csv, monkeypatch
):
    """The summary's evaluation runs beside the write; its line comes before 'Tersimpan', and
    an evaluation that fails stops the import before the swap."""
    from monev.cli import main
    from monev.core import evaluation

    runner = CliRunner()
    args = ["impor", str(reference_csv), "--pd", "2.16.01", "--tahun", "2024"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    summary = result.output.index("temuan pemeriksaan angka")
    assert summary < result.output.index("Tersimpan: Renja")

    def broken(*args, **kwargs):
        raise ArithmeticError("uji")

    monkeypatch.setattr(evaluation, "evaluate", broken)
    result = runner.invoke(main, [*args[:-1], "2025"])
    assert result.exit_code == 1
    assert "galat tak terduga: ArithmeticError" in result.output
    assert not Renja.semua.filter(tahun=2025).exists()
