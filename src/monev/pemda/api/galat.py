"""The API's errors in Bahasa Indonesia, saying where and what is wrong.

django-ninja answers in English (`Unauthorized`, `Method not allowed`, pydantic's `Field
required`); these texts replace them. A refused input keeps the shape ninja documents in the
OpenAPI description (`detail`: a list of `{type, loc, msg}`), with `msg` in Indonesian naming
the field; machines keep reading `type` and `loc`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled

PESAN_401 = (
    "Belum masuk: kirim token pribadi sebagai 'Authorization: Bearer monev_…' (buat di "
    "/pemda/token/), atau masuk lewat halaman. Token yang dikirim tidak dikenal, sudah "
    "dicabut, atau tidak ada."
)
PESAN_403 = "Tidak berwenang."
PESAN_500 = "Terjadi kesalahan pada server; tidak ada data yang berubah. Coba lagi nanti."

#: ninja's own English messages of an HttpError, by their text.
_HTTP_ERRORS = {
    "Cannot parse request body": "Isi permintaan tidak dapat dibaca: kirim JSON yang sah.",
    "CSRF check Failed": "Pemeriksaan CSRF gagal: muat ulang halaman, atau pakai token pribadi.",
}

_WHERE = {"path": "alamat", "query": "parameter", "body": "isi", "header": "header"}


def http_error_message(exc: HttpError) -> str:
    if isinstance(exc, AuthenticationError):
        return PESAN_401
    if isinstance(exc, AuthorizationError) and exc.message == "Forbidden":
        return PESAN_403
    if isinstance(exc, Throttled):
        wait = f" Coba lagi dalam {exc.wait} detik." if exc.wait else ""
        return "Terlalu banyak permintaan." + wait
    text = str(exc)
    for english, indonesian in _HTTP_ERRORS.items():
        if text.startswith(english):
            return indonesian
    return text


def _field(loc: list[Any]) -> str:
    """Return where a refused value sits: `isi, nilai`, `alamat, triwulan`."""
    parts = [str(p) for p in loc]
    where = _WHERE.get(parts[0], parts[0]) if parts else "isian"
    # ninja nests the body under the parameter's name (`body.body.nilai`): the client never
    # wrote that level.
    names = [p for p in parts[1:] if p not in ("body", "payload")]
    return f"{where}, {'.'.join(names)}" if names else where


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    simple = {
        "missing": "wajib diisi",
        "string_type": "harus berupa teks",
        "int_parsing": "harus bilangan bulat",
        "int_type": "harus bilangan bulat",
        "int_from_float": "harus bilangan bulat",
        "float_parsing": "harus angka",
        "float_type": "harus angka",
        "decimal_parsing": "harus angka",
        "decimal_type": "harus angka",
        "bool_parsing": "harus true atau false",
        "bool_type": "harus true atau false",
        "json_invalid": "bukan JSON yang sah",
        "dict_type": "harus berupa objek JSON",
        "model_type": "harus berupa objek JSON",
        "model_attributes_type": "harus berupa objek JSON",
        "list_type": "harus berupa daftar",
        "extra_forbidden": "tidak dikenal",
        "uuid_parsing": "bukan UUID yang sah",
        "date_parsing": "bukan tanggal yang sah (TTTT-BB-HH)",
        "datetime_parsing": "bukan tanggal-waktu yang sah",
    }
    if kind in simple:
        return simple[kind]
    bounds = {
        "greater_than": "harus lebih dari {gt}",
        "greater_than_equal": "paling kecil {ge}",
        "less_than": "harus kurang dari {lt}",
        "less_than_equal": "paling besar {le}",
        "string_too_short": "paling sedikit {min_length} karakter",
        "string_too_long": "paling banyak {max_length} karakter",
        "too_short": "paling sedikit {min_length} butir",
        "too_long": "paling banyak {max_length} butir",
        "string_pattern_mismatch": "tidak sesuai bentuk yang diminta (pola {pattern})",
        "literal_error": "harus salah satu dari {expected}",
        "enum": "harus salah satu dari {expected}",
        "decimal_max_places": "paling banyak {decimal_places} angka di belakang titik",
        "decimal_max_digits": "paling banyak {max_digits} digit",
    }
    if kind in bounds:
        try:
            return bounds[kind].format(**ctx)
        except (KeyError, IndexError):
            pass
    return f"tidak sah ({kind or 'galat'})"


def validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return ninja's list of refused fields with each `msg` in Indonesian, naming the field."""
    out = []
    for error in errors:
        loc = list(error.get("loc", ()))
        item = {k: v for k, v in error.items() if k not in ("msg", "url", "ctx")}
        item["msg"] = f"{_field(loc)}: {_message(error)}"
        out.append(item)
    return out


def method_not_allowed(request: HttpRequest, response: HttpResponse) -> JsonResponse:
    allowed = response.get("Allow", "")
    answer = JsonResponse(
        {"detail": f"Metode {request.method} tidak dilayani alamat ini; yang dilayani: {allowed}."},
        status=405,
        json_dumps_params={"ensure_ascii": False},
    )
    answer["Allow"] = allowed
    return answer


def alamat_tidak_dikenal(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "detail": f"Alamat API tidak dikenal: {request.path}. Daftar alamat yang ada: "
            "/pemda/api/openapi.json."
        },
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
