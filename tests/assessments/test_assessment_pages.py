"""The assessment pages through the Django test client: the task list, each section, the live eligibility
preview, the decision, submission and authorisation, and access refusals."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, AssessmentOutcome, AssessmentStatus, AssessmentTransition

ADULT_CODES = ["nutrition", "personal_hygiene", "toilet_needs", "being_clothed", "using_home_safely",
               "habitable_home", "relationships", "work_education_volunteering", "community_services",
               "caring_for_child"]


@pytest.fixture
def assessment(person, practitioner):
    return services.assessment_start(person=person, by=practitioner.user, assessment_type="needs")


def _reload(assessment) -> Assessment:
    return Assessment.objects.get(pk=assessment.pk)


def _outcomes_post(unachieved=(), achieved=ADULT_CODES, **extra):
    data = {}
    for code in achieved:
        data[code] = ["achieved"]
    for code in unachieved:
        data[code] = ["unable_without_assistance"]
        data[f"{code}_description"] = "Cannot stand at the cooker for long"
    data.update(extra)
    return data


def _ready_to_submit(assessment, user) -> Assessment:
    services.assessment_save_section(assessment=assessment, by=user, section="conversation",
                                     what_matters="Getting to the mosque on Fridays")
    services.assessment_save_section(assessment=assessment, by=user, section="conditions",
                                     impairment_or_illness=True, significant_impact_on_wellbeing=True)
    answers = {code: {"statuses": ["achieved"]} for code in ADULT_CODES}
    answers["nutrition"] = {"statuses": ["unable_without_assistance"], "description": "Cannot cook"}
    answers["personal_hygiene"] = {"statuses": ["significant_pain_distress_anxiety"], "description": "Pain"}
    services.assessment_save_outcomes(assessment=assessment, by=user, answers=answers)
    services.assessment_save_section(assessment=assessment, by=user, section="capacity", capacity_doubt=False)
    services.assessment_decide(assessment=assessment, by=user, agrees=True)
    return assessment


# ---------------------------------------------------------------- the list and starting


def test_list_and_start_an_assessment(staff_client, person, practitioner):
    url = reverse("person-assessments", args=[person.id])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert "Mohan Patel has no assessments yet" in page.content.decode()
    today = timezone.localdate()
    assert f'value="{today.year}"' in page.content.decode()  # the start date defaults to today

    # No type chosen: the error is shown and the date typed is kept.
    missing = staff_client.post(url, {"started_on_day": "3", "started_on_month": "2", "started_on_year": str(today.year - 1)})
    assert missing.status_code == 200
    assert "Select the type of assessment" in missing.content.decode()
    assert f'value="{today.year - 1}"' in missing.content.decode()
    assert not Assessment.objects.exists()

    future = today + dt.timedelta(days=3)
    late = staff_client.post(url, {"assessment_type": "needs", "started_on_day": future.day,
                                   "started_on_month": future.month, "started_on_year": future.year})
    assert "must be today or in the past" in late.content.decode()

    done = staff_client.post(url, {"assessment_type": "carer", "started_on_day": today.day,
                                   "started_on_month": today.month, "started_on_year": today.year})
    created = Assessment.objects.get()
    assert done.status_code == 302 and done.url == reverse("assessment-detail", args=[created.id])
    assert created.kind == "carer" and created.worker == practitioner.user
    listing = staff_client.get(url).content.decode()
    assert "Carer&#x27;s assessment" in listing and "Not decided yet" in listing and "Draft" in listing


def test_words(staff_client, assessment):
    for name in ["assessment-detail", "assessment-conversation", "assessment-conditions", "assessment-outcomes",
                 "assessment-decision", "assessment-submit"]:
        html = staff_client.get(reverse(name, args=[assessment.id])).content.decode().lower()
        for word in ("service user", "client", "customer"):
            assert word not in html, (name, word)


# ---------------------------------------------------------------- the task list


def test_task_list_shows_sections_statuses_result_and_history(staff_client, assessment, practitioner):
    url = reverse("assessment-detail", args=[assessment.id])
    html = staff_client.get(url).content.decode()
    assert 'class="govuk-task-list"' in html
    for title in ["What matters to them", "Wellbeing", "Needs and conditions", "Outcomes",
                  "Support sequence", "Mental capacity and advocacy", "Carers", "Eligibility decision", "Submit"]:
        assert title in html
    assert html.count("Not yet started") == 9
    assert "Not eligible" in html and "Condition 2 not met:" in html
    assert "Started" in html and practitioner.user.get_full_name() in html
    assert "Authorise assessment" not in html

    services.assessment_save_section(assessment=assessment, by=practitioner.user, section="conversation",
                                     what_matters="My garden")
    html = staff_client.get(url).content.decode()
    assert html.count("Not yet started") == 8 and "Incomplete" in html


def test_task_list_query_count_is_constant(staff_client, assessment, practitioner, team_leader):
    url = reverse("assessment-detail", args=[assessment.id])
    staff_client.get(url)
    with CaptureQueriesContext(connection) as before:
        staff_client.get(url)
    _ready_to_submit(assessment, practitioner.user)
    services.assessment_submit(assessment=assessment, by=practitioner.user)
    services.assessment_return(assessment=assessment, by=team_leader.user, reason="Say more about nights")
    services.assessment_submit(assessment=assessment, by=practitioner.user)
    services.assessment_start(person=assessment.person, by=practitioner.user, assessment_type="carer")
    with CaptureQueriesContext(connection) as after:
        staff_client.get(url)
    assert AssessmentTransition.objects.filter(assessment=assessment).count() == 4
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]


def test_unknown_assessment_is_404(staff_client, assessment):
    assert staff_client.get(reverse("assessment-detail", args=[assessment.id + 999])).status_code == 404


@pytest.mark.parametrize("name", ["assessment-detail", "assessment-conversation", "assessment-outcomes",
                                  "assessment-decision", "assessment-submit"])
def test_another_team_is_asked_for_a_reason(client, assessment, other_practitioner, name):
    client.force_login(other_practitioner.user)
    url = reverse(name, args=[assessment.id])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("person-reason", args=[assessment.person_id]))


def test_another_team_cannot_list_start_or_preview(client, assessment, other_practitioner):
    client.force_login(other_practitioner.user)
    listing = client.post(reverse("person-assessments", args=[assessment.person_id]), {"assessment_type": "needs"})
    assert listing.status_code == 302 and "/reason/" in listing.url
    preview = client.post(reverse("assessment-eligibility-preview", args=[assessment.id]), {})
    assert preview.status_code == 302 and "/reason/" in preview.url
    assert Assessment.objects.count() == 1


# ---------------------------------------------------------------- sections


def test_conversation_saves_and_returns_to_the_task_list(staff_client, assessment):
    url = reverse("assessment-conversation", args=[assessment.id])
    assert staff_client.get(url).status_code == 200
    done = staff_client.post(url, {"what_matters": "Getting to the mosque on Fridays", "strengths": "Cooks well",
                                   "networks": "Daughter nearby", "good_day": ""})
    assert done.status_code == 302 and done.url == reverse("assessment-detail", args=[assessment.id])
    saved = _reload(assessment)
    assert saved.what_matters == "Getting to the mosque on Fridays" and saved.networks == "Daughter nearby"
    html = staff_client.get(done.url).content.decode()
    assert "What matters to them has been saved" in html


def test_wellbeing_areas_are_checkboxes(staff_client, assessment):
    url = reverse("assessment-wellbeing", args=[assessment.id])
    html = staff_client.get(url).content.decode()
    assert html.count('name="wellbeing_areas" type="checkbox"') == 9
    staff_client.post(url, {"wellbeing_areas": ["dignity", "health"], "wellbeing_note": "Low mood"})
    assert _reload(assessment).wellbeing_areas == ["dignity", "health"]
    bad = staff_client.post(url, {"wellbeing_areas": ["happiness"]})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()


def test_conditions_errors_keep_the_answers(staff_client, assessment):
    url = reverse("assessment-conditions", args=[assessment.id])
    html = staff_client.get(url).content.decode()
    assert "impairment or illness" in html and "necessary care" not in html
    response = staff_client.post(url, {"impairment_or_illness": "yes", "significant_impact_on_wellbeing": "no",
                                       "impairment_note": "Parkinson's disease", "needs_fluctuate": "yes",
                                       "fluctuation_period": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Say over what period you looked at their needs" in html
    assert 'value="yes" checked' in html and "Parkinson&#x27;s disease" in html
    assert _reload(assessment).impairment_or_illness is None  # nothing saved

    staff_client.post(url, {"impairment_or_illness": "yes", "significant_impact_on_wellbeing": "",
                            "needs_fluctuate": "yes", "fluctuation_period": "The last 3 months"})
    saved = _reload(assessment)
    assert saved.impairment_or_illness is True and saved.significant_impact_on_wellbeing is None
    assert saved.needs_fluctuate is True and saved.fluctuation_period == "The last 3 months"
    assert "Incomplete" in staff_client.get(reverse("assessment-detail", args=[assessment.id])).content.decode()


def test_carer_conditions_ask_about_necessary_care(staff_client, person, practitioner):
    carer = services.assessment_start(person=person, by=practitioner.user, assessment_type="carer")
    url = reverse("assessment-conditions", args=[carer.id])
    html = staff_client.get(url).content.decode()
    assert "necessary care" in html and "impairment or illness" not in html
    staff_client.post(url, {"necessary_care": "yes", "health_at_risk": "yes",
                            "significant_impact_on_wellbeing": "yes"})
    saved = _reload(carer)
    assert saved.necessary_care and saved.health_at_risk and saved.engine_eligible is True


def test_capacity_and_carers_save_yes_no_as_true_false_or_unanswered(staff_client, assessment):
    staff_client.post(reverse("assessment-capacity", args=[assessment.id]),
                      {"capacity_doubt": "no", "substantial_difficulty": "yes", "appropriate_person": ""})
    staff_client.post(reverse("assessment-carers", args=[assessment.id]),
                      {"carer_details": "Daughter, Priya", "carer_assessment_offered": "yes"})
    saved = _reload(assessment)
    assert saved.capacity_doubt is False and saved.substantial_difficulty is True and saved.appropriate_person is None
    assert saved.carer_assessment_offered is True
    html = staff_client.get(reverse("assessment-capacity", args=[assessment.id])).content.decode()
    assert 'value="no" checked' in html


# ---------------------------------------------------------------- outcomes and the live preview


def test_outcomes_page_lists_the_kinds_outcomes_and_meanings(staff_client, assessment, person, practitioner):
    html = staff_client.get(reverse("assessment-outcomes", args=[assessment.id])).content.decode()
    assert html.count('data-behaviour="exclusive"') == 10
    assert "They can achieve this" in html and "takes significantly longer" in html
    assert "Managing and maintaining nutrition" in html and "getting food and drink" in html
    assert 'hx-post="' + reverse("assessment-eligibility-preview", args=[assessment.id]) in html
    assert 'aria-live="polite"' in html and "htmx.min.js" in html

    carer = services.assessment_start(person=person, by=practitioner.user, assessment_type="carer")
    html = staff_client.get(reverse("assessment-outcomes", args=[carer.id])).content.decode()
    assert html.count('data-behaviour="exclusive"') == 8 and "takes significantly longer" not in html


def test_outcomes_errors_keep_the_answers(staff_client, assessment):
    url = reverse("assessment-outcomes", args=[assessment.id])
    data = _outcomes_post(achieved=ADULT_CODES[1:], nutrition=["unable_without_assistance"],
                          personal_hygiene=["achieved", "endangers_health_safety"],
                          toilet_needs_description="Uses a commode at night")
    response = staff_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Describe how they are unable to achieve this" in html
    assert "Choose either that they can achieve this, or how they are unable to, not both" in html
    assert re.search(r'id="id_nutrition_1"[^>]*checked', html)  # what was ticked is still ticked
    assert html.count(" checked") >= 11 and "Uses a commode at night" in html
    assert not AssessmentOutcome.objects.filter(assessment=assessment).exclude(statuses=[]).exists()


def test_saving_outcomes_reruns_the_engine(staff_client, assessment, practitioner):
    services.assessment_save_section(assessment=assessment, by=practitioner.user, section="conditions",
                                     impairment_or_illness=True, significant_impact_on_wellbeing=True)
    url = reverse("assessment-outcomes", args=[assessment.id])
    done = staff_client.post(url, _outcomes_post(unachieved=["nutrition", "personal_hygiene"],
                                                 achieved=ADULT_CODES[2:]))
    assert done.status_code == 302
    saved = _reload(assessment)
    assert saved.engine_eligible is True
    assert saved.eligibility_result["unachieved_outcomes"] == ["nutrition", "personal_hygiene"]
    html = staff_client.get(done.url).content.decode()
    assert 'govuk-tag--green">Eligible</strong>' in html


def test_preview_returns_the_live_panel_and_saves_nothing(staff_client, assessment, practitioner):
    services.assessment_save_section(assessment=assessment, by=practitioner.user, section="conditions",
                                     impairment_or_illness=True, significant_impact_on_wellbeing=True)
    before = _reload(assessment)
    url = reverse("assessment-eligibility-preview", args=[assessment.id])
    one = staff_client.post(url, {"nutrition": ["unable_without_assistance"]})
    assert one.status_code == 200
    html = one.content.decode()
    assert "<html" not in html and "Not eligible" in html and "Unable to achieve only 1 outcome" in html
    two = staff_client.post(url, {"nutrition": ["unable_without_assistance"],
                                  "personal_hygiene": ["takes_significantly_longer"],
                                  "toilet_needs": ["not_a_status"]}).content.decode()
    assert "Not eligible" not in two and "Eligible" in two and "Not saved yet" in two
    assert "getting food and drink; washing and keeping clean" in two
    after = _reload(assessment)
    assert after.eligibility_result == before.eligibility_result and after.engine_eligible is False
    assert not AssessmentOutcome.objects.filter(assessment=assessment).exclude(statuses=[]).exists()
    assert staff_client.get(url).status_code == 405


# ---------------------------------------------------------------- decision and submission


def test_decision_needs_a_reason_to_disagree(staff_client, assessment):
    url = reverse("assessment-decision", args=[assessment.id])
    html = staff_client.get(url).content.decode()
    assert "Not eligible" in html and "If you disagree, why?" in html
    missing = staff_client.post(url, {})
    assert "Select whether you agree with the suggested decision" in missing.content.decode()
    no_reason = staff_client.post(url, {"agrees": "no", "reason": "  "}).content.decode()
    assert "Say why you disagree with the suggested decision" in no_reason
    assert re.search(r'value="no"[^>]*checked', no_reason)
    staff_client.post(url, {"agrees": "no", "reason": "Her needs at night were not seen on the day"})
    saved = _reload(assessment)
    assert saved.practitioner_agrees is False and saved.eligible is True
    assert "Her needs at night were not seen on the day" in staff_client.get(url).content.decode()


def test_submit_lists_what_is_missing_then_submits(staff_client, assessment, practitioner):
    url = reverse("assessment-submit", args=[assessment.id])
    html = staff_client.get(url).content.decode()
    assert "govuk-list--bullet" in html and "What matters to them, in their own words" in html
    assert "Submit for authorisation" not in html
    refused = staff_client.post(url)
    assert refused.status_code == 200 and "Before you submit, record" in refused.content.decode()
    _ready_to_submit(assessment, practitioner.user)
    assert "Submit for authorisation" in staff_client.get(url).content.decode()
    done = staff_client.post(url)
    assert done.status_code == 302 and _reload(assessment).status == AssessmentStatus.SUBMITTED
    # Submitted answers are read-only.
    section = staff_client.get(reverse("assessment-conversation", args=[assessment.id])).content.decode()
    assert "govuk-summary-list" in section and "Save and return" not in section
    post = staff_client.post(reverse("assessment-conversation", args=[assessment.id]), {"what_matters": "x"})
    assert "cannot be changed" in post.content.decode()


# ---------------------------------------------------------------- authorise and return


@pytest.fixture
def submitted(assessment, practitioner):
    _ready_to_submit(assessment, practitioner.user)
    return services.assessment_submit(assessment=assessment, by=practitioner.user)


def test_the_worker_cannot_authorise_their_own(staff_client, submitted):
    html = staff_client.get(reverse("assessment-detail", args=[submitted.id])).content.decode()
    assert "Authorise assessment" not in html
    response = staff_client.post(reverse("assessment-authorise", args=[submitted.id]))
    assert response.status_code == 403
    response = staff_client.post(reverse("assessment-return", args=[submitted.id]), {"reason": "No"})
    assert response.status_code == 403
    assert _reload(submitted).status == AssessmentStatus.SUBMITTED


def test_team_leader_authorises(client, submitted, team_leader):
    client.force_login(team_leader.user)
    html = client.get(reverse("assessment-detail", args=[submitted.id])).content.decode()
    assert "Authorise assessment" in html and "Return to the worker" in html
    done = client.post(reverse("assessment-authorise", args=[submitted.id]))
    assert done.status_code == 302
    saved = _reload(submitted)
    assert saved.status == AssessmentStatus.AUTHORISED and saved.completed_on == timezone.localdate()
    html = client.get(done.url).content.decode()
    assert "The assessment has been authorised" in html and "Authorise assessment" not in html
    again = client.post(reverse("assessment-authorise", args=[submitted.id]), follow=True)
    assert "Only a submitted assessment can be authorised" in again.content.decode()


def test_team_leader_returns_with_a_reason(client, submitted, team_leader, practitioner):
    client.force_login(team_leader.user)
    url = reverse("assessment-return", args=[submitted.id])
    blank = client.post(url, {"reason": ""})
    assert blank.status_code == 200
    assert "Say what needs to change before it can be authorised" in blank.content.decode()
    assert _reload(submitted).status == AssessmentStatus.SUBMITTED
    done = client.post(url, {"reason": "Say more about her nights"})
    assert done.status_code == 302 and _reload(submitted).status == AssessmentStatus.RETURNED
    client.force_login(practitioner.user)
    html = client.get(reverse("assessment-detail", args=[submitted.id])).content.decode()
    assert "Say more about her nights" in html and "Returned for changes" in html
