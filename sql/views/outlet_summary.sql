-- Question: which outlets are in the warehouse, what did each publish, and whom does each cite?
-- One row per outlet of the current articles (NULL: the documents do not say).
-- Columns:
--   outlet: Canonical outlet.
--   articles: Current articles from it.
--   share_dated: Share of them with a published_date.
--   figures: Figures reported in them.
--   entities: Distinct entities they mention.
--   top_sources: The sources its figures cite most, up to five.
--   first_date: Earliest published_date.
--   last_date: Latest published_date.
CREATE OR REPLACE VIEW analytics.outlet_summary AS
WITH per_article AS (
    SELECT a.outlet, a.article_id, a.published_date,
           (SELECT count(*) FROM core.figures AS f WHERE f.article_id = a.article_id) AS figures
    FROM analytics.current_articles AS a
),
cited AS (
    SELECT outlet, source, count(*) AS n,
           row_number() OVER (PARTITION BY outlet ORDER BY count(*) DESC, source) AS rank
    FROM analytics.figure_timeline WHERE source IS NOT NULL GROUP BY outlet, source
),
mentioned AS (
    SELECT a.outlet, count(DISTINCT m.entity) AS entities
    FROM core.entity_mentions AS m JOIN analytics.current_articles AS a USING (article_id)
    GROUP BY a.outlet
)
SELECT
    p.outlet,
    count(*) AS articles,
    round(avg((p.published_date IS NOT NULL)::INTEGER), 3) AS share_dated,
    sum(p.figures) AS figures,
    coalesce(any_value(m.entities), 0) AS entities,
    (SELECT list(c.source ORDER BY c.rank) FROM cited AS c WHERE c.outlet IS NOT DISTINCT FROM p.outlet
                                                               AND c.rank <= 5) AS top_sources,
    min(p.published_date) AS first_date,
    max(p.published_date) AS last_date
FROM per_article AS p
LEFT JOIN mentioned AS m ON m.outlet IS NOT DISTINCT FROM p.outlet
GROUP BY p.outlet;
