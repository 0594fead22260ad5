-- Question: what is the latest reported value for each measure and subject, per source?
-- One row per (measure, subject, source); ties on the same day go to the largest value.
-- Columns:
--   measure: What was counted.
--   subject: Who or what was counted.
--   source: Canonical source (NULL: unattributed).
--   value: Latest reported value.
--   qualifier: Its qualifier.
--   unit: Its unit.
--   location: Its location.
--   reported_date: When it was last reported.
--   article_title: The article that reported it.
--   outlet: The outlet of that article.
--   reports: How many figures this row summarises.
CREATE OR REPLACE VIEW analytics.figure_latest AS
SELECT
    measure,
    subject,
    source,
    arg_max(value, (reported_date, value)) AS value,
    arg_max(qualifier, (reported_date, value)) AS qualifier,
    arg_max(unit, (reported_date, value)) AS unit,
    arg_max(location, (reported_date, value)) AS location,
    max(reported_date) AS reported_date,
    arg_max(article_title, (reported_date, value)) AS article_title,
    arg_max(outlet, (reported_date, value)) AS outlet,
    count(*) AS reports
FROM analytics.figure_timeline
WHERE reported_date IS NOT NULL AND modality <> 'denied'
GROUP BY measure, subject, source;
