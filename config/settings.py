"""The one settings module of giupxa, read from the environment.

Defaults are safe for production (DEBUG off, SECRET_KEY required, secure cookies);
`make demo` and `make test` set DEBUG=1 and a throw-away key. See README.md.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "simple_history",
    "core",
    "communes",
    "assignments",
    "contributions",
    "reports",
    "followup",
    "dashboards",
    "operations",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "assignments.two_factor.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "assignments.context_processors.roles",
                "followup.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a task writes; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "assignments.User"
AUTHENTICATION_BACKENDS = [
    # Counts failed logins and locks the account out; must come first.
    "axes.backends.AxesStandaloneBackend",
    # Username or email, case-insensitive.
    "assignments.backends.UsernameOrEmailBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
BACKUP_ROOT = env.path("BACKUP_ROOT", default=BASE_DIR / "backups")
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)  # complete backups kept; the newest always
if BACKUP_KEEP < 1:
    raise ImproperlyConfigured("BACKUP_KEEP must be 1 or more: the newest backup is always kept.")
# /healthz: heartbeats older than these (seconds) fail, so does less free disk (MB) where the
# uploads and the backups are written, or a last complete backup older than so many hours.
HEALTHZ_WORKER_MAX_AGE = env.int("HEALTHZ_WORKER_MAX_AGE", default=5 * 60)
HEALTHZ_BEAT_MAX_AGE = env.int("HEALTHZ_BEAT_MAX_AGE", default=5 * 60)
HEALTHZ_MIN_FREE_MB = env.int("HEALTHZ_MIN_FREE_MB", default=1024)
HEALTHZ_BACKUP_MAX_AGE_HOURS = env.int("HEALTHZ_BACKUP_MAX_AGE_HOURS", default=26)
# Households' identities (name, village, notes, photos) are removed this many years after
# their last follow-up check (followup.services.personal_data.expire_identities, nightly).
PERSONAL_DATA_RETENTION_YEARS = env.int("PERSONAL_DATA_RETENTION_YEARS", default=5)
if PERSONAL_DATA_RETENTION_YEARS < 1:
    raise ImproperlyConfigured("PERSONAL_DATA_RETENTION_YEARS must be 1 or more.")
# A request body larger than this is refused before it is read (core.middleware); each
# uploaded file is also limited by its form (10 MB a file, 5 MB a workbook).
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_MB", default=50) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
    # `manage.py backup` writes here, only through the Storage API: it may become an
    # object store (django-storages) by changing this entry alone.
    "backups": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": BACKUP_ROOT},
    },
}

# In development whitenoise serves from the apps' static folders, no collectstatic needed.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis in production. `make demo` sets CELERY_BROKER_URL=filesystem:// and starts a
# worker beside the server, so report jobs run in the background with their progress bar,
# as in production, with nothing to install. With no broker at all (the test suite's
# default) tasks run in-process, eagerly.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None  # tests set it
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://"
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Above the hard time limit, so a long job is never handed to a second worker. A broker
# that does not answer is given up on after 2 s (the page then says so; core.jobs).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60, "socket_connect_timeout": 2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
if CELERY_BROKER_URL.startswith("filesystem://"):
    # One folder the server writes messages to and the worker reads them from.
    CELERY_QUEUE_FOLDER = Path(env.str("CELERY_QUEUE_FOLDER", default=str(BASE_DIR / "var/queue")))
    (CELERY_QUEUE_FOLDER / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_FOLDER),
        "data_folder_out": str(CELERY_QUEUE_FOLDER),
        "processed_folder": str(CELERY_QUEUE_FOLDER / "processed"),
        "control_folder": str(CELERY_QUEUE_FOLDER / "control"),
        "store_processed": False,
    }
# Jobs (report runs, import checks; core.jobs): a running job stamps its row every
# JOB_HEARTBEAT_SECONDS; one silent for JOB_STALE_SECONDS lost its worker and is taken over.
JOB_HEARTBEAT_SECONDS = env.int("JOB_HEARTBEAT_SECONDS", default=10)
JOB_STALE_SECONDS = env.int("JOB_STALE_SECONDS", default=90)
# An uploaded workbook is checked (and later saved) by a job that may take this long; a
# longer one is refused as too large. 20.000 rows take about 15 s on 2 cores.
IMPORT_TIME_LIMIT = env.int("IMPORT_TIME_LIMIT", default=180)
JOB_PUBLISH_RETRY = {
    "max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5
}  # fmt: skip
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 800_000  # KiB
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# django-celery-beat's DatabaseScheduler, stamping beat's heartbeat as it ticks (/healthz).
CELERY_BEAT_SCHEDULER = "operations.beat:HeartbeatScheduler"

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="giupxa@localhost")
SITE_URL = env.str("SITE_URL", default="")  # links in emails
# An invitation link (set your password) works once, for this many days.
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)
if env.str("EMAIL_FILE_PATH", default=""):  # with the file-based backend (tests, staging)
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")

# Sessions end after 8 hours of work or when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A lab switch: production settings over plain http (a LAN trial, a benchmark on
# 127.0.0.1). Cookies lose their Secure flag and nothing redirects to https; `check --deploy`
# refuses it (core.checks), so it cannot reach a real deployment unnoticed.
LAB_PLAIN_HTTP = env.bool("LAB_PLAIN_HTTP", default=False)
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True) and not LAB_PLAIN_HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A monitor on the private network asks /healthz over plain http.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = not LAB_PLAIN_HTTP
    CSRF_COOKIE_SECURE = not LAB_PLAIN_HTTP
    SECURE_HSTS_SECONDS = 0 if LAB_PLAIN_HTTP else env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = not LAB_PLAIN_HTTP
    SECURE_HSTS_PRELOAD = not LAB_PLAIN_HTTP

# Failed-login lockout: 5 failures for one username lock it for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# By username only: a whole commune office often shares one public IP address, and a
# lock by IP would shut every colleague out after one person's typos.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_VERBOSE = False
# models.W040: SQLite ignores the covering columns of the rollups' read indexes; they are
# for PostgreSQL, where they make a period's reads index-only scans.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# One counter per account, whatever spelling was typed (username or email, any case, spaces).
AXES_USERNAME_CALLABLE = "assignments.backends.lockout_key"

OTP_TOTP_ISSUER = "Giúp xã"

# No inline script or style anywhere: htmx is configured from a <meta> tag and static files.
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
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
