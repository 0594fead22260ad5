"""raw.files and raw.documents: every document of every inbox file accounted for; only new versions are read.

A file version (path, size, mtime) holds one or more documents ("parts"): a .txt export may hold
many, a batch file one per record. The ledger has one row per (version, part) saying what each
part became: a document, a duplicate of an earlier one, or a rejection (raw.ingest_rejections).
"""

import datetime as dt
import json
from dataclasses import dataclass

import dagster as dg
import duckdb
import polars as pl

from orchestration import inbox as inbox_mod
from orchestration.automation import ledger_freshness
from orchestration.inbox import FileStat
from orchestration.meta import markdown_preview, table_metadata
from orchestration.versions import code_version
from orchestration.warehouse import WarehouseResource, insert_rows, release_cached_blocks, transaction, utcnow
from transforms.decode import decode_bytes, sha256_hex
from transforms.records import iter_records
from transforms.split import split_documents

RAW_FILES = dg.AssetKey(["raw", "files"])
RAW_DOCUMENTS = dg.AssetKey(["raw", "documents"])
RAW_REJECTED = dg.AssetKey(["raw", "rejected"])
READ_BATCH_BYTES = 64 * 1024 * 1024
READ_BATCH_FILES = 2000
RECORD_CHUNK = 2000  # batch-file records written per transaction

FILES_SCHEMA = {"source_path": pl.String, "part": pl.Int32, "n_bytes": pl.Int64, "mtime": pl.Datetime("us"),
                "mtime_ns": pl.Int64, "content_sha256": pl.String, "doc_id": pl.String, "status": pl.String,
                "present": pl.Boolean, "first_seen": pl.Datetime("us"), "last_seen": pl.Datetime("us"),
                "first_run_id": pl.String, "last_run_id": pl.String}
DOCS_SCHEMA = {"doc_id": pl.String, "source_path": pl.String, "part": pl.Int32, "ingested_at": pl.Datetime("us"),
               "n_bytes": pl.Int64, "encoding": pl.String, "raw_text": pl.String, "record": pl.String,
               "source_kind": pl.String, "run_id": pl.String}
REJECTED_SCHEMA = {"source_path": pl.String, "part": pl.Int32, "n_bytes": pl.Int64, "mtime_ns": pl.Int64,
                   "doc_id": pl.String, "reason": pl.String, "unread": pl.Boolean, "seen_at": pl.Datetime("us"),
                   "run_id": pl.String}


@dataclass
class _Part:
    """What one part of a file version became."""

    f: FileStat
    part: int
    file_sha: str | None
    doc_id: str | None
    status: str                    # document | duplicate | rejected
    reason: str | None = None
    unread: bool = False
    text: str | None = None
    encoding: str | None = None
    record: dict | None = None
    n_bytes: int = 0


class VanishedInbox(RuntimeError):
    pass


