from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from carecase import embedded

REPO = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def private_redis():
    """A redis-server of the test's own, on a unix socket in a short temporary directory.

    Isolated from the shared embedded Redis, so a worker started here cannot consume anyone else's tasks
    and nobody else's heartbeat can make a test pass. Stopped and removed afterwards.
    """
    # Unix socket paths are limited to ~107 bytes, so not pytest's long tmp_path.
    directory = Path(tempfile.mkdtemp(prefix="cc-redis-", dir="/tmp"))
    try:
        yield embedded.start_redis(directory)
    finally:
        embedded.stop_redis_in(directory)
        shutil.rmtree(directory, ignore_errors=True)


def subprocess_env(**overrides: str) -> dict[str, str]:
    """A minimal environment for a child Python: none of the developer's settings leak in."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "CARECASE_DATA_DIR", "XDG_RUNTIME_DIR")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env["PYTHONPATH"] = str(REPO)
    env.update(overrides)
    return env


PYTHON = sys.executable
