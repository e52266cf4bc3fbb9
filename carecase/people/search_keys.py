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


def joined_pairs(name_tokens: list[str]) -> list[str]:
    """Neighbouring parts of one name written as one word: "Abdul Rahman" is also "abdulrahman", and
    "De Souza" is also "desouza", because people and records write such names both ways."""
    return [a + b for a, b in zip(name_tokens, name_tokens[1:], strict=False)]


def name_tokens_with_joins(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        parts = tokens(name)
        out.extend(parts)
        out.extend(joined_pairs(parts))
    return out


def keys_for_names(names: Iterable[str]) -> list[str]:
    out: set[str] = set()
    for token in name_tokens_with_joins(names):
        out |= keys_for_token(token)
    return sorted(out)


def query_variants(query_tokens: list[str]) -> list[list[str]]:
    """The query as typed, and with each pair of neighbouring words joined ("abdul rahman" is also tried
    as "abdulrahman"), so a name stored as one word is found when typed as two."""
    variants = [query_tokens]
    for i in range(len(query_tokens) - 1):
        variants.append([*query_tokens[:i], query_tokens[i] + query_tokens[i + 1], *query_tokens[i + 2 :]])
    return variants


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
    """How well a query matches a person's names, 0 to 1: the best over the query's variants."""
    q = tokens(query)
    if not q:
        return 0.0
    name_tokens = name_tokens_with_joins(names)
    return max(sum(token_score(t, name_tokens) for t in v) / len(v) for v in query_variants(q))
