-- Question: how did the running totals outlets reported track the official series, and with what lag?
-- One row per cumulative reported figure whose measure and population a reference series (ref.series)
-- covers: the series on the report date (its latest value on or before it), the ratio, and the series
-- date whose value the figure matches best, with the lag in days.
-- Columns:
--   reported_date: Day the figure was reported (the article's date).
--   outlet: Outlet of the article.
--   source: Who the figure is attributed to.
--   measure: What was counted.
--   population: The group counted.
--   value: The reported value.
--   qualifier: Its qualifier.
--   series: Name of the reference series.
--   series_date: The series' latest date on or before the report date.
--   series_value: Its value on that date.
--   ratio: value / series_value.
--   best_match_date: The series date whose value is closest to the reported value.
--   best_match_value: The series value on that date.
--   lag_days: reported_date - best_match_date (positive: the figure repeats an older official count).
--   figure_id: The figure.
--   article_title: The article.
CREATE OR REPLACE VIEW analytics.figure_vs_reference AS
WITH figs AS (
    SELECT * FROM analytics.figure_timeline
    WHERE scope = 'cumulative' AND part_of IS NULL AND modality <> 'denied' AND reported_date IS NOT NULL
      AND population IS NOT NULL
),
on_day AS (
    SELECT f.figure_id, s.series, s.date AS series_date, s.value AS series_value,
           row_number() OVER (PARTITION BY f.figure_id, s.series ORDER BY s.date DESC) AS latest
    FROM figs AS f
    JOIN ref.series AS s ON s.measure = f.measure AND s.population = f.population AND s.date <= f.reported_date
),
best AS (
    SELECT f.figure_id, s.series, s.date AS best_match_date, s.value AS best_match_value,
           row_number() OVER (PARTITION BY f.figure_id, s.series
                              ORDER BY abs(s.value - f.value), abs(date_diff('day', s.date, f.reported_date)))
               AS rank
    FROM figs AS f
    JOIN ref.series AS s ON s.measure = f.measure AND s.population = f.population
)
SELECT
    f.reported_date,
    f.outlet,
    f.source,
    f.measure,
    f.population,
    f.value,
    f.qualifier,
    b.series,
    d.series_date,
    d.series_value,
    f.value / nullif(d.series_value, 0) AS ratio,
    b.best_match_date,
    b.best_match_value,
    date_diff('day', b.best_match_date, f.reported_date) AS lag_days,
    f.figure_id,
    f.article_title
FROM figs AS f
JOIN best AS b ON b.figure_id = f.figure_id AND b.rank = 1
LEFT JOIN on_day AS d ON d.figure_id = f.figure_id AND d.series = b.series AND d.latest = 1;
