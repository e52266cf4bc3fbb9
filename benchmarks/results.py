"""Keep each profile's latest figures (benchmarks/results/*.json) and write benchmarks/RESULTS.md from them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS_DIR = HERE / "results"
RESULTS_MD = HERE / "RESULTS.md"
ORDER = ("leicester", "million", "waiting", "reviews", "reviews-county", "dp", "engines")
TITLES = {"leicester": "City scale: the leicester profile", "million": "1,000,000 people",
          "waiting": "Waiting lists: 100,000 open entries, 1,000,000 that left",
          "reviews": "Reviews: 1,000,000 open reviews, the reminder sweep",
          "reviews-county": "Reviews: the team overdue view at the county profile",
          "dp": "Direct payments: a payment run over 10,000 agreements"}


def save(result: dict) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    result = {**result, "date": date.today().isoformat()}
    path = RESULTS_DIR / f"{result['profile']}.json"
    path.write_text(json.dumps(result, indent=2, sort_keys=False, default=str) + "\n")
    return path


def _load() -> dict[str, dict]:
    found = {}
    for name in ORDER:
        path = RESULTS_DIR / f"{name}.json"
        if path.exists():
            found[name] = json.loads(path.read_text())
    return found


def _kept_sections() -> dict[str, list[str]]:
    """The sections already in RESULTS.md, by heading. The JSON behind them is kept only on the machine that
    ran them (benchmarks/results/ is not in git), so a profile run elsewhere must not drop the others."""
    if not RESULTS_MD.exists():
        return {}
    sections: dict[str, list[str]] = {}
    current = None
    for line in RESULTS_MD.read_text().splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        if current is not None:
            sections[current].append(line)
    return sections


def _ms(value: float) -> str:
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _table(rows: list[dict]) -> list[str]:
    lines = ["| What was measured | n | p50 (ms) | p95 (ms) | Target p95 | Result |", "|---|---:|---:|---:|---:|---|"]
    for row in rows:
        target = (f"< {row['target_ms']:g} ms" if row.get("target_ms")
                  else "baseline" if row["name"].startswith("Baseline") else "")
        verdict = "" if row.get("passed") is None else ("met" if row["passed"] else "**missed**")
        lines.append(f"| {row['name']} | {row['n']} | {_ms(row['p50_ms'])} | {_ms(row['p95_ms'])} | {target} | {verdict} |")
    return lines


def _engines_section(result: dict) -> list[str]:
    m = result.get("machine", {})
    lines = [
        "## Rule engines (in-process, no database)",
        "",
        f"Measured {result['date']} on {m.get('cores')} cores, Python {m.get('python')}. Each evaluation is a "
        "10-outcome assessment timed with time.perf_counter_ns.",
        "",
        "| Engine | n | p50 (ms) | p95 (ms) | p99 (ms) | Target p99 | Result |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in result["results"]:
        verdict = "met" if row.get("passed") else "**missed**"
        lines.append(f"| {row['name']} | {row['n']} | {row['p50_ms']:.3f} | {row['p95_ms']:.3f} | "
                     f"{row['p99_ms']:.3f} | < {row['target_p99_ms']:g} ms | {verdict} |")
    return [*lines, ""]


def engines_machine() -> dict:
    import os
    import platform

    return {"cores": os.cpu_count(), "python": platform.python_version()}


def write_markdown() -> Path:
    results = _load()
    kept = _kept_sections()
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`benchmarks/run.py`); the README quotes these figures. Server time is measured "
        "in-process around each call: the selector call, or Django's test Client running the whole request "
        "(middleware, view, template, access logging) against the embedded PostgreSQL 16. Every search and every "
        "page read writes its record-access events, as in production. Each figure is over the stated number of "
        "requests after 20 untimed warm-up requests; ratios compare a p95 with the p95 of a bare-SQL baseline "
        "on the same data.",
        "",
    ]
    for name in ORDER:
        if name in results:
            lines += _section(results[name])
        else:
            heading = "Rule engines (in-process, no database)" if name == "engines" else TITLES.get(name, name)
            lines += kept.get(heading, [])
    if not results and not kept:
        lines.append("No results yet: run `make bench`.")
    RESULTS_MD.write_text("\n".join(lines).rstrip() + "\n")
    return RESULTS_MD


def _section(result: dict) -> list[str]:
    lines: list[str] = []
    m = result.get("machine", {})
    if result["profile"] == "engines":
        return _engines_section(result)
    lines += [
        f"## {TITLES.get(result['profile'], result['profile'])}",
        "",
        f"Measured {result['date']} on {m.get('cores')} cores ({m.get('cpu')}), {m.get('memory_gb')} GB RAM; "
        f"Python {m.get('python')}, Django {m.get('django')}, PostgreSQL {m.get('postgresql')} "
        f"(shared_buffers {m.get('shared_buffers')}). Load average when the run started: "
        f"{m.get('load_average_at_start')}"
        + (f", when it ended: {m['load_average_at_end']}" if m.get("load_average_at_end") is not None else "")
        + " (the machine is shared, so the tails carry some noise).",
        "",
    ]
    dataset = result.get("dataset", {})
    if dataset:
        lines += ["Data: " + "; ".join(f"{k}: {v:,}" if isinstance(v, int) else f"{k}: {v}"
                                       for k, v in dataset.items()) + ".", ""]
    if result["results"]:
        lines += _table(result["results"])
        lines.append("")
    if result.get("ratios"):
        lines += ["Ratios against the bare-SQL baselines (p95 / p95): "
                  + "; ".join(f"{k}: **{v}×**" for k, v in result["ratios"].items()) + ".", ""]
    if result.get("search_by_kind"):
        kinds = result["search_by_kind"]
        found = result.get("found_percent_by_kind", {})
        lines += ["Search by kind of query (selector):", "",
                  "| Query | n | p50 (ms) | p95 (ms) | Person sought is in the results |", "|---|---:|---:|---:|---:|"]
        for kind, k in kinds.items():
            lines.append(f"| {kind} | {k['n']} | {_ms(k['p50_ms'])} | {_ms(k['p95_ms'])} | {found.get(kind, '')}% |")
        lines += ["", "Kinds: exact is \"Margaret Smith\"; reversed is \"Smith Margaret\"; typo swaps two "
                  "neighbouring letters (\"Smtih\"); partial is the first three or four letters of each name "
                  "(\"Mar Smi\", which matches many people, so the person sought may be past the first 50); "
                  "name+dob adds the date of birth.", ""]
    if result.get("summary_by_filter"):
        lines += ["Summary by filter (p95 in ms):", "",
                  "| Filter | n | figures.summary p50 | figures.summary p95 | bare SQL p50 | bare SQL p95 | "
                  "Ratio of p95s |", "|---|---:|---:|---:|---:|---:|---:|"]
        for kind, k in result["summary_by_filter"].items():
            mine, bare = k["figures"], k["bare_sql"]
            lines.append(f"| {kind} | {mine['n']} | {_ms(mine['p50_ms'])} | {_ms(mine['p95_ms'])} | "
                         f"{_ms(bare['p50_ms'])} | {_ms(bare['p95_ms'])} | "
                         f"{mine['p95_ms'] / max(bare['p95_ms'], 1e-6):.1f}× |")
        lines.append("")
    if result.get("single_runs"):
        lines += ["Jobs, timed as single runs:", "",
                  "| Job | Rows | Seconds per run | Target | Result | Note |", "|---|---:|---|---:|---|---|"]
        for job in result["single_runs"]:
            target = f"< {job['target_s']:g} s" if job.get("target_s") else ""
            verdict = "" if job.get("passed") is None else ("met" if job["passed"] else "**missed**")
            runs = ", ".join(f"{s:.2f}" for s in job["seconds"])
            lines.append(f"| {job['name']} | {job['rows']:,} | {runs} | {target} | {verdict} | "
                         f"{job.get('note', '')} |")
        lines.append("")
    for note in result.get("notes", []):
        lines += [f"- {note}"]
    if result.get("notes"):
        lines.append("")
    return lines
