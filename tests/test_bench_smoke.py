"""A smoke run of the benchmark on the samples: every step runs and prints its figures.
(Speed is measured by `make bench`, never asserted by a test.)"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.spacy, pytest.mark.slow]


def test_benchmark_runs_on_the_samples():
    proc = subprocess.run([sys.executable, "bench/benchmark.py", "seeds/articles", "--scales", "1,2",
                           "--rebuilds", "1", "--parquet-rows", "40"], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    for step in ("(a) stock spaCy", "(b) NER + parse", "(c) whole pipeline, fresh warehouse", "(d) one new article",
                 "(e) nothing new", "(f) make rebuild 1 of 1", "(g) figure rules changed",
                 "(h) one Parquet batch of 40 rows", "(c) whole pipeline, fresh warehouse x2"):
        line = next(ln for ln in out.splitlines() if ln.startswith(step))
        wall, rss = float(line.split()[-4]), float(line.split()[-1])
        assert wall > 0 and rss > 50, line
    assert re.search(r"\(c\)/\(a\) wall time: \d+\.\d\d", out)
    assert re.search(r"\(b\)/\(c\) wall time: \d+\.\d\d", out)
    assert re.search(r"peak RSS x2 vs x1: \d+\.\d\d", out)
    assert re.search(r"\(g\)/\(c\) wall time: \d+\.\d\d", out)
    assert re.search(r"published size after 1 rebuilds vs fresh: \d+\.\d\d", out)
    assert re.search(r"\(h\) peak RSS vs \(c\): \d+\.\d\d", out)
    assert "5 articles" in out and "cores" in out
