-- The warehouse DDL: the public contract of DESIGN.md plus bookkeeping columns.
-- Idempotent: run at the start of every run. All timestamps are UTC.
-- Evolve with ALTER TABLE ... ADD COLUMN IF NOT EXISTS below; never rename or drop a public column.

CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS ref;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS analytics;

-- One row per version of a file seen under the inbox: (path, size, mtime) identifies a version.
CREATE TABLE IF NOT EXISTS raw.files (
    source_path     VARCHAR   NOT NULL,  -- relative to the inbox, '/'-separated
    n_bytes         BIGINT    NOT NULL,
    mtime           TIMESTAMP NOT NULL,
    mtime_ns        BIGINT    NOT NULL,
    content_sha256  VARCHAR,             -- NULL when the bytes were never read (too large, symlink out, vanished)
    doc_id          VARCHAR,             -- NULL when rejected
    status          VARCHAR   NOT NULL CHECK (status IN ('document', 'duplicate', 'rejected')),
    present         BOOLEAN   NOT NULL,  -- this version is what the path held at the last scan
    first_seen      TIMESTAMP NOT NULL,
    last_seen       TIMESTAMP NOT NULL,
    first_run_id    VARCHAR   NOT NULL,
    last_run_id     VARCHAR   NOT NULL,
    PRIMARY KEY (source_path, n_bytes, mtime_ns)
);

CREATE TABLE IF NOT EXISTS raw.documents (
    doc_id       VARCHAR   PRIMARY KEY,  -- sha256 hex of the file bytes
    source_path  VARCHAR   NOT NULL,     -- first path seen with these bytes
    ingested_at  TIMESTAMP NOT NULL,
    n_bytes      BIGINT    NOT NULL,
    encoding     VARCHAR   NOT NULL,     -- Python codec that decoded the bytes
    raw_text     VARCHAR   NOT NULL,
    run_id       VARCHAR   NOT NULL
);

CREATE TABLE IF NOT EXISTS raw.rejected (
    source_path        VARCHAR   NOT NULL,
    doc_id             VARCHAR,           -- sha256 of the bytes, when they were read
    stage              VARCHAR   NOT NULL CHECK (stage IN ('ingest', 'clean')),
    reason             VARCHAR   NOT NULL,
    n_bytes            BIGINT,
    mtime_ns           BIGINT,            -- with source_path and n_bytes: the raw.files version (ingest)
    seen_at            TIMESTAMP NOT NULL,
    extractor_version  VARCHAR,           -- the version that rejected it (clean)
    run_id             VARCHAR   NOT NULL
);

-- One row per run of the pipeline: what it saw and did, and when the read copy was published.
CREATE TABLE IF NOT EXISTS raw.runs (
    run_id              VARCHAR   PRIMARY KEY,
    started_at          TIMESTAMP NOT NULL,
    ended_at            TIMESTAMP,
    status              VARCHAR   NOT NULL,   -- running | succeeded | failed | abandoned
    trigger             VARCHAR,              -- cli | schedule | sensor | ui | test
    extractor_version   VARCHAR,
    files_seen          BIGINT DEFAULT 0,
    files_new           BIGINT DEFAULT 0,     -- new or changed file versions read this run
    new_documents       BIGINT DEFAULT 0,
    duplicates          BIGINT DEFAULT 0,     -- files seen this run whose content was already a document
    rejected            BIGINT DEFAULT 0,     -- files seen this run that are rejected
    files_document      BIGINT DEFAULT 0,     -- files seen this run that are documents
    articles            BIGINT DEFAULT 0,     -- articles (re)built this run
    clean_rejected      BIGINT DEFAULT 0,
    nlp_articles        BIGINT DEFAULT 0,
    mentions            BIGINT DEFAULT 0,     -- entity mentions written this run
    figures             BIGINT DEFAULT 0,     -- figures written this run
    changes             BIGINT DEFAULT 0,     -- rows this run added, replaced or retired
    published_at        TIMESTAMP,
    message             VARCHAR,
    published_file      VARCHAR               -- inode:size:mtime_ns of the copy once renamed into place
);

