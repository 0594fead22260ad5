-- Question: where do sources disagree? Running totals (scope cumulative) for the same measure and
-- population reported on the same day by different sources, more than 5% apart relative to the larger.
-- An unattributed figure counts as its outlet's own; denied figures and subsets are left out.
-- Columns:
--   reported_date: Day both figures were reported.
--   measure: What was counted.
--   population: The group counted (seeds/populations.csv).
--   subject: Who or what was counted, as the first figure writes it.
--   location: Place of the first figure, when named.
--   unit: Unit of both figures.
--   source_a: First source (alphabetically): the attributed source, else the outlet.
--   value_a: Its value.
--   qualifier_a: Its qualifier.
--   outlet_a: Outlet of the first figure's article.
--   source_b: Second source.
--   value_b: Its value.
--   qualifier_b: Its qualifier.
--   outlet_b: Outlet of the second figure's article.
--   relative_gap: |a - b| / max(a, b).
--   figure_id_a: First figure.
--   figure_id_b: Second figure.
--   article_title_a: Article of the first figure.
--   article_title_b: Article of the second figure.
CREATE OR REPLACE VIEW analytics.figure_conflicts AS
WITH totals AS (
    SELECT *, coalesce(source, outlet, '(unattributed)') AS claimed_by
    FROM analytics.figure_timeline
    WHERE scope = 'cumulative' AND population IS NOT NULL AND part_of IS NULL AND modality <> 'denied'
      AND reported_date IS NOT NULL
)
SELECT
    a.reported_date,
    a.measure,
    a.population,
    a.subject,
    a.location,
    a.unit,
    a.claimed_by AS source_a,
    a.value AS value_a,
    a.qualifier AS qualifier_a,
    a.outlet AS outlet_a,
    b.claimed_by AS source_b,
    b.value AS value_b,
    b.qualifier AS qualifier_b,
    b.outlet AS outlet_b,
    abs(a.value - b.value) / greatest(a.value, b.value) AS relative_gap,
    a.figure_id AS figure_id_a,
    b.figure_id AS figure_id_b,
    a.article_title AS article_title_a,
    b.article_title AS article_title_b
FROM totals AS a
JOIN totals AS b
  ON a.reported_date = b.reported_date
 AND a.measure = b.measure
 AND a.population = b.population
 AND a.unit = b.unit
 AND a.claimed_by < b.claimed_by
WHERE greatest(a.value, b.value) > 0
  AND abs(a.value - b.value) / greatest(a.value, b.value) > 0.05;
