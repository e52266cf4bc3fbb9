"""Closing an organisational enquiry (a summary, the date, who closed it; not while any adult's own enquiry is
open) and feedback after an enquiry closes (GUIDE §2.9 "Feedback"), counted on the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from safeguarding import selectors, services
from safeguarding.access import SafeguardingDenied
from safeguarding.models import EnquiryFeedback, OrganisationalEnquiry, OrganisationalStatus
from tests.factories import PersonFactory

from .conftest import decide, make_concern

pytestmark = pytest.mark.django_db

CLOSE = {"risk_outcome": "Risk identified and action taken", "risk_result": "Risk reduced",
         "outcomes_achieved": "Partially achieved", "feedback_offered": True}


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.message_dict


def enquiry_for(lead, **overrides):
    concern = make_concern(PersonFactory(), lead, **overrides)
    decide(concern, lead)
    concern.refresh_from_db()
    return concern.enquiry


@pytest.fixture
def org(lead):
    return services.organisational_enquiry_create(by=lead.user, provider_name="Oak House", summary="Several falls",
                                                  opened_on=timezone.localdate() - dt.timedelta(days=30), lead=lead)


def test_an_organisational_enquiry_cannot_close_while_an_adults_enquiry_is_open(org, lead):
    first, second = enquiry_for(lead), enquiry_for(lead)
    for enquiry in (first, second):
        services.organisational_link(organisational_enquiry=org, enquiry=enquiry, by=lead.user)
    services.enquiry_close(enquiry=first, by=lead.user, **CLOSE)
    errors = errors_of(lambda: services.organisational_close(organisational_enquiry=org, by=lead.user,
                                                             closure_summary="Home improved"))
    assert errors == {"__all__": ["You cannot close this organisational enquiry yet: 1 adult’s enquiry is still "
                                  "open. Conclude each adult’s own enquiry first, with their own risk and Making "
                                  "Safeguarding Personal outcomes, then close this one."]}
    services.enquiry_close(enquiry=second, by=lead.user, **CLOSE | {"outcomes_achieved": "Fully achieved"})
    closed = services.organisational_close(organisational_enquiry=org, by=lead.user,
                                           closure_summary="New manager; staff retrained in falls")
    assert closed.status == OrganisationalStatus.CLOSED and closed.closed_by == lead.user
    assert closed.closed_on == timezone.localdate()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.outcomes_achieved, second.outcomes_achieved) == ("Partially achieved", "Fully achieved")
    with pytest.raises(ValidationError):
        services.organisational_close(organisational_enquiry=org, by=lead.user, closure_summary="Again")
    with pytest.raises(ValidationError):
        services.organisational_link(organisational_enquiry=org, enquiry=enquiry_for(lead), by=lead.user)
    with pytest.raises(ValidationError, match="takes no more shared actions"):
        services.action_add(by=lead.user, organisational_enquiry=closed, description="Visit", owner="Hub",
                            due_on=timezone.localdate())


def test_closing_needs_a_summary_and_a_sensible_date(org, lead):
    assert errors_of(lambda: services.organisational_close(
        organisational_enquiry=org, by=lead.user, closure_summary=" ",
        closed_on=org.opened_on - dt.timedelta(days=1))) == {
        "closure_summary": ["Write a summary of what the organisational enquiry found and what changed"],
        "closed_on": ["It cannot close before it opened"]}


def test_only_the_safeguarding_team_closes_one(org, practitioner):
    with pytest.raises(SafeguardingDenied) as info:
        services.organisational_close(organisational_enquiry=org, by=practitioner.user, closure_summary="x")
    assert "Only the safeguarding team" in str(info.value)


def test_the_database_refuses_a_closed_enquiry_without_its_summary(org):
    with transaction.atomic(), pytest.raises(IntegrityError):
        OrganisationalEnquiry.objects.filter(pk=org.pk).update(status="closed", closed_on=timezone.localdate())


def test_the_organisational_page_explains_and_closes(client, org, lead):
    enquiry = enquiry_for(lead)
    services.organisational_link(organisational_enquiry=org, enquiry=enquiry, by=lead.user)
    client.force_login(lead.user)
    url = reverse("safeguarding-organisational", args=[org.id])
    page = client.get(url).content.decode()
    assert "1 adult’s enquiry is still open" in page
    bad = client.post(url, {"action": "close", "closure_summary": "Done"}).content.decode()
    assert "You cannot close this organisational enquiry yet" in bad and "Done" in bad
    services.enquiry_close(enquiry=enquiry, by=lead.user, **CLOSE)
    assert client.post(url, {"action": "close", "closure_summary": "Home improved"}).status_code == 302
    page = client.get(url).content.decode()
    assert "Home improved" in page and "Close the organisational enquiry" not in page


def test_feedback_is_recorded_after_closure_when_offered(enquiry, lead):
    with pytest.raises(ValidationError, match="after the enquiry has been concluded"):
        services.feedback_record(enquiry=enquiry, by=lead.user, agreed=True)
    services.enquiry_close(enquiry=enquiry, by=lead.user, **CLOSE)
    assert errors_of(lambda: services.feedback_record(enquiry=enquiry, by=lead.user, agreed=True)) == {
        "listened_to": ["Select whether they felt listened to, or did not say"],
        "got_outcomes": ["Select whether they got the outcomes they wanted, or did not say"],
        "feels_safer": ["Select whether they feel safer, or did not say"]}
    feedback = services.feedback_record(enquiry=enquiry, by=lead.user, agreed=True, listened_to="yes",
                                        got_outcomes="partly", feels_safer="not_said",
                                        comment="  They listened, but it took too long  ")
    assert feedback.comment == "They listened, but it took too long" and feedback.recorded_by == lead.user
    with pytest.raises(ValidationError):
        services.feedback_record(enquiry=enquiry, by=lead.user, agreed=False)


def test_no_feedback_when_it_was_not_offered(enquiry, lead):
    services.enquiry_close(enquiry=enquiry, by=lead.user, **CLOSE | {"feedback_offered": False})
    with pytest.raises(ValidationError):
        services.feedback_record(enquiry=enquiry, by=lead.user, agreed=True)


def test_a_refusal_keeps_no_answers(enquiry, lead):
    services.enquiry_close(enquiry=enquiry, by=lead.user, **CLOSE)
    feedback = services.feedback_record(enquiry=enquiry, by=lead.user, agreed=False, listened_to="yes",
                                        comment="should not be kept")
    assert (feedback.listened_to, feedback.comment) == ("", "")


def test_feedback_is_counted_on_the_dashboard(client, lead):
    answers = [("yes", "yes", "yes"), ("partly", "no", "yes"), None, "declined"]
    for answer in answers:
        enquiry = enquiry_for(lead)
        services.enquiry_close(enquiry=enquiry, by=lead.user, **CLOSE)
        if answer == "declined":
            services.feedback_record(enquiry=enquiry, by=lead.user, agreed=False)
        elif answer:
            services.feedback_record(enquiry=enquiry, by=lead.user, agreed=True, listened_to=answer[0],
                                     got_outcomes=answer[1], feels_safer=answer[2])
    figures = selectors.dashboard(user=lead.user)["feedback"]
    assert (figures["offered"], figures["agreed"], figures["declined"], figures["not_yet"]) == (4, 2, 1, 1)
    listened = dict((v, n) for v, _label, n in figures["questions"][0]["counts"])
    safer = dict((v, n) for v, _label, n in figures["questions"][2]["counts"])
    assert listened == {"yes": 1, "partly": 1, "no": 0, "not_said": 0} and safer["yes"] == 2
    assert EnquiryFeedback.objects.count() == 3
    client.force_login(lead.user)
    page = client.get(reverse("safeguarding-dashboard"))
    assert "Feedback was offered after 4 enquiries concluded this year: 2 agreed" in page.content.decode()


def test_the_feedback_page(client, enquiry, lead):
    services.enquiry_close(enquiry=enquiry, by=lead.user, **CLOSE)
    client.force_login(lead.user)
    assert "Record their feedback" in client.get(reverse("safeguarding-enquiry", args=[enquiry.id])).content.decode()
    url = reverse("safeguarding-feedback", args=[enquiry.id])
    bad = client.post(url, {"agreed": "yes", "listened_to": "yes", "comment": "Kind staff"})
    assert "Select whether they feel safer, or did not say" in bad.content.decode() and "Kind staff" in bad.content.decode()
    good = client.post(url, {"agreed": "yes", "listened_to": "yes", "got_outcomes": "yes", "feels_safer": "partly",
                             "comment": "Kind staff"})
    assert good.status_code == 302
    page = client.get(reverse("safeguarding-enquiry", args=[enquiry.id])).content.decode()
    assert "“Kind staff”" in page and "Record their feedback" not in page
    assert client.get(url).status_code == 302