CREATE TABLE IF NOT EXISTS ref.entity_aliases (
    alias   VARCHAR NOT NULL,
    entity  VARCHAR NOT NULL,
    label   VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ref.measure_vocabulary (
    term     VARCHAR NOT NULL,
    measure  VARCHAR NOT NULL,
    kind     VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ref.source_aliases (
    alias   VARCHAR NOT NULL,
    source  VARCHAR NOT NULL,
    match   VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ref.subject_nouns (
    term  VARCHAR NOT NULL,
    kind  VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ref.nationalities (
    adjective  VARCHAR NOT NULL,
    plural     VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS ref.seed_files (
    file_name  VARCHAR PRIMARY KEY,
    sha256     VARCHAR NOT NULL,
    n_rows     BIGINT  NOT NULL,
    loaded_at  TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS core.articles (
    article_id         VARCHAR   PRIMARY KEY,  -- = raw.documents.doc_id
    source_path        VARCHAR   NOT NULL,
    title              VARCHAR,
    published_date     DATE,
    date_source        VARCHAR   NOT NULL CHECK (date_source IN ('header', 'dateline', 'text', 'none')),
    date_note          VARCHAR,                -- why stronger date evidence was refused, or why there is none
    body               VARCHAR   NOT NULL,
    n_words            INTEGER   NOT NULL,
    language           VARCHAR   NOT NULL,     -- ISO 639-1, 'und' when undetermined
    is_english         BOOLEAN   NOT NULL,     -- only English articles go through the English model
    duplicate_of       VARCHAR,                -- earliest article with the same cleaned body
    superseded_by      VARCHAR,                -- newer article at the same path (the file was changed)
    body_sha256        VARCHAR   NOT NULL,     -- of the body with case and white space folded
    source_format      VARCHAR   NOT NULL,     -- web | headline_first | dated_header | database_export | html
    boilerplate_lines  INTEGER   NOT NULL,     -- lines removed as boilerplate or repeats
    ingested_at        TIMESTAMP NOT NULL,
    extractor_version  VARCHAR   NOT NULL,
    nlp_version        VARCHAR,                -- = extractor_version once mentions and figures are built
    processed_at       TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS core.entity_mentions (
    article_id         VARCHAR NOT NULL,
    field              VARCHAR NOT NULL CHECK (field IN ('title', 'body')),
    entity             VARCHAR NOT NULL,
    label              VARCHAR NOT NULL,
    mention_text       VARCHAR NOT NULL,
    start_char         INTEGER NOT NULL,
    end_char           INTEGER NOT NULL,
    extractor_version  VARCHAR NOT NULL,
    PRIMARY KEY (article_id, field, start_char, end_char)
);

CREATE TABLE IF NOT EXISTS core.figures (
    figure_id          VARCHAR PRIMARY KEY,   -- sha256(article_id|field|start|end), first 32 hex
    article_id         VARCHAR NOT NULL,
    field              VARCHAR NOT NULL CHECK (field IN ('title', 'body')),
    value              DOUBLE  NOT NULL,
    value_max          DOUBLE,
    qualifier          VARCHAR NOT NULL,
    unit               VARCHAR NOT NULL,
    measure            VARCHAR NOT NULL,
    subject            VARCHAR,
    location           VARCHAR,
    source             VARCHAR,
    source_text        VARCHAR,
    reported_date      DATE,
    sentence           VARCHAR NOT NULL,
    start_char         INTEGER NOT NULL,
    end_char           INTEGER NOT NULL,
    figure_text        VARCHAR NOT NULL,      -- the phrase at [start_char, end_char)
    measure_text       VARCHAR,               -- the word that decided the measure
    modality           VARCHAR NOT NULL,      -- asserted | hedged | denied
    extractor_version  VARCHAR NOT NULL
);

-- Added after the first release (existing warehouses get the column on their next run).
ALTER TABLE raw.runs ADD COLUMN IF NOT EXISTS published_file VARCHAR;

-- Great Expectations results by content: a suite over unchanged rows is not validated again.
CREATE TABLE IF NOT EXISTS raw.validations (
    check_name    VARCHAR   PRIMARY KEY,
    fingerprint   VARCHAR   NOT NULL,   -- row count and hash of the validated columns, plus the suite
    validated_at  TIMESTAMP NOT NULL,
    result        VARCHAR   NOT NULL    -- GX's result as JSON
);
