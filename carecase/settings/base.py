"""Settings shared by every environment. Values come from the environment; see docs/operations.md."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def celery_broker_url(redis_url: str) -> str:
    """Kombu spells a unix-socket Redis URL differently from redis-py, and reads its database number
    from `virtual_host`, silently ignoring `?db=`: without this a worker pointed at db 7 would consume
    db 0's queue."""
    if not redis_url.startswith("unix://"):
        return redis_url
    path, _, query = redis_url.removeprefix("unix://").partition("?")
    params = [p for p in query.split("&") if p]
    params = [f"virtual_host={p.split('=', 1)[1]}" if p.startswith("db=") else p for p in params]
    return f"redis+socket://{path}" + (f"?{'&'.join(params)}" if params else "")


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Demo mode seeds demo sign-ins with published passwords. Never on in production.
DEMO_MODE = env_bool("CARECASE_DEMO_MODE", False)
COUNCIL_NAME = os.environ.get("CARECASE_COUNCIL_NAME", "Leicester-like demo council")
COUNCIL_PHONE = os.environ.get("CARECASE_COUNCIL_PHONE", "0116 454 1004")
COUNCIL_OPENING_HOURS = os.environ.get("CARECASE_COUNCIL_HOURS", "Monday to Friday, 8:30am to 5pm")
SERVICE_NAME = "CareCase"
# The address staff use to reach the portal, for links in emails (digests, reminders).
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "pgtrigger",
    "pghistory",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "carecase.staff",
    "carecase.people",
    "carecase.records",
    "carecase.audit",
    "carecase.web",
    "carecase.api",
    "carecase.demo",
    "carecase.waiting",
    "assessments",
    "reviews",
    "portal",
    "directpayments",
    "safeguarding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "carecase.web.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "carecase.web.middleware.IdleTimeoutMiddleware",
    "carecase.web.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "carecase.urls"
WSGI_APPLICATION = "carecase.wsgi.application"

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
                "carecase.web.context_processors.service",
            ],
            "builtins": ["carecase.web.templatetags.carecase_tags"],
        },
    }
]
# Project-owned field templates render GOV.UK Design System markup for every form field.
FORM_RENDERER = "carecase.web.forms.GovukFormRenderer"


def _embedded_database() -> dict:
    from carecase import embedded

    return embedded.postgres_settings()


if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)
    }
else:
    DATABASES = {"default": _embedded_database()}
DATABASES["default"].setdefault("OPTIONS", {})
# Fail fast (and let /healthz answer) rather than hang when the database host is unreachable.
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if os.environ.get("CARECASE_TEST_DB_NAME"):
    # Lets several test runs share one server without dropping each other's test database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["CARECASE_TEST_DB_NAME"]}

if os.environ.get("REDIS_URL"):
    REDIS_URL = os.environ["REDIS_URL"]
else:
    from carecase import embedded as _embedded

    REDIS_URL = _embedded.redis_url()

CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account (username + address) after repeated failed sign-ins.
AXES_FAILURE_LIMIT = int(os.environ.get("CARECASE_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("CARECASE_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Sign staff out after this many minutes without a request.
IDLE_TIMEOUT_MINUTES = int(os.environ.get("CARECASE_IDLE_TIMEOUT_MINUTES", "30"))
SESSION_COOKIE_AGE = IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Access to a record outside one's team, once a reason is given, lasts this long.
ACCESS_REASON_HOURS = int(os.environ.get("CARECASE_ACCESS_REASON_HOURS", "8"))
# A case note can be corrected by its author for this long; after that only addenda.
CASE_NOTE_EDIT_HOURS = 24

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d %m %Y"]

STATIC_URL = "/static/"
# collectstatic writes here; the Docker image sets its own path.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / ".data" / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Email: console in development; SMTP settings from the environment in production.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "carecase@example.gov.uk")
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")

# Celery: schedule kept in code (carecase/celery.py); tasks are idempotent and acknowledged late.
CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
WORKER_HEARTBEAT_KEY = "carecase:worker:heartbeat"
WORKER_HEARTBEAT_SECONDS = 10
WORKER_HEARTBEAT_STALE_SECONDS = 60

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["carecase.api.permissions.IsActiveStaff"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "carecase.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CareCase API",
    "DESCRIPTION": "People, relationships, contacts, case notes, teams and staff. Every read of "
    "person-level data is scoped to the caller and recorded in the record-access log. The stateless rule "
    "endpoints under /api/v1/rules/ (Care Act eligibility, the support sequence) take answers and return "
    "a decision with a plain-English trace and the rule-set version used; they read and store nothing.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# Content security policy: no inline script except with the per-request nonce.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's default "django" handlers (console only when DEBUG, mail to ADMINS), which
        # would otherwise print every message twice in development and not at all in production.
        "django": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO"), "propagate": False},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every layout step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
