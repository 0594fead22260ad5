"""The three stages, each an asset that owns its tables and redoes only what its own version or inputs changed.

core/articles          clean: core.article_rows (core.articles is a view over it) and core.clean_rejections
core/entity_mentions   NLP: NER over every title and body, the parse of every number sentence
  + core/sentence_parses   (core.entity_mentions, core.sentence_parses, core.nlp_state)
core/figures           figure rules over stored bodies, mentions and parses: no spaCy (core.figures, core.figure_state)
"""

import datetime as dt
import hashlib
import time
from collections.abc import Iterator
from typing import NamedTuple

import dagster as dg
import duckdb
import polars as pl

from orchestration import pending as pq
from orchestration.assets.raw import RAW_DOCUMENTS, RAW_FILES
from orchestration.meta import table_metadata
from orchestration.versions import code_version
from orchestration.warehouse import (
    WarehouseResource,
    delete_where_in,
    insert_rows,
    release_cached_blocks,
    transaction,
    utcnow,
)
from transforms import parallel
from transforms.articles import build_article

ARTICLES = dg.AssetKey(["core", "articles"])
ENTITY_MENTIONS = dg.AssetKey(["core", "entity_mentions"])
SENTENCE_PARSES = dg.AssetKey(["core", "sentence_parses"])
FIGURES = dg.AssetKey(["core", "figures"])
PAGE = 500

ARTICLE_SCHEMA = {
    "article_id": pl.String, "source_path": pl.String, "part": pl.Int32, "title": pl.String,
    "published_date": pl.Date, "date_source": pl.String, "date_note": pl.String, "body": pl.String,
    "n_words": pl.Int32, "language": pl.String, "is_english": pl.Boolean, "outlet": pl.String,
    "outlet_text": pl.String, "byline": pl.String, "section": pl.String, "url": pl.String,
    "dateline_place": pl.String, "credits": pl.String, "body_sha256": pl.String, "text_sha256": pl.String,
    "source_format": pl.String, "boilerplate_lines": pl.Int32, "ingested_at": pl.Datetime("us"),
    "clean_version": pl.String, "processed_at": pl.Datetime("us"), "run_id": pl.String,
}
CLEAN_REJECTION_SCHEMA = {"doc_id": pl.String, "source_path": pl.String, "part": pl.Int32, "reason": pl.String,
                          "n_bytes": pl.Int64, "clean_version": pl.String, "seen_at": pl.Datetime("us"),
                          "run_id": pl.String}
MENTION_SCHEMA = {"article_id": pl.String, "field": pl.String, "entity": pl.String, "label": pl.String,
                  "mention_text": pl.String, "start_char": pl.Int32, "end_char": pl.Int32,
                  "extractor_version": pl.String}
# Parses arrive packed (SentenceParse.packed): the token lists as space-joined strings, split by DuckDB.
PARSE_SCHEMA = {"article_id": pl.String, "field": pl.String, "sent_start": pl.Int32, "sent_end": pl.Int32,
                "tok_start": pl.String, "tok_end": pl.String, "tag": pl.String, "pos": pl.String, "dep": pl.String,
                "head": pl.String}
PARSE_INSERT = (  # '' is an empty list
    "SELECT * REPLACE ("
    "CASE WHEN tok_start = '' THEN [] ELSE string_split(tok_start, ' ') END::INTEGER[] AS tok_start, "
    "CASE WHEN tok_end = '' THEN [] ELSE string_split(tok_end, ' ') END::INTEGER[] AS tok_end, "
    "CASE WHEN tag = '' THEN [] ELSE string_split(tag, ' ') END AS tag, "
    "CASE WHEN pos = '' THEN [] ELSE string_split(pos, ' ') END AS pos, "
    "CASE WHEN dep = '' THEN [] ELSE string_split(dep, ' ') END AS dep, "
    "CASE WHEN head = '' THEN [] ELSE string_split(head, ' ') END::INTEGER[] AS head) FROM batch_rows")
