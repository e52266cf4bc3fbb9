"""The assessment record: starting, saving sections and outcomes, the live eligibility result, the
practitioner's decision and the lifecycle, on the real database."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from assessments import services as s
from assessments.models import AssessmentOutcome, AssessmentStatus, AssessmentTransition
from carecase.audit.access import ReasonRequired

pytestmark = pytest.mark.django_db

UNABLE = {"statuses": ["unable_without_assistance"], "description": "Needs help to prepare meals since the stroke"}


def start(person, practitioner, kind="needs"):
    return s.assessment_start(person=person, by=practitioner.user, assessment_type=kind)


def ready(person, practitioner):
    a = start(person, practitioner)
    s.assessment_save_section(assessment=a, by=practitioner.user, section="conversation",
                              what_matters="Getting to the mosque on Fridays and cooking for my grandson")
    s.assessment_save_section(assessment=a, by=practitioner.user, section="conditions", impairment_or_illness=True,
                              significant_impact_on_wellbeing=True)
    s.assessment_save_section(assessment=a, by=practitioner.user, section="capacity", capacity_doubt=False)
    answers = {code: {"statuses": ["achieved"]} for code in s.outcome_codes("adult")}
    answers["nutrition"] = UNABLE
    answers["personal_hygiene"] = {"statuses": ["significant_pain_distress_anxiety", "takes_significantly_longer"],
                                   "description": "Washing takes an hour and hurts her shoulder"}
    s.assessment_save_outcomes(assessment=a, by=practitioner.user, answers=answers)
    return a


def test_start_creates_a_draft_with_every_outcome_and_a_transition(person, practitioner):
    a = start(person, practitioner)
    assert a.status == AssessmentStatus.DRAFT and a.kind == "adult"
    assert list(a.outcomes.values_list("code", flat=True)) == s.outcome_codes("adult")
    assert AssessmentTransition.objects.get(assessment=a).to_status == AssessmentStatus.DRAFT
    assert a.eligibility_ruleset_version == "care-act-2015.1"
    assert a.engine_eligible is False


def test_carers_assessment_asks_the_carer_outcomes(person, practitioner):
    a = start(person, practitioner, kind="carer")
    assert a.kind == "carer"
    assert "recreation" in a.outcomes.values_list("code", flat=True)
    assert "takes_significantly_longer" not in s.allowed_statuses("carer")


def test_needs_outside_the_team_cannot_be_assessed_without_a_reason(person, other_practitioner):
    with pytest.raises(ReasonRequired):
        start(person, other_practitioner)


def test_live_result_follows_the_answers(person, practitioner):
    a = ready(person, practitioner)
    a.refresh_from_db()
    assert a.engine_eligible is True
    assert a.eligibility_result["unachieved_outcomes"] == ["nutrition", "personal_hygiene"]
    s.assessment_save_outcomes(assessment=a, by=practitioner.user, answers={"personal_hygiene": {"statuses": ["achieved"]}})
    a.refresh_from_db()
    assert a.engine_eligible is False


def test_outcome_answers_are_checked(person, practitioner):
    a = start(person, practitioner, kind="carer")
    with pytest.raises(ValidationError) as both:
        s.assessment_save_outcomes(assessment=a, by=practitioner.user,
                                   answers={"nutrition": {"statuses": ["achieved", "unable_without_assistance"],
                                                          "description": "x"}})
    assert "not both" in str(both.value)
    with pytest.raises(ValidationError) as longer:
        s.assessment_save_outcomes(assessment=a, by=practitioner.user,
                                   answers={"nutrition": {"statuses": ["takes_significantly_longer"], "description": "x"}})
    assert "Choose from the answers" in str(longer.value)
    with pytest.raises(ValidationError) as undescribed:
        s.assessment_save_outcomes(assessment=a, by=practitioner.user,
                                   answers={"nutrition": {"statuses": ["unable_without_assistance"]}})
    assert "Describe how" in str(undescribed.value)
    with pytest.raises(ValidationError):
        s.assessment_save_outcomes(assessment=a, by=practitioner.user, answers={"toilet_needs": UNABLE})
    # Nothing was saved from the refused answers.
    assert not AssessmentOutcome.objects.filter(assessment=a).exclude(statuses=[]).exists()


def test_decision_agrees_or_disagrees_with_a_reason(person, practitioner):
    a = ready(person, practitioner)
    with pytest.raises(ValidationError):
        s.assessment_decide(assessment=a, by=practitioner.user, agrees=False, reason=" ")
    s.assessment_decide(assessment=a, by=practitioner.user, agrees=False,
                        reason="Her needs fluctuate; on bad weeks she cannot wash at all")
    a.refresh_from_db()
    assert (a.engine_eligible, a.practitioner_agrees, a.eligible) == (True, False, False)
    s.assessment_decide(assessment=a, by=practitioner.user, agrees=True)
    a.refresh_from_db()
    assert (a.eligible, a.disagreement_reason) == (True, "")


def test_a_decision_is_cleared_when_the_answers_change_the_suggestion(person, practitioner):
    a = ready(person, practitioner)
    s.assessment_decide(assessment=a, by=practitioner.user, agrees=True)
    s.assessment_save_section(assessment=a, by=practitioner.user, section="conditions", impairment_or_illness=False,
                              significant_impact_on_wellbeing=True)
    a.refresh_from_db()
    assert a.engine_eligible is False and a.eligible is None and a.practitioner_agrees is None


def test_disagreement_without_reason_is_refused_by_the_database(person, practitioner):
    a = ready(person, practitioner)
    a.practitioner_agrees = False
    with pytest.raises(IntegrityError), transaction.atomic():
        a.save(update_fields=["practitioner_agrees"])


def test_fluctuating_needs_need_a_period(person, practitioner):
    a = start(person, practitioner)
    with pytest.raises(ValidationError) as err:
        s.assessment_save_section(assessment=a, by=practitioner.user, section="conditions", needs_fluctuate=True)
    assert "period" in str(err.value)


def test_submit_lists_what_is_missing(person, practitioner):
    a = start(person, practitioner)
    with pytest.raises(ValidationError) as err:
        s.assessment_submit(assessment=a, by=practitioner.user)
    text = str(err.value)
    assert "What matters to them" in text and "Your eligibility decision" in text and "10 not answered" in text


def test_lifecycle_submit_return_resubmit_authorise(person, practitioner, team_leader):
    a = ready(person, practitioner)
    s.assessment_decide(assessment=a, by=practitioner.user, agrees=True)
    s.assessment_submit(assessment=a, by=practitioner.user)
    with pytest.raises(ValidationError):
        s.assessment_save_section(assessment=a, by=practitioner.user, section="conversation", what_matters="x")
    with pytest.raises(PermissionDenied):
        s.assessment_authorise(assessment=a, by=practitioner.user)
    with pytest.raises(ValidationError):
        s.assessment_return(assessment=a, by=team_leader.user, reason="")
    s.assessment_return(assessment=a, by=team_leader.user, reason="Add what a good day looks like for her")
    s.assessment_save_section(assessment=a, by=practitioner.user, section="conversation",
                              what_matters="Cooking for my grandson", good_day="Up by nine, out to the shops")
    s.assessment_submit(assessment=a, by=practitioner.user)
    s.assessment_authorise(assessment=a, by=team_leader.user)
    a.refresh_from_db()
    assert a.status == AssessmentStatus.AUTHORISED and a.completed_on is not None
    steps = list(AssessmentTransition.objects.filter(assessment=a).values_list("from_status", "to_status"))
    assert steps == [("", "draft"), ("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted"),
                     ("submitted", "authorised")]


def test_transitions_are_append_only(person, practitioner):
    a = start(person, practitioner)
    row = AssessmentTransition.objects.get(assessment=a)
    with pytest.raises(Exception, match="Cannot"), transaction.atomic():
        AssessmentTransition.objects.filter(pk=row.pk).update(reason="changed")
    with pytest.raises(Exception, match="Cannot"), transaction.atomic():
        row.delete()


def test_close_needs_a_reason_and_ends_the_assessment(person, practitioner):
    a = start(person, practitioner)
    with pytest.raises(ValidationError):
        s.assessment_close(assessment=a, by=practitioner.user, reason="")
    s.assessment_close(assessment=a, by=practitioner.user, reason="Mrs Patel moved to Nottingham")
    a.refresh_from_db()
    assert a.status == AssessmentStatus.CLOSED and a.completed_on is not None


def test_reading_an_assessment_is_scoped_and_logged(person, practitioner, other_practitioner):
    from assessments.selectors import assessment_for
    from carecase.audit.models import RecordAccessEvent

    a = start(person, practitioner)
    assert assessment_for(user=practitioner.user, assessment_id=a.id).id == a.id
    assert RecordAccessEvent.objects.filter(person=person, resource="assessment", action="view").exists()
    with pytest.raises(ReasonRequired):
        assessment_for(user=other_practitioner.user, assessment_id=a.id)
