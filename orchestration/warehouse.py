"""The warehouse resource: settings, one connection per step, the run lock, the run plan, publishing.

Design (README "Beside SQL users"): the pipeline writes a private working database and, after a
run whose blocking checks pass, publishes a consistent copy at $NEWS_WAREHOUSE by copying the
working file to a temporary name beside it and renaming it into place. Analysts only ever open
the published file (read-only); a rename never disturbs a session already open on the old file.
A file lock makes the pipeline the single writer, for Dagster runs and `make run` alike. A lost or
corrupt working database is restored from the published copy, which holds everything raw.
"""

import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import dagster as dg
import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource
from filelock import FileLock, Timeout
from pydantic import Field, PrivateAttr

from orchestration import settings as st
from orchestration.migrate import migrate
from orchestration.sidecar import SideWorker, take_prewarmed
from transforms.version import Versions, versions

T = TypeVar("T")

PROJECT_DIR = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_DIR / "sql"

# The stages in data-flow order: a stage with pending work makes every stage before it pass its
# materialization on (Dagster skips a step whose upstream step yielded nothing).
STAGES = ("ref", "raw", "articles", "nlp", "figures", "views", "published", "report")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def work_path_for(warehouse: str) -> str:
    w = Path(st.abs_path(warehouse))
    return str(w.parent / ".work" / w.name)


@dataclass
class Plan:
    """Work found at the start of a run, per stage (counts), before any step ran."""

    pending: dict[str, int] = field(default_factory=dict)
    scan: list | None = None  # the inbox scan, reused by the ingest step

    def work_from(self, stage: str) -> bool:
        i = STAGES.index(stage)
        return any(self.pending.get(s, 0) for s in STAGES[i:])

    def describe(self) -> str:
        busy = {s: n for s, n in self.pending.items() if n}
        return ", ".join(f"{s}: {n}" for s, n in busy.items()) or "nothing"


