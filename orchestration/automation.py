"""The job, the hourly schedule, the inbox sensor and the run-failure sensor."""

import json
import os
import shlex
import subprocess

import dagster as dg

from orchestration.inbox import fingerprint, scan_inbox
from orchestration.warehouse import WarehouseResource, resource_from_env, utcnow

warehouse_job = dg.define_asset_job(
    name="warehouse_job",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,  # one process: no per-step start-up, one spaCy load, one run lock
    description="Incremental run: ingest new inbox files, clean, NLP, checks, views, publish, report.",
)

hourly_schedule = dg.ScheduleDefinition(
    name="hourly_incremental",
    job=warehouse_job,
    cron_schedule=os.environ.get("NEWS_SCHEDULE_CRON", "0 * * * *"),
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Runs the incremental pipeline every hour (NEWS_SCHEDULE_CRON); a run that finds nothing new "
                "writes nothing but its raw.runs row.",
)


@dg.sensor(
    job=warehouse_job,
    minimum_interval_seconds=int(os.environ.get("NEWS_SENSOR_INTERVAL", "30")),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a run when the set of inbox files changes: the cursor is a hash of every file's path, "
                "size and mtime, so files copied in with old modification times and changed contents are seen.",
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    inbox = resource_from_env().inbox
    files = scan_inbox(inbox)
    state = fingerprint(files)
    if state == context.cursor:
        return dg.SkipReason(f"No change among the {len(files)} files under {inbox}.")
    context.update_cursor(state)
    # no run_key: an inbox that returns to an earlier state (a file moved out and back) is new work again
    return dg.RunRequest(tags={"news/trigger": "sensor"})


def notify(message: str) -> None:
    """Optional operator notification: NEWS_NOTIFY_COMMAND gets the message on stdin."""
    command = os.environ.get("NEWS_NOTIFY_COMMAND")
    if command:
        subprocess.run(shlex.split(command), input=message.encode(), timeout=60, check=False)


def record_failure(warehouse: WarehouseResource, run_id: str, message: str, trigger: str) -> None:
    """A raw.runs row for a failed run, written under the writer lock (or a log line if it is busy)."""
    try:
        with warehouse.run_lock():
            warehouse.ensure_schema()
            with warehouse.get_connection() as conn:
                conn.execute("""
                    INSERT INTO raw.runs (run_id, started_at, ended_at, status, trigger, message)
                    VALUES (?, ?, ?, 'failed', ?, ?)
                    ON CONFLICT (run_id) DO UPDATE SET status = 'failed', message = excluded.message,
                        ended_at = coalesce(raw.runs.ended_at, excluded.ended_at)""",
                             [run_id, utcnow(), utcnow(), trigger, message[:4000]])
    except Exception as exc:  # the failure record must not fail silently: fall back to a file
        fallback = os.path.join(os.path.dirname(warehouse.work_path), "run_failures.jsonl")
        with open(fallback, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"run_id": run_id, "at": utcnow().isoformat(), "message": message,
                                 "record_error": str(exc)}) + "\n")


@dg.run_failure_sensor(
    name="record_run_failures",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Records every failed run in raw.runs (status failed, with the error) and the log, and runs "
                "NEWS_NOTIFY_COMMAND when it is set.",
)
def record_run_failures(context: dg.RunFailureSensorContext):
    run = context.dagster_run
    message = context.failure_event.message or "run failed"
    trigger = "schedule" if "dagster/schedule_name" in run.tags else (
        "sensor" if "dagster/sensor_name" in run.tags else "ui")
    context.log.error(f"Run {run.run_id} of {run.job_name} failed: {message}")
    record_failure(resource_from_env(lock_timeout_s=60.0), run.run_id, message, trigger)
    notify(f"news-warehouse run {run.run_id} ({trigger}) failed: {message}")
