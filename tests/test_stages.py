"""Stages: quiet runs, blocking checks that stop everything downstream, recovery, one connection per step."""
from __future__ import annotations

import errno
import hashlib
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.conftest import SAMPLES, settings_for

pytestmark = [pytest.mark.spacy]

NEW_ARTICLE = ("Aid convoy reaches the north\n\nAt least 30 trucks carrying food crossed into the north of the "
               "territory on Sunday, the United Nations said, and 12 people were injured at a checkpoint.\n")
# Tables each asset owns (what must not change when a check upstream of it fails).
OWNED = {"core/articles": ["core.article_rows"],
         "core/entity_mentions": ["core.entity_mentions", "core.nlp_state"],
         "core/sentence_parses": ["core.sentence_parses"],
         "core/figures": ["core.figures", "core.figure_state"]}


def run(tmp: Path, inbox: Path, **extra):
    from orchestration.cli import run_pipeline

    return run_pipeline(trigger="test", log_level="WARNING", with_result=True, **settings_for(tmp, inbox, **extra))


def materialized(result) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


def identity(path: str) -> tuple:
    p = Path(path)
    return p.stat().st_ino, p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest()


def q(path: str, sql: str, params=None):
    conn = duckdb.connect(path, read_only=True)
    try:
        return conn.execute(sql, params or []).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A working and published warehouse from the samples, copied by each test that changes it."""
    tmp = tmp_path_factory.mktemp("built")
    inbox = tmp / "inbox"
    shutil.copytree(SAMPLES, inbox)
    ok, problems, wh, result = run(tmp, inbox)
    assert ok, problems
    return tmp


def copy_of(built: Path, dest: Path) -> Path:
    shutil.copytree(built, dest, ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    return dest


def test_a_run_that_finds_nothing_new_materializes_only_the_ledger(built, tmp_path):
    tmp = copy_of(built, tmp_path / "w")
    ok, problems, wh, _ = run(tmp, tmp / "inbox")  # a copied published file is a new file: published again once
    assert ok, problems
    before = identity(str(tmp / "warehouse.duckdb"))
    ok, problems, wh, result = run(tmp, tmp / "inbox")
    assert ok, problems
    assert materialized(result) == {"raw/files"}
    assert identity(wh.published_path) == before  # not republished
    assert q(wh.work_path, "SELECT status, changes FROM raw.runs ORDER BY started_at DESC LIMIT 1") == [
        ("succeeded", 0)]


def _failing(spec: dg.AssetCheckSpec):
    @dg.asset_check(asset=spec.asset_key, name=spec.name, blocking=True, description="an injected failure")
    def _check() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.ERROR, metadata={"offending_rows": 1})

    return _check


def _downstream(graph, key: dg.AssetKey) -> set[str]:
    out, todo = set(), [key]
    while todo:
        for child in graph.get(todo.pop()).child_keys:
            if child.to_user_string() not in out:
                out.add(child.to_user_string())
                todo.append(child)
    return out


def test_every_blocking_check_stops_everything_downstream_and_nothing_is_published(built, tmp_path, monkeypatch):
    import orchestration.definitions as definitions
    from orchestration.checks import CHECKS

    graph = definitions.defs.resolve_asset_graph()
    specs = [s for c in CHECKS for s in c.check_specs if s.blocking]
    assert len(specs) >= 7
    new_id = hashlib.sha256(NEW_ARTICLE.encode()).hexdigest()
    for n, spec in enumerate(specs):
        tmp = copy_of(built, tmp_path / f"w{n}")
        (tmp / "inbox" / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        published = identity(str(tmp / "warehouse.duckdb"))
        report = identity(str(tmp / "report.html"))
        monkeypatch.setattr(definitions, "CHECKS", [c if spec not in c.check_specs else _failing(spec)
                                                    for c in CHECKS])
        ok, problems, wh, result = run(tmp, tmp / "inbox")
        below = _downstream(graph, spec.asset_key)
        assert not ok and any(spec.name in p for p in problems), (spec.name, problems)
        assert not (materialized(result) & below), (spec.name, materialized(result) & below)
        assert identity(wh.published_path) == published, spec.name  # nothing published
        assert identity(wh.report_path) == report, spec.name
        for asset in below & set(OWNED):  # nothing downstream changed: the new article reached none of it
            for table in OWNED[asset]:
                assert q(wh.work_path, f"SELECT count(*) FROM {table} WHERE article_id = ?", [new_id]) == [(0,)], (
                    spec.name, table)
        monkeypatch.setattr(definitions, "CHECKS", CHECKS)


def test_a_lost_or_corrupt_working_database_is_restored_from_the_published_copy(built, tmp_path):
    tmp = copy_of(built, tmp_path / "w")
    work = tmp / ".work" / "warehouse.duckdb"
    work.unlink()
    (tmp / "inbox" / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    ok, problems, wh, result = run(tmp, tmp / "inbox")
    assert ok, problems
    (message,) = q(wh.work_path, "SELECT message FROM raw.runs ORDER BY started_at DESC LIMIT 1")[0]
    assert "was missing; restored it from the published copy" in message
    assert q(wh.published_path, "SELECT count(*) FROM core.articles") == [(6,)]
    assert q(wh.work_path, "SELECT new_documents FROM raw.runs ORDER BY started_at DESC LIMIT 1") == [(1,)]

    work.write_bytes(b"this is not a DuckDB file" * 100)  # corrupt
    (tmp / "inbox" / "newer.txt").write_text(NEW_ARTICLE.replace("30 trucks", "40 trucks"), encoding="utf-8")
    ok, problems, wh, result = run(tmp, tmp / "inbox")
    assert ok, problems
    assert list(work.parent.glob("warehouse.duckdb.corrupt-*")), "the corrupt file is kept aside"
    assert q(wh.published_path, "SELECT count(*) FROM core.articles") == [(7,)]


def test_a_publish_that_fails_part_way_leaves_the_old_copy_and_is_redone(built, tmp_path, monkeypatch):
    import orchestration.warehouse as warehouse_mod

    tmp = copy_of(built, tmp_path / "w")
    (tmp / "inbox" / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    published = identity(str(tmp / "warehouse.duckdb"))
    real_fsync = warehouse_mod.os.fsync

    def disk_full(fd):  # the copy is written, then the disk fills before it is safely on it
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(warehouse_mod.os, "fsync", disk_full)
    ok, problems, wh, _ = run(tmp, tmp / "inbox")
    assert not ok and any("No space left on device" in p for p in problems), problems
    assert identity(wh.published_path) == published
    assert not list(tmp.glob(".warehouse.duckdb.*.tmp"))
    monkeypatch.setattr(warehouse_mod.os, "fsync", real_fsync)
    ok, problems, wh, result = run(tmp, tmp / "inbox")  # nothing new in the inbox, but the publish is owed
    assert ok, problems
    assert "warehouse/published" in materialized(result)
    assert q(wh.published_path, "SELECT count(*) FROM core.articles") == [(6,)]


def test_a_publish_that_does_not_fit_its_memory_bound_copies_again_without_it(built, tmp_path, monkeypatch):
    import orchestration.warehouse as warehouse_mod

    tmp = copy_of(built, tmp_path / "w")
    (tmp / "inbox" / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    before = q(str(tmp / "warehouse.duckdb"), "SELECT count(*) FROM core.articles")[0][0]
    monkeypatch.setattr(warehouse_mod, "COMPACT_ABOVE", -1.0)  # always the table-by-table copy
    monkeypatch.setattr(warehouse_mod, "PUBLISH_MEMORY_LIMIT", "2MB")  # the keys never fit: the fallback runs
    ok, problems, wh, result = run(tmp, tmp / "inbox")
    assert ok, problems
    assert q(wh.published_path, "SELECT count(*) FROM core.articles") == [(before + 1,)]
    assert not list(tmp.glob(".warehouse.duckdb.*.tmp"))


def test_a_fresh_build_is_published_byte_for_byte_with_its_descriptions(tmp_path, monkeypatch):
    import orchestration.warehouse as warehouse_mod

    tmp = tmp_path / "w"
    shutil.copytree(SAMPLES, tmp / "inbox")
    attached = []
    real_copy = warehouse_mod._copy_bounded
    monkeypatch.setattr(warehouse_mod, "_copy_bounded", lambda *a: attached.append(a) or real_copy(*a))
    ok, problems, wh, _ = run(tmp, tmp / "inbox")
    assert ok, problems
    assert not attached  # no COPY FROM DATABASE: the memory it needs grows with the rows
    pub = wh.published_path
    assert q(pub, "SELECT count(*) FROM core.articles") == q(wh.work_path, "SELECT count(*) FROM core.articles")
    assert q(pub, "SELECT comment IS NOT NULL FROM duckdb_columns() WHERE schema_name = 'core' "
                  "AND table_name = 'figures' AND column_name = 'scope'") == [(True,)]
    assert q(pub, "SELECT count(*) FROM raw.runs WHERE published_at IS NOT NULL") >= [(1,)]


def test_one_connection_per_step(built, tmp_path, monkeypatch):
    tmp = copy_of(built, tmp_path / "w")
    (tmp / "inbox" / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    opened = []
    real = duckdb.connect

    def counting(*a, **kw):
        opened.append(a[0] if a else kw.get("database"))
        return real(*a, **kw)

    monkeypatch.setattr(duckdb, "connect", counting)
    ok, problems, wh, result = run(tmp, tmp / "inbox")
    assert ok, problems
    steps = {e.step_key for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_START}
    # one per step (two for a step that forks workers: before and after), plus the run's own bookkeeping
    assert len(opened) <= len(steps) + 8, (len(opened), len(steps))


def test_published_copy_stays_compact_after_rebuilds(built, tmp_path):
    from orchestration.cli import rebuild

    tmp = copy_of(built, tmp_path / "w")
    fresh = (tmp / "warehouse.duckdb").stat().st_size
    for _ in range(4):
        ok, problems, wh, _ = run(tmp, tmp / "inbox")
        rebuild(wh)
        ok, problems, wh, _ = run(tmp, tmp / "inbox")
        assert ok, problems
    assert (tmp / "warehouse.duckdb").stat().st_size <= 1.1 * fresh


def test_cached_table_blocks_are_released_after_a_page_and_the_limit_comes_back(tmp_path):
    """The streaming stages read a page of texts per commit; DuckDB would keep those blocks cached until
    its memory limit, so the run grew with the batch. After a page they are evicted; indexes stay."""
    from orchestration.warehouse import release_cached_blocks

    path = str(tmp_path / "cache.duckdb")
    with duckdb.connect(path) as conn:
        conn.execute("CREATE TABLE texts AS SELECT i AS id, repeat(md5(i::VARCHAR), 60) AS body "
                     "FROM range(100000) t(i)")
        conn.execute("CREATE TABLE keyed (a BIGINT PRIMARY KEY)")
        conn.execute("INSERT INTO keyed SELECT range FROM range(200000)")
    with duckdb.connect(path) as conn:
        default = conn.execute("SELECT current_setting('memory_limit')").fetchone()[0]

        def held(tag):
            return conn.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory() WHERE tag = ?",
                                [tag]).fetchone()[0]

        assert conn.execute("SELECT sum(length(body)) FROM texts").fetchone()[0] == 100000 * 32 * 60
        assert held("BASE_TABLE") > 100 * 2**20
        conn.execute("INSERT INTO keyed VALUES (-1)")
        index = held("ART_INDEX")
        release_cached_blocks(conn)
        assert held("BASE_TABLE") < 40 * 2**20
        assert held("ART_INDEX") == index > 0
        assert conn.execute("SELECT current_setting('memory_limit')").fetchone()[0] == default
        assert conn.execute("SELECT count(*) FROM texts WHERE id % 1000 = 0").fetchone()[0] == 100  # re-read


def test_appends_in_many_commits_are_not_merged_by_a_checkpoint_but_fully_deleted_ones_are_freed(tmp_path):
    """Each commit's rows become a row group at a checkpoint; merging them (DuckDB's vacuum) rewrote a
    whole row group in memory, a jump of hundreds of MB on a big batch, so the run's connections leave
    them as they are. Rows deleted as a whole (a rebuild) still give their blocks back."""
    from orchestration.warehouse import WarehouseResource

    wh = WarehouseResource(**settings_for(tmp_path, tmp_path / "inbox"))
    with wh.get_connection() as conn:
        conn.execute("CREATE TABLE t (i BIGINT, s VARCHAR)")
        for k in range(6):
            conn.execute("INSERT INTO t SELECT range, repeat(md5(range::VARCHAR), 8) FROM range(?, ?)",
                         [k * 30000, (k + 1) * 30000])
            conn.execute("CHECKPOINT")

        def groups():
            return conn.execute("SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('t')").fetchone()[0]

        assert groups() == 6
        conn.execute("DELETE FROM t WHERE i < 90000")
        conn.execute("CHECKPOINT")
        assert groups() == 3
        assert conn.execute("SELECT free_blocks FROM pragma_database_size()").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 90000


def test_a_page_is_read_by_rowid_and_by_key_for_rows_that_moved(tmp_path):
    """Pages of pending ids are read from the blocks that hold them (a rowid range); an id whose row a
    checkpoint has moved out of that range is still read, by its key."""
    from orchestration.assets.core import Pending, _page_rows

    conn = duckdb.connect(str(tmp_path / "p.duckdb"))
    conn.execute("CREATE TABLE t AS SELECT md5(i::VARCHAR) AS k, i AS v FROM range(5000) r(i)")
    rowid = dict(conn.execute("SELECT k, rowid FROM t").fetchall())
    keys = [r[0] for r in conn.execute("SELECT k FROM t WHERE v BETWEEN 100 AND 199 ORDER BY rowid").fetchall()]
    page = [Pending(k, rowid[k], False) for k in keys]
    rows = _page_rows(conn, "SELECT t.k, t.v FROM t", "t", "t.k", page)
    assert sorted(v for _, v in rows) == list(range(100, 200))
    far = conn.execute("SELECT k FROM t WHERE v = 4000").fetchone()[0]
    moved = [*page[:10], Pending(far, 150, True)]  # a stale rowid inside the range
    rows = _page_rows(conn, "SELECT t.k, t.v FROM t", "t", "t.k", moved)
    assert sorted(v for _, v in rows) == [*range(100, 110), 4000]


def test_a_pages_child_rows_are_read_from_their_span_and_by_key_when_the_span_misses_some(tmp_path):
    """Mentions and parses of a page of articles are read from the rowid span one scan found for that
    page; a page whose rows are not all in its span (a row moved since) is read again by key."""
    from orchestration.assets.core import Pending, _page_spans, _span_rows

    conn = duckdb.connect(str(tmp_path / "s.duckdb"))
    # articles a0..a99, 3 child rows each, written together; then a late row for a5 far away
    conn.execute("CREATE TABLE c AS SELECT 'a' || (i // 3) AS article_id, i AS v FROM range(300) r(i)")
    conn.execute("INSERT INTO c SELECT 'a' || (i // 3), i FROM range(300, 600) r(i)")
    conn.execute("INSERT INTO c VALUES ('a5', 9999)")
    pages = [[Pending(f"a{i}", i, False) for i in range(j, j + 10)] for j in (0, 10, 50)]
    spans = _page_spans(conn, "c", pages)
    assert spans[1] == (30, 59, 30)          # a10..a19: rows 30..59, nothing else read
    assert spans[0][2] == 31 and spans[0][1] == 600
    select = "SELECT article_id, v FROM c"
    for page, span in zip(pages, spans, strict=True):
        keys = [p.id for p in page]
        got = sorted(v for _, v in _span_rows(conn, select, keys, span, "ORDER BY v"))
        want = sorted(v for _, v in conn.execute(select + " WHERE list_contains(?, article_id)", [keys]).fetchall())
        assert got == want
    # a stale span (rows moved after the scan) still gives every row, by key
    keys = [p.id for p in pages[1]]
    assert len(_span_rows(conn, select, keys, (0, 5, 30))) == 30
    assert _span_rows(conn, select, ["nothing"], (0, -1, 0)) == []


def test_check_queries_run_under_a_memory_bound_and_without_it_when_they_cannot_fit():
    """The checks' joins carry article bodies: bounded, DuckDB spills them instead of growing with the
    corpus; a query that cannot spill at all still answers, and the default limit comes back."""
    from orchestration.warehouse import bounded_query

    conn = duckdb.connect()
    default = conn.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert bounded_query(conn, "SELECT current_setting('memory_limit')", limit="64MB")[0][0] != default
    assert conn.execute("SELECT current_setting('memory_limit')").fetchone()[0] == default
    with pytest.raises(duckdb.OutOfMemoryException):
        conn.execute("SET memory_limit = '1MB'")
        conn.execute("SELECT len(list(range)) FROM range(2000000)").fetchall()
    conn.execute("RESET memory_limit")
    assert bounded_query(conn, "SELECT len(list(range)) FROM range(2000000)", limit="1MB") == [(2000000,)]
    assert conn.execute("SELECT current_setting('memory_limit')").fetchone()[0] == default


def test_a_key_stored_twice_fails_the_check_of_its_table(built, tmp_path):
    """Mentions, parses and figures carry no PRIMARY KEY (its index stays in memory and grows with the
    corpus): a row written twice is caught by the blocking check of its table instead."""
    from orchestration import checks
    from orchestration.warehouse import WarehouseResource

    tmp = copy_of(built, tmp_path / "w")
    wh = WarehouseResource(**settings_for(tmp, tmp / "inbox"))
    cases = [("core.entity_mentions", checks.mentions_point_into_articles),
             ("core.sentence_parses", checks.parses_well_formed),
             ("core.figures", checks.figure_values_valid)]
    for table, check in cases:
        result = check(warehouse=wh)
        assert result.passed and result.metadata["duplicate_keys"].value == 0, table
    for table, check in cases:
        conn = duckdb.connect(wh.work_path)
        conn.execute(f"INSERT INTO {table} SELECT * FROM {table} LIMIT 1")  # noqa: S608 -- fixed names
        conn.close()
        result = check(warehouse=wh)
        assert not result.passed and result.metadata["duplicate_keys"].value == 1, table
        assert result.metadata["offending_rows"].value == 0, table  # the row itself is well formed
        assert "| 2 |" in result.metadata["duplicates"].value, table  # the key, stored twice
