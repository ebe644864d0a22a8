"""One settings module, driven by the environment (Healthchecks style).

SQLite in the data folder (MONEV_DATA_DIR, default ./data) unless DATABASE_URL names another
database (PostgreSQL: postgres://user:pass@host:5432/name). No secret lives in the code: the
secret key comes from SECRET_KEY, or, outside production, from a random key kept in the data
folder the first time it is needed.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "ya", "on"):
        return True
    if value.lower() in ("0", "false", "no", "tidak", "off"):
        return False
    raise ImproperlyConfigured(f"{name} harus bernilai 1/0, true/false; bukan {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} harus bilangan bulat; bukan {value!r}") from exc


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("MONEV_DATA_DIR", Path.cwd() / "data")).resolve()
PRODUCTION = envbool("MONEV_PRODUKSI", False)
DEBUG = envbool("DEBUG", False)
#: Behind a reverse proxy that sets X-Forwarded-For and X-Forwarded-Proto itself: only then is
#: the client's address taken from that header (the right-most hop that is not a proxy).
MONEV_BEHIND_PROXY = envbool("MONEV_BEHIND_PROXY", False)
#: Further proxies (addresses or networks, comma-separated) between the client and the server.
MONEV_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("MONEV_PROXY_TEPERCAYA", "").split(",") if p.strip()
]


#: Django's own measure of a weak key (security.W009): shorter than this or fewer distinct
#: characters, or a key that Django generated for development.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE = 5


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if PRODUCTION and key:
        if key.startswith("django-insecure"):
            raise ImproperlyConfigured(
                "SECRET_KEY tidak boleh kunci pengembangan Django ('django-insecure-…') di "
                "lingkungan produksi; buat kunci baru, mis. python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(50))'"
            )
        if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE:
            raise ImproperlyConfigured(
                f"SECRET_KEY terlalu lemah untuk produksi ({len(key)} karakter, "
                f"{len(set(key))} berbeda): paling sedikit {SECRET_KEY_MIN_LENGTH} karakter "
                f"dengan {SECRET_KEY_MIN_UNIQUE} karakter berbeda; buat kunci baru, mis. "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY wajib diisi di lingkungan produksi (MONEV_PRODUKSI=1)"
        )
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG tidak boleh menyala di lingkungan produksi")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if PRODUCTION and "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS tidak boleh '*' di lingkungan produksi: sebutkan nama server, "
        "mis. monev.contoh.go.id"
    )
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured("ALLOWED_HOSTS wajib diisi di lingkungan produksi")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "monev.web",
    "monev.pemda",
    "monev.renstra",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "monev.web.middleware.ContentSecurityPolicyMiddleware",
    "monev.web.galat.RekamanRusakMiddleware",
]

ROOT_URLCONF = "monev.web.urls"
WSGI_APPLICATION = "monev.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "monev.web.access.role_context",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
SQLITE_IN_PRODUCTION = envbool("MONEV_SQLITE_PRODUKSI", False)
if not DATABASE_URL:
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'monev.sqlite3'}"
    DATA_DIR.mkdir(parents=True, exist_ok=True)
try:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))
    }
except ValueError as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL tidak sah ({exc}); contoh: postgres://pengguna:sandi@host:5432/monev"
    ) from exc
if PRODUCTION and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if not SQLITE_IN_PRODUCTION:
        raise ImproperlyConfigured(
            "DATABASE_URL wajib diisi di lingkungan produksi (PostgreSQL: "
            "postgres://pengguna:sandi@host:5432/monev); SQLite hanya untuk satu kantor, "
            "dengan MONEV_SQLITE_PRODUKSI=1"
        )
    sys.stderr.write(
        f"monev: produksi memakai SQLite ({DATABASES['default']['NAME']}), sesuai "
        "MONEV_SQLITE_PRODUKSI=1: cukup untuk satu kantor; untuk banyak pengguna pakai "
        "PostgreSQL (DATABASE_URL)\n"
    )
if os.environ.get("MONEV_TEST_DB_NAME"):
    # A test run of its own on a shared server (two runs at once must not drop each other's).
    DATABASES["default"]["TEST"] = {"NAME": os.environ["MONEV_TEST_DB_NAME"]}
#: SQLite only: seconds a write waits for another's lock before "database is locked". Above the
#: write phase of a large import (bench/impor_serentak.py), so that sign-ins wait it out.
MONEV_SQLITE_TIMEOUT = envint("MONEV_SQLITE_TIMEOUT", 60)
#: SQLite only: WAL with IMMEDIATE transactions (the default). 0 restores SQLite's rollback
#: journal and deferred transactions: only to measure the difference (bench/impor_serentak.py).
MONEV_SQLITE_WAL = envbool("MONEV_SQLITE_WAL", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if MONEV_SQLITE_WAL:
        # WAL lets readers work while one writer saves; synchronous=NORMAL is safe with WAL (a
        # power cut may lose the last commits, never corrupt the file); IMMEDIATE takes the
        # write lock at BEGIN, so that two transactions that read then write never deadlock on
        # the upgrade (SQLITE_BUSY_SNAPSHOT, which the busy timeout does not wait out).
        DATABASES["default"]["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": MONEV_SQLITE_TIMEOUT,
        }
    else:
        DATABASES["default"]["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=DELETE;",
            "timeout": MONEV_SQLITE_TIMEOUT,
        }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

#: How an import job runs: "proses" (a detached process per job, the default) or "langsung"
#: (inside the request that queued it: tests, or a host that may not start processes).
MONEV_IMPOR_LATAR = os.environ.get("MONEV_IMPOR_LATAR", "proses").strip() or "proses"
if MONEV_IMPOR_LATAR not in ("proses", "langsung"):
    raise ImproperlyConfigured(
        f"MONEV_IMPOR_LATAR harus 'proses' atau 'langsung'; bukan {MONEV_IMPOR_LATAR!r}"
    )
#: A running import job with no progress for this long is taken as dead (`jalankan_impor
#: --semua` marks it failed).
MONEV_IMPOR_BASI_DETIK = envint("MONEV_IMPOR_BASI_DETIK", 15 * 60)
#: A table upload from this size on (bytes) is read for the mapping preview, and imported from
#: it, as a background job; a smaller one inside the request. Reading costs about 0,5 ms of CPU
#: per line (~250 bytes of CSV): 200 000 bytes is ~0,4 s (bench/pratinjau_bench.py --datar).
MONEV_PRATINJAU_LATAR_BYTES = envint("MONEV_PRATINJAU_LATAR_BYTES", 200_000)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
#: One backend: Django's, reading the profile with the user (`monev.web.auth.Backend`). Sessions
#: signed in under Django's own backend name end at the upgrade (sign in again).
AUTHENTICATION_BACKENDS = ["monev.web.auth.Backend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
TIME_ZONE = os.environ.get("TZ_MONEV", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
# Numbers are formatted by monev.core.numbers, never by Django's localisation.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
# collectstatic target in production; in development WhiteNoise serves from the apps.
STATIC_ROOT = DATA_DIR / "static" if PRODUCTION else None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DATA_UPLOAD_MAX_MEMORY_SIZE = envint("MONEV_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
MONEV_UPLOAD_MAX_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE
#: An upload larger than the memory limit is streamed to a temporary file: into the upload
#: folder, whose leftovers are removed at start (monev.web.uploads), never into /tmp.
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "impor")
#: How long a checked upload waits for its confirm step (and leftovers live) at most.
MONEV_UPLOAD_MAX_AGE_SECONDS = envint("MONEV_UPLOAD_MAX_AGE_SECONDS", 3600)
#: Pulls between servers (`monev.pemda.tarik_http`): seconds per request, bytes per answer.
MONEV_TARIK_TIMEOUT = envint("MONEV_TARIK_TIMEOUT", 60)
MONEV_TARIK_MAX_BYTES = envint("MONEV_TARIK_MAX_BYTES", 32 * 1024 * 1024)

#: Database sessions (`monev.web.sesi`: Django's, read with a prepared query).
SESSION_ENGINE = "monev.web.sesi"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_AGE = envint("MONEV_SESSION_SECONDS", 8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("MONEV_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("MONEV_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("MONEV_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("MONEV_HSTS_PRELOAD", True)
    if MONEV_BEHIND_PROXY:
        # Only behind a reverse proxy that sets this header itself (never trust a client's).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
MONEV_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
#: Failed sign-ins allowed per (user name, address) within the window, before waiting.
MONEV_LOGIN_ATTEMPTS = envint("MONEV_LOGIN_ATTEMPTS", 5)
#: Failed sign-ins of all user names from one address (an office behind one NAT address shares
#: it) before that address gets only one try per user name.
MONEV_LOGIN_ATTEMPTS_PER_ADDRESS = envint("MONEV_LOGIN_ATTEMPTS_ALAMAT", 50)
MONEV_LOGIN_WINDOW_SECONDS = envint("MONEV_LOGIN_WINDOW_SECONDS", 15 * 60)
#: Largest total unpacked size of an uploaded workbook (an XLSX is a zip).
MONEV_UPLOAD_MAX_UNPACKED_BYTES = envint("MONEV_UPLOAD_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)

_LOG_LEVEL = os.environ.get("MONEV_LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _LOG_LEVEL},
    # Django logs every 4xx answer (a refused 409 save among them) as a warning of its own
    # logger, which reaches the console whatever the root level: it follows MONEV_LOG_LEVEL too.
    "loggers": {"django.request": {"level": _LOG_LEVEL}},
}
