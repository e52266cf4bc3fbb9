"""The support sequence engine: golden cases, properties, explanations and rule-file validation.

No database: the engine is pure."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from assessments.engine import ruleset
from assessments.engine import support_sequence as engine
from assessments.engine.support_sequence import OutcomeAnswers, SequenceRequest, StepAnswer

GOLDEN_FILE = Path(__file__).parent / "golden" / "support_sequence.yaml"
GOLDEN = yaml.safe_load(GOLDEN_FILE.read_text(encoding="utf-8"))
CASES = GOLDEN["cases"]
BASE_STEPS = ("own_strengths", "technology_equipment", "family_friends", "community_universal")
READY = {"met_without_formal_support", "formal_support_justified"}


def check_against_golden(answer: dict, expect: dict) -> None:
    """`answer` is the engine's or the API's answer in the contract's shape."""
    assert answer["ruleset_version"] == GOLDEN["ruleset_version"]
    assert answer["ready_for_approval"] is expect["ready_for_approval"]
    got = [{key: outcome[key] for key in ("code", "status", "next_step", "missing", "flags")}
           for outcome in answer["outcomes"]]
    assert got == expect["outcomes"]
    for outcome in answer["outcomes"]:
        assert outcome["explanation"] and all(isinstance(line, str) and line for line in outcome["explanation"])
    for text in expect.get("explanation_includes", []):
        assert any(text in line for line in answer["outcomes"][0]["explanation"]), (text, answer["outcomes"][0])


def rules() -> dict:
    """A private, editable copy of the current rule file, as read from disk."""
    path = ruleset.RULES_DIR / engine.ENGINE / f"{ruleset.current_version(engine.ENGINE)}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def outcome(code="nutrition", **kwargs) -> OutcomeAnswers:
    return OutcomeAnswers(code=code, **kwargs)


def evaluate_one(answers: OutcomeAnswers, rule_set=None):
    return engine.evaluate(SequenceRequest((answers,)), rule_set).outcomes[0]


PARTLY = StepAnswer(considered=True, meets="partly", note="Helps a little")
FULLY = StepAnswer(considered=True, meets="fully", note="Covers it")


# --- golden cases ----------------------------------------------------------------------------------------


def test_the_golden_table_is_large_enough_and_covers_every_decision():
    assert len(CASES) >= 40
    decisions = set()
    for case in CASES:
        result = engine.evaluate(engine.request_from_dict(case["request"]))
        decisions |= {o.decision for o in result.outcomes}
    assert decisions == {d["id"] for d in engine.ruleset.current(engine.ENGINE)["decisions"]}


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_golden_case(case):
    result = engine.evaluate(engine.request_from_dict(case["request"]))
    check_against_golden(result.to_dict(), case["expect"])


def test_the_golden_file_pins_the_current_rule_set():
    # When the rules change, add a new golden file for the new version rather than editing this one.
    assert GOLDEN["ruleset_version"] == ruleset.current_version(engine.ENGINE)


# --- results and explanations ----------------------------------------------------------------------------


def test_to_dict_has_exactly_the_contract_fields():
    result = engine.evaluate(SequenceRequest((outcome(steps={"own_strengths": PARTLY}),)))
    answer = result.to_dict()
    assert set(answer) == {"ready_for_approval", "outcomes", "ruleset_version"}
    assert set(answer["outcomes"][0]) == {"code", "status", "next_step", "missing", "flags", "explanation"}
    assert answer["outcomes"][0]["missing"] == ["technology_equipment", "family_friends", "community_universal"]


