"""The Care Act eligibility test for adults and for carers, as a pure function over a versioned rule set.

The policy (outcome codes, the grounds for "unable to achieve", the thresholds, the conditions and every
word of the explanations) lives in assessments/rules/eligibility/<version>.yaml; this module only
evaluates it. No database and no I/O beyond reading the rule file through `ruleset`.

    result = evaluate(EligibilityAnswers(kind="adult", impairment_or_illness=True,
                                         significant_impact_on_wellbeing=True,
                                         outcomes={"nutrition": "unable_without_assistance"}))
    result.eligible, result.to_dict()

Whether someone else currently meets a need is deliberately not an answer: eligibility is decided as
though nobody were helping, so a need a family carer meets today still counts.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from . import ruleset

ENGINE = "eligibility"

# The yes-or-no answers the engine can be given. A rule file chooses which each kind asks.
QUESTIONS = ("impairment_or_illness", "necessary_care", "health_at_risk", "significant_impact_on_wellbeing")

# The two tests a condition can be made of: a yes-or-no answer, or enough unachieved outcomes.
TEST_ANSWER = "answer"
TEST_UNACHIEVED = "unachieved_outcomes"
AT_LEAST_MIN = "at_least_min"

PLACEHOLDERS = frozenset({"count", "outcomes", "total", "min_unachieved"})
WORDING_FORMS = ("none", "one", "other")
CODE = ruleset.CODE


class InvalidAnswers(ValueError):
    """The answers do not fit the rule set. `errors` holds plain-English field errors, shaped as the API sends
    them: {"field": ["..."]}, and for outcomes {"outcomes": {"code": ["..."]}}."""

    def __init__(self, errors: Mapping[str, Any]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{key}: {value}" for key, value in self.errors.items()))


@dataclass(frozen=True)
class EligibilityAnswers:
    """What the practitioner recorded. An outcome left out of `outcomes` counts as achieved."""

    kind: str
    outcomes: Mapping[str, str] = field(default_factory=dict)
    impairment_or_illness: bool | None = None
    necessary_care: bool | None = None
    health_at_risk: bool | None = None
    significant_impact_on_wellbeing: bool | None = None

    def __post_init__(self) -> None:
        # Read-only, so a result can never be changed through the answers it was computed from.
        if isinstance(self.outcomes, Mapping):
            object.__setattr__(self, "outcomes", MappingProxyType(dict(self.outcomes)))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EligibilityAnswers:
        known = {f.name for f in fields(cls)}
        unknown = sorted(key for key in data if key not in known)
        if unknown:
            raise InvalidAnswers({key: ["This is not an answer the eligibility test takes."] for key in unknown})
        if "kind" not in data:
            raise InvalidAnswers({"kind": ['Say which eligibility test to apply: "adult" or "carer".']})
        return cls(**data)


@dataclass(frozen=True)
class ConditionResult:
    code: str
    met: bool
    explanation: str
    reference: str


@dataclass(frozen=True)
class EligibilityResult:
    kind: str
    eligible: bool
    conditions: tuple[ConditionResult, ...]
    unachieved_outcomes: tuple[str, ...]
    ruleset_version: str

    def to_dict(self) -> dict[str, Any]:
        """The result as the stateless endpoint answers it (a contract other systems use)."""
        return {
            "eligible": self.eligible,
            "conditions": [
                {"code": c.code, "met": c.met, "explanation": c.explanation} for c in self.conditions
            ],
            "unachieved_outcomes": list(self.unachieved_outcomes),
            "ruleset_version": self.ruleset_version,
        }


# --- evaluation ---------------------------------------------------------------------------------------


def current_rules() -> Mapping[str, Any]:
    return ruleset.current(ENGINE)


def evaluate(answers: EligibilityAnswers | Mapping[str, Any], rules: Mapping[str, Any] | None = None
             ) -> EligibilityResult:
    """Apply the rule set (the current one unless given) to the answers. Raises InvalidAnswers."""
    if rules is None:
        rules = current_rules()
    if not isinstance(answers, EligibilityAnswers):
        answers = EligibilityAnswers.from_dict(answers)
    errors = answer_errors(answers, rules)
    if errors:
        raise InvalidAnswers(errors)

    kind = rules["kinds"][answers.kind]
    statuses = rules["statuses"]
    achieved = achieved_status(rules)
    outcomes = answers.outcomes
    unachieved = tuple(
        o["code"] for o in kind["outcomes"] if statuses[outcomes.get(o["code"], achieved)]["unachieved"]
    )
    labels = {o["code"]: o["label"] for o in kind["outcomes"]}
    wording = {
        "count": len(unachieved),
        "outcomes": _join([labels[code] for code in unachieved]),
        "total": len(kind["outcomes"]),
        "min_unachieved": kind["min_unachieved"],
    }

    conditions = []
    for condition in kind["conditions"]:
        held = [test for test in condition["tests"] if _holds(test, answers, len(unachieved), kind)]
        if held:
            explanation = " ".join(_render(test["met"], wording) for test in held)
        else:
            explanation = _render(condition["not_met"], wording)
        conditions.append(ConditionResult(
            code=condition["code"], met=bool(held), explanation=explanation, reference=condition["reference"],
        ))
    return EligibilityResult(
        kind=answers.kind,
        eligible=all(c.met for c in conditions),
        conditions=tuple(conditions),
        unachieved_outcomes=unachieved,
        ruleset_version=str(rules["version"]),
    )


def _holds(test: Mapping[str, Any], answers: EligibilityAnswers, unachieved_count: int,
           kind: Mapping[str, Any]) -> bool:
    if TEST_ANSWER in test:
        return getattr(answers, test[TEST_ANSWER]) is True
    return unachieved_count >= kind["min_unachieved"]


def _render(template: str | Mapping[str, str], wording: Mapping[str, Any]) -> str:
    if not isinstance(template, str):
        count = wording["count"]
        form = "none" if count == 0 else "one" if count == 1 else "other"
        template = template.get(form) or template["other"]
    return template.format(**wording)


def _join(labels: list[str]) -> str:
    # Semicolons, because labels themselves contain commas and "and" ("keeping the home clean, safe and heated").
    return "; ".join(labels)


# --- checking answers ---------------------------------------------------------------------------------


def achieved_status(rules: Mapping[str, Any]) -> str:
    return next(code for code, status in rules["statuses"].items() if not status["unachieved"])


def _quoted(values) -> str:
    return "; ".join(f'"{value}"' for value in values)


def kind_error(kind: Any, rules: Mapping[str, Any]) -> str | None:
    if isinstance(kind, str) and kind in rules["kinds"]:
        return None
    return f'"{kind}" is not a kind of eligibility test. Use one of: {_quoted(rules["kinds"])}.'


def outcome_errors(kind: str, outcomes: Mapping[str, Any], rules: Mapping[str, Any]) -> dict[str, list[str]]:
    """Plain-English errors for outcome codes and statuses that do not fit `kind`, keyed by the code sent."""
    kind_rules = rules["kinds"][kind]
    codes = [o["code"] for o in kind_rules["outcomes"]]
    allowed = kind_rules["statuses"]
    errors: dict[str, list[str]] = {}
    for code, status in outcomes.items():
        if code not in codes:
            errors[str(code)] = [
                f'"{code}" is not one of the outcomes for {kind_rules["noun"]}. Use one of: {_quoted(codes)}.'
            ]
        elif not isinstance(status, str) or status not in rules["statuses"]:
            shown = status if isinstance(status, str) else json.dumps(status)
            errors[code] = [f'"{shown}" is not an answer for an outcome. Use one of: {_quoted(allowed)}.']
        elif status not in allowed:
            meaning = rules["statuses"][status]["meaning"]
            errors[code] = [
                f'"{status}" ({meaning[0].lower()}{meaning[1:]}) is not a ground for {kind_rules["noun"]} in '
                f'{kind_rules["regulation"]} of the Eligibility Criteria Regulations. Use one of: {_quoted(allowed)}.'
            ]
    return errors


def answer_errors(answers: EligibilityAnswers, rules: Mapping[str, Any]) -> dict[str, Any]:
    """Every problem with the answers, as field errors; empty when they fit the rule set."""
    problem = kind_error(answers.kind, rules)
    if problem:
        return {"kind": [problem]}
    kind_rules = rules["kinds"][answers.kind]
    asked = {q["name"] for q in kind_rules["questions"]}
    errors: dict[str, Any] = {}
    for name in QUESTIONS:
        value = getattr(answers, name)
        if name in asked and value is None:
            errors[name] = [f"This is needed to decide eligibility for {kind_rules['noun']}: send true or false."]
        elif name in asked and not isinstance(value, bool):
            errors[name] = ["Send true or false."]
        elif name not in asked and value is not None:
            errors[name] = [f"This is not asked for {kind_rules['noun']}. Remove it."]
    if not isinstance(answers.outcomes, Mapping):
        errors["outcomes"] = ["Send the outcomes as an object of outcome code and answer."]
    else:
        problems = outcome_errors(answers.kind, answers.outcomes, rules)
        if problems:
            errors["outcomes"] = problems
    return errors


# --- checking the rule file ---------------------------------------------------------------------------


def validate_rules(data: Mapping[str, Any]) -> None:
    """Check a rule file's shape and consistency; raise RuleSetError naming the place and the problem."""
    for key in ("title", "source"):
        ruleset.require_text(data, key, "the file")
    statuses = _mapping(data, "statuses", "statuses")
    for code, status in statuses.items():
        where = f"statuses.{code}"
        ruleset.require_code(code, where)
        if not isinstance(status, Mapping):
            raise ruleset.RuleSetError(f"{where} must be a mapping with 'meaning' and 'unachieved'")
        ruleset.require_text(status, "meaning", where)
        if not isinstance(status.get("unachieved"), bool):
            raise ruleset.RuleSetError(f"{where}.unachieved must be true or false")
    achieved = [code for code, status in statuses.items() if not status["unachieved"]]
    if len(achieved) != 1:
        raise ruleset.RuleSetError(
            f"statuses: exactly one status must have 'unachieved: false' (the one an omitted outcome counts "
            f"as); found {len(achieved)}"
        )

    kinds = _mapping(data, "kinds", "kinds")
    for kind_code, kind in kinds.items():
        where = f"kinds.{kind_code}"
        ruleset.require_code(kind_code, where)
        if not isinstance(kind, Mapping):
            raise ruleset.RuleSetError(f"{where} must be a mapping")
        for key in ("label", "noun", "regulation"):
            ruleset.require_text(kind, key, where)

        questions = ruleset.require_list(kind, "questions", where)
        names = []
        for i, question in enumerate(questions):
            q_where = f"{where}.questions[{i}]"
            ruleset.require_text(question, "name", q_where)
            ruleset.require_text(question, "meaning", q_where)
            if question["name"] not in QUESTIONS:
                raise ruleset.RuleSetError(
                    f"{q_where}.name: {question['name']!r} is not an answer the engine knows; use one of "
                    f"{', '.join(QUESTIONS)}"
                )
            names.append(question["name"])
        _unique(names, f"{where}.questions")

        allowed = ruleset.require_list(kind, "statuses", where)
        for status in allowed:
            if status not in statuses:
                raise ruleset.RuleSetError(f"{where}.statuses: {status!r} is not one of the statuses listed")
        _unique(allowed, f"{where}.statuses")
        if achieved[0] not in allowed:
            raise ruleset.RuleSetError(f"{where}.statuses must include {achieved[0]!r}")

        outcomes = ruleset.require_list(kind, "outcomes", where)
        for i, outcome in enumerate(outcomes):
            o_where = f"{where}.outcomes[{i}]"
            for key in ("code", "reference", "outcome", "label"):
                ruleset.require_text(outcome, key, o_where)
            ruleset.require_code(outcome["code"], f"{o_where}.code")
        _unique([o["code"] for o in outcomes], f"{where}.outcomes")

        minimum = kind.get("min_unachieved")
        if type(minimum) is not int or minimum < 1:
            raise ruleset.RuleSetError(f"{where}.min_unachieved must be a whole number of 1 or more, not {minimum!r}")
        if minimum > len(outcomes):
            raise ruleset.RuleSetError(
                f"{where}.min_unachieved is {minimum}, more than the {len(outcomes)} outcomes listed"
            )

        conditions = ruleset.require_list(kind, "conditions", where)
        used = set()
        for i, condition in enumerate(conditions):
            c_where = f"{where}.conditions[{i}]"
            ruleset.require_text(condition, "code", c_where)
            ruleset.require_code(condition["code"], f"{c_where}.code")
            ruleset.require_text(condition, "reference", c_where)
            _wording(condition.get("not_met"), f"{c_where}.not_met")
            for j, test in enumerate(ruleset.require_list(condition, "tests", c_where)):
                t_where = f"{c_where}.tests[{j}]"
                kinds_of_test = [key for key in (TEST_ANSWER, TEST_UNACHIEVED) if key in test]
                if len(kinds_of_test) != 1:
                    raise ruleset.RuleSetError(
                        f"{t_where} must have exactly one of '{TEST_ANSWER}' or '{TEST_UNACHIEVED}'"
                    )
                if TEST_ANSWER in test:
                    if test[TEST_ANSWER] not in names:
                        raise ruleset.RuleSetError(
                            f"{t_where}.answer: {test[TEST_ANSWER]!r} is not one of this kind's questions"
                        )
                    used.add(test[TEST_ANSWER])
                elif test[TEST_UNACHIEVED] != AT_LEAST_MIN:
                    raise ruleset.RuleSetError(f"{t_where}.{TEST_UNACHIEVED} must be {AT_LEAST_MIN!r}")
                _wording(test.get("met"), f"{t_where}.met")
        _unique([c["code"] for c in conditions], f"{where}.conditions")
        unused = [name for name in names if name not in used]
        if unused:
            raise ruleset.RuleSetError(f"{where}: question {unused[0]!r} is asked but no condition uses it")


def _mapping(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping) or not value:
        raise ruleset.RuleSetError(f"{where}: missing, or not a non-empty mapping")
    return value





def _unique(values: list[Any], where: str) -> None:
    seen = set()
    for value in values:
        if value in seen:
            raise ruleset.RuleSetError(f"{where}: {value!r} is listed twice; codes must be unique")
        seen.add(value)


def _wording(template: Any, where: str) -> None:
    if isinstance(template, Mapping):
        if "other" not in template or set(template) - set(WORDING_FORMS):
            raise ruleset.RuleSetError(f"{where}: a wording mapping takes none, one and other (other is required)")
        for form, text in template.items():
            _template(text, f"{where}.{form}")
    else:
        _template(template, where)


def _template(text: Any, where: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise ruleset.RuleSetError(f"{where}: missing, or not text")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise ruleset.RuleSetError(f"{where}: the wording has a broken {{placeholder}}: {exc}") from exc
    unknown = names - PLACEHOLDERS
    if unknown:
        raise ruleset.RuleSetError(
            f"{where}: unknown placeholder {{{sorted(unknown)[0]}}}; use {', '.join(sorted(PLACEHOLDERS))}"
        )


ruleset.register_validator(ENGINE, validate_rules)