PARSE_READ = ("SELECT article_id, field, sent_start, sent_end, array_to_string(tok_start, ' '), "
              "array_to_string(tok_end, ' '), array_to_string(tag, ' '), array_to_string(pos, ' '), "
              "array_to_string(dep, ' '), array_to_string(head, ' ') FROM core.sentence_parses")
NLP_STATE_SCHEMA = {"article_id": pl.String, "text_sha256": pl.String, "ner_version": pl.String,
                    "mentions": pl.Int32, "parsed_sentences": pl.Int32, "processed_at": pl.Datetime("us"),
                    "run_id": pl.String}
FIGURE_SCHEMA = {
    "figure_id": pl.String, "article_id": pl.String, "field": pl.String, "value": pl.Float64,
    "value_max": pl.Float64, "qualifier": pl.String, "unit": pl.String, "measure": pl.String,
    "subject": pl.String, "location": pl.String, "location_region": pl.String, "source": pl.String,
    "source_text": pl.String, "reported_date": pl.Date, "scope": pl.String, "period_start": pl.Date,
    "event_date": pl.Date, "part_of": pl.String, "population": pl.String, "sentence": pl.String,
    "start_char": pl.Int32, "end_char": pl.Int32, "figure_text": pl.String, "measure_text": pl.String,
    "modality": pl.String, "decided_by": pl.String, "extractor_version": pl.String,
}
FIGURE_STATE_SCHEMA = {"article_id": pl.String, "input_key": pl.String, "figure_version": pl.String,
                       "figures": pl.Int32, "processed_at": pl.Datetime("us"), "run_id": pl.String}


def _chunked(items: list, n: int) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def text_sha256(title: str | None, body: str) -> str:
    return hashlib.sha256(f"{title or ''}\x00{body}".encode("utf-8")).hexdigest()


class Pending(NamedTuple):
    id: str
    rowid: int   # where its row is, so a page is read from the blocks that hold it
    old: bool    # it has rows from an earlier build that must be replaced


def _pending(conn: duckdb.DuckDBPyConnection, sql: str, params: dict, key: str, alias: str, old: str
             ) -> list[Pending]:
    """A stage's pending ids in the order their rows are stored (ids are hashes: any other order scatters
    every page over the whole table)."""
    return [Pending(*r) for r in conn.execute(  # noqa: S608 -- our own SQL constants
        f"SELECT {key}, {alias}.rowid, {old} {sql} ORDER BY {alias}.rowid", params).fetchall()]


def _page_rows(reader: duckdb.DuckDBPyConnection, select: str, alias: str, key: str, page: list[Pending]
               ) -> list[tuple]:
    """The rows of one page (its key first): read by rowid range, so DuckDB reads the blocks that hold them
    instead of every text in the table for every page; by key alone for any row a checkpoint has moved."""
    ids = [p.id for p in page]
    rows = reader.execute(f"{select} WHERE {alias}.rowid BETWEEN ? AND ? AND list_contains(?::VARCHAR[], {key})",  # noqa: S608 -- our own SQL constants
                          [min(p.rowid for p in page), max(p.rowid for p in page), ids]).fetchall()
    if len(rows) < len(ids):
        got = {r[0] for r in rows}
        rows += reader.execute(f"{select} WHERE list_contains(?::VARCHAR[], {key})",  # noqa: S608 -- our own SQL constants
                               [[i for i in ids if i not in got]]).fetchall()
    return rows


