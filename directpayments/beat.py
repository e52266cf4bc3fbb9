"""This app's scheduled jobs, merged into the one beat schedule in carecase/celery.py (Europe/London)."""

from celery.schedules import crontab  # noqa: F401

BEAT: dict = {}
