"""Headless entry points: `python -m orchestration run | rebuild | status`.

`run` checks every setting, then materializes every asset once on an ephemeral Dagster instance
(the path `make run` takes), prints a short summary and exits non-zero when a setting is bad, a
step fails or a blocking check fails.
"""
from __future__ import annotations

import argparse
import sys
import time

import dagster as dg
import duckdb

from orchestration import settings as st
from orchestration.automation import notify, record_failure, root_cause
from orchestration.sidecar import take_prewarmed
from orchestration.warehouse import WarehouseResource, resolved, resource_from_env


def run_pipeline(trigger: str = "cli", instance: dg.DagsterInstance | None = None,
                 log_level: str = "INFO", with_result: bool = False, **overrides):
    """Run the whole job in this process. Returns (ok, problems, resource), and with
    with_result=True also Dagster's ExecuteInProcessResult (events, check evaluations, metadata).
    A bad setting returns (False, [its sentence], resource) before anything runs."""
    warehouse = resolved(resource_from_env(**overrides))
    try:
        warehouse.settings  # noqa: B018
        from orchestration.definitions import build_definitions

        defs = build_definitions(trigger=trigger, **overrides)
    except st.SettingsError as exc:
        return (False, [str(exc)], warehouse, None) if with_result else (False, [str(exc)], warehouse)
    job = defs.resolve_job_def("warehouse_job")
    own_instance = instance is None
    instance = instance or dg.DagsterInstance.ephemeral()
    try:
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, tags={"news/trigger": trigger, **warehouse.settings.tags()},
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}})
    finally:
        if own_instance:
            instance.dispose()
    problems: list[str] = []
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.STEP_FAILURE:
            err = event.event_specific_data.error
            problems.append(f"step {event.step_key} failed: {root_cause(err)}")
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            ev = event.event_specific_data
            if not ev.passed and ev.severity == dg.AssetCheckSeverity.ERROR:
                bad = ev.metadata.get("offending_rows")
                problems.append(f"check {ev.asset_key.to_user_string()}:{ev.check_name} failed"
                                + (f" ({bad.value} offending rows)" if bad is not None else ""))
    ok = result.success and not problems
    if not ok:
        message = "; ".join(problems) or "run failed"
        record_failure(warehouse, result.run_id, message, trigger)
        notify(f"news-warehouse run {result.run_id} ({trigger}) failed: {message}")
    if with_result:
        return ok, problems, warehouse, result
    return ok, problems, warehouse


def summary(warehouse: WarehouseResource) -> str:
    path = warehouse.published_path
    try:
        conn = duckdb.connect(path, read_only=True)
    except duckdb.Error as exc:
        return f"No published warehouse at {path} ({exc})."
    try:
        def one(sql: str):
            return conn.execute(sql).fetchone()[0]
        # S608 below misreads constant SQL inside these messages: nothing is formatted into SQL.
        lines = [
            f"Warehouse: {path} (read-only copy; report: {warehouse.report_path})",
            f"  documents: {one('SELECT count(*) FROM raw.documents')}   "  # noqa: S608
            f"rejected: {one('SELECT count(*) FROM raw.rejected')}",
            f"  articles: {one('SELECT count(*) FROM core.articles')} "  # noqa: S608
            f"(dated: {one('SELECT count(published_date) FROM core.articles')}, "
            f"duplicates: {one('SELECT count(duplicate_of) FROM core.articles')}, "
            f"outlets: {one('SELECT count(DISTINCT outlet) FROM core.articles')})",
            f"  entity mentions: {one('SELECT count(*) FROM core.entity_mentions')} "  # noqa: S608
            f"({one('SELECT count(DISTINCT entity) FROM core.entity_mentions')} entities)",
            f"  figures: {one('SELECT count(*) FROM core.figures')}",  # noqa: S608
            f"  published at: {one('SELECT max(published_at) FROM raw.runs')} UTC",  # noqa: S608
        ]
        return "\n".join(lines)
    finally:
        conn.close()


def rebuild(warehouse: WarehouseResource) -> None:
    """Forget every core row and clean-stage rejection; the next run rebuilds them from raw."""
    with warehouse.run_lock(), warehouse.get_connection() as conn:
        warehouse.ensure_schema(conn)
        conn.execute("BEGIN TRANSACTION")
        for table in ("core.figures", "core.figure_state", "core.entity_mentions", "core.sentence_parses",
                      "core.nlp_state", "core.article_rows", "core.clean_rejections"):
            conn.execute(f"DELETE FROM {table}")  # noqa: S608 -- fixed table names
        conn.execute("COMMIT")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration")
    parser.add_argument("command", choices=["run", "rebuild", "status"])
    args = parser.parse_args(argv)
    warehouse = resolved(resource_from_env())
    try:
        warehouse.settings  # noqa: B018 -- every NEWS_* setting (the schedule's and sensor's too), before any work
    except st.SettingsError as exc:
        print(f"Setting error: {exc}", file=sys.stderr)
        helper = take_prewarmed()  # started by __main__ before the check; not needed now
        if helper is not None:
            helper.close()
        return 2
    if args.command == "status":
        print(warehouse.settings.line())
        print(summary(warehouse))
        return 0
    print(warehouse.settings.line(), flush=True)
    t0 = time.perf_counter()
    if args.command == "rebuild":
        rebuild(warehouse)
        print("Cleared the core tables; rebuilding every article from raw.documents.")
    ok, problems, warehouse = run_pipeline(trigger="cli")
    print(summary(warehouse))
    print(f"Run {'succeeded' if ok else 'FAILED'} in {time.perf_counter() - t0:.1f}s.")
    for p in problems:
        print(f"  - {p}", file=sys.stderr)
    return 0 if ok else 1
