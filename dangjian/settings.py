"""Settings for dangjian.

Everything that differs between a laptop and production comes from the environment:
DATABASE_URL (default: SQLite under var/), DANGJIAN_SECRET_KEY, DANGJIAN_DEBUG, DANGJIAN_DEMO,
DANGJIAN_HOSTS, and for production behind a TLS proxy DANGJIAN_PROXY_HOPS and DANGJIAN_HSTS_*.

Three modes: debug (DANGJIAN_DEBUG=1, a developer's laptop), demo (DANGJIAN_DEMO=1: `make run`
and `dangjian demo` set it; the demo logins are listed on the login page) and production
(neither): a secret key is required, cookies are HTTPS-only, HTTP is redirected to HTTPS and
`dangjian check --deploy` is clean.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("DANGJIAN_VAR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default) == "1"


DEBUG = _flag("DANGJIAN_DEBUG")
DEMO = _flag("DANGJIAN_DEMO")
PRODUCTION = not (DEBUG or DEMO)

SECRET_KEY = os.environ.get("DANGJIAN_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "DANGJIAN_SECRET_KEY 未设置：生产环境必须设置一个至少50个字符的随机密钥，例如 "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'。"
            "只在本机试用时，设置 DANGJIAN_DEMO=1（演示）或 DANGJIAN_DEBUG=1（开发）。"
        )
    SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
ALLOWED_HOSTS = os.environ.get("DANGJIAN_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "rules",
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "dangjian.core",
    "dangjian.rollups",
    "dangjian.accounts",
    "dangjian.orgs",
    "dangjian.desk",
    "dangjian.notices",
    "dangjian.members",
    "dangjian.health",
    "dangjian.life",
    "dangjian.tasks",
    "dangjian.governance",
    "dangjian.service",
    "dangjian.development",
    "dangjian.dues",
    "dangjian.training",
    "dangjian.village",
    "dangjian.assessment",
    "dangjian.points",
    "dangjian.supervision",
    "dangjian.weakorgs",
    "dangjian.reports",
    "dangjian.api",
    "dangjian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzip-compressed (static files are precompressed by whitenoise, which answers
    # before this). BREACH: see README "手机上的流量" for why this is safe here.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "dangjian.core.middleware.BodyLimitMiddleware",  # before CSRF, which reads the body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "dangjian.accounts.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a (username, address) pair that is locked out before any password check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "dangjian.urls"
WSGI_APPLICATION = "dangjian.wsgi.application"

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
                "django.template.context_processors.i18n",
                "dangjian.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'dangjian.sqlite3'}",
        conn_max_age=int(os.environ.get("DANGJIAN_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the single writer; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("TEST", {})["NAME"] = None  # in-memory test database

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login hardening (README "登录与安全"). Passwords: Django's validators, hashed with Argon2
# (older hashes are upgraded at the next login).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# A session ends after a working day without a request (IdleSessionMiddleware renews it at
# most every SESSION_RENEW_EVERY instead of writing the session on every request).
SESSION_COOKIE_AGE = 8 * 3600
SESSION_RENEW_EVERY = timedelta(minutes=5)
# django-axes: after AXES_FAILURE_LIMIT failed logins (wrong password or two-step code) for
# one username from one address, that pair is refused for AXES_COOLOFF_TIME. Locking the pair
# (not the username alone) means nobody can lock the county administrator out from elsewhere;
# `dangjian unlock` lifts it.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dangjian.accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "dangjian.accounts.lockout.client_ip"
# Behind a reverse proxy, how many proxies append to X-Forwarded-For (the client address is
# that many entries from the right); 0 when clients connect directly.
PROXY_HOPS = int(os.environ.get("DANGJIAN_PROXY_HOPS", "1" if PRODUCTION else "0"))
# Optional second factor (TOTP) for administrators, enrolled on their account page.
OTP_TOTP_ISSUER = "dangjian"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
# whitenoise warns on every request when the folder is missing (before collectstatic).
STATIC_ROOT.mkdir(exist_ok=True)
# Static files light on a phone (README "手机上的流量"): `collectstatic` (run by `dangjian
# serve`) names each file by a hash of its content and writes a gzip and a brotli copy beside
# it; whitenoise serves the compressed copy the browser accepts and lets it cache a hashed
# name for a year ("immutable"), so a repeat visit asks for none of them. In debug mode
# {% static %} gives the plain names, served from the source folders (WHITENOISE_USE_FINDERS).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
WHITENOISE_USE_FINDERS = DEBUG
# Only the hashed names are kept and compressed (half the work at each `dangjian serve`);
# source maps (the API docs' scripts ship them) are for developer tools, not compressed.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Request bodies: form fields at most 1 MB (core.files.MAX_BODY_BYTES; files are limited per
# route, see core.middleware.BodyLimitMiddleware); uploaded files over 2.5 MB go to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Domain settings: national defaults (DOMAIN.md section 3), overridable per deployment.
DANGJIAN = {
    # Demo logins on the login page: only in demo mode (`make run`), never in production.
    "DEMO": DEMO,
    # The OpenAPI document and /api/docs only for logged-in users (DANGJIAN_API_DOCS_LOGIN=1).
    "API_DOCS_LOGIN": _flag("DANGJIAN_API_DOCS_LOGIN"),
}

# Content-Security-Policy (django-csp): scripts, styles, images and requests from this site
# only; no inline script or style anywhere (the templates have none, htmx is told not to add
# its indicator style). The only data: image is the empty favicon; the two-step QR code is
# an SVG served by accounts:two_step_qr.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Production: HTTPS only. `dangjian serve` listens on 127.0.0.1 behind a TLS proxy (nginx…)
# that must set X-Forwarded-Proto (overwriting what the client sent) and X-Forwarded-For.
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DANGJIAN_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("DANGJIAN_HSTS_SUBDOMAINS", "1")
    SECURE_HSTS_PRELOAD = _flag("DANGJIAN_HSTS_PRELOAD", "1")

# Background jobs (dangjian.core.jobs): django-tasks with its database backend, so the queue
# lives in the same database (SQLite or PostgreSQL) and needs no broker. `dangjian serve`
# starts the worker (`dangjian worker`) beside the web processes.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A running job reports progress here, outside its own transaction (the job's writes stay
# uncommitted until it ends, and SQLite has one writer at a time). Files under var/ are seen
# by the web processes and the worker on this machine; when they run on several machines,
# point this alias at a shared cache (memcached, Redis).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "jobs": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": VAR_DIR / "jobs" / "progress",
        "TIMEOUT": 24 * 3600,
    },
}
JOBS_UPLOAD_DIR = VAR_DIR / "jobs" / "uploads"
# What the worker runs once a day by itself (dangjian.core.jobs.run_schedule), instead of a
# cron line: name → (function, local time from which it is due). One run per name and day,
# however many workers run.
JOBS_DAILY = {
    "remind": ("dangjian.core.jobs.daily_reminders", "06:00"),
    # The desk's "meetings missing below" figures of the last finished month and quarter,
    # soon after midnight: on the 1st of a month the desk would otherwise compute them over
    # the whole tree during the first page view of the day.
    "life_missed": ("dangjian.life.services.daily_refresh_missed", "00:10"),
    # Files kept from refused forms (core.staging) live a day.
    "staging": ("dangjian.core.staging.purge", "03:00"),
    # Points (积分) of every county's open years recomputed from the day's records; last
    # year closed once points.close_after_days have passed.
    "points": ("dangjian.points.services.daily_compute", "01:30"),
    # Red supervision orders (红色督办单) for rectification items past their deadline.
    "supervision_orders": ("dangjian.supervision.services.daily_orders", "01:00"),
    # This year's weak-organization detection under every root (new pending candidates
    # with their evidence; decided flags and fixed years are left as they are).
    "weakorgs_detect": ("dangjian.weakorgs.services.daily_detect", "01:30"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
