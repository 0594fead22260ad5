"""The warehouse resource: where things live, short write connections, the run lock, publishing.

Design (README "Beside SQL users"): the pipeline writes a private working database and, after a
run whose blocking checks pass, publishes a consistent copy at $NEWS_WAREHOUSE by copying the
working file to a temporary name beside it and renaming it into place. Analysts only ever open
the published file (read-only); a rename never disturbs a session already open on the old file,
and a reconnect sees the new data. A file lock makes the pipeline the single writer, for Dagster
runs and `make run` alike.
"""

import datetime as dt
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource
from filelock import FileLock, Timeout
from pydantic import Field, PrivateAttr

from orchestration.sidecar import SideWorker, take_prewarmed
from transforms.nlp import DEFAULT_MODEL
from transforms.version import extractor_version

PROJECT_DIR = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_DIR / "sql"
DEFAULT_WAREHOUSE = "data/warehouse.duckdb"
DEFAULT_INBOX = "seeds/articles"
DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _abs(path: str) -> str:
    p = Path(path).expanduser()
    return str(p if p.is_absolute() else (Path.cwd() / p).resolve())


def work_path_for(warehouse: str) -> str:
    w = Path(_abs(warehouse))
    return str(w.parent / ".work" / w.name)


class WarehouseResource(DuckDBResource):
    """DuckDB working database of the pipeline, plus the settings every asset shares."""

    warehouse_path: str = Field(description="Published read copy analysts query ($NEWS_WAREHOUSE).")
    inbox: str = Field(description="Folder scanned recursively for .txt files ($NEWS_INBOX).")
    spacy_model: str = Field(default=DEFAULT_MODEL, description="spaCy model package ($NEWS_SPACY_MODEL).")
    max_file_bytes: int = Field(default=DEFAULT_MAX_FILE_BYTES,
                                description="Larger files are rejected at ingest ($NEWS_MAX_FILE_BYTES).")
    n_process: int = Field(default=0, description="spaCy processes; 0 = all cores ($NEWS_NLP_PROCESSES).")
    batch_size: int = Field(default=64, description="spaCy nlp.pipe batch size.")
    parallel_min_articles: int = Field(default=100, description="Fewer pending articles than this are cleaned "
                                                                "and run through spaCy in the run process itself.")
    commit_every: int = Field(default=500, description="Articles per write transaction ($NEWS_COMMIT_EVERY).")
    lock_timeout_s: float = Field(default=1800.0, description="How long a run waits for another writer.")
    trigger: str = Field(default="ui", description="What started runs using this resource.")

    _run_id: str | None = PrivateAttr(default=None)
    _side: SideWorker | None = PrivateAttr(default=None)

    # ------------------------------------------------------------------ paths
    @property
    def work_path(self) -> str:
        return self.database

    @property
    def lock_path(self) -> str:
        return self.database + ".lock"

    @property
    def report_path(self) -> str:
        return str(Path(self.warehouse_path).parent / "report.html")

    @property
    def version(self) -> str:
        return extractor_version(self.spacy_model)

    @property
    def processes(self) -> int:
        return self.n_process if self.n_process > 0 else max(1, os.cpu_count() or 1)

    @property
    def run_id(self) -> str:
        return self._run_id or "adhoc"

    # ------------------------------------------------------------------ connections
    @contextmanager
    def get_connection(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived connection to the working database, always closed (unlike the base class)."""
        Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        if read_only and not Path(self.database).exists():
            raise FileNotFoundError(f"No working database yet at {self.database}; run the pipeline first.")
        conn = duckdb.connect(self.database, read_only=read_only, config={"custom_user_agent": "news-warehouse"})
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.get_connection() as conn:
            conn.execute("BEGIN TRANSACTION")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # ------------------------------------------------------------------ lifecycle
    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["WarehouseResource"]:
        run_id = context.run_id if context.dagster_run else None
        # GX and Altair are imported on the other core while the run ingests, cleans and runs spaCy
        self._side = take_prewarmed() or SideWorker()
        self._side.start()
        try:
            with self.run_lock():
                self.ensure_schema()
                if run_id:
                    self.start_run(run_id, self._trigger_of(context))
                try:
                    yield self
                finally:
                    if run_id:
                        self.finish_run(run_id)
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

    def ensure_schema(self) -> None:
        ddl = (SQL_DIR / "schema.sql").read_text(encoding="utf-8")
        comments = (SQL_DIR / "comments.sql").read_text(encoding="utf-8")
        with self.get_connection() as conn:
            conn.execute(ddl)
            conn.execute(comments)

    def start_run(self, run_id: str, trigger: str) -> None:
        self._run_id = run_id
        now = utcnow()
        with self.transaction() as conn:
            # We hold the lock, so any other 'running' row belongs to a run that died (SIGKILL, crash).
            conn.execute("UPDATE raw.runs SET status = 'abandoned', ended_at = coalesce(ended_at, ?) "
                         "WHERE status = 'running' AND run_id <> ?", [now, run_id])
            conn.execute("INSERT INTO raw.runs (run_id, started_at, status, trigger, extractor_version) "
                         "VALUES (?, ?, 'running', ?, ?) ON CONFLICT (run_id) DO UPDATE SET status = 'running'",
                         [run_id, now, trigger, self.version])

    def finish_run(self, run_id: str) -> None:
        with self.get_connection() as conn:
            conn.execute("UPDATE raw.runs SET ended_at = ?, status = CASE WHEN status = 'running' "
                         "THEN 'failed' ELSE status END WHERE run_id = ?", [utcnow(), run_id])

    def add_run_counts(self, conn: duckdb.DuckDBPyConnection, **counts: int) -> None:
        """Add to this run's counters inside the caller's transaction."""
        if not counts:
            return
        cols = sorted(counts)
        sets = ", ".join(f"{c} = coalesce({c}, 0) + ?" for c in cols)  # column names are ours, not data
        conn.execute(f"UPDATE raw.runs SET {sets} WHERE run_id = ?", [counts[c] for c in cols] + [self.run_id])

    # ------------------------------------------------------------------ publishing
    def needs_publish(self) -> bool:
        if not Path(self.warehouse_path).exists():
            return True
        with self.get_connection() as conn:
            last, published_file = conn.execute(
                "SELECT published_at, published_file FROM raw.runs WHERE published_at IS NOT NULL "
                "ORDER BY published_at DESC LIMIT 1").fetchone() or (None, None)
            if last is None or published_file != _file_identity(Path(self.warehouse_path)):
                return True  # never published, the last publish did not finish, or the file was changed
            pending = conn.execute("SELECT count(*) FROM raw.runs WHERE started_at >= ? AND changes > 0 "
                                   "AND published_at IS NULL", [last]).fetchone()[0]
            current = conn.execute("SELECT changes FROM raw.runs WHERE run_id = ?", [self.run_id]).fetchone()
        return bool(pending) or bool(current and current[0])

    def publish(self) -> tuple[float, int]:
        """Copy the working database to $NEWS_WAREHOUSE atomically. Returns (seconds, bytes)."""
        t0 = time.perf_counter()
        now = utcnow()
        with self.get_connection() as conn:
            conn.execute("UPDATE raw.runs SET status = 'succeeded', published_at = ?, ended_at = ? "
                         "WHERE run_id = ?", [now, now, self.run_id])
            conn.execute("CHECKPOINT")
        target = Path(self.warehouse_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        # We hold the run lock: any other temporary copy was left by a publish that was killed.
        for stale in target.parent.iterdir():
            if stale.name.startswith(f".{target.name}.") and stale.name.endswith(".tmp"):
                stale.unlink(missing_ok=True)
        try:
            shutil.copyfile(self.database, tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        finally:
            if tmp.exists():
                tmp.unlink()
        # Only now is the copy in place: a publish killed before this line is redone by the next run.
        with self.get_connection() as conn:
            conn.execute("UPDATE raw.runs SET published_file = ? WHERE run_id = ?",
                         [_file_identity(target), self.run_id])
        return time.perf_counter() - t0, target.stat().st_size

    def mark_succeeded(self) -> None:
        with self.get_connection() as conn:
            conn.execute("UPDATE raw.runs SET status = 'succeeded', ended_at = ? WHERE run_id = ?",
                         [utcnow(), self.run_id])


def _file_identity(path: Path) -> str:
    st = path.stat()
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


def insert_rows(conn: duckdb.DuckDBPyConnection, table: str, rows: list[tuple], schema: dict) -> None:
    """Insert rows as one Arrow batch (polars frame with an explicit schema), by column name."""
    if rows:
        conn.register("batch_rows", pl.DataFrame(rows, schema=schema, orient="row"))
        conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM batch_rows")  # table names are code constants
        conn.unregister("batch_rows")


def delete_where_in(conn: duckdb.DuckDBPyConnection, table: str, column: str, ids: list[str], also: str = "") -> None:
    """DELETE the rows whose column is in ids (bound as one list parameter)."""
    conn.execute(f"DELETE FROM {table} WHERE {also}{column} IN (SELECT unnest(?::VARCHAR[]))", [ids])


def resource_from_env(**overrides) -> WarehouseResource:
    warehouse = _abs(os.environ.get("NEWS_WAREHOUSE", str(PROJECT_DIR / DEFAULT_WAREHOUSE)))
    settings = dict(
        database=work_path_for(warehouse),
        warehouse_path=warehouse,
        inbox=_abs(os.environ.get("NEWS_INBOX", str(PROJECT_DIR / DEFAULT_INBOX))),
        spacy_model=os.environ.get("NEWS_SPACY_MODEL", DEFAULT_MODEL),
        max_file_bytes=int(os.environ.get("NEWS_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES)),
        n_process=int(os.environ.get("NEWS_NLP_PROCESSES", "0")),
        commit_every=int(os.environ.get("NEWS_COMMIT_EVERY", "500")),
    )
    settings.update(overrides)
    return WarehouseResource(**settings)
