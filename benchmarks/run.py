"""`make bench`: benchmarks on generated data at scale, written to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/run.py [--profile leicester|million|waiting|reviews|dp|engines|all] [--requests 200]
                                       [--people 1000000] [--reseed]

leicester (the default): the `leicester` demo profile, about 20,000 people, in its own database
    bench_leicester; name search through the selector and the /search/ page, and the person page.
million: 1,000,000 people bulk-generated into bench_million; name search through the selector.
waiting: 100,000 open waiting-list entries and 1,000,000 that left, generated in SQL into bench_waiting: the
    dashboard's summary (selector, bare SQL and the API), the daily keep-in-touch sweep and the nightly snapshot.
reviews: 1,000,000 open reviews generated in SQL into bench_reviews: the daily reminder sweep and the overdue
    counts; then (reviews-county, in its own process) the `county` demo profile in bench_county: the team
    overdue view, its selector and its page.
dp: 10,000 direct payment agreements generated in SQL into bench_dp: the payment run (target under 30 s), again,
    the next week's, and the finance file.
engines: the rule engines, in-process (no database).
all: every profile, each in its own process.

Each benchmark database is created and loaded on the first run and reused afterwards (a comment on the
database records what was loaded, from which version of the generator), so reruns take seconds.
--reseed rebuilds it. The `carecase` database that `make run` uses is never touched.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASES = {"leicester": "bench_leicester", "million": "bench_million", "waiting": "bench_waiting",
             "reviews": "bench_reviews", "reviews-county": "bench_county", "dp": "bench_dp"}
PROFILES = ["leicester", "million", "waiting", "reviews", "dp", "engines"]  # reviews runs reviews-county after it


def _arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=[*PROFILES, "reviews-county", "all"], default="leicester")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per measurement (default 200)")
    parser.add_argument("--people", type=int, default=1_000_000, help="people for the million profile")
    parser.add_argument("--reseed", action="store_true", help="rebuild the benchmark database first")
    return parser.parse_args(argv)


def _engines() -> int:
    """The pure rule engines, in-process: no database. Target: a 10-outcome evaluation under 2 ms at p99."""
    from benchmarks import engine_eligibility, engine_support_sequence, results

    print("CareCase benchmarks: engines profile (no database)")
    rows = [engine_eligibility.run(), engine_support_sequence.run()]
    for row in rows:
        print(f"  {row['name']}: n={row['n']} p50 {row['p50_ms']:.3f} ms, p95 {row['p95_ms']:.3f} ms, "
              f"p99 {row['p99_ms']:.3f} ms (target p99 < {row['target_p99_ms']} ms)")
    results.save({"profile": "engines", "results": rows, "machine": results.engines_machine()})
    results.write_markdown()
    return 0 if all(row["passed"] for row in rows) else 1


def main(argv=None) -> int:
    args = _arguments(argv)
    if args.profile == "all":
        code = 0
        for profile in PROFILES:
            forwarded = [a for a in (argv if argv is not None else sys.argv[1:]) if not a.startswith("--profile")]
            forwarded = [a for a in forwarded if a not in PROFILES and a != "all"]
            code |= subprocess.call([sys.executable, __file__, "--profile", profile, *forwarded])
        return code

    sys.path.insert(0, str(ROOT))
    if args.profile == "engines":
        return _engines()
    # Point Django at this profile's own database before settings load.
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ["CARECASE_BENCH_DB"] = DATABASES[args.profile]
    import warnings

    import django

    # WhiteNoise warns that collectstatic has not been run; pages are timed without static files anyway.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from benchmarks import results

    print(f"CareCase benchmarks: {args.profile} profile, database {DATABASES[args.profile]}")
    if args.profile == "leicester":
        from benchmarks import leicester

        marker = leicester.prepare(reseed=args.reseed)
        outcome = leicester.run(requests=args.requests)
        outcome["dataset"]["seed time (s), first run"] = marker.get("seed_seconds")
    elif args.profile == "waiting":
        from benchmarks import waiting

        marker = waiting.prepare(reseed=args.reseed)
        outcome = waiting.run(requests=args.requests, loaded_on=marker.get("loaded_on"))
        outcome["dataset"].update(waiting.dataset_summary(marker))
    elif args.profile == "reviews":
        from benchmarks import reviews

        marker = reviews.prepare(reseed=args.reseed)
        outcome = reviews.run(requests=args.requests, loaded_on=marker.get("loaded_on"))
        outcome["dataset"].update(reviews.dataset_summary(marker))
    elif args.profile == "dp":
        from benchmarks import dp

        marker = dp.prepare(reseed=args.reseed)
        outcome = dp.run(loaded_on=marker.get("loaded_on"))
        outcome["dataset"]["load time (s), first run"] = marker.get("load_s")
    elif args.profile == "reviews-county":
        from benchmarks import reviews

        marker = reviews.prepare_county(reseed=args.reseed)
        outcome = reviews.run_county(requests=args.requests)
        outcome["dataset"]["seed time (s), first run"] = marker.get("seed_seconds")
    else:
        from benchmarks import million

        marker = million.prepare(people=args.people, reseed=args.reseed)
        outcome = million.run(requests=args.requests)
        outcome["dataset"].update(million.dataset_summary(marker))
    saved = results.save(outcome)
    written = results.write_markdown()
    failed = [r for r in outcome["results"] if r.get("passed") is False]
    print(f"Figures saved to {saved.relative_to(ROOT)} and {written.relative_to(ROOT)}.")
    if failed:
        print("Over target: " + "; ".join(f"{r['name']} p95 {r['p95_ms']} ms" for r in failed))
    if args.profile == "reviews":  # the team overdue view, on the county demo profile, in its own database
        forwarded = [a for a in (argv if argv is not None else sys.argv[1:]) if not a.startswith("--profile")
                     and a not in PROFILES]
        return subprocess.call([sys.executable, __file__, "--profile", "reviews-county", *forwarded])
    return 0


if __name__ == "__main__":
    sys.exit(main())
