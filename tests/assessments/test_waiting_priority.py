"""The waiting-list priority engine: golden cases, properties, helpers, plain English and rule-file validation.

No database: the engine is pure."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from assessments.engine import ruleset
from assessments.engine import waiting_priority as engine

GOLDEN_FILE = Path(__file__).parent / "golden" / "waiting_priority.yaml"
GOLDEN = yaml.safe_load(GOLDEN_FILE.read_text(encoding="utf-8"))
CASES = GOLDEN["cases"]
CODES = [code for code, _ in engine.checklist()]


def rules() -> dict:
    """A private, editable copy of the current rule file, as read from disk."""
    path = ruleset.RULES_DIR / engine.ENGINE / f"{ruleset.current_version(engine.ENGINE)}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def answers_of(case: dict) -> dict[str, bool]:
    return {**{code: False for code in case.get("answered_no", [])},
            **{code: True for code in case.get("answered_yes", [])}}


# --- golden cases ----------------------------------------------------------------------------------------


def test_the_golden_table_is_large_enough_and_covers_every_band_and_rule():
    assert len(CASES) >= 30
    assert {case["band"] for case in CASES} == {*engine.BANDS, engine.NOT_RATED}
    fired = {code for case in CASES for code in case["fired"]}
    assert fired == {rule["code"] for rule in rules()["rules"]}
    assert len({case["name"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_golden(case):
    result = engine.suggest(answers_of(case))
    assert result.ruleset_version == GOLDEN["ruleset_version"]
    assert result.band == case["band"]
    assert list(result.rules_fired) == case["fired"]
    assert result.reasons and all(isinstance(r, str) and r.strip() for r in result.reasons)
    if case["fired"]:
        by_code = {rule["code"]: rule["reason"] for rule in rules()["rules"]}
        assert list(result.reasons) == list(dict.fromkeys(by_code[code] for code in case["fired"]))
    if "reason_includes" in case:
        assert any(case["reason_includes"] in reason for reason in result.reasons), result.reasons


def test_the_golden_version_is_the_current_one():
    assert ruleset.current_version(engine.ENGINE) == GOLDEN["ruleset_version"]


def test_the_example_from_the_brief():
    result = engine.suggest({"lives_alone": True, "no_network": True, "recent_fall": True})
    assert result.band == "urgent"
    assert result.reasons[0] == "Lives alone with no one to help, and has fallen recently."
    assert result.to_dict()["band"] == "urgent"


# --- answers that do not fit ----------------------------------------------------------------------------


def test_unknown_answer_codes_are_refused_by_name():
    with pytest.raises(ValueError, match="Unknown risk checklist answers: has_dog, lives_alon"):
        engine.suggest({"lives_alon": True, "has_dog": False, "recent_fall": True})


@pytest.mark.parametrize("value", ["yes", 1, None, "false"])
def test_answers_must_be_true_or_false(value):
    with pytest.raises(ValueError, match="True or False.*recent_fall"):
        engine.suggest({"recent_fall": value})


def test_an_explicit_rule_set_is_used_and_pinned():
    old = rules()
    old["version"] = "priority-2025.9"
    old["rules"] = [{**rule, "band": "low"} if rule["code"] == "risk_to_life" else rule for rule in old["rules"]]
    engine.validate(old)
    result = engine.suggest({"risk_to_life": True}, old)
    assert (result.band, result.ruleset_version) == ("low", "priority-2025.9")


# --- properties ------------------------------------------------------------------------------------------

answer_sets = st.dictionaries(st.sampled_from(CODES), st.booleans())


@given(answers=answer_sets, extra=st.sampled_from(CODES))
def test_a_new_yes_never_lowers_the_band(answers, extra):
    before = engine.suggest(answers)
    after = engine.suggest({**answers, extra: True})
    assert engine.rank(after.band) >= engine.rank(before.band)
    assert set(before.rules_fired) <= set(after.rules_fired)


@given(answers=answer_sets, data=st.data())
def test_the_order_of_answers_does_not_matter(answers, data):
    shuffled = dict(data.draw(st.permutations(list(answers.items()))))
    assert engine.suggest(shuffled) == engine.suggest(answers)


@given(answers=answer_sets)
def test_the_band_is_the_highest_fired_and_reasons_come_highest_first(answers):
    result = engine.suggest(answers)
    band_of = {rule["code"]: rule["band"] for rule in rules()["rules"]}
    ranks = [engine.rank(band_of[code]) for code in result.rules_fired]
    assert ranks == sorted(ranks, reverse=True)
    if not answers:
        assert result.band == engine.NOT_RATED
    elif not ranks:
        assert result.band == "low"
    else:
        assert engine.rank(result.band) == ranks[0]


@given(answers=answer_sets)
def test_a_no_answer_counts_the_same_as_no_answer_once_anything_is_answered(answers):
    yes_only = {code: True for code, value in answers.items() if value}
    result = engine.suggest(answers)
    if yes_only:
        assert engine.suggest(yes_only) == result
    elif answers:
        assert result.band == "low"


# --- helpers for the pages -------------------------------------------------------------------------------


def test_bands_for_the_pages():
    shown = engine.bands()
    assert [b.code for b in shown] == ["urgent", "high", "medium", "low", "not_rated"]
    assert [b.tag_class for b in shown] == [
        "govuk-tag--purple", "govuk-tag--red", "govuk-tag--orange", "govuk-tag--green", "govuk-tag--grey"]
    assert [engine.interval_days(b.code) for b in shown] == [7, 14, 28, 56, None]
    assert [engine.overdue_after_working_days(b.code) for b in shown] == [1, 2, 5, 10, None]
    assert engine.band_label("urgent") == "Urgent"
    assert engine.band_label("not_rated") == "Not yet rated"
    assert all(b.meaning for b in shown)


def test_an_unknown_band_is_a_clear_error():
    with pytest.raises(ValueError, match="'critical' is not a priority band"):
        engine.interval_days("critical")
    with pytest.raises(ValueError, match="not a priority band"):
        engine.band_label("Urgent")


def test_interval_follows_the_rule_set_given():
    council = rules()
    council["bands"][0]["keep_in_touch_days"] = 5
    engine.validate(council)
    assert engine.interval_days("urgent", council) == 5
    assert engine.interval_days("urgent") == 7


def test_the_checklist_has_the_questions_the_issue_asks_for():
    required = {
        "lives_alone", "no_network", "carer_breakdown_risk", "recent_fall", "frequent_falls", "leaving_hospital",
        "hospital_discharge_blocked", "self_neglect", "open_safeguarding_concern", "no_heating_or_food",
        "deteriorating_health", "lacks_capacity_no_representative", "essential_needs_unmet",
        "interim_support_unsustainable", "moderate_carer_strain", "wants_change_of_service", "minor_equipment",
    }
    assert required <= set(CODES)
    assert all(question.endswith("?") for _, question in engine.checklist())


# --- plain English ---------------------------------------------------------------------------------------

JARGON = re.compile(r"\b(service users?|clients?|customers?|patients?)\b", re.IGNORECASE)


def every_sentence(data: dict) -> list[str]:
    texts = [data["nothing_triggered_reason"], data["not_rated"]["reason"], data["not_rated"]["meaning"]]
    texts += [rule["reason"] for rule in data["rules"]]
    texts += [item["question"] for item in data["checklist"]]
    texts += [band["meaning"] for band in data["bands"]]
    return texts


def test_explanations_are_plain_english():
    for text in every_sentence(rules()):
        assert not JARGON.search(text), text
        assert "_" not in text, text  # no codes leak into the wording
        assert text[0].isupper(), text
        assert text.rstrip()[-1] in ".?", text
        assert len(text) <= 120, text
    reasons = [rule["reason"] for rule in rules()["rules"]]
    assert len(set(reasons)) == len(reasons), "each rule explains itself in its own words"


# --- rule-file validation --------------------------------------------------------------------------------


def test_every_rule_file_of_this_engine_validates():
    for version in ruleset.versions(engine.ENGINE):
        assert ruleset.load(engine.ENGINE, version)["engine"] == engine.ENGINE


def edited(edit) -> dict:
    data = copy.deepcopy(rules())
    edit(data)
    return data


def rule(data: dict, code: str) -> dict:
    return next(r for r in data["rules"] if r["code"] == code)


INVALID = [
    ("a rule names an unknown band",
     lambda d: rule(d, "recent_fall").update(band="critical"),
     r"rules\[\d+\] \(recent_fall\)\.band: 'critical' is not a known band; use urgent, high, medium, low"),
    ("a rule names an answer not in the checklist",
     lambda d: rule(d, "alone_and_fallen")["any_of"].append("has_dog"),
     r"rules\[\d+\] \(alone_and_fallen\)\.any_of: 'has_dog' is not a question in the checklist"),
    ("a rule has no trigger",
     lambda d: rule(d, "minor_equipment").pop("all_of"),
     "say which answers trigger it, with all_of, any_of or both"),
    ("a rule has an empty all_of",
     lambda d: rule(d, "minor_equipment").update(all_of=[]),
     r"all_of must be a non-empty list of checklist codes"),
    ("a rule has a misspelt key",
     lambda d: rule(d, "minor_equipment").update(none_of=["lives_alone"]),
     "unknown key 'none_of'; a rule takes"),
    ("a rule has no reason",
     lambda d: rule(d, "minor_equipment").update(reason="  "),
     r"\(minor_equipment\): `reason` is missing, or not text"),
    ("two rules share a code",
     lambda d: d["rules"].append(dict(rule(d, "minor_equipment"))),
     "the rule code 'minor_equipment' is used twice"),
    ("an interval is zero",
     lambda d: d["bands"][1].update(keep_in_touch_days=0),
     r"bands\[1\] \(high\)\.keep_in_touch_days must be a whole number of 1 or more, not 0"),
    ("an interval is not a whole number",
     lambda d: d["bands"][2].update(keep_in_touch_days=28.5),
     r"keep_in_touch_days must be a whole number of 1 or more, not 28.5"),
    ("an interval is text",
     lambda d: d["bands"][3].update(overdue_after_working_days="10"),
     r"overdue_after_working_days must be a whole number of 1 or more, not '10'"),
    ("an interval is true",
     lambda d: d["bands"][3].update(keep_in_touch_days=True),
     r"keep_in_touch_days must be a whole number"),
    ("a higher band is contacted less often",
     lambda d: d["bands"][0].update(keep_in_touch_days=30),
     r"shorter than the band above \(30\)"),
    ("an unknown band is listed",
     lambda d: d["bands"].append({**d["bands"][0], "code": "critical"}),
     r"bands\[4\]\.code: 'critical' is not a known band"),
    ("a band is missing",
     lambda d: d["bands"].pop(2),
     "list each of urgent, high, medium, low once, highest first"),
    ("bands out of order",
     lambda d: d["bands"].reverse(),
     "highest first"),
    ("a band has no label",
     lambda d: d["bands"][0].pop("label"),
     r"bands\[0\] \(urgent\): `label` is missing"),
    ("a band's colour is not a GOV.UK tag",
     lambda d: d["bands"][0].update(tag_class="purple"),
     "is not a GOV.UK tag class"),
    ("not rated is missing",
     lambda d: d.pop("not_rated"),
     "not_rated: missing"),
    ("a checklist code is used twice",
     lambda d: d["checklist"].append(dict(d["checklist"][0])),
     "'risk_to_life' is listed twice"),
    ("a checklist code is not a code",
     lambda d: d["checklist"][0].update(code="Risk to life"),
     r"checklist\[0\]\.code: 'Risk to life' is not a code"),
    ("a question no rule uses",
     lambda d: d["checklist"].append({"code": "has_dog", "question": "Has a dog?"}),
     "'has_dog' is asked but no rule uses it"),
    ("no rules",
     lambda d: d.update(rules=[]),
     "`rules` is missing, or not a non-empty list"),
]


@pytest.mark.parametrize(("name", "edit", "message"), INVALID, ids=[i[0] for i in INVALID])
def test_invalid_rule_sets_are_refused_with_clear_messages(name, edit, message):
    with pytest.raises(ruleset.RuleSetError, match=message):
        engine.validate(edited(edit))


def test_an_invalid_rule_file_on_disk_stops_loading_with_its_name(tmp_path, monkeypatch):
    folder = tmp_path / engine.ENGINE
    folder.mkdir()
    data = edited(lambda d: rule(d, "recent_fall").update(band="critical"))
    data["version"] = "broken-1"
    (folder / "broken-1.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setattr(ruleset, "RULES_DIR", tmp_path)
    ruleset.load.cache_clear()
    try:
        with pytest.raises(ruleset.RuleSetError, match=r"broken-1\.yaml: rules\[\d+\] \(recent_fall\)\.band"):
            ruleset.load(engine.ENGINE, "broken-1")
    finally:
        ruleset.load.cache_clear()


def test_an_invalid_file_written_to_disk_is_refused_by_validate(tmp_path):
    path = tmp_path / "priority-bad.yaml"
    path.write_text(GOLDEN_FILE.read_text(encoding="utf-8"), encoding="utf-8")  # a golden table, not rules
    with pytest.raises(ruleset.RuleSetError, match="`title` is missing"):
        engine.validate(yaml.safe_load(path.read_text(encoding="utf-8")))
