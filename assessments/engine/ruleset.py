"""Versioned rule sets, kept as YAML files in assessments/rules/<engine>/<version>.yaml.

Each file names its engine and version and holds the policy the engine evaluates: code lists,
thresholds and the plain-English wording of every explanation. An assessment pins the version it was
evaluated with, so an old decision stays explainable after the rules change. The newest version of an
engine (the `current` key in assessments/rules/<engine>/CURRENT) is used for new evaluations.

Each engine registers a validator with `register_validator`; `load_all` (called at start-up) loads
every file and runs the validators, raising RuleSetError with the file and the problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"

_validators: dict[str, Callable[[Mapping[str, Any]], None]] = {}


CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def require_list(data: Any, key: str, where: str) -> list[Any]:
    """A rule file's non-empty list, or a RuleSetError naming where it is missing."""
    value = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(value, list | tuple) or not value:
        raise RuleSetError(f"{where}: `{key}` is missing, or not a non-empty list")
    return list(value)


def require_text(data: Any, key: str, where: str) -> None:
    value = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(value, str) or not value.strip():
        raise RuleSetError(f"{where}: `{key}` is missing, or not text")


def require_code(value: Any, where: str) -> None:
    if not isinstance(value, str) or not CODE.match(value):
        raise RuleSetError(f"{where}: {value!r} is not a code (lower-case letters, digits and _)")


def check_yes_no(answers: Mapping[str, Any], known: list[str], *, unknown_what: str, listing: str) -> None:
    """Raise ValueError naming every unknown answer code, then every answer that is not True or False.
    `unknown_what` names the answers ("Unknown risk checklist answers"); `listing` introduces the known codes."""
    unknown = sorted(str(code) for code in answers if code not in known)
    if unknown:
        raise ValueError(f"{unknown_what}: {', '.join(unknown)}. {listing}: {', '.join(known)}")
    not_yes_no = sorted(code for code, value in answers.items() if not isinstance(value, bool))
    if not_yes_no:
        raise ValueError(f"Answer True or False (yes or no) for: {', '.join(not_yes_no)}")


class RuleSetError(ValueError):
    """A rule file is missing, unreadable or fails its engine's validation."""


def register_validator(engine: str, validator: Callable[[Mapping[str, Any]], None]) -> None:
    _validators[engine] = validator


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


@cache
def load(engine: str, version: str) -> Mapping[str, Any]:
    """The rule set `version` of `engine`, validated and read-only."""
    path = RULES_DIR / engine / f"{version}.yaml"
    if not path.exists():
        raise RuleSetError(f"No rule set {engine}/{version}: expected {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleSetError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RuleSetError(f"{path}: the top level must be a mapping")
    if data.get("engine") != engine or str(data.get("version")) != version:
        raise RuleSetError(f"{path}: says engine={data.get('engine')!r} version={data.get('version')!r}; "
                           f"expected {engine!r} and {version!r} (the file name)")
    validator = _validators.get(engine)
    if validator is not None:
        try:
            validator(data)
        except RuleSetError as exc:
            raise RuleSetError(f"{path}: {exc}") from exc
    return _freeze(data)


@cache
def current_version(engine: str) -> str:
    """Read once per process: changing policy is a deployment, like any other change."""
    marker = RULES_DIR / engine / "CURRENT"
    if not marker.exists():
        raise RuleSetError(f"No CURRENT file for rule engine {engine!r} in {marker.parent}")
    return marker.read_text(encoding="utf-8").strip()


def current(engine: str) -> Mapping[str, Any]:
    return load(engine, current_version(engine))


def versions(engine: str) -> list[str]:
    return sorted(p.stem for p in (RULES_DIR / engine).glob("*.yaml"))


def load_all() -> None:
    """Load and validate every rule file of every engine (start-up, and a test)."""
    import importlib

    for engine_dir in sorted(p for p in RULES_DIR.iterdir() if p.is_dir() and not p.name.startswith("_")):
        # Each engine lives in assessments/engine/<name>.py; importing it registers its validator.
        importlib.import_module(f"assessments.engine.{engine_dir.name}")
        current_version(engine_dir.name)
        for version in versions(engine_dir.name):
            load(engine_dir.name, version)
