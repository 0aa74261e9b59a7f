"""Guildhall settings: one file, driven by the environment (see .env.example).

With nothing set, Guildhall runs on an embedded default: a SQLite file, Celery tasks run eagerly,
email printed to the console, media on local disk and the demo payment gateway. Setting
DJANGO_ENV=production demands a secret key, PostgreSQL and a Redis broker, and turns on the
transport-security settings and a nonce-based Content Security Policy.
"""

import sys
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"
TESTING = env.bool("GUILDHALL_TESTING", default="pytest" in sys.modules)


def service_url(name: str) -> str:
    """A developer's broker, cache or mail server never reaches the tests (environment or .env):
    they run on the embedded default (eager Celery, local-memory cache, console email), and the
    tests that need Redis or a real worker point at GUILDHALL_TEST_REDIS_URL themselves."""
    return "" if TESTING else env.str(name, default="")


if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Production needs SECRET_KEY (at least 50 characters).")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-used-in-production")

DEBUG = env.bool("DEBUG", default=not PRODUCTION and not TESTING)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["*"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Guildhall"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "axes",
    "django_htmx",
    "marketplace",
    "accounts",
    "notifications",
    "escrow",
    "projects",
    "bids",
    "messaging",
    "leads",
    "workspaces",
    "reviews",
    "bookings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "marketplace.middleware.reject_nul_bytes",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the language cookie (set by the switcher), else Accept-Language; URLs stay
    # the same (no language prefix). A signed-in person's saved language wins (below).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
    "escrow.middleware.PendingGatewayEventsMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marketplace.context_processors.site",
                "notifications.context_processors.unread_notifications",
            ],
            # {% translate %}/{% blocktranslate %} and l10n tags in every template without a load.
            "builtins": [
                "marketplace.templatetags.marketplace",
                "django.templatetags.i18n",
                "django.templatetags.l10n",
            ],
        },
    },
]

# Database: SQLite file by default; PostgreSQL through DATABASE_URL in production and CI.
DATABASES = {
    # A blank DATABASE_URL (e.g. "DATABASE_URL=" in .env) means the default too.
    "default": environ.Env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault(
        "CONN_MAX_AGE", 0 if TESTING else env.int("CONN_MAX_AGE", default=60)
    )
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# django-allauth: email is the login; verification mandatory in production.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="mandatory" if PRODUCTION else "optional"
)
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupRoleForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Guildhall] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
if TESTING:
    ACCOUNT_RATE_LIMITS = False  # allauth's own limits stay on everywhere else

# How many reverse proxies in front of the site append to X-Forwarded-For (0: none, the socket's
# address is the visitor's). allauth's rate limits and django-axes both read the visitor's address
# through marketplace.http.client_ip, which trusts exactly this many hops.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# django-axes guards the admin login against password guessing. A lock holds one account from one
# address: never a whole address (behind the proxy every visitor may share one) nor an account
# from everywhere (anyone could then lock any staff member out).
AXES_ONLY_ADMIN_SITE = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "marketplace.http.client_ip"
AXES_USERNAME_CALLABLE = "marketplace.http.login_username"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch")]  # each named in its own language
LOCALE_PATHS = [BASE_DIR / "locale"]
# Named date formats and money grouping per language: marketplace/formats/<lang>/formats.py.
FORMAT_MODULE_PATH = ["marketplace.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Media: local disk by default (MEDIA_ROOT); "s3" puts it on an S3-compatible store so that any
# number of web nodes share it (marketplace/storage.py). Private files are always streamed
# through their permission-checked views, from whichever storage holds them.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")
if MEDIA_STORAGE == "s3":
    S3_BUCKET = env.str("S3_BUCKET", default="")
    S3_PRIVATE_BUCKET = env.str("S3_PRIVATE_BUCKET", default="")
    if not S3_BUCKET or not S3_PRIVATE_BUCKET or S3_BUCKET == S3_PRIVATE_BUCKET:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs two buckets: S3_BUCKET for public images and "
            "S3_PRIVATE_BUCKET, a different one, for private files."
        )
    _s3 = {
        # Blank: AWS itself, and boto3's own credentials (AWS_* variables, an instance role).
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("S3_REGION", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "file_overwrite": False,  # a second upload with the same name gets a new name, as on disk
        "default_acl": None,  # the bucket's own policy decides who may read
    }
    STORAGES["default"] = {
        "BACKEND": "marketplace.storage.PublicMediaStorage",
        "OPTIONS": {**_s3, "bucket_name": S3_BUCKET, "querystring_auth": False},
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": S3_PRIVATE_BUCKET,
            # Nothing links to a private file; were a URL ever made, it would be signed and short.
            "querystring_auth": True,
            "querystring_expire": 60,
        },
    }
    # Public images straight from the bucket's public address, or through /media/ by default.
    MEDIA_URL = env.str("S3_MEDIA_URL", default="") or MEDIA_URL
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Upload limits, in bytes.
MAX_IMAGE_SIZE = env.int("MAX_IMAGE_SIZE", default=5 * 1024 * 1024)
MAX_IMAGE_PIXELS = env.int("MAX_IMAGE_PIXELS", default=40_000_000)
MAX_DOCUMENT_SIZE = env.int("MAX_DOCUMENT_SIZE", default=25 * 1024 * 1024)

