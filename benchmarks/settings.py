"""Settings for benchmarks: the development settings, pointed at a benchmark database of its own.

CARECASE_BENCH_DB names the database (on the embedded PostgreSQL, or on the server in DATABASE_URL), so a
benchmark never touches the `carecase` database that `make run` uses.
"""

import os

os.environ.setdefault("CARECASE_DEMO_MODE", "1")

from carecase.settings.dev import *  # noqa: E402,F403
from carecase.settings.dev import DATABASES, INSTALLED_APPS  # noqa: E402

# Timings as in production: no query log kept per request, no debug pages.
DEBUG = False
DEMO_MODE = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
if "carecase.demo" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "carecase.demo"]
DATABASES["default"]["NAME"] = os.environ.get("CARECASE_BENCH_DB", "bench_leicester")
DATABASES["default"]["CONN_MAX_AGE"] = None
