"""Shared fixtures: a warehouse built once from the sample articles (the end-to-end tests use it)."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "seeds" / "articles"


def settings_for(tmp: Path, inbox: Path, **extra) -> dict:
    warehouse = tmp / "warehouse.duckdb"
    return dict(database=str(tmp / ".work" / "warehouse.duckdb"), warehouse_path=str(warehouse),
                inbox=str(inbox), **extra)


def run(tmp: Path, inbox: Path, **extra):
    from orchestration.cli import run_pipeline

    return run_pipeline(trigger="test", log_level="WARNING", **settings_for(tmp, inbox, **extra))


@pytest.fixture(scope="session")
def samples_warehouse(tmp_path_factory) -> Path:
    """The published warehouse built from a copy of seeds/articles; tests only read it."""
    tmp = tmp_path_factory.mktemp("samples")
    inbox = tmp / "inbox"
    shutil.copytree(SAMPLES, inbox)
    ok, problems, wh = run(tmp, inbox)
    assert ok, problems
    return Path(wh.warehouse_path)


OCT2023 = ROOT / "tests" / "fixtures" / "oct2023"


@pytest.fixture(scope="session")
def oct2023_warehouse(tmp_path_factory) -> Path:
    """The samples plus the October 2023 fixture corpus (32 short devset excerpts, one batch file)."""
    tmp = tmp_path_factory.mktemp("oct2023")
    inbox = tmp / "inbox"
    shutil.copytree(SAMPLES, inbox)
    shutil.copy(OCT2023 / "articles.jsonl", inbox / "articles.jsonl")
    ok, problems, wh = run(tmp, inbox)
    assert ok, problems
    return Path(wh.warehouse_path)


@pytest.fixture()
def ro(samples_warehouse):
    conn = duckdb.connect(str(samples_warehouse), read_only=True)
    yield conn
    conn.close()