# ---------------------------------------------------------------------------------------------- articles
@dg.asset(
    key=ARTICLES,
    deps=[RAW_FILES, RAW_DOCUMENTS],
    group_name="core",
    kinds={"duckdb", "python"},
    pool="duckdb_writer",
    output_required=False,
    code_version=code_version("clean"),
    description="One row per document that is an article: boilerplate stripped (web copies, news-database "
                "exports, batch records, HTML), title, published_date with date_source, outlet, byline, section, "
                "url, cleaned body, word count, language; duplicates (same cleaned body) and superseded versions "
                "(a changed file part) marked. Documents that are not articles go to core.clean_rejections.",
)
def articles(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    clean_v = warehouse.versions.clean
    with warehouse.get_connection() as conn:
        ids = _pending(conn, pq.CLEAN_PENDING, {"clean": clean_v}, "d.doc_id", "d", pq.CLEAN_OLD)
    t0 = time.perf_counter()
    n_proc = warehouse.processes if len(ids) >= warehouse.parallel_min_articles else 1
    built = rejected = 0
    with parallel.Pool(_clean_worker, n_proc) as pool, warehouse.get_connection() as conn:
        if ids:
            built, rejected = _clean_all(conn, pool, warehouse, ids, clean_v)
        with transaction(conn):
            flags = _mark_duplicates_and_superseded(conn)
            warehouse.add_run_counts(conn, articles=built, clean_rejected=rejected, changes=flags)
        context.log.info(f"Cleaned {len(ids)} documents in {time.perf_counter() - t0:.1f}s: {built} articles, "
                         f"{rejected} rejected as not articles; {flags} duplicate or superseded flags changed.")
        if not warehouse.should_materialize(conn, "articles"):
            return
        langs = dict(conn.execute("SELECT language, count(*) FROM core.article_rows GROUP BY ALL").fetchall())
        sources = dict(conn.execute("SELECT date_source, count(*) FROM core.article_rows GROUP BY ALL").fetchall())
        outlets = conn.execute("SELECT count(DISTINCT outlet) FROM core.article_rows").fetchone()[0]
        yield dg.MaterializeResult(metadata=table_metadata(
            conn, "core.article_rows",
            "SELECT left(article_id, 12) AS article_id, title, outlet, published_date, date_source, n_words, "
            "language, left(duplicate_of, 12) AS duplicate_of FROM core.article_rows "
            "ORDER BY processed_at DESC, article_id LIMIT 10",
            built, rejected_as_not_articles=rejected, languages=str(langs), date_sources=str(sources),
            outlets=outlets))


def _clean_worker(docs):
    for doc_id, text, day, record in docs:
        yield doc_id, build_article(text, day, record)


def _documents(reader: duckdb.DuckDBPyConnection, ids: list[Pending], info: dict):
    import json

    for page in _chunked(ids, PAGE):
        rows = _page_rows(reader, "SELECT d.doc_id, d.source_path, d.part, d.raw_text, d.ingested_at, d.n_bytes, "
                                  "d.record FROM raw.documents d", "d", "d.doc_id", page)
        for doc_id, path, part, raw_text, ingested_at, n_bytes, record in rows:
            info[doc_id] = (path, part, ingested_at, n_bytes)
            yield doc_id, raw_text, ingested_at.date(), json.loads(record) if record else None


def _clean_all(conn: duckdb.DuckDBPyConnection, pool: parallel.Pool, warehouse: WarehouseResource,
               ids: list[Pending], clean_v: str) -> tuple[int, int]:
    """Clean pending documents; every NEWS_COMMIT_EVERY of them are written in one transaction."""
    info: dict[str, tuple] = {}
    rows, rejects, done = [], [], []
    totals = [0, 0]
    old = {p.id for p in ids if p.old}
    now = utcnow()
    run_id = warehouse.run_id

    def flush():
        if not done:
            return
        stale = [d for d in done if d in old]
        with transaction(conn):
            if stale:  # a first build has nothing to replace: no scan of the tables for it
                delete_where_in(conn, "core.article_rows", "article_id", stale)
                delete_where_in(conn, "core.clean_rejections", "doc_id", stale)
            insert_rows(conn, "core.article_rows", rows, ARTICLE_SCHEMA)
            insert_rows(conn, "core.clean_rejections", rejects, CLEAN_REJECTION_SCHEMA)
            warehouse.add_run_counts(conn, changes=len(rows) + len(rejects))
        release_cached_blocks(conn)
        totals[0] += len(rows)
        totals[1] += len(rejects)
        rows.clear()
        rejects.clear()
        done.clear()

    reader = conn.cursor()  # the feeding thread reads through its own cursor
    try:
        for doc_id, a in pool.map(_documents(reader, ids, info)):
            path, part, ingested_at, n_bytes = info.pop(doc_id)
            if isinstance(a, str):
                rejects.append((doc_id, path, part, a, n_bytes, clean_v, now, run_id))
            else:
                rows.append((doc_id, path, part, a.title, a.published_date, a.date_source, a.date_note, a.body,
                             a.n_words, a.language, a.language == "en", a.outlet, a.outlet_text, a.byline,
                             a.section, a.url, a.dateline_place, a.credits, a.body_sha256,
                             text_sha256(a.title, a.body), a.source_format, a.boilerplate_lines, ingested_at,
                             clean_v, now, run_id))
            done.append(doc_id)
            if len(done) >= warehouse.settings.commit_every:
                flush()
        flush()
    finally:
        reader.close()
    return totals[0], totals[1]


def _mark_duplicates_and_superseded(conn: duckdb.DuckDBPyConnection) -> int:
    """duplicate_of: the earliest article with the same folded body. superseded_by: a .txt file part
    that now holds other content, when this article's content is no longer present anywhere."""
    # The changes are found first and only they are updated: an UPDATE joined to the window over every
    # row read whole rows (bodies) into its join, +94 MB at 20,000 articles when nothing changed.
    changed = conn.execute("""
        SELECT article_id, first_id FROM (
            SELECT article_id, duplicate_of, nullif(first_value(article_id) OVER (PARTITION BY body_sha256
                   ORDER BY ingested_at, article_id), article_id) AS first_id FROM core.article_rows)
        WHERE duplicate_of IS DISTINCT FROM first_id""").fetchall()
    if changed:
        conn.execute("""
            UPDATE core.article_rows AS a SET duplicate_of = c.first_id
            FROM (SELECT unnest(?::VARCHAR[]) AS article_id, unnest(?::VARCHAR[]) AS first_id) AS c
            WHERE a.article_id = c.article_id""", [[r[0] for r in changed], [r[1] for r in changed]])
    sup = conn.execute("""
        UPDATE core.article_rows AS a SET superseded_by = cur.doc_id
        FROM (SELECT f.source_path, f.part, f.doc_id FROM raw.files f
              JOIN raw.documents d ON d.doc_id = f.doc_id
              WHERE f.present AND d.source_kind = 'txt') AS cur
        WHERE a.source_path = cur.source_path AND a.part = cur.part AND a.article_id <> cur.doc_id
          AND a.superseded_by IS DISTINCT FROM cur.doc_id
          AND NOT EXISTS (SELECT 1 FROM raw.files p WHERE p.present AND p.doc_id = a.article_id)
        RETURNING a.article_id""").fetchall()
    back = conn.execute("""
        UPDATE core.article_rows AS a SET superseded_by = NULL
        WHERE superseded_by IS NOT NULL
          AND EXISTS (SELECT 1 FROM raw.files p WHERE p.present AND p.doc_id = a.article_id)
        RETURNING a.article_id""").fetchall()
    return len(changed) + len(sup) + len(back)


# ---------------------------------------------------------------------------------------------- NLP
@dg.multi_asset(
    specs=[
        dg.AssetSpec(ENTITY_MENTIONS, deps=[ARTICLES], group_name="core", kinds={"duckdb", "spacy"}, skippable=True,
                     code_version=code_version("ner"),
                     description="Named entities in titles and bodies with canonical names: the reviewed alias "
                                 "table (seeds/entity_aliases.csv, also an entity ruler before NER) plus folding of "
                                 "surname-only and title-prefixed mentions onto the full name used in the article."),
        dg.AssetSpec(SENTENCE_PARSES, deps=[ARTICLES], group_name="core", kinds={"duckdb", "spacy"}, skippable=True,
                     code_version=code_version("ner"),
                     description="The dependency parse (tags, dependency labels, heads) of every sentence "
                                 "that holds a number token, as plain columns: the figure rules read it without "
                                 "loading spaCy."),
    ],
    pool="duckdb_writer",
)
def nlp_extract(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """NER over every pending title and body, and the parser over their number sentences, batched."""
    ner_v = warehouse.versions.ner
    with warehouse.get_connection() as conn:
        rows = conn.execute(f"SELECT a.article_id, a.rowid, {pq.NLP_OLD}, a.is_english {pq.NLP_PENDING} "  # noqa: S608 -- our own SQL constants
                            "ORDER BY a.rowid", {"ner": ner_v}).fetchall()
    english = [Pending(*r[:3]) for r in rows if r[3]]
    other = [Pending(*r[:3]) for r in rows if not r[3]]
    t0 = time.perf_counter()
    totals = [0, 0]
    nlp = None
    n_proc = warehouse.processes if len(english) >= warehouse.parallel_min_articles else 1
    if english:
        from transforms import nlp as nlp_mod

        nlp = nlp_mod.load(warehouse.spacy_model)
        context.log.info(f"spaCy {warehouse.spacy_model}: NER over {len(english)} articles and the parser over their "
                         f"number sentences, in {n_proc} process(es).")
    pool = _nlp_pool(nlp, n_proc, warehouse.batch_size)
    with pool, warehouse.get_connection() as conn:
        if other:
            # Not English: kept and flagged, not run through the English model.
            _write_nlp(conn, warehouse, [p.id for p in other], {}, [], [], ner_v, {p.id for p in other if p.old})
        if english:
            totals = _run_nlp(conn, pool, warehouse, english, ner_v, context.log)
        _drop_orphans(conn, ("core.entity_mentions", "core.sentence_parses", "core.nlp_state"))
        context.log.info(f"NLP over {len(rows)} articles took {time.perf_counter() - t0:.1f}s: {totals[0]} mentions, "
                         f"{totals[1]} parsed sentences.")
        if not warehouse.should_materialize(conn, "nlp"):
            return
        yield dg.MaterializeResult(asset_key=ENTITY_MENTIONS, metadata=table_metadata(
            conn, "core.entity_mentions",
            "SELECT entity, label, count(*) AS mentions, count(DISTINCT article_id) AS articles "
            "FROM core.entity_mentions GROUP BY ALL ORDER BY mentions DESC, entity LIMIT 10", totals[0],
            articles_processed=len(rows), nlp_seconds=round(time.perf_counter() - t0, 2)))
        yield dg.MaterializeResult(asset_key=SENTENCE_PARSES, metadata=table_metadata(
            conn, "core.sentence_parses",
            "SELECT left(article_id, 12) AS article_id, field, sent_start, len(dep) AS tokens, "
            "list_slice(dep, 1, 8) AS first_labels FROM core.sentence_parses ORDER BY article_id, field, sent_start "
            "LIMIT 10", totals[1]))


def _nlp_pool(nlp, n_proc: int, batch_size: int) -> parallel.Pool:
    from transforms import nlp as nlp_mod

    if nlp is None:
        return parallel.Pool(lambda items: iter(()), 1)
    return nlp_mod.process_pool(nlp, n_proc, batch_size)


def _drop_orphans(conn: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> None:
    """Rows of articles that no longer exist (a document re-cleaned into a rejection)."""
    with transaction(conn):
        for table in tables:
            conn.execute(f"DELETE FROM {table} t WHERE NOT EXISTS "  # noqa: S608 -- fixed table names
                         "(SELECT 1 FROM core.article_rows a WHERE a.article_id = t.article_id)")


def _texts(reader: duckdb.DuckDBPyConnection, ids: list[Pending], shas: dict) -> Iterator[tuple[str, str, str]]:
    """(id, title, body) in pages, so memory does not grow with the corpus."""
    for page in _chunked(ids, PAGE):
        rows = _page_rows(reader, "SELECT a.article_id, a.title, a.body, a.text_sha256 FROM core.article_rows a",
                          "a", "a.article_id", page)
        for aid, title, body, sha in rows:
            shas[aid] = sha
            yield aid, title or "", body


def _write_nlp(conn: duckdb.DuckDBPyConnection, warehouse: WarehouseResource, done: list[str], shas: dict,
               mentions: list[tuple], parses: list[tuple], ner_v: str, old: set[str]) -> None:
    now = utcnow()
    if not shas:
        shas = dict(conn.execute("SELECT article_id, text_sha256 FROM core.article_rows "
                                 "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [done]).fetchall())
    n_m: dict[str, int] = {}
    n_p: dict[str, int] = {}
    for m in mentions:
        n_m[m[0]] = n_m.get(m[0], 0) + 1
    for p in parses:
        n_p[p[0]] = n_p.get(p[0], 0) + 1
    state = [(a, shas[a], ner_v, n_m.get(a, 0), n_p.get(a, 0), now, warehouse.run_id) for a in done]
    stale = [a for a in done if a in old]
    with transaction(conn):
        for table in ("core.entity_mentions", "core.sentence_parses", "core.nlp_state") if stale else ():
            delete_where_in(conn, table, "article_id", stale)  # a first build has nothing to replace
        insert_rows(conn, "core.entity_mentions", mentions, MENTION_SCHEMA)
        insert_rows(conn, "core.sentence_parses", parses, PARSE_SCHEMA, PARSE_INSERT)
        insert_rows(conn, "core.nlp_state", state, NLP_STATE_SCHEMA)
        warehouse.add_run_counts(conn, nlp_articles=len(done), mentions=len(mentions),
                                 changes=len(done) + len(mentions) + len(parses))
    release_cached_blocks(conn)


def _run_nlp(conn: duckdb.DuckDBPyConnection, pool: parallel.Pool, warehouse: WarehouseResource,
             ids: list[Pending], ner_v: str, log=None) -> list[int]:
    mentions: list[tuple] = []
    parses: list[tuple] = []
    done: list[str] = []
    shas: dict[str, str] = {}
    totals = [0, 0]
    committed = 0
    old = {p.id for p in ids if p.old}
    reader = conn.cursor()
    try:
        for aid, (found, parsed) in pool.map(_texts(reader, ids, shas)):
            mentions.extend((aid, *m, ner_v) for m in found)
            parses.extend((aid, *p) for p in parsed)
            done.append(aid)
            if len(done) >= warehouse.settings.commit_every:
                _write_nlp(conn, warehouse, done, {a: shas.pop(a) for a in done}, mentions, parses, ner_v, old)
                totals[0] += len(mentions)
                totals[1] += len(parses)
                committed += len(done)
                if log:  # progress on long batches (and a point tests can kill a run at)
                    log.info(f"NLP committed {committed} of {len(ids)} articles.")
                mentions, parses, done = [], [], []
        if done:
            _write_nlp(conn, warehouse, done, {a: shas.pop(a) for a in done}, mentions, parses, ner_v, old)
            totals[0] += len(mentions)
            totals[1] += len(parses)
    finally:
        reader.close()
    return totals


# ---------------------------------------------------------------------------------------------- figures
@dg.asset(
    key=FIGURES,
    deps=[ENTITY_MENTIONS, SENTENCE_PARSES],
    group_name="core",
    kinds={"duckdb", "python"},
    pool="duckdb_writer",
    output_required=False,
    code_version=code_version("figures"),
    description="Every reported number (docs/figures.md): value, range, qualifier, unit, measure, subject, "
                "location and its region, source as written and canonical, modality, scope, dates, the total a "
                "subset belongs to, population, and the rule that decided it. Built from stored bodies, mentions "
                "and parses, so a figure-rule change loads no spaCy model.",
)
def figures(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    fig_v = warehouse.versions.figures
    with warehouse.get_connection() as conn:
        ids = _pending(conn, pq.FIGURES_PENDING, {"figures": fig_v}, "a.article_id", "a", pq.FIGURES_OLD)
    t0 = time.perf_counter()
    n_proc = warehouse.processes if len(ids) >= 4 * warehouse.parallel_min_articles else 1
    total = 0
    with parallel.Pool(_figure_worker, n_proc) as pool, warehouse.get_connection() as conn:
        if ids:
            total = _run_figures(conn, pool, warehouse, ids, fig_v)
        _drop_orphans(conn, ("core.figures", "core.figure_state"))
        context.log.info(f"Figures for {len(ids)} articles in {time.perf_counter() - t0:.1f}s: {total} figures.")
        if not warehouse.should_materialize(conn, "figures"):
            return
        yield dg.MaterializeResult(metadata=table_metadata(
            conn, "core.figures",
            "SELECT figure_text, value, qualifier, measure, subject, location, source, scope, reported_date "
            "FROM core.figures ORDER BY reported_date DESC NULLS LAST, article_id, start_char LIMIT 10", total,
            articles_processed=len(ids), figure_seconds=round(time.perf_counter() - t0, 2)))


_FIGURE_ARTICLES = (f"SELECT a.article_id, a.title, a.body, a.published_date, a.clean_version, n.ner_version, "  # noqa: S608 -- our own SQL constants
                    f"{pq.FIGURE_INPUT}, a.is_english, a.outlet "
                    "FROM core.article_rows a JOIN core.nlp_state n USING (article_id)")


def _page_spans(reader: duckdb.DuckDBPyConnection, table: str, pages: list[list[Pending]]) -> list[tuple]:
    """(first rowid, last rowid, rows) of each page's rows in a child table, from one scan of its key
    column: the NLP stage wrote an article's rows together, in about the order of the articles, so a
    page's rows sit in a narrow rowid range and a page reads those blocks, not the whole table."""
    keys = [p.id for page in pages for p in page]
    nums = [i for i, page in enumerate(pages) for _ in page]
    found = {r[0]: r[1:] for r in reader.execute(
        f"SELECT k.page, min(t.rowid), max(t.rowid), count(*) FROM {table} t "  # noqa: S608 -- our own table names
        "JOIN (SELECT unnest(?::VARCHAR[]) AS article_id, unnest(?::INTEGER[]) AS page) k USING (article_id) "
        "GROUP BY k.page", [keys, nums]).fetchall()}
    return [found.get(i, (0, -1, 0)) for i in range(len(pages))]


def _span_rows(reader: duckdb.DuckDBPyConnection, select: str, keys: list[str], span: tuple, order: str = ""
               ) -> list[tuple]:
    """A page's rows of a child table within its span; by key alone if any are missing from it (a row a
    checkpoint moved)."""
    lo, hi, n = span
    if not n:
        return []
    rows = reader.execute(f"{select} WHERE rowid BETWEEN ? AND ? AND list_contains(?::VARCHAR[], article_id) {order}",  # noqa: S608 -- our own SQL constants
                          [lo, hi, keys]).fetchall()
    if len(rows) < n:
        rows = reader.execute(f"{select} WHERE list_contains(?::VARCHAR[], article_id) {order}", [keys]).fetchall()  # noqa: S608 -- our own SQL constants
    return rows


_MENTION_READ = ("SELECT article_id, field, start_char, end_char, label, mention_text, entity "
                 "FROM core.entity_mentions")


def _figure_inputs(reader: duckdb.DuckDBPyConnection, ids: list[Pending], info: dict):
    pages = list(_chunked(ids, PAGE))
    # a key filter alone reads every block of these tables for every page (+210 MB at 100,000 articles)
    mention_spans = _page_spans(reader, "core.entity_mentions", pages)
    parse_spans = _page_spans(reader, "core.sentence_parses", pages)
    for page, m_span, p_span in zip(pages, mention_spans, parse_spans, strict=True):
        arts = _page_rows(reader, _FIGURE_ARTICLES, "a", "a.article_id", page)
        keys = [a[0] for a in arts]
        ments: dict[str, list] = {}
        for aid, fld, s, e, label, text, entity in _span_rows(reader, _MENTION_READ, keys, m_span,
                                                             "ORDER BY article_id, field, start_char"):
            ments.setdefault(aid, []).append((fld, s, e, label, text, entity))  # plain tuples: cheap to pickle
        parses: dict[str, list] = {}
        for r in _span_rows(reader, PARSE_READ, keys, p_span):
            parses.setdefault(r[0], []).append(r[1:])  # packed: the worker unpacks
        for aid, title, body, published, clean_v, ner_v, key, english, outlet in arts:
            info[aid] = (published, clean_v, ner_v, key)
            # the rules are English: another language gets no figures (its state is still recorded)
            yield aid, title or "", body if english else "", ments.get(aid, []), parses.get(aid, []), published, outlet


def _figure_worker(items):
    from transforms.extract import article_figures
    from transforms.figures import Entity
    from transforms.nlp_types import SentenceParse

    for aid, title, body, mentions, parses, published, outlet in items:
        if not body:
            yield aid, []
            continue
        yield aid, article_figures(title, body, [(m[0], Entity(*m[1:])) for m in mentions],
                                   [SentenceParse.unpack(*p) for p in parses], published, outlet)


def figure_rows(aid: str, published: dt.date | None, found: list, version: str) -> list[tuple]:
    ids = [f.figure_id(aid, fld) for fld, f in found]
    rows = []
    for (fld, f), fid in zip(found, ids, strict=True):
        part_of = ids[f.part_of] if f.part_of is not None and 0 <= f.part_of < len(ids) else None
        rows.append((fid, aid, fld, f.value, f.value_max, f.qualifier, f.unit, f.measure, f.subject, f.location,
                     f.location_region, f.source, f.source_text, published, f.scope, f.period_start, f.event_date,
                     part_of, f.population, f.sentence, f.start, f.end, f.text, f.measure_text, f.modality,
                     f.decided_by, version))
    return rows


def _run_figures(conn: duckdb.DuckDBPyConnection, pool: parallel.Pool, warehouse: WarehouseResource,
                 ids: list[Pending], fig_v: str) -> int:
    from transforms.version import combine

    info: dict[str, tuple] = {}
    rows: list[tuple] = []
    state: list[tuple] = []
    total = 0
    now = utcnow()
    old = {p.id for p in ids if p.old}

    def flush():
        nonlocal total
        if not state:
            return
        stale = [s[0] for s in state if s[0] in old]
        with transaction(conn):
            if stale:  # a first build has nothing to replace: no scan of the tables for it
                delete_where_in(conn, "core.figures", "article_id", stale)
                delete_where_in(conn, "core.figure_state", "article_id", stale)
            insert_rows(conn, "core.figures", rows, FIGURE_SCHEMA)
            insert_rows(conn, "core.figure_state", state, FIGURE_STATE_SCHEMA)
            warehouse.add_run_counts(conn, figure_articles=len(state), figures=len(rows),
                                     changes=len(state) + len(rows))
        release_cached_blocks(conn)
        total += len(rows)
        rows.clear()
        state.clear()

    reader = conn.cursor()
    try:
        for aid, found in pool.map(_figure_inputs(reader, ids, info)):
            published, clean_v, ner_v, key = info.pop(aid)
            new = figure_rows(aid, published, found, combine(clean_v, ner_v, fig_v))
            rows.extend(new)
            state.append((aid, key, fig_v, len(new), now, warehouse.run_id))
            if len(state) >= warehouse.settings.commit_every:
                flush()
        flush()
    finally:
        reader.close()
    return total
