"""The job, the incremental schedule, the inbox sensor, the run-failure sensor and the ledger's freshness."""

import datetime as dt
import json
import os
import re
import subprocess

import dagster as dg

from orchestration import settings as st
from orchestration.inbox import fingerprint, scan_inbox
from orchestration.warehouse import WarehouseResource, resolved, utcnow

warehouse_job = dg.define_asset_job(
    name="warehouse_job",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,  # one process: no per-step start-up, one spaCy load, one run lock
    description="Incremental run: ingest new inbox files, clean, NLP, figures, checks, views, publish, report. "
                "A stage with nothing to do records no materialization.",
)


def schedule_cron() -> str:
    """NEWS_SCHEDULE_CRON, checked when the definitions load (a bad value is the code location's error)."""
    st.apply_defaults()
    return st.check_cron(st.value_of("NEWS_SCHEDULE_CRON"))


def sensor_interval() -> int:
    return st.int_setting("NEWS_SENSOR_INTERVAL", st.value_of("NEWS_SENSOR_INTERVAL"), 1, "of seconds, 1 or more")


def schedule_interval(cron: str) -> dt.timedelta:
    """The longest gap between two ticks of the schedule over the next week (hourly: one hour)."""
    from dagster._utils.schedules import cron_string_iterator

    ticks = cron_string_iterator(dt.datetime.now(dt.UTC).timestamp(), cron, "UTC")
    times = [next(ticks) for _ in range(200)]
    return max(b - a for a, b in zip(times, times[1:], strict=False))


def ledger_freshness() -> dg.FreshnessPolicy:
    """raw/files is materialized by every run (quiet ones too): stale when the inbox was not looked at
    within two schedule intervals."""
    interval = schedule_interval(schedule_cron())
    return dg.FreshnessPolicy.time_window(fail_window=2 * interval, warn_window=interval)


def build_schedule() -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="hourly_incremental",
        job=warehouse_job,
        cron_schedule=schedule_cron(),
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Runs the incremental pipeline on NEWS_SCHEDULE_CRON (every hour by default); a run that finds "
                    "nothing new materializes only the ledger (raw/files).",
    )


ACTIVE = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
          dg.DagsterRunStatus.STARTED]


def build_inbox_sensor() -> dg.SensorDefinition:
    @dg.sensor(
        name="inbox_sensor",
        job=warehouse_job,
        minimum_interval_seconds=sensor_interval(),
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Starts a run when the inbox changes: the cursor hashes every file's path, size and mtime, so "
                    "files copied in with old modification times and changed contents are seen. It skips while a "
                    "run of the job is queued or in progress, and when a setting is wrong (the skip reason says "
                    "which).",
    )
    def inbox_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
        # Every setting, as a run would check it: a run that would fail at once is not requested, and the
        # tick says why in the same sentence (an unmounted inbox, a mistyped number, a missing model).
        try:
            inbox = st.check(warehouse.setting_values()).inbox
        except st.SettingsError as exc:
            return dg.SkipReason(str(exc))
        active = context.instance.get_runs(dg.RunsFilter(job_name=warehouse_job.name, statuses=ACTIVE), limit=1)
        if active:
            return dg.SkipReason(f"Run {active[0].run_id} is queued or in progress; the inbox is looked at again "
                                 "when it ends.")
        files = scan_inbox(inbox)
        state = fingerprint(files)
        cursor = json.loads(context.cursor) if context.cursor and context.cursor.startswith("{") else {}
        if state == cursor.get("state"):
            return dg.SkipReason(f"No change among the {len(files)} files under {inbox}.")
        # The counter makes each change its own run key: a duplicate request for the same change is
        # impossible, while an inbox back in an earlier state (a file moved out and back) is new work.
        counter = int(cursor.get("counter", 0)) + 1
        context.update_cursor(json.dumps({"state": state, "counter": counter}))
        return dg.RunRequest(run_key=f"inbox-{state[:16]}-{counter}", tags={"news/trigger": "sensor"})

    return inbox_sensor


def notify(message: str) -> None:
    """Optional operator notification: NEWS_NOTIFY_COMMAND gets the message on stdin."""
    try:
        argv = st.check_notify(st.value_of("NEWS_NOTIFY_COMMAND"))
    except st.SettingsError:
        return  # reported by the settings check; never echo the command
    if argv:
        try:
            subprocess.run(argv, input=message.encode(), timeout=60, check=False)  # noqa: S603 -- the operator's own command
        except (OSError, subprocess.SubprocessError):  # a hung or vanished notifier must not fail the caller
            pass


