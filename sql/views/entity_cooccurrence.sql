-- Question: who is mentioned with whom? Pairs of entities named in the same article.
-- One row per unordered pair (entity_a < entity_b), counting current articles.
-- Columns:
--   entity_a: First entity of the pair (alphabetically).
--   entity_b: Second entity of the pair.
--   articles: Current articles naming both.
--   first_seen: Earliest published_date of those articles.
--   last_seen: Latest published_date of those articles.
CREATE OR REPLACE VIEW analytics.entity_cooccurrence AS
WITH per_article AS (
    SELECT DISTINCT m.article_id, m.entity, a.published_date
    FROM core.entity_mentions AS m
    JOIN analytics.current_articles AS a USING (article_id)
)
SELECT
    x.entity AS entity_a,
    y.entity AS entity_b,
    count(*) AS articles,
    min(x.published_date) AS first_seen,
    max(x.published_date) AS last_seen
FROM per_article AS x
JOIN per_article AS y ON x.article_id = y.article_id AND x.entity < y.entity
GROUP BY x.entity, y.entity;
