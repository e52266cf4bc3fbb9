"""Safeguarding's one setting, read when used (so tests can override it): how many working days the hub has
to make the section 42 decision. A Django setting `SAFEGUARDING_DECISION_WORKING_DAYS` wins; otherwise the
environment variable `CARECASE_SAFEGUARDING_DECISION_WORKING_DAYS`; otherwise 2 (GUIDE §2.9: local
procedures vary, often 1 to 5)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_DECISION_WORKING_DAYS = 2


def decision_working_days() -> int:
    value = getattr(settings, "SAFEGUARDING_DECISION_WORKING_DAYS", None)
    if value is None:
        value = os.environ.get("CARECASE_SAFEGUARDING_DECISION_WORKING_DAYS", DEFAULT_DECISION_WORKING_DAYS)
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = -1
    if not 0 <= days <= 30:
        raise ImproperlyConfigured("SAFEGUARDING_DECISION_WORKING_DAYS must be a whole number of working days "
                                   f"from 0 to 30, not {value!r}")
    return days
