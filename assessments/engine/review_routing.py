"""Who leads a review (GUIDE §2.7 routing table, §5.14 review types), as a pure function over a versioned rule set.

The policy (the routes' labels and who leads each, the facts and their questions, the rules, their
precedence and every word of the reasons) lives in assessments/rules/review_routing/<version>.yaml; this
module only evaluates it. No database and no I/O beyond reading the rule file through `ruleset`.

    r = route({"stable_low_cost_opted_in": True, "increase_home_care_hours": True})
    r.route, r.allowed        # "therapy", ("therapy", "worker")
    r.rules_fired             # ("increase_home_care_hours", "stable_low_cost_opted_in")

How facts are read:
- A rule fires when every `all_of` fact is yes and, when it has `any_of`, at least one of those is yes.
- The fired rule with the best (lowest) priority decides the route. Rules that share a priority share a
  route, so the order of the facts never matters. Nothing fired (or no facts): the route is worker, with
  the file's `default_reason`.
- `allowed` is what may be offered: the route, then the routes of the other rules that fired, then worker,
  less every route excluded by a rule that fired. A worker can never be excluded, so self-review is never
  the only route; the worker-only rules (open safeguarding enquiry, lacks capacity with no representative,
  a safety concern, a self-review that reports a change) exclude every other route.
- Unknown fact codes, and facts that are not True or False, raise ValueError naming them.

Self-review answers are facts like any other, so one call routes both a planned review and a finished
self-review: the portal maps "Do you feel safe?" answered no to safety_concern, "Has anything changed?"
answered yes to self_review_reports_change, and "I would like to talk to someone" to person_asked_to_talk.
After a self-review, a route of self_review means the answers stand for a worker to triage and sign off.

The routing is a suggestion: the worker chooses among `allowed` and the caller records the choice, with
the ruleset version, against the review.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import ruleset

ENGINE = "review_routing"

# Route codes. Fixed: reviews, reports and the API use them. A rule file words them.
WORKER = "worker"
SELF_REVIEW = "self_review"
PROVIDER = "provider"
THERAPY = "therapy"
ROUTES = (WORKER, SELF_REVIEW, PROVIDER, THERAPY)
DEFAULT_ROUTE = WORKER  # no rule fired

RULE_KEYS = frozenset({"code", "all_of", "any_of", "route", "priority", "excludes", "reason"})
ROUTE_KEYS = ("label", "led_by", "description")
CODE = ruleset.CODE


@dataclass(frozen=True)
class Route:
    code: str
    label: str
    led_by: str
    description: str


@dataclass(frozen=True)
class Routing:
    route: str
    reasons: tuple[str, ...]  # plain English, one for every rule that fired, deciding rule first
    ruleset_version: str
    rules_fired: tuple[str, ...] = ()  # the codes of those rules, in the same order (the trace)
    allowed: tuple[str, ...] = (WORKER,)  # routes that may be offered, `route` first; always includes worker

    def to_dict(self) -> dict[str, Any]:
        return {"route": self.route, "allowed": list(self.allowed), "reasons": list(self.reasons),
                "rules_fired": list(self.rules_fired), "ruleset_version": self.ruleset_version}


def current_rules() -> Mapping[str, Any]:
    return ruleset.current(ENGINE)


def rules_for(version: str) -> Mapping[str, Any]:
    """A pinned rule set, to explain a routing recorded under an older version."""
    return ruleset.load(ENGINE, version)


# --- evaluation ---------------------------------------------------------------------------------------


def check_facts(facts: Mapping[str, Any], rules: Mapping[str, Any]) -> None:
    """Raise ValueError naming every unknown fact code and every fact that is not True or False."""
    ruleset.check_yes_no(facts, [item["code"] for item in rules["facts"]], unknown_what="Unknown review routing facts",
                         listing=f"The facts in {rules['version']} are")


def route(facts: Mapping[str, bool], rules: Mapping[str, Any] | None = None) -> Routing:
    """Who should lead the review, given these facts, under the rule set (the current one unless given)."""
    if rules is None:
        rules = current_rules()
    check_facts(facts, rules)
    version = str(rules["version"])
    yes = {code for code, value in facts.items() if value is True}
    # Validated files list rules in priority order, so the first fired rule decides.
    fired = [rule for rule in rules["rules"] if _fires(rule, yes)]
    if not fired:
        return Routing(DEFAULT_ROUTE, (rules["default_reason"],), version)

    excluded = {code for rule in fired for code in rule.get("excludes") or ()}
    offered = [rule["route"] for rule in fired] + [WORKER]
    allowed = tuple(code for code in dict.fromkeys(offered) if code not in excluded)
    return Routing(
        route=fired[0]["route"],
        reasons=tuple(dict.fromkeys(rule["reason"] for rule in fired)),
        ruleset_version=version,
        rules_fired=tuple(rule["code"] for rule in fired),
        allowed=allowed,
    )


def _fires(rule: Mapping[str, Any], yes: set[str]) -> bool:
    any_of = rule.get("any_of") or ()
    return all(code in yes for code in rule.get("all_of") or ()) and (not any_of or any(c in yes for c in any_of))


# --- helpers for the pages ----------------------------------------------------------------------------


def routes(rules: Mapping[str, Any] | None = None) -> tuple[Route, ...]:
    """Every route with its words, in the file's order: for choices, filters and keys."""
    if rules is None:
        rules = current_rules()
    return tuple(Route(code=r["code"], label=r["label"], led_by=r["led_by"], description=r["description"])
                 for r in rules["routes"])


