"""The direct payments figures a council may change: Django settings, or environment variables of the same
name prefixed CARECASE_ (docs/operations.md). Read when used, so tests can override them."""

from __future__ import annotations

import os

from django.conf import settings

DEFAULTS = {
    # A closing balance above this many weeks of net payments proposes a recovery (GUIDE §2.8).
    "DP_SURPLUS_WEEKS": 8,
    # The recovery leaves this many weeks of net payments in the account as a contingency.
    "DP_CONTINGENCY_WEEKS": 4,
    # A quarter's account return is due this many days after the quarter ends ...
    "DP_RETURN_DUE_DAYS": 28,
    # ... and a reminder goes to the recipient and the officer once it is this many days overdue.
    "DP_RETURN_REMINDER_AFTER_DAYS": 28,
    # The direct payments officers are emailed this many days before a personal assistant's DBS renewal date.
    "DP_DBS_REMINDER_DAYS": 30,
}


def get(name: str) -> int:
    if hasattr(settings, name):
        return int(getattr(settings, name))
    return int(os.environ.get(f"CARECASE_{name}", DEFAULTS[name]))