def test_results_and_inputs_are_frozen():
    result = engine.evaluate(SequenceRequest((outcome(),)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.ready_for_approval = True  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        PARTLY.considered = False  # type: ignore[misc]


def test_the_explanation_is_a_readable_trace_in_step_order():
    answers = outcome(
        existing_support=True,
        steps={
            "own_strengths": StepAnswer(True, "Makes drinks and cold snacks", "partly"),
            "technology_equipment": StepAnswer(True, "Perching stool and a microwave", "no"),
            "family_friends": StepAnswer(True, "   ", "fully"),
        },
        formal_support_requested=True,
    )
    lines = evaluate_one(answers).explanation
    assert lines[0] == "Own strengths: considered, meets the outcome partly (note: Makes drinks and cold snacks)"
    assert lines[1] == "Technology and equipment: considered, does not meet the outcome (note: Perching stool and a microwave)"
    assert lines[2].startswith("Family, friends and neighbours: marked as considered, but there is no note")
    assert lines[3].startswith("Community, universal and health services: not considered yet. What exists locally")
    assert lines[4].startswith("Doing things differently: not considered yet. Could anything about the support")
    assert lines[5] == (
        "Formal support cannot be justified yet, because not every step has been considered. Still to consider: "
        "family, friends and neighbours; community, universal and health services; doing things differently. "
        "Next, family, friends and neighbours: Can anyone in the person's network help, if they are willing and "
        "able and the person agrees?"
    )
    assert len(lines) == 6


def test_a_considered_step_without_meets_is_not_a_full_meet():
    # Only callers inside CareCase can send this (the API requires meets on a considered step).
    answers = outcome(steps=dict.fromkeys(BASE_STEPS, StepAnswer(True, "Looked at it")), formal_support_requested=True)
    result = evaluate_one(answers)
    assert result.status == "formal_support_justified"
    assert "whether it meets the outcome is not recorded" in result.explanation[0]


def test_notes_with_braces_are_shown_as_written():
    result = evaluate_one(outcome(steps={"own_strengths": StepAnswer(True, "Uses {a} timer", "fully")},
                                  formal_support_requested=True, crisis_override_reason="{reason}"))
    assert "(note: Uses {a} timer)" in result.explanation[0]
    assert any("({reason})" in line for line in result.explanation)


def test_the_steps_and_doing_things_differently_may_be_left_out():
    result = evaluate_one(OutcomeAnswers(code="nutrition", existing_support=True))
    assert result.missing == (*BASE_STEPS, "done_differently")
    assert result.status == "incomplete"


# --- the rule file is the policy -------------------------------------------------------------------------


def test_a_rule_set_passed_in_is_used_and_named_in_the_result():
    changed = rules()
    changed["version"] = "sequence-test.1"
    # A council that asks about technology before own strengths: the order is policy.
    changed["steps"][0], changed["steps"][1] = changed["steps"][1], changed["steps"][0]
    engine.validate(changed)
    frozen = ruleset._freeze(changed)
    result = engine.evaluate(SequenceRequest((outcome(),)), frozen)
    assert result.ruleset_version == "sequence-test.1"
    assert result.outcomes[0].missing[:2] == ("technology_equipment", "own_strengths")
    assert result.outcomes[0].next_step == "technology_equipment"


def test_the_wording_comes_from_the_rule_file():
    changed = rules()
    changed["step_explanations"]["considered"] = "{step} looked at: {meets}. {note}"
    result = evaluate_one(outcome(steps={"own_strengths": PARTLY}), ruleset._freeze(changed))
    assert result.explanation[0] == "Own strengths looked at: meets the outcome partly. Helps a little"


# --- rule-file validation --------------------------------------------------------------------------------


def _drop(key):
    def change(data):
        del data[key]
    return change


def _set(path, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


BAD_RULES = [
    (_drop("decisions"), "the rule set has no `decisions`"),
    (_set(("steps", 0, "code"), "own_strength"), "step 1 has code 'own_strength'; step codes are the API's field names"),
    (_set(("steps", 4), {"code": "own_strengths", "name": "Again", "question": "?", "records_meets": True}),
     "the step 'own_strengths' is listed twice"),
    (lambda d: d["steps"].pop(), "`steps` is missing done_differently"),
    (_set(("steps", 1, "question"), "  "), "step 'technology_equipment' question must be some text"),
    (_set(("steps", 2, "records_meets"), "yes"), "step 'family_friends' records_meets must be true or false"),
    (_set(("required_steps", "always"), ["own_strengths", "doing_more"]),
     "`required_steps` names 'doing_more', which is not one of the steps"),
    (_set(("required_steps", "when_existing_support"), ["own_strengths"]),
     "`required_steps` lists own_strengths both always and when existing support"),
    (lambda d: d["meets"].pop("partly"), "`meets` must give the wording for exactly fully, partly, no and not_recorded"),
    (lambda d: d["statuses"].pop("incomplete"), "`statuses` must describe exactly"),
    (_set(("ready_statuses",), ["met_without_formal_support", "ready"]), "`ready_statuses` must list statuses"),
    (_set(("decisions", 0, "when"), {"formal_support_asked": True}),
     "decision 'formal_support_not_needed' has an unknown condition 'formal_support_asked'"),
    (_set(("decisions", 0, "when", "formal_support_requested"), "yes"),
     "condition 'formal_support_requested' must be true or false"),
    (_set(("decisions", 1, "status"), "justified"),
     "decision 'formal_support_after_every_step' gives the status 'justified', which is not in `statuses`"),
    (_set(("decisions", 2, "explanation"), "Justified because {reasn}."),
     "decision 'formal_support_in_crisis' explanation uses {reasn}, which the engine does not fill in"),
    (_set(("decisions", 2, "explanation"), "Justified because {reason."), "has a stray brace"),
    (_set(("decisions", 1, "id"), "formal_support_not_needed"), "the id is used twice"),
    (lambda d: d["decisions"].pop(), "the last decision must have no conditions"),
    (_set(("flags", 0, "explanation"), "Flagged: {note}"), "flag 'crisis_override' explanation uses {note}"),
    (lambda d: d["step_explanations"].pop("not_required"), "`step_explanations` has no 'not_required'"),
    (_set(("step_explanations", "considered"), "{step}: {missing}"),
     "step explanation 'considered' uses {missing}, which the engine does not fill in"),
]


@pytest.mark.parametrize(("change", "message"), BAD_RULES, ids=[message for _, message in BAD_RULES])
def test_an_invalid_rule_file_is_refused_with_a_clear_message(tmp_path, change, message):
    data = rules()
    change(data)
    bad_file = tmp_path / "sequence-bad.1.yaml"
    bad_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ruleset.RuleSetError) as refused:
        engine.validate(yaml.safe_load(bad_file.read_text(encoding="utf-8")))
    assert message in str(refused.value)


def test_start_up_names_the_bad_file_and_the_problem(tmp_path, monkeypatch):
    data = rules()
    data["version"] = "sequence-bad.1"
    data["decisions"][0]["status"] = "maybe"
    folder = tmp_path / engine.ENGINE
    folder.mkdir()
    (folder / "sequence-bad.1.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(ruleset, "RULES_DIR", tmp_path)
    # load() is cached; its undecorated function reads the file afresh.
    with pytest.raises(ruleset.RuleSetError) as refused:
        ruleset.load.__wrapped__(engine.ENGINE, "sequence-bad.1")
    assert str(folder / "sequence-bad.1.yaml") in str(refused.value)
    assert "gives the status 'maybe', which is not in `statuses`" in str(refused.value)


def test_the_shipped_rule_file_is_valid_and_read_only():
    current = ruleset.current(engine.ENGINE)
    engine.validate(rules())
    with pytest.raises(TypeError):
        current["steps"][0]["code"] = "changed"  # type: ignore[index]


# --- properties ------------------------------------------------------------------------------------------

NOTES = st.sampled_from(["", " ", "\t\n", "Daughter shops weekly", "Declined"])
steps_answers = st.builds(StepAnswer, considered=st.booleans(), note=NOTES, meets=st.sampled_from(engine.MEETS))
differently_answers = st.builds(StepAnswer, considered=st.booleans(), note=NOTES, meets=st.none())
outcomes = st.builds(
    OutcomeAnswers,
    code=st.text(min_size=1, max_size=12),
    existing_support=st.booleans(),
    steps=st.dictionaries(st.sampled_from(BASE_STEPS), steps_answers),
    done_differently=st.none() | differently_answers,
    formal_support_requested=st.booleans(),
    crisis_override_reason=st.none() | st.sampled_from(["", "  ", "Carer breakdown", " Risk to life "]),
)
requests = st.lists(outcomes, max_size=6).map(lambda items: SequenceRequest(tuple(items)))


def counts(answer: StepAnswer | None) -> bool:
    return answer is not None and answer.considered and answer.note.strip() != ""


def required(answers: OutcomeAnswers) -> list[str]:
    return [*BASE_STEPS, "done_differently"] if answers.existing_support else list(BASE_STEPS)


def expected_status(answers: OutcomeAnswers) -> str:
    """The contract's (a) to (f), written out independently of the rule file."""
    needed = required(answers)
    considered = [step for step in needed if counts(answers.answer(step))]
    fully = any(answers.answer(step).meets == "fully" for step in considered if step != "done_differently")
    all_considered = len(considered) == len(needed)
    crisis = bool((answers.crisis_override_reason or "").strip())
    if answers.formal_support_requested:
        if fully:
            return "formal_support_not_justified"
        if all_considered or crisis:
            return "formal_support_justified"
        return "incomplete"
    return "met_without_formal_support" if fully or all_considered else "incomplete"


@given(outcomes)
def test_status_follows_the_contract(answers):
    assert evaluate_one(answers).status == expected_status(answers)


@given(outcomes)
def test_missing_is_the_required_steps_not_considered_in_order_and_next_step_is_its_first(answers):
    result = evaluate_one(answers)
    needed = required(answers)
    assert list(result.missing) == [step for step in needed if not counts(answers.answer(step))]
    assert set(result.missing) <= set(needed)
    assert list(result.missing) == sorted(result.missing, key=needed.index)
    assert result.next_step == (result.missing[0] if result.missing else None)
    if not answers.existing_support:
        assert "done_differently" not in result.missing


@given(outcomes)
def test_the_crisis_flag_is_raised_exactly_when_formal_support_is_requested_with_a_reason(answers):
    flagged = answers.formal_support_requested and bool((answers.crisis_override_reason or "").strip())
    assert evaluate_one(answers).flags == (("crisis_override",) if flagged else ())


@given(outcomes, st.sampled_from([*BASE_STEPS, "done_differently"]), st.sampled_from(engine.MEETS))
def test_considering_one_more_step_never_undoes_a_met_outcome(answers, step, meets):
    before = evaluate_one(answers)
    more = _with_step_considered(answers, step, meets)
    after = evaluate_one(more)
    if before.status == "met_without_formal_support":
        assert after.status == "met_without_formal_support"
    assert set(after.missing) <= set(before.missing)


@given(outcomes, st.sampled_from([*BASE_STEPS, "done_differently"]), st.sampled_from(["partly", "no"]))
def test_considering_one_more_step_that_does_not_fully_meet_keeps_formal_support_justified(answers, step, meets):
    before = evaluate_one(answers)
    after = evaluate_one(_with_step_considered(answers, step, meets))
    if before.status == "formal_support_justified":
        assert after.status == "formal_support_justified"


@given(outcomes, st.sampled_from(BASE_STEPS), st.sampled_from(engine.MEETS))
def test_how_well_a_step_meets_the_outcome_is_not_read_unless_it_counts(answers, step, meets):
    answer = answers.steps.get(step)
    if counts(answer):
        return
    changed = dataclasses.replace(
        answers, steps={**answers.steps, step: dataclasses.replace(answer or StepAnswer(), meets=meets)}
    )
    before, after = evaluate_one(answers), evaluate_one(changed)
    assert (before.status, before.missing, before.flags) == (after.status, after.missing, after.flags)


@given(requests)
def test_ready_for_approval_only_when_every_outcome_is_met_or_justified(request):
    result = engine.evaluate(request)
    statuses = [outcome.status for outcome in result.outcomes]
    assert result.ready_for_approval == (bool(statuses) and all(status in READY for status in statuses))
    if any(status in {"incomplete", "formal_support_not_justified"} for status in statuses):
        assert result.ready_for_approval is False
    assert [outcome.code for outcome in result.outcomes] == [answers.code for answers in request.outcomes]


@given(outcomes)
def test_the_explanation_has_a_line_for_each_required_step_then_the_decision(answers):
    result = evaluate_one(answers)
    needed = required(answers)
    extra = 1 if (not answers.existing_support and counts(answers.done_differently)) else 0
    assert len(result.explanation) == len(needed) + extra + 1 + len(result.flags)
    assert all(line.strip() == line and line for line in result.explanation)


def _with_step_considered(answers: OutcomeAnswers, step: str, meets: str) -> OutcomeAnswers:
    """`answers` with one step that did not count yet now considered, with a note."""
    assume(not counts(answers.answer(step)))
    if step == "done_differently":
        return dataclasses.replace(answers, done_differently=StepAnswer(True, "Could swap a visit for a group"))
    return dataclasses.replace(answers, steps={**answers.steps, step: StepAnswer(True, "Now looked at", meets)})