def route_info(code: str, rules: Mapping[str, Any] | None = None) -> Route:
    """One route's words. Raises ValueError for an unknown route code."""
    if code not in ROUTES:
        raise ValueError(f"{code!r} is not a review route; use one of {', '.join(ROUTES)}")
    return next(r for r in routes(rules) if r.code == code)


def route_label(code: str, rules: Mapping[str, Any] | None = None) -> str:
    return route_info(code, rules).label


def facts(rules: Mapping[str, Any] | None = None) -> tuple[tuple[str, str], ...]:
    """The facts as (code, question) pairs, in the order to ask them."""
    if rules is None:
        rules = current_rules()
    return tuple((item["code"], item["question"]) for item in rules["facts"])


def worker_only_facts(rules: Mapping[str, Any] | None = None) -> frozenset[str]:
    """Facts that, when yes, leave a worker as the only route (each is the sole trigger of such a rule)."""
    if rules is None:
        rules = current_rules()
    others = set(ROUTES) - {WORKER}
    return frozenset(
        rule["all_of"][0] for rule in rules["rules"]
        if rule["route"] == WORKER and others <= set(rule.get("excludes") or ())
        and len(rule.get("all_of") or ()) == 1 and not rule.get("any_of")
    )


# --- checking the rule file ---------------------------------------------------------------------------


