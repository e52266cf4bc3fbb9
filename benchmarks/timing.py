"""Timing helpers: run a list of calls, report percentiles in milliseconds."""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass


@dataclass
class Stats:
    name: str
    n: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    max_ms: float
    target_ms: float | None = None
    note: str = ""

    @property
    def passed(self) -> bool | None:
        return None if self.target_ms is None else self.p95_ms < self.target_ms

    def as_dict(self) -> dict:
        return {**asdict(self), "passed": self.passed}

    def line(self) -> str:
        verdict = "" if self.passed is None else ("  ok" if self.passed else f"  OVER the {self.target_ms:g} ms target")
        return (f"{self.name:<58} n={self.n:<4} p50 {self.p50_ms:7.2f} ms  p95 {self.p95_ms:7.2f} ms  "
                f"max {self.max_ms:7.2f} ms{verdict}")


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not sorted_values:
        return math.nan
    position = (len(sorted_values) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def measure(name: str, calls: Sequence[Callable[[], object]], *, warmup: int = 20,
            target_ms: float | None = None, check: Callable[[object], None] | None = None) -> tuple[Stats, list[float]]:
    """Time each call once (after `warmup` untimed calls from the same list). Garbage collection is left
    on, as in a server; it is collected once before timing starts so an earlier phase's garbage is not
    charged to this one."""
    for call in calls[:warmup]:
        call()
    gc.collect()
    timings = []
    for call in calls:
        started = time.perf_counter()
        result = call()
        timings.append((time.perf_counter() - started) * 1000)
        if check is not None:
            check(result)
    ordered = sorted(timings)
    stats = Stats(
        name=name, n=len(timings), p50_ms=round(percentile(ordered, 0.5), 3),
        p95_ms=round(percentile(ordered, 0.95), 3), mean_ms=round(sum(timings) / len(timings), 3),
        max_ms=round(ordered[-1], 3), target_ms=target_ms,
    )
    return stats, timings
