"""Data-quality checks. Blocking ones stop the views and the published copy from refreshing."""

import hashlib
import json

import dagster as dg

from orchestration.assets.core import ARTICLES, ENTITY_MENTIONS, FIGURES, SENTENCE_PARSES
from orchestration.assets.raw import RAW_DOCUMENTS, RAW_FILES
from orchestration.meta import markdown_preview
from orchestration.warehouse import WarehouseResource, bounded_query, utcnow

QUALIFIERS = ["exact", "at_least", "more_than", "about", "nearly", "up_to"]
MODALITIES = ["asserted", "hedged", "denied"]
SCOPES = ["cumulative", "incident", "period", "other", "unknown"]
SAMPLE = 20


def _sql_check(warehouse: WarehouseResource, count_sql: str, sample_sql: str, what: str,
               params: list | None = None, unique: tuple[str, str] | None = None, **extra) -> dg.AssetCheckResult:
    """Passes when count_sql returns 0 (and, with `unique` = (table, key columns), no key is stored
    twice); otherwise lists up to SAMPLE offending rows or keys."""
    with warehouse.get_connection() as conn:
        bad = bounded_query(conn, count_sql, params)[0][0]
        meta = {"offending_rows": bad, **extra}
        if bad:
            meta["sample"] = dg.MetadataValue.md(markdown_preview(conn, f"{sample_sql} LIMIT {SAMPLE}", params))
        dups = 0
        if unique:  # the per-row tables carry no PRIMARY KEY (sql/schema.sql): their key is checked here
            table, key = unique
            # identifiers from this module's constants, never data
            dup_sql = f"SELECT {key}, count(*) AS copies FROM {table} GROUP BY {key} HAVING count(*) > 1"  # noqa: S608
            dups = bounded_query(conn, f"SELECT count(*) FROM ({dup_sql})")[0][0]  # noqa: S608
            meta["duplicate_keys"] = dups
            if dups:
                meta["duplicates"] = dg.MetadataValue.md(markdown_preview(conn, f"{dup_sql} LIMIT {SAMPLE}"))
    meta["rule"] = what
    return dg.AssetCheckResult(passed=bad == 0 and dups == 0, metadata=meta, severity=dg.AssetCheckSeverity.ERROR)


def _offsets_check(warehouse: WarehouseResource, table: str, text_col: str, id_cols: str, extra: str,
                   what: str, key: str | None = None) -> dg.AssetCheckResult:
    """Rows of `table` whose article is missing or whose offsets do not cover `text_col` in its field.
    Every argument is one of this module's constants (identifiers and SQL), never data."""
    cond = f"""a.article_id IS NULL OR t.start_char < 0 OR t.end_char <= t.start_char
        OR t.end_char > length(CASE t.field WHEN 'title' THEN coalesce(a.title, '') ELSE a.body END)
        OR substring(CASE t.field WHEN 'title' THEN a.title ELSE a.body END, t.start_char + 1,
                     t.end_char - t.start_char) IS DISTINCT FROM t.{text_col} {extra}"""
    base = f"FROM {table} t LEFT JOIN core.article_rows a USING (article_id) WHERE {cond}"
    return _sql_check(warehouse, f"SELECT count(*) {base}",
                      f"SELECT {id_cols}, t.field, t.{text_col}, t.start_char, t.end_char {base}", what,
                      unique=(table, key) if key else None)


# ------------------------------------------------------------------------------------------- raw
@dg.asset_check(asset=RAW_FILES, blocking=True,
                description="Every document of every file seen by this run is accounted for: parts seen = documents + "
                            "duplicates + rejected, every document and duplicate points at a stored document, and "
                            "every rejected part has a reason in raw.ingest_rejections.")
