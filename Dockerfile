# CareCase production image. One image runs the web app (gunicorn, the default command), the Celery worker
# and Celery beat; docker-compose.yml shows the wiring. Configuration is by environment variable only:
# see docs/operations.md.

# --- Build stage: wheels for every dependency, compiled here if a platform has no ready-made wheel, so the
# runtime image carries no compiler.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
# Only the dependency list matters here: a stub package keeps this layer cached until pyproject.toml changes.
RUN mkdir carecase && touch carecase/__init__.py \
 && pip wheel --wheel-dir /wheels . \
 && rm /wheels/carecase-*.whl

# --- Runtime stage.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=carecase.settings.production \
    PYTHONPATH=/app \
    STATIC_ROOT=/app/staticfiles \
    WEB_CONCURRENCY=3

# WeasyPrint (letters and plans as PDFs) needs Pango and HarfBuzz; Liberation fonts are metric-compatible
# with Arial, the GOV.UK fallback font.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 carecase \
 && useradd --system --uid 10001 --gid carecase --create-home --home-dir /home/carecase \
      --shell /usr/sbin/nologin carecase

COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links=/wheels /wheels/*.whl && rm -rf /wheels

# The application runs from /app (templates/ and static/ sit beside the carecase package), owned by root
# and read-only to the carecase user.
WORKDIR /app
COPY . /app

# Static files are collected into the image at build time. Production settings insist on real-looking
# values, but collectstatic never connects to anything: these placeholders exist only for this command.
RUN SECRET_KEY=collectstatic-at-image-build-only-never-used-to-sign-anything-00000000 \
    DATABASE_URL=postgres://build@localhost:1/build \
    REDIS_URL=redis://localhost:1/0 \
    python manage.py collectstatic --noinput --verbosity 0

# Celery beat keeps its schedule state here; docker-compose.yml mounts a named volume on it.
RUN mkdir -p /var/lib/carecase/beat && chown carecase:carecase /var/lib/carecase/beat

USER carecase
EXPOSE 8000
# WEB_CONCURRENCY sets the number of gunicorn workers; GUNICORN_CMD_ARGS adds any other option.
CMD ["gunicorn", "carecase.wsgi:application", "--bind", "0.0.0.0:8000", "--timeout", "60", \
     "--access-logfile", "-", "--error-logfile", "-"]