# Cache: Redis when configured, else local memory (per process). Production shares one cache
# between all its processes (login rate limits, search caches): REDIS_URL, or else the broker's
# Redis; a per-process cache there would count rate limits per worker.
REDIS_URL = service_url("REDIS_URL")
CELERY_BROKER_URL = service_url("CELERY_BROKER_URL") or REDIS_URL
if PRODUCTION and not REDIS_URL and CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    REDIS_URL = CELERY_BROKER_URL
if PRODUCTION and REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("Production needs a shared Redis cache (REDIS_URL).")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # Sessions read from the shared cache, written through to the database: a signed-in page
    # saves a query, and a session outlives a cache flush.
    SESSION_ENGINE = "marketplace.sessions.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Django's database store, reading a session through compiled SQL (marketplace.sessions).
    SESSION_ENGINE = "marketplace.sessions.db"

# Celery: Redis broker when configured; otherwise tasks run eagerly in the web process.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # An eager call still takes a producer from the pool: the in-memory transport (nothing leaves
    # the process) instead of an AMQP default that warns "No hostname was supplied".
    CELERY_BROKER_WRITE_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}
# One beat however many machines run it: the schedule lives in Redis behind a lock (RedBeat), so
# a second beat waits, takes over within CELERY_REDBEAT_LOCK_TIMEOUT if the first dies, and
# never sends a periodic job twice. Workers never run a beat of their own.
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = CELERY_BROKER_URL
    CELERY_BEAT_MAX_LOOP_INTERVAL = 30  # seconds between a waiting beat's tries for the lock
    CELERY_REDBEAT_LOCK_TIMEOUT = 90  # a beat that stops renewing its lock loses it after this

# Email: printed to the console by default; SMTP through EMAIL_URL (smtp+tls://user:pass@host:587).
EMAIL_URL = service_url("EMAIL_URL")
if EMAIL_URL:
    _smtp = environ.Env.email_url_config(EMAIL_URL)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp["EMAIL_HOST"],
                "port": _smtp["EMAIL_PORT"],
                "username": _smtp["EMAIL_HOST_USER"],
                "password": _smtp["EMAIL_HOST_PASSWORD"],
                "use_tls": _smtp.get("EMAIL_USE_TLS", False),
                "use_ssl": _smtp.get("EMAIL_USE_SSL", False),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Guildhall <hello@guildhall.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Content Security Policy (Django 6): nonces for scripts, no inline styles or scripts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"] + ([MEDIA_URL] if "://" in MEDIA_URL else []),
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # Browsers hold a form's redirect to form-action too: paying redirects to Stripe Checkout.
    "form-action": [CSP.SELF]
    + ([] if PRODUCTION else ["http://127.0.0.1:*", "http://localhost:*"])
    + (
        ["https://checkout.stripe.com"]
        if env.str("PAYMENT_GATEWAY", default="demo") == "stripe"
        else []
    ),
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    if env.str("PAYMENT_GATEWAY", default="demo") != "stripe":
        raise ImproperlyConfigured("Production takes card payments through PAYMENT_GATEWAY=stripe.")
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("Production needs a PostgreSQL DATABASE_URL.")
    if not CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured("Production needs a Redis broker (CELERY_BROKER_URL).")
    if not EMAIL_URL:
        raise ImproperlyConfigured("Production needs an SMTP server (EMAIL_URL).")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs ALLOWED_HOSTS (the site's host names).")
    if not SITE_URL.startswith("https://"):
        raise ImproperlyConfigured("Production needs SITE_URL, the public https:// address.")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Eager tasks run inside the command or request: no "Task … succeeded" line for each
        # (a worker's own log keeps them; failures are errors and still show).
        **({"celery.app.trace": {"level": "WARNING"}} if CELERY_TASK_ALWAYS_EAGER else {}),
    },
}

