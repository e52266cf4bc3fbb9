"""The Care Act eligibility engine: golden cases, properties, the rule file's validation and bad answers."""

from __future__ import annotations

import copy
import dataclasses
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.engine import eligibility, ruleset
from assessments.engine.eligibility import EligibilityAnswers, InvalidAnswers, evaluate

GOLDEN = yaml.safe_load((Path(__file__).parent / "golden" / "eligibility.yaml").read_text(encoding="utf-8"))
RULE_FILE = ruleset.RULES_DIR / "eligibility" / f"{ruleset.current_version('eligibility')}.yaml"

# The contract, written out here rather than read from the rule file, so the tests check the file too.
ADULT_OUTCOMES = [
    "nutrition", "personal_hygiene", "toilet_needs", "being_clothed", "using_home_safely", "habitable_home",
    "relationships", "work_education_volunteering", "community_services", "caring_for_child",
]
CARER_OUTCOMES = [
    "caring_for_child", "caring_for_others", "habitable_home", "nutrition", "relationships",
    "work_education_volunteering", "community_services", "recreation",
]
UNACHIEVED = ["unable_without_assistance", "significant_pain_distress_anxiety", "endangers_health_safety",
              "takes_significantly_longer"]
CARER_UNACHIEVED = UNACHIEVED[:3]
OUTCOMES = {"adult": ADULT_OUTCOMES, "carer": CARER_OUTCOMES}
STATUSES = {"adult": ["achieved", *UNACHIEVED], "carer": ["achieved", *CARER_UNACHIEVED]}


# --- golden cases -------------------------------------------------------------------------------------


def test_the_golden_table_covers_both_kinds_with_at_least_forty_cases():
    kinds = [case["answers"]["kind"] for case in GOLDEN]
    assert len(GOLDEN) >= 40
    assert kinds.count("adult") >= 20 and kinds.count("carer") >= 20
    assert len({case["name"] for case in GOLDEN}) == len(GOLDEN)


@pytest.mark.parametrize("case", GOLDEN, ids=[case["name"] for case in GOLDEN])
def test_golden_case(case):
    result = evaluate(EligibilityAnswers(**case["answers"]))
    assert result.eligible is case["eligible"]
    assert {c.code: c.met for c in result.conditions} == case["met"]
    assert list(result.conditions) == sorted(result.conditions, key=lambda c: list(case["met"]).index(c.code))
    assert list(result.unachieved_outcomes) == case["unachieved"]
    explanations = {c.code: c.explanation for c in result.conditions}
    for code, text in case.get("explanations", {}).items():
        assert text in explanations[code]
    assert result.ruleset_version == ruleset.current_version("eligibility")


def test_the_result_is_the_contract_shape():
    result = evaluate(GOLDEN[0]["answers"])
    data = result.to_dict()
    assert list(data) == ["eligible", "conditions", "unachieved_outcomes", "ruleset_version"]
    assert all(list(condition) == ["code", "met", "explanation"] for condition in data["conditions"])
    assert data["ruleset_version"] == "care-act-2015.1"
    yaml.safe_dump(data)  # plain values only


def test_results_and_answers_cannot_be_changed():
    answers = EligibilityAnswers(kind="adult", impairment_or_illness=True, significant_impact_on_wellbeing=True,
                                 outcomes={"nutrition": "achieved"})
    result = evaluate(answers)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.eligible = True
    with pytest.raises(TypeError):
        answers.outcomes["nutrition"] = "unable_without_assistance"


@pytest.mark.parametrize("case", GOLDEN, ids=[case["name"] for case in GOLDEN])
def test_explanations_are_plain_english(case):
    for condition in evaluate(case["answers"]).conditions:
        text = condition.explanation
        assert text.endswith(".") and text[0].isupper()
        assert not re.search(r"service user|client|customer|\breg\b|e\.g\.|\{|\}", text, re.IGNORECASE)


# --- properties ---------------------------------------------------------------------------------------


@st.composite
def answers_for(draw, kind: str):
    codes = draw(st.lists(st.sampled_from(OUTCOMES[kind]), unique=True))
    outcomes = {code: draw(st.sampled_from(STATUSES[kind])) for code in codes}
    questions = ["impairment_or_illness"] if kind == "adult" else ["necessary_care", "health_at_risk"]
    flags = {name: draw(st.booleans()) for name in [*questions, "significant_impact_on_wellbeing"]}
    return EligibilityAnswers(kind=kind, outcomes=outcomes, **flags)


any_answers = st.sampled_from(["adult", "carer"]).flatmap(answers_for)


def unachieved_count(answers: EligibilityAnswers) -> int:
    return sum(1 for status in answers.outcomes.values() if status != "achieved")


