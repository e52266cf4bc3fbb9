"""Signals other apps may listen to, so assessments need not know about them.

`plan_services_changed` is sent, inside the transaction that made the change, when the services in force for
a person change from a date: today, when a plan is approved and becomes active (a new plan, for example after
a review or reassessment, replaces the person's earlier plan from its start date). Arguments: `plan` (the plan
now in force), `by` (who made the change) and `effective_from` (the date the change takes effect). A receiver
that raises undoes the change.
"""

from django.dispatch import Signal

plan_services_changed = Signal()
