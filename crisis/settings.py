"""Crisis Timeline settings: one module, every deployment choice read from the environment.

Development defaults need no configuration at all. ``DJANGO_ENV=production`` turns on the
hardened settings and refuses to start without a real ``SECRET_KEY``.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from crisis.json_logging import json_logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development").strip().lower()
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DJANGO_ENV=production) needs a long random "
            "SECRET_KEY in the environment, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

# Signs backups (crisis/archive.py): an archive signed with another key is refused.
ARCHIVE_KEY = os.environ.get("ARCHIVE_KEY", "") or SECRET_KEY

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver"
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Production (DJANGO_ENV=production) needs the public "
        "host names in the environment, e.g. ALLOWED_HOSTS=timeline.example.org."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials.apps.SimpleAppConfig",
    "django_tables2",
    "django_filters",
    "django_countries",
    "simple_history",
    "import_export",
    "csp",
    "axes",
    "crisis",
    "stories",
    "annotations",
    "sharing",
    "maps",
    "extraction",
]

MIDDLEWARE = [
    "crisis.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "crisis.middleware.QueryStringLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "crisis.middleware.DatabaseUnavailableMiddleware",
    # Axes last, so it turns a locked-out sign-in into its 429 page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "crisis.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # Partials load as builtins and templates through the partials loader, so moving
            # to Django 6's built-in partials is only deleting this configuration. The
            # cached loader parses each template once per process (in development it is
            # reset when a template changes), instead of on every request.
            "builtins": ["template_partials.templatetags.partials"],
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
        },
    }
]

WSGI_APPLICATION = "crisis.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait their turn instead of failing with "database is locked":
    # WAL lets readers run beside a writer, a write transaction takes the write lock at
    # BEGIN (IMMEDIATE; a deferred one could deadlock on its upgrade and fail at once),
    # and a writer waits up to SQLITE_TIMEOUT seconds for the lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
            "transaction_mode": "IMMEDIATE",
        }
    )

elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: every page runs a few short queries, and PostgreSQL would
    # compile any whose estimated cost is high (a list page's per-row counts at
    # 1,000,000 events spent 113 ms compiling to save nothing). PG_JIT=on restores it.
    jit = "on" if env_bool("PG_JIT", default=False) else "off"
    # Memory for each sort or bitmap of a query. With PostgreSQL's 4 MB a search
    # matching a fifth of 1,000,000 events made its bitmap lossy: the month counts
    # then re-read 70,000 pages and rechecked 390,000 rows (550 ms; exact, 320-440).
    work_mem = os.environ.get("PG_WORK_MEM", "32MB").strip()
    if not re.fullmatch(r"\d+(kB|MB|GB)", work_mem):
        raise ImproperlyConfigured(
            f"PG_WORK_MEM must be a size such as 32MB, not {work_mem!r}."
        )
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = (
        f"{options.get('options', '')} -c jit={jit} -c work_mem={work_mem}".strip()
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# ISO dates (2022-01-21) wherever Django formats a date by default, the admin above all.
FORMAT_MODULE_PATH = ["crisis.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "crisis:timeline"
LOGOUT_REDIRECT_URL = "crisis:timeline"

# Query strings longer than this are refused with a 414 before any view runs.
MAX_QUERY_STRING_LENGTH = int(os.environ.get("MAX_QUERY_STRING_LENGTH", "4096"))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(
    os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(256 * 1024))
)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# The cache holds the timeline's shared reads (crisis/cache.py) and the annotation write
# limit. One Redis when REDIS_URL is set; otherwise production shares it between gunicorn
# workers through the database (`make serve` creates the table), development keeps it in
# local memory.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "crisis"),
        }
    }
elif PRODUCTION:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "crisis_cache",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Events per timeline page (cards or headlines); the rest load as the reader scrolls.
TIMELINE_PAGE_SIZE = 20

# Admin import/export: importing needs the model's "add" permission, exporting "view";
# every import runs in a transaction, so a failed row leaves nothing behind.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True

# Annotation writes: requests larger than this are refused with 413 before parsing, and
# each analyst may save, edit or delete at most this many times (django-ratelimit rate).
ANNOTATION_MAX_REQUEST_BYTES = int(
    os.environ.get("ANNOTATION_MAX_REQUEST_BYTES", str(64 * 1024))
)
ANNOTATION_WRITE_RATE = os.environ.get("ANNOTATION_WRITE_RATE", "30/m")

# Seconds a cached timeline read (density strip, facet counts, counts) may be reused.
TIMELINE_CACHE_TIMEOUT = int(os.environ.get("TIMELINE_CACHE_TIMEOUT", "600"))

SEED_DIR = BASE_DIR / "seeds"

# Headers every environment sends, so development shows what production will do.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only the embed pages (/embed/...) may be framed, by these origins (frame-ancestors).
EMBED_ALLOWED_ORIGINS = env_list("EMBED_ALLOWED_ORIGINS", "*")

# Only our own scripts and styles: htmx comes from static/, nothing runs inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if PRODUCTION:
    # The proxy in front terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

# Sign-in throttling: AXES_FAILURE_LIMIT failures for one user name from one address
# lock that pair out for AXES_COOLOFF_MINUTES (a 429 page), on the admin and every
# other login form.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "429.html"
# The client address (django-ipware). Behind AXES_PROXY_COUNT reverse proxies that each
# append to X-Forwarded-For, the client is the entry that many places from the right:
# whatever a client writes further left is ignored, so nobody can pose as another
# address. ipware counts only the proxies listed in the header, hence the minus one;
# non-strict, so a forged prefix cannot make it fall back to the proxy's own address.
# Without a proxy the header is not read at all.
PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))
if PROXY_COUNT > 0:
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_PROXY_COUNT = None
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
IPWARE_STRICT = False

# One JSON object per line on stdout: requests (crisis.requests) and errors alike.
LOGGING = json_logging_config(
    level=os.environ.get("LOG_LEVEL", "INFO"),
    loggers={
        "django.db.backends": {"level": "INFO"},
        # The request-log middleware reports every request once; Django's own
        # "Not Found" warnings would repeat the 4xx lines.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # Lockouts are logged as warnings; its start-up banner on every command is noise.
        "axes": {"level": "WARNING"},
    },
)