# --- Guildhall business settings -------------------------------------------------------------
PLATFORM_CURRENCY = env.str("PLATFORM_CURRENCY", default="EUR")

# Money (escrow app): fees in basis points with a minimum (minor units), per-kind overrides.
PLATFORM_FEE_BPS = env.int("PLATFORM_FEE_BPS", default=1000)
PLATFORM_FEE_MIN = env.int("PLATFORM_FEE_MIN", default=100)
PLATFORM_FEE_BY_KIND: dict[str, dict[str, int]] = {
    # e.g. "hourly": {"bps": 800, "min": 100}
}
PAYMENT_GATEWAY = env.str("PAYMENT_GATEWAY", default="demo")
if PAYMENT_GATEWAY not in {"demo", "stripe"}:
    raise ImproperlyConfigured("PAYMENT_GATEWAY must be 'demo' or 'stripe'.")
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")  # tests point it at a fake server
STRIPE_PAYOUT_HOLD_DAYS = env.int("STRIPE_PAYOUT_HOLD_DAYS", default=80)
STRIPE_CONNECT_COUNTRY = env.str("STRIPE_CONNECT_COUNTRY", default="IE")
PAYOUT_MIN = env.int("PAYOUT_MIN", default=1000)
RECONCILIATION_ALERT_EMAILS = env.list("RECONCILIATION_ALERT_EMAILS", default=[])
GATEWAY_EVENT_SWEEP_AFTER_SECONDS = env.int("GATEWAY_EVENT_SWEEP_AFTER_SECONDS", default=120)
# Without a broker (eager tasks, no beat), a request catches up on unprocessed gateway events at
# most this often; 0 turns it off. With a broker the beat's sweep_outbox does this job.
GATEWAY_EVENTS_CATCH_UP_SECONDS = env.int("GATEWAY_EVENTS_CATCH_UP_SECONDS", default=30)
CELERY_BEAT_SCHEDULE["escrow-release-due-pending"] = {
    "task": "escrow.tasks.release_due_pending",
    "schedule": 15 * 60,
}
CELERY_BEAT_SCHEDULE["escrow-sweep-outbox"] = {
    "task": "escrow.tasks.sweep_outbox",
    "schedule": 60,
}
CELERY_BEAT_SCHEDULE["escrow-reconcile-ledger"] = {
    "task": "escrow.tasks.reconcile_ledger",
    "schedule": 24 * 60 * 60,
}
CELERY_BEAT_SCHEDULE["escrow-pay-out-before-hold-limit"] = {
    "task": "escrow.tasks.pay_out_before_hold_limit",
    "schedule": 6 * 60 * 60,
}
CELERY_BEAT_SCHEDULE["escrow-pay-out-connected-balances"] = {
    "task": "escrow.tasks.pay_out_connected_balances",
    "schedule": 24 * 60 * 60,
}

# Projects (projects app): upgrade prices in minor units, moderation rule, beat jobs.
FEATURED_PRICE = env.int("FEATURED_PRICE", default=2900)
PRIVATE_PRICE = env.int("PRIVATE_PRICE", default=1900)
ASSIST_PRICE = env.int("ASSIST_PRICE", default=4900)
FEATURED_DAYS = env.int("FEATURED_DAYS", default=10)
# "off" | "all" | "unverified" (clients without a verified company) | "categories" (slugs below)
PROJECT_MODERATION = env.str("PROJECT_MODERATION", default="off")
if PROJECT_MODERATION not in {"off", "all", "unverified", "categories"}:
    raise ImproperlyConfigured("PROJECT_MODERATION must be off, all, unverified or categories.")
PROJECT_MODERATION_CATEGORIES = env.list("PROJECT_MODERATION_CATEGORIES", default=[])
SEARCH_CACHE_SECONDS = env.int("SEARCH_CACHE_SECONDS", default=60)
CELERY_BEAT_SCHEDULE["projects-end-featured"] = {
    "task": "projects.tasks.end_featured",
    "schedule": 5 * 60,
}
CELERY_BEAT_SCHEDULE["projects-refresh-expert-index"] = {
    "task": "projects.tasks.refresh_expert_index",
    "schedule": 5 * 60,
}
CELERY_BEAT_SCHEDULE["projects-daily-digest"] = {
    "task": "projects.tasks.send_digests",
    "schedule": 24 * 60 * 60,
    "args": ("daily",),
}
CELERY_BEAT_SCHEDULE["projects-weekly-digest"] = {
    "task": "projects.tasks.send_digests",
    "schedule": 7 * 24 * 60 * 60,
    "args": ("weekly",),
}

