-- The warehouse DDL: the public contract of DESIGN.md plus bookkeeping columns.
-- Idempotent: run at the start of every run. All timestamps are UTC.
-- Each table is written by one Dagster asset only (its owner, named above it); facts that span
-- stages are views. Evolve by adding columns below; an older warehouse is brought up to this
-- schema by orchestration/migrate.py before this file runs.

CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS ref;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS analytics;

-- Schema version of this file; orchestration/migrate.py upgrades older warehouses.
CREATE TABLE IF NOT EXISTS raw.schema_info (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);

-- Owner: raw/files. One row per (file version, part): (path, size, mtime) identifies a version, part
-- the document within it (1 for a single-document file; the record number in a batch file).
CREATE TABLE IF NOT EXISTS raw.files (
    source_path     VARCHAR   NOT NULL,  -- relative to the inbox, '/'-separated
    part            INTEGER   NOT NULL,  -- 1-based position of the document in its file
    n_bytes         BIGINT    NOT NULL,  -- size of the file
    mtime           TIMESTAMP NOT NULL,
    mtime_ns        BIGINT    NOT NULL,
    content_sha256  VARCHAR,             -- of the file's bytes; NULL when they were never read
    doc_id          VARCHAR,             -- NULL when rejected
    status          VARCHAR   NOT NULL CHECK (status IN ('document', 'duplicate', 'rejected')),
    present         BOOLEAN   NOT NULL,  -- this version is what the path held at the last scan
    first_seen      TIMESTAMP NOT NULL,
    last_seen       TIMESTAMP NOT NULL,
    first_run_id    VARCHAR   NOT NULL,
    last_run_id     VARCHAR   NOT NULL,
    PRIMARY KEY (source_path, n_bytes, mtime_ns, part)
);

-- Owner: raw/files (what could not become a document is part of the ledger).
CREATE TABLE IF NOT EXISTS raw.ingest_rejections (
    source_path  VARCHAR   NOT NULL,
    part         INTEGER   NOT NULL,
    n_bytes      BIGINT    NOT NULL,     -- size of the file version
    mtime_ns     BIGINT    NOT NULL,
    doc_id       VARCHAR,                -- sha256 of the bytes or record, when they were read
    reason       VARCHAR   NOT NULL,
    unread       BOOLEAN   NOT NULL,     -- rejected without reading the bytes: looked at again each run
    seen_at      TIMESTAMP NOT NULL,
    run_id       VARCHAR   NOT NULL,
    PRIMARY KEY (source_path, n_bytes, mtime_ns, part)
);

