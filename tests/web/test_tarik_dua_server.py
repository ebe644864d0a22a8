"""Two monev servers on 127.0.0.1 (issue 17 point 3): a kabupaten's server in its own process
with its own SQLite file and verified quarters, and this one (the province, the test database)
pulling from it over real HTTP; a second source that is down is reported and stops nothing."""

from __future__ import annotations

import json
import urllib.request

import pytest
from django.core.management import call_command

from monev.pemda import tarik
from monev.pemda.models import AngkaIndikator, AngkaSimpul
from monev.pemda.models_tarik import SumberData, TarikanData, TriwulanTertarik
from tests.web import tarik_sumber
from tests.web.tarik_helpers import pulled_rows, served_rows

pytestmark = pytest.mark.lambat

OK, GALAT = TarikanData.Status.OK, TarikanData.Status.GALAT


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sumber")
    tarik_sumber.run(folder, "siapkan")
    server = tarik_sumber.start(folder)
    yield folder, server
    server.stop()


def _served(base):
    with urllib.request.urlopen(f"{base}/pemda/api/terbuka/pemda/1/baris", timeout=10) as answer:
        return json.loads(answer.read())["triwulan_pd"]


def _rows_equal_the_source(base, nama):
    items = _served(base)
    for item in items:
        rows = pulled_rows(nama, item["kode_perangkat_daerah"], item["tahun"], item["triwulan"])
        assert rows == served_rows(item) and rows["indikator"]
    return items


def test_a_province_pulls_a_kabupaten_from_its_own_server(db, source):
    folder, server = source
    sumber = SumberData.objects.create(nama=tarik_sumber.NAMA, alamat=server.base)
    SumberData.objects.create(
        nama="Kabupaten Mati", alamat=f"http://127.0.0.1:{tarik_sumber.free_port()}"
    )

    # The first pull: the source down is recorded, the other one is taken whole.
    down, first = tarik.pull_all()
    assert (down.sumber.nama, down.status) == ("Kabupaten Mati", GALAT)
    assert "tidak dapat dihubungi" in down.pesan
    assert (first.status, first.baru, first.berubah, first.tetap) == (OK, 2, 0, 0), first.pesan
    sumber.refresh_from_db()
    assert (sumber.pemda.nama, sumber.pemda.jenis) == (tarik_sumber.NAMA, "kabupaten")
    items = _rows_equal_the_source(server.base, sumber.nama)
    assert [i["kode_perangkat_daerah"] for i in items] == ["2.07.01", "2.16.01"]
    assert set(AngkaSimpul.objects.filter(sumber=sumber.nama).values_list("pemda", flat=True)) == {
        sumber.pemda.pk
    }

    # Again: nothing is written.
    before = (
        list(TriwulanTertarik.objects.values_list("pk", "ditarik")),
        list(AngkaIndikator.objects.filter(sumber=sumber.nama).values_list("pk", flat=True)),
    )
    again = tarik.pull(sumber=sumber, pemicu="uji")
    assert (again.status, again.baru, again.berubah, again.tetap) == (OK, 0, 0, 2)
    assert again.pesan == "Tidak ada yang berubah sejak tarikan terakhir."
    after = (
        list(TriwulanTertarik.objects.values_list("pk", "ditarik")),
        list(AngkaIndikator.objects.filter(sumber=sumber.nama).values_list("pk", flat=True)),
    )
    assert after == before

    # Verified again at the source with a correction: that quarter's rows are replaced.
    tarik_sumber.run(folder, "koreksi", "7")
    changed = tarik.pull(sumber=sumber, pemicu="uji")
    assert (changed.status, changed.baru, changed.berubah, changed.tetap) == (OK, 0, 1, 1)
    _rows_equal_the_source(server.base, sumber.nama)

    # The command a scheduler runs: a line per source, exit status 1 as one failed.
    with pytest.raises(SystemExit) as exited:
        call_command("tarik_data")
    assert exited.value.code == 1
    assert TarikanData.objects.filter(sumber=sumber).count() == 4
