"""Development and demo: `make run`. Embedded PostgreSQL and Redis unless URLs are given."""

import os

os.environ.setdefault("CARECASE_DEMO_MODE", "1")

from .base import *  # noqa: E402,F403
from .base import env_bool  # noqa: E402

DEBUG = env_bool("DEBUG", True)
DEMO_MODE = env_bool("CARECASE_DEMO_MODE", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-used-in-production"  # noqa: F405
