"""`make run`: the whole of CareCase on one machine, for development and demonstration.

Starts (or reuses) the embedded PostgreSQL and Redis when DATABASE_URL / REDIS_URL are unset, applies
migrations, loads the demo data on the first run, then runs the web server, one Celery worker and Celery
beat side by side, with their output interleaved under a name prefix. Ctrl-C or SIGTERM stops every
process this script started (the embedded servers too, but only if it was the one that started them) and
exits 0. If any of the three dies, the rest are stopped and the script exits non-zero.

Environment: CARECASE_PORT (default 8000), CARECASE_RUN_NORELOAD=1 to turn off runserver's autoreloader.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.chdir(BASE_DIR)
# `make run` is the development server whatever the shell has exported.
os.environ["DJANGO_SETTINGS_MODULE"] = "carecase.settings.dev"
os.environ.setdefault("PYTHONUNBUFFERED", "1")

HOST = "127.0.0.1"
PORT = int(os.environ.get("CARECASE_PORT", "8000"))
URL = f"http://{HOST}:{PORT}/"
# Shown if the demo package cannot be imported; otherwise the list comes from carecase.demo.generator.
DEMO_SIGN_INS_FALLBACK = (
    ("practitioner", "practitioner"),
    ("team.leader", "team leader"),
    ("safeguarding.lead", "safeguarding lead"),
    ("dp.officer", "direct payments officer"),
    ("finance.officer", "finance officer"),
    ("senior.manager", "senior manager"),
    ("admin", "administrator"),
)
DEMO_PASSWORD_FALLBACK = "carecase-demo"
STOP_GRACE_SECONDS = 15
SERVING_TIMEOUT_SECONDS = 120

COLOURS = {"setup": "\033[32m", "web": "\033[36m", "worker": "\033[35m", "beat": "\033[33m", "run": "\033[32m"}
RESET = "\033[0m"
_use_colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
_print_lock = threading.Lock()


def say(name: str, line: str, stream=None) -> None:
    stream = stream or sys.stdout
    prefix = f"{name:>6} |"
    if _use_colour:
        prefix = f"{COLOURS.get(name, '')}{prefix}{RESET}"
    with _print_lock:
        try:
            stream.write(f"{prefix} {line}\n")
            stream.flush()
        except (BrokenPipeError, ValueError):
            pass


class PrefixedWriter:
    """A file-like object for call_command(stdout=...), so setup output lines up with the rest."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        while "\n" in self._pending:
            line, self._pending = self._pending.split("\n", 1)
            say(self.name, line)
        return len(text)

    def flush(self) -> None:
        pass


class Stop(Exception):
    """SIGTERM (or a second SIGINT) asked us to stop."""


def _raise_stop(signum, _frame):
    raise Stop(signal.Signals(signum).name)


# --- Preconditions ---------------------------------------------------------------------------------------


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # Same option runserver uses, so a socket in TIME_WAIT from the last run does not count as "in use".
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
    return True


def has_management_command(name: str) -> bool:
    from django.core.management import get_commands

    return name in get_commands()


# --- Children --------------------------------------------------------------------------------------------


