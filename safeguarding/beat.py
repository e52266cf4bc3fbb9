"""This app's scheduled jobs, merged into the one beat schedule in carecase/celery.py (Europe/London)."""

from celery.schedules import crontab

BEAT: dict = {
    "safeguarding-decision-reminders": {
        # Every day: a decision is due on a working day, and an overdue one is reminded the next morning.
        "task": "safeguarding.tasks.sweep_decision_reminders",
        "schedule": crontab(hour=7, minute=5),
        "options": {"expires": 6 * 60 * 60},
    },
}
