"""Risk-based priority for people on a waiting list (GUIDE §4.2-§4.3), as a pure function over a versioned rule set.

The policy (the bands' labels, colours and keep-in-touch intervals, the risk checklist, the rules and
every word of the reasons) lives in assessments/rules/waiting_priority/<version>.yaml; this module only
evaluates it. No database and no I/O beyond reading the rule file through `ruleset`.

    s = suggest({"lives_alone": True, "no_network": True, "recent_fall": True})
    s.band, s.reasons, s.ruleset_version   # "urgent", ("Lives alone with no one to help, ...", ...), "priority-2026.1"

How answers are read:
- A rule fires when every `all_of` answer is yes and, when it has `any_of`, at least one of those is yes.
  Rules only look for "yes", so adding a "yes" answer can never lower the band.
- The highest band among the rules that fired wins. With answers but no rule fired the band is low
  (the reason is the file's `nothing_triggered_reason`); with no answers at all it is not_rated.
- An answer of False counts as an answer (the checklist was done), so {"lives_alone": False} is low.
- Unknown answer codes, and answers that are not True or False, raise ValueError naming them.

The suggestion is only a suggestion: the triage worker accepts it or overrides it with a reason, and
the caller records the change (GUIDE §4.4).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import ruleset

ENGINE = "waiting_priority"

# Band codes, highest first. Fixed: queues, reports and the API use them. A rule file words them.
BANDS = ("urgent", "high", "medium", "low")
NOT_RATED = "not_rated"
DEFAULT_BAND = "low"  # answers given, nothing triggered
# Lowest rank first, for comparisons: not_rated < low < medium < high < urgent.
_RANK = {code: rank for rank, code in enumerate((NOT_RATED, *reversed(BANDS)))}

RULE_KEYS = frozenset({"code", "all_of", "any_of", "band", "reason"})
CODE = ruleset.CODE
TAG_CLASS = re.compile(r"^govuk-tag--[a-z-]+$")


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    meaning: str
    tag_class: str
    keep_in_touch_days: int | None  # None for not_rated: triage comes first
    overdue_after_working_days: int | None


@dataclass(frozen=True)
class Suggestion:
    band: str
    reasons: tuple[str, ...]  # plain English, one for every rule that fired, highest band first
    ruleset_version: str
    rules_fired: tuple[str, ...] = ()  # the codes of those rules, in the same order (the trace)

    def to_dict(self) -> dict[str, Any]:
        return {"band": self.band, "reasons": list(self.reasons), "rules_fired": list(self.rules_fired),
                "ruleset_version": self.ruleset_version}


def current_rules() -> Mapping[str, Any]:
    return ruleset.current(ENGINE)


def rank(band: str) -> int:
    """Order of bands for comparison: not_rated is 0, urgent the highest. Raises ValueError for an unknown band."""
    try:
        return _RANK[band]
    except KeyError:
        raise ValueError(f"{band!r} is not a priority band; use one of {', '.join((*BANDS, NOT_RATED))}") from None


# --- evaluation ---------------------------------------------------------------------------------------


def check_answers(answers: Mapping[str, Any], rules: Mapping[str, Any]) -> None:
    """Raise ValueError naming every unknown answer code and every answer that is not True or False."""
    ruleset.check_yes_no(answers, [item["code"] for item in rules["checklist"]],
                         unknown_what="Unknown risk checklist answers",
                         listing=f"The checklist in {rules['version']} asks")


def suggest(answers: Mapping[str, bool], rules: Mapping[str, Any] | None = None) -> Suggestion:
    """The band the rule set (the current one unless given) suggests for these checklist answers."""
    if rules is None:
        rules = current_rules()
    check_answers(answers, rules)
    version = str(rules["version"])
    if not answers:
        return Suggestion(NOT_RATED, (rules["not_rated"]["reason"],), version)

    yes = {code for code, value in answers.items() if value is True}
    fired = [rule for rule in rules["rules"] if _fires(rule, yes)]
    if not fired:
        return Suggestion(DEFAULT_BAND, (rules["nothing_triggered_reason"],), version)
    # Stable sort: highest band first, file order within a band.
    fired.sort(key=lambda rule: -_RANK[rule["band"]])
    reasons: list[str] = []
    for rule in fired:
        if rule["reason"] not in reasons:
            reasons.append(rule["reason"])
    return Suggestion(
        band=fired[0]["band"],
        reasons=tuple(reasons),
        ruleset_version=version,
        rules_fired=tuple(rule["code"] for rule in fired),
    )


def _fires(rule: Mapping[str, Any], yes: set[str]) -> bool:
    any_of = rule.get("any_of") or ()
    return all(code in yes for code in rule.get("all_of") or ()) and (not any_of or any(c in yes for c in any_of))


# --- helpers for the pages ----------------------------------------------------------------------------


def bands(rules: Mapping[str, Any] | None = None) -> tuple[Band, ...]:
    """Every band, highest first, then not_rated: for keys, filters and the checklist page."""
    if rules is None:
        rules = current_rules()
    rated = tuple(
        Band(code=b["code"], label=b["label"], meaning=b["meaning"], tag_class=b["tag_class"],
             keep_in_touch_days=b["keep_in_touch_days"], overdue_after_working_days=b["overdue_after_working_days"])
        for b in rules["bands"]
    )
    n = rules["not_rated"]
    return (*rated, Band(code=NOT_RATED, label=n["label"], meaning=n["meaning"], tag_class=n["tag_class"],
                         keep_in_touch_days=None, overdue_after_working_days=None))


def band_info(band: str, rules: Mapping[str, Any] | None = None) -> Band:
    rank(band)  # a clear ValueError for an unknown band
    return next(b for b in bands(rules) if b.code == band)


def band_label(band: str, rules: Mapping[str, Any] | None = None) -> str:
    return band_info(band, rules).label


def interval_days(band: str, rules: Mapping[str, Any] | None = None) -> int | None:
    """Days between keep-in-touch contacts for `band`; None for not_rated (triage comes first)."""
    return band_info(band, rules).keep_in_touch_days


def overdue_after_working_days(band: str, rules: Mapping[str, Any] | None = None) -> int | None:
    """Working days after the due date when a keep-in-touch contact counts as overdue; None for not_rated."""
    return band_info(band, rules).overdue_after_working_days


def checklist(rules: Mapping[str, Any] | None = None) -> tuple[tuple[str, str], ...]:
    """The risk checklist as (code, question) pairs, in the order to ask them."""
    if rules is None:
        rules = current_rules()
    return tuple((item["code"], item["question"]) for item in rules["checklist"])


# --- checking the rule file ---------------------------------------------------------------------------


def validate(data: Mapping[str, Any]) -> None:
    """Check a rule file's shape and consistency; raise RuleSetError naming the place and the problem."""
    ruleset.require_text(data, "title", "the file")
    ruleset.require_text(data, "nothing_triggered_reason", "the file")

    band_list = ruleset.require_list(data, "bands", "the file")
    codes = [b.get("code") if isinstance(b, Mapping) else None for b in band_list]
    for i, code in enumerate(codes):
        if code not in BANDS:
            raise ruleset.RuleSetError(
                f"bands[{i}].code: {code!r} is not a known band; use {', '.join(BANDS)}"
            )
    if tuple(codes) != BANDS:
        raise ruleset.RuleSetError(f"bands: list each of {', '.join(BANDS)} once, highest first (found {', '.join(codes)})")
    previous_days = 0
    for i, band in enumerate(band_list):
        where = f"bands[{i}] ({band['code']})"
        for key in ("label", "meaning"):
            ruleset.require_text(band, key, where)
        _tag_class(band, where)
        for key in ("keep_in_touch_days", "overdue_after_working_days"):
            value = band.get(key)
            if type(value) is not int or value < 1:
                raise ruleset.RuleSetError(f"{where}.{key} must be a whole number of 1 or more, not {value!r}")
        if band["keep_in_touch_days"] < previous_days:
            raise ruleset.RuleSetError(
                f"{where}.keep_in_touch_days is {band['keep_in_touch_days']}, shorter than the band above "
                f"({previous_days}): a higher band is never contacted less often"
            )
        previous_days = band["keep_in_touch_days"]

    not_rated = data.get("not_rated")
    if not isinstance(not_rated, Mapping):
        raise ruleset.RuleSetError("not_rated: missing, or not a mapping with label, meaning, tag_class and reason")
    for key in ("label", "meaning", "reason"):
        ruleset.require_text(not_rated, key, "not_rated")
    _tag_class(not_rated, "not_rated")

    questions = ruleset.require_list(data, "checklist", "the file")
    asked = []
    for i, item in enumerate(questions):
        where = f"checklist[{i}]"
        ruleset.require_code(item.get("code") if isinstance(item, Mapping) else None, f"{where}.code")
        ruleset.require_text(item, "question", where)
        if item["code"] in asked:
            raise ruleset.RuleSetError(f"{where}.code: {item['code']!r} is listed twice; codes must be unique")
        asked.append(item["code"])

    used: set[str] = set()
    seen_rules: set[str] = set()
    for i, rule in enumerate(ruleset.require_list(data, "rules", "the file")):
        where = f"rules[{i}]"
        if not isinstance(rule, Mapping):
            raise ruleset.RuleSetError(f"{where} must be a mapping with code, band, reason and all_of or any_of")
        extra = sorted(set(rule) - RULE_KEYS)
        if extra:
            raise ruleset.RuleSetError(
                f"{where}: unknown key {extra[0]!r}; a rule takes {', '.join(sorted(RULE_KEYS))}"
            )
        ruleset.require_code(rule.get("code"), f"{where}.code")
        where = f"rules[{i}] ({rule['code']})"
        if rule["code"] in seen_rules:
            raise ruleset.RuleSetError(f"{where}: the rule code {rule['code']!r} is used twice")
        seen_rules.add(rule["code"])
        if rule.get("band") not in BANDS:
            raise ruleset.RuleSetError(f"{where}.band: {rule.get('band')!r} is not a known band; use {', '.join(BANDS)}")
        ruleset.require_text(rule, "reason", where)
        triggers = 0
        for key in ("all_of", "any_of"):
            if key not in rule:
                continue
            answers = rule[key]
            if not isinstance(answers, list | tuple) or not answers:
                raise ruleset.RuleSetError(f"{where}.{key} must be a non-empty list of checklist codes")
            for code in answers:
                if code not in asked:
                    raise ruleset.RuleSetError(
                        f"{where}.{key}: {code!r} is not a question in the checklist"
                    )
            if len(set(answers)) != len(answers):
                raise ruleset.RuleSetError(f"{where}.{key} names the same answer twice")
            used.update(answers)
            triggers += 1
        if not triggers:
            raise ruleset.RuleSetError(f"{where}: say which answers trigger it, with all_of, any_of or both")

    unused = [code for code in asked if code not in used]
    if unused:
        raise ruleset.RuleSetError(f"checklist: {unused[0]!r} is asked but no rule uses it")





def _tag_class(data: Mapping[str, Any], where: str) -> None:
    value = data.get("tag_class")
    if not isinstance(value, str) or not TAG_CLASS.match(value):
        raise ruleset.RuleSetError(f"{where}.tag_class: {value!r} is not a GOV.UK tag class such as govuk-tag--red")


ruleset.register_validator(ENGINE, validate)