def root_cause(err) -> str:
    """The user's exception, not Dagster's wrapper ('Error occurred while executing op ...')."""
    if err is None:
        return "unknown error"
    while err.cause is not None and (err.cls_name or "").startswith("Dagster"):
        err = err.cause
    message = err.message.strip()
    # Dagster prefixes the class's dotted name ("orchestration.assets.raw.VanishedInbox: ..."). Our own
    # errors and dg.Failure carry a sentence for a person, so it goes; others keep it ("OSError: ...").
    own = r"(?:orchestration|transforms)\.[\w.]*|dagster\._core\.definitions\.events\."
    return re.sub(rf"^(?:{own}){re.escape(err.cls_name or '')}: ", "", message)


def failure_message(instance: dg.DagsterInstance, run_id: str, fallback: str) -> str:
    """Why a run failed, in the words of the errors that failed it (Dagster's own run-failure message
    only says that steps failed); steps that failed alike are named together."""
    causes: dict[str, list[str]] = {}
    kinds = {dg.DagsterEventType.STEP_FAILURE, dg.DagsterEventType.RESOURCE_INIT_FAILURE}
    try:
        records = instance.all_logs(run_id, of_type=kinds)
    except Exception:
        return fallback
    for record in records:
        event = record.dagster_event
        err = getattr(event.event_specific_data, "error", None) if event else None
        if err is not None:
            causes.setdefault(root_cause(err), []).append(event.step_key or "resources")
    if not causes:
        return fallback
    return "; ".join(f"{cause} (failed: {', '.join(steps)})" for cause, steps in causes.items())


def record_failure(warehouse: WarehouseResource, run_id: str, message: str, trigger: str) -> None:
    """A raw.runs row for a failed run, written under the writer lock (or a file line if it cannot be)."""
    try:
        st.check_warehouse(warehouse.warehouse_path)
        with warehouse.run_lock(), warehouse.get_connection() as conn:
            warehouse.ensure_schema(conn)
            conn.execute("""
                INSERT INTO raw.runs (run_id, started_at, ended_at, status, trigger, message)
                VALUES (?, ?, ?, 'failed', ?, ?)
                ON CONFLICT (run_id) DO UPDATE SET status = 'failed', message = excluded.message,
                    ended_at = coalesce(raw.runs.ended_at, excluded.ended_at)""",
                         [run_id, utcnow(), utcnow(), trigger, message[:4000]])
    except Exception as exc:  # the failure record must not fail silently: fall back to a file, else stderr
        line = json.dumps({"run_id": run_id, "at": utcnow().isoformat(), "message": message,
                           "record_error": str(exc)}) + "\n"
        try:
            fallback = os.path.join(os.path.dirname(warehouse.work_path), "run_failures.jsonl")
            os.makedirs(os.path.dirname(fallback), exist_ok=True)
            with open(fallback, "a", encoding="utf-8") as fh:
                fh.write(line)
        except OSError:
            import sys

            sys.stderr.write(line)


@dg.run_failure_sensor(
    name="record_run_failures",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Records every failed run in raw.runs (status failed, with the error) and the log, and runs "
                "NEWS_NOTIFY_COMMAND when it is set. A bad setting does not stop it: it falls back to a log line.",
)
def record_run_failures(context: dg.RunFailureSensorContext):
    from orchestration.warehouse import resource_from_env

    run = context.dagster_run
    message = failure_message(context.instance, run.run_id, context.failure_event.message or "run failed")
    trigger = "schedule" if "dagster/schedule_name" in run.tags else (
        "sensor" if "dagster/sensor_name" in run.tags else "ui")
    context.log.error(f"Run {run.run_id} of {run.job_name} failed: {message}")
    try:
        warehouse = resolved(resource_from_env(lock_timeout_s=60.0))
    except Exception as exc:  # settings so broken the resource cannot be built: the log line above is the record
        context.log.error(f"Could not record the failure in raw.runs: {exc}")
        return
    record_failure(warehouse, run.run_id, message, trigger)
    notify(f"news-warehouse run {run.run_id} ({trigger}) failed: {message}")
