"""The support sequence recorded inside an assessment, evaluated by the engine on every save."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from assessments import services as s

pytestmark = pytest.mark.django_db

NOTE = "Talked it through with Savita and her daughter"


def assessment_with_needs(person, practitioner):
    a = s.assessment_start(person=person, by=practitioner.user, assessment_type="needs")
    s.assessment_save_section(assessment=a, by=practitioner.user, section="conditions", impairment_or_illness=True,
                              significant_impact_on_wellbeing=True)
    s.assessment_save_outcomes(assessment=a, by=practitioner.user, answers={
        "nutrition": {"statuses": ["unable_without_assistance"], "description": "Cannot stand to cook"},
        "personal_hygiene": {"statuses": ["endangers_health_safety"], "description": "Falls in the bath"}})
    return a


def test_rows_come_from_the_unachieved_outcomes_once(person, practitioner):
    a = assessment_with_needs(person, practitioner)
    rows = s.sequence_from_eligibility(assessment=a, by=practitioner.user)
    assert [r.national_outcome for r in rows] == ["nutrition", "personal_hygiene"]
    assert rows[0].label == "Getting food and drink" and rows[0].status == "incomplete"
    assert rows[0].result["next_step"] == "own_strengths"
    assert s.sequence_from_eligibility(assessment=a, by=practitioner.user) == []


def test_own_goal_and_unique_codes(person, practitioner):
    a = assessment_with_needs(person, practitioner)
    first = s.sequence_outcome_add(assessment=a, by=practitioner.user, label="Get to the mosque on Fridays")
    second = s.sequence_outcome_add(assessment=a, by=practitioner.user, label="Get to the mosque on Fridays")
    assert (first.code, second.code) == ("get-to-the-mosque-on-fridays", "get-to-the-mosque-on-fridays-2")
    with pytest.raises(ValidationError):
        s.sequence_outcome_add(assessment=a, by=practitioner.user, label="  ")


def test_saving_steps_re_evaluates(person, practitioner):
    a = assessment_with_needs(person, practitioner)
    row = s.sequence_from_eligibility(assessment=a, by=practitioner.user)[0]
    considered = {"considered": True, "meets": "no", "note": NOTE}
    s.sequence_outcome_save(row=row, by=practitioner.user, steps={
        "own_strengths": considered, "technology_equipment": considered, "family_friends": considered,
        "community_universal": considered}, done_differently=None, formal_support_requested=True)
    row.refresh_from_db()
    assert row.status == "formal_support_justified" and row.ruleset_version == "sequence-2023.1"
    s.sequence_outcome_save(row=row, by=practitioner.user, steps={
        "own_strengths": considered, "technology_equipment": {**considered, "meets": "fully"}},
        done_differently=None, formal_support_requested=True)
    row.refresh_from_db()
    assert row.status == "formal_support_not_justified"


def test_crisis_override_and_readiness(person, practitioner):
    a = assessment_with_needs(person, practitioner)
    rows = s.sequence_from_eligibility(assessment=a, by=practitioner.user)
    for row in rows:
        s.sequence_outcome_save(row=row, by=practitioner.user, steps={}, done_differently=None,
                                formal_support_requested=True, crisis_override_reason="Discharged from hospital today")
    result = s.sequence_evaluate(a.sequence_outcomes.all())
    assert result.ready_for_approval is True
    assert all("crisis_override" in o.flags for o in result.outcomes)


def test_bad_step_answers_are_refused_plainly(person, practitioner):
    a = assessment_with_needs(person, practitioner)
    row = s.sequence_from_eligibility(assessment=a, by=practitioner.user)[0]
    with pytest.raises(ValidationError) as err:
        s.sequence_outcome_save(row=row, by=practitioner.user,
                                steps={"own_strengths": {"considered": True, "meets": "fully", "note": ""},
                                       "technology_equipment": {"considered": True, "note": NOTE}},
                                done_differently={"considered": True, "note": ""}, formal_support_requested=False)
    text = str(err.value)
    assert "only with a note" in text and "fully, partly or not at all" in text and "done differently" in text
    with pytest.raises(ValidationError):
        s.sequence_outcome_save(row=row, by=practitioner.user, steps={"paid_carers": {"considered": False}},
                                done_differently=None, formal_support_requested=False)


def test_formal_option_cost_weekly_and_yearly(person, practitioner):
    from decimal import Decimal

    a = assessment_with_needs(person, practitioner)
    row = s.sequence_from_eligibility(assessment=a, by=practitioner.user)[0]
    s.sequence_outcome_save(row=row, by=practitioner.user, steps={}, done_differently=None,
                            formal_support_requested=True, formal_option="Home care, 45 minutes each morning",
                            formal_units_per_week=Decimal("5.25"), formal_unit_cost=Decimal("20.31"))
    row.refresh_from_db()
    assert s.formal_costs(row) == (Decimal("106.63"), Decimal("5544.76"))
    with pytest.raises(ValidationError, match="both how many a week and the cost"):
        s.sequence_outcome_save(row=row, by=practitioner.user, steps={}, done_differently=None,
                                formal_support_requested=True, formal_units_per_week=Decimal("3"))
