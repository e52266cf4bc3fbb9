"""Who or what made a change, for the change history kept by django-pghistory's database triggers.

Web requests get the acting user from `pghistory.middleware.HistoryMiddleware`. Work done outside a
request (Celery tasks, management commands, the demo seeder) names itself with `acting_as`, so every
event row written by the triggers inside it points at a context saying who and what made the change:

    with acting_as(source="task:send_review_reminders"):
        ...

    with acting_as(user, source="command:import_people"):
        ...
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pghistory


@contextmanager
def acting_as(user=None, *, source: str) -> Iterator[pghistory.runtime.Context]:
    """Attach `user` (or no one, for system jobs) and `source` to every history event written inside.

    Nested inside another context (a web request, an outer task), the metadata is merged into that
    context, so the innermost `acting_as` wins for its keys.
    """
    if not source:
        raise ValueError("Say what is making the change, for example 'task:review_reminders'")
    with pghistory.context(user=user.pk if user is not None else None, source=source) as context:
        yield context