@settings(max_examples=300)
@given(answers=answers_for("adult"))
def test_an_adult_is_eligible_exactly_when_the_three_conditions_hold(answers):
    expected = (answers.impairment_or_illness and answers.significant_impact_on_wellbeing
                and unachieved_count(answers) >= 2)
    result = evaluate(answers)
    assert result.eligible is expected
    assert {c.code: c.met for c in result.conditions} == {
        "needs_from_impairment": answers.impairment_or_illness,
        "two_or_more_outcomes": unachieved_count(answers) >= 2,
        "wellbeing_impact": answers.significant_impact_on_wellbeing,
    }


@settings(max_examples=300)
@given(answers=answers_for("carer"))
def test_a_carer_is_eligible_exactly_when_the_three_conditions_hold(answers):
    expected = (answers.necessary_care and (answers.health_at_risk or unachieved_count(answers) >= 1)
                and answers.significant_impact_on_wellbeing)
    assert evaluate(answers).eligible is expected


@given(answers=any_answers, data=st.data())
def test_making_an_outcome_unachieved_never_makes_someone_ineligible(answers, data):
    kind = answers.kind
    achieved = [code for code in OUTCOMES[kind] if answers.outcomes.get(code, "achieved") == "achieved"]
    if not achieved:
        return
    code = data.draw(st.sampled_from(achieved))
    worse = dataclasses.replace(
        answers, outcomes={**answers.outcomes, code: data.draw(st.sampled_from(STATUSES[kind][1:]))}
    )
    if evaluate(answers).eligible:
        assert evaluate(worse).eligible
    assert len(evaluate(worse).unachieved_outcomes) == len(evaluate(answers).unachieved_outcomes) + 1


@given(answers=any_answers, order=st.randoms(use_true_random=False))
def test_the_order_of_the_outcomes_sent_does_not_matter(answers, order):
    items = list(answers.outcomes.items())
    order.shuffle(items)
    assert evaluate(dataclasses.replace(answers, outcomes=dict(items))) == evaluate(answers)


@given(answers=any_answers)
def test_eligible_means_every_condition_is_met_and_each_is_explained(answers):
    result = evaluate(answers)
    assert result.eligible == all(c.met for c in result.conditions)
    assert all(c.explanation.strip() for c in result.conditions)
    assert len(result.conditions) == 3


@given(answers=any_answers)
def test_unachieved_outcomes_are_exactly_those_not_achieved_in_the_rule_order(answers):
    result = evaluate(answers)
    expected = [code for code in OUTCOMES[answers.kind] if answers.outcomes.get(code, "achieved") != "achieved"]
    assert list(result.unachieved_outcomes) == expected


# --- policy is data ---------------------------------------------------------------------------------------


def test_the_current_rule_file_loads_and_lists_the_contract_codes():
    rules = ruleset.current("eligibility")
    assert [o["code"] for o in rules["kinds"]["adult"]["outcomes"]] == ADULT_OUTCOMES
    assert [o["code"] for o in rules["kinds"]["carer"]["outcomes"]] == CARER_OUTCOMES
    assert list(rules["kinds"]["adult"]["statuses"]) == STATUSES["adult"]
    assert list(rules["kinds"]["carer"]["statuses"]) == STATUSES["carer"]
    assert rules["kinds"]["adult"]["min_unachieved"] == 2
    assert rules["kinds"]["carer"]["min_unachieved"] == 1


def raw_rules() -> dict:
    return yaml.safe_load(RULE_FILE.read_text(encoding="utf-8"))


def test_a_changed_threshold_in_a_rule_set_changes_the_decision_without_code():
    rules = raw_rules()
    rules["version"] = "test-three-outcomes"
    rules["kinds"]["adult"]["min_unachieved"] = 3
    eligibility.validate_rules(rules)
    answers = GOLDEN[0]["answers"]  # two outcomes unachieved
    assert evaluate(answers).eligible is True
    result = evaluate(answers, rules)
    assert result.eligible is False
    assert result.ruleset_version == "test-three-outcomes"
    assert "At least 3 must be unachieved." in result.conditions[1].explanation


def write_bad_file(tmp_path: Path, change) -> Path:
    rules = copy.deepcopy(raw_rules())
    change(rules)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    return path


def _adult(rules):
    return rules["kinds"]["adult"]


