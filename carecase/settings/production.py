"""Production: every secret from the environment; refuses to start unsafe."""

import os

from django.core.exceptions import ImproperlyConfigured

for _required in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY"):
    if not os.environ.get(_required):
        raise ImproperlyConfigured(f"{_required} must be set in production; see docs/operations.md.")

from .base import *  # noqa: E402,F403
from .base import env_bool  # noqa: E402

if env_bool("DEBUG", False):
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set it to 0).")
DEBUG = False
if DEMO_MODE:  # noqa: F405
    raise ImproperlyConfigured("CARECASE_DEMO_MODE must be off in production: demo sign-ins would exist.")
# Django's own generated development keys start "django-insecure-"; ours start "dev-" or "test-".
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-", "test-", "change-me", "django-insecure-")):  # noqa: F405
    raise ImproperlyConfigured("Set SECRET_KEY to a random value of at least 50 characters.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Real mail unless told otherwise: the console backend would write people's details into the logs.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
