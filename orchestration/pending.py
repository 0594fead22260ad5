"""What each stage still has to do: the same queries decide a step's work and the run's plan.

A stage's rows are current when they were built by its present version from the present output
of the stage before it; everything else is pending.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from orchestration.warehouse import WarehouseResource

# Documents without an article from the current clean version (and not rejected by it).
CLEAN_PENDING = """
    FROM raw.documents d
    LEFT JOIN core.article_rows a ON a.article_id = d.doc_id
    WHERE (a.article_id IS NULL OR a.clean_version <> $clean)
      AND NOT EXISTS (SELECT 1 FROM core.clean_rejections r WHERE r.doc_id = d.doc_id
                      AND r.clean_version = $clean)"""
# Whether a pending id has rows of an earlier build to replace (else its stage inserts without deleting).
CLEAN_OLD = ("(a.article_id IS NOT NULL OR EXISTS (SELECT 1 FROM core.clean_rejections r "
             "WHERE r.doc_id = d.doc_id))")
NLP_OLD = "n.article_id IS NOT NULL"
FIGURES_OLD = "s.article_id IS NOT NULL"
# Articles whose entities and parses were not built by the current NER version from their present text.
NLP_PENDING = """
    FROM core.article_rows a
    LEFT JOIN core.nlp_state n ON n.article_id = a.article_id
    WHERE n.article_id IS NULL OR n.ner_version <> $ner OR n.text_sha256 <> a.text_sha256"""
# The inputs figures depend on: the text and NER they were built from, and the date they resolve against.
FIGURE_INPUT = "concat_ws('|', n.text_sha256, n.ner_version, coalesce(CAST(a.published_date AS VARCHAR), ''))"
FIGURES_PENDING = f"""
    FROM core.article_rows a
    JOIN core.nlp_state n ON n.article_id = a.article_id AND n.text_sha256 = a.text_sha256
    LEFT JOIN core.figure_state s ON s.article_id = a.article_id
    WHERE s.article_id IS NULL OR s.figure_version <> $figures OR s.input_key <> {FIGURE_INPUT}"""


def views_fingerprint() -> str:
    from orchestration.assets.analytics import VIEWS

    h = hashlib.sha256()
    for name, path in sorted(VIEWS.items()):
        h.update(name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def counts(conn: duckdb.DuckDBPyConnection, warehouse: "WarehouseResource", scan: list) -> dict[str, int]:
    from orchestration.assets.ref import seeds_changed
    from orchestration.assets.report import report_stale

    v = warehouse.versions
    params = {"clean": v.clean, "ner": v.ner, "figures": v.figures}

    def one(sql: str, names: tuple[str, ...]) -> int:
        return conn.execute(f"SELECT count(*) {sql}", {k: params[k] for k in names}).fetchone()[0]  # noqa: S608 -- our own SQL constants

    # Versions rejected unread (a link out of the inbox, an unreadable file) are retried by every run
    # without counting as work: only versions never seen, and vanished ones, are.
    known = {tuple(r) for r in conn.execute("SELECT DISTINCT source_path, n_bytes, mtime_ns FROM raw.files").fetchall()}
    present = {tuple(r) for r in conn.execute(
        "SELECT DISTINCT source_path, n_bytes, mtime_ns FROM raw.files WHERE present").fetchall()}
    keys = {f.key for f in scan}
    stored_views = conn.execute("SELECT value FROM raw.schema_info WHERE key = 'views'").fetchone()
    return {
        "ref": seeds_changed(conn),
        "raw": len(keys - known) + len(present - keys),
        "articles": one(CLEAN_PENDING, ("clean",)),
        "nlp": one(NLP_PENDING, ("ner",)),
        "figures": one(FIGURES_PENDING, ("figures",)),
        "views": int(not stored_views or stored_views[0] != views_fingerprint()),
        "published": int(warehouse.needs_publish(conn)),
        "report": int(report_stale(warehouse, conn)),
    }