def _die_with_parent() -> None:
    """In the child, before exec: if this script is killed outright (SIGKILL), take the child with it."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except OSError:
            pass


@dataclass
class Child:
    name: str
    description: str
    argv: list[str]
    process: subprocess.Popen | None = None
    reader: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> None:
        # Own session: Ctrl-C at the terminal reaches only this script, which then stops the children in
        # order (the worker gets a warm shutdown) instead of everything receiving SIGINT at once.
        self.process = subprocess.Popen(
            self.argv,
            cwd=BASE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
            bufsize=1,
            text=True,
            errors="replace",
        )

    def stream(self) -> None:
        self.reader = threading.Thread(target=self._pump, name=f"pump-{self.name}", daemon=True)
        self.reader.start()

    def _pump(self) -> None:
        assert self.process and self.process.stdout
        for line in self.process.stdout:
            say(self.name, line.rstrip("\n"))

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def terminate(self) -> None:
        if self.running():
            try:
                # The leader only: runserver's reloader kills its own child; Celery's main process shuts
                # its pool down after the running tasks finish.
                self.process.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass

    def kill_group(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def children(data_dir: Path) -> list[Child]:
    python = sys.executable
    web = [python, "manage.py", "runserver", f"{HOST}:{PORT}"]
    if os.environ.get("CARECASE_RUN_NORELOAD"):
        web.append("--noreload")
    return [
        Child("web", "the web server", web),
        Child(
            "worker",
            "the Celery worker",
            [python, "-m", "celery", "-A", "carecase", "worker", "--loglevel", "INFO",
             "--concurrency", "2", "--hostname", "carecase-dev@%h", "--without-mingle", "--without-gossip"],
        ),
        Child(
            "beat",
            "Celery beat",
            [python, "-m", "celery", "-A", "carecase", "beat", "--loglevel", "INFO",
             "--schedule", str(data_dir / "celerybeat-schedule")],
        ),
    ]


def stop_children(procs: list[Child]) -> None:
    for child in procs:
        child.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in procs:
        if child.process is None:
            continue
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say("run", f"{child.description} did not stop within {STOP_GRACE_SECONDS} s; killing it.")
        except Stop:
            say("run", "Stopping now.")
            break
    for child in procs:
        # Whatever is left in each child's session (a runserver reloader child, Celery pool processes).
        child.kill_group()
    for child in procs:
        if child.reader is not None:
            child.reader.join(timeout=2)


def wait_until_serving(procs: list[Child]) -> bool:
    deadline = time.monotonic() + SERVING_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if any(not child.running() for child in procs):
            return False
        try:
            # Any HTTP answer (even 503 while the worker is still starting) means the web server is up.
            with urllib.request.urlopen(f"{URL}healthz", timeout=2):
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(0.1)
    return False


def demo_sign_ins() -> tuple[list[tuple[str, str]], str]:
    try:
        from carecase.demo.generator import DEMO_PASSWORD, DEMO_SIGN_INS
    except ImportError:
        return list(DEMO_SIGN_INS_FALLBACK), DEMO_PASSWORD_FALLBACK
    return [(row[0], f"{row[5]} ({row[1]} {row[2]})") for row in DEMO_SIGN_INS], DEMO_PASSWORD


def banner(seconds: float) -> None:
    sign_ins, password = demo_sign_ins()
    lines = [
        "",
        f"CareCase is running at {URL}  (ready in {seconds:.1f} s)",
        "",
        f"Demo sign-ins, all with the password {password}:",
        *(f"  {username:<18} {who}" for username, who in sign_ins),
        "",
        f"Health: {URL}healthz   API docs: {URL}api/docs/",
        "Press Ctrl-C to stop everything.",
        "",
    ]
    for line in lines:
        say("run", line)


# --- Main ------------------------------------------------------------------------------------------------


def main() -> int:
    started_at = time.monotonic()
    signal.signal(signal.SIGTERM, _raise_stop)
    # Explicitly, because a shell starting us in the background would otherwise leave SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    if not port_free(HOST, PORT):
        say(
            "run",
            f"Port {PORT} on {HOST} is already in use, so CareCase cannot serve there. Is another "
            f"`make run` still running? Stop it (Ctrl-C in its terminal, or find it with `ss -ltnp "
            f"'sport = :{PORT}'`), or choose another port: CARECASE_PORT=8001 make run",
            sys.stderr,
        )
        return 2

    from carecase import embedded

    we_start_postgres = not os.environ.get("DATABASE_URL") and not embedded.postgres_running()
    we_start_redis = not os.environ.get("REDIS_URL") and not embedded.redis_running()
    procs: list[Child] = []

    def stop_embedded() -> None:
        # Only what this run started: a PostgreSQL or Redis that was already running belongs to someone else.
        if we_start_redis:
            say("run", "Stopping the embedded Redis.")
            embedded.stop_redis()
        if we_start_postgres:
            say("run", "Stopping the embedded PostgreSQL.")
            try:
                embedded.stop_postgres()
            except RuntimeError as exc:
                say("run", str(exc), sys.stderr)

    try:
        if we_start_postgres:
            say("run", f"Starting the embedded PostgreSQL (data in {embedded.PG_DIR})")
        if we_start_redis:
            say("run", f"Starting the embedded Redis (data in {embedded.REDIS_DIR})")
        import django

        django.setup()  # importing the settings starts whichever embedded server is not yet running
        from django.core.management import call_command
        from django.db import connections

        say("run", "Applying database migrations")
        out = PrefixedWriter("setup")
        call_command("migrate", interactive=False, verbosity=1, stdout=out)
        if has_management_command("seed_demo"):
            call_command("seed_demo", "--profile", "small", "--seed", "1", "--if-empty", stdout=out)
        else:
            say("run", "There is no seed_demo command in this checkout yet, so no demo data was loaded.")
        connections.close_all()

        procs = children(embedded.DATA_DIR)
        for child in procs:
            child.start()
        for child in procs:
            child.stream()

        if not wait_until_serving(procs):
            dead = [c for c in procs if not c.running()]
            reason = (
                f"{dead[0].description} exited with code {dead[0].process.returncode} while starting"
                if dead
                else f"the web server did not answer on {URL} within {SERVING_TIMEOUT_SECONDS} s"
            )
            say("run", f"CareCase did not start: {reason}. Stopping the rest.", sys.stderr)
            stop_children(procs)
            stop_embedded()
            return 1
        banner(time.monotonic() - started_at)

        while True:
            for child in procs:
                code = child.process.poll()
                if code is not None:
                    say(
                        "run",
                        f"{child.description} stopped unexpectedly (exit code {code}); stopping the rest. "
                        f"Its last output is above, prefixed '{child.name}'.",
                        sys.stderr,
                    )
                    signal.signal(signal.SIGINT, _raise_stop)
                    stop_children(procs)
                    stop_embedded()
                    return 1
            time.sleep(0.25)
    except (KeyboardInterrupt, Stop):
        # From here a second Ctrl-C skips the waiting and kills what is left.
        signal.signal(signal.SIGINT, _raise_stop)
        say("run", "Stopping CareCase ...")
        stop_children(procs)
        stop_embedded()
        say("run", "Stopped.")
        return 0
    except Exception:
        signal.signal(signal.SIGINT, _raise_stop)
        stop_children(procs)
        stop_embedded()
        raise


if __name__ == "__main__":
    sys.exit(main())
