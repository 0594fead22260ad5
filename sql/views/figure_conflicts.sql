-- Question: where do sources disagree? Figures for the same measure, subject and location,
-- reported on the same day by different named sources, more than 5% apart relative to the larger.
-- Columns:
--   reported_date: Day both figures were reported.
--   measure: What was counted.
--   subject: Who or what was counted.
--   location: Place, when named.
--   source_a: First source (alphabetically).
--   value_a: Its value.
--   qualifier_a: Its qualifier.
--   source_b: Second source.
--   value_b: Its value.
--   qualifier_b: Its qualifier.
--   unit: Unit of both figures.
--   relative_gap: |a - b| / max(a, b).
--   figure_id_a: First figure.
--   figure_id_b: Second figure.
--   article_title_a: Article of the first figure.
--   article_title_b: Article of the second figure.
CREATE OR REPLACE VIEW analytics.figure_conflicts AS
SELECT
    a.reported_date,
    a.measure,
    a.subject,
    a.location,
    a.unit,
    a.source AS source_a,
    a.value AS value_a,
    a.qualifier AS qualifier_a,
    b.source AS source_b,
    b.value AS value_b,
    b.qualifier AS qualifier_b,
    abs(a.value - b.value) / greatest(a.value, b.value) AS relative_gap,
    a.figure_id AS figure_id_a,
    b.figure_id AS figure_id_b,
    a.article_title AS article_title_a,
    b.article_title AS article_title_b
FROM analytics.figure_timeline AS a
JOIN analytics.figure_timeline AS b
  ON a.reported_date = b.reported_date
 AND a.measure = b.measure
 AND a.subject IS NOT DISTINCT FROM b.subject
 AND a.location IS NOT DISTINCT FROM b.location
 AND a.unit = b.unit
 AND a.source < b.source
WHERE a.source IS NOT NULL AND b.source IS NOT NULL
  AND a.modality <> 'denied' AND b.modality <> 'denied'
  AND greatest(a.value, b.value) > 0
  AND abs(a.value - b.value) / greatest(a.value, b.value) > 0.05;
