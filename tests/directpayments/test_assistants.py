"""The personal assistants register, employments and the family rule (service and database), and broadcasts
to personal assistants sent exactly once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from carecase import codes
from carecase.outbox import OutboxStatus
from directpayments import reminders, selectors
from directpayments import services as dps
from directpayments.models import (
    FAMILY_RULE_MESSAGE,
    AssistantMessage,
    Employment,
    PersonalAssistant,
    Relationship,
)

from .conftest import D, M

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_2_march_2026")]


def add(officer, **kwargs):
    values = {"name": "Grace Okafor", "email": "grace@example.org", "area": "City East", "consent_to_contact": True,
              "dbs_checked_on": D(2025, 4, 1), "dbs_renewal_due_on": D(2026, 4, 1), "languages": ["English", "Igbo"]}
    values.update(kwargs)
    return dps.assistant_add(by=officer.user, **values)


def test_register_an_assistant_with_ethnicity_only_with_consent(dp_officer):
    with pytest.raises(ValidationError) as err:
        add(dp_officer, ethnicity=codes.Ethnicity.INDIAN)
    assert "agreed" in err.value.message_dict["ethnicity"][0]
    pa = add(dp_officer, ethnicity=codes.Ethnicity.INDIAN, ethnicity_consent=True)
    assert pa.languages == ["English", "Igbo"]
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonalAssistant.objects.filter(pk=pa.pk).update(ethnicity_consent=False)
    # Withdrawing consent removes the ethnicity.
    dps.assistant_update(assistant=pa, by=dp_officer.user, ethnicity="", ethnicity_consent=False)
    pa.refresh_from_db()
    assert pa.ethnicity == ""


def test_register_checks_dates_and_contact(dp_officer):
    with pytest.raises(ValidationError) as err:
        add(dp_officer, name=" ", dbs_renewal_due_on=D(2025, 1, 1), email="")
    assert set(err.value.message_dict) == {"name", "dbs_renewal_due_on", "email"}


def test_only_direct_payments_staff_see_or_change_the_register(dp_officer, practitioner):
    add(dp_officer)
    with pytest.raises(PermissionDenied):
        dps.assistant_add(by=practitioner.user, name="X")
    with pytest.raises(PermissionDenied):
        selectors.assistants(user=practitioner.user)
    assert [p.name for p in selectors.assistants(user=dp_officer.user)] == ["Grace Okafor"]


def test_dbs_renewals_due_within_60_days(dp_officer):
    add(dp_officer, name="Due soon", dbs_renewal_due_on=D(2026, 4, 30))
    add(dp_officer, name="Overdue", dbs_renewal_due_on=D(2026, 2, 1), dbs_checked_on=D(2023, 2, 1))
    add(dp_officer, name="Later", dbs_renewal_due_on=D(2026, 6, 1))
    assert [p.name for p in selectors.dbs_due(user=dp_officer.user)] == ["Overdue", "Due soon"]


def test_employment_links_an_assistant_to_the_recipient(agreement, dp_officer):
    pa = add(dp_officer)
    job = dps.employment_add(agreement=agreement, assistant=pa, by=dp_officer.user, starts_on=D(2026, 1, 5),
                             hourly_rate=M("13.50"), relationship=Relationship.OTHER, same_household=False)
    assert job.necessity_decision is None
    (listed,) = selectors.assistant_employments(user=dp_officer.user, assistant=pa)
    assert listed.name == "Mohan Patel"


@pytest.mark.parametrize(("relationship", "same_household", "needs_decision"), [
    (Relationship.SPOUSE_PARTNER, True, True),
    (Relationship.CHILD, True, True),
    (Relationship.CHILD, False, False),       # a daughter living elsewhere may be employed
    (Relationship.OTHER, True, False),        # a friend or distant relative at home is not a close relative
    (Relationship.NONE, True, False),
])
def test_the_family_rule(agreement, dp_officer, relationship, same_household, needs_decision):
    pa = add(dp_officer)
    kwargs = {"agreement": agreement, "assistant": pa, "by": dp_officer.user, "starts_on": D(2026, 1, 5),
              "hourly_rate": M("12.50"), "relationship": relationship, "same_household": same_household}
    if needs_decision:
        with pytest.raises(ValidationError) as err:
            dps.employment_add(**kwargs)
        assert FAMILY_RULE_MESSAGE in err.value.messages
        assert "necessity_reason" in err.value.message_dict
        job = dps.employment_add(**kwargs, necessity_reason="No agency can cover night-time care in the village",
                                 necessity_approved_by=dp_officer.user, necessity_review_on=D(2026, 9, 1))
        assert job.necessity_decision.approved_by == dp_officer.user
    else:
        assert dps.employment_add(**kwargs).necessity_decision is None


def test_the_family_rule_is_in_the_database_too(agreement, dp_officer):
    pa = add(dp_officer)
    with pytest.raises(IntegrityError, match="family_rule_needs_necessity_decision"), transaction.atomic():
        Employment.objects.create(assistant=pa, agreement=agreement, starts_on=D(2026, 1, 5),
                                  hourly_rate=M("12.50"), relationship=Relationship.PARENT, same_household=True,
                                  created_by=dp_officer.user)
    job = dps.employment_add(agreement=agreement, assistant=pa, by=dp_officer.user, starts_on=D(2026, 1, 5),
                             hourly_rate=M("12.50"), relationship=Relationship.PARENT, same_household=False)
    # Moving in later without a decision is refused by the database as well.
    with pytest.raises(IntegrityError), transaction.atomic():
        Employment.objects.filter(pk=job.pk).update(same_household=True)


def test_necessity_approver_must_be_a_direct_payments_decision_maker(agreement, dp_officer, practitioner):
    pa = add(dp_officer)
    with pytest.raises(ValidationError) as err:
        dps.employment_add(agreement=agreement, assistant=pa, by=dp_officer.user, starts_on=D(2026, 1, 5),
                           hourly_rate=M("12.50"), relationship=Relationship.PARENT, same_household=True,
                           necessity_reason="Only person he accepts", necessity_approved_by=practitioner.user,
                           necessity_review_on=D(2026, 9, 1))
    assert "necessity_approved_by" in err.value.message_dict


def test_broadcast_goes_once_to_active_assistants_who_agreed(dp_officer, django_capture_on_commit_callbacks):
    add(dp_officer, name="East one", email="east1@example.org")
    add(dp_officer, name="East two", email="east2@example.org")
    add(dp_officer, name="West", email="west@example.org", area="City West")
    add(dp_officer, name="No consent", email="no@example.org", consent_to_contact=False)
    add(dp_officer, name="Left", email="left@example.org", is_active=False)
    with django_capture_on_commit_callbacks(execute=False):
        broadcast = dps.broadcast_send(by=dp_officer.user, subject="Free moving and handling training",
                                       body="Training on 14 March at the Adult Learning Centre.", area="city east")
    assert broadcast.recipients_count == 2
    reminders.send_assistant_messages(worker="one")
    reminders.send_assistant_messages(worker="two")  # a second run sends nothing again
    assert sorted(m.to[0] for m in mail.outbox) == ["east1@example.org", "east2@example.org"]
    assert all("agreed to be contacted" in m.body and m.extra_headers["X-CareCase-Reference"].startswith(
        "pa-broadcast:") for m in mail.outbox)
    assert set(AssistantMessage.objects.values_list("status", "outcome")) == {(OutboxStatus.DONE, "sent")}
    everyone = dps.broadcast_send(by=dp_officer.user, subject="Pay rates", body="From April ...")
    assert everyone.recipients_count == 3


def test_broadcast_needs_words(dp_officer):
    with pytest.raises(ValidationError) as err:
        dps.broadcast_send(by=dp_officer.user, subject="", body=" ")
    assert set(err.value.message_dict) == {"subject", "body"}
