"""raw.files, raw.documents, raw.rejected: every inbox file accounted for; only new versions are read."""

import datetime as dt
from dataclasses import dataclass

import dagster as dg
import polars as pl

from orchestration.inbox import FileStat, scan_inbox
from orchestration.meta import table_metadata
from orchestration.warehouse import WarehouseResource, insert_rows, utcnow
from transforms.decode import decode_bytes, sha256_hex

RAW_FILES = dg.AssetKey(["raw", "files"])
RAW_DOCUMENTS = dg.AssetKey(["raw", "documents"])
RAW_REJECTED = dg.AssetKey(["raw", "rejected"])
READ_BATCH_BYTES = 64 * 1024 * 1024
READ_BATCH_FILES = 2000

FILES_SCHEMA = {"source_path": pl.String, "n_bytes": pl.Int64, "mtime": pl.Datetime("us"), "mtime_ns": pl.Int64,
                "content_sha256": pl.String, "doc_id": pl.String, "status": pl.String, "present": pl.Boolean,
                "first_seen": pl.Datetime("us"), "last_seen": pl.Datetime("us"), "first_run_id": pl.String,
                "last_run_id": pl.String}
DOCS_SCHEMA = {"doc_id": pl.String, "source_path": pl.String, "ingested_at": pl.Datetime("us"),
               "n_bytes": pl.Int64, "encoding": pl.String, "raw_text": pl.String, "run_id": pl.String}
REJECTED_SCHEMA = {"source_path": pl.String, "doc_id": pl.String, "stage": pl.String, "reason": pl.String,
                   "n_bytes": pl.Int64, "mtime_ns": pl.Int64, "seen_at": pl.Datetime("us"),
                   "extractor_version": pl.String, "run_id": pl.String}


@dataclass
class _Outcome:
    f: FileStat
    sha: str | None
    status: str
    doc_id: str | None
    reason: str | None = None
    text: str | None = None
    encoding: str | None = None


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


