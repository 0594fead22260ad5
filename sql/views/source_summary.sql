-- Question: who are the figures attributed to, how many, about what, and over which dates?
-- One row per canonical source.
-- Columns:
--   source: Canonical source.
--   figures: Figures attributed to it.
--   articles: Articles with such figures.
--   measures: Measures it reported.
--   written_as: How the attribution is written.
--   outlets: The outlets that cite it.
--   first_date: Earliest reported_date.
--   last_date: Latest reported_date.
CREATE OR REPLACE VIEW analytics.source_summary AS
SELECT
    source,
    count(*) AS figures,
    count(DISTINCT article_id) AS articles,
    list(DISTINCT measure ORDER BY measure) AS measures,
    list(DISTINCT source_text ORDER BY source_text) AS written_as,
    list(DISTINCT outlet ORDER BY outlet) FILTER (WHERE outlet IS NOT NULL) AS outlets,
    min(reported_date) AS first_date,
    max(reported_date) AS last_date
FROM analytics.figure_timeline
WHERE source IS NOT NULL
GROUP BY source;