def validate(data: Mapping[str, Any]) -> None:
    """Check a rule file's shape and consistency; raise RuleSetError naming the place and the problem."""
    ruleset.require_text(data, "title", "the file")
    ruleset.require_text(data, "default_reason", "the file")

    route_list = ruleset.require_list(data, "routes", "the file")
    listed: list[str] = []
    for i, item in enumerate(route_list):
        code = item.get("code") if isinstance(item, Mapping) else None
        if code not in ROUTES:
            raise ruleset.RuleSetError(f"routes[{i}].code: {code!r} is not a known route; use {', '.join(ROUTES)}")
        if code in listed:
            raise ruleset.RuleSetError(f"routes[{i}].code: {code!r} is listed twice")
        listed.append(code)
        for key in ROUTE_KEYS:
            ruleset.require_text(item, key, f"routes[{i}] ({code})")
    missing = [code for code in ROUTES if code not in listed]
    if missing:
        raise ruleset.RuleSetError(f"routes: {missing[0]!r} is missing; list each of {', '.join(ROUTES)} once")

    asked: list[str] = []
    for i, item in enumerate(ruleset.require_list(data, "facts", "the file")):
        where = f"facts[{i}]"
        ruleset.require_code(item.get("code") if isinstance(item, Mapping) else None, f"{where}.code")
        ruleset.require_text(item, "question", where)
        if item["code"] in asked:
            raise ruleset.RuleSetError(f"{where}.code: {item['code']!r} is listed twice; codes must be unique")
        asked.append(item["code"])

    used: set[str] = set()
    seen: list[Mapping[str, Any]] = []
    for i, rule in enumerate(ruleset.require_list(data, "rules", "the file")):
        where = f"rules[{i}]"
        if not isinstance(rule, Mapping):
            raise ruleset.RuleSetError(f"{where} must be a mapping with code, route, priority, reason and all_of or any_of")
        extra = sorted(set(rule) - RULE_KEYS)
        if extra:
            raise ruleset.RuleSetError(f"{where}: unknown key {extra[0]!r}; a rule takes {', '.join(sorted(RULE_KEYS))}")
        ruleset.require_code(rule.get("code"), f"{where}.code")
        where = f"rules[{i}] ({rule['code']})"
        if any(other["code"] == rule["code"] for other in seen):
            raise ruleset.RuleSetError(f"{where}: the rule code {rule['code']!r} is used twice")
        if rule.get("route") not in ROUTES:
            raise ruleset.RuleSetError(f"{where}.route: {rule.get('route')!r} is not a known route; use {', '.join(ROUTES)}")
        priority = rule.get("priority")
        if type(priority) is not int or priority < 1:
            raise ruleset.RuleSetError(f"{where}.priority must be a whole number of 1 or more, not {priority!r}")
        if seen and priority < seen[-1]["priority"]:
            raise ruleset.RuleSetError(
                f"{where}.priority is {priority}, after a rule with priority {seen[-1]['priority']}: "
                "list the rules in priority order, 1 first"
            )
        same = next((other for other in seen if other["priority"] == priority and other["route"] != rule["route"]), None)
        if same is not None:
            raise ruleset.RuleSetError(
                f"{where}: routes to {rule['route']!r} but rule {same['code']!r} has the same priority ({priority}) "
                f"and routes to {same['route']!r}; rules that share a priority must share a route"
            )
        ruleset.require_text(rule, "reason", where)
        triggers = 0
        for key in ("all_of", "any_of"):
            if key not in rule:
                continue
            named = rule[key]
            if not isinstance(named, list | tuple) or not named:
                raise ruleset.RuleSetError(f"{where}.{key} must be a non-empty list of fact codes")
            for code in named:
                if code not in asked:
                    raise ruleset.RuleSetError(f"{where}.{key}: {code!r} is not one of the facts")
            if len(set(named)) != len(named):
                raise ruleset.RuleSetError(f"{where}.{key} names the same fact twice")
            used.update(named)
            triggers += 1
        if not triggers:
            raise ruleset.RuleSetError(f"{where}: say which facts trigger it, with all_of, any_of or both")
        _excludes(rule, where)
        seen.append(rule)

    # A rule may only exclude the routes of rules below it, so the route chosen is always on offer.
    for i, rule in enumerate(seen):
        for code in rule.get("excludes") or ():
            above = next((other for other in seen if other["route"] == code and other["priority"] <= rule["priority"]),
                         None)
            if above is not None:
                raise ruleset.RuleSetError(
                    f"rules[{i}] ({rule['code']}).excludes: {code!r} is the route of rule {above['code']!r}, "
                    f"whose priority ({above['priority']}) is not below this rule's ({rule['priority']}); "
                    "a rule may only exclude the routes of rules with a larger priority number"
                )

    unused = [code for code in asked if code not in used]
    if unused:
        raise ruleset.RuleSetError(f"facts: {unused[0]!r} is asked but no rule uses it")


def _excludes(rule: Mapping[str, Any], where: str) -> None:
    if "excludes" not in rule:
        return
    excluded = rule["excludes"]
    if not isinstance(excluded, list | tuple) or not excluded:
        raise ruleset.RuleSetError(f"{where}.excludes must be a non-empty list of routes, or left out")
    for code in excluded:
        if code not in ROUTES:
            raise ruleset.RuleSetError(f"{where}.excludes: {code!r} is not a known route; use {', '.join(ROUTES)}")
        if code == WORKER:
            raise ruleset.RuleSetError(
                f"{where}.excludes: a worker review can never be excluded; the person can always ask to talk to someone"
            )
        if code == rule["route"]:
            raise ruleset.RuleSetError(f"{where}.excludes: {code!r} is this rule's own route")
    if len(set(excluded)) != len(excluded):
        raise ruleset.RuleSetError(f"{where}.excludes names the same route twice")





ruleset.register_validator(ENGINE, validate)
