"""Concerns, decisions, strategy discussions, plans and closure: what each needs, in plain English, and the
database constraints behind them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding import services
from safeguarding.access import SafeguardingDenied
from safeguarding.codes import Capacity, OutcomesAchieved, OutcomesAsked, RiskAssessmentOutcome, RiskResult
from safeguarding.models import (
    Concern,
    ConcernStatus,
    DecisionResult,
    EnquiryStatus,
    IncidentTriage,
    StrategyDiscussion,
)

from .conftest import decide, make_concern

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


def test_a_concern_is_due_for_decision_two_working_days_after_receipt(adult, lead):
    received = dt.datetime(2026, 4, 2, 16, 0, tzinfo=dt.UTC)  # Maundy Thursday
    concern = make_concern(adult, lead, received_at=received)
    assert concern.decision_due_on == dt.date(2026, 4, 8)
    assert concern.status == ConcernStatus.AWAITING_DECISION


def test_a_concern_needs_its_answers_in_plain_english(adult, lead):
    errors = errors_of(lambda: services.concern_create(
        by=lead.user, person=adult, received_at=timezone.now(), raised_by_role="", abuse_types=[],
        location_of_risk="", source_of_risk="", what_happened=" ", immediate_risk=True, protection_actions="",
        police_informed=False, outcomes_asked=OutcomesAsked.EXPRESSED, desired_outcomes="",
        capacity=Capacity.LACKS, advocacy="", alleged_known="", others_at_risk=None))
    assert errors == {
        "alleged_known": ["Select whether the person alleged to cause harm is known"],
        "others_at_risk": ["Select whether any other adults or children are at risk"],
        "raised_by_role": ["Select who raised the concern"],
        "abuse_types": ["Select at least one type of abuse or neglect"],
        "location_of_risk": ["Select where the risk is"],
        "source_of_risk": ["Select who the risk comes from"],
        "what_happened": ["Say what happened"],
        "desired_outcomes": ["Write down what they want to happen, in their own words"],
        "advocacy": ["Say whether an advocate, family member or friend is supporting them"],
    }
    assert not Concern.objects.exists()


def test_a_concern_cannot_be_received_in_the_future(adult, lead):
    errors = errors_of(lambda: make_concern(adult, lead, received_at=timezone.now() + dt.timedelta(days=1)))
    assert errors["received_at"] == ["The date the concern was received must be today or in the past"]


def test_the_database_refuses_a_concern_without_an_abuse_type(concern):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Concern.objects.filter(pk=concern.pk).update(abuse_types=[])


def test_a_practitioner_of_another_team_cannot_raise_a_concern_here(adult, other_practitioner):
    with pytest.raises(SafeguardingDenied):
        make_concern(adult, other_practitioner)


def test_the_allocated_worker_can_raise_a_concern(adult, practitioner):
    assert make_concern(adult, practitioner).created_by == practitioner.user


def test_a_section_42_enquiry_needs_yes_to_all_three_questions(concern, lead):
    errors = errors_of(lambda: decide(concern, lead, cannot_protect=False))
    assert errors["result"][0].startswith("A section 42 enquiry needs yes to all three questions")


def test_each_answer_needs_a_reason_and_the_next_step_its_details(concern, lead):
    errors = errors_of(lambda: services.decision_record(
        concern=concern, by=lead.user, has_care_needs=None, has_care_needs_reason="", at_risk=True,
        at_risk_reason=" ", cannot_protect=False, cannot_protect_reason="", result=DecisionResult.NO_FURTHER_ACTION))
    assert errors == {
        "has_care_needs": ["Select yes or no for whether they have needs for care and support"],
        "has_care_needs_reason": ["Give a reason for your answer about whether they have needs for care and support"],
        "at_risk_reason": ["Give a reason for your answer about whether they are experiencing, or at risk of, abuse "
                           "or neglect"],
        "cannot_protect_reason": ["Give a reason for your answer about whether they can protect themselves"],
        "advice_given": ["Say what advice or signposting was given"],
    }
    errors = errors_of(lambda: decide(concern, lead, result=DecisionResult.REFERRAL))
    assert errors == {"referred_to": ["Say where the concern was referred"]}
    errors = errors_of(lambda: decide(concern, lead, lead_enquirer=None))
    assert errors == {"lead_enquirer": ["Choose a lead enquirer, or name the organisation asked to make the enquiry"]}


def test_a_section_42_decision_opens_the_enquiry_and_records_the_timescale(concern, lead):
    decision = decide(concern, lead)
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ENQUIRY
    assert decision.within_timescale
    assert concern.enquiry.kind == "s42" and concern.enquiry.lead_enquirer == lead
    with pytest.raises(ValidationError):
        decide(concern, lead)


def test_a_late_decision_is_recorded_as_late(adult, lead):
    concern = make_concern(adult, lead, received_at=timezone.now() - dt.timedelta(days=10))
    assert not decide(concern, lead).within_timescale


def test_an_other_enquiry_can_be_caused_to_be_made_by_another_organisation(concern, lead):
    decide(concern, lead, cannot_protect=False, result=DecisionResult.OTHER, lead_enquirer=None,
           caused_organisation="Leicester NHS Trust")
    concern.refresh_from_db()
    assert concern.enquiry.kind == "other" and concern.enquiry.caused_organisation == "Leicester NHS Trust"


def test_no_further_action_closes_nothing_but_the_decision(concern, lead):
    decide(concern, lead, cannot_protect=False, result=DecisionResult.NO_FURTHER_ACTION,
           advice_given="Told him about the bank's fraud team")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NO_ENQUIRY
    assert not hasattr(concern, "enquiry") or concern.enquiry is None


def test_the_allocated_worker_cannot_make_the_decision(concern, practitioner):
    with pytest.raises(SafeguardingDenied):
        decide(concern, practitioner)


def test_could_a_crime_have_been_committed_must_be_answered(enquiry, lead):
    today = timezone.localdate()
    base = {"held_on": today, "attendees": "Lead, police, GP", "police_attended": True}
    errors = errors_of(lambda: services.strategy_discussion_record(enquiry=enquiry, by=lead.user, crime_possible=None,
                                                                   **base))
    assert errors == {"crime_possible": ["Select whether a crime could have been committed"]}
    errors = errors_of(lambda: services.strategy_discussion_record(enquiry=enquiry, by=lead.user, crime_possible=True,
                                                                   **base))
    assert errors == {"police_informed": ["Select whether the police were informed or invited"]}
    errors = errors_of(lambda: services.strategy_discussion_record(
        enquiry=enquiry, by=lead.user, crime_possible=True, police_informed=False, **base))
    assert errors == {"no_police_reason": ["Say why the police were not informed or invited"]}
    errors = errors_of(lambda: services.strategy_discussion_record(enquiry=enquiry, by=lead.user,
                                                                   crime_possible=False, **base))
    assert errors == {"no_police_reason": ["Say why a crime is not suspected and the police are not involved"]}
    made = services.strategy_discussion_record(enquiry=enquiry, by=lead.user, crime_possible=True,
                                               police_informed=True, **base)
    assert made.police_informed and made.no_police_reason == ""


def test_the_database_requires_the_police_answer_when_a_crime_is_possible(enquiry, lead):
    with transaction.atomic(), pytest.raises(IntegrityError):
        StrategyDiscussion.objects.create(enquiry=enquiry, held_on=timezone.localdate(), attendees="x",
                                          police_attended=False, crime_possible=True, police_informed=None,
                                          recorded_by=lead.user)


def test_the_plan_is_built_with_the_support_sequence(enquiry, lead):
    outcomes = [{"text": "I want my money to be safe", "steps": {
        "own_strengths": {"considered": True, "meets": "partly", "note": "Knows to refuse doorstep callers"},
        "technology_equipment": {"considered": True, "meets": "partly", "note": "Video doorbell"},
        "family_friends": {"considered": True, "meets": "fully", "note": "Son takes over paying bills"},
        "community_universal": {"considered": True, "meets": "no", "note": "Scam-awareness group offered"}}}]
    plan = services.plan_save(enquiry=enquiry, by=lead.user, outcomes=outcomes, formal_actions="Change of provider",
                              review_on=timezone.localdate() + dt.timedelta(days=90))
    result = plan.sequence["result"]
    assert result["ruleset_version"]
    assert result["outcomes"][0]["status"] == "met_without_formal_support"
    assert plan.sequence["outcomes"][0]["text"] == "I want my money to be safe"


def test_a_plan_needs_an_outcome_notes_for_considered_steps_and_a_review_date(enquiry, lead):
    errors = errors_of(lambda: services.plan_save(enquiry=enquiry, by=lead.user, outcomes=[{"text": ""}],
                                                  review_on=None))
    assert errors == {"outcome_1": ["Write at least one outcome the adult wants from the plan, in their words"],
                      "review_on": ["Enter the date the plan will be reviewed"]}
    errors = errors_of(lambda: services.plan_save(
        enquiry=enquiry, by=lead.user, review_on=timezone.localdate(),
        outcomes=[{"text": "Safe", "steps": {"own_strengths": {"considered": True, "note": ""}}}]))
    assert errors == {"o1_own_strengths_note": ["Say what was found for this step, or select no"]}


def test_closure_needs_every_answer(enquiry, lead):
    errors = errors_of(lambda: services.enquiry_close(enquiry=enquiry, by=lead.user, risk_outcome="",
                                                      feedback_offered=None))
    assert errors == {
        "risk_outcome": ["Select the risk outcome"],
        "outcomes_achieved": ["Select whether the outcomes they wanted were fully, partially or not achieved"],
        "feedback_offered": ["Select whether they were offered the chance to give feedback"],
    }
    errors = errors_of(lambda: services.enquiry_close(
        enquiry=enquiry, by=lead.user, risk_outcome=RiskAssessmentOutcome.IDENTIFIED_ACTION,
        outcomes_achieved=OutcomesAchieved.FULLY, feedback_offered=True))
    assert errors == {"risk_result": ["Select whether the risk remains, was reduced or was removed"]}
    errors = errors_of(lambda: services.enquiry_close(
        enquiry=enquiry, by=lead.user, risk_outcome=RiskAssessmentOutcome.IDENTIFIED_NO_ACTION,
        outcomes_achieved=OutcomesAchieved.FULLY, feedback_offered=True))
    assert errors == {"no_action_reason": ["Say why no action was taken"]}


def test_closing_concludes_the_enquiry_and_closes_the_concern(enquiry, lead):
    closed = services.enquiry_close(enquiry=enquiry, by=lead.user, risk_outcome=RiskAssessmentOutcome.IDENTIFIED_ACTION,
                                    risk_result=RiskResult.REDUCED, outcomes_achieved=OutcomesAchieved.PARTIALLY,
                                    feedback_offered=True)
    assert closed.status == EnquiryStatus.CONCLUDED and closed.concluded_on == timezone.localdate()
    closed.concern.refresh_from_db()
    assert closed.concern.status == ConcernStatus.CLOSED
    with pytest.raises(ValidationError):
        services.action_add(by=lead.user, enquiry=closed, description="x", owner="y", due_on=timezone.localdate())


def test_outcomes_achieved_is_not_asked_when_no_outcomes_were_expressed(adult, lead):
    concern = make_concern(adult, lead, outcomes_asked=OutcomesAsked.NOT_EXPRESSED, desired_outcomes="")
    decide(concern, lead)
    concern.refresh_from_db()
    closed = services.enquiry_close(enquiry=concern.enquiry, by=lead.user,
                                    risk_outcome=RiskAssessmentOutcome.NONE_NO_ACTION, feedback_offered=False)
    assert closed.outcomes_achieved == ""


def test_a_provider_incident_is_triaged_notifiable_only_or_raised_as_a_concern(adult, lead):
    today = timezone.localdate()
    first = services.incident_create(by=lead.user, provider_name="Oak House", occurred_on=today,
                                     description="One missed dose, no harm", harm_caused=False)
    errors = errors_of(lambda: services.incident_notifiable_only(incident=first, by=lead.user, note=""))
    assert errors == {"triage_note": ["Say why this is notifiable only and not a safeguarding concern"]}
    services.incident_notifiable_only(incident=first, by=lead.user, note="Single error, no harm, GP informed")
    assert first.triage == IncidentTriage.NOTIFIABLE_ONLY and first.concern is None
    second = services.incident_create(by=lead.user, provider_name="Oak House", person=adult, occurred_on=today,
                                      description="Bruising after a transfer", harm_caused=True)
    concern = make_concern(adult, lead, incident=second)
    second.refresh_from_db()
    assert second.triage == IncidentTriage.CONCERN_RAISED and second.concern == concern


def test_only_the_safeguarding_team_records_incidents(practitioner):
    with pytest.raises(SafeguardingDenied):
        services.incident_create(by=practitioner.user, provider_name="Oak House", occurred_on=timezone.localdate(),
                                 description="x", harm_caused=False)


def test_an_organisational_enquiry_links_several_adults(lead, hub_worker, team):
    from tests.factories import PersonFactory

    org = services.organisational_enquiry_create(by=lead.user, provider_name="Oak House", summary="Several falls",
                                                 opened_on=timezone.localdate(), lead=lead)
    for _ in range(2):
        concern = make_concern(PersonFactory(), lead, location_of_risk="Care Home - Residential")
        decide(concern, lead)
        concern.refresh_from_db()
        services.organisational_link(organisational_enquiry=org, enquiry=concern.enquiry, by=lead.user)
    assert org.enquiries.count() == 2
    shared = services.action_add(by=lead.user, organisational_enquiry=org, description="Visit the home",
                                 owner="Contracts team", due_on=timezone.localdate())
    assert shared.enquiry is None