def files_accounted_for(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    run_id = warehouse.run_id
    with warehouse.get_connection() as conn:
        seen = conn.execute("SELECT files_seen FROM raw.runs WHERE run_id = ?", [run_id]).fetchone()
        parts_seen = seen[0] if seen else 0
        by_status = dict(conn.execute("SELECT status, count(*) FROM raw.files WHERE last_run_id = ? AND present "
                                      "GROUP BY status", [run_id]).fetchall())
        orphans = conn.execute("""
            SELECT count(*) FROM raw.files f WHERE f.last_run_id = ? AND f.status <> 'rejected'
              AND NOT EXISTS (SELECT 1 FROM raw.documents d WHERE d.doc_id = f.doc_id)""", [run_id]).fetchone()[0]
        unexplained = conn.execute("""
            SELECT count(*) FROM raw.files f WHERE f.last_run_id = ? AND f.status = 'rejected'
              AND NOT EXISTS (SELECT 1 FROM raw.ingest_rejections r WHERE r.source_path = f.source_path
                              AND r.part = f.part AND r.n_bytes = f.n_bytes AND r.mtime_ns = f.mtime_ns)""",
                                   [run_id]).fetchone()[0]
    documents, duplicates, rejected = (by_status.get(s, 0) for s in ("document", "duplicate", "rejected"))
    passed = parts_seen == documents + duplicates + rejected and orphans == 0 and unexplained == 0
    return dg.AssetCheckResult(passed=passed, severity=dg.AssetCheckSeverity.ERROR, metadata={
        "parts_seen": parts_seen, "documents": documents, "duplicates": duplicates, "rejected": rejected,
        "documents_missing": orphans, "rejections_without_reason": unexplained})


@dg.asset_check(asset=RAW_DOCUMENTS, blocking=True,
                description="doc_id is the 64-hex sha256 of the bytes and is unique.")
def document_ids_valid(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    return _sql_check(
        warehouse,
        "SELECT (SELECT count(*) FROM raw.documents WHERE NOT regexp_full_match(doc_id, '[0-9a-f]{64}')) + "
        "(SELECT count(*) - count(DISTINCT doc_id) FROM raw.documents)",
        "SELECT doc_id, source_path FROM raw.documents WHERE NOT regexp_full_match(doc_id, '[0-9a-f]{64}')",
        "doc_id matches [0-9a-f]{64} and is unique")


# ------------------------------------------------------------------------------------------- articles
@dg.asset_check(asset=ARTICLES, blocking=True,
                description="published_date is not after the ingestion date and not before 1900; n_words >= 0; "
                            "article_id unique and a stored document.")
def articles_valid(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    cond = ("published_date > CAST(ingested_at AS DATE) OR published_date < DATE '1900-01-01' OR n_words < 0 "
            "OR article_id NOT IN (SELECT doc_id FROM raw.documents)")
    return _sql_check(
        warehouse,
        f"SELECT (SELECT count(*) FROM core.article_rows WHERE {cond}) + "  # noqa: S608 -- cond: SQL constant above
        "(SELECT count(*) - count(DISTINCT article_id) FROM core.article_rows)",
        f"SELECT article_id, title, published_date, ingested_at, n_words FROM core.article_rows WHERE {cond}",  # noqa: S608
        "1900-01-01 <= published_date <= ingestion date; n_words >= 0; unique ids that are documents")


# Great Expectations checks what SQL does not: the shape of the data. A stage that silently breaks
# (a cleaner that eats bodies, dates no longer found, figure rules that stop firing) still writes
# valid rows; these distributions move. They warn, they do not block.
ARTICLES_FRAME = """
    SELECT (published_date IS NOT NULL)::INTEGER AS dated, n_words
    FROM core.articles WHERE duplicate_of IS NULL AND superseded_by IS NULL AND is_english"""
FIGURES_FRAME = """
    SELECT a.article_id, 1000.0 * count(f.figure_id) / a.n_words AS figures_per_1000_words
    FROM core.articles a LEFT JOIN core.figures f USING (article_id)
    WHERE a.duplicate_of IS NULL AND a.superseded_by IS NULL AND a.is_english AND a.n_words >= 50
    GROUP BY a.article_id, a.n_words"""
# (expectation, kwargs); "min_value": "previous" is the row count the same check saw last time.
ARTICLES_SUITE = [
    ("ExpectColumnMeanToBeBetween", {"column": "dated", "min_value": 0.5}),           # share of dated articles
    ("ExpectColumnMedianToBeBetween", {"column": "n_words", "min_value": 80, "max_value": 3000}),
    ("ExpectTableRowCountToBeBetween", {"min_value": "previous"}),                     # articles are never removed
]
FIGURES_SUITE = [
    ("ExpectColumnMeanToBeBetween", {"column": "figures_per_1000_words", "min_value": 1.0, "max_value": 60.0}),
    ("ExpectColumnMedianToBeBetween", {"column": "figures_per_1000_words", "min_value": 0.0, "max_value": 40.0}),
    ("ExpectTableRowCountToBeBetween", {"min_value": "previous"}),                     # articles with a count
]


@dg.asset_check(asset=ARTICLES, blocking=False,
                description="Great Expectations 1.x (ephemeral context, pandas frame read from DuckDB), WARN: at "
                            "least half the current articles are dated, the median article has 80 to 3,000 "
                            "words, and the number of articles did not drop since the last validation.")
def articles_expectations(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    return _gx_check(warehouse, "core_articles_distribution", ARTICLES_FRAME, ARTICLES_SUITE)


# ------------------------------------------------------------------------------------------- mentions
@dg.asset_check(asset=ENTITY_MENTIONS, blocking=True,
                description="Every mention points at an existing article, its offsets lie inside that field "
                            "and the text at those offsets is mention_text; (article_id, field, start_char, "
                            "end_char) is unique.")
def mentions_point_into_articles(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    return _offsets_check(warehouse, "core.entity_mentions", "mention_text", "t.article_id", "",
                          "mention offsets index its article's field and cover mention_text; one row per span",
                          "article_id, field, start_char, end_char")


# ------------------------------------------------------------------------------------------- figures
@dg.asset_check(asset=FIGURES, blocking=True,
                description="value >= 0, value_max is NULL or >= value, qualifier, modality and scope in their sets, "
                            "measure in the vocabulary (or other), population in seeds/populations.csv or a "
                            "nationality, part_of a figure of the same article, figure_id unique.")
def figure_values_valid(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    cond = ("value < 0 OR value IS NULL OR isnan(value) OR (value_max IS NOT NULL AND value_max < value) "
            "OR qualifier NOT IN (SELECT unnest(?::VARCHAR[])) OR modality NOT IN (SELECT unnest(?::VARCHAR[])) "
            "OR scope NOT IN (SELECT unnest(?::VARCHAR[])) "
            "OR (measure <> 'other' AND measure NOT IN (SELECT measure FROM ref.measure_vocabulary)) "
            "OR (population IS NOT NULL AND population NOT IN (SELECT population FROM ref.populations "
            "UNION ALL SELECT plural FROM ref.nationalities)) "
            "OR (part_of IS NOT NULL AND NOT EXISTS (SELECT 1 FROM core.figures t WHERE t.figure_id = "
            "core.figures.part_of AND t.article_id = core.figures.article_id))")
    params = [QUALIFIERS, MODALITIES, SCOPES]
    return _sql_check(
        warehouse,
        f"SELECT count(*) FROM core.figures WHERE {cond}",  # noqa: S608 -- cond: SQL constant above
        "SELECT figure_id, article_id, figure_text, value, value_max, qualifier, measure FROM core.figures "  # noqa: S608
        f"WHERE {cond}",
        "value >= 0; value_max NULL or >= value; known qualifier, modality, measure; unique figure_id",
        params, unique=("core.figures", "figure_id"))


@dg.asset_check(asset=FIGURES, blocking=True,
                description="Every figure points at an existing article, its offsets lie inside that field and "
                            "the text at those offsets is figure_text; reported_date is the article's date.")
def figures_point_into_articles(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    return _offsets_check(warehouse, "core.figures", "figure_text", "t.figure_id, t.article_id",
                          "OR t.reported_date IS DISTINCT FROM a.published_date",
                          "figure offsets index its article's field and cover figure_text")


@dg.asset_check(asset=FIGURES, blocking=False,
                description="Great Expectations 1.x, WARN: current English articles of 50 words or more carry 1 to "
                            "60 figures per 1,000 words on average (median at most 40), and no fewer of them than at "
                            "the last validation.")
def figures_expectations(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    return _gx_check(warehouse, "core_figures_distribution", FIGURES_FRAME, FIGURES_SUITE)


def _gx_check(warehouse: WarehouseResource, name: str, frame_sql: str, suite) -> dg.AssetCheckResult:
    """Run a GX suite in the helper process, unless these very rows already went through it: the
    result is kept by a fingerprint of the rows and the suite."""
    suite_key = hashlib.sha256(json.dumps(suite, sort_keys=True).encode()).hexdigest()[:16]
    with warehouse.get_connection() as conn:
        n, h = bounded_query(conn, f"SELECT count(*), coalesce(bit_xor(hash(t)), 0) FROM ({frame_sql}) t")[0]  # noqa: S608
        fingerprint = f"{n}:{h}:{suite_key}"
        stored = next(iter(conn.execute("SELECT result, validated_at, fingerprint FROM raw.validations "
                                        "WHERE check_name = ?", [name]).fetchall()), None)
        if stored and stored[2] == fingerprint:
            return _gx_result(json.loads(stored[0]), n, reused_from=stored[1])
        previous = json.loads(stored[0]).get("rows", 0) if stored else 0
        frame = conn.sql(frame_sql).to_arrow_table()
    concrete = [(cls, {k: (previous if v == "previous" else v) for k, v in kw.items()}) for cls, kw in suite]
    result = warehouse.side.validate(name, frame, concrete) if n else {
        "success": True, "statistics": {}, "results": [], "note": "no rows to validate"}
    result["rows"] = n
    with warehouse.get_connection() as conn:
        conn.execute("INSERT OR REPLACE INTO raw.validations VALUES (?, ?, ?, ?)",
                     [name, fingerprint, utcnow(), json.dumps(result)])
    return _gx_result(result, n)


def _gx_result(result: dict, n_rows: int, reused_from=None) -> dg.AssetCheckResult:
    rows = ["| expectation | column | success | observed | unexpected |", "|---|---|---|---|---|"]
    for r in result["results"]:
        rows.append(f"| {r['expectation']} | {r['column']} | {r['success']} | {r.get('observed', '')} | "
                    f"{r['unexpected_count'] or ''} |")
    failed = sum(1 for r in result["results"] if not r["success"])
    return dg.AssetCheckResult(
        passed=result["success"], severity=dg.AssetCheckSeverity.WARN,
        metadata={"gx_success": result["success"], "gx_statistics": dg.MetadataValue.json(result["statistics"]),
                  "gx_results": dg.MetadataValue.md("\n".join(rows)), "rows_validated": n_rows,
                  "failed_expectations": failed,
                  "gx_validated_at": str(reused_from) if reused_from else "this run",
                  "note": ("The same rows went through this suite earlier; GX's result for them is shown."
                           if reused_from else "Validated by Great Expectations in this run.")})


@dg.asset_check(asset=SENTENCE_PARSES, blocking=True,
                description="Every parse belongs to an article, lies inside its field, and has one tag, label, "
                            "and head per token, each head inside the sentence; one parse per sentence start.")
def parses_well_formed(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    cond = """a.article_id IS NULL OR p.sent_start < 0 OR p.sent_end <= p.sent_start
        OR p.sent_end > CASE p.field WHEN 'title' THEN a.title_chars ELSE a.body_chars END
        OR len(p.tok_start) <> len(p.tok_end) OR len(p.tok_start) <> len(p.tag) OR len(p.tok_start) <> len(p.dep)
        OR len(p.tok_start) <> len(p.head) OR len(p.tok_start) <> len(p.pos)
        OR list_max(p.head) >= len(p.head) OR list_min(p.head) < 0"""
    # the lengths only, not the texts: a join holding every body took +800 MB at 100,000 articles
    lengths = ("(SELECT article_id, length(coalesce(title, '')) AS title_chars, length(body) AS body_chars "
               "FROM core.article_rows)")
    base = f"FROM core.sentence_parses p LEFT JOIN {lengths} a USING (article_id) WHERE {cond}"  # noqa: S608 -- constants
    return _sql_check(warehouse, f"SELECT count(*) {base}",
                      f"SELECT p.article_id, p.field, p.sent_start, p.sent_end {base}",
                      "parses index their article's field and have one value per token in every column; "
                      "one row per (article_id, field, sent_start)",
                      unique=("core.sentence_parses", "article_id, field, sent_start"))


CHECKS = [files_accounted_for, document_ids_valid, articles_valid, articles_expectations,
          mentions_point_into_articles, parses_well_formed, figure_values_valid, figures_point_into_articles,
          figures_expectations]
