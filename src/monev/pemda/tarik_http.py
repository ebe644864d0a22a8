"""The one way this server reads another: HTTP GET with the standard library, a timeout, a size
limit, no redirect, http(s) only, JSON only. Every failure is a `SumberGagal` whose message says,
in Indonesian, what went wrong where. `Transport` is the seam the tests replace.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

# Seconds to connect and between bytes of an answer, and the largest answer read (one page of
# 10 PD quarters is well under it): settings MONEV_TARIK_TIMEOUT and MONEV_TARIK_MAX_BYTES.


class SumberGagal(Exception):
    """The source could not be read, or answered something that is not the open data."""


@dataclass(frozen=True, slots=True)
class Jawaban:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


#: GET an address with these headers; answer its status, headers (lower-case names) and body.
Transport = Callable[[str, dict[str, str]], Jawaban]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is answered as it is, and refused below


_opener = urllib.request.build_opener(_NoRedirect)


def check_address(address: str) -> str:
    """Return the address without its trailing slash, or raise `SumberGagal` (http(s) only)."""
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SumberGagal(f"alamat '{address[:200]}' tidak sah: harus http:// atau https://")
    if parts.username or parts.password:
        raise SumberGagal("alamat sumber tidak boleh memuat nama pengguna atau kata sandi")
    return address.rstrip("/")


def urllib_transport(url: str, headers: dict[str, str]) -> Jawaban:
    """GET `url` (the real transport)."""
    check_address(url)
    timeout = settings.MONEV_TARIK_TIMEOUT
    limit = settings.MONEV_TARIK_MAX_BYTES
    request = urllib.request.Request(url, headers={"User-Agent": "monev tarik_data", **headers})
    try:
        with _opener.open(request, timeout=timeout) as answer:
            status, head, body = answer.status, dict(answer.headers), answer.read(limit + 1)
    except urllib.error.HTTPError as exc:
        status, head, body = exc.code, dict(exc.headers or {}), exc.read(4096)
    except TimeoutError as exc:
        raise SumberGagal(f"server sumber tidak menjawab dalam {timeout} detik") from exc
    except urllib.error.URLError as exc:
        raise SumberGagal(f"server sumber tidak dapat dihubungi ({exc.reason})") from exc
    except (OSError, ValueError) as exc:  # reset connection, broken answer
        raise SumberGagal(f"server sumber memutus sambungan ({exc})") from exc
    if len(body) > limit:
        raise SumberGagal(f"jawaban sumber lebih besar dari {limit // (1024 * 1024)} MB")
    return Jawaban(status, {k.lower(): v for k, v in head.items()}, body)


def read_json(
    transport: Transport, url: str, headers: dict[str, str] | None = None
) -> tuple[Any, str]:
    """Return the JSON of a 200 answer (None for a 304) and the answer's ETag, or raise
    `SumberGagal`."""
    answer = transport(url, headers or {})
    etag = answer.headers.get("etag", "")[:200]
    if answer.status == 304:
        return None, etag
    if answer.status != 200:
        detail = ""
        try:
            found = json.loads(answer.body)
            if isinstance(found, dict) and isinstance(found.get("detail"), str):
                detail = f": {found['detail'][:300]}"
        except ValueError:
            pass
        raise SumberGagal(f"server sumber menjawab HTTP {answer.status} untuk {url}{detail}")
    kind = answer.headers.get("content-type", "")
    if not kind.startswith("application/json"):
        raise SumberGagal(f"jawaban sumber bukan JSON (Content-Type '{kind[:60]}') dari {url}")
    try:
        data = json.loads(answer.body, parse_float=_refuse_float, parse_constant=_refuse_float)
    except (ValueError, RecursionError) as exc:
        raise SumberGagal(
            f"jawaban sumber bukan JSON yang sah ({str(exc)[:160]}) dari {url}"
        ) from exc
    return data, etag


def _refuse_float(text: str) -> Any:
    # Numbers travel as decimal strings; a JSON float (or NaN/Infinity) is never a valid value.
    raise ValueError(f"angka JSON '{text[:40]}' tidak dipakai; angka dikirim sebagai teks")
