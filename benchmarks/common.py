"""Shared pieces: which code a seeded database was built from, and the bare-SQL baselines."""

from __future__ import annotations

import hashlib
import os
import platform
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def code_version(*paths: str) -> str:
    """A short hash of the files that shape the generated data, so a change to them reseeds."""
    digest = hashlib.sha256()
    for pattern in paths:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def exact_key_lookup(tokens: list[str]) -> list[int]:
    """The baseline for name search: one GIN index lookup by exact name keys, no scoring, no access rules."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM people_person WHERE search_keys @> %s::varchar(40)[] LIMIT 200",
            [[f"t:{t}" for t in tokens]],
        )
        return [row[0] for row in cursor.fetchall()]


def primary_key_lookup(person_id: int) -> tuple:
    """The baseline for the person page: read one person row by primary key."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [person_id])
        return cursor.fetchone()


def people_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM people_person")
        return cursor.fetchone()[0]


def people_for_searches(ids: list[int] | None = None) -> list[tuple]:
    """(id, given, family, preferred, date of birth) of living people, all or those with the given ids.
    Bare SQL: the benchmark picks whom to look for, it is not a read on anyone's behalf."""
    sql = ("SELECT id, given_name, family_name, preferred_name, date_of_birth FROM people_person "
           "WHERE date_of_death IS NULL")
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(sql + " ORDER BY id")
        else:
            cursor.execute(sql + " AND id = ANY(%s) ORDER BY id", [ids])
        return cursor.fetchall()


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024)
    except OSError:
        pass


    import django

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    try:
        load = round(os.getloadavg()[0], 1)
    except OSError:
        load = None
    return {
        "load_average_at_start": load,
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
        "shared_buffers": shared_buffers,
    }
