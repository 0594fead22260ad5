-- Question: who and what is mentioned, in how many articles, and over which dates?
-- One row per canonical entity; counts cover canonical articles (no duplicates, no superseded versions).
CREATE OR REPLACE VIEW analytics.entity_summary AS
SELECT
    m.entity,
    mode(m.label) AS label,
    count(DISTINCT m.article_id) AS articles,
    count(*) AS mentions,
    min(a.published_date) AS first_seen,
    max(a.published_date) AS last_seen,
    list(DISTINCT m.mention_text ORDER BY m.mention_text) AS surface_forms
FROM core.entity_mentions AS m
JOIN core.articles AS a USING (article_id)
WHERE a.duplicate_of IS NULL AND a.superseded_by IS NULL
GROUP BY m.entity;
