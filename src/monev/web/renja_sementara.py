"""The hidden Renja rows of an import in progress (`monev.web.impor_tulis`), kept out of every
query through `Renja.objects`."""

from __future__ import annotations

from typing import Any

from django.db import models

#: `versi` of a hidden Renja row: an import writing its plan, or removing the plan it replaced.
VERSI_SEMENTARA = "~"


class RenjaManager(models.Manager[Any]):
    """Every Renja but the hidden rows of an import in progress."""

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().exclude(versi__startswith=VERSI_SEMENTARA)
