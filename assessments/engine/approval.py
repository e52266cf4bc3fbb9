"""Who may approve a plan, from its yearly cost and the versioned approval limits. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import ruleset

ENGINE = "approval"


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    roles: tuple[str, ...]
    up_to_yearly: Decimal | None


def _levels(rules: Mapping[str, Any]) -> list[Level]:
    return [
        Level(code=lv["code"], label=lv["label"], roles=tuple(lv["roles"]),
              up_to_yearly=None if lv["up_to_yearly"] is None else Decimal(str(lv["up_to_yearly"])))
        for lv in rules["levels"]
    ]


def current_rules() -> Mapping[str, Any]:
    return ruleset.current(ENGINE)


def yearly_cost(weekly: Decimal, rules: Mapping[str, Any] | None = None) -> Decimal:
    rules = rules or current_rules()
    return (weekly * Decimal(rules["yearly_weeks"])).quantize(Decimal("0.01"))


def required_level(yearly: Decimal, rules: Mapping[str, Any] | None = None) -> Level:
    """The first level whose limit covers the yearly cost."""
    rules = rules or current_rules()
    for level in _levels(rules):
        if level.up_to_yearly is None or yearly <= level.up_to_yearly:
            return level
    raise AssertionError("validated rule files always end with an unlimited level")


def can_decide(role: str, level_code: str, rules: Mapping[str, Any] | None = None) -> bool:
    """Whether someone with `role` may decide a plan routed to `level_code` (that level or any above it)."""
    rules = rules or current_rules()
    levels = _levels(rules)
    codes = [lv.code for lv in levels]
    if level_code not in codes:
        return False
    return any(role in lv.roles for lv in levels[codes.index(level_code):])


def level_label(level_code: str, rules: Mapping[str, Any] | None = None) -> str:
    rules = rules or current_rules()
    return next((lv.label for lv in _levels(rules) if lv.code == level_code), level_code)


def validate(data: Mapping[str, Any]) -> None:
    levels = data.get("levels")
    if not isinstance(data.get("yearly_weeks"), int) or not 1 <= data["yearly_weeks"] <= 53:
        raise ruleset.RuleSetError("`yearly_weeks` must be a whole number of weeks, 1 to 53")
    if not isinstance(levels, list) or not levels:
        raise ruleset.RuleSetError("`levels` must be a non-empty list")
    previous = Decimal(-1)
    seen = set()
    for i, level in enumerate(levels):
        where = f"levels[{i}]"
        for key in ("code", "label", "roles", "up_to_yearly"):
            if key not in level:
                raise ruleset.RuleSetError(f"{where} is missing `{key}`")
        if level["code"] in seen:
            raise ruleset.RuleSetError(f"{where}: the code {level['code']!r} is used twice")
        seen.add(level["code"])
        if not level["roles"]:
            raise ruleset.RuleSetError(f"{where}: name at least one role that may decide")
        limit = level["up_to_yearly"]
        last = i == len(levels) - 1
        if last and limit is not None:
            raise ruleset.RuleSetError(f"{where}: the last level must have no limit (up_to_yearly: null)")
        if not last:
            if not isinstance(limit, int | float) or Decimal(str(limit)) <= previous:
                raise ruleset.RuleSetError(f"{where}: `up_to_yearly` must be a number above the level before")
            previous = Decimal(str(limit))


ruleset.register_validator(ENGINE, validate)
