"""Production settings refuse to start unsafe, pass `check --deploy`, and work through URLs alone.

Each case runs in a fresh interpreter with only the environment given, as a container would.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import textwrap
import urllib.parse

import pytest
from django.conf import settings

from .conftest import PYTHON, REPO, subprocess_env

GOOD = {
    "DJANGO_SETTINGS_MODULE": "carecase.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "DATABASE_URL": "postgres://carecase:a-password@postgres:5432/carecase",
    "REDIS_URL": "redis://redis:6379/0",
    "ALLOWED_HOSTS": "carecase.example.gov.uk,localhost,127.0.0.1",
}


def load_production_settings(**env: str | None) -> subprocess.CompletedProcess:
    values = {**GOOD, **env}
    return subprocess.run(
        [PYTHON, "-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
        cwd=REPO,
        env=subprocess_env(**{k: v for k, v in values.items() if v is not None}),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_load_with_a_sane_environment():
    result = load_production_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "too-short-but-not-empty"}, "at least 50 characters"),
        ({"SECRET_KEY": "dev-" + "x" * 60}, "at least 50 characters"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 60}, "at least 50 characters"),
        ({"DEBUG": "1"}, "DEBUG must be off"),
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"CARECASE_DEMO_MODE": "1"}, "CARECASE_DEMO_MODE must be off"),
        ({"DATABASE_URL": None}, "DATABASE_URL must be set"),
        ({"REDIS_URL": None}, "REDIS_URL must be set"),
    ],
    ids=["no-secret", "short-secret", "dev-secret", "django-insecure-secret", "debug-1", "debug-true",
         "demo-mode", "no-database-url", "no-redis-url"],
)
def test_production_settings_refuse_to_start_unsafe(env, message):
    result = load_production_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_settings_never_start_embedded_servers(tmp_path):
    # With the URLs missing, the refusal comes before anything could start an embedded PostgreSQL.
    result = load_production_settings(DATABASE_URL=None, REDIS_URL=None, CARECASE_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert not (tmp_path / "pg").exists() and not (tmp_path / "redis").exists()


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=REPO, env=subprocess_env(**GOOD), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_collectstatic_works_with_production_settings(tmp_path):
    """What the Dockerfile runs at build time: every file the manifest storage must hash has to exist."""
    result = subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=REPO, env=subprocess_env(**GOOD, STATIC_ROOT=str(tmp_path / "static")),
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()


def _url_for_test_database() -> str:
    db = settings.DATABASES["default"]
    host = urllib.parse.quote(db["HOST"], safe="") if db["HOST"].startswith("/") else db["HOST"]
    port = f":{db['PORT']}" if db["PORT"] else ""
    password = f":{urllib.parse.quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{host}{port}/{db['NAME']}"


@pytest.mark.django_db
def test_production_settings_serve_healthz_through_urls_alone(private_redis):
    """The compose file wires services only through DATABASE_URL and REDIS_URL; this uses the same path,
    and asks /healthz the way the web container's health check does (plain HTTP, Host 127.0.0.1:8000)."""
    script = textwrap.dedent(
        """
        import json, django
        django.setup()
        from django.test import Client
        client = Client()
        health = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
        page = client.get("/", HTTP_HOST="carecase.example.gov.uk")
        proxied = client.get("/healthz", HTTP_HOST="carecase.example.gov.uk", HTTP_X_FORWARDED_PROTO="https")
        print(json.dumps({
            "health_status": health.status_code, "health": health.json(),
            "page_status": page.status_code, "page_location": page.get("Location"),
            "proxied_status": proxied.status_code, "hsts": proxied.get("Strict-Transport-Security"),
        }))
        """
    )
    result = subprocess.run(
        [PYTHON, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120,
        env=subprocess_env(**{**GOOD, "DATABASE_URL": _url_for_test_database(), "REDIS_URL": private_redis}),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    # No worker in this test: 503 naming only the worker proves the database and Redis URLs work.
    assert seen["health_status"] == 503
    assert seen["health"]["down"] == ["worker"]
    # /healthz is exempt from the HTTPS redirect; everything else is redirected.
    assert seen["page_status"] == 301 and seen["page_location"].startswith("https://carecase.example.gov.uk/")
    # Behind the TLS proxy (X-Forwarded-Proto: https) requests are served, with HSTS.
    assert seen["proxied_status"] == 503
    assert seen["hsts"].startswith("max-age=31536000")
