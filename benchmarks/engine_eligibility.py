"""The eligibility engine in-process: evaluate() of a 10-outcome adult assessment. Target: p99 under 2 ms.

    .venv/bin/python -m benchmarks.engine_eligibility [n]

No database and no Django set-up: the engine is pure. The answers are generated up front (a fixed seed,
so every run times the same mix), all ten outcomes sent, with a spread of statuses and yes-or-no answers
so both eligible and ineligible results, and every explanation wording, are timed.
"""

from __future__ import annotations

import gc
import random
import sys
import time

from assessments.engine import eligibility
from benchmarks.timing import percentile

NAME = "Eligibility engine: evaluate a 10-outcome adult assessment"
TARGET_P99_MS = 2.0


def _answers(n: int, rules) -> list[eligibility.EligibilityAnswers]:
    chooser = random.Random(2015)
    adult = rules["kinds"]["adult"]
    codes = [o["code"] for o in adult["outcomes"]]
    statuses = list(adult["statuses"])
    return [
        eligibility.EligibilityAnswers(
            kind="adult",
            impairment_or_illness=chooser.random() < 0.9,
            significant_impact_on_wellbeing=chooser.random() < 0.8,
            # About a third of outcomes achieved, the rest spread over the four meanings of "unable to achieve".
            outcomes={code: chooser.choice(["achieved", *statuses]) if chooser.random() < 0.6 else "achieved"
                      for code in codes},
        )
        for _ in range(n)
    ]


def run(n: int = 10000) -> dict:
    rules = eligibility.current_rules()
    cases = _answers(n, rules)
    evaluate = eligibility.evaluate
    for answers in cases[:200]:  # warm up
        evaluate(answers)
    gc.collect()
    timings_ns = []
    clock = time.perf_counter_ns
    for answers in cases:
        started = clock()
        # As callers use it: the current rule set is found on each call (the file is parsed once per process).
        evaluate(answers)
        timings_ns.append(clock() - started)
    ordered = sorted(ns / 1_000_000 for ns in timings_ns)
    return {
        "name": NAME,
        "n": n,
        "p50_ms": round(percentile(ordered, 0.50), 4),
        "p95_ms": round(percentile(ordered, 0.95), 4),
        "p99_ms": round(percentile(ordered, 0.99), 4),
        "max_ms": round(ordered[-1], 4),
        "target_p99_ms": TARGET_P99_MS,
        "passed": percentile(ordered, 0.99) < TARGET_P99_MS,
    }


if __name__ == "__main__":
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
    print(f"{result['name']}: n={result['n']} p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
          f"p99 {result['p99_ms']} ms (target under {TARGET_P99_MS:g} ms)")
    sys.exit(0 if result["passed"] else 1)
