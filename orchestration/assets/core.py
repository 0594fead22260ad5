"""core.articles, then core.entity_mentions and core.figures from one batched spaCy pass."""

import datetime as dt
import time
from collections.abc import Iterator

import dagster as dg
import polars as pl

from orchestration.assets.raw import RAW_DOCUMENTS, RAW_REJECTED, REJECTED_SCHEMA
from orchestration.assets.ref import REF_KEYS
from orchestration.meta import table_metadata
from orchestration.warehouse import WarehouseResource, delete_where_in, insert_rows, utcnow
from transforms import parallel
from transforms.articles import build_article

ARTICLES = dg.AssetKey(["core", "articles"])
ENTITY_MENTIONS = dg.AssetKey(["core", "entity_mentions"])
FIGURES = dg.AssetKey(["core", "figures"])

ARTICLE_SCHEMA = {
    "article_id": pl.String, "source_path": pl.String, "title": pl.String, "published_date": pl.Date,
    "date_source": pl.String, "date_note": pl.String, "body": pl.String, "n_words": pl.Int32,
    "language": pl.String, "is_english": pl.Boolean, "body_sha256": pl.String, "source_format": pl.String,
    "boilerplate_lines": pl.Int32, "ingested_at": pl.Datetime("us"), "extractor_version": pl.String,
    "processed_at": pl.Datetime("us"),
}
MENTION_SCHEMA = {"article_id": pl.String, "field": pl.String, "entity": pl.String, "label": pl.String,
                  "mention_text": pl.String, "start_char": pl.Int32, "end_char": pl.Int32,
                  "extractor_version": pl.String}
FIGURE_SCHEMA = {
    "figure_id": pl.String, "article_id": pl.String, "field": pl.String, "value": pl.Float64,
    "value_max": pl.Float64, "qualifier": pl.String, "unit": pl.String, "measure": pl.String,
    "subject": pl.String, "location": pl.String, "source": pl.String, "source_text": pl.String,
    "reported_date": pl.Date, "sentence": pl.String, "start_char": pl.Int32, "end_char": pl.Int32,
    "figure_text": pl.String, "measure_text": pl.String, "modality": pl.String, "extractor_version": pl.String,
}


def _chunked(items: list, n: int) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


