"""The support sequence pages through the Django test client: the list of outcomes to be met, adding from
eligibility and the person's own goals, one outcome through the steps with the live panel, saving with
errors kept, read-only after submission and access refusals."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, AssessmentStatus, SequenceOutcome

ADULT_CODES = ["nutrition", "personal_hygiene", "toilet_needs", "being_clothed", "using_home_safely",
               "habitable_home", "relationships", "work_education_volunteering", "community_services",
               "caring_for_child"]
STEPS = ["own_strengths", "technology_equipment", "family_friends", "community_universal"]


@pytest.fixture
def assessment(person, practitioner):
    """An eligible needs assessment: nutrition and personal hygiene cannot be achieved."""
    user = practitioner.user
    assessment = services.assessment_start(person=person, by=user, assessment_type="needs")
    services.assessment_save_section(assessment=assessment, by=user, section="conversation",
                                     what_matters="Getting to the mosque on Fridays")
    services.assessment_save_section(assessment=assessment, by=user, section="conditions",
                                     impairment_or_illness=True, significant_impact_on_wellbeing=True)
    answers = {code: {"statuses": ["achieved"]} for code in ADULT_CODES}
    answers["nutrition"] = {"statuses": ["unable_without_assistance"], "description": "Cannot cook"}
    answers["personal_hygiene"] = {"statuses": ["significant_pain_distress_anxiety"], "description": "Pain"}
    services.assessment_save_outcomes(assessment=assessment, by=user, answers=answers)
    return Assessment.objects.get(pk=assessment.pk)


@pytest.fixture
def row(assessment, practitioner):
    return services.sequence_outcome_add(assessment=assessment, by=practitioner.user,
                                         label="I want a hot meal every day", national_outcome="nutrition")


def _steps_post(**answers) -> dict:
    """Form data: answers maps a step to (considered, meets, note)."""
    data = {"formal_support_requested": "no"}
    for code, (considered, meets, note) in answers.items():
        data[f"{code}_considered"] = considered
        data[f"{code}_meets"] = meets
        data[f"{code}_note"] = note
    return data


def test_pages_answer_200_and_use_plain_words(staff_client, assessment, row):
    for url in [reverse("assessment-sequence", args=[assessment.id]),
                reverse("assessment-sequence-outcome", args=[assessment.id, row.id])]:
        response = staff_client.get(url)
        assert response.status_code == 200
        html = response.content.decode().lower()
        for word in ("service user", "client", "customer"):
            assert word not in html
    task_list = staff_client.get(reverse("assessment-detail", args=[assessment.id])).content.decode()
    names = re.findall(r'govuk-task-list__link"[^>]*>([^<]+)<', task_list)
    assert names.index("Support sequence") == names.index("Outcomes") + 1
    assert names.index("Mental capacity and advocacy") == names.index("Support sequence") + 1
    assert re.search(r'id="task-sequence-status">\s*<strong[^>]*>Incomplete', task_list)


def test_list_shows_status_next_step_missing_and_readiness(staff_client, assessment, row):
    html = staff_client.get(reverse("assessment-sequence", args=[assessment.id])).content.decode()
    assert "I want a hot meal every day" in html and "Managing and maintaining nutrition" in html
    assert "Not finished" in html and "<strong>Next:</strong> Own strengths" in html
    assert "Technology and equipment; Family, friends and neighbours" in html
    assert re.search(r"Ready for approval:\s*no", html)
    assert "not finished" in html  # the reason names the outcome that is not finished
    assert "Add the outcomes they cannot achieve" in html and "Add their own goal" in html


def test_add_from_eligibility_then_nothing_twice(staff_client, assessment, row):
    url = reverse("assessment-sequence-from-eligibility", args=[assessment.id])
    assert staff_client.get(url).status_code == 405
    response = staff_client.post(url)
    assert response.status_code == 302 and response.url == reverse("assessment-sequence", args=[assessment.id])
    rows = list(SequenceOutcome.objects.filter(assessment=assessment))
    # nutrition already had a row (the fixture), so only personal hygiene is added.
    assert [r.national_outcome for r in rows] == ["nutrition", "personal_hygiene"]
    assert "1 outcome added" in staff_client.get(response.url).content.decode()
    staff_client.post(url)
    assert SequenceOutcome.objects.filter(assessment=assessment).count() == 2
    assert "already in the list" in staff_client.get(response.url).content.decode()


def test_add_own_goal_keeps_answers_on_error(staff_client, assessment):
    url = reverse("assessment-sequence", args=[assessment.id])
    missing = staff_client.post(url, {"label": "  ", "national_outcome": "relationships", "existing_support": "on"})
    html = missing.content.decode()
    assert missing.status_code == 200 and "Write the outcome, in the person&#x27;s words" in html
    assert re.search(r'value="relationships"[^>]*selected', html) and re.search(r'type="checkbox"[^>]*checked', html)
    assert not SequenceOutcome.objects.exists()
    unknown = staff_client.post(url, {"label": "See friends", "national_outcome": "flying"})
    assert "Select a valid choice" in unknown.content.decode()
    done = staff_client.post(url, {"label": "I want to see my friends at the lunch club",
                                   "national_outcome": "relationships", "existing_support": "on"})
    assert done.status_code == 302
    added = SequenceOutcome.objects.get()
    assert added.existing_support and added.national_outcome == "relationships" and added.status == "incomplete"


def test_remove(staff_client, assessment, row):
    url = reverse("assessment-sequence-remove", args=[assessment.id, row.id])
    assert staff_client.get(url).status_code == 405
    assert staff_client.post(url).status_code == 302
    assert not SequenceOutcome.objects.exists()
    assert staff_client.post(url).status_code == 404


def test_row_page_has_a_fieldset_per_step_in_rule_file_order(staff_client, assessment, row):
    html = staff_client.get(reverse("assessment-sequence-outcome", args=[assessment.id, row.id])).content.decode()
    positions = [html.index(f'id="step-{code}"') for code in STEPS + ["done_differently"]]
    assert positions == sorted(positions)
    assert "Could equipment or technology help, including everyday options?" in html
    assert "Required for people who already have support" in html
    assert "Crisis override: why long-term decisions cannot wait" in html
    assert 'hx-post="' + reverse("assessment-sequence-preview", args=[assessment.id, row.id]) in html
    assert 'aria-live="polite"' in html and "Not finished" in html


def test_save_with_errors_keeps_answers_per_step(staff_client, assessment, row):
    url = reverse("assessment-sequence-outcome", args=[assessment.id, row.id])
    data = _steps_post(own_strengths=("yes", "", "Makes drinks and cold snacks"),
                       technology_equipment=("yes", "partly", "  "))
    response = staff_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Say whether this meets the outcome fully, partly or not at all" in html
    assert "Say what you found: a step counts as looked at only with a note" in html
    # Each error sits in its own step and the error summary links to it.
    assert 'href="#id_own_strengths_meets_0"' in html and 'href="#id_technology_equipment_note"' in html
    assert 'id="own_strengths_meets-error"' in html and 'id="technology_equipment_note-error"' in html
    assert "Makes drinks and cold snacks" in html
    assert re.search(r'name="technology_equipment_meets"[^>]*value="partly"[^>]*checked', html)
    assert SequenceOutcome.objects.get().steps == {}


def test_save_changes_the_status(staff_client, assessment, row):
    url = reverse("assessment-sequence-outcome", args=[assessment.id, row.id])
    data = _steps_post(own_strengths=("yes", "partly", "Makes drinks and cold snacks"),
                       family_friends=("yes", "fully", "Her daughter next door cooks every evening"))
    response = staff_client.post(url, data)
    assert response.status_code == 302 and response.url == reverse("assessment-sequence", args=[assessment.id])
    saved = SequenceOutcome.objects.get()
    assert saved.status == "met_without_formal_support"
    assert saved.steps["family_friends"] == {"considered": True, "meets": "fully",
                                             "note": "Her daughter next door cooks every evening"}
    assert "technology_equipment" not in saved.steps  # untouched steps are not recorded
    listing = staff_client.get(response.url).content.decode()
    assert "Met without formal support" in listing and re.search(r"Ready for approval:\s*yes", listing)
    # The saved answers come back on the form.
    page = staff_client.get(url).content.decode()
    assert re.search(r'name="family_friends_meets"[^>]*value="fully"[^>]*checked', page)

    # Formal support requested although a step meets it fully.
    staff_client.post(url, {**data, "formal_support_requested": "yes"})
    listing = staff_client.get(response.url).content.decode()
    assert "Formal support not justified: a step meets it fully" in listing
    assert re.search(r"Ready for approval:\s*no", listing)


def test_preview_changes_the_status_without_saving(staff_client, assessment, row):
    url = reverse("assessment-sequence-preview", args=[assessment.id, row.id])
    assert staff_client.get(url).status_code == 405
    empty = staff_client.post(url, {}).content.decode()
    assert "<html" not in empty and "Not finished" in empty and "Own strengths" in empty
    met = staff_client.post(url, _steps_post(own_strengths=("yes", "fully", "Can cook with a perching stool")))
    html = met.content.decode()
    assert "Met without formal support" in html and "Not saved yet" in html
    crisis = staff_client.post(url, {"formal_support_requested": "yes",
                                     "crisis_override_reason": "Carer admitted to hospital tonight",
                                     "own_strengths_meets": "bogus"}).content.decode()
    assert "Formal support justified" in crisis and "Flagged: crisis override" in crisis
    assert "Carer admitted to hospital tonight" in crisis
    existing = staff_client.post(url, {**_steps_post(**{c: ("yes", "no", "Looked, does not help") for c in STEPS}),
                                       "existing_support": "on"}).content.decode()
    assert "Not finished" in existing and "Doing things differently" in existing
    saved = SequenceOutcome.objects.get()
    assert saved.steps == {} and saved.status == "incomplete" and not saved.existing_support


@pytest.mark.parametrize("name", ["assessment-sequence", "assessment-sequence-outcome"])
def test_another_team_is_asked_for_a_reason(client, assessment, row, other_practitioner, name):
    client.force_login(other_practitioner.user)
    args = [assessment.id] if name == "assessment-sequence" else [assessment.id, row.id]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("person-reason", args=[assessment.person_id]))


def test_another_team_cannot_add_preview_save_or_remove(client, assessment, row, other_practitioner):
    client.force_login(other_practitioner.user)
    for url in [reverse("assessment-sequence", args=[assessment.id]),
                reverse("assessment-sequence-from-eligibility", args=[assessment.id]),
                reverse("assessment-sequence-outcome", args=[assessment.id, row.id]),
                reverse("assessment-sequence-preview", args=[assessment.id, row.id]),
                reverse("assessment-sequence-remove", args=[assessment.id, row.id])]:
        response = client.post(url, {"label": "x", "own_strengths_considered": "yes"})
        assert response.status_code == 302 and "/reason/" in response.url, url
    assert list(SequenceOutcome.objects.values_list("id", flat=True)) == [row.id]
    assert SequenceOutcome.objects.get().steps == {}


def test_row_of_another_assessment_is_404(staff_client, assessment, row, person, practitioner):
    other = services.assessment_start(person=person, by=practitioner.user, assessment_type="carer")
    assert staff_client.get(reverse("assessment-sequence-outcome", args=[other.id, row.id])).status_code == 404


def test_read_only_after_submission(staff_client, assessment, row, practitioner):
    services.assessment_save_section(assessment=assessment, by=practitioner.user, section="capacity",
                                     capacity_doubt=False)
    services.assessment_decide(assessment=assessment, by=practitioner.user, agrees=True)
    services.assessment_submit(assessment=assessment, by=practitioner.user)
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED
    listing = staff_client.get(reverse("assessment-sequence", args=[assessment.id])).content.decode()
    assert "cannot be changed" in listing and "I want a hot meal every day" in listing
    assert "Add their own goal" not in listing and "Remove" not in listing
    url = reverse("assessment-sequence-outcome", args=[assessment.id, row.id])
    page = staff_client.get(url).content.decode()
    assert "govuk-summary-list" in page and "Save and return" not in page and "htmx.min.js" not in page
    refused = staff_client.post(url, _steps_post(own_strengths=("yes", "fully", "Cooks")))
    assert refused.status_code == 200 and "cannot be changed" in refused.content.decode()
    assert SequenceOutcome.objects.get().steps == {}
    staff_client.post(reverse("assessment-sequence-remove", args=[assessment.id, row.id]))
    staff_client.post(reverse("assessment-sequence", args=[assessment.id]), {"label": "New goal"})
    assert list(SequenceOutcome.objects.values_list("id", flat=True)) == [row.id]


def test_list_query_count_is_constant(staff_client, assessment, row, practitioner):
    url = reverse("assessment-sequence", args=[assessment.id])
    staff_client.get(url)
    with CaptureQueriesContext(connection) as before:
        staff_client.get(url)
    services.sequence_from_eligibility(assessment=assessment, by=practitioner.user)
    for label in ["See my friends", "Go to the gym", "Get to the mosque"]:
        services.sequence_outcome_add(assessment=assessment, by=practitioner.user, label=label)
    assert SequenceOutcome.objects.count() == 5
    with CaptureQueriesContext(connection) as after:
        staff_client.get(url)
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]


def test_formal_option_cost_shows_live_and_saves(staff_client, person, practitioner):
    from django.urls import reverse

    from assessments import services as svc

    a = svc.assessment_start(person=person, by=practitioner.user, assessment_type="needs")
    svc.assessment_save_section(assessment=a, by=practitioner.user, section="conditions", impairment_or_illness=True,
                                significant_impact_on_wellbeing=True)
    svc.assessment_save_outcomes(assessment=a, by=practitioner.user, answers={
        "nutrition": {"statuses": ["unable_without_assistance"], "description": "Cannot stand to cook"}})
    row = svc.sequence_outcome_add(assessment=a, by=practitioner.user, label="Hot meals every day")
    data = {"formal_support_requested": "yes", "formal_option": "Home care at lunchtime",
            "formal_units_per_week": "7", "formal_unit_cost": "20.31"}
    preview = staff_client.post(reverse("assessment-sequence-preview", args=[a.id, row.id]), data)
    body = preview.content.decode()
    assert "£142.17 a week" in body and "£7,392.84 a year" in body
    row.refresh_from_db()
    assert row.formal_unit_cost is None  # the preview saved nothing
    bad = staff_client.post(reverse("assessment-sequence-outcome", args=[a.id, row.id]),
                            {**data, "formal_unit_cost": "twenty"})
    assert "Enter the cost in pounds, like 20.31" in bad.content.decode()
    saved = staff_client.post(reverse("assessment-sequence-outcome", args=[a.id, row.id]), data)
    assert saved.status_code == 302
    row.refresh_from_db()
    assert (row.formal_option, str(row.formal_units_per_week), str(row.formal_unit_cost)) == (
        "Home care at lunchtime", "7.00", "20.31")
