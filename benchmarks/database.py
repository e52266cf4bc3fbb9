"""Create benchmark databases and remember what was loaded into them (a comment on the database)."""

from __future__ import annotations

import json

import psycopg
from django.conf import settings
from psycopg import sql


def _admin_connection() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname="postgres", user=db.get("USER") or None, password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None, port=db.get("PORT") or None, autocommit=True,
    )


def database_name() -> str:
    return settings.DATABASES["default"]["NAME"]


def ensure_database() -> bool:
    """Create the benchmark database if missing. True if it was created."""
    name = database_name()
    if name == "carecase":
        raise SystemExit("Refusing to benchmark in the 'carecase' database: that one belongs to `make run`.")
    with _admin_connection() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def drop_database() -> None:
    name = database_name()
    if name == "carecase":
        raise SystemExit("Refusing to drop the 'carecase' database.")
    with _admin_connection() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def settle() -> None:
    """VACUUM ANALYZE and a checkpoint after loading, so timings start from a steady database rather than
    one still writing out the load (the state a server is in after it has been running a while)."""
    db = settings.DATABASES["default"]
    with psycopg.connect(dbname=database_name(), user=db.get("USER") or None, password=db.get("PASSWORD") or None,
                         host=db.get("HOST") or None, port=db.get("PORT") or None, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        conn.execute("CHECKPOINT")


def read_marker() -> dict:
    with _admin_connection() as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [database_name()]
        ).fetchone()
    try:
        return json.loads(row[0]) if row and row[0] else {}
    except ValueError:
        return {}


def write_marker(marker: dict) -> None:
    with _admin_connection() as conn:
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(database_name()), sql.Literal(json.dumps(marker, sort_keys=True))
        ))


def reuse_or_empty(wanted: dict, *, reseed: bool, log=print) -> dict | None:
    """The benchmark database's marker when it already holds data made the way `wanted` says (migrated to
    the current code, ready to measure); otherwise an empty, freshly created database and None, for the
    caller to load."""
    from django.core.management import call_command
    from django.db import connections

    created = ensure_database()
    marker = {} if created else read_marker()
    if not reseed and all(marker.get(k) == v for k, v in wanted.items()):
        call_command("migrate", verbosity=0)
        log(f"Reusing {database_name()} (made {marker.get('loaded_on') or marker.get('seeded_on')}).")
        return marker
    if not created:
        connections.close_all()
        drop_database()
        ensure_database()
    return None