class WarehouseResource(DuckDBResource):
    """DuckDB working database of the pipeline, plus the settings every asset shares.

    The NEWS_* settings arrive as dg.EnvVar (strings, resolved at run time) and are checked with
    orchestration.settings before a run does anything."""

    database: str = Field(default="", description="Working database; empty means data/.work/ beside the "
                                                  "published copy.")
    warehouse_path: str = Field(description="Published read copy analysts query ($NEWS_WAREHOUSE).")
    inbox: str = Field(description="Folder scanned recursively for articles ($NEWS_INBOX).")
    spacy_model: str = Field(default=st.DEFAULTS["NEWS_SPACY_MODEL"], description="spaCy model package "
                                                                                  "($NEWS_SPACY_MODEL).")
    max_file_bytes: str = Field(default=st.DEFAULTS["NEWS_MAX_FILE_BYTES"],
                                description="Larger files and batch records are rejected unread "
                                            "($NEWS_MAX_FILE_BYTES).")
    n_process: str = Field(default=st.DEFAULTS["NEWS_NLP_PROCESSES"],
                           description="spaCy processes; 0 = all cores ($NEWS_NLP_PROCESSES).")
    commit_every: str = Field(default=st.DEFAULTS["NEWS_COMMIT_EVERY"],
                              description="Articles per write transaction ($NEWS_COMMIT_EVERY).")
    column_map: str = Field(default="", description="Batch-file column names, field=column,... ($NEWS_COLUMN_MAP).")
    accept_empty_inbox: str = Field(default="false", description="Accept an inbox whose every file vanished at "
                                                                 "once ($NEWS_ACCEPT_EMPTY_INBOX).")
    batch_size: int = Field(default=64, description="spaCy nlp.pipe batch size.")
    parallel_min_articles: int = Field(default=100, description="Fewer pending articles than this are cleaned "
                                                                "and run through spaCy in the run process itself.")
    lock_timeout_s: float = Field(default=1800.0, description="How long a run waits for another writer.")
    trigger: str = Field(default="ui", description="What started runs using this resource.")

    _run_id: str | None = PrivateAttr(default=None)
    _side: SideWorker | None = PrivateAttr(default=None)
    _settings: st.Settings | None = PrivateAttr(default=None)
    _plan: Plan | None = PrivateAttr(default=None)
    _setting_error: st.SettingsError | None = PrivateAttr(default=None)

    # ------------------------------------------------------------------ settings and paths
    def setting_values(self) -> dict[str, str]:
        return {"NEWS_WAREHOUSE": self.warehouse_path, "NEWS_INBOX": self.inbox,
                "NEWS_SPACY_MODEL": self.spacy_model, "NEWS_MAX_FILE_BYTES": self.max_file_bytes,
                "NEWS_NLP_PROCESSES": self.n_process, "NEWS_COMMIT_EVERY": self.commit_every,
                "NEWS_COLUMN_MAP": self.column_map, "NEWS_ACCEPT_EMPTY_INBOX": self.accept_empty_inbox}

    @property
    def settings(self) -> st.Settings:
        """The checked settings (raises SettingsError with one sentence when one is bad)."""
        if self._settings is None:
            self._settings = st.check(self.setting_values())
        return self._settings

    @property
    def work_path(self) -> str:
        return st.abs_path(self.database) if self.database else work_path_for(self.warehouse_path)

    @property
    def published_path(self) -> str:
        return st.abs_path(self.warehouse_path)

    @property
    def inbox_path(self) -> str:
        return st.abs_path(self.inbox)

    @property
    def lock_path(self) -> str:
        return self.work_path + ".lock"

    @property
    def report_path(self) -> str:
        return str(Path(self.published_path).parent / "report.html")

    @property
    def versions(self) -> Versions:
        return versions(self.spacy_model)

    @property
    def version(self) -> str:
        return self.versions.extractor

    @property
    def processes(self) -> int:
        n = self.settings.nlp_processes
        return n if n > 0 else max(1, os.cpu_count() or 1)

    @property
    def run_id(self) -> str:
        return self._run_id or "adhoc"

    @property
    def plan(self) -> Plan:
        return self._plan or Plan(pending=dict.fromkeys(STAGES, 1))  # outside a run: assume work

    # ------------------------------------------------------------------ connections
    @contextmanager
    def get_connection(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """One connection to the working database, always closed. A step opens one and uses it
        throughout; a step that forks workers opens it after forking."""
        if self._setting_error is not None:  # every step opens a connection first: none gets past a bad setting
            raise dg.Failure(description=str(self._setting_error), allow_retries=False)
        Path(self.work_path).parent.mkdir(parents=True, exist_ok=True)
        if read_only and not Path(self.work_path).exists():
            raise FileNotFoundError(f"No working database yet at {self.work_path}; run the pipeline first.")
        conn = duckdb.connect(self.work_path, read_only=read_only, config={"custom_user_agent": "news-warehouse"})
        try:
            conn.execute("SET max_vacuum_tasks = 0")  # see NO_VACUUM below
            yield conn
        finally:
            conn.close()

    # ------------------------------------------------------------------ lifecycle
    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["WarehouseResource"]:
        if context.dagster_run is None:
            yield self  # a sensor or schedule evaluation: settings only, no run to set up
            return
        run_id = context.run_id
        try:
            self.settings  # noqa: B018 -- a bad setting fails here, before any work
        except st.SettingsError as exc:
            # Failing here would show only Dagster's "resource initialization failed"; the first step
            # fails with the sentence instead (get_connection), and nothing is locked, read or written.
            self._setting_error = exc
            yield self
            return
        context.instance.add_run_tags(run_id, self.settings.tags())  # what the run used, whoever started it
        # GX and Altair are imported on the other core while the run ingests, cleans and runs spaCy
        self._side = take_prewarmed() or SideWorker()
        self._side.start()
        try:
            with self.run_lock():
                restored = self.recover()
                if restored:
                    context.log.warning(restored)
                with self.get_connection() as conn:
                    self.ensure_schema(conn)
                    self.start_run(conn, run_id, self._trigger_of(context))
                    if restored:  # said where an operator looks, not only in the log
                        conn.execute("UPDATE raw.runs SET message = ? WHERE run_id = ?", [restored, run_id])
                    self._plan = self.make_plan(conn)
                context.log.info(f"{self.settings.line()}; work found: {self._plan.describe()}.")
                try:
                    yield self
                finally:
                    self.finish_run(run_id, _step_failed(context, run_id))
        finally:
            self._side.close()

    @property
    def side(self) -> SideWorker:
        if self._side is None:
            self._side = SideWorker()  # used outside a run: work in this process
        return self._side

    def _trigger_of(self, context: dg.InitResourceContext) -> str:
        tags = context.dagster_run.tags if context.dagster_run else {}
        if "dagster/schedule_name" in tags:
            return "schedule"
        if "dagster/sensor_name" in tags:
            return "sensor"
        return tags.get("news/trigger", self.trigger)

    @contextmanager
    def run_lock(self) -> Iterator[None]:
        Path(self.lock_path).parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.lock_path, timeout=self.lock_timeout_s)
        try:
            lock.acquire()
        except Timeout as exc:
            raise RuntimeError(f"Another pipeline run has held {self.lock_path} for over "
                               f"{self.lock_timeout_s:.0f}s; not starting a second writer.") from exc
        try:
            yield
        finally:
            lock.release()

    def ensure_schema(self, conn: duckdb.DuckDBPyConnection) -> None:
        migrate(conn)
        conn.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
        conn.execute((SQL_DIR / "comments.sql").read_text(encoding="utf-8"))

    # ------------------------------------------------------------------ recovery
    def recover(self) -> str | None:
        """A working database that is missing or does not open is restored from the published copy
        (which holds raw.documents, so nothing read before is lost); a corrupt one is kept aside."""
        work, pub = Path(self.work_path), Path(self.published_path)
        if work.exists() and _opens(work):
            return None
        aside = None
        if work.exists():
            stamp = utcnow().strftime("%Y%m%dT%H%M%S")
            aside = work.with_name(f"{work.name}.corrupt-{stamp}")
            work.rename(aside)
            wal = Path(str(work) + ".wal")
            if wal.exists():
                wal.rename(Path(str(aside) + ".wal"))
        if not pub.exists() or not _opens(pub, read_only=True):
            return (f"The working database {work} did not open; it was moved to {aside} and the run starts "
                    "from an empty one (there is no published copy to restore from).") if aside else None
        tmp = work.with_name(f".{work.name}.restore.tmp")
        shutil.copyfile(pub, tmp)
        os.replace(tmp, work)
        what = f"was corrupt (kept as {aside.name})" if aside else "was missing"
        return f"The working database {work} {what}; restored it from the published copy {pub}."

    # ------------------------------------------------------------------ the run's own row
    def start_run(self, conn: duckdb.DuckDBPyConnection, run_id: str, trigger: str) -> None:
        self._run_id = run_id
        now = utcnow()
        shown = {k: v for k, v in self.setting_values().items()}
        conn.execute("BEGIN TRANSACTION")
        # We hold the lock, so any other 'running' row belongs to a run that died (SIGKILL, crash).
        conn.execute("UPDATE raw.runs SET status = 'abandoned', ended_at = coalesce(ended_at, ?) "
                     "WHERE status = 'running' AND run_id <> ?", [now, run_id])
        conn.execute("INSERT INTO raw.runs (run_id, started_at, status, trigger, extractor_version, settings) "
                     "VALUES (?, ?, 'running', ?, ?, ?) ON CONFLICT (run_id) DO UPDATE SET status = 'running'",
                     [run_id, now, trigger, self.version, json.dumps(shown)])
        conn.execute("COMMIT")

    def finish_run(self, run_id: str, failed: bool) -> None:
        with self.get_connection() as conn:
            conn.execute("UPDATE raw.runs SET ended_at = ?, status = CASE WHEN ? THEN 'failed' "
                         "WHEN status = 'running' THEN 'succeeded' ELSE status END WHERE run_id = ?",
                         [utcnow(), failed, run_id])

    def add_run_counts(self, conn: duckdb.DuckDBPyConnection, **counts: int) -> None:
        """Add to this run's counters inside the caller's transaction."""
        if not counts:
            return
        cols = sorted(counts)
        sets = ", ".join(f"{c} = coalesce({c}, 0) + ?" for c in cols)
        conn.execute(f"UPDATE raw.runs SET {sets} WHERE run_id = ?",  # noqa: S608 -- column names are ours, not data
                     [counts[c] for c in cols] + [self.run_id])

    def run_changes(self, conn: duckdb.DuckDBPyConnection) -> int:
        row = conn.execute("SELECT changes FROM raw.runs WHERE run_id = ?", [self.run_id]).fetchone()
        return row[0] if row else 0

    def should_materialize(self, conn: duckdb.DuckDBPyConnection, stage: str) -> bool:
        """A step records a materialization when the run changed something so far, or when work is
        pending at or after its stage (its downstream steps run only if it does)."""
        return self.run_changes(conn) > 0 or self.plan.work_from(stage)

    # ------------------------------------------------------------------ the plan
    def make_plan(self, conn: duckdb.DuckDBPyConnection) -> Plan:
        from orchestration import inbox, pending

        scan = inbox.scan_inbox(self.inbox_path)
        counts = pending.counts(conn, self, scan)
        return Plan(pending=counts, scan=scan)

    # ------------------------------------------------------------------ publishing
    def needs_publish(self, conn: duckdb.DuckDBPyConnection) -> bool:
        if not Path(self.published_path).exists():
            return True
        last, published_file = conn.execute(
            "SELECT published_at, published_file FROM raw.runs WHERE published_at IS NOT NULL "
            "ORDER BY published_at DESC LIMIT 1").fetchone() or (None, None)
        if last is None or published_file != _file_identity(Path(self.published_path)):
            return True  # never published, the last publish did not finish, or the file was changed
        pending = conn.execute("SELECT count(*) FROM raw.runs WHERE started_at >= ? AND changes > 0 "
                               "AND published_at IS NULL", [last]).fetchone()[0]
        current = conn.execute("SELECT changes FROM raw.runs WHERE run_id = ?", [self.run_id]).fetchone()
        return bool(pending) or bool(current and current[0])

    def _baseline_path(self) -> Path:
        return Path(self.work_path).with_name("publish_baseline.json")

    def _baseline(self) -> dict:
        """Size and live rows of the last copy known to be compact (a compacted one, or the first)."""
        try:
            return json.loads(self._baseline_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _no_dead_rows(self, rows: int) -> bool:
        """Whether the working file is no more than 10% bigger than its live rows need, judged against
        the last compact copy: deleted rows (a rebuild, a stage redone) stay in the file's blocks."""
        base = self._baseline()
        if not base.get("size") or not base.get("rows"):
            return True  # a first publish: a fresh working file
        expected = base["size"] * max(rows, 1) / base["rows"]
        return Path(self.work_path).stat().st_size <= (1 + COMPACT_ABOVE) * expected

    def publish(self, conn: duckdb.DuckDBPyConnection) -> tuple[float, int]:
        """Write a compact copy of the working database to $NEWS_WAREHOUSE atomically. Returns (seconds, bytes).

        After a checkpoint, a working file with few free blocks and no more than 10% beyond what its live
        rows needed in the last compact copy (a fresh build, incremental runs) is copied byte for byte:
        memory stays flat however big the warehouse. One that collected free blocks or deleted rows (a
        rebuild, a stage redone after a version change) is rewritten table by table (COPY FROM
        DATABASE), so the copy holds neither; that needs memory in proportion to the rows (the primary
        keys are rebuilt). Either way the copy goes
        to a temporary file beside the target, is fsynced and renamed into place. A copy that fails (a
        full disk) leaves the old copy in place and is redone by the next run."""
        t0 = time.perf_counter()
        now = utcnow()
        conn.execute("UPDATE raw.runs SET status = 'succeeded', published_at = ? WHERE run_id = ?", [now, self.run_id])
        target = Path(self.published_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        # We hold the run lock: any other temporary copy was left by a publish that was killed.
        for stale in target.parent.iterdir():
            if stale.name.startswith(f".{target.name}.") and stale.name.endswith(".tmp"):
                stale.unlink(missing_ok=True)
        work_db = _ident(conn.execute("SELECT current_database()").fetchone()[0])
        attached = False
        try:
            rows = _live_rows(conn)
            compacted = not (_checkpointed_and_dense(conn) and self._no_dead_rows(rows))
            if not compacted:
                shutil.copyfile(self.work_path, tmp)
            conn.execute("ATTACH ? AS publish_copy", [str(tmp)])
            attached = True
            if compacted and not _copy_bounded(conn, work_db):  # the keys did not fit the bound: no bound
                conn.execute("DETACH publish_copy")
                attached = False
                tmp.unlink(missing_ok=True)
                conn.execute("ATTACH ? AS publish_copy", [str(tmp)])
                attached = True
                conn.execute(f"COPY FROM DATABASE {work_db} TO publish_copy")  # noqa: S608 -- a catalog identifier
            conn.execute("USE publish_copy")
            conn.execute((SQL_DIR / "comments.sql").read_text(encoding="utf-8"))  # column descriptions too
            conn.execute(f"USE {work_db}")  # noqa: S608 -- a catalog identifier
            conn.execute("DETACH publish_copy")
            attached = False
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            if compacted or not self._baseline().get("size"):
                self._baseline_path().write_text(json.dumps({"size": tmp.stat().st_size, "rows": rows}))
            os.replace(tmp, target)
        except (OSError, duckdb.Error) as exc:
            if attached:
                conn.execute(f"USE {work_db}")  # noqa: S608 -- a catalog identifier
                conn.execute("DETACH publish_copy")
            conn.execute("UPDATE raw.runs SET published_at = NULL, status = 'running', message = ? WHERE run_id = ?",
                         [f"publishing failed: {exc}", self.run_id])
            raise RuntimeError(f"Publishing {target} failed ({getattr(exc, 'strerror', None) or exc}); the previous "
                               "copy is unchanged and the next run publishes again.") from exc
        finally:
            if tmp.exists():
                tmp.unlink()
        # Only now is the copy in place: a publish killed before this line is redone by the next run.
        conn.execute("UPDATE raw.runs SET published_file = ? WHERE run_id = ?", [_file_identity(target), self.run_id])
        return time.perf_counter() - t0, target.stat().st_size


# DuckDB's default memory limit is 80% of RAM, and COPY FROM DATABASE holds ~2.5x the database while
# copying (2.9 GB for a 1.2 GB working file). Under this bound it streams; only the primary-key indexes,
# rebuilt when the copy commits, need memory in proportion to the rows (1 GB holds ~100,000 articles).
PUBLISH_MEMORY_LIMIT = "1GB"


# The published copy is rewritten compactly when the working file is more than COMPACT_ABOVE bigger than
# its live rows need (deleted rows: a rebuild, a stage redone) or more than FREE_BLOCKS_ABOVE of its blocks
# are free. A fresh build's own checkpoints leave ~11% of its blocks free (20,000 articles: 135 of 1,209),
# and the compacting copy costs memory in proportion to the rows (+600 MB at 20,000 articles), so a fresh
# build is copied byte for byte.
COMPACT_ABOVE = 0.10
FREE_BLOCKS_ABOVE = 0.20


def _live_rows(conn: duckdb.DuckDBPyConnection) -> int:
    tables = conn.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                          "WHERE database_name = current_database()").fetchall()
    return sum(conn.execute(f"SELECT count(*) FROM {_ident(s)}.{_ident(t)}").fetchone()[0]  # noqa: S608 -- catalog names
               for s, t in tables)


def _checkpointed_and_dense(conn: duckdb.DuckDBPyConnection) -> bool:
    """Checkpoint the working file (so it holds every committed row and no WAL is needed) and say
    whether it is dense enough to copy byte for byte."""
    try:
        conn.execute("CHECKPOINT")
    except duckdb.Error:  # another transaction is open: take the table-by-table copy, which needs none
        return False
    total, free = conn.execute("SELECT total_blocks, free_blocks FROM pragma_database_size() "
                               "WHERE database_name = current_database()").fetchone()
    return not total or free / total <= FREE_BLOCKS_ABOVE


def _copy_bounded(conn: duckdb.DuckDBPyConnection, work_db: str) -> bool:
    """COPY FROM DATABASE under PUBLISH_MEMORY_LIMIT; False when the copy did not fit (nothing committed),
    so the caller copies again without the bound rather than fail the publish."""
    try:
        with memory_limit(conn, PUBLISH_MEMORY_LIMIT):
            conn.execute(f"COPY FROM DATABASE {work_db} TO publish_copy")  # noqa: S608 -- a catalog identifier
        return True
    except (duckdb.OutOfMemoryException, duckdb.TransactionException) as exc:
        if "could not allocate" not in str(exc) and not isinstance(exc, duckdb.OutOfMemoryException):
            raise
        return False


def _ident(name: str) -> str:
    """A catalog name quoted as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _step_failed(context: dg.InitResourceContext, run_id: str) -> bool:
    """Whether a step of this run failed (a failed blocking check fails its step too)."""
    try:
        return bool(context.instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_FAILURE))
    except Exception:  # no instance to ask: the CLI and the failure sensor record failures themselves
        return False


def _opens(path: Path, read_only: bool = False) -> bool:
    try:
        conn = duckdb.connect(str(path), read_only=read_only)
    except (duckdb.Error, OSError):
        return False
    try:
        conn.execute("SELECT count(*) FROM duckdb_tables()").fetchall()
        return True
    except duckdb.Error:
        return False
    finally:
        conn.close()


def _file_identity(path: Path) -> str:
    s = path.stat()
    return f"{s.st_ino}:{s.st_size}:{s.st_mtime_ns}"


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    conn.execute("BEGIN TRANSACTION")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def memory_limit(conn: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """DuckDB's memory_limit for the block, its default again after (a SET that fails changes nothing)."""
    conn.execute("SET memory_limit = ?", [limit])
    try:
        yield
    finally:
        conn.execute("RESET memory_limit")


# NO_VACUUM: each checkpoint appends its rows as a new row group, and DuckDB's checkpoint "vacuum" then
# merges small trailing row groups into a full one (122,880 rows), rewriting them in memory: on a
# 100,000-row batch the run process jumped by 250-450 MB every ~16,000 articles (raw texts, bodies,
# parses), and a merge took seconds (a 310,000-row parse table: peak 674 MB with merges, 364 MB
# without; file 79 MB against 50 MB). Appends do not need it. Row groups whose rows were all deleted (a
# rebuild, a stage redone) are still dropped without it; rows deleted here and there stay until the
# published copy is rewritten compactly (publish), which is what SQL users read.

# Streaming stages read a page of texts per transaction; DuckDB's buffer pool keeps every table block it
# read until memory_limit (80% of RAM) forces it out, so a long batch grew the run process by ~6 KB an
# article. A fixed low limit would also cap the primary-key indexes, which must stay in memory and grow
# with the rows. Instead, after each page's commit, lower the limit to what is not cached table data
# (indexes, open results) plus a margin, which evicts the cached blocks, and reset the limit.
CACHE_MARGIN_BYTES = 32 * 2**20


def release_cached_blocks(conn: duckdb.DuckDBPyConnection) -> None:
    """Evict the table blocks DuckDB caches (re-read from the file if needed again); no rows change."""
    held = conn.execute("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() "
                        "WHERE tag <> 'BASE_TABLE'").fetchone()[0]
    try:
        with memory_limit(conn, f"{int(held) + CACHE_MARGIN_BYTES}B"):
            pass
    except duckdb.OutOfMemoryException:
        pass  # it evicted what it could (what is left is pinned and needed); the limit was not changed


# The checks join every mention, parse and figure to its article's text: a hash join whose table holds
# the article bodies, so under DuckDB's default limit (80% of RAM) its memory grows with the corpus
# (~140 MB at 20,000 articles). Under this bound DuckDB spills the join to disk instead, at the same speed.
CHECK_MEMORY_LIMIT = "128MB"


def bounded(conn: duckdb.DuckDBPyConnection, run: Callable[[], T], limit: str = CHECK_MEMORY_LIMIT) -> T:
    """run() (a read) under a memory limit; run again without it if it does not fit even spilling."""
    try:
        with memory_limit(conn, limit):
            return run()
    except duckdb.OutOfMemoryException:
        return run()


def bounded_query(conn: duckdb.DuckDBPyConnection, sql: str, params: list | None = None,
                  limit: str = CHECK_MEMORY_LIMIT) -> list[tuple]:
    """A read query's rows under a memory limit (bounded)."""
    return bounded(conn, lambda: conn.execute(sql, params or []).fetchall(), limit)


def insert_rows(conn: duckdb.DuckDBPyConnection, table: str, rows: list[tuple], schema: dict,
                select: str = "SELECT * FROM batch_rows") -> None:
    """Insert rows as one Arrow batch (polars frame with an explicit schema), by column name; `select`
    may convert the batch's columns (it reads them as batch_rows)."""
    if rows:
        conn.register("batch_rows", pl.DataFrame(rows, schema=schema, orient="row"))
        conn.execute(f"INSERT INTO {table} BY NAME {select}")  # noqa: S608 -- table names and select are code constants
        conn.unregister("batch_rows")


def delete_where_in(conn: duckdb.DuckDBPyConnection, table: str, column: str, ids: list[str], also: str = "") -> None:
    """DELETE the rows whose column is in ids (bound as one list parameter)."""
    conn.execute(f"DELETE FROM {table} WHERE {also}{column} IN (SELECT unnest(?::VARCHAR[]))", [ids])  # noqa: S608


ENV = {"warehouse_path": "NEWS_WAREHOUSE", "inbox": "NEWS_INBOX", "spacy_model": "NEWS_SPACY_MODEL",
       "max_file_bytes": "NEWS_MAX_FILE_BYTES", "n_process": "NEWS_NLP_PROCESSES",
       "commit_every": "NEWS_COMMIT_EVERY", "column_map": "NEWS_COLUMN_MAP",
       "accept_empty_inbox": "NEWS_ACCEPT_EMPTY_INBOX"}


def resource_from_env(**overrides) -> WarehouseResource:
    """The resource with every setting as a dg.EnvVar (resolved at run time), except overrides."""
    st.apply_defaults()
    fields = {name: dg.EnvVar(var) for name, var in ENV.items()}
    for key, value in overrides.items():
        fields[key] = str(value) if key in ENV else value
    return WarehouseResource(**fields)


def resolved(resource: WarehouseResource) -> WarehouseResource:
    """A copy with its EnvVar fields read now (for code outside a run: the CLI, sensors)."""
    st.apply_defaults()
    values = {}
    for name in WarehouseResource.model_fields:
        v = getattr(resource, name)
        values[name] = v.get_value() if isinstance(v, dg.EnvVar) else v
    return WarehouseResource(**values)
