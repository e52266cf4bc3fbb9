"""Typo- and order-tolerant name matching keys. Pure functions, no database.

Each name token is stored under several keys in one GIN-indexed array, so a search is an index lookup
that works on any PostgreSQL (the embedded server has no pg_trgm):

- ``t:smith``  the token itself (exact match ranks first)
- ``x:smi``    every prefix of three letters or more ("Smi" finds Smith)
- ``d:smth``   the token with one letter removed, and the token itself under ``d:``: two tokens
               within one edit (a letter added, lost, changed, or two letters swapped) share a key
- ``p:SM0``    the Metaphone sound key ("Smyth" and "Smith")

A query token matches a name token when any of the query's keys are among the name's; tokens match in
any order. Ranking happens on the small candidate set with an edit-distance score.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import jellyfish

MIN_PREFIX = 3


def tokens(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return [t for t in re.split(r"[^a-z]+", folded.replace("'", "")) if t]


def _deletions(token: str) -> set[str]:
    if len(token) < 4:  # short names: a one-letter change is too loose a match
        return set()
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def keys_for_token(token: str) -> set[str]:
    keys = {f"t:{token}", f"d:{token}"}
    keys.update(f"x:{token[:n]}" for n in range(MIN_PREFIX, len(token)))
    keys.update(f"d:{d}" for d in _deletions(token))
    sound = jellyfish.metaphone(token)
    if sound and len(token) >= 3:
        keys.add(f"p:{sound}")
    return keys


def keys_for_names(names: Iterable[str]) -> list[str]:
    out: set[str] = set()
    for name in names:
        for token in tokens(name):
            out |= keys_for_token(token)
    return sorted(out)


def query_keys_for_token(token: str) -> list[str]:
    """Keys to look a query token up by; any one of them matching is a candidate."""
    keys = {f"t:{token}", f"d:{token}"}
    if len(token) >= MIN_PREFIX:
        keys.add(f"x:{token}")
    keys.update(f"d:{d}" for d in _deletions(token))
    sound = jellyfish.metaphone(token)
    if sound and len(token) >= 3:
        keys.add(f"p:{sound}")
    return sorted(keys)


def token_score(query_token: str, name_tokens: list[str]) -> float:
    """How well one query token matches the best of a person's name tokens: 1.0 exact, down to 0."""
    best = 0.0
    for nt in name_tokens:
        if nt == query_token:
            return 1.0
        if nt.startswith(query_token) and len(query_token) >= MIN_PREFIX:
            best = max(best, 0.9)
            continue
        distance = jellyfish.damerau_levenshtein_distance(query_token, nt)
        similarity = 1 - distance / max(len(query_token), len(nt))
        if jellyfish.metaphone(nt) == jellyfish.metaphone(query_token):
            similarity = max(similarity, 0.75)
        best = max(best, similarity)
    return best


def name_score(query: str, names: Iterable[str]) -> float:
    q = tokens(query)
    if not q:
        return 0.0
    name_tokens = [t for n in names for t in tokens(n)]
    return sum(token_score(t, name_tokens) for t in q) / len(q)
