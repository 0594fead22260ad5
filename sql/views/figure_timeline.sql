-- Question: how did reported figures move over time, and who reported them?
-- One row per figure in a current article (analytics.current_articles), with its measure, population,
-- scope, dates, qualifier, source and outlet.
-- Columns:
--   reported_date: The article's published_date.
--   measure: What was counted (killed, injured, hostages, ...).
--   subject: Who or what was counted, as written.
--   population: Normalised group (seeds/populations.csv): Palestinians in Gaza, Israelis, ...
--   scope: cumulative (running total), incident, period, other or unknown.
--   location: Place the figure is about, when named.
--   location_region: Region of that place (Gaza for Rafah).
--   value: The number.
--   value_max: Upper end of a range.
--   qualifier: exact, at_least, more_than, about, nearly, up_to.
--   unit: people, percent, usd, count, ...
--   source: Canonical source the figure is attributed to.
--   source_text: The attribution as written.
--   modality: asserted, hedged or denied.
--   event_date: Day the counted event happened (or the as-of day of a total), when the text says.
--   period_start: Start of a stated window ("since Oct. 7").
--   part_of: figure_id of the total this figure is a subset of.
--   decided_by: The rule that kept the figure and chose its measure.
--   outlet: Outlet of the article.
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
    f.population,
    f.scope,
    f.location,
    f.location_region,
    f.value,
    f.value_max,
    f.qualifier,
    f.unit,
    f.source,
    f.source_text,
    f.modality,
    f.event_date,
    f.period_start,
    f.part_of,
    f.decided_by,
    a.outlet,
    a.title AS article_title,
    f.article_id,
    f.figure_id,
    f.figure_text,
    f.sentence
FROM core.figures AS f
JOIN analytics.current_articles AS a USING (article_id);
