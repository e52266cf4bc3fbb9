"""Ending an employment and changing its hourly rate from a date, with the family rule checked again on every
change; availability on the register; the pages, with plain-English errors and everything typed kept."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from directpayments import selectors
from directpayments import services as dps
from directpayments.models import FAMILY_RULE_MESSAGE, Employment, EmploymentRate, Relationship

from .conftest import D, M
from .test_assistants import add
from .test_pages import date_fields, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_2_march_2026")]


@pytest.fixture
def job(agreement, dp_officer):
    return dps.employment_add(agreement=agreement, assistant=add(dp_officer), by=dp_officer.user,
                              starts_on=D(2026, 1, 5), hourly_rate=M("12.50"))


@pytest.fixture
def daughter_at_home(agreement, dp_officer):
    """A daughter living with the person, with a necessity decision to look at again by 1 April 2026."""
    return dps.employment_add(agreement=agreement, assistant=add(dp_officer, name="Priya Patel"), by=dp_officer.user,
                              starts_on=D(2026, 1, 5), hourly_rate=M("12.50"), relationship=Relationship.CHILD,
                              same_household=True, necessity_reason="No agency covers nights in the village",
                              necessity_approved_by=dp_officer.user, necessity_review_on=D(2026, 4, 1))


def change(employment, officer, **kwargs):
    values = {"relationship": employment.relationship, "same_household": employment.same_household}
    values.update(kwargs)
    return dps.employment_change(employment=employment, by=officer.user, **values)


def test_end_an_employment_with_the_reason(job, dp_officer):
    with pytest.raises(ValidationError) as err:
        dps.employment_end(employment=job, by=dp_officer.user, ends_on=D(2025, 12, 31), reason=" ")
    assert err.value.message_dict == {"ends_on": ["The last day cannot be before the employment started "
                                                  "(5 January 2026)"],
                                      "reason": ["Say why the employment is ending"]}
    dps.employment_end(employment=job, by=dp_officer.user, ends_on=D(2026, 3, 31), reason="Moving to Leeds")
    job.refresh_from_db()
    assert (job.ends_on, job.end_reason) == (D(2026, 3, 31), "Moving to Leeds")


def test_change_the_hourly_rate_from_a_date(job, dp_officer):
    change(job, dp_officer, hourly_rate=M("13.00"), rate_from=D(2026, 4, 6), reason="Yearly pay rise")
    job = Employment.objects.prefetch_related("rates").get(pk=job.pk)
    assert (job.rate_on(D(2026, 4, 5)), job.rate_on(D(2026, 4, 6))) == (M("12.50"), M("13.00"))
    # The same date again replaces that change; the rate the job started at stays.
    change(job, dp_officer, hourly_rate=M("13.25"), rate_from=D(2026, 4, 6), reason="National Living Wage")
    assert list(EmploymentRate.objects.values_list("effective_from", "hourly_rate")) == [(D(2026, 4, 6), M("13.25"))]
    # An end before a rate change is refused.
    with pytest.raises(ValidationError, match="A new hourly rate starts after this day"):
        dps.employment_end(employment=job, by=dp_officer.user, ends_on=D(2026, 3, 31), reason="Left")


@pytest.mark.parametrize(("kwargs", "errors"), [
    ({"hourly_rate": M("13.00")}, {"rate_from": ["Enter both the new hourly rate and the date it starts, or neither"]}),
    ({"hourly_rate": M("13.00"), "rate_from": D(2026, 1, 5), "reason": "Rise"},
     {"rate_from": ["The new rate must start after the employment started (5 January 2026)"]}),
    ({"hourly_rate": M("0"), "rate_from": D(2026, 4, 6)},
     {"hourly_rate": ["Enter the hourly rate, more than zero"], "reason": ["Say why the rate is changing"]}),
])
def test_rate_changes_are_checked_plainly(job, dp_officer, kwargs, errors):
    with pytest.raises(ValidationError) as err:
        change(job, dp_officer, **kwargs)
    assert err.value.message_dict == errors


def test_moving_in_with_the_person_needs_a_necessity_decision(job, dp_officer):
    with pytest.raises(ValidationError) as err:
        change(job, dp_officer, relationship=Relationship.SIBLING, same_household=True)
    assert FAMILY_RULE_MESSAGE in err.value.messages
    change(job, dp_officer, relationship=Relationship.SIBLING, same_household=True,
           necessity_reason="She gives the evening care he will accept", necessity_approved_by=dp_officer.user,
           necessity_review_on=D(2026, 9, 1))
    job.refresh_from_db()
    assert (job.relationship, job.same_household, job.necessity_decision.review_on) == (
        "sibling", True, D(2026, 9, 1))


def test_a_decision_whose_date_has_come_is_looked_at_again_before_any_change(daughter_at_home, dp_officer,
                                                                              team_leader):
    # Before 1 April the current decision stands.
    change(daughter_at_home, dp_officer, hourly_rate=M("13.00"), rate_from=D(2026, 3, 9), reason="Pay rise")
    with time_machine.travel(D(2026, 4, 2), tick=False):
        with pytest.raises(ValidationError) as err:
            change(daughter_at_home, dp_officer, hourly_rate=M("13.50"), rate_from=D(2026, 4, 6), reason="Rise")
        assert err.value.messages[0].startswith("The necessity decision for paying this relative was due to be "
                                                "looked at again by 1 April 2026")
        assert selectors.necessity_reviews_due(user=dp_officer.user)[0].row == daughter_at_home
        change(daughter_at_home, dp_officer, hourly_rate=M("13.50"), rate_from=D(2026, 4, 6), reason="Rise",
               necessity_reason="Still the only night cover", necessity_approved_by=team_leader.user,
               necessity_review_on=D(2027, 4, 1))
        assert selectors.necessity_reviews_due(user=dp_officer.user) == []
        # Ending never needs a decision.
        dps.employment_end(employment=daughter_at_home, by=dp_officer.user, ends_on=D(2026, 4, 30),
                           reason="Agency found")
    # Moving out needs no decision either.
    change(daughter_at_home, dp_officer, same_household=False)


def test_availability_on_the_register(dp_officer):
    pa = add(dp_officer, available_days=["sat", "mon", "wed"], availability=" Mornings only ")
    assert (pa.available_days, pa.availability) == (["mon", "wed", "sat"], "Mornings only")
    with pytest.raises(ValidationError) as err:
        dps.assistant_update(assistant=pa, by=dp_officer.user, available_days=["someday"])
    assert err.value.message_dict == {"available_days": ["Choose the days from the list"]}


def test_the_employment_page(officer_client, daughter_at_home, agreement, dp_officer):
    url = reverse("dp-employment", args=[agreement.id, daughter_at_home.id])
    page = text(officer_client.get(reverse("dp-agreement", args=[agreement.id])))
    assert url in page
    page = text(officer_client.get(url))
    assert "Priya Patel, employed by Mohan Patel" in page and "£12.50 an hour today" in page
    assert "look at it again by 1 April 2026" in page
    # Bad input comes back with what was typed and plain words.
    r = officer_client.post(reverse("dp-employment-change", args=[agreement.id, daughter_at_home.id]), {
        "change-hourly_rate": "13.10", "change-relationship": "child", "change-same_household": "yes"})
    assert r.status_code == 400
    page = text(r)
    assert "Enter both the new hourly rate and the date it starts, or neither" in page and 'value="13.10"' in page
    r = officer_client.post(reverse("dp-employment-change", args=[agreement.id, daughter_at_home.id]), {
        "change-hourly_rate": "13.10", **date_fields("change-rate_from", D(2026, 4, 6)),
        "change-reason": "Yearly pay rise", "change-relationship": "child", "change-same_household": "yes"})
    assert r.status_code == 302 and r.url == url
    page = text(officer_client.get(url))
    assert "£13.10 from 6 April 2026 (Yearly pay rise)" in page
    r = officer_client.post(reverse("dp-employment-end", args=[agreement.id, daughter_at_home.id]), {
        **date_fields("end-ends_on", D(2026, 4, 30))})
    assert r.status_code == 400 and "Say why the employment is ending" in text(r)
    r = officer_client.post(reverse("dp-employment-end", args=[agreement.id, daughter_at_home.id]), {
        **date_fields("end-ends_on", D(2026, 4, 30)), "end-reason": "An agency can cover nights now"})
    assert r.status_code == 302
    assert "Why it ended: An agency can cover nights now" in text(officer_client.get(url))


def test_another_agreements_employment_is_404(officer_client, daughter_at_home):
    assert officer_client.get(reverse("dp-employment", args=[daughter_at_home.agreement_id, 999999])).status_code == 404


def test_availability_on_the_pages(officer_client, dp_officer):
    r = officer_client.post(reverse("dp-assistant-new"), {
        "name": "Grace Okafor", "preferred_channel": "email", "email": "grace@example.org",
        "available_days": ["tue", "thu"], "availability": "Afternoons, not school holidays"})
    assert r.status_code == 302
    page = text(officer_client.get(r.url))
    assert "Tuesday, Thursday. Afternoons, not school holidays" in page
