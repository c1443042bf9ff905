"""Settings read from the environment, with safe local defaults.

With nothing set, the project runs on SQLite in the project folder and runs
Celery tasks in-process. ``DATABASE_URL`` switches to PostgreSQL (psycopg 3),
``CELERY_BROKER_URL`` to a real broker (Redis).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# hazm must never try to reach a model hub: fail fast instead of retrying.
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Development-only key; production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
# Off unless asked for: `make run` sets DJANGO_DEBUG=1 for local development.
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "axes",
    "csp",
    "django_prometheus",
    "claims",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "claims.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Outside everything that can raise, inside the header middlewares: the Persian
    # error pages with DJANGO_DEBUG=1 too (claims/middleware.py).
    "claims.middleware.ErrorPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "claims.site.SiteURLMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A control character in a path, query string or form body is a 400 before any view runs.
    "claims.input_guard.InputGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "factcheck.db_router.ReplicaReadsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "claims.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }
# Behind PgBouncer in transaction pooling mode: no server-side cursors, no
# prepared statements, and no connection kept by Django between requests.
if DATABASE_URL and env_bool("DATABASE_PGBOUNCER", False):
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0)
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
# A read replica for the public pages and the partner API (factcheck/db_router.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_URL and DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    for _key in ("DISABLE_SERVER_SIDE_CURSORS", "OPTIONS"):
        if _key in DATABASES["default"]:
            DATABASES["replica"][_key] = DATABASES["default"][_key]
DATABASE_ROUTERS = ["factcheck.db_router.ReplicaRouter"]
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth ---------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/review/"
LOGOUT_REDIRECT_URL = "/"
# Login throttling. A username+IP pair is locked after AXES_FAILURE_LIMIT failures
# (one person mistyping), and an address alone after AXES_IP_FAILURE_LIMIT failures
# across any user names (password spraying): claims/lockout.py adds that second limit.
AXES_HANDLER = "claims.lockout.LoginLockoutHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address, for axes and the API's throttles: REMOTE_ADDR, unless a
# trusted reverse proxy is configured (claims/clientip.py).
AXES_CLIENT_IP_CALLABLE = "claims.clientip.client_ip"
# Reverse proxies in front of the app. Either the number of proxies that each add
# one X-Forwarded-For entry (TRUSTED_PROXY_COUNT), or their addresses/networks
# (TRUSTED_PROXIES). With neither, X-Forwarded-For is ignored: anyone can send it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

CSRF_FAILURE_VIEW = "claims.views.errors.csrf_failure"

# The debug page (DJANGO_DEBUG=1 only) hides connection strings as well as keys.
DEFAULT_EXCEPTION_REPORTER_FILTER = "claims.debug.SafeReporterFilter"

# --- Response headers ---------------------------------------------------------
# No inline scripts or styles anywhere: every script and style is a static file.
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
        "worker-src": ["'self'"],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "browsing-topics",
    )
}
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"

# --- I18N ---------------------------------------------------------------------
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Cache --------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "factcheck"}
    }
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)

# --- Celery -------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# Without a broker, tasks run in-process (the embedded default).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180)
CELERY_WORKER_CONCURRENCY = env_int("CELERY_WORKER_CONCURRENCY", 2)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Without this Celery closes Django's database connections before and after every
# task, so each task pays for a new PostgreSQL connection. With it, claims/tasks.py
# checks connections per task the way Django does per request (CONN_MAX_AGE,
# health checks, errors) and keeps the healthy ones.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000)
# A Redis visibility timeout longer than the hard time limit, so a task held by a
# killed worker is delivered again, but only after it could no longer be running.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 300)}
# Workers log through the LOGGING below (JSON lines with task ids), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

# --- REST framework -----------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
    "EXCEPTION_HANDLER": "claims.api.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Factcheck partner API",
    "DESCRIPTION": (
        "Published claims, verdicts and source track records from the Persian news fact-checking desk."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No request to any other host from the docs pages: Swagger UI would otherwise ask
    # validator.swagger.io to validate the schema (the ReDoc page's fonts are local too:
    # templates/drf_spectacular/redoc.html).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claims.api.schema.require_post_bodies",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RatingEnum": "claims.models.claims.Rating",
        "SourceKindEnum": "claims.models.sources.SourceKind",
        "AttributionKindEnum": "claims.models.articles.AttributionKind",
        # The JSON-LD keys of ClaimReview (@context, @type) would otherwise name their enums
        # "@contextEnum" and "@typeEnum": not valid component names, and unresolvable in ReDoc.
        "SchemaOrgContextEnum": ["https://schema.org"],
        "ClaimReviewTypeEnum": ["ClaimReview"],
    },
}
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "600/min")
API_SUBMIT_THROTTLE_RATE = os.environ.get("API_SUBMIT_THROTTLE_RATE", "60/min")
# Wrong or revoked API keys, counted per client address: past this, 429 for everyone there.
API_FAILED_KEY_RATE = os.environ.get("API_FAILED_KEY_RATE", "20/min")
# Partner API responses are cached (and dropped when a verdict changes) for at most this long.
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 60)
# Larger request bodies get 413 before they are read (a 1M-character article, JSON-escaped, fits).
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 8 * 1024 * 1024)
# Webhooks: HTTPS only; plain HTTP to a loopback host only with this flag (tests, local
# development); the host must also be in FETCH_ALLOWED_HOSTS to be reached at all.
WEBHOOK_ALLOW_HTTP_LOOPBACK = env_bool("WEBHOOK_ALLOW_HTTP_LOOPBACK", False)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30)
WEBHOOK_RETRY_MAX_SECONDS = env_int("WEBHOOK_RETRY_MAX_SECONDS", 3600)
WEBHOOK_DISABLE_AFTER_FAILURES = env_int("WEBHOOK_DISABLE_AFTER_FAILURES", 16)

# --- The publishing organisation (ClaimReview author, feeds) -------------------
FACTCHECK_ORG_NAME = os.environ.get("FACTCHECK_ORG_NAME", "میز راستی‌آزمایی")
# The organisation's home page in ClaimReview; empty: the site's own root.
FACTCHECK_ORG_URL = os.environ.get("FACTCHECK_ORG_URL", "")
# The site's absolute address for canonical links, feeds, the sitemap, JSON-LD and
# robots.txt (claims.site.site_url). Empty: the address each request came to.
SITE_URL = os.environ.get("SITE_URL", "") or os.environ.get("FACTCHECK_SITE_URL", "")

# --- Ingestion ----------------------------------------------------------------
# Public Telegram channels are read through their preview pages (t.me/s/<channel>).
TELEGRAM_PREVIEW_BASE_URL = os.environ.get("TELEGRAM_PREVIEW_BASE_URL", "https://t.me/s/")
TELEGRAM_PAGE_DELAY_SECONDS = float(os.environ.get("TELEGRAM_PAGE_DELAY_SECONDS", "2"))
TELEGRAM_MAX_PAGES = env_int("TELEGRAM_MAX_PAGES", 5)
# A feed of ClaimReview pages: at most this many of its items are read per import.
CLAIMREVIEW_FEED_MAX_ITEMS = env_int("CLAIMREVIEW_FEED_MAX_ITEMS", 50)
# Articles above this size are refused with a clear message (characters).
INGEST_MAX_CHARS = env_int("INGEST_MAX_CHARS", 1_000_000)
FETCH_MAX_BYTES = env_int("FETCH_MAX_BYTES", 5_000_000)
# Every fetch (pages, feeds, webhooks) goes only to public addresses, whatever DEBUG
# says. Hosts named here (e.g. "127.0.0.1,localhost" for a local test server) are
# the only exceptions: for tests and local development, never for production.
FETCH_ALLOWED_HOSTS = env_list("FETCH_ALLOWED_HOSTS")
# A URL submission is fetched by a Celery task with its own limits (seconds).
FETCH_TASK_SOFT_TIME_LIMIT = env_int("FETCH_TASK_SOFT_TIME_LIMIT", 60)
FETCH_TASK_TIME_LIMIT = env_int("FETCH_TASK_TIME_LIMIT", 90)
FETCH_TIMEOUT_SECONDS = env_int("FETCH_TIMEOUT_SECONDS", 15)
FETCH_USER_AGENT = os.environ.get(
    "FETCH_USER_AGENT", "factcheck-ingest/0.1 (+https://github.com/factcheck; claim and attribution tracker)"
)
# Celery queue for extraction and feed tasks; empty means the default queue that
# `make worker` consumes. Set it (and run a worker with -Q) to isolate ingestion.
INGEST_QUEUE = os.environ.get("INGEST_QUEUE", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 25 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# --- Operations ---------------------------------------------------------------
# /metrics answers a scraper at one of these addresses, or one sending this token.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1/32,::1/128")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# Logs: LOG_FORMAT=json gives one JSON object a line (production's default), with
# the request id and the Celery task id and name on every line.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "claims.observability.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s%(context)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s %(task_name)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
