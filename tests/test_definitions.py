"""What `dagster dev` loads: assets, checks, job, schedule and sensors, and the sensor's cursor."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from orchestration.automation import hourly_schedule, inbox_sensor
from orchestration.definitions import defs

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = {"raw/files", "raw/documents", "raw/rejected", "core/articles", "core/entity_mentions", "core/figures",
            "analytics/entity_summary", "analytics/figure_timeline", "analytics/article_summary",
            "warehouse/published", "report/html"}


def test_definitions_validate():
    dg.Definitions.validate_loadable(defs)


def test_workspace_loads_with_the_dagster_cli(tmp_path):
    # the same loader `dagster dev -w workspace.yaml` uses, with an instance of its own
    env = dict(os.environ, DAGSTER_HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_assets_checks_and_automation_are_described():
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert CONTRACT <= keys
    for key in graph.get_all_asset_keys():
        assert graph.get(key).description, key
    checks = list(graph.asset_check_keys)
    assert len(checks) >= 8
    specs = [graph.get_check_spec(k) for k in checks]
    for spec in specs:
        assert spec.description, spec.key
    assert all(s.blocking for s in specs)
    assert defs.resolve_job_def("warehouse_job")
    assert hourly_schedule.cron_schedule == "0 * * * *"
    assert {s.name for s in defs.sensors} == {"inbox_sensor", "record_run_failures"}


def test_sensor_sees_new_and_old_files_and_changed_content(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("first article")
    monkeypatch.setenv("NEWS_INBOX", str(inbox))
    monkeypatch.setenv("NEWS_WAREHOUSE", str(tmp_path / "w.duckdb"))

    def tick(cursor):
        ctx = dg.build_sensor_context(cursor=cursor)
        result = inbox_sensor(ctx)
        return result, ctx.cursor

    first, cursor = tick(None)
    assert isinstance(first, dg.RunRequest)
    again, cursor2 = tick(cursor)
    assert isinstance(again, dg.SkipReason) and cursor2 == cursor
    # a file copied in with a modification time from 2001 is still new work
    old = inbox / "sub" / "old.TXT"
    old.parent.mkdir()
    old.write_text("an archived article")
    os.utime(old, (1_000_000_000, 1_000_000_000))
    found, cursor3 = tick(cursor)
    assert isinstance(found, dg.RunRequest) and cursor3 != cursor
    # same name, new content
    (inbox / "a.txt").write_text("first article, corrected")
    changed, _ = tick(cursor3)
    assert isinstance(changed, dg.RunRequest)
