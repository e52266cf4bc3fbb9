"""The review routing engine: golden cases, precedence, properties, helpers, plain English and rule-file validation.

No database: the engine is pure."""

from __future__ import annotations

import copy
import re

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from assessments.engine import review_routing as engine
from assessments.engine import ruleset

VERSION = "routing-2026.1"
CODES = [code for code, _ in engine.facts()]
WORKER_ONLY = ["open_safeguarding_enquiry", "lacks_capacity_no_representative", "safety_concern",
               "self_review_reports_change"]
W, S, P, T = engine.WORKER, engine.SELF_REVIEW, engine.PROVIDER, engine.THERAPY


def rules() -> dict:
    """A private, editable copy of the current rule file, as read from disk."""
    path = ruleset.RULES_DIR / engine.ENGINE / f"{ruleset.current_version(engine.ENGINE)}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- golden cases ----------------------------------------------------------------------------------------
# (name, facts answered yes, facts answered no, route, rules fired in order, routes allowed in order)

GOLDEN = [
    ("no facts at all", [], [], W, [], [W]),
    ("every fact answered no", [], CODES, W, [], [W]),
    ("open safeguarding enquiry", ["open_safeguarding_enquiry"], [], W, ["open_safeguarding_enquiry"], [W]),
    ("lacks capacity, no representative", ["lacks_capacity_no_representative"], [], W,
     ["lacks_capacity_no_representative"], [W]),
    ("safety concern", ["safety_concern"], [], W, ["safety_concern"], [W]),
    ("self-review reports a change", ["self_review_reports_change"], [], W, ["self_review_reports_change"], [W]),
    ("end of discharge funding", ["end_of_discharge_funding"], [], W, ["end_of_discharge_funding"], [W]),
    ("asked to talk to someone", ["person_asked_to_talk"], [], W, ["person_asked_to_talk"], [W]),
    ("more home care hours", ["increase_home_care_hours"], [], T, ["increase_home_care_hours"], [T, W]),
    ("double-handed care or a hoist", ["double_handed_change"], [], T, ["double_handed_change"], [T, W]),
    ("more hours and double-handed", ["double_handed_change", "increase_home_care_hours"], [], T,
     ["increase_home_care_hours", "double_handed_change"], [T, W]),
    ("end of reablement", ["end_of_reablement"], [], T, ["end_of_reablement"], [T, W]),
    ("framework provider within limits", ["framework_provider_within_limits"], [], P,
     ["framework_provider_within_limits"], [P, W]),
    ("stable, low cost, opted in", ["stable_low_cost_opted_in"], [], S, ["stable_low_cost_opted_in"], [S, W]),
    ("provider beats self-review, which stays on offer",
     ["stable_low_cost_opted_in", "framework_provider_within_limits"], [], P,
     ["framework_provider_within_limits", "stable_low_cost_opted_in"], [P, S, W]),
    ("more hours beats self-review", ["stable_low_cost_opted_in", "increase_home_care_hours"], [], T,
     ["increase_home_care_hours", "stable_low_cost_opted_in"], [T, W]),
    ("double-handed beats self-review", ["stable_low_cost_opted_in", "double_handed_change"], [], T,
     ["double_handed_change", "stable_low_cost_opted_in"], [T, W]),
    ("more hours beats provider", ["framework_provider_within_limits", "increase_home_care_hours"], [], T,
     ["increase_home_care_hours", "framework_provider_within_limits"], [T, W]),
    ("end of reablement beats provider", ["framework_provider_within_limits", "end_of_reablement"], [], T,
     ["end_of_reablement", "framework_provider_within_limits"], [T, W]),
    ("more hours before end of reablement", ["end_of_reablement", "increase_home_care_hours"], [], T,
     ["increase_home_care_hours", "end_of_reablement"], [T, W]),
    ("safety concern beats self-review", ["stable_low_cost_opted_in", "safety_concern"], [], W,
     ["safety_concern", "stable_low_cost_opted_in"], [W]),
    ("self-review triage: something changed", ["stable_low_cost_opted_in", "self_review_reports_change"], [], W,
     ["self_review_reports_change", "stable_low_cost_opted_in"], [W]),
    ("self-review triage: nothing changed, feels safe", ["stable_low_cost_opted_in"],
     ["self_review_reports_change", "safety_concern", "person_asked_to_talk"], S, ["stable_low_cost_opted_in"], [S, W]),
    ("self-review triage: asked to talk", ["stable_low_cost_opted_in", "person_asked_to_talk"], [], W,
     ["person_asked_to_talk", "stable_low_cost_opted_in"], [W]),
    ("asked to talk, provider still on offer", ["framework_provider_within_limits", "person_asked_to_talk"], [], W,
     ["person_asked_to_talk", "framework_provider_within_limits"], [W, P]),
    ("asked to talk and more hours", ["increase_home_care_hours", "person_asked_to_talk"], [], W,
     ["person_asked_to_talk", "increase_home_care_hours"], [W, T]),
    ("discharge funding ends and more hours", ["increase_home_care_hours", "end_of_discharge_funding"], [], W,
     ["end_of_discharge_funding", "increase_home_care_hours"], [W, T]),
    ("discharge funding ends with a framework provider",
     ["framework_provider_within_limits", "end_of_discharge_funding"], [], W,
     ["end_of_discharge_funding", "framework_provider_within_limits"], [W]),
    ("discharge funding ends and asked to talk", ["person_asked_to_talk", "end_of_discharge_funding"], [], W,
     ["end_of_discharge_funding", "person_asked_to_talk"], [W]),
    ("safeguarding beats everything below it",
     ["stable_low_cost_opted_in", "framework_provider_within_limits", "increase_home_care_hours",
      "open_safeguarding_enquiry"], [], W,
     ["open_safeguarding_enquiry", "increase_home_care_hours", "framework_provider_within_limits",
      "stable_low_cost_opted_in"], [W]),
    ("lacks capacity beats end of reablement", ["end_of_reablement", "lacks_capacity_no_representative"], [], W,
     ["lacks_capacity_no_representative", "end_of_reablement"], [W]),
    ("safety concern and a reported change", ["self_review_reports_change", "safety_concern"], [], W,
     ["safety_concern", "self_review_reports_change"], [W]),
    ("provider, with self-review answered no", ["framework_provider_within_limits"], ["stable_low_cost_opted_in"], P,
     ["framework_provider_within_limits"], [P, W]),
    ("every fact answered yes", CODES, [], W, [rule["code"] for rule in rules()["rules"]], [W]),
]


