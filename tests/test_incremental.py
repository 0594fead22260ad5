"""Issue 4, points 1, 4, 6 and 7: incremental by content (changed, deleted, returning files), an analyst's
open session beside a run, reprocessing when the extractor version changes, blocking checks."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.inbox import FileStat, scan_inbox
from tests.conftest import SAMPLES, settings_for

pytestmark = pytest.mark.spacy

CHANGED = "001_fafcefb7174c792e.txt"
DELETED = "002_ae4e6a7540fb81fa.txt"
LARGE = "003_034f16be5b20a66f.txt"   # 4,915 bytes: over a 4,000-byte limit
NEW_ARTICLE = ("Aid convoy reaches the north\n\nAt least 30 trucks carrying food and medicine crossed into the "
               "north of the territory on Sunday, the United Nations said.\n")
PARAGRAPH = "\nThe State Department said on Monday that at least 14 aid workers had been injured.\n"


def run(tmp: Path, inbox: Path, **extra):
    from orchestration.cli import run_pipeline

    return run_pipeline(trigger="test", log_level="WARNING", with_result=True, **settings_for(tmp, inbox, **extra))


def q(path: str, sql: str, params: list | None = None) -> list[tuple]:
    conn = duckdb.connect(path, read_only=True)
    try:
        return conn.execute(sql, params or []).fetchall()
    finally:
        conn.close()


def file_state(path: str) -> tuple:
    st = os.stat(path)
    return st.st_ino, st.st_size, st.st_mtime_ns, Path(path).read_bytes()


def publish_meta(result) -> dict:
    (mat,) = [m.materialization.metadata for m in result.get_asset_materialization_events()
              if m.asset_key.to_user_string() == "warehouse/published"]
    return {k: v.value for k, v in mat.items()}


def last_run(work: str) -> dict:
    cur = duckdb.connect(work, read_only=True)
    try:
        c = cur.execute("SELECT * FROM raw.runs ORDER BY started_at DESC LIMIT 1")
        return dict(zip([d[0] for d in c.description], c.fetchone(), strict=True))
    finally:
        cur.close()


def test_changed_deleted_and_returning_files_and_an_analyst_beside_the_run(tmp_path, monkeypatch, capsys):
    from orchestration import inbox as raw_mod  # the scan every run starts with

    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES, inbox)
    # rejected unread by every run (a link out of the inbox): looked at again each time, never re-recorded
    (tmp_path / "elsewhere.txt").write_text(NEW_ARTICLE)
    os.symlink(tmp_path / "elsewhere.txt", inbox / "link_out.txt")
    # late.txt is listed by the first scan but gone when read (moved away); it comes back unchanged later.
    parked = tmp_path / "parked_late.txt"
    parked.write_text(NEW_ARTICLE)
    late = FileStat("late.txt", str(inbox / "late.txt"), parked.stat().st_size, parked.stat().st_mtime_ns,
                    False, False)
    real_scan = scan_inbox
    monkeypatch.setattr(raw_mod, "scan_inbox", lambda root: real_scan(root) + [late])

    # ---- run 1: five samples, one over a lowered size limit, one vanished file
    ok, problems, wh, result = run(tmp_path, inbox, max_file_bytes=4000)
    assert ok, problems
    monkeypatch.setattr(raw_mod, "scan_inbox", real_scan)
    pub, work = wh.warehouse_path, wh.work_path
    seconds = publish_meta(result)["publish_seconds"]
    with capsys.disabled():
        print(f"\n[measure] publish on the samples: {seconds:.3f}s")
    assert seconds > 0
    status = dict(q(pub, "SELECT source_path, status FROM raw.files"))
    assert status[LARGE] == "rejected" and status["late.txt"] == "rejected"
    assert q(pub, "SELECT count(*) FROM core.articles") == [(4,)]
    old_changed = q(pub, "SELECT article_id FROM core.articles WHERE source_path = ?", [CHANGED])[0][0]
    deleted_id = q(pub, "SELECT article_id FROM core.articles WHERE source_path = ?", [DELETED])[0][0]

    # An analyst opens the published copy read-only and keeps the session open through the next run.
    analyst = duckdb.connect(pub, read_only=True)
    before = analyst.execute("SELECT count(*) FROM core.articles").fetchone()[0]

    # ---- run 2: the limit is back to the default, late.txt is back (same bytes, same mtime),
    # one file changed, one deleted
    original = (inbox / CHANGED).read_bytes()
    (inbox / CHANGED).write_bytes(original + PARAGRAPH.encode())
    (inbox / DELETED).unlink()
    os.rename(parked, inbox / "late.txt")
    ok, problems, wh, result = run(tmp_path, inbox)
    assert ok, problems  # the analyst's open session did not make the run fail

    # the old session still works and still sees the old data
    assert analyst.execute("SELECT count(*) FROM core.articles").fetchone()[0] == before
    assert analyst.execute("SELECT count(*) FROM analytics.article_summary").fetchone()[0] == before
    # another process connecting now sees the new data while the old session is still open
    out = subprocess.run([sys.executable, "-c", "import duckdb, sys; print(duckdb.connect(sys.argv[1], "
                          "read_only=True).execute('SELECT count(*) FROM core.articles').fetchone()[0])", pub],
                         capture_output=True, text=True, check=True)
    assert int(out.stdout) == before + 3
    analyst.close()
    analyst = duckdb.connect(pub, read_only=True)  # the analyst reconnects
    assert analyst.execute("SELECT count(*) FROM core.articles").fetchone()[0] == before + 3
    analyst.close()

    r2 = last_run(work)
    # only what was new was processed: the raised-limit file, the returning file, the changed file
    counts = ("files_seen", "files_new", "new_documents", "articles", "nlp_articles")
    assert tuple(r2[k] for k in counts) == (6, 3, 3, 3, 3)
    assert (r2["status"], r2["rejected"], r2["duplicates"]) == ("succeeded", 1, 0) and r2["published_at"]
    files = q(work, "SELECT source_path, status, present, doc_id FROM raw.files ORDER BY source_path, first_seen")
    by_path: dict[str, list] = {}
    for p, st, present, doc in files:
        by_path.setdefault(p, []).append((st, present, doc))
    assert [(st, pr) for st, pr, _ in by_path[CHANGED]] == [("document", False), ("document", True)]
    assert by_path[DELETED] == [("document", False, deleted_id)]
    assert [(st, pr) for st, pr, _ in by_path[LARGE]] == [("document", True)]  # its rejection was replaced
    assert [(st, pr) for st, pr, _ in by_path["late.txt"]] == [("document", True)]
    assert q(work, "SELECT source_path FROM raw.rejected") == [("link_out.txt",)]
    new_changed = by_path[CHANGED][1][2]
    arts = {r[0]: r[1:] for r in q(pub, "SELECT article_id, source_path, superseded_by, duplicate_of "
                                        "FROM core.articles")}
    assert len(arts) == 7
    assert arts[old_changed] == (CHANGED, new_changed, None)       # the old version is kept, superseded
    assert arts[new_changed] == (CHANGED, None, None)
    assert arts[deleted_id] == (DELETED, None, None)               # a deleted file's article is kept as is
    # views count the current version only
    canon = dict(q(pub, "SELECT article_id, is_canonical FROM analytics.article_summary"))
    assert canon[old_changed] is False and canon[new_changed] is True and canon[deleted_id] is True
    assert q(pub, "SELECT count(*) FROM core.figures WHERE article_id = ?", [old_changed])[0][0] > 0
    assert q(pub, "SELECT count(*) FROM analytics.figure_timeline JOIN core.figures f USING (figure_id) "
                  "WHERE f.article_id = ?", [old_changed]) == [(0,)]
    assert q(pub, "SELECT count(*) FROM core.figures WHERE article_id = ? AND sentence LIKE '%14 aid workers%'",
             [new_changed]) == [(1,)]

    # ---- run 3: the changed file is put back as it was: the first version is current again
    (inbox / CHANGED).write_bytes(original)
    old_copy = tmp_path / "old_copy.duckdb"
    shutil.copy2(pub, old_copy)
    ok, problems, wh, result = run(tmp_path, inbox)
    assert ok, problems
    arts = dict(q(pub, "SELECT article_id, superseded_by FROM core.articles"))
    assert arts[old_changed] is None and arts[new_changed] == old_changed
    r3 = last_run(work)
    assert (r3["files_new"], r3["new_documents"], r3["articles"], r3["nlp_articles"]) == (1, 0, 0, 0)
    assert q(work, "SELECT status FROM raw.files WHERE source_path = ? AND present", [CHANGED]) == [("document",)]

    # ---- run 4: nothing new, but run 3's publish is undone as if it had been killed between stamping the
    # working database and renaming the copy into place: the run notices and publishes again.
    # (A run that finds nothing new and a current copy rewrites nothing: test_concurrency's queued run.)
    os.replace(old_copy, pub)
    ok, problems, wh, result = run(tmp_path, inbox)
    assert ok, problems
    assert publish_meta(result)["republished"] is True
    assert q(pub, "SELECT article_id FROM core.articles WHERE superseded_by IS NOT NULL") == [(new_changed,)]
    r4 = last_run(work)
    assert r4["status"] == "succeeded" and r4["published_at"] is not None and r4["changes"] == 0

def snapshot(path: str) -> dict[str, list[tuple]]:
    """Every table and view of a warehouse, ordered, without what differs between two builds of the same
    inbox at different times: raw.runs, raw.validations (a cache of GX results), timestamps, run ids.
    (With ignore: further columns left out.)"""
    return snapshot_without(path, set())


def snapshot_without(path: str, ignore: set[str]) -> dict[str, list[tuple]]:
    conn = duckdb.connect(path, read_only=True)
    try:
        objects = conn.execute("""
            SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()
            UNION ALL
            SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = current_database()
              AND NOT internal AND schema_name = 'analytics'
            ORDER BY ALL""").fetchall()
        snap = {}
        for schema, name in objects:
            if (schema, name) in (("raw", "runs"), ("raw", "validations")):
                continue
            cols = [c for c, t in conn.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
                "ORDER BY column_index", [schema, name]).fetchall()
                    if not t.startswith("TIMESTAMP") and not c.endswith("run_id") and c not in ignore]
            col_list = ", ".join(f'"{c}"' for c in cols)  # names from the catalog, not data
            snap[f"{schema}.{name}"] = conn.execute(f"SELECT {col_list} FROM {schema}.{name} ORDER BY ALL").fetchall()
        return snap
    finally:
        conn.close()


def test_each_stage_rebuilds_only_what_its_version_changed_and_rebuild_redoes_everything(tmp_path, monkeypatch):
    import orchestration.assets.ref as ref_mod
    import orchestration.warehouse as warehouse_mod
    from orchestration.cli import rebuild
    from transforms.version import Versions, versions

    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES, inbox)
    ok, problems, wh, _ = run(tmp_path, inbox)
    assert ok, problems
    pub, work = wh.warehouse_path, wh.work_path
    v0 = wh.versions
    first = snapshot_without(pub, {"extractor_version", "nlp_version", "figure_version"})

    def counts():
        r = last_run(work)
        return r["new_documents"], r["articles"], r["nlp_articles"], r["figure_articles"]

    # A reviewer adds a row to a seed the figure rules read (in a copy of seeds/): only figures are rebuilt.
    seeds = tmp_path / "seeds"
    shutil.copytree(Path(ref_mod.SEEDS_DIR), seeds)
    with open(seeds / "nationalities.csv", "a", encoding="utf-8") as fh:
        fh.write("ruritanian,Ruritanians\n")
    v1 = versions(wh.spacy_model, seeds)
    assert (v1.clean, v1.ner) == (v0.clean, v0.ner) and v1.figures != v0.figures
    monkeypatch.setattr(ref_mod, "SEEDS_DIR", seeds)
    monkeypatch.setattr(warehouse_mod, "versions", lambda model: versions(model, seeds))
    ok, problems, wh, _ = run(tmp_path, inbox)
    assert ok, problems
    assert counts() == (0, 0, 0, 5)
    assert last_run(work)["extractor_version"] == v1.extractor
    assert q(pub, "SELECT count(*) FROM ref.nationalities WHERE adjective = 'ruritanian'") == [(1,)]
    assert q(pub, "SELECT DISTINCT extractor_version FROM core.figures") == [(v1.extractor,)]
    assert q(pub, "SELECT DISTINCT extractor_version FROM core.articles") == [(v1.extractor,)]
    # rebuilt in place: nothing duplicated, nothing else changed
    second = snapshot_without(pub, {"extractor_version", "nlp_version", "figure_version"})
    seed_tables = ("ref.nationalities", "ref.seed_files")
    assert {k: v for k, v in second.items() if k not in seed_tables} == \
           {k: v for k, v in first.items() if k not in seed_tables}

    # A clean-stage change that leaves every body as it was: articles are re-cleaned, but keep their
    # NER, parses and figures (their text is unchanged).
    v2 = Versions("c-changed", v1.ner, v1.figures)
    monkeypatch.setattr(warehouse_mod, "versions", lambda model: v2)
    ok, problems, wh, _ = run(tmp_path, inbox)
    assert ok, problems
    assert counts() == (0, 5, 0, 0)
    # An NER change: entities and parses are rebuilt, and the figures built from them.
    v3 = Versions("c-changed", "n-changed", v1.figures)
    monkeypatch.setattr(warehouse_mod, "versions", lambda model: v3)
    ok, problems, wh, _ = run(tmp_path, inbox)
    assert ok, problems
    assert counts() == (0, 0, 5, 5)
    assert q(pub, "SELECT DISTINCT extractor_version FROM core.articles") == [("c-changed/n-changed/" + v1.figures,)]

    # `make rebuild`: forget every core row, rebuild all from raw; the result is the same warehouse
    before_rebuild = snapshot(pub)
    rebuild(wh)
    assert q(work, "SELECT count(*) FROM core.articles") == [(0,)]
    ok, problems, wh, _ = run(tmp_path, inbox)
    assert ok, problems
    assert snapshot(pub) == before_rebuild
    assert counts() == (0, 5, 5, 5) and last_run(work)["published_at"] is not None
    runs = q(work, "SELECT status, files_seen, published_at IS NOT NULL, ended_at >= started_at FROM raw.runs "
                   "ORDER BY started_at")
    assert runs == [("succeeded", 5, True, True)] * 5


def test_failing_blocking_check_stops_views_and_publish(tmp_path, monkeypatch):
    from orchestration import cli

    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES, inbox)
    ok, problems, wh, _ = run(tmp_path, inbox)
    assert ok, problems
    pub, work = wh.warehouse_path, wh.work_path
    published = file_state(pub)

    # Someone writes a negative figure into the working database between two runs.
    conn = duckdb.connect(work)
    conn.execute("INSERT INTO core.figures SELECT * REPLACE (? AS figure_id, -5.0 AS value, NULL AS value_max) "
                 "FROM core.figures ORDER BY figure_id LIMIT 1", ["injected-negative-figure"])
    conn.close()
    (inbox / "new.txt").write_text(NEW_ARTICLE)  # new data that must not reach the published copy

    # `python -m orchestration run`, keeping Dagster's result to look at the check's metadata
    seen = {}
    real = cli.run_pipeline

    def keep_result(**kw):
        ok, problems, wh, seen["result"] = real(with_result=True, log_level="WARNING", **kw)
        seen["problems"] = problems
        return ok, problems, wh

    monkeypatch.setattr(cli, "run_pipeline", keep_result)
    monkeypatch.setenv("NEWS_INBOX", str(inbox))
    monkeypatch.setenv("NEWS_WAREHOUSE", pub)
    assert cli.main(["run"]) == 1  # exits non-zero
    result, problems = seen["result"], seen["problems"]
    assert any("figure_values_valid failed (1 offending rows)" in p for p in problems), problems
    ev = {e.check_name: e for e in result.get_asset_check_evaluations()}["figure_values_valid"]
    assert not ev.passed and ev.metadata["offending_rows"].value == 1
    assert "injected-negative-figure" in ev.metadata["sample"].value and "-5.0" in ev.metadata["sample"].value
    materialized = {m.asset_key.to_user_string() for m in result.get_asset_materialization_events()}
    assert "core/figures" in materialized
    assert not {k for k in materialized if k.startswith(("analytics/", "warehouse/", "report/"))}, materialized
    assert not {e.step_key for e in result.get_step_success_events()} & {"analytics_views", "warehouse__published"}
    assert file_state(pub) == published  # not rewritten: same inode, size, mtime and bytes
    assert q(pub, "SELECT count(*) FROM core.articles") == [(5,)]
    status, message = q(work, "SELECT status, message FROM raw.runs ORDER BY started_at DESC LIMIT 1")[0]
    assert status == "failed" and "figure_values_valid" in message
