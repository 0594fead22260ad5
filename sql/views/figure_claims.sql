-- Question: who reported a number first, and who repeated it? One row per claim: figures of the same
-- measure, population and scope whose values lie within 1% of the claim's earliest value (figures
-- taken in the order they were reported; one that fits no earlier claim starts a new one).
-- Columns:
--   measure: What was counted.
--   population: The group counted.
--   scope: cumulative, incident, period, other or unknown.
--   claim_value: The claim's earliest value.
--   qualifier: Its qualifier.
--   first_reported: Day it was first reported.
--   first_outlet: Outlet of the first article that reported it.
--   first_article_title: That article's title.
--   first_article_id: That article.
--   sources: Who the figures are attributed to (distinct).
--   outlets: Number of outlets that reported it.
--   articles: Number of articles that reported it.
--   figures: Number of figures in the claim.
--   last_reported: Day it was last reported.
CREATE OR REPLACE VIEW analytics.figure_claims AS
WITH RECURSIVE f AS (
    SELECT *, row_number() OVER (PARTITION BY measure, population, scope
                                 ORDER BY reported_date, value, figure_id) AS rn
    FROM analytics.figure_timeline
    WHERE reported_date IS NOT NULL AND population IS NOT NULL AND modality <> 'denied' AND part_of IS NULL
),
walk AS (
    -- in report order, each figure joins the first claim whose earliest value is within 1% of its own,
    -- or starts a new one (anchors: the earliest value of every claim so far)
    SELECT measure, population, scope, rn, figure_id, 1 AS claim_no, [value] AS anchors
    FROM f WHERE rn = 1
    UNION ALL
    -- sqlfluff takes the lambda's parameter a for an unqualified column:
    -- noqa: disable=RF02
    SELECT n.measure, n.population, n.scope, n.rn, n.figure_id,
           coalesce(nullif(list_position(list_transform(w.anchors, LAMBDA a: abs(n.value - a) <= 0.01 * a), TRUE), 0),
                    len(w.anchors) + 1) AS claim_no,
           CASE WHEN coalesce(list_position(list_transform(w.anchors, LAMBDA a: abs(n.value - a) <= 0.01 * a),
                                            TRUE), 0) = 0
                THEN list_append(w.anchors, n.value) ELSE w.anchors END AS anchors
    -- noqa: enable=RF02
    FROM walk AS w
    JOIN f AS n ON n.measure = w.measure AND n.population = w.population AND n.scope = w.scope AND n.rn = w.rn + 1
),
members AS (
    SELECT f.*, w.claim_no FROM f JOIN walk AS w USING (figure_id)
)
SELECT
    measure,
    population,
    scope,
    arg_min(value, rn) AS claim_value,
    arg_min(qualifier, rn) AS qualifier,
    min(reported_date) AS first_reported,
    arg_min(outlet, rn) AS first_outlet,
    arg_min(article_title, rn) AS first_article_title,
    arg_min(article_id, rn) AS first_article_id,
    list(DISTINCT source ORDER BY source) FILTER (WHERE source IS NOT NULL) AS sources,
    count(DISTINCT outlet) AS outlets,
    count(DISTINCT article_id) AS articles,
    count(*) AS figures,
    max(reported_date) AS last_reported
FROM members
GROUP BY measure, population, scope, claim_no;