def facts_of(yes: list[str], no: list[str]) -> dict[str, bool]:
    return {**{code: False for code in no}, **{code: True for code in yes}}


def test_the_golden_table_is_large_enough_and_covers_every_route_and_rule():
    assert len(GOLDEN) >= 25
    assert {case[3] for case in GOLDEN} == set(engine.ROUTES)
    assert {code for case in GOLDEN for code in case[4]} == {rule["code"] for rule in rules()["rules"]}
    assert len({case[0] for case in GOLDEN}) == len(GOLDEN)


@pytest.mark.parametrize(("name", "yes", "no", "route", "fired", "allowed"), GOLDEN, ids=[c[0] for c in GOLDEN])
def test_golden(name, yes, no, route, fired, allowed):
    result = engine.route(facts_of(yes, no))
    assert result.ruleset_version == VERSION
    assert (result.route, list(result.rules_fired), list(result.allowed)) == (route, fired, allowed)
    if fired:
        by_code = {rule["code"]: rule["reason"] for rule in rules()["rules"]}
        assert list(result.reasons) == [by_code[code] for code in fired]
    else:
        assert result.reasons == (rules()["default_reason"],)


def test_the_golden_version_is_the_current_one():
    assert ruleset.current_version(engine.ENGINE) == VERSION