# ---------------------------------------------------------------------------------------------- articles
@dg.asset(
    key=ARTICLES,
    deps=[RAW_DOCUMENTS],
    group_name="core",
    kinds={"duckdb", "python"},
    pool="duckdb_writer",
    description="One row per document that is an article: boilerplate stripped (web copies, news-database "
                "exports, headline-first files, HTML), title, published_date with date_source, cleaned body, "
                "word count, language, duplicates marked. Documents that are not articles go to raw.rejected.",
)
def articles(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    version = warehouse.version
    with warehouse.get_connection() as conn:
        pending = [r[0] for r in conn.execute("""
            SELECT d.doc_id FROM raw.documents d
            LEFT JOIN core.articles a ON a.article_id = d.doc_id
            WHERE (a.article_id IS NULL OR a.extractor_version <> ?)
              AND NOT EXISTS (SELECT 1 FROM raw.rejected r WHERE r.doc_id = d.doc_id AND r.stage = 'clean'
                              AND r.extractor_version = ?)
            ORDER BY d.ingested_at, d.doc_id""", [version, version]).fetchall()]
    t0 = time.perf_counter()
    built, rejected = _clean_all(warehouse, pending, version)
    with warehouse.transaction() as conn:
        # duplicate_of: the earliest article (by ingestion, then id) with the same folded body
        dup = conn.execute("""
            UPDATE core.articles AS a SET duplicate_of = f.first_id
            FROM (SELECT article_id, first_value(article_id) OVER (PARTITION BY body_sha256
                         ORDER BY ingested_at, article_id) AS first_id FROM core.articles) AS f
            WHERE a.article_id = f.article_id
              AND a.duplicate_of IS DISTINCT FROM (CASE WHEN f.first_id = a.article_id THEN NULL ELSE f.first_id END)
            RETURNING a.article_id""").fetchall()
        conn.execute("UPDATE core.articles SET duplicate_of = NULL WHERE duplicate_of = article_id")
        warehouse.add_run_counts(conn, articles=built, clean_rejected=rejected, changes=built + rejected + len(dup))
    context.log.info(f"Cleaned {len(pending)} documents in {time.perf_counter() - t0:.1f}s: "
                     f"{built} articles, {rejected} rejected as not articles.")
    with warehouse.get_connection() as conn:
        langs = dict(conn.execute("SELECT language, count(*) FROM core.articles GROUP BY ALL").fetchall())
        date_sources = dict(conn.execute("SELECT date_source, count(*) FROM core.articles GROUP BY ALL").fetchall())
        return dg.MaterializeResult(metadata=table_metadata(
            conn, "core.articles",
            "SELECT left(article_id, 12) AS article_id, title, published_date, date_source, n_words, language, "
            "left(duplicate_of, 12) AS duplicate_of FROM core.articles ORDER BY processed_at DESC, article_id LIMIT 10",
            built, rejected_as_not_articles=rejected, languages=str(langs), date_sources=str(date_sources)))


def _documents(warehouse: WarehouseResource, ids: list[str], info: dict) -> Iterator[tuple[str, str, dt.date]]:
    for page in _chunked(ids, 500):
        with warehouse.get_connection() as conn:
            rows = conn.execute("SELECT doc_id, source_path, raw_text, ingested_at, n_bytes FROM raw.documents "
                                "WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [page]).fetchall()
        for doc_id, path, raw_text, ingested_at, n_bytes in rows:
            info[doc_id] = (path, ingested_at, n_bytes)
            yield doc_id, raw_text, ingested_at.date()


def _clean_all(warehouse: WarehouseResource, ids: list[str], version: str) -> tuple[int, int]:
    """Clean pending documents (in forked workers when there are many); each commit_every articles
    are written with their old mentions and figures removed, in one transaction."""
    info: dict[str, tuple] = {}
    rows, rejects, done = [], [], []
    totals = [0, 0]

    def flush():
        if not done:
            return
        with warehouse.transaction() as conn:
            for table in ("core.entity_mentions", "core.figures", "core.articles"):
                delete_where_in(conn, table, "article_id", done)
            delete_where_in(conn, "raw.rejected", "doc_id", done, also="stage = 'clean' AND ")
            insert_rows(conn, "core.articles", rows, ARTICLE_SCHEMA)
            insert_rows(conn, "raw.rejected", rejects, REJECTED_SCHEMA)
        totals[0] += len(rows)
        totals[1] += len(rejects)
        rows.clear()
        rejects.clear()
        done.clear()

    n_proc = warehouse.processes if len(ids) >= warehouse.parallel_min_articles else 1
    now = utcnow()
    results = parallel.stream(lambda docs: ((d, build_article(text, day)) for d, text, day in docs),
                              _documents(warehouse, ids, info), n_proc)
    for doc_id, a in results:
        path, ingested_at, n_bytes = info.pop(doc_id)
        if isinstance(a, str):
            rejects.append((path, doc_id, "clean", a, n_bytes, None, now, version, warehouse.run_id))
        else:
            rows.append((doc_id, path, a.title, a.published_date, a.date_source, a.date_note, a.body, a.n_words,
                         a.language, a.language == "en", a.body_sha256, a.source_format, a.boilerplate_lines,
                         ingested_at, version, now))
        done.append(doc_id)
        if len(done) >= warehouse.commit_every:
            flush()
    flush()
    return totals[0], totals[1]


# ---------------------------------------------------------------------------------------------- NLP
@dg.multi_asset(
    specs=[
        dg.AssetSpec(ENTITY_MENTIONS, deps=[ARTICLES, *REF_KEYS], group_name="core", kinds={"duckdb", "spacy"},
                     description="Named entities in titles and bodies with canonical names: the reviewed alias "
                                 "table (seeds/entity_aliases.csv, also an entity ruler before NER) plus folding of "
                                 "surname-only and title-prefixed mentions onto the full name used in the article."),
        dg.AssetSpec(FIGURES, deps=[ARTICLES, *REF_KEYS], group_name="core", kinds={"duckdb", "spacy"},
                     description="Every reported number (docs/figures.md): value, range, qualifier, unit, measure, "
                                 "subject, location, source as written and canonical, modality, sentence, offsets."),
    ],
    pool="duckdb_writer",
)
def nlp_extract(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """One nlp.pipe over every pending article (title and body) feeds both entity mentions and figures."""
    version = warehouse.version
    with warehouse.get_connection() as conn:
        pending = conn.execute("""
            SELECT article_id, length(body) + length(coalesce(title, '')), is_english FROM core.articles
            WHERE nlp_version IS DISTINCT FROM extractor_version ORDER BY ingested_at, article_id""").fetchall()
    english = [r[0] for r in pending if r[2]]
    other = [r[0] for r in pending if not r[2]]
    total_chars = sum(r[1] for r in pending if r[2])
    n_mentions = n_figures = 0
    t0 = time.perf_counter()
    if other:
        # Not English: kept and flagged, not run through the English model.
        with warehouse.transaction() as conn:
            for table in ("core.entity_mentions", "core.figures"):
                delete_where_in(conn, table, "article_id", other)
            conn.execute("UPDATE core.articles SET nlp_version = extractor_version "
                         "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [other])
            warehouse.add_run_counts(conn, nlp_articles=len(other), changes=len(other))
    if english:
        n_proc = warehouse.processes if len(english) >= warehouse.parallel_min_articles else 1
        where = f"{n_proc} forked processes" if n_proc > 1 else "the run process"
        context.log.info(f"spaCy {warehouse.spacy_model} (entity_ruler, ner) on {len(english)} articles "
                         f"({total_chars:,} chars) in {where}.")
        n_mentions, n_figures = _run_nlp(warehouse, english, version, n_proc)
    elapsed = time.perf_counter() - t0
    context.log.info(f"NLP over {len(pending)} articles took {elapsed:.1f}s: {n_mentions} mentions, {n_figures} figures.")
    with warehouse.get_connection() as conn:
        yield dg.MaterializeResult(asset_key=ENTITY_MENTIONS, metadata=table_metadata(
            conn, "core.entity_mentions",
            "SELECT entity, label, count(*) AS mentions, count(DISTINCT article_id) AS articles "
            "FROM core.entity_mentions GROUP BY ALL ORDER BY mentions DESC, entity LIMIT 10", n_mentions,
            articles_processed=len(pending), nlp_seconds=round(elapsed, 2)))
        yield dg.MaterializeResult(asset_key=FIGURES, metadata=table_metadata(
            conn, "core.figures",
            "SELECT figure_text, value, qualifier, measure, subject, location, source, reported_date "
            "FROM core.figures ORDER BY reported_date DESC NULLS LAST, article_id, start_char LIMIT 10", n_figures,
            articles_processed=len(pending)))


def _articles(warehouse: WarehouseResource, ids: list[str], dates: dict) -> Iterator[tuple[str, str, str]]:
    """(id, title, body) in pages, so memory does not grow with the corpus."""
    for page in _chunked(ids, 500):
        with warehouse.get_connection() as conn:
            rows = conn.execute("SELECT article_id, title, body, published_date FROM core.articles "
                                "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [page]).fetchall()
        for aid, title, body, published in rows:
            dates[aid] = published
            yield aid, title or "", body


def _run_nlp(warehouse: WarehouseResource, ids: list[str], version: str, n_proc: int) -> tuple[int, int]:
    dates: dict[str, dt.date | None] = {}
    mentions_buf: list[tuple] = []
    figures_buf: list[tuple] = []
    done: list[str] = []
    totals = [0, 0]

    def flush():
        if not done:
            return
        with warehouse.transaction() as conn:
            for table in ("core.entity_mentions", "core.figures"):
                delete_where_in(conn, table, "article_id", done)
            insert_rows(conn, "core.entity_mentions", mentions_buf, MENTION_SCHEMA)
            insert_rows(conn, "core.figures", figures_buf, FIGURE_SCHEMA)
            conn.execute("UPDATE core.articles SET nlp_version = extractor_version "
                         "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [done])
            warehouse.add_run_counts(conn, nlp_articles=len(done), mentions=len(mentions_buf),
                                     figures=len(figures_buf), changes=len(done) + len(mentions_buf) + len(figures_buf))
        totals[0] += len(mentions_buf)
        totals[1] += len(figures_buf)
        mentions_buf.clear()
        figures_buf.clear()
        done.clear()

    # Workers return only mentions and figures, never spaCy Docs; the dates dict is filled as pages
    # are read (by the feeding thread), before their results can come back.
    from transforms import nlp as nlp_mod

    nlp = nlp_mod.load(warehouse.spacy_model)
    for aid, ex in nlp_mod.extract_parallel(nlp, _articles(warehouse, ids, dates), n_proc, warehouse.batch_size):
        m_rows, f_rows = article_rows(aid, dates.pop(aid, None), ex, version)
        mentions_buf.extend(m_rows)
        figures_buf.extend(f_rows)
        done.append(aid)
        if len(done) >= warehouse.commit_every:
            flush()
    flush()
    return totals[0], totals[1]


def article_rows(aid: str, published: dt.date | None, ex, version: str) -> tuple[list[tuple], list[tuple]]:
    m_rows = [(aid, fld, c.entity, c.label, c.text, c.start, c.end, version) for fld, c in ex.mentions]
    f_rows = [(f.figure_id(aid, fld), aid, fld, f.value, f.value_max, f.qualifier, f.unit, f.measure, f.subject,
               f.location, f.source, f.source_text, published, f.sentence, f.start, f.end, f.text, f.measure_text,
               f.modality, version) for fld, f in ex.figures]
    return m_rows, f_rows
