"""What `dagster dev` loads: assets, checks, job, schedule and sensors, and the sensor's cursor."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from orchestration.automation import build_inbox_sensor
from orchestration.definitions import defs

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = {"raw/files", "raw/documents", "raw/rejected", "core/articles", "core/entity_mentions",
            "core/sentence_parses", "core/figures", "ref/series", "analytics/entity_summary",
            "analytics/figure_timeline", "analytics/article_summary", "warehouse/published", "report/html"}


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
    assert all(s.blocking for s in specs if s.name not in ("articles_expectations", "figures_expectations"))
    assert defs.resolve_job_def("warehouse_job")
    assert [s.cron_schedule for s in defs.schedules] == ["0 * * * *"]
    assert {s.name for s in defs.sensors} == {"inbox_sensor", "record_run_failures"}
    # every asset carries a code version: the hash of what decides its content
    assert all(graph.get(k).code_version for k in graph.get_all_asset_keys())
    # figures are their own asset, downstream of the NLP stage's outputs
    assert {k.to_user_string() for k in graph.get(dg.AssetKey(["core", "figures"])).parent_keys} == {
        "core/entity_mentions", "core/sentence_parses"}


def test_sensor_sees_new_and_old_files_and_changed_content(tmp_path, monkeypatch):
    from orchestration.warehouse import resource_from_env

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("first article")
    monkeypatch.setenv("NEWS_INBOX", str(inbox))
    monkeypatch.setenv("NEWS_WAREHOUSE", str(tmp_path / "w.duckdb"))
    inbox_sensor = build_inbox_sensor()
    instance = dg.DagsterInstance.ephemeral()

    def tick(cursor):
        # the sensor gets the resource, so its EnvVar settings (and any override) apply
        with dg.build_sensor_context(cursor=cursor, instance=instance,
                                     resources={"warehouse": resource_from_env()}) as ctx:
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
    # the inbox back in an earlier state is new work, with a run key of its own
    (inbox / "a.txt").write_text("first article")
    os.utime(inbox / "a.txt", ns=(1_600_000_000 * 10**9, 1_600_000_000 * 10**9))
    back, c5 = tick(_)
    (inbox / "a.txt").write_text("first article, corrected")
    again, c6 = tick(c5)
    assert isinstance(back, dg.RunRequest) and isinstance(again, dg.RunRequest)
    assert len({r.run_key for r in (first, found, changed, back, again)}) == 5


def test_sensor_skips_when_the_inbox_is_missing_or_a_run_is_active(tmp_path, monkeypatch):
    from orchestration.warehouse import resource_from_env

    monkeypatch.setenv("NEWS_INBOX", str(tmp_path / "not-mounted"))
    monkeypatch.setenv("NEWS_WAREHOUSE", str(tmp_path / "w.duckdb"))
    sensor = build_inbox_sensor()
    with dg.DagsterInstance.ephemeral() as instance:
        with dg.build_sensor_context(instance=instance, resources={"warehouse": resource_from_env()}) as ctx:
            result = sensor(ctx)
        assert isinstance(result, dg.SkipReason)
        assert result.skip_message.startswith("NEWS_INBOX is ") and "not-mounted" in result.skip_message
        (tmp_path / "not-mounted").mkdir()
        (tmp_path / "not-mounted" / "a.txt").write_text("an article")
        # a run of the job in progress: skip, and look again when it ends
        run = instance.create_run_for_job(defs.resolve_job_def("warehouse_job"), status=dg.DagsterRunStatus.STARTED)
        with dg.build_sensor_context(instance=instance, resources={"warehouse": resource_from_env()}) as ctx:
            busy = sensor(ctx)
        assert isinstance(busy, dg.SkipReason) and run.run_id in busy.skip_message