BAD_FILES = {
    "a missing threshold": (lambda r: _adult(r).pop("min_unachieved"),
                            "kinds.adult.min_unachieved must be a whole number of 1 or more, not None"),
    "a threshold of nought": (lambda r: _adult(r).update(min_unachieved=0), "min_unachieved must be a whole number"),
    "a threshold written as text": (lambda r: _adult(r).update(min_unachieved="2"), "not '2'"),
    "a threshold above the number of outcomes": (lambda r: _adult(r).update(min_unachieved=11),
                                                 "more than the 10 outcomes listed"),
    "an outcome listed twice": (lambda r: _adult(r)["outcomes"].append(dict(_adult(r)["outcomes"][0])),
                                "kinds.adult.outcomes: 'nutrition' is listed twice"),
    "a condition code listed twice": (lambda r: _adult(r)["conditions"].append(dict(_adult(r)["conditions"][0])),
                                      "'needs_from_impairment' is listed twice"),
    "an unknown status for a kind": (lambda r: r["kinds"]["carer"]["statuses"].append("too_tired"),
                                     "kinds.carer.statuses: 'too_tired' is not one of the statuses listed"),
    "an outcome without a label": (lambda r: _adult(r)["outcomes"][3].pop("label"),
                                   "kinds.adult.outcomes[3]: `label` is missing"),
    "no statuses": (lambda r: r.pop("statuses"), "statuses: missing"),
    "two achieved statuses": (lambda r: r["statuses"]["unable_without_assistance"].update(unachieved=False),
                              "exactly one status must have 'unachieved: false'"),
    "an unknown placeholder": (lambda r: _adult(r)["conditions"][1].update(not_met="Only {cnt} outcomes."),
                               "unknown placeholder {cnt}"),
    "a test on a question not asked": (
        lambda r: _adult(r)["conditions"][0]["tests"][0].update(answer="necessary_care"),
        "'necessary_care' is not one of this kind's questions"),
    "a question no condition uses": (
        lambda r: _adult(r)["questions"].append({"name": "health_at_risk", "meaning": "Health at risk"}),
        "question 'health_at_risk' is asked but no condition uses it"),
    "a question the engine does not know": (
        lambda r: _adult(r)["questions"].append({"name": "need_met_by_family", "meaning": "Family helps"}),
        "'need_met_by_family' is not an answer the engine knows"),
    "a wording mapping without other": (
        lambda r: _adult(r)["conditions"][1].update(not_met={"none": "No outcomes."}), "other is required"),
}


@pytest.mark.parametrize("change, message", BAD_FILES.values(), ids=list(BAD_FILES))
def test_an_invalid_rule_file_is_refused_with_a_clear_message(tmp_path, change, message):
    path = write_bad_file(tmp_path, change)
    with pytest.raises(ruleset.RuleSetError) as refused:
        eligibility.validate_rules(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert message in str(refused.value)


def test_loading_an_invalid_rule_file_names_the_file(tmp_path, monkeypatch):
    folder = tmp_path / "eligibility"
    folder.mkdir()
    rules = raw_rules()
    rules["version"] = "broken-for-test"
    rules["kinds"]["carer"]["min_unachieved"] = -1
    (folder / "broken-for-test.yaml").write_text(yaml.safe_dump(rules), encoding="utf-8")
    monkeypatch.setattr(ruleset, "RULES_DIR", tmp_path)
    with pytest.raises(ruleset.RuleSetError, match=r"broken-for-test\.yaml: kinds\.carer\.min_unachieved"):
        ruleset.load("eligibility", "broken-for-test")


# --- answers that do not fit -----------------------------------------------------------------------------


ADULT = {"kind": "adult", "impairment_or_illness": True, "significant_impact_on_wellbeing": True, "outcomes": {}}
CARER = {"kind": "carer", "necessary_care": True, "health_at_risk": False, "significant_impact_on_wellbeing": True,
         "outcomes": {}}

BAD_ANSWERS = {
    "an unknown kind": ({**ADULT, "kind": "child"}, "kind", '"child" is not a kind of eligibility test'),
    "a missing question": ({k: v for k, v in ADULT.items() if k != "impairment_or_illness"},
                           "impairment_or_illness", "send true or false"),
    "a question for the other kind": ({**ADULT, "necessary_care": True}, "necessary_care", "not asked for adults"),
    "an answer that is not true or false": ({**CARER, "health_at_risk": "yes"}, "health_at_risk", "true or false"),
    "an unknown outcome": ({**ADULT, "outcomes": {"recreation": "achieved"}}, "outcomes",
                           '"recreation" is not one of the outcomes for adults'),
    "an unknown status": ({**ADULT, "outcomes": {"nutrition": "struggling"}}, "outcomes",
                          '"struggling" is not an answer for an outcome'),
    "a carer taking longer": ({**CARER, "outcomes": {"nutrition": "takes_significantly_longer"}}, "outcomes",
                              "is not a ground for carers in Regulation 3"),
    "outcomes that are not an object": ({**ADULT, "outcomes": ["nutrition"]}, "outcomes", "an object"),
}


@pytest.mark.parametrize("answers, field, message", BAD_ANSWERS.values(), ids=list(BAD_ANSWERS))
def test_answers_that_do_not_fit_are_refused_with_field_errors(answers, field, message):
    with pytest.raises(InvalidAnswers) as refused:
        evaluate(answers)
    assert message in str(refused.value.errors[field])


def test_whether_someone_else_meets_a_need_is_not_an_answer():
    with pytest.raises(InvalidAnswers) as refused:
        evaluate({**ADULT, "need_met_by_carer": True})
    assert list(refused.value.errors) == ["need_met_by_carer"]