def test_the_example_in_the_module():
    result = engine.route({"stable_low_cost_opted_in": True, "increase_home_care_hours": True})
    assert (result.route, result.allowed) == ("therapy", ("therapy", "worker"))
    assert result.reasons[0].startswith("More home care hours were asked for")
    assert result.to_dict() == {
        "route": "therapy", "allowed": ["therapy", "worker"], "reasons": list(result.reasons),
        "rules_fired": ["increase_home_care_hours", "stable_low_cost_opted_in"], "ruleset_version": VERSION}


# --- precedence -------------------------------------------------------------------------------------------


def test_the_rules_keep_the_precedence_the_issue_asks_for():
    data = rules()
    priority = {rule["code"]: rule["priority"] for rule in data["rules"]}
    route_of = {rule["code"]: rule["route"] for rule in data["rules"]}
    assert {route_of[code] for code in WORKER_ONLY} == {W}
    assert max(priority[code] for code in WORKER_ONLY) < min(
        p for code, p in priority.items() if code not in WORKER_ONLY)
    assert route_of["increase_home_care_hours"] == route_of["double_handed_change"] == route_of["end_of_reablement"] == T
    assert priority["increase_home_care_hours"] == priority["double_handed_change"] < priority["end_of_reablement"]
    assert priority["end_of_reablement"] < priority["framework_provider_within_limits"] < priority[
        "stable_low_cost_opted_in"]
    assert (route_of["framework_provider_within_limits"], route_of["stable_low_cost_opted_in"]) == (P, S)


RULE_PAIRS = [(a["code"], b["code"]) for a in rules()["rules"] for b in rules()["rules"] if a["priority"] < b["priority"]]


@pytest.mark.parametrize(("higher", "lower"), RULE_PAIRS, ids=[f"{a}>{b}" for a, b in RULE_PAIRS])
def test_a_higher_priority_rule_always_decides(higher, lower):
    by_code = {rule["code"]: rule for rule in rules()["rules"]}
    result = engine.route({by_code[higher]["all_of"][0]: True, by_code[lower]["all_of"][0]: True})
    assert result.route == by_code[higher]["route"]
    assert result.rules_fired == (higher, lower)


def test_the_engine_finds_the_worker_only_facts_in_the_file():
    assert engine.worker_only_facts() == frozenset(WORKER_ONLY)


# --- properties ------------------------------------------------------------------------------------------

fact_sets = st.dictionaries(st.sampled_from(CODES), st.booleans())


@given(facts=fact_sets)
def test_self_review_is_never_the_only_route_and_the_route_is_always_on_offer(facts):
    result = engine.route(facts)
    assert result.allowed[0] == result.route
    assert W in result.allowed
    assert len(set(result.allowed)) == len(result.allowed)
    assert result.allowed != (S,)
    if any(facts.get(code) for code in WORKER_ONLY):
        assert result.allowed == (W,)


@given(facts=fact_sets, extra=st.sampled_from(WORKER_ONLY))
def test_adding_a_worker_only_fact_always_gives_a_worker_review(facts, extra):
    result = engine.route({**facts, extra: True})
    assert result.route == W
    assert result.allowed == (W,)
    assert extra in result.rules_fired


@given(facts=fact_sets)
def test_the_route_is_that_of_the_best_priority_rule_fired(facts):
    result = engine.route(facts)
    by_code = {rule["code"]: rule for rule in rules()["rules"]}
    priorities = [by_code[code]["priority"] for code in result.rules_fired]
    assert priorities == sorted(priorities)
    if result.rules_fired:
        assert result.route == by_code[result.rules_fired[0]]["route"]
    else:
        assert result.route == engine.DEFAULT_ROUTE


@given(facts=fact_sets, data=st.data())
def test_the_order_of_facts_does_not_matter(facts, data):
    shuffled = dict(data.draw(st.permutations(list(facts.items()))))
    assert engine.route(shuffled) == engine.route(facts)


@given(facts=fact_sets)
def test_a_no_counts_the_same_as_not_answering(facts):
    yes_only = {code: True for code, value in facts.items() if value}
    assert engine.route(yes_only) == engine.route(facts)


