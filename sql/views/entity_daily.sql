-- Question: how often is each entity mentioned per day of publication?
-- One row per entity and published day (articles without a date are left out).
-- Columns:
--   entity: Canonical entity name.
--   published_date: Day of publication.
--   mentions: Mentions that day.
--   articles: Articles that day that mention it.
CREATE OR REPLACE VIEW analytics.entity_daily AS
SELECT
    m.entity,
    a.published_date,
    count(*) AS mentions,
    count(DISTINCT m.article_id) AS articles
FROM core.entity_mentions AS m
JOIN analytics.current_articles AS a USING (article_id)
WHERE a.published_date IS NOT NULL
GROUP BY m.entity, a.published_date;
