"""Forked workers: same results as one process, errors and dead workers reported, not swallowed."""
from __future__ import annotations

import os
import shutil
import signal

import duckdb
import pytest

from tests.conftest import SAMPLES, run
from transforms import parallel


def _square(items):
    for x in items:
        yield x * x


def test_stream_gives_every_result_once():
    out = list(parallel.stream(_square, range(1000), n_process=2, chunk_size=7))
    assert sorted(out) == [x * x for x in range(1000)]
    assert list(parallel.stream(_square, range(5), n_process=1)) == [0, 1, 4, 9, 16]


def _fail_on_13(items):
    for x in items:
        if x == 13:
            raise ValueError("bad item 13")
        yield x


def test_worker_errors_are_raised_in_the_parent():
    with pytest.raises(RuntimeError, match="bad item 13"):
        list(parallel.stream(_fail_on_13, range(100), n_process=2, chunk_size=4))


def _die(items):
    for x in items:
        if x == 3:
            os._exit(7)
        yield x


def test_a_dead_worker_is_reported():
    with pytest.raises(RuntimeError, match="died"):
        list(parallel.stream(_die, range(50), n_process=2, chunk_size=2))


def _tables(path):
    conn = duckdb.connect(str(path), read_only=True)
    try:
        return {t: conn.execute(f"SELECT * EXCLUDE (extractor_version) FROM {t} ORDER BY ALL").fetchall()
                for t in ("core.entity_mentions", "core.figures")} | {
            "core.articles": conn.execute("SELECT * EXCLUDE (processed_at, ingested_at) FROM core.articles "
                                          "ORDER BY ALL").fetchall()}
    finally:
        conn.close()


@pytest.mark.spacy
def test_parallel_build_equals_single_process(tmp_path, samples_warehouse):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES, inbox)
    ok, problems, wh = run(tmp_path, inbox, n_process=2, parallel_min_articles=1)
    assert ok, problems
    assert _tables(wh.warehouse_path) == _tables(samples_warehouse)


DIE_WITH_A_FULL_QUEUE = """
import os, sys
from transforms import parallel

def die(items):
    next(items)
    os._exit(9)  # killed mid-run (as by the OOM killer) with chunks still queued for it
    yield

try:
    list(parallel.stream(die, ("x" * 1_000_000 for _ in range(50)), n_process=2, chunk_size=1))
except RuntimeError as exc:
    print("raised:", exc)
"""


def test_a_run_whose_workers_died_still_exits():
    """Chunks queued for workers that died must not keep the process from exiting (multiprocessing joins a
    queue's feeder thread at exit, and it waits forever on a pipe nobody reads)."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    done = subprocess.run([sys.executable, "-c", DIE_WITH_A_FULL_QUEUE], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0 and "raised: a worker process died" in done.stdout, (done.stdout, done.stderr)



def _dispositions(items):
    for _ in items:
        yield signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def test_workers_do_not_inherit_the_parents_signal_handlers():
    """A fork inherits the run process's SIGTERM handler (Dagster's raises an exception): a worker that
    turned terminate() into an exception hung at exit on its full queue, and with it a SIGTERMed run."""
    def interrupt(signum, frame):
        raise RuntimeError("interrupted")

    before = signal.signal(signal.SIGTERM, interrupt)
    try:
        seen = set(parallel.stream(_dispositions, range(8), n_process=2, chunk_size=1))
    finally:
        signal.signal(signal.SIGTERM, before)
    assert seen == {(True, True)}
