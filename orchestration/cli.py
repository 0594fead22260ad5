"""Headless entry points: `python -m orchestration run | rebuild | status`.

`run` materializes every asset once on an ephemeral Dagster instance (the path `make run` takes),
prints a short summary and exits non-zero when a step or a blocking check fails.
"""
from __future__ import annotations

import argparse
import sys
import time

import dagster as dg
import duckdb

from orchestration.automation import notify, record_failure
from orchestration.warehouse import WarehouseResource, resource_from_env


def run_pipeline(trigger: str = "cli", instance: dg.DagsterInstance | None = None,
                 log_level: str = "INFO", with_result: bool = False, **overrides):
    """Run the whole job in this process. Returns (ok, problems, resource), and with
    with_result=True also Dagster's ExecuteInProcessResult (events, check evaluations, metadata)."""
    from orchestration.definitions import build_definitions

    defs = build_definitions(trigger=trigger, **overrides)
    warehouse: WarehouseResource = defs.resources["warehouse"]
    job = defs.resolve_job_def("warehouse_job")
    own_instance = instance is None
    instance = instance or dg.DagsterInstance.ephemeral()
    try:
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, tags={"news/trigger": trigger},
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}})
    finally:
        if own_instance:
            instance.dispose()
    problems: list[str] = []
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.STEP_FAILURE:
            err = event.event_specific_data.error
            problems.append(f"step {event.step_key} failed: {_root_cause(err)}")
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


def _root_cause(err) -> str:
    """The user's exception, not Dagster's wrapper ('Error occurred while executing op ...')."""
    if err is None:
        return "unknown error"
    while err.cause is not None and (err.cls_name or "").startswith("Dagster"):
        err = err.cause
    return err.message.strip()


def summary(warehouse: WarehouseResource) -> str:
    path = warehouse.warehouse_path
    try:
        conn = duckdb.connect(path, read_only=True)
    except duckdb.Error as exc:
        return f"No published warehouse at {path} ({exc})."
    try:
        def one(sql: str):
            return conn.execute(sql).fetchone()[0]
        lines = [
            f"Warehouse: {path} (read-only copy; report: {warehouse.report_path})",
            f"  files seen (last published run): {one('SELECT files_seen FROM raw.runs WHERE published_at IS NOT NULL ORDER BY published_at DESC LIMIT 1')}",
            f"  documents: {one('SELECT count(*) FROM raw.documents')}   rejected: {one('SELECT count(*) FROM raw.rejected')}",
            f"  articles: {one('SELECT count(*) FROM core.articles')} "
            f"(dated: {one('SELECT count(published_date) FROM core.articles')}, "
            f"duplicates: {one('SELECT count(duplicate_of) FROM core.articles')})",
            f"  entity mentions: {one('SELECT count(*) FROM core.entity_mentions')} "
            f"({one('SELECT count(DISTINCT entity) FROM core.entity_mentions')} entities)",
            f"  figures: {one('SELECT count(*) FROM core.figures')}",
            f"  published at: {one('SELECT max(published_at) FROM raw.runs')} UTC",
        ]
        return "\n".join(lines)
    finally:
        conn.close()


def rebuild(warehouse: WarehouseResource) -> None:
    """Forget every core row and clean-stage rejection; the next run rebuilds them from raw."""
    with warehouse.run_lock():
        warehouse.ensure_schema()
        with warehouse.transaction() as conn:
            for table in ("core.entity_mentions", "core.figures", "core.articles"):
                conn.execute(f"DELETE FROM {table}")  # fixed table names
            conn.execute("DELETE FROM raw.rejected WHERE stage = 'clean'")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration")
    parser.add_argument("command", choices=["run", "rebuild", "status"])
    args = parser.parse_args(argv)
    if args.command == "status":
        print(summary(resource_from_env()))
        return 0
    t0 = time.perf_counter()
    if args.command == "rebuild":
        rebuild(resource_from_env())
        print("Cleared core tables; rebuilding every article from raw.documents.")
    ok, problems, warehouse = run_pipeline(trigger="cli")
    print(summary(warehouse))
    print(f"Run {'succeeded' if ok else 'FAILED'} in {time.perf_counter() - t0:.1f}s.")
    for p in problems:
        print(f"  - {p}", file=sys.stderr)
    return 0 if ok else 1
