"""Tests: the real PostgreSQL and Redis (embedded unless DATABASE_URL / REDIS_URL are set)."""

import os

os.environ.setdefault("CARECASE_DEMO_MODE", "1")

from .base import *  # noqa: E402,F403

DEBUG = False
DEMO_MODE = True
SECRET_KEY = "test-only-key"
# Fast hashing in tests; argon2 stays first in every other environment.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
