"""This app's scheduled jobs, merged into the one beat schedule in carecase/celery.py (Europe/London)."""

from celery.schedules import crontab

BEAT: dict = {
    # Daily: last quarter's expected account returns, then a reminder (recipient and officer, each once) for
    # any return 4 weeks overdue. Idempotent, like the other sweeps.
    "direct-payment-return-reminders": {
        "task": "directpayments.tasks.sweep_return_reminders",
        "schedule": crontab(hour=7, minute=10),
        "options": {"expires": 6 * 60 * 60},
    },
    # Daily: an email to the direct payments officers 30 days before a personal assistant's DBS renewal date,
    # once per assistant and renewal date. Idempotent.
    "personal-assistant-dbs-reminders": {
        "task": "directpayments.tasks.sweep_dbs_reminders",
        "schedule": crontab(hour=7, minute=20),
        "options": {"expires": 6 * 60 * 60},
    },
    # Hourly: any broadcast to personal assistants not yet sent (each is also sent straight after it is made).
    "personal-assistant-messages": {
        "task": "directpayments.tasks.send_assistant_messages",
        "schedule": crontab(minute=20),
        "options": {"expires": 50 * 60},
    },
}
