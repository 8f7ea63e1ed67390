"""Every setting comes from the environment, with defaults that run a fresh clone.

With DEBUG off a missing SECRET_KEY is an error: a production site never runs on
the development key.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str) -> int | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from exc


DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(os.environ.get("BROADSHEET_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

_DEV_SECRET = "broadsheet-development-key-not-for-production"  # noqa: S105 - refused unless DEBUG/demo/tests
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or env_bool("BROADSHEET_DEMO", False) or env_bool("BROADSHEET_TESTING", False):
        SECRET_KEY = _DEV_SECRET
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or run with DEBUG=1 "
            "(or BROADSHEET_DEMO=1) for local use."
        )

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
SITE_URL = os.environ.get("BROADSHEET_SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
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
    "broadsheet.ads",
    "broadsheet.partners",
    "broadsheet.wire",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "broadsheet.core.generations.RequestStampsMiddleware",
    "broadsheet.core.middleware.PrivatePagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "broadsheet.readers.middleware.DeviceMiddleware",
    "broadsheet.core.middleware.PublicationTimeZoneMiddleware",
]

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
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if env_bool("BROADSHEET_TESTING", False) else 600
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
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("BROADSHEET_CACHE_PREFIX", "bs"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    BROADSHEET_METER_STORE = "broadsheet.paywall.meter.RedisMeterStore"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "broadsheet",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    BROADSHEET_METER_STORE = "broadsheet.paywall.meter.DatabaseMeterStore"
BROADSHEET_METER_STORE = os.environ.get("BROADSHEET_METER_STORE", BROADSHEET_METER_STORE)
BROADSHEET_GENERATION_PREFIX = os.environ.get("BROADSHEET_CACHE_PREFIX", "bs") + ":gen"

# --- the paywall -------------------------------------------------------------
BROADSHEET_FREE_LIMIT = env_int("BROADSHEET_FREE_LIMIT")
BROADSHEET_TIME_ZONE = os.environ.get("BROADSHEET_TIME_ZONE", "").strip() or None
_regwall = os.environ.get("BROADSHEET_REGWALL", "").strip()
BROADSHEET_REGWALL = None if not _regwall else env_bool("BROADSHEET_REGWALL", False)
BROADSHEET_READER_COOKIE = "bs_reader"
# Crawler verification: a dotted path to a callable resolver (tests inject one).
BROADSHEET_DNS_RESOLVER = os.environ.get("BROADSHEET_DNS_RESOLVER", "broadsheet.paywall.crawlers.SystemResolver")

# --- partner publication codes -------------------------------------------------
BROADSHEET_PARTNER_ALERT_EMAILS = [
    e.strip() for e in os.environ.get("BROADSHEET_PARTNER_ALERT_EMAILS", "").split(",") if e.strip()
]
BROADSHEET_PARTNER_CSV_MAX_BYTES = int(os.environ.get("BROADSHEET_PARTNER_CSV_MAX_BYTES", str(5 * 1024 * 1024)))

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
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_RATE_LIMITS = {
    # allauth's throttles, kept on: failed logins per address and per account.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_ADAPTER = "broadsheet.readers.adapter.ReaderAccountAdapter"

# --- e-mail ----------------------------------------------------------------------
# The demo writes each message to a file under var/mail so a person can read it;
# production sets EMAIL_BACKEND to SMTP and the EMAIL_* variables.
_mail_backend = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
_mail_options: dict[str, object] = {}
if _mail_backend.endswith("filebased.EmailBackend"):
    _mail_options = {"file_path": str(DATA_DIR / "mail")}
elif _mail_backend.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": 10,
    }
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Broadsheet <noreply@example.com>")

# --- background work ---------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- client address ----------------------------------------------------------------
# Behind a reverse proxy: the header it writes (e.g. HTTP_X_FORWARDED_FOR) and how many
# proxies of ours append to it; only those right-most entries are trusted.
BROADSHEET_CLIENT_IP_HEADER = os.environ.get("BROADSHEET_CLIENT_IP_HEADER", "")
BROADSHEET_TRUSTED_PROXIES = env_int("BROADSHEET_TRUSTED_PROXIES") or 1

# --- billing -----------------------------------------------------------------------
# Gateways by name; the dotted paths are ours, the choice is the operator's. The
# offline test gateway (TEST MODE pages) is on by default so a fresh clone can sell.
_GATEWAY_CLASSES = {
    "test": "broadsheet.billing.gateways.test_gateway.TestGateway",
    "razorpay": "broadsheet.billing.gateways.razorpay_gateway.RazorpayGateway",
    "stripe": "broadsheet.billing.gateways.stripe_gateway.StripeGateway",
}
_gateway_names = [g.strip() for g in os.environ.get("BROADSHEET_GATEWAYS", "test").split(",") if g.strip()]
_unknown_gateways = sorted(set(_gateway_names) - set(_GATEWAY_CLASSES))
if _unknown_gateways:
    raise ImproperlyConfigured(
        f"BROADSHEET_GATEWAYS names unknown gateways {_unknown_gateways}; choose from {sorted(_GATEWAY_CLASSES)}"
    )
BROADSHEET_GATEWAYS = {name: _GATEWAY_CLASSES[name] for name in _gateway_names}
BROADSHEET_DEFAULT_GATEWAY = os.environ.get("BROADSHEET_DEFAULT_GATEWAY", _gateway_names[0] if _gateway_names else "")
BROADSHEET_TEST_GATEWAY_SECRET = os.environ.get("BROADSHEET_TEST_GATEWAY_SECRET", "")
RAZORPAY_KEY_ID = os.environ.get("RAZORPAY_KEY_ID", "")
RAZORPAY_KEY_SECRET = os.environ.get("RAZORPAY_KEY_SECRET", "")
RAZORPAY_WEBHOOK_SECRET = os.environ.get("RAZORPAY_WEBHOOK_SECRET", "")
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")

# The seller on every tax invoice. The demo uses an obviously made-up identity;
# a real site must set its own (a system check refuses to run without, DEBUG off).
_demo_seller = env_bool("BROADSHEET_DEMO", False)
BROADSHEET_GSTIN = os.environ.get("BROADSHEET_GSTIN", "27AAAAA0000A1Z5" if _demo_seller else "")
BROADSHEET_SELLER_ADDRESS = os.environ.get(
    "BROADSHEET_SELLER_ADDRESS", "Demo House, 1 Example Road, Mumbai 400001" if _demo_seller else ""
)
BROADSHEET_SELLER_STATE = os.environ.get("BROADSHEET_SELLER_STATE", "Maharashtra")

# Subscription lifecycle timings (see docs/renewals.md).
BROADSHEET_GRACE_DAYS = env_int("BROADSHEET_GRACE_DAYS") or 10
BROADSHEET_PRE_DEBIT_NOTICE_HOURS = env_int("BROADSHEET_PRE_DEBIT_NOTICE_HOURS") or 48
BROADSHEET_PRE_DEBIT_MIN_HOURS = env_int("BROADSHEET_PRE_DEBIT_MIN_HOURS") or 24
BROADSHEET_RENEWAL_LEAD_MINUTES = env_int("BROADSHEET_RENEWAL_LEAD_MINUTES") or 60
BROADSHEET_RENEWAL_BATCH = env_int("BROADSHEET_RENEWAL_BATCH") or 500
BROADSHEET_RENEWAL_GATEWAY_THREADS = env_int("BROADSHEET_RENEWAL_GATEWAY_THREADS") or 1
BROADSHEET_RENEWAL_EVERY_SECONDS = env_int("BROADSHEET_RENEWAL_EVERY_SECONDS") or 300
BROADSHEET_PRICE_CHANGE_NOTICE_DAYS = env_int("BROADSHEET_PRICE_CHANGE_NOTICE_DAYS") or 30
BROADSHEET_OFFER_HOLD_MINUTES = env_int("BROADSHEET_OFFER_HOLD_MINUTES") or 30
BROADSHEET_GIFT_REDEEM_DAYS = env_int("BROADSHEET_GIFT_REDEEM_DAYS") or 365
BROADSHEET_WEBHOOK_MAX_BYTES = env_int("BROADSHEET_WEBHOOK_MAX_BYTES") or 1024 * 1024

# --- i18n, static -------------------------------------------------------------------
LANGUAGE_CODE = "en-in"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATICFILES_DIRS = [BASE_DIR / "broadsheet" / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
