"""Every setting comes from the environment, with defaults that run a fresh clone.

With DEBUG off a missing SECRET_KEY is an error: a production site never runs on
the development key.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django_prose_editor.config import html_tags
from environs import Env
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


# Every variable is read here, once, through environs: a malformed value (DEBUG=maybe,
# BROADSHEET_GRACE_DAYS=ten) stops the start with the variable's name. A variable set to
# nothing counts as unset, and 0 is a value like any other (BROADSHEET_GRACE_DAYS=0 is no grace).
env = Env()


def _given(name: str) -> bool:
    return os.environ.get(name, "").strip() != ""


def env_bool(name: str, default: bool) -> bool:
    return env.bool(name) if _given(name) else default


def env_int[T: (int, None)](name: str, default: T) -> int | T:
    return env.int(name) if _given(name) else default


def env_float(name: str, default: float) -> float:
    return env.float(name) if _given(name) else default


def env_csv(name: str, default: str = "") -> list[str]:
    """A comma-separated list, blanks dropped."""
    return [item.strip() for item in env.str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The test suite and the demo (`make demo`) are the two ways to run without production's settings.
BROADSHEET_TESTING = env_bool("BROADSHEET_TESTING", False)
BROADSHEET_DEMO = env_bool("BROADSHEET_DEMO", False)
# Created at start-up (broadsheet.core.apps), not here: importing the settings writes nothing.
DATA_DIR = Path(env.str("BROADSHEET_DATA_DIR", str(BASE_DIR / "var"))).resolve()
# Parallel test processes (pytest -n, pytest-xdist) each get a data directory and a Redis
# database of their own: the cache flush and the generation stamps of one never reach another.
_TEST_WORKER = env.str("PYTEST_XDIST_WORKER", "") if BROADSHEET_TESTING else ""
if _TEST_WORKER:
    DATA_DIR = DATA_DIR / f"xdist-{_TEST_WORKER}"

_DEV_SECRET = "broadsheet-development-key-not-for-production"  # noqa: S105 - refused unless DEBUG/demo/tests
SECRET_KEY = env.str("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or BROADSHEET_DEMO or BROADSHEET_TESTING:
        SECRET_KEY = _DEV_SECRET
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or run with DEBUG=1 "
            "(or BROADSHEET_DEMO=1) for local use."
        )

ALLOWED_HOSTS = env_csv("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_csv("CSRF_TRUSTED_ORIGINS")
# The one address every link in a mail (and every canonical URL) is built on. Unset, it is
# the address `serve` last recorded in the data dir (so `broadsheet renew` run by hand after
# `PORT=9000 make demo` links to :9000), else http://127.0.0.1:$PORT. Production sets it
# (a system check refuses to run without it, DEBUG off).
SITE_URL_CONFIGURED = bool(env.str("BROADSHEET_SITE_URL", "").strip())
_site_url_record = DATA_DIR / "site-url"
SITE_URL = (
    env.str("BROADSHEET_SITE_URL", "").strip()
    or (_site_url_record.read_text().strip() if _site_url_record.is_file() and not env.str("PORT", "") else "")
    or f"http://127.0.0.1:{env.str('PORT', '8000')}"
).rstrip("/")

INSTALLED_APPS = [
    "broadsheet.newsroom.admin_apps.DeskAdminConfig",  # django.contrib.admin, under the publication's name
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_tasks_db",
    "broadsheet.core",
    "broadsheet.newsroom",
    "broadsheet.readers",
    "broadsheet.billing",
    "broadsheet.paywall",
    "broadsheet.site",  # the pages and API endpoints that join newsroom, readers, billing and paywall
    "broadsheet.ads",
    "broadsheet.partners",
    "broadsheet.wire",
    "broadsheet.epaper",
    "broadsheet.pictures",
    "broadsheet.pages",
    "broadsheet.archive",
    "django_prose_editor",
    "broadsheet.newsletters",
    # The reader API (each app's `api` module, composed by broadsheet.api) and the reading app.
    "ninja",  # serves its own Swagger UI files for /api/docs (no CDN)
    "broadsheet.api",
    "broadsheet.pwa",
    "broadsheet.search",
    # The demo publication (`make demo`): the top layer, it seeds every app above.
    "broadsheet.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "broadsheet.core.nul_bytes.RefuseNulBytesMiddleware",
    "broadsheet.core.generations.RequestStampsMiddleware",
    "broadsheet.core.middleware.PrivatePagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "broadsheet.readers.signed_in.KeptUserAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "broadsheet.core.csp.PolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "broadsheet.readers.middleware.DeviceMiddleware",
    "broadsheet.newsroom.middleware.PublicationTimeZoneMiddleware",
]
# Pages, feeds and API answers gzipped here (text only; about 0.2 ms of CPU for a story page,
# 1.4 ms for the front page). Turn it off when a proxy or CDN in front compresses instead.
if env_bool("BROADSHEET_COMPRESS_PAGES", True):
    MIDDLEWARE.insert(1, "broadsheet.core.compression.TextGZipMiddleware")  # after security, before the rest

ROOT_URLCONF = "broadsheet.urls"
WSGI_APPLICATION = "broadsheet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "broadsheet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "broadsheet.newsroom.context_processors.publication",
                "broadsheet.ads.context_processors.ads",
            ],
            # An undefined variable renders as this, and the template-marker checks
            # in the tests look for it: nothing unrendered may reach a reader.
            "string_if_invalid": "",
        },
    }
]

# --- database -------------------------------------------------------------
_sqlite_path = DATA_DIR / "broadsheet.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{_sqlite_path}",
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if BROADSHEET_TESTING else 600
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # IMMEDIATE takes the write lock at BEGIN: concurrent writers queue instead
            # of failing on a lock upgrade, which is what the meter relies on.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests run threads against the database (the meter under concurrency): they
    # need a file, not the default in-memory test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "readers.User"

# --- cache, sessions, meter store ------------------------------------------
REDIS_URL = env.str("REDIS_URL", "").strip()
if REDIS_URL and _TEST_WORKER:
    _redis = urlsplit(REDIS_URL)
    _worker_db = (int(_redis.path.strip("/") or 0) - int(_TEST_WORKER.removeprefix("gw") or 0)) % 16
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{_worker_db}"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "broadsheet.core.redis_cache.KeptClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("BROADSHEET_CACHE_PREFIX", "bs"),
        }
    }
    SESSION_ENGINE = "broadsheet.readers.sessions.cached_db"
    BROADSHEET_METER_STORE = "broadsheet.paywall.meter.RedisMeterStore"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "broadsheet",
        }
    }
    SESSION_ENGINE = "broadsheet.readers.sessions.db"
    BROADSHEET_METER_STORE = "broadsheet.paywall.meter.DatabaseMeterStore"
BROADSHEET_METER_STORE = env.str("BROADSHEET_METER_STORE", BROADSHEET_METER_STORE)
BROADSHEET_GENERATION_PREFIX = env.str("BROADSHEET_CACHE_PREFIX", "bs") + ":gen"

# --- the paywall -------------------------------------------------------------
BROADSHEET_FREE_LIMIT = env_int("BROADSHEET_FREE_LIMIT", None)
BROADSHEET_TIME_ZONE = env.str("BROADSHEET_TIME_ZONE", "").strip() or None
_regwall = env.str("BROADSHEET_REGWALL", "").strip()
BROADSHEET_REGWALL = None if not _regwall else env_bool("BROADSHEET_REGWALL", False)
BROADSHEET_READER_COOKIE = "bs_reader"
# Anonymous views one network block (/24, /56), browser build and language may open a month,
# as a multiple of the anonymous free limit: readers behind a carrier's shared addresses each
# get their own allowance, and clearing cookies buys at most this (docs/adr/0002).
BROADSHEET_NETWORK_FREE_MULTIPLE = env_int("BROADSHEET_NETWORK_FREE_MULTIPLE", 10)
# Crawler verification: a dotted path to a callable resolver (tests inject one).
BROADSHEET_DNS_RESOLVER = env.str("BROADSHEET_DNS_RESOLVER", "broadsheet.paywall.crawlers.SystemResolver")
# The meter's keys in Redis (or its rows' prefix in the database store).
BROADSHEET_METER_PREFIX = "bs:meter"

# --- readers' devices and app tokens (docs/devices.md) ---------------------------------
BROADSHEET_DEFAULT_MAX_DEVICES = env_int("BROADSHEET_DEFAULT_MAX_DEVICES", 5)
# evict_oldest or ask (anything else is read as evict_oldest).
BROADSHEET_DEVICE_LIMIT_POLICY = env.str("BROADSHEET_DEVICE_LIMIT_POLICY", "evict_oldest")
BROADSHEET_DEVICE_TOUCH_SECONDS = env_int("BROADSHEET_DEVICE_TOUCH_SECONDS", 300)
BROADSHEET_SHARING_NETWORKS = env_int("BROADSHEET_SHARING_NETWORKS", 6)
BROADSHEET_SHARING_WINDOW_HOURS = env_float("BROADSHEET_SHARING_WINDOW_HOURS", 24)
# A GeoIP2 City .mmdb file, or a folder holding GeoLite2-City.mmdb (optional).
GEOIP_PATH = env.str("GEOIP_PATH", "")
BROADSHEET_APP_TOKEN_CACHE_SECONDS = env_int("BROADSHEET_APP_TOKEN_CACHE_SECONDS", 300)
# Story pages each worker keeps rendered, per story, decision and kind of reader (core.kept_pages);
# 10-30 kB each. 0 renders every page afresh.
BROADSHEET_KEPT_PAGES = env_int("BROADSHEET_KEPT_PAGES", 512)

# --- partner publication codes -------------------------------------------------
BROADSHEET_PARTNER_ALERT_EMAILS = env_csv("BROADSHEET_PARTNER_ALERT_EMAILS")
BROADSHEET_PARTNER_CSV_MAX_BYTES = env_int("BROADSHEET_PARTNER_CSV_MAX_BYTES", 5 * 1024 * 1024)

# --- accounts ------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/account/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_RATE_LIMITS = {
    # allauth's throttles, kept on: failed logins per address and per account.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_ADAPTER = "broadsheet.site.signin.ReaderAccountAdapter"

# --- e-mail ----------------------------------------------------------------------
# The demo writes each message to a file under var/mail so a person can read it;
# production sets EMAIL_BACKEND to SMTP and the EMAIL_* variables.
_mail_backend = env.str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
_mail_options: dict[str, object] = {}
if _mail_backend.endswith("filebased.EmailBackend"):
    _mail_options = {"file_path": str(DATA_DIR / "mail")}
elif _mail_backend.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": env.str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env.str("EMAIL_HOST_USER", ""),
        "password": env.str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": 10,
    }
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Broadsheet <noreply@example.com>")

# --- background work ---------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- client address ----------------------------------------------------------------
# Behind a reverse proxy: the header it writes (e.g. HTTP_X_FORWARDED_FOR) and how many
# proxies of ours append to it; only those right-most entries are trusted.
BROADSHEET_CLIENT_IP_HEADER = env.str("BROADSHEET_CLIENT_IP_HEADER", "")
BROADSHEET_TRUSTED_PROXIES = env_int("BROADSHEET_TRUSTED_PROXIES", 1)

# --- billing -----------------------------------------------------------------------
# Gateways by name; the dotted paths are ours, the choice is the operator's. The
# offline test gateway (TEST MODE pages) is on by default so a fresh clone can sell.
_GATEWAY_CLASSES = {
    "test": "broadsheet.billing.gateways.offline.gateway.TestGateway",
    "razorpay": "broadsheet.billing.gateways.razorpay.gateway.RazorpayGateway",
    "stripe": "broadsheet.billing.gateways.stripe.gateway.StripeGateway",
}
_gateway_names = env_csv("BROADSHEET_GATEWAYS", "test")
_unknown_gateways = sorted(set(_gateway_names) - set(_GATEWAY_CLASSES))
if _unknown_gateways:
    raise ImproperlyConfigured(
        f"BROADSHEET_GATEWAYS names unknown gateways {_unknown_gateways}; choose from {sorted(_GATEWAY_CLASSES)}"
    )
BROADSHEET_GATEWAYS = {name: _GATEWAY_CLASSES[name] for name in _gateway_names}
BROADSHEET_DEFAULT_GATEWAY = env.str("BROADSHEET_DEFAULT_GATEWAY", _gateway_names[0] if _gateway_names else "")
BROADSHEET_TEST_GATEWAY_SECRET = env.str("BROADSHEET_TEST_GATEWAY_SECRET", "")
RAZORPAY_KEY_ID = env.str("RAZORPAY_KEY_ID", "")
RAZORPAY_KEY_SECRET = env.str("RAZORPAY_KEY_SECRET", "")
RAZORPAY_WEBHOOK_SECRET = env.str("RAZORPAY_WEBHOOK_SECRET", "")
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", "")

# The seller on every tax invoice. The demo uses an obviously made-up identity;
# a real site must set its own (a system check refuses to run without, DEBUG off).
BROADSHEET_GSTIN = env.str("BROADSHEET_GSTIN", "27AAAAA0000A1Z5" if BROADSHEET_DEMO else "")
BROADSHEET_SELLER_ADDRESS = env.str(
    "BROADSHEET_SELLER_ADDRESS", "Demo House, 1 Example Road, Mumbai 400001" if BROADSHEET_DEMO else ""
)
BROADSHEET_SELLER_STATE = env.str("BROADSHEET_SELLER_STATE", "Maharashtra")

# Subscription lifecycle timings (see docs/renewals.md).
BROADSHEET_GRACE_DAYS = env_int("BROADSHEET_GRACE_DAYS", 10)
BROADSHEET_PRE_DEBIT_NOTICE_HOURS = env_int("BROADSHEET_PRE_DEBIT_NOTICE_HOURS", 48)
BROADSHEET_PRE_DEBIT_MIN_HOURS = env_int("BROADSHEET_PRE_DEBIT_MIN_HOURS", 24)
BROADSHEET_RENEWAL_LEAD_MINUTES = env_int("BROADSHEET_RENEWAL_LEAD_MINUTES", 60)
BROADSHEET_RENEWAL_BATCH = env_int("BROADSHEET_RENEWAL_BATCH", 500)
BROADSHEET_RENEWAL_GATEWAY_THREADS = env_int("BROADSHEET_RENEWAL_GATEWAY_THREADS", 1)
BROADSHEET_RENEWAL_EVERY_SECONDS = env_int("BROADSHEET_RENEWAL_EVERY_SECONDS", 300)
# The periodic renewal job split into this many tasks, for as many workers to run side by side.
BROADSHEET_RENEWAL_SHARES = env_int("BROADSHEET_RENEWAL_SHARES", 1)
BROADSHEET_PRICE_CHANGE_NOTICE_DAYS = env_int("BROADSHEET_PRICE_CHANGE_NOTICE_DAYS", 30)
BROADSHEET_OFFER_HOLD_MINUTES = env_int("BROADSHEET_OFFER_HOLD_MINUTES", 30)
BROADSHEET_GIFT_REDEEM_DAYS = env_int("BROADSHEET_GIFT_REDEEM_DAYS", 365)
BROADSHEET_WEBHOOK_MAX_BYTES = env_int("BROADSHEET_WEBHOOK_MAX_BYTES", 1024 * 1024)

# --- the reader API and the app (docs/api.md) ----------------------------------------


# Search stops a query after this many milliseconds and asks the reader to narrow it (0: no limit).
BROADSHEET_SEARCH_TIMEOUT_MS = env_int("BROADSHEET_SEARCH_TIMEOUT_MS", 1500)
# An app token stops working after this many days unused, and this many days after sign-in at most.
BROADSHEET_APP_TOKEN_IDLE_DAYS = env_int("BROADSHEET_APP_TOKEN_IDLE_DAYS", 30)
BROADSHEET_APP_TOKEN_MAX_DAYS = env_int("BROADSHEET_APP_TOKEN_MAX_DAYS", 180)
# Requests per window to /api/: per token and per client address (0 switches a limit off).
BROADSHEET_API_RATE_PER_TOKEN = env_int("BROADSHEET_API_RATE_PER_TOKEN", 300)
BROADSHEET_API_RATE_PER_ADDRESS = env_int("BROADSHEET_API_RATE_PER_ADDRESS", 1200)
BROADSHEET_API_RATE_WINDOW_SECONDS = env_int("BROADSHEET_API_RATE_WINDOW_SECONDS", 60)
# How long a write's Idempotency-Key is remembered.
BROADSHEET_IDEMPOTENCY_HOURS = env_int("BROADSHEET_IDEMPOTENCY_HOURS", 24)
# --- the archive (docs/archive.md) ---------------------------------------------------
# Stories older than this many days are the archive: open to holders of the archive benefit (0: no archive rule).
BROADSHEET_ARCHIVE_AGE_DAYS = env_int("BROADSHEET_ARCHIVE_AGE_DAYS", 365)
# --- newsletters (docs/newsletters.md) ----------------------------------------------
# Newsletters go through MAILERS["newsletters"] when BROADSHEET_NEWSLETTER_EMAIL_HOST is
# set (a bulk relay of its own), else through the site's default mailer.
if env.str("BROADSHEET_NEWSLETTER_EMAIL_HOST", "").strip():
    MAILERS["newsletters"] = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env.str("BROADSHEET_NEWSLETTER_EMAIL_HOST").strip(),
            "port": env_int("BROADSHEET_NEWSLETTER_EMAIL_PORT", 25),
            "username": env.str("BROADSHEET_NEWSLETTER_EMAIL_USER", ""),
            "password": env.str("BROADSHEET_NEWSLETTER_EMAIL_PASSWORD", ""),
            "use_tls": env_bool("BROADSHEET_NEWSLETTER_EMAIL_USE_TLS", False),
            "use_ssl": env_bool("BROADSHEET_NEWSLETTER_EMAIL_USE_SSL", False),
            "timeout": env_int("BROADSHEET_NEWSLETTER_EMAIL_TIMEOUT", 30),
        },
    }
_from_domain = DEFAULT_FROM_EMAIL.rpartition("@")[2].rstrip(">").strip() or "example.com"
BROADSHEET_NEWSLETTER_BOUNCE_ADDRESS = env.str("BROADSHEET_NEWSLETTER_BOUNCE_ADDRESS", f"bounces@{_from_domain}")
BROADSHEET_NEWSLETTER_VERP = env_bool("BROADSHEET_NEWSLETTER_VERP", True)
BROADSHEET_NEWSLETTER_RATE = env_float("BROADSHEET_NEWSLETTER_RATE", 0.0)  # messages/s, 0: no limit
BROADSHEET_NEWSLETTER_BATCH = env_int("BROADSHEET_NEWSLETTER_BATCH", 200)
BROADSHEET_NEWSLETTER_SENDERS = env_int("BROADSHEET_NEWSLETTER_SENDERS", 2)
BROADSHEET_NEWSLETTER_LEASE_SECONDS = env_int("BROADSHEET_NEWSLETTER_LEASE_SECONDS", 120)
BROADSHEET_NEWSLETTER_MAX_ATTEMPTS = env_int("BROADSHEET_NEWSLETTER_MAX_ATTEMPTS", 3)
BROADSHEET_NEWSLETTER_RETRY_MINUTES = env_int("BROADSHEET_NEWSLETTER_RETRY_MINUTES", 15)
BROADSHEET_NEWSLETTER_TICK_SECONDS = env_int("BROADSHEET_NEWSLETTER_TICK_SECONDS", 30)
BROADSHEET_NEWSLETTER_MESSAGES_PER_CONNECTION = env_int("BROADSHEET_NEWSLETTER_MESSAGES_PER_CONNECTION", 1000)
BROADSHEET_NEWSLETTER_CONFIRM_DAYS = env_int("BROADSHEET_NEWSLETTER_CONFIRM_DAYS", 7)
BROADSHEET_NEWSLETTER_CONFIRM_RESEND_MINUTES = env_int("BROADSHEET_NEWSLETTER_CONFIRM_RESEND_MINUTES", 10)
BROADSHEET_NEWSLETTER_SIGNUPS_PER_HOUR = env_int("BROADSHEET_NEWSLETTER_SIGNUPS_PER_HOUR", 30)

# --- the wire desk (docs/wire.md) ----------------------------------------------------
BROADSHEET_WIRE_MAX_FILE_BYTES = env_int("BROADSHEET_WIRE_MAX_FILE_BYTES", 20 * 1024 * 1024)
BROADSHEET_WIRE_MAX_ITEM_BYTES = env_int("BROADSHEET_WIRE_MAX_ITEM_BYTES", 2 * 1024 * 1024)
# Oversized originals, named by SHA-256; blank: DATA_DIR/wire/quarantine.
BROADSHEET_WIRE_QUARANTINE_DIR = env.str("BROADSHEET_WIRE_QUARANTINE_DIR", "")
BROADSHEET_WIRE_CHUNK = env_int("BROADSHEET_WIRE_CHUNK", 200)  # items written per transaction
BROADSHEET_WIRE_POLL_SECONDS = env_int("BROADSHEET_WIRE_POLL_SECONDS", 60)
BROADSHEET_WIRE_HTTP_TIMEOUT = env_float("BROADSHEET_WIRE_HTTP_TIMEOUT", 30)
BROADSHEET_WIRE_LEASE_SECONDS = env_int("BROADSHEET_WIRE_LEASE_SECONDS", 900)

# --- i18n, static -------------------------------------------------------------------
LANGUAGE_CODE = "en-in"
FORMAT_MODULE_PATH = ["broadsheet.formats"]  # dates as the paper writes them: "1 December 2026, 2:53 PM"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
# The suite serves the sources through the finders; a STATIC_ROOT that `make demo` collected into
# would shadow them with yesterday's files, so tests point it at a folder nothing collects into.
STATIC_ROOT = DATA_DIR / ("static-unused-by-tests" if BROADSHEET_TESTING else "static")
# Content-hashed, pre-compressed (gzip) static files, served by WhiteNoise with a year's
# immutable caching; `serve` (and so `make demo`) collects them first. DEBUG serves the
# sources as they are; the test suite serves them unhashed through the finders (its live
# server reads the sources), and tests/core/test_static.py collects the hashed set itself.
if DEBUG:
    _static_backend = "django.contrib.staticfiles.storage.StaticFilesStorage"
elif BROADSHEET_TESTING:
    _static_backend = "whitenoise.storage.CompressedStaticFilesStorage"
else:
    _static_backend = "whitenoise.storage.CompressedManifestStaticFilesStorage"
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _static_backend},
}
# --- the e-paper (docs/epaper.md) ------------------------------------------------------
# Its files (PDFs, page images, clippings) live in their own storage, never served by URL
# of the storage itself: every page image goes through a view that asks the paywall.
BROADSHEET_EPAPER_MAX_UPLOAD_MB = env_int("BROADSHEET_EPAPER_MAX_UPLOAD_MB", 200)
BROADSHEET_EPAPER_MAX_PAGES = env_int("BROADSHEET_EPAPER_MAX_PAGES", 200)
BROADSHEET_EPAPER_READING_WIDTH = env_int("BROADSHEET_EPAPER_READING_WIDTH", 1600)
BROADSHEET_EPAPER_THUMB_WIDTH = env_int("BROADSHEET_EPAPER_THUMB_WIDTH", 200)
BROADSHEET_EPAPER_IMAGE_FORMAT = env.str("BROADSHEET_EPAPER_IMAGE_FORMAT", "webp").strip().lower()
if BROADSHEET_EPAPER_IMAGE_FORMAT not in {"webp", "jpeg"}:
    raise ImproperlyConfigured(
        f"BROADSHEET_EPAPER_IMAGE_FORMAT must be webp or jpeg, got {BROADSHEET_EPAPER_IMAGE_FORMAT!r}"
    )
# Each page renders in a child process with this much memory and time at most (a hostile PDF costs one page).
BROADSHEET_EPAPER_RENDER_MEMORY_MB = env_int("BROADSHEET_EPAPER_RENDER_MEMORY_MB", 2048)
BROADSHEET_EPAPER_PAGE_SECONDS = env_int("BROADSHEET_EPAPER_PAGE_SECONDS", 120)
BROADSHEET_EPAPER_LINK_MINUTES = env_int("BROADSHEET_EPAPER_LINK_MINUTES", 10)
BROADSHEET_EPAPER_CLIP_MAX_PERCENT = env_int("BROADSHEET_EPAPER_CLIP_MAX_PERCENT", 50)
BROADSHEET_EPAPER_STORAGE = env.str("BROADSHEET_EPAPER_STORAGE", "filesystem").strip().lower()
if BROADSHEET_EPAPER_STORAGE == "s3":
    # django-storages with boto3 (`pip install -e '.[s3]'`); credentials from AWS_ACCESS_KEY_ID /
    # AWS_SECRET_ACCESS_KEY or the instance's role, as boto3 finds them.
    STORAGES["epaper"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("BROADSHEET_EPAPER_S3_BUCKET", ""),
            "endpoint_url": env.str("BROADSHEET_EPAPER_S3_ENDPOINT_URL", "") or None,
            "region_name": env.str("BROADSHEET_EPAPER_S3_REGION", "") or None,
            "location": env.str("BROADSHEET_EPAPER_S3_PREFIX", "epaper"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif BROADSHEET_EPAPER_STORAGE == "filesystem":
    STORAGES["epaper"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "epaper"), "base_url": None},
    }
else:
    raise ImproperlyConfigured(f"BROADSHEET_EPAPER_STORAGE must be filesystem or s3, got {BROADSHEET_EPAPER_STORAGE!r}")

STATICFILES_DIRS = [BASE_DIR / "broadsheet" / "static"]
WHITENOISE_USE_FINDERS = DEBUG or BROADSHEET_TESTING
WHITENOISE_ROOT = BASE_DIR / "broadsheet" / "static" / "root"  # /favicon.ico
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

# --- pictures -----------------------------------------------------------------------
# Renditions go to the default storage above (MEDIA_ROOT, or S3-compatible storage through
# django-storages); originals to a storage of their own that no URL serves.
STORAGES["picture_originals"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(DATA_DIR / "picture-originals"), "base_url": None},
}
BROADSHEET_PICTURE_MAX_BYTES = env_int("BROADSHEET_PICTURE_MAX_BYTES", 15 * 1024 * 1024)
BROADSHEET_PICTURE_MAX_PIXELS = env_int("BROADSHEET_PICTURE_MAX_PIXELS", 40_000_000)
# Serve MEDIA_URL from this process (the demo, a small site); off when a web server or CDN serves it.
BROADSHEET_SERVE_MEDIA = env_bool("BROADSHEET_SERVE_MEDIA", True)
# The story editor's "Picture from the library" (our own editor extension): it inserts only
# a figure with an image and a caption, tags the body sanitiser keeps.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("desk/picture-picker.js")],
        "extensions": {
            "LibraryPicture": html_tags(["figure", "figcaption", "img"], {"img": ["src", "alt", "width", "height"]})
        },
    }
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy ---------------------------------------------------------
# Django's own CSP middleware (django.middleware.csp, which grew out of django-csp): the
# admin and the desk's editor render their script nonces through it. Our pages load
# nothing from elsewhere; ad snippets may, from the hosts listed here (comma-separated,
# e.g. "https://securepubads.g.doubleclick.net,https://*.adnxs.com"), and the inline
# <script>s of a snippet get the page's nonce when it is rendered.
BROADSHEET_AD_HOSTS = env_csv("BROADSHEET_AD_HOSTS")
BROADSHEET_CSP_REPORT_URI = env.str("BROADSHEET_CSP_REPORT_URI", "").strip()
_razorpay = ["https://checkout.razorpay.com", "https://api.razorpay.com"] if "razorpay" in BROADSHEET_GATEWAYS else []
SECURE_CSP: dict[str, object] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE, *_razorpay, *BROADSHEET_AD_HOSTS],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *BROADSHEET_AD_HOSTS],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF, *_razorpay, *BROADSHEET_AD_HOSTS],
    "frame-src": [*_razorpay, *BROADSHEET_AD_HOSTS] or [CSP.NONE],
    "form-action": [CSP.SELF, *_razorpay],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
    **({"report-uri": BROADSHEET_CSP_REPORT_URI} if BROADSHEET_CSP_REPORT_URI else {}),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "WARNING")},
}
