-- Question: which articles are in the warehouse, when were they published, and how much did each yield?
-- One row per article (duplicates and superseded versions included, and flagged).
CREATE OR REPLACE VIEW analytics.article_summary AS
SELECT
    a.article_id,
    a.title,
    a.published_date,
    a.date_source,
    a.language,
    a.n_words,
    a.source_path,
    a.source_format,
    a.duplicate_of,
    a.superseded_by,
    (a.duplicate_of IS NULL AND a.superseded_by IS NULL) AS is_canonical,
    coalesce(m.mentions, 0) AS mentions,
    coalesce(m.entities, 0) AS entities,
    coalesce(f.figures, 0) AS figures,
    m.top_entities,
    a.ingested_at
FROM core.articles AS a
LEFT JOIN (
    SELECT article_id, count(*) AS mentions, count(DISTINCT entity) AS entities,
           list(DISTINCT entity ORDER BY entity)[1:5] AS top_entities
    FROM core.entity_mentions GROUP BY article_id
) AS m USING (article_id)
LEFT JOIN (
    SELECT article_id, count(*) AS figures FROM core.figures GROUP BY article_id
) AS f USING (article_id);
