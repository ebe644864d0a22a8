"""The HTTP API (django-ninja), described in OpenAPI at /pemda/api/openapi.json.

- Reads (pemda, PDs, Renja, indicators, evaluations) with a personal token (`Authorization:
  Bearer monev_…`) or the signed-in session, under the same roles as the pages
  (`monev.web.access`): an operator reads their own PD only.
- Writes of realisations with a token only, through `monev.web.services`, so that every role,
  entry window and lock of the quarterly cycle applies, and every change is recorded.
- Open data: the accepted (`diverifikasi`) evaluations, without signing in, as JSON and CSV.

Numbers are decimal strings (per cents with two decimals, half up), as in `monev evaluasi
--format json`; evaluations are that same document (`monev.io.tabular.evaluation_json`).
"""

from monev.pemda.api import baca, realisasi, terbuka
from monev.pemda.api.base import api

#: The resources register their operations on `api` when imported.
RESOURCES = (baca, realisasi, terbuka)

__all__ = ["RESOURCES", "api"]