# --- facts that do not fit ----------------------------------------------------------------------------


def test_unknown_fact_codes_are_refused_by_name():
    with pytest.raises(ValueError, match="Unknown review routing facts: has_dog, safety_concer"):
        engine.route({"safety_concer": True, "has_dog": False, "end_of_reablement": True})


@pytest.mark.parametrize("value", ["yes", 1, 0, None, "false"])
def test_facts_must_be_true_or_false(value):
    with pytest.raises(ValueError, match=r"True or False.*end_of_reablement"):
        engine.route({"end_of_reablement": value})


def test_an_explicit_rule_set_is_used_and_pinned():
    old = rules()
    old["version"] = "routing-2025.9"
    old["rules"] = [r for r in old["rules"] if r["code"] != "framework_provider_within_limits"]
    old["facts"] = [f for f in old["facts"] if f["code"] != "framework_provider_within_limits"]
    engine.validate(old)
    assert engine.route({"stable_low_cost_opted_in": True}, old).ruleset_version == "routing-2025.9"
    with pytest.raises(ValueError, match="Unknown review routing facts: framework_provider_within_limits"):
        engine.route({"framework_provider_within_limits": True}, old)
    assert engine.rules_for(VERSION)["version"] == VERSION


# --- helpers for the pages -------------------------------------------------------------------------------


def test_routes_for_the_pages():
    shown = engine.routes()
    assert [r.code for r in shown] == list(engine.ROUTES)
    assert all(r.label and r.led_by and r.description for r in shown)
    assert "once" in engine.route_info(P).led_by  # the provider's link works once
    assert engine.route_label(W) == "Review by a worker"


def test_an_unknown_route_is_a_clear_error():
    with pytest.raises(ValueError, match="'ot' is not a review route; use one of worker, self_review"):
        engine.route_label("ot")


def test_the_facts_are_the_ones_the_issue_asks_for():
    required = {
        "increase_home_care_hours", "double_handed_change", "self_review_reports_change", "safety_concern",
        "open_safeguarding_enquiry", "lacks_capacity_no_representative", "stable_low_cost_opted_in",
        "framework_provider_within_limits", "end_of_reablement", "end_of_discharge_funding", "person_asked_to_talk",
    }
    assert required <= set(CODES)
    assert all(question.endswith("?") for _, question in engine.facts())


# --- plain English ---------------------------------------------------------------------------------------

JARGON = re.compile(r"\b(service users?|clients?|customers?|patients?)\b", re.IGNORECASE)
ABBREVIATIONS = re.compile(r"\b(OT|DP|PB|D2A|TEC|CHC|s42|MSP|SU)\b")


def every_sentence(data: dict) -> list[str]:
    texts = [data["title"], data["default_reason"]]
    texts += [rule["reason"] for rule in data["rules"]]
    texts += [item["question"] for item in data["facts"]]
    texts += [route[key] for route in data["routes"] for key in ("label", "led_by", "description")]
    return texts


