"""benchmarks/RESULTS.md is rewritten from the JSON of the profiles run on this machine; the sections of
profiles run elsewhere (their JSON is not in git) are kept as they were."""

from __future__ import annotations

import json

from benchmarks import results


def test_running_one_profile_keeps_the_other_profiles_sections(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "RESULTS_DIR", tmp_path / "results")
    monkeypatch.setattr(results, "RESULTS_MD", tmp_path / "RESULTS.md")
    (tmp_path / "RESULTS.md").write_text(
        "# Benchmark results\n\nintro\n\n## City scale: the leicester profile\n\nMeasured long ago: p95 21.7 ms\n\n"
        "## Direct payments: a payment run over 10,000 agreements\n\nold figure 9.9 s\n")
    results.save({"profile": "dp", "machine": {"cores": 2}, "dataset": {"agreements": 10_000},
                  "results": [], "single_runs": [{"name": "payment_run()", "rows": 17_700, "seconds": [0.31],
                                                  "target_s": 30, "passed": True}]})
    text = results.write_markdown().read_text()
    assert "Measured long ago: p95 21.7 ms" in text  # leicester: no JSON here, so kept
    assert "old figure 9.9 s" not in text and "| payment_run() | 17,700 | 0.31 | < 30 s | met |" in text
    assert text.index("leicester profile") < text.index("Direct payments")
    assert json.loads((tmp_path / "results" / "dp.json").read_text())["profile"] == "dp"
