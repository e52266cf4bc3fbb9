"""Clocks after the decision (GUIDE §2.9), on the hub worktray and the dashboard with due and overdue tags:
the same-working-day immediate-risk check, a strategy discussion within 5 working days of a section 42
decision when one is needed, enquiry planning within 5 working days, and plan reviews within 3 months."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from carecase.workdays import add_working_days
from safeguarding import selectors, services
from safeguarding.models import Enquiry, SafeguardingPlan

from .conftest import LONDON, decide, make_concern

pytestmark = pytest.mark.django_db

PLAN = [{"text": "I want my money to be safe", "steps": {}}]


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def test_the_immediate_risk_check_is_due_the_same_working_day():
    assert selectors.protection_due_on(at(dt.date(2026, 11, 20), 23)) == dt.date(2026, 11, 20)  # a Friday
    assert selectors.protection_due_on(at(dt.date(2026, 11, 21))) == dt.date(2026, 11, 23)  # Saturday: Monday
    assert selectors.protection_due_on(at(dt.date(2026, 12, 25))) == dt.date(2026, 12, 29)  # Christmas, Boxing Day


def test_immediate_risk_without_protection_is_flagged_until_it_is_recorded(client, adult, lead):
    concern = make_concern(adult, lead, immediate_risk=True, protection_actions="")
    assert concern.needs_protection_check
    client.force_login(lead.user)
    hub = client.get(reverse("safeguarding-hub")).content.decode()
    assert "Immediate-risk check (same working day)" in hub
    page = client.get(reverse("safeguarding-concern", args=[concern.id])).content.decode()
    assert "Immediate-risk check needed" in page and "Record the immediate-risk check" in page
    bad = client.post(reverse("safeguarding-protection", args=[concern.id]), {"protection_actions": " "})
    assert bad.status_code == 400 and "Say what was done to protect them" in bad.content.decode()
    good = client.post(reverse("safeguarding-protection", args=[concern.id]),
                       {"protection_actions": "Moved to his daughter's tonight"})
    assert good.status_code == 302
    concern.refresh_from_db()
    assert not concern.needs_protection_check and concern.protection_recorded_by == lead.user
    assert "Immediate-risk check" not in client.get(reverse("safeguarding-hub")).content.decode()


def test_protection_is_only_recorded_for_immediate_risk(adult, lead):
    concern = make_concern(adult, lead)
    with pytest.raises(ValidationError):
        services.protection_record(concern=concern, by=lead.user, protection_actions="Anything")


def test_a_section_42_decision_asks_whether_a_strategy_discussion_is_needed(adult, lead):
    concern = make_concern(adult, lead)
    with pytest.raises(ValidationError) as info:
        decide(concern, lead, strategy_needed=None)
    assert info.value.message_dict == {"strategy_needed": ["Select whether a strategy discussion is needed"]}


def test_the_clocks_are_set_when_the_enquiry_starts(adult, lead):
    decided = timezone.now()
    needed = make_concern(adult, lead)
    decide(needed, lead, decided_at=decided)
    not_needed = make_concern(adult, lead)
    decide(not_needed, lead, decided_at=decided, strategy_needed=False)
    started = timezone.localtime(decided).date()
    enquiry = Enquiry.objects.get(concern=needed)
    assert enquiry.strategy_needed and enquiry.strategy_due_on == add_working_days(started, 5)
    assert enquiry.planning_due_on == add_working_days(started, 5)
    other = Enquiry.objects.get(concern=not_needed)
    assert other.strategy_due_on is None and other.planning_due_on == add_working_days(started, 5)


def test_worktray_and_dashboard_show_due_and_overdue_clocks(client, adult, lead):
    today = timezone.localdate()
    late = make_concern(adult, lead, received_at=timezone.now() - dt.timedelta(days=20))
    decide(late, lead, decided_at=timezone.now() - dt.timedelta(days=19))
    fresh = make_concern(adult, lead)
    decide(fresh, lead)
    reviewed = make_concern(adult, lead)
    decide(reviewed, lead, strategy_needed=False)
    reviewed.refresh_from_db()
    services.plan_save(enquiry=reviewed.enquiry, by=lead.user, outcomes=PLAN, review_on=today + dt.timedelta(days=3))
    overdue_review = make_concern(adult, lead)
    decide(overdue_review, lead, strategy_needed=False)
    overdue_review.refresh_from_db()
    services.plan_save(enquiry=overdue_review.enquiry, by=lead.user, outcomes=PLAN, review_on=today)
    SafeguardingPlan.objects.filter(enquiry=overdue_review.enquiry).update(review_on=today - dt.timedelta(days=2))

    tray = selectors.hub_worktray(user=lead.user, today=today)
    rows = {(row["concern"].pk, row["what"]): row["state"][0] for row in tray["clocks"]}
    assert rows[(late.pk, "Strategy discussion")] == "Overdue"
    assert rows[(late.pk, "Enquiry planning: the safeguarding plan")] == "Overdue"
    assert rows[(fresh.pk, "Strategy discussion")] == "Due"
    assert rows[(reviewed.pk, "Safeguarding plan review")] == "Due"
    assert rows[(overdue_review.pk, "Safeguarding plan review")] == "Overdue"
    assert (reviewed.pk, "Strategy discussion") not in rows and (reviewed.pk, "Enquiry planning: the safeguarding plan") \
        not in rows

    clocks = selectors.dashboard(user=lead.user, today=today)["clocks"]
    assert clocks["strategy"] == {"due": 1, "overdue": 1}
    assert clocks["planning"] == {"due": 1, "overdue": 1}
    assert clocks["reviews"] == {"due": 1, "overdue": 1}
    assert clocks["immediate"] == {"due": 0, "overdue": 0}

    client.force_login(lead.user)
    assert "Safeguarding plan review" in client.get(reverse("safeguarding-hub")).content.decode()
    assert "Clocks after the decision" in client.get(reverse("safeguarding-dashboard")).content.decode()


def test_a_strategy_discussion_stops_its_clock(adult, lead, enquiry):
    services.strategy_discussion_record(enquiry=enquiry, by=lead.user, held_on=timezone.localdate(),
                                        attendees="Hub, police", police_attended=True, crime_possible=True,
                                        police_informed=True)
    tray = selectors.hub_worktray(user=lead.user)
    assert all(row["what"] != "Strategy discussion" for row in tray["clocks"])
    assert selectors.dashboard(user=lead.user)["clocks"]["strategy"] == {"due": 0, "overdue": 0}


def test_the_plan_must_be_reviewed_within_3_months(enquiry, lead):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as info:
        services.plan_save(enquiry=enquiry, by=lead.user, outcomes=PLAN,
                           review_on=today + relativedelta(months=3) + dt.timedelta(days=1))
    assert info.value.message_dict["review_on"][0].startswith("Review the plan within 3 months")
    services.plan_save(enquiry=enquiry, by=lead.user, outcomes=PLAN, review_on=today + relativedelta(months=3))