def test_the_wording_is_plain_english():
    for text in every_sentence(rules()):
        assert not JARGON.search(text), text
        assert not ABBREVIATIONS.search(text), text
        assert "_" not in text, text  # no codes leak into the wording
        assert text[0].isupper(), text
        assert len(text) <= 120, text
    for text in [rules()["default_reason"], *(rule["reason"] for rule in rules()["rules"])]:
        assert text.endswith("."), text
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
    ("a rule names an unknown route",
     lambda d: rule(d, "end_of_reablement").update(route="occupational_therapy"),
     r"rules\[\d+\] \(end_of_reablement\)\.route: 'occupational_therapy' is not a known route; use worker"),
    ("a rule has no route",
     lambda d: rule(d, "end_of_reablement").pop("route"),
     r"\(end_of_reablement\)\.route: None is not a known route"),
    ("a rule names a fact that is not in the file",
     lambda d: rule(d, "end_of_reablement")["all_of"].append("has_dog"),
     r"rules\[\d+\] \(end_of_reablement\)\.all_of: 'has_dog' is not one of the facts"),
    ("a rule has no trigger",
     lambda d: rule(d, "end_of_reablement").pop("all_of"),
     "say which facts trigger it, with all_of, any_of or both"),
    ("a rule has an empty any_of",
     lambda d: rule(d, "end_of_reablement").update(any_of=[]),
     r"any_of must be a non-empty list of fact codes"),
    ("a rule names a fact twice",
     lambda d: rule(d, "end_of_reablement").update(all_of=["end_of_reablement", "end_of_reablement"]),
     "names the same fact twice"),
    ("a rule has a misspelt key",
     lambda d: rule(d, "end_of_reablement").update(exclude=["provider"]),
     "unknown key 'exclude'; a rule takes all_of, any_of, code"),
    ("a rule has no reason",
     lambda d: rule(d, "end_of_reablement").pop("reason"),
     r"\(end_of_reablement\): `reason` is missing, or not text"),
    ("a rule code is not a code",
     lambda d: rule(d, "end_of_reablement").update(code="End of reablement"),
     r"rules\[\d+\]\.code: 'End of reablement' is not a code"),
    ("two rules share a code",
     lambda d: d["rules"].append(dict(rule(d, "stable_low_cost_opted_in"))),
     "the rule code 'stable_low_cost_opted_in' is used twice"),
    ("a rule has no priority",
     lambda d: rule(d, "end_of_reablement").pop("priority"),
     r"\(end_of_reablement\)\.priority must be a whole number of 1 or more, not None"),
    ("a priority is zero",
     lambda d: rule(d, "open_safeguarding_enquiry").update(priority=0),
     r"priority must be a whole number of 1 or more, not 0"),
    ("a priority is text",
     lambda d: rule(d, "end_of_reablement").update(priority="4"),
     r"priority must be a whole number of 1 or more, not '4'"),
    ("a priority is true",
     lambda d: rule(d, "open_safeguarding_enquiry").update(priority=True),
     r"priority must be a whole number of 1 or more, not True"),
    ("rules out of priority order",
     lambda d: rule(d, "stable_low_cost_opted_in").update(priority=2),
     r"\(stable_low_cost_opted_in\)\.priority is 2, after a rule with priority 5: list the rules in priority order"),
    ("two routes at one priority",
     lambda d: rule(d, "end_of_reablement").update(priority=3, route="worker", excludes=["provider"]),
     r"\(end_of_reablement\): routes to 'worker' but rule 'increase_home_care_hours' has the same priority \(3\)"),
    ("a rule excludes the worker",
     lambda d: rule(d, "end_of_reablement")["excludes"].append("worker"),
     r"\(end_of_reablement\)\.excludes: a worker review can never be excluded"),
    ("a rule excludes its own route",
     lambda d: rule(d, "end_of_reablement")["excludes"].append("therapy"),
     r"\(end_of_reablement\)\.excludes: 'therapy' is this rule's own route"),
    ("a rule excludes an unknown route",
     lambda d: rule(d, "end_of_reablement").update(excludes=["portal"]),
     r"\.excludes: 'portal' is not a known route"),
    ("a rule excludes the route of a rule above it",
     lambda d: rule(d, "framework_provider_within_limits").update(excludes=["therapy"]),
     r"\(framework_provider_within_limits\)\.excludes: 'therapy' is the route of rule 'increase_home_care_hours'"),
    ("an empty excludes",
     lambda d: rule(d, "end_of_reablement").update(excludes=[]),
     "excludes must be a non-empty list of routes, or left out"),
    ("a route is missing",
     lambda d: d["routes"].pop(2),
     "routes: 'provider' is missing; list each of worker, self_review, provider, therapy once"),
    ("an unknown route is listed",
     lambda d: d["routes"].append({**d["routes"][0], "code": "cohort"}),
     r"routes\[4\]\.code: 'cohort' is not a known route"),
    ("a route is listed twice",
     lambda d: d["routes"].append(dict(d["routes"][0])),
     r"routes\[4\]\.code: 'worker' is listed twice"),
    ("a route has no label",
     lambda d: d["routes"][1].pop("label"),
     r"routes\[1\] \(self_review\): `label` is missing"),
    ("a route does not say who leads it",
     lambda d: d["routes"][3].update(led_by=""),
     r"routes\[3\] \(therapy\): `led_by` is missing"),
    ("no default reason",
     lambda d: d.pop("default_reason"),
     "the file: `default_reason` is missing"),
    ("a fact code is used twice",
     lambda d: d["facts"].append(dict(d["facts"][0])),
     "'open_safeguarding_enquiry' is listed twice"),
    ("a fact code is not a code",
     lambda d: d["facts"][0].update(code="Open enquiry"),
     r"facts\[0\]\.code: 'Open enquiry' is not a code"),
    ("a fact has no question",
     lambda d: d["facts"][0].pop("question"),
     r"facts\[0\]: `question` is missing"),
    ("a fact no rule uses",
     lambda d: d["facts"].append({"code": "has_dog", "question": "Has a dog?"}),
     "facts: 'has_dog' is asked but no rule uses it"),
    ("no rules",
     lambda d: d.update(rules=[]),
     "`rules` is missing, or not a non-empty list"),
    ("a rule is not a mapping",
     lambda d: d["rules"].append("worker"),
     r"rules\[\d+\] must be a mapping"),
]


