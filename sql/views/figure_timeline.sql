-- Question: how did reported figures move over time, and who reported them?
-- One row per figure in a canonical article, with its measure, subject, date, qualifier and source.
-- Columns:
--   reported_date: The article's published_date.
--   measure: What was counted (killed, injured, hostages, ...).
--   subject: Who or what was counted.
--   location: Place the figure is about, when named.
--   value: The number.
--   value_max: Upper end of a range.
--   qualifier: exact, at_least, more_than, about, nearly, up_to.
--   unit: people, percent, usd, count, ...
--   source: Canonical source the figure is attributed to.
--   source_text: The attribution as written.
--   modality: asserted, hedged or denied.
--   article_title: Title of the article that reports it.
--   article_id: The article.
--   figure_id: The figure.
--   figure_text: The phrase as written.
--   sentence: The sentence it is in.
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
