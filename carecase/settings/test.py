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


def _own_redis_database(url: str) -> str:
    """The cache in a Redis database of this test process's own, so one process's `cache.clear()` (FLUSHDB)
    cannot wipe another's counters (the sign-in rate limits) half way through a test under pytest-xdist."""
    import zlib
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    run = zlib.crc32(os.environ.get("CARECASE_TEST_DB_NAME", "").encode()) % 3
    database = 8 + (run * 2 + index) % 8  # 8-15: clear of the broker's database 0
    if url.startswith("unix://"):
        path, _, query = url.partition("?")
        return f"{path}?{urlencode(dict(parse_qsl(query)) | {'db': str(database)})}"
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": _own_redis_database(REDIS_URL)}}  # noqa: F405