# Bids and messaging (bids, messaging apps).
BID_CAP = env.int("BID_CAP", default=None)  # per project; None: no cap
BID_MAX_AMOUNT = env.int("BID_MAX_AMOUNT", default=1_000_000_000)  # minor units (10,000,000.00)
BID_MAX_DAYS = env.int("BID_MAX_DAYS", default=3650)
BID_MAX_MILESTONES = env.int("BID_MAX_MILESTONES", default=20)
BID_MAX_ATTACHMENTS = env.int("BID_MAX_ATTACHMENTS", default=5)
MESSAGE_POLL_SECONDS = env.int("MESSAGE_POLL_SECONDS", default=5)
MESSAGE_MAX_ATTACHMENTS = env.int("MESSAGE_MAX_ATTACHMENTS", default=5)

# Referral leads (leads app): buyers per mandate, half price after N days, the award job.
LEAD_MAX_BUYERS = env.int("LEAD_MAX_BUYERS", default=4)
LEAD_HALF_PRICE_AFTER_DAYS = env.int("LEAD_HALF_PRICE_AFTER_DAYS", default=4)
CELERY_BEAT_SCHEDULE["leads-award-half-price"] = {
    "task": "leads.tasks.award_half_price_reservations",
    "schedule": 15 * 60,
}

# Workspaces (workspaces app): the milestone cycle, QC, revisions, disputes, files, video calls.
AUTO_APPROVE_DAYS = env.int("AUTO_APPROVE_DAYS", default=14)  # reminders at N-3 and N-1 days
WORKSPACE_MAX_UPLOAD = env.int("WORKSPACE_MAX_UPLOAD", default=100 * 1024 * 1024)
WORKSPACE_X_ACCEL_REDIRECT = env.str("WORKSPACE_X_ACCEL_REDIRECT", default="")  # e.g. "/protected/"
if WORKSPACE_X_ACCEL_REDIRECT and MEDIA_STORAGE != "local":
    raise ImproperlyConfigured("WORKSPACE_X_ACCEL_REDIRECT serves files from local disk only.")
VIDEO_ROOM_URL = env.str("VIDEO_ROOM_URL", default="https://meet.jit.si/{room}")
WORKSPACE_QC_FEE = env.int("WORKSPACE_QC_FEE", default=2500)  # paid to the QC expert per review
WORKSPACE_FREE_REVISIONS = env.int("WORKSPACE_FREE_REVISIONS", default=2)  # per milestone
WORKSPACE_REVISION_FEE = env.int("WORKSPACE_REVISION_FEE", default=5000)  # beyond/out of scope
WORKSPACE_DISPUTE_RESPONSE_DAYS = env.int("WORKSPACE_DISPUTE_RESPONSE_DAYS", default=5)
CELERY_BEAT_SCHEDULE["workspaces-auto-approve"] = {
    "task": "workspaces.tasks.auto_approve_due",
    "schedule": 60 * 60,
}

# Reviews (reviews app): blind window, reminders, beat jobs.
REVIEW_WINDOW_DAYS = env.int("REVIEW_WINDOW_DAYS", default=14)  # reviews publish after this
REVIEW_REMINDER_DAYS = (3, 10)  # days after the period opens
CELERY_BEAT_SCHEDULE["reviews-publish-due"] = {
    "task": "reviews.tasks.publish_due_reviews",
    "schedule": 15 * 60,
}
CELERY_BEAT_SCHEDULE["reviews-send-reminders"] = {
    "task": "reviews.tasks.send_review_reminders",
    "schedule": 60 * 60,
}
CELERY_BEAT_SCHEDULE["reviews-recompute-reputation"] = {
    "task": "reviews.tasks.recompute_reputation",
    "schedule": 24 * 60 * 60,
}

# Bookings (bookings app): service listings and bookings that pay only the platform fee. The fee
# is PLATFORM_FEE_BPS / PLATFORM_FEE_MIN unless PLATFORM_FEE_BY_KIND["booking"] overrides them.
SERVICES_PAGE_SIZE = env.int("SERVICES_PAGE_SIZE", default=24)

# Invited fulfilment (Speedy, Contest, Booking) and hub projects (projects/bids/workspaces).
FULFILMENT_REWARD_DAYS = env.int("FULFILMENT_REWARD_DAYS", default=30)  # pending after QC approval
FULFILMENT_DEFAULT_DAYS = env.int("FULFILMENT_DEFAULT_DAYS", default=7)  # when no deadline is set
# The version of templates/projects/_nda_text.html: bump it when the text changes.
NDA_VERSION = env.str("NDA_VERSION", default="2026-12")