@pytest.mark.parametrize(("name", "edit", "message"), INVALID, ids=[i[0] for i in INVALID])
def test_invalid_rule_sets_are_refused_with_clear_messages(name, edit, message):
    with pytest.raises(ruleset.RuleSetError, match=message):
        engine.validate(edited(edit))


def test_rule_set_errors_are_value_errors():
    assert issubclass(ruleset.RuleSetError, ValueError)


def load_from(tmp_path, monkeypatch, version: str, data: dict):
    """Write `data` as <tmp>/review_routing/<version>.yaml and load it the way start-up does."""
    folder = tmp_path / engine.ENGINE
    folder.mkdir(exist_ok=True)
    (folder / f"{version}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(ruleset, "RULES_DIR", tmp_path)
    ruleset.load.cache_clear()
    try:
        return ruleset.load(engine.ENGINE, version)
    finally:
        ruleset.load.cache_clear()


ON_DISK = [case for case in INVALID if case[0] in (
    "a rule names an unknown route", "two rules share a code", "a route is missing", "a rule has no priority")]


@pytest.mark.parametrize(("name", "edit", "message"), ON_DISK, ids=[i[0] for i in ON_DISK])
def test_an_invalid_rule_file_on_disk_stops_loading_with_its_name(tmp_path, monkeypatch, name, edit, message):
    data = edited(edit)
    data["version"] = "broken-1"
    with pytest.raises(ruleset.RuleSetError, match=r"review_routing/broken-1\.yaml: ") as refused:
        load_from(tmp_path, monkeypatch, "broken-1", data)
    assert re.search(message, str(refused.value)), refused.value


def test_a_file_missing_a_top_level_key_is_refused_by_name(tmp_path, monkeypatch):
    data = edited(lambda d: d.pop("facts"))
    data["version"] = "broken-2"
    with pytest.raises(ruleset.RuleSetError, match=r"broken-2\.yaml: the file: `facts` is missing"):
        load_from(tmp_path, monkeypatch, "broken-2", data)


def test_a_valid_copy_on_disk_loads_and_routes(tmp_path, monkeypatch):
    data = edited(lambda d: rule(d, "framework_provider_within_limits").update(excludes=["self_review"]))
    data["version"] = "council-2027.1"
    loaded = load_from(tmp_path, monkeypatch, "council-2027.1", data)
    result = engine.route({"framework_provider_within_limits": True, "stable_low_cost_opted_in": True}, loaded)
    assert (result.route, result.allowed, result.ruleset_version) == (P, (P, W), "council-2027.1")