@dg.multi_asset(
    specs=[
        dg.AssetSpec(RAW_FILES, description="Ledger of every .txt file version seen under the inbox (recursive, any "
                     "case), with its size, mtime, hash and status: document, duplicate or rejected.",
                     group_name="raw", kinds={"duckdb", "python"}),
        dg.AssetSpec(RAW_DOCUMENTS, description="One row per distinct file content: decoded text, the codec that "
                     "decoded it, and the sha256 of the bytes as doc_id.", group_name="raw", kinds={"duckdb"}),
        dg.AssetSpec(RAW_REJECTED, description="Files that cannot become a document (empty, binary, too large, "
                     "symlink out of the inbox, vanished) and documents that are not articles, each with a reason.",
                     group_name="raw", kinds={"duckdb"}),
    ],
    pool="duckdb_writer",
)
def raw_ingest(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Scan the inbox; read and hash only file versions the ledger has not seen; record what each became."""
    now = utcnow()
    run_id = warehouse.run_id
    scanned = scan_inbox(warehouse.inbox)
    with warehouse.get_connection() as conn:
        ledger = conn.execute("SELECT source_path, n_bytes, mtime_ns, status = 'rejected' AND content_sha256 IS NULL "
                              "FROM raw.files").fetchall()
    known = {r[:3] for r in ledger if not r[3]}
    # Versions rejected unread (vanished, unreadable, too large, a link out) are looked at again: a file that
    # was moved away and back, given read permission, or fits a raised limit must not stay lost.
    unread = {r[:3] for r in ledger if r[3]}
    new_files = [f for f in scanned if f.key not in known]
    seen_keys = pl.DataFrame({"source_path": [f.rel_path for f in scanned],
                              "n_bytes": [f.n_bytes for f in scanned],
                              "mtime_ns": [f.mtime_ns for f in scanned]},
                             schema={"source_path": pl.String, "n_bytes": pl.Int64, "mtime_ns": pl.Int64})
    # Batches bound memory and each commits the ledger rows with their documents, so a crash loses nothing.
    added_docs = added_rejected = added_files = 0
    batch: list[FileStat] = []
    size = 0
    for f in new_files:
        batch.append(f)
        size += min(f.n_bytes, warehouse.max_file_bytes)
        if size >= READ_BATCH_BYTES or len(batch) >= READ_BATCH_FILES:
            d, r, n = _ingest_batch(warehouse, batch, now, unread)
            added_docs, added_rejected, added_files = added_docs + d, added_rejected + r, added_files + n
            batch, size = [], 0
    if batch:
        d, r, n = _ingest_batch(warehouse, batch, now, unread)
        added_docs, added_rejected, added_files = added_docs + d, added_rejected + r, added_files + n

    with warehouse.transaction() as conn:
        conn.register("seen", seen_keys)
        conn.execute("UPDATE raw.files AS f SET last_seen = ?, last_run_id = ?, present = true "
                     "FROM seen AS s WHERE f.source_path = s.source_path AND f.n_bytes = s.n_bytes "
                     "AND f.mtime_ns = s.mtime_ns", [now, run_id])
        retired = conn.execute(
            "UPDATE raw.files SET present = false WHERE present AND last_run_id <> ? RETURNING source_path",
            [run_id]).fetchall()
        counts = dict(conn.execute("SELECT status, count(*) FROM raw.files WHERE last_run_id = ? GROUP BY status",
                                   [run_id]).fetchall())
        # A changed file supersedes the article built from its earlier content at the same path.
        superseded = conn.execute("""
            UPDATE core.articles AS a SET superseded_by = cur.doc_id
            FROM (SELECT source_path, doc_id FROM raw.files WHERE present AND doc_id IS NOT NULL) AS cur
            WHERE a.source_path = cur.source_path AND a.article_id <> cur.doc_id
              AND a.superseded_by IS DISTINCT FROM cur.doc_id
              AND NOT EXISTS (SELECT 1 FROM raw.files p WHERE p.present AND p.doc_id = a.article_id)
            RETURNING a.article_id""").fetchall()
        conn.execute("""
            UPDATE core.articles AS a SET superseded_by = NULL
            WHERE superseded_by IS NOT NULL
              AND EXISTS (SELECT 1 FROM raw.files p WHERE p.present AND p.doc_id = a.article_id)""")
        warehouse.add_run_counts(conn, files_seen=len(scanned), files_document=counts.get("document", 0),
                                 duplicates=counts.get("duplicate", 0), rejected=counts.get("rejected", 0),
                                 changes=len(retired) + len(superseded))
    context.log.info(f"Scanned {len(scanned)} files under {warehouse.inbox}: {added_files} new or changed, "
                     f"{added_docs} new documents, {added_rejected} rejected, {len(retired)} no longer present.")
    with warehouse.get_connection(read_only=False) as conn:
        yield dg.MaterializeResult(asset_key=RAW_FILES, metadata=table_metadata(
            conn, "raw.files",
            "SELECT source_path, n_bytes, status, left(doc_id, 12) AS doc_id, present, last_seen FROM raw.files "
            "ORDER BY last_seen DESC, source_path LIMIT 10", added_files,
            files_seen=len(scanned), documents=counts.get("document", 0), duplicates=counts.get("duplicate", 0),
            rejected=counts.get("rejected", 0), no_longer_present=len(retired), inbox=warehouse.inbox))
        yield dg.MaterializeResult(asset_key=RAW_DOCUMENTS, metadata=table_metadata(
            conn, "raw.documents",
            "SELECT left(doc_id, 12) AS doc_id, source_path, encoding, n_bytes, left(raw_text, 60) AS start "
            "FROM raw.documents ORDER BY ingested_at DESC, source_path LIMIT 10", added_docs))
        yield dg.MaterializeResult(asset_key=RAW_REJECTED, metadata=table_metadata(
            conn, "raw.rejected",
            "SELECT source_path, stage, reason, n_bytes FROM raw.rejected ORDER BY seen_at DESC, source_path LIMIT 10",
            added_rejected))


def _ingest_batch(warehouse: WarehouseResource, batch: list[FileStat], now: dt.datetime,
                  unread: set[tuple[str, int, int]]) -> tuple[int, int, int]:
    """Read, hash and decode one batch; record it in one transaction. Returns (documents, rejected, files)."""
    run_id = warehouse.run_id
    outcomes: list[_Outcome] = []
    retried: list[FileStat] = []
    for f in batch:
        data, reason = _read(f, warehouse.max_file_bytes)
        if data is None:
            if f.key not in unread:  # still unreadable: the ledger already says why
                outcomes.append(_Outcome(f, None, "rejected", None, reason))
            continue
        if f.key in unread:
            retried.append(f)
        sha = sha256_hex(data)
        decoded = decode_bytes(data)
        if decoded.reason:
            outcomes.append(_Outcome(f, sha, "rejected", None, decoded.reason))
        else:
            outcomes.append(_Outcome(f, sha, "document", sha, text=decoded.text, encoding=decoded.encoding))
        del data

    if not outcomes:
        return 0, 0, 0
    with warehouse.transaction() as conn:
        for f in retried:  # its unread rejection is replaced by what the bytes turned out to be
            conn.execute("DELETE FROM raw.files WHERE source_path = ? AND n_bytes = ? AND mtime_ns = ?", list(f.key))
            conn.execute("DELETE FROM raw.rejected WHERE stage = 'ingest' AND source_path = ? AND n_bytes = ? "
                         "AND mtime_ns = ?", list(f.key))
        shas = [o.sha for o in outcomes if o.status == "document"]
        existing = dict(conn.execute("SELECT doc_id, source_path FROM raw.documents WHERE doc_id IN "
                                     "(SELECT unnest(?::VARCHAR[]))", [shas]).fetchall()) if shas else {}
        docs, files, rejected = [], [], []
        for o in outcomes:
            if o.status == "document":
                if o.sha in existing:
                    # Same content seen before: a duplicate unless it is the same path (a touched file).
                    o.status = "document" if existing[o.sha] == o.f.rel_path else "duplicate"
                else:
                    existing[o.sha] = o.f.rel_path
                    docs.append((o.sha, o.f.rel_path, now, o.f.n_bytes, o.encoding, o.text, run_id))
            else:
                rejected.append((o.f.rel_path, o.sha, "ingest", o.reason, o.f.n_bytes, o.f.mtime_ns, now, None, run_id))
            files.append((o.f.rel_path, o.f.n_bytes, _mtime(o.f.mtime_ns), o.f.mtime_ns, o.sha, o.doc_id,
                          o.status, True, now, now, run_id, run_id))
        insert_rows(conn, "raw.documents", docs, DOCS_SCHEMA)
        insert_rows(conn, "raw.rejected", rejected, REJECTED_SCHEMA)
        insert_rows(conn, "raw.files", files, FILES_SCHEMA)
        warehouse.add_run_counts(conn, files_new=len(files), new_documents=len(docs),
                                 changes=len(files) + len(docs) + len(rejected))
    return len(docs), len(rejected), len(files)
