-- Question: who and what is mentioned, in how many articles, and over which dates?
-- One row per canonical entity; counts cover current articles (no duplicates, no superseded versions).
-- Columns:
--   entity: Canonical entity name.
--   label: Most frequent spaCy label of its mentions.
--   articles: Current articles that mention it.
--   mentions: Mentions in current articles.
--   first_seen: Earliest published_date of those articles.
--   last_seen: Latest published_date of those articles.
--   surface_forms: The different ways it is written.
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
JOIN analytics.current_articles AS a USING (article_id)
GROUP BY m.entity;