-- Owner: raw/documents.
CREATE TABLE IF NOT EXISTS raw.documents (
    doc_id       VARCHAR   PRIMARY KEY,  -- sha256 hex of the file bytes (of the part's text, or the record, for parts)
    source_path  VARCHAR   NOT NULL,     -- first path seen with it
    part         INTEGER   NOT NULL,     -- its position in that file
    ingested_at  TIMESTAMP NOT NULL,
    n_bytes      BIGINT    NOT NULL,
    encoding     VARCHAR   NOT NULL,     -- Python codec that decoded the bytes
    raw_text     VARCHAR   NOT NULL,
    record       JSON,                   -- a batch record's own fields (title, date, outlet, ...), else NULL
    source_kind  VARCHAR   NOT NULL,     -- txt | jsonl | csv | parquet
    run_id       VARCHAR   NOT NULL
);

-- One row per run of the pipeline: what it saw and did, and when the read copy was published.
-- Written by the run itself (the resource), not by an asset.
CREATE TABLE IF NOT EXISTS raw.runs (
    run_id              VARCHAR   PRIMARY KEY,
    started_at          TIMESTAMP NOT NULL,
    ended_at            TIMESTAMP,
    status              VARCHAR   NOT NULL,   -- running | succeeded | failed | abandoned
    trigger             VARCHAR,              -- cli | schedule | sensor | ui | test
    extractor_version   VARCHAR,
    settings            VARCHAR,              -- the settings the run used (JSON; commands never echoed)
    files_seen          BIGINT DEFAULT 0,     -- documents, duplicates and rejections seen this run (parts)
    files_new           BIGINT DEFAULT 0,     -- new or changed file versions read this run
    new_documents       BIGINT DEFAULT 0,
    duplicates          BIGINT DEFAULT 0,
    rejected            BIGINT DEFAULT 0,
    files_document      BIGINT DEFAULT 0,
    articles            BIGINT DEFAULT 0,     -- articles (re)built this run
    clean_rejected      BIGINT DEFAULT 0,
    nlp_articles        BIGINT DEFAULT 0,
    mentions            BIGINT DEFAULT 0,
    figure_articles     BIGINT DEFAULT 0,
    figures             BIGINT DEFAULT 0,
    changes             BIGINT DEFAULT 0,     -- rows this run added, replaced or retired
    published_at        TIMESTAMP,
    message             VARCHAR,
    published_file      VARCHAR               -- inode:size:mtime_ns of the copy once renamed into place
);

-- Owner: ref/* (one table per seed CSV).
CREATE TABLE IF NOT EXISTS ref.entity_aliases (alias VARCHAR NOT NULL, entity VARCHAR NOT NULL, label VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS ref.measure_vocabulary (term VARCHAR NOT NULL, measure VARCHAR NOT NULL,
                                                   kind VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS ref.source_aliases (alias VARCHAR NOT NULL, source VARCHAR NOT NULL, match VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS ref.subject_nouns (term VARCHAR NOT NULL, kind VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS ref.nationalities (adjective VARCHAR NOT NULL, plural VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS ref.outlet_aliases (alias VARCHAR NOT NULL, outlet VARCHAR NOT NULL, match VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS ref.places (alias VARCHAR NOT NULL, place VARCHAR NOT NULL, region VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS ref.population_groups (term VARCHAR NOT NULL, "group" VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS ref.populations (
    population VARCHAR NOT NULL, "group" VARCHAR, region VARCHAR, nationality VARCHAR, measure VARCHAR
);
-- Official reference series (seeds/reference/*.csv): one value per series, date and population.
CREATE TABLE IF NOT EXISTS ref.series (
    series      VARCHAR NOT NULL,
    date        DATE    NOT NULL,
    measure     VARCHAR NOT NULL,
    population  VARCHAR NOT NULL,
    value       DOUBLE  NOT NULL,
    source      VARCHAR NOT NULL,
    url         VARCHAR,
    file_name   VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ref.seed_files (
    file_name  VARCHAR PRIMARY KEY,
    sha256     VARCHAR NOT NULL,
    n_rows     BIGINT  NOT NULL,
    loaded_at  TIMESTAMP NOT NULL
);

-- Owner: core/articles. One row per document that is an article; core.articles (a view) adds the
-- versions of the later stages.
CREATE TABLE IF NOT EXISTS core.article_rows (
    article_id         VARCHAR   PRIMARY KEY,  -- = raw.documents.doc_id
    source_path        VARCHAR   NOT NULL,
    part               INTEGER   NOT NULL,
    title              VARCHAR,
    published_date     DATE,
    date_source        VARCHAR   NOT NULL CHECK (date_source IN ('header', 'dateline', 'text', 'record', 'none')),
    date_note          VARCHAR,
    body               VARCHAR   NOT NULL,
    n_words            INTEGER   NOT NULL,
    language           VARCHAR   NOT NULL,
    is_english         BOOLEAN   NOT NULL,
    outlet             VARCHAR,
    outlet_text        VARCHAR,
    byline             VARCHAR,
    section            VARCHAR,
    url                VARCHAR,
    dateline_place     VARCHAR,
    credits            VARCHAR,
    duplicate_of       VARCHAR,
    superseded_by      VARCHAR,
    body_sha256        VARCHAR   NOT NULL,     -- of the body with case and white space folded
    text_sha256        VARCHAR   NOT NULL,     -- of title and body exactly: what NER and figures were built from
    source_format      VARCHAR   NOT NULL,
    boilerplate_lines  INTEGER   NOT NULL,
    ingested_at        TIMESTAMP NOT NULL,
    clean_version      VARCHAR   NOT NULL,
    processed_at       TIMESTAMP NOT NULL,
    run_id             VARCHAR   NOT NULL
);

-- Owner: core/articles. Documents that turned out not to be articles.
CREATE TABLE IF NOT EXISTS core.clean_rejections (
    doc_id         VARCHAR   PRIMARY KEY,
    source_path    VARCHAR   NOT NULL,
    part           INTEGER   NOT NULL,
    reason         VARCHAR   NOT NULL,
    n_bytes        BIGINT,
    clean_version  VARCHAR   NOT NULL,
    seen_at        TIMESTAMP NOT NULL,
    run_id         VARCHAR   NOT NULL
);

-- Owner: core/entity_mentions (the NLP stage: NER over every title and body, and the parse of
-- every sentence that holds a number).
-- The per-token tables (mentions, parses, figures) have no PRIMARY KEY: DuckDB keeps a key's ART index
-- wholly in memory (~70 bytes a row: ~300 MB at 100,000 articles). Each stage deletes an article's rows
-- before writing them, and a blocking check asserts the key is unique (orchestration/checks.py).
CREATE TABLE IF NOT EXISTS core.entity_mentions (
    article_id         VARCHAR NOT NULL,
    field              VARCHAR NOT NULL CHECK (field IN ('title', 'body')),
    entity             VARCHAR NOT NULL,
    label              VARCHAR NOT NULL,
    mention_text       VARCHAR NOT NULL,
    start_char         INTEGER NOT NULL,
    end_char           INTEGER NOT NULL,
    extractor_version  VARCHAR NOT NULL        -- the NER stage version that wrote it
);
CREATE TABLE IF NOT EXISTS core.nlp_state (
    article_id       VARCHAR   PRIMARY KEY,
    text_sha256      VARCHAR   NOT NULL,       -- the title and body it was built from
    ner_version      VARCHAR   NOT NULL,
    mentions         INTEGER   NOT NULL,
    parsed_sentences INTEGER   NOT NULL,
    processed_at     TIMESTAMP NOT NULL,
    run_id           VARCHAR   NOT NULL
);
-- Owner: core/sentence_parses (same step as core/entity_mentions).
CREATE TABLE IF NOT EXISTS core.sentence_parses (
    article_id   VARCHAR   NOT NULL,
    field        VARCHAR   NOT NULL CHECK (field IN ('title', 'body')),
    sent_start   INTEGER   NOT NULL,
    sent_end     INTEGER   NOT NULL,
    tok_start    INTEGER[] NOT NULL,   -- token offsets into the field
    tok_end      INTEGER[] NOT NULL,
    tag          VARCHAR[] NOT NULL,   -- fine-grained tag (Penn)
    pos          VARCHAR[] NOT NULL,   -- universal POS
    dep          VARCHAR[] NOT NULL,   -- dependency label
    head         INTEGER[] NOT NULL    -- index of the head token within the sentence
);

-- Owner: core/figures.
CREATE TABLE IF NOT EXISTS core.figures (
    figure_id          VARCHAR NOT NULL,      -- sha256(article_id|field|start|end), first 32 hex
    article_id         VARCHAR NOT NULL,
    field              VARCHAR NOT NULL CHECK (field IN ('title', 'body')),
    value              DOUBLE  NOT NULL,
    value_max          DOUBLE,
    qualifier          VARCHAR NOT NULL,
    unit               VARCHAR NOT NULL,
    measure            VARCHAR NOT NULL,
    subject            VARCHAR,
    location           VARCHAR,
    location_region    VARCHAR,
    source             VARCHAR,
    source_text        VARCHAR,
    reported_date      DATE,
    scope              VARCHAR NOT NULL CHECK (scope IN ('cumulative', 'incident', 'period', 'other', 'unknown')),
    period_start       DATE,
    event_date         DATE,
    part_of            VARCHAR,
    population         VARCHAR,
    sentence           VARCHAR NOT NULL,
    start_char         INTEGER NOT NULL,
    end_char           INTEGER NOT NULL,
    figure_text        VARCHAR NOT NULL,
    measure_text       VARCHAR,
    modality           VARCHAR NOT NULL,
    decided_by         VARCHAR NOT NULL,
    extractor_version  VARCHAR NOT NULL       -- clean/ner/figures versions that built it
);
CREATE TABLE IF NOT EXISTS core.figure_state (
    article_id      VARCHAR   PRIMARY KEY,
    input_key       VARCHAR   NOT NULL,   -- text, NER version and date the figures were built from
    figure_version  VARCHAR   NOT NULL,
    figures         INTEGER   NOT NULL,
    processed_at    TIMESTAMP NOT NULL,
    run_id          VARCHAR   NOT NULL
);

-- Great Expectations results by content: a suite over unchanged rows is not validated again.
CREATE TABLE IF NOT EXISTS raw.validations (
    check_name    VARCHAR   PRIMARY KEY,
    fingerprint   VARCHAR   NOT NULL,
    validated_at  TIMESTAMP NOT NULL,
    result        VARCHAR   NOT NULL
);

-- ------------------------------------------------------------------------------------ views
-- Cross-stage facts are views over the tables their owners write.

-- Every rejection: files that could not become a document (ingest) and documents that are not
-- articles (clean).
CREATE OR REPLACE VIEW raw.rejected AS
SELECT source_path, part, doc_id, 'ingest' AS stage, reason, n_bytes, mtime_ns, seen_at,
       NULL AS extractor_version, run_id
FROM raw.ingest_rejections
UNION ALL
SELECT source_path, part, doc_id, 'clean' AS stage, reason, n_bytes, NULL AS mtime_ns, seen_at,
       clean_version AS extractor_version, run_id
FROM core.clean_rejections;

-- Articles with the versions every stage built them with.
CREATE OR REPLACE VIEW core.articles AS
SELECT
    a.article_id, a.source_path, a.part, a.title, a.published_date, a.date_source, a.date_note, a.body,
    a.n_words, a.language, a.is_english, a.outlet, a.outlet_text, a.byline, a.section, a.url,
    a.dateline_place, a.credits, a.duplicate_of, a.superseded_by, a.body_sha256, a.text_sha256,
    a.source_format, a.boilerplate_lines, a.ingested_at, a.clean_version,
    n.ner_version AS nlp_version,
    s.figure_version,
    concat_ws('/', a.clean_version, coalesce(n.ner_version, '-'), coalesce(s.figure_version, '-'))
        AS extractor_version,
    a.processed_at
FROM core.article_rows AS a
LEFT JOIN core.nlp_state AS n ON n.article_id = a.article_id AND n.text_sha256 = a.text_sha256
LEFT JOIN core.figure_state AS s ON s.article_id = a.article_id;

INSERT OR IGNORE INTO raw.schema_info VALUES ('schema_version', '2');
