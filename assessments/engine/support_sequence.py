"""The support sequence engine: for each outcome, which steps before formal support have been considered,
what is missing, and whether formal support is justified.

Pure: plain frozen dataclasses in, a plain result with a plain-English trace out; no database and no I/O
other than the versioned rule file (assessments/rules/support_sequence/), which holds the policy: the
steps in order with their questions, which steps are required, the decisions tried in order, the flags
and every sentence of the explanation. This module holds only the facts the decisions are made of.

Input rules where the API contract is silent (the same here and at POST /api/v1/rules/support-sequence/):
- A step counts as considered only when it is marked considered and its note is not blank. A step that
  is left out counts as not considered, and so does `done_differently` when it is left out.
- How well a step meets the outcome is read only when the step counts as considered. A considered step
  whose `meets` is not recorded (None) does not meet the outcome fully; the API refuses this, so only
  callers inside CareCase (a form saving a draft) can send it.
- `done_differently` is required only for people with existing support; when it is recorded for anyone
  else it is shown in the explanation but never changes the status.
- A crisis override counts only when its reason is not blank.
- Outcome codes are not restricted to the eligibility outcomes: they may be the person's own goals.
- With no outcomes, nothing is ready for approval.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import ruleset

ENGINE = "support_sequence"

# The step codes and answers are the API's field names: a contract with other systems. A rule file may
# reorder and reword the steps, but not rename them.
STEP_CODES = ("own_strengths", "technology_equipment", "family_friends", "community_universal", "done_differently")
MEETS = ("fully", "partly", "no")
FULLY = "fully"
STATUSES = ("met_without_formal_support", "formal_support_justified", "formal_support_not_justified", "incomplete")
CONDITIONS = (
    "formal_support_requested",
    "a_step_meets_fully",
    "every_required_step_considered",
    "crisis_override_given",
)
DECISION_PLACEHOLDERS = frozenset({"fully_meeting", "missing", "next_step", "next_question", "reason"})
STEP_PLACEHOLDERS = frozenset({"step", "question", "note", "meets"})
STEP_EXPLANATIONS = (
    "considered",
    "considered_without_meets",
    "considered_without_note",
    "note_without_considered",
    "not_considered",
    "not_required",
)


# --- input and result ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepAnswer:
    """What was recorded for one step of one outcome."""

    considered: bool = False
    note: str = ""
    meets: str | None = None  # "fully", "partly" or "no"; read only when the step counts as considered

    @property
    def counts(self) -> bool:
        """Considered, with a note saying what was found: only then does the step count."""
        return self.considered and bool(self.note.strip())


@dataclass(frozen=True, slots=True)
class OutcomeAnswers:
    code: str
    existing_support: bool = False
    steps: Mapping[str, StepAnswer] = field(default_factory=dict)  # own_strengths ... community_universal
    done_differently: StepAnswer | None = None
    formal_support_requested: bool = False
    crisis_override_reason: str | None = None  # None when there is no crisis override

    def answer(self, step: str) -> StepAnswer | None:
        return self.done_differently if step == "done_differently" else self.steps.get(step)


@dataclass(frozen=True, slots=True)
class SequenceRequest:
    outcomes: tuple[OutcomeAnswers, ...] = ()


@dataclass(frozen=True, slots=True)
class OutcomeResult:
    code: str
    status: str
    next_step: str | None
    missing: tuple[str, ...]
    flags: tuple[str, ...]
    explanation: tuple[str, ...]
    decision: str  # the id of the rule-file decision that gave the status: the trace's "which rule fired"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "status": self.status,
            "next_step": self.next_step,
            "missing": list(self.missing),
            "flags": list(self.flags),
            "explanation": list(self.explanation),
        }


@dataclass(frozen=True, slots=True)
class SequenceResult:
    ready_for_approval: bool
    outcomes: tuple[OutcomeResult, ...]
    ruleset_version: str

    def to_dict(self) -> dict[str, Any]:
        """The answer of POST /api/v1/rules/support-sequence/."""
        return {
            "ready_for_approval": self.ready_for_approval,
            "outcomes": [outcome.to_dict() for outcome in self.outcomes],
            "ruleset_version": self.ruleset_version,
        }


def request_from_dict(data: Mapping[str, Any]) -> SequenceRequest:
    """A request in the API's shape (already validated) as the engine's input."""

    def step(answer: Mapping[str, Any] | None) -> StepAnswer | None:
        if answer is None:
            return None
        return StepAnswer(considered=answer["considered"], note=answer.get("note", ""), meets=answer.get("meets"))

    outcomes = []
    for outcome in data["outcomes"]:
        crisis = outcome.get("crisis_override")
        outcomes.append(
            OutcomeAnswers(
                code=outcome["code"],
                existing_support=outcome["existing_support"],
                steps={code: step(answer) for code, answer in outcome.get("steps", {}).items()},
                done_differently=step(outcome.get("done_differently")),
                formal_support_requested=outcome["formal_support_requested"],
                crisis_override_reason=None if crisis is None else crisis["reason"],
            )
        )
    return SequenceRequest(outcomes=tuple(outcomes))


# --- the rule file, compiled once ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Step:
    code: str
    name: str
    in_sentence: str  # the name inside a sentence: "technology and equipment"
    question: str
    records_meets: bool


@dataclass(frozen=True, slots=True)
class _Rule:
    id: str  # a decision's id, or a flag's code
    when: tuple[tuple[str, bool], ...]
    status: str
    explanation: str

    def applies(self, facts: Mapping[str, bool]) -> bool:
        return all(facts[condition] is wanted for condition, wanted in self.when)


@dataclass(frozen=True, slots=True)
class _Compiled:
    version: str
    steps: tuple[_Step, ...]
    always: frozenset[str]
    when_existing_support: frozenset[str]
    meets: Mapping[str, str]
    ready_statuses: frozenset[str]
    decisions: tuple[_Rule, ...]
    flags: tuple[_Rule, ...]
    step_explanations: Mapping[str, str]


def _compile(rules: Mapping[str, Any]) -> _Compiled:
    def rule(entry: Mapping[str, Any], key: str) -> _Rule:
        return _Rule(
            id=entry[key],
            when=tuple((condition, bool(wanted)) for condition, wanted in entry["when"].items()),
            status=entry.get("status", ""),
            explanation=" ".join(entry["explanation"].split()),
        )

    return _Compiled(
        version=str(rules["version"]),
        steps=tuple(
            _Step(s["code"], s["name"], s["name"][:1].lower() + s["name"][1:], s["question"], s["records_meets"])
            for s in rules["steps"]
        ),
        always=frozenset(rules["required_steps"]["always"]),
        when_existing_support=frozenset(rules["required_steps"].get("when_existing_support", ())),
        meets=dict(rules["meets"]),
        ready_statuses=frozenset(rules["ready_statuses"]),
        decisions=tuple(rule(d, "id") for d in rules["decisions"]),
        flags=tuple(rule(f, "code") for f in rules.get("flags", ())),
        step_explanations={k: " ".join(v.split()) for k, v in rules["step_explanations"].items()},
    )


# Keyed by the rule set's identity; the rule set is kept alongside so its id is never reused.
_compiled: dict[int, tuple[Mapping[str, Any], _Compiled]] = {}


def _compiled_rules(rules: Mapping[str, Any]) -> _Compiled:
    cached = _compiled.get(id(rules))
    if cached is None or cached[0] is not rules:
        cached = (rules, _compile(rules))
        _compiled[id(rules)] = cached
    return cached[1]


# --- evaluation ----------------------------------------------------------------------------------------


def evaluate(request: SequenceRequest, rules: Mapping[str, Any] | None = None) -> SequenceResult:
    """Evaluate every outcome of `request` under `rules` (the current rule set when not given)."""
    compiled = _compiled_rules(ruleset.current(ENGINE) if rules is None else rules)
    outcomes = tuple(_evaluate_outcome(outcome, compiled) for outcome in request.outcomes)
    ready = bool(outcomes) and all(outcome.status in compiled.ready_statuses for outcome in outcomes)
    return SequenceResult(ready_for_approval=ready, outcomes=outcomes, ruleset_version=compiled.version)


def _evaluate_outcome(outcome: OutcomeAnswers, rules: _Compiled) -> OutcomeResult:
    templates = rules.step_explanations
    explanation: list[str] = []
    missing: list[_Step] = []
    fully_meeting: list[_Step] = []
    for step in rules.steps:
        answer = outcome.answer(step.code)
        required = step.code in rules.always or (outcome.existing_support and step.code in rules.when_existing_support)
        if not required:
            if answer is not None and answer.counts:
                explanation.append(templates["not_required"].format(
                    step=step.name, question=step.question, note=answer.note.strip(), meets=""))
            continue
        if answer is not None and answer.counts:
            note = answer.note.strip()
            if step.records_meets:
                if answer.meets == FULLY:
                    fully_meeting.append(step)
                meets = rules.meets.get(answer.meets or "not_recorded", rules.meets["not_recorded"])
                line = templates["considered"].format(step=step.name, question=step.question, note=note, meets=meets)
            else:
                line = templates["considered_without_meets"].format(
                    step=step.name, question=step.question, note=note, meets="")
        else:
            missing.append(step)
            if answer is not None and answer.considered:
                key = "considered_without_note"
            elif answer is not None and answer.note.strip():
                key = "note_without_considered"
            else:
                key = "not_considered"
            line = templates[key].format(step=step.name, question=step.question, note="", meets="")
        explanation.append(line)

    reason = (outcome.crisis_override_reason or "").strip()
    facts = {
        "formal_support_requested": outcome.formal_support_requested,
        "a_step_meets_fully": bool(fully_meeting),
        "every_required_step_considered": not missing,
        "crisis_override_given": bool(reason),
    }
    values = {
        "fully_meeting": "; ".join(step.in_sentence for step in fully_meeting) or "none",
        "missing": "; ".join(step.in_sentence for step in missing) or "none",
        "next_step": missing[0].in_sentence if missing else "none",
        "next_question": missing[0].question if missing else "",
        "reason": reason,
    }
    # The rule file's last decision has no conditions, so one always applies.
    decision = next(rule for rule in rules.decisions if rule.applies(facts))
    explanation.append(decision.explanation.format(**values))
    flags = []
    for flag in rules.flags:
        if flag.applies(facts):
            flags.append(flag.id)
            explanation.append(flag.explanation.format(**values))
    return OutcomeResult(
        code=outcome.code,
        status=decision.status,
        next_step=missing[0].code if missing else None,
        missing=tuple(step.code for step in missing),
        flags=tuple(flags),
        explanation=tuple(explanation),
        decision=decision.id,
    )


# --- validating a rule file ------------------------------------------------------------------------------


def _fail(message: str) -> None:
    raise ruleset.RuleSetError(message)


def _placeholders(template: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise ruleset.RuleSetError(f"the explanation {template!r} has a stray brace: {exc}") from exc


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        _fail(f"{where} must be some text")
    return value


def _template(value: Any, where: str, allowed: Iterable[str]) -> None:
    unknown = _placeholders(_text(value, where)) - set(allowed)
    if unknown:
        _fail(f"{where} uses {', '.join('{' + u + '}' for u in sorted(unknown))}, which the engine does not "
              f"fill in; use only {', '.join('{' + a + '}' for a in sorted(allowed))}")


def _conditions(when: Any, where: str) -> None:
    if not isinstance(when, Mapping):
        _fail(f"{where} `when` must be a mapping of conditions to true or false (or {{}} for always)")
    for condition, wanted in when.items():
        if condition not in CONDITIONS:
            _fail(f"{where} has an unknown condition {condition!r}; the engine knows {', '.join(CONDITIONS)}")
        if not isinstance(wanted, bool):
            _fail(f"{where} condition {condition!r} must be true or false, not {wanted!r}")


def validate(data: Mapping[str, Any]) -> None:
    """Check a support sequence rule file, raising RuleSetError that says what is wrong and where."""
    for key in ("steps", "required_steps", "meets", "statuses", "ready_statuses", "decisions", "step_explanations"):
        if key not in data:
            _fail(f"the rule set has no `{key}`")

    steps = data["steps"]
    if not isinstance(steps, list | tuple) or not steps:
        _fail("`steps` must be a list of the steps in order")
    codes: list[str] = []
    for index, step in enumerate(steps, start=1):
        where = f"step {index}"
        if not isinstance(step, Mapping):
            _fail(f"{where} must be a mapping with code, name, question and records_meets")
        code = step.get("code")
        if code not in STEP_CODES:
            _fail(f"{where} has code {code!r}; step codes are the API's field names and must be one of "
                  f"{', '.join(STEP_CODES)}")
        if code in codes:
            _fail(f"{where}: the step {code!r} is listed twice")
        codes.append(code)
        _text(step.get("name"), f"step {code!r} name")
        _text(step.get("question"), f"step {code!r} question")
        if not isinstance(step.get("records_meets"), bool):
            _fail(f"step {code!r} records_meets must be true or false")
    if set(codes) != set(STEP_CODES):
        _fail(f"`steps` is missing {', '.join(c for c in STEP_CODES if c not in codes)}")

    required = data["required_steps"]
    if not isinstance(required, Mapping) or not isinstance(required.get("always"), list | tuple):
        _fail("`required_steps` must have `always`, a list of step codes, and may have `when_existing_support`")
    always = list(required["always"])
    extra = list(required.get("when_existing_support") or [])
    for code in always + extra:
        if code not in codes:
            _fail(f"`required_steps` names {code!r}, which is not one of the steps")
    if set(always) & set(extra):
        _fail(f"`required_steps` lists {', '.join(sorted(set(always) & set(extra)))} both always and when "
              "existing support")
    if not always:
        _fail("`required_steps.always` must name at least one step")

    meets = data["meets"]
    if not isinstance(meets, Mapping) or set(meets) != {*MEETS, "not_recorded"}:
        _fail(f"`meets` must give the wording for exactly {', '.join(MEETS)} and not_recorded")
    for key, words in meets.items():
        _text(words, f"meets {key!r}")

    statuses = data["statuses"]
    if not isinstance(statuses, Mapping) or set(statuses) != set(STATUSES):
        _fail(f"`statuses` must describe exactly {', '.join(STATUSES)} (the API's status codes)")
    for status, words in statuses.items():
        _text(words, f"status {status!r}")
    ready = data["ready_statuses"]
    if not isinstance(ready, list | tuple) or not ready or any(s not in statuses for s in ready):
        _fail("`ready_statuses` must list statuses from `statuses`")

    decisions = data["decisions"]
    if not isinstance(decisions, list | tuple) or not decisions:
        _fail("`decisions` must be a list, tried in order")
    ids: set[str] = set()
    for index, decision in enumerate(decisions, start=1):
        if not isinstance(decision, Mapping):
            _fail(f"decision {index} must be a mapping with id, when, status and explanation")
        where = f"decision {decision.get('id') or index!r}"
        _text(decision.get("id"), f"decision {index} id")
        if decision["id"] in ids:
            _fail(f"{where}: the id is used twice")
        ids.add(decision["id"])
        _conditions(decision.get("when"), where)
        if decision.get("status") not in statuses:
            _fail(f"{where} gives the status {decision.get('status')!r}, which is not in `statuses`")
        _template(decision.get("explanation"), f"{where} explanation", DECISION_PLACEHOLDERS)
    if decisions[-1]["when"]:
        _fail("the last decision must have no conditions (when: {}), so that every outcome gets a status")

    flags = data.get("flags") or []
    if not isinstance(flags, list | tuple):
        _fail("`flags` must be a list")
    for index, flag in enumerate(flags, start=1):
        if not isinstance(flag, Mapping):
            _fail(f"flag {index} must be a mapping with code, when and explanation")
        where = f"flag {flag.get('code') or index!r}"
        _text(flag.get("code"), f"flag {index} code")
        _conditions(flag.get("when"), where)
        _template(flag.get("explanation"), f"{where} explanation", DECISION_PLACEHOLDERS)

    explanations = data["step_explanations"]
    if not isinstance(explanations, Mapping):
        _fail("`step_explanations` must be a mapping")
    for key in STEP_EXPLANATIONS:
        if key not in explanations:
            _fail(f"`step_explanations` has no {key!r}")
        _template(explanations[key], f"step explanation {key!r}", STEP_PLACEHOLDERS)


ruleset.register_validator(ENGINE, validate)