def _read(f: FileStat, max_bytes: int) -> tuple[bytes | None, str | None]:
    if f.outside:
        return None, "The file is a symbolic link to a file outside the inbox; it was not read."
    if f.broken:
        return None, "The file is a broken symbolic link; there is nothing to read."
    if f.n_bytes > max_bytes:
        return None, (f"The file is {f.n_bytes:,} bytes, over the {max_bytes:,}-byte limit for one article "
                      "(NEWS_MAX_FILE_BYTES); it was not read.")
    try:
        with open(f.abs_path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        return None, "The file disappeared before it could be read."
    except PermissionError:
        return None, "The file cannot be read: permission denied."
    except OSError as exc:
        return None, f"The file cannot be read: {exc.strerror or exc}."
    if len(data) > max_bytes:
        return None, f"The file grew past the {max_bytes:,}-byte limit while it was read; it was not stored."
    return data, None


def _mtime(ns: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ns / 1e9, dt.UTC).replace(tzinfo=None)


def text_parts(f: FileStat, max_bytes: int) -> list[_Part]:
    """A .txt file version: one part per export document in it (one for an ordinary file)."""
    data, reason = _read(f, max_bytes)
    if data is None:
        return [_Part(f, 1, None, None, "rejected", reason, unread=True)]
    file_sha = sha256_hex(data)
    decoded = decode_bytes(data)
    if decoded.reason:
        return [_Part(f, 1, file_sha, file_sha, "rejected", decoded.reason, n_bytes=len(data))]
    pieces = split_documents(decoded.text)
    if len(pieces) == 1:  # a single document keeps the sha256 of the file's bytes as its id
        return [_Part(f, 1, file_sha, file_sha, "document", text=decoded.text, encoding=decoded.encoding,
                      n_bytes=len(data))]
    out = []
    for n, piece in enumerate(pieces, start=1):
        raw = piece.encode("utf-8")
        out.append(_Part(f, n, file_sha, sha256_hex(raw), "document", text=piece, encoding=decoded.encoding,
                         n_bytes=len(raw)))
    return out


def record_parts(f: FileStat, column_map: dict, max_bytes: int):
    """A batch file version, streamed: one part per record (a rejection when the record is bad)."""
    if f.outside or f.broken:
        yield _Part(f, 1, None, None, "rejected", _read(f, 0)[1], unread=True)
        return
    for r in iter_records(f.abs_path, column_map, max_bytes):
        if r.reason:
            yield _Part(f, r.part, None, r.doc_id, "rejected", r.reason, n_bytes=r.n_bytes)
        else:
            yield _Part(f, r.part, None, r.doc_id, "document", text=r.text, encoding=r.encoding or "utf-8",
                        record=r.fields, n_bytes=r.n_bytes)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(RAW_FILES, description="Ledger of every article file version seen under the inbox (.txt, "
                     ".jsonl/.ndjson, .csv, .parquet; recursive, any case): one row per document in it (its part), "
                     "with what it became: document, duplicate or rejected (reasons in raw.ingest_rejections).",
                     group_name="raw", kinds={"duckdb", "python"}, skippable=True,
                     code_version=code_version("ingest"), freshness_policy=ledger_freshness()),
        dg.AssetSpec(RAW_DOCUMENTS, description="One row per distinct document: decoded text, the codec that "
                     "decoded it, its file and part, a batch record's own fields, and a content hash as doc_id.",
                     group_name="raw", kinds={"duckdb"}, skippable=True, code_version=code_version("ingest")),
    ],
    pool="duckdb_writer",
)
def raw_ingest(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Scan the inbox; read only file versions the ledger has not seen; record what each part became."""
    now = utcnow()
    scanned = warehouse.plan.scan if warehouse.plan.scan is not None else inbox_mod.scan_inbox(warehouse.inbox_path)
    with warehouse.get_connection() as conn:
        _guard_vanished_inbox(conn, scanned, warehouse)
        known = {tuple(r) for r in
                 conn.execute("SELECT DISTINCT source_path, n_bytes, mtime_ns FROM raw.files").fetchall()}
        # Versions rejected unread (vanished, unreadable, too large, a link out) are looked at again: a file that
        # was moved away and back, given read permission, or fits a raised limit must not stay lost.
        unread = {tuple(r) for r in conn.execute(
            "SELECT source_path, n_bytes, mtime_ns FROM raw.ingest_rejections WHERE unread").fetchall()}
        new_files = [f for f in scanned if f.key not in known or f.key in unread]
        totals = {"documents": 0, "rejected": 0, "versions": 0}
        batch: list[FileStat] = []
        size = 0
        for f in new_files:
            if f.kind != "txt":
                _ingest_batch_file(conn, warehouse, f, now, unread, totals)
                continue
            batch.append(f)
            size += min(f.n_bytes, warehouse.settings.max_file_bytes)
            if size >= READ_BATCH_BYTES or len(batch) >= READ_BATCH_FILES:
                _ingest_text_files(conn, warehouse, batch, now, unread, totals)
                batch, size = [], 0
        if batch:
            _ingest_text_files(conn, warehouse, batch, now, unread, totals)
        counts, retired = _update_ledger(conn, warehouse, scanned, now)
        context.log.info(f"Scanned {len(scanned)} files under {warehouse.inbox_path}: {totals['versions']} new or "
                         f"changed, {totals['documents']} new documents, {totals['rejected']} parts rejected, "
                         f"{retired} parts no longer present.")
        yield dg.MaterializeResult(asset_key=RAW_FILES, metadata=table_metadata(
            conn, "raw.files",
            "SELECT source_path, part, n_bytes, status, left(doc_id, 12) AS doc_id, present, last_seen FROM raw.files "
            "ORDER BY last_seen DESC, source_path, part LIMIT 10", totals["versions"],
            files_seen=len(scanned), parts_seen=sum(counts.values()), documents=counts.get("document", 0),
            duplicates=counts.get("duplicate", 0), rejected=counts.get("rejected", 0), no_longer_present=retired,
            inbox=warehouse.inbox_path))
        if warehouse.should_materialize(conn, "raw"):
            yield dg.MaterializeResult(asset_key=RAW_DOCUMENTS, metadata=table_metadata(
                conn, "raw.documents",
                "SELECT left(doc_id, 12) AS doc_id, source_path, part, source_kind, encoding, n_bytes, "
                "left(raw_text, 60) AS start FROM raw.documents ORDER BY ingested_at DESC, source_path, part LIMIT 10",
                totals["documents"]))


def _guard_vanished_inbox(conn: duckdb.DuckDBPyConnection, scanned: list[FileStat],
                          warehouse: WarehouseResource) -> None:
    """An unmounted share looks like an empty folder: refuse to mark every file deleted at once."""
    present = {r[0] for r in conn.execute("SELECT DISTINCT source_path FROM raw.files WHERE present").fetchall()}
    if not present or warehouse.settings.accept_empty_inbox:
        return
    if not present & {f.rel_path for f in scanned}:
        raise VanishedInbox(
            f"Every file the ledger lists as present ({len(present):,}) is gone from {warehouse.inbox_path} at once"
            " (is the inbox mounted?), so nothing was marked deleted; if they really were removed, run once "
            "with NEWS_ACCEPT_EMPTY_INBOX=true.")


def _classify(conn: duckdb.DuckDBPyConnection, parts: list[_Part], existing: dict) -> None:
    """document (first time these contents are seen, or seen at this very path and part), else duplicate."""
    ids = [p.doc_id for p in parts if p.status == "document" and p.doc_id not in existing]
    if ids:
        existing.update({r[0]: (r[1], r[2]) for r in conn.execute(
            "SELECT doc_id, source_path, part FROM raw.documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
            [ids]).fetchall()})
    for p in parts:
        if p.status != "document":
            continue
        where = (p.f.rel_path, p.part)
        if p.doc_id in existing:
            p.status = "document" if existing[p.doc_id] == where else "duplicate"
            p.text = None  # already stored
        else:
            existing[p.doc_id] = where


def _write(conn: duckdb.DuckDBPyConnection, warehouse: WarehouseResource, parts: list[_Part], now: dt.datetime,
           ledger: bool) -> tuple[int, int]:
    """Store new documents and rejections (and, with ledger=True, the ledger rows) in the caller's transaction."""
    run_id = warehouse.run_id
    docs = [(p.doc_id, p.f.rel_path, p.part, now, p.n_bytes, p.encoding, p.text,
             json.dumps(p.record, ensure_ascii=False) if p.record is not None else None, p.f.kind, run_id)
            for p in parts if p.status == "document" and p.text is not None]
    rejected = [(p.f.rel_path, p.part, p.f.n_bytes, p.f.mtime_ns, p.doc_id, p.reason, p.unread, now, run_id)
                for p in parts if p.status == "rejected"]
    insert_rows(conn, "raw.documents", docs, DOCS_SCHEMA)
    insert_rows(conn, "raw.ingest_rejections", rejected, REJECTED_SCHEMA)
    if ledger:
        files = [(p.f.rel_path, p.part, p.f.n_bytes, _mtime(p.f.mtime_ns), p.f.mtime_ns, p.file_sha,
                  p.doc_id if p.status != "rejected" else None, p.status, True, now, now, run_id, run_id)
                 for p in parts]
        insert_rows(conn, "raw.files", files, FILES_SCHEMA)
    warehouse.add_run_counts(conn, new_documents=len(docs), changes=len(docs) + len(rejected) + (len(parts) * ledger))
    return len(docs), len(rejected)


def _forget_unread(conn: duckdb.DuckDBPyConnection, f: FileStat) -> None:
    """A version rejected unread before is replaced by what its bytes turn out to be."""
    conn.execute("DELETE FROM raw.files WHERE source_path = ? AND n_bytes = ? AND mtime_ns = ?", list(f.key))
    conn.execute("DELETE FROM raw.ingest_rejections WHERE source_path = ? AND n_bytes = ? AND mtime_ns = ?",
                 list(f.key))


def _ingest_text_files(conn: duckdb.DuckDBPyConnection, warehouse: WarehouseResource, batch: list[FileStat],
                       now: dt.datetime, unread: set, totals: dict) -> None:
    """Read, hash, decode and split one batch of .txt files; record it in one transaction."""
    parts: list[_Part] = []
    retried: list[FileStat] = []
    for f in batch:
        got = text_parts(f, warehouse.settings.max_file_bytes)
        if f.key in unread:
            if got[0].unread:
                continue  # still unreadable: the ledger already says why
            retried.append(f)
        parts.extend(got)
    if not parts:
        return
    with transaction(conn):
        for f in retried:
            _forget_unread(conn, f)
        _classify(conn, parts, {})
        d, r = _write(conn, warehouse, parts, now, ledger=True)
        warehouse.add_run_counts(conn, files_new=len({p.f.key for p in parts}))
    totals["documents"] += d
    totals["rejected"] += r
    totals["versions"] += len({p.f.key for p in parts})


def _ingest_batch_file(conn: duckdb.DuckDBPyConnection, warehouse: WarehouseResource, f: FileStat,
                       now: dt.datetime, unread: set, totals: dict) -> None:
    """Stream a batch file's records: documents are stored chunk by chunk (idempotent by id), the
    version's ledger rows once the whole file is read, so a crash mid-file leaves it unseen."""
    s = warehouse.settings
    all_parts: list[_Part] = []
    existing: dict = {}
    chunk: list[_Part] = []

    def flush() -> None:
        if not chunk:
            return
        with transaction(conn):
            _classify(conn, chunk, existing)
            d, r = _write(conn, warehouse, chunk, now, ledger=False)
        release_cached_blocks(conn)
        totals["documents"] += d
        totals["rejected"] += r
        for p in chunk:
            p.text = None  # keep only what the ledger needs
        all_parts.extend(chunk)
        chunk.clear()

    for p in record_parts(f, s.column_map, s.max_file_bytes):
        if p.unread and f.key in unread:
            return
        chunk.append(p)
        if len(chunk) >= RECORD_CHUNK:
            flush()
    flush()
    with transaction(conn):
        if f.key in unread:
            _forget_unread(conn, f)
        files = [(p.f.rel_path, p.part, p.f.n_bytes, _mtime(p.f.mtime_ns), p.f.mtime_ns, p.file_sha,
                  p.doc_id if p.status != "rejected" else None, p.status, True, now, now, warehouse.run_id,
                  warehouse.run_id) for p in all_parts]
        insert_rows(conn, "raw.files", files, FILES_SCHEMA)
        warehouse.add_run_counts(conn, files_new=1, changes=len(files))
    totals["versions"] += 1


def _update_ledger(conn: duckdb.DuckDBPyConnection, warehouse: WarehouseResource, scanned: list[FileStat],
                   now: dt.datetime) -> tuple[dict, int]:
    run_id = warehouse.run_id
    seen_keys = pl.DataFrame({"source_path": [f.rel_path for f in scanned], "n_bytes": [f.n_bytes for f in scanned],
                              "mtime_ns": [f.mtime_ns for f in scanned]},
                             schema={"source_path": pl.String, "n_bytes": pl.Int64, "mtime_ns": pl.Int64})
    with transaction(conn):
        conn.register("seen", seen_keys)
        # last_seen alone is not a change: a run that finds nothing new is quiet
        conn.execute("UPDATE raw.files AS f SET last_seen = ?, last_run_id = ?, present = true "
                     "FROM seen AS s WHERE f.source_path = s.source_path AND f.n_bytes = s.n_bytes "
                     "AND f.mtime_ns = s.mtime_ns", [now, run_id])
        conn.unregister("seen")
        retired = conn.execute("UPDATE raw.files SET present = false WHERE present AND last_run_id <> ? "
                               "RETURNING source_path", [run_id]).fetchall()
        counts = dict(conn.execute("SELECT status, count(*) FROM raw.files WHERE last_run_id = ? AND present "
                                   "GROUP BY status", [run_id]).fetchall())
        warehouse.add_run_counts(conn, files_seen=sum(counts.values()), files_document=counts.get("document", 0),
                                 duplicates=counts.get("duplicate", 0), rejected=counts.get("rejected", 0),
                                 changes=len(retired))
    return counts, len(retired)


@dg.asset(
    key=RAW_REJECTED,
    deps=[RAW_FILES, dg.AssetKey(["core", "articles"])],
    group_name="raw",
    kinds={"duckdb", "sql"},
    pool="duckdb_writer",
    output_required=False,
    code_version=code_version("clean"),
    description="raw.rejected, a view: files and records that could not become a document (stage ingest, from "
                "raw.ingest_rejections, owned by raw/files) and documents that are not articles (stage clean, from "
                "core.clean_rejections, owned by core/articles), each with its file, part and reason.",
)
def raw_rejected(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.get_connection() as conn:
        if not warehouse.should_materialize(conn, "articles"):
            return
        by_stage = dict(conn.execute("SELECT stage, count(*) FROM raw.rejected GROUP BY ALL").fetchall())
        yield dg.MaterializeResult(metadata={
            "dagster/row_count": sum(by_stage.values()),
            "ingest": by_stage.get("ingest", 0),
            "clean": by_stage.get("clean", 0),
            "preview": dg.MetadataValue.md(markdown_preview(
                conn, "SELECT source_path, part, stage, reason FROM raw.rejected ORDER BY seen_at DESC, source_path, "
                "part LIMIT 10")),
        })
