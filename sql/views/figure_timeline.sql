-- Question: how did reported figures move over time, and who reported them?
-- One row per figure in a canonical article, with its measure, subject, date, qualifier and source.
CREATE OR REPLACE VIEW analytics.figure_timeline AS
SELECT
    f.reported_date,
    f.measure,
    f.subject,
    f.location,
    f.value,
    f.value_max,
    f.qualifier,
    f.unit,
    f.source,
    f.source_text,
    f.modality,
    a.title AS article_title,
    f.article_id,
    f.figure_id,
    f.figure_text,
    f.sentence
FROM core.figures AS f
JOIN core.articles AS a USING (article_id)
WHERE a.duplicate_of IS NULL AND a.superseded_by IS NULL;
