-- Question: which articles are in the warehouse, when were they published, and how much did each yield?
-- One row per article (duplicates and superseded versions included, and flagged).
-- Columns:
--   article_id: The article (sha256 of the file bytes).
--   title: Headline.
--   outlet: Canonical outlet, when the document says.
--   published_date: Publication date, NULL when the text supports none.
--   date_source: header, dateline, text, record or none.
--   language: ISO 639-1 language.
--   n_words: Words in the cleaned body.
--   source_path: Path of the file, relative to the inbox.
--   part: Position of the document in its file.
--   source_format: web, headline_first, dated_header, database_export or html.
--   duplicate_of: Earliest article with the same body, when this is a duplicate.
--   superseded_by: Newer version of this file, when the file changed.
--   is_canonical: True for articles counted by the other views (in analytics.current_articles).
--   mentions: Entity mentions in title and body.
--   entities: Distinct canonical entities.
--   figures: Reported figures.
--   top_entities: Up to five entities, alphabetically.
--   ingested_at: When the file was ingested (UTC).
CREATE OR REPLACE VIEW analytics.article_summary AS
SELECT
    a.article_id,
    a.title,
    a.outlet,
    a.published_date,
    a.date_source,
    a.language,
    a.n_words,
    a.source_path,
    a.part,
    a.source_format,
    a.duplicate_of,
    a.superseded_by,
    a.article_id IN (SELECT c.article_id FROM analytics.current_articles AS c) AS is_canonical,
    coalesce(m.mentions, 0) AS mentions,
    coalesce(m.entities, 0) AS entities,
    coalesce(f.figures, 0) AS figures,
    m.top_entities,
    a.ingested_at
FROM core.articles AS a
LEFT JOIN (
    -- two plain aggregations rather than DISTINCT ones: DuckDB can spill these (at 100,000 articles
    -- counting this view took +477 MB with count(DISTINCT) and fits in 128 MB this way)
    SELECT
        article_id,
        sum(n) AS mentions,
        count(*) AS entities,
        list(entity ORDER BY entity)[1:5] AS top_entities
    FROM (
        SELECT article_id, entity, count(*) AS n
        FROM core.entity_mentions GROUP BY article_id, entity
    ) AS per_entity GROUP BY article_id
) AS m USING (article_id)
LEFT JOIN (
    SELECT article_id, count(*) AS figures FROM core.figures GROUP BY article_id
) AS f USING (article_id);
