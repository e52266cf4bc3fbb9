"""docker-compose.yml, the Dockerfile and docs/operations.md, checked by reading (no Docker engine here)."""

from __future__ import annotations

import re

import pytest
import yaml

from .conftest import REPO

COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (REPO / "Dockerfile").read_text()
OPERATIONS = (REPO / "docs" / "operations.md").read_text()
APP_SERVICES = ("web", "worker", "beat", "migrate")


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def one_off_jobs() -> set[str]:
    """Services others wait on to finish (depends_on condition service_completed_successfully)."""
    return {
        name
        for service in SERVICES.values()
        for name, rule in (service.get("depends_on") or {}).items()
        if isinstance(rule, dict) and rule.get("condition") == "service_completed_successfully"
    }


def test_postgres_16_and_redis_7_that_never_evicts():
    assert SERVICES["postgres"]["image"].split(":")[1].split("-")[0] == "16"
    redis = SERVICES["redis"]
    assert redis["image"].split(":")[1].split(".")[0].split("-")[0] == "7"
    assert "--maxmemory-policy noeviction" in command_of(redis)
    assert "--appendonly yes" in command_of(redis)


def test_exactly_one_beat():
    beats = [name for name, service in SERVICES.items() if re.search(r"\bcelery\b.*\bbeat\b", command_of(service))]
    assert beats == ["beat"]
    assert SERVICES["beat"].get("deploy", {}).get("replicas", 1) == 1
    # No worker runs an embedded beat (`worker -B`) either.
    assert not any(re.search(r"\bworker\b.*\s(-B|--beat)\b", command_of(s)) for s in SERVICES.values())


def test_one_worker_and_web_under_gunicorn_with_production_settings():
    workers = [name for name, service in SERVICES.items() if re.search(r"\bcelery\b.*\bworker\b", command_of(service))]
    assert workers == ["worker"]
    # web runs the image's default command: gunicorn serving the WSGI app.
    assert "command" not in SERVICES["web"]
    assert re.search(r'CMD \["gunicorn", "carecase\.wsgi:application"', DOCKERFILE)
    for name in APP_SERVICES:
        assert SERVICES[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "carecase.settings.production"


def test_web_worker_and_beat_share_the_database_and_redis():
    for key in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY"):
        values = {SERVICES[name]["environment"][key] for name in APP_SERVICES}
        assert len(values) == 1, (key, values)
    env = SERVICES["web"]["environment"]
    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379/")


def test_secrets_come_from_the_env_file_and_are_required():
    env = SERVICES["web"]["environment"]
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert "${POSTGRES_PASSWORD:?" in env["DATABASE_URL"]
    assert SERVICES["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    for name in APP_SERVICES:
        assert SERVICES[name]["env_file"] == ".env"
    assert ".env" in (REPO / ".dockerignore").read_text().split()


def test_migrations_run_once_before_the_app_starts():
    assert "manage.py migrate" in command_of(SERVICES["migrate"])
    assert SERVICES["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        depends = SERVICES[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_long_running_service_has_a_healthcheck(name):
    if name in one_off_jobs():
        pytest.skip(f"{name} is a one-off job: it runs to completion, so it has no health to check")
    check = SERVICES[name].get("healthcheck")
    assert check and check.get("test") and not check.get("disable"), name


def test_the_health_checks_check_the_right_things():
    web = " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in web
    assert "127.0.0.1" in SERVICES["web"]["environment"]["ALLOWED_HOSTS"]
    assert "inspect ping" in " ".join(SERVICES["worker"]["healthcheck"]["test"])
    assert "pg_isready" in " ".join(SERVICES["postgres"]["healthcheck"]["test"])
    assert "redis-cli ping" in " ".join(SERVICES["redis"]["healthcheck"]["test"])


def test_data_lives_in_named_volumes():
    named = set(COMPOSE["volumes"])
    def mounted(service):
        return {v.split(":")[0] for v in SERVICES[service].get("volumes", [])}
    assert mounted("postgres") & named
    assert mounted("redis") & named
    assert mounted("beat") & named
    assert "/var/lib/carecase/beat/" in command_of(SERVICES["beat"])


def test_dockerfile_basics():
    assert re.search(r"^FROM python:3\.11-slim", DOCKERFILE, re.M)
    assert "libpango-1.0-0" in DOCKERFILE and "libpangoft2-1.0-0" in DOCKERFILE
    assert re.search(r"^USER (?!root)\w+", DOCKERFILE, re.M)
    assert "collectstatic --noinput" in DOCKERFILE
    assert "DJANGO_SETTINGS_MODULE=carecase.settings.production" in DOCKERFILE


def _environment_variables_read_by_the_code() -> set[str]:
    pattern = re.compile(r'(?:os\.environ\.get|os\.environ\[|env_bool|env_list)\(?\s*"([A-Z][A-Z0-9_]+)"')
    names = set()
    for path in [*(REPO / "carecase" / "settings").glob("*.py"), REPO / "carecase" / "embedded.py",
                 REPO / "scripts" / "run.py"]:
        names |= set(pattern.findall(path.read_text()))
    return names


def test_every_environment_variable_is_documented():
    compose_names = set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", (REPO / "docker-compose.yml").read_text()))
    image_names = {"WEB_CONCURRENCY", "GUNICORN_CMD_ARGS", "STATIC_ROOT"}
    undocumented = sorted(
        name
        for name in _environment_variables_read_by_the_code() | compose_names | image_names
        if f"`{name}`" not in OPERATIONS
    )
    assert not undocumented, f"add these to docs/operations.md: {undocumented}"
