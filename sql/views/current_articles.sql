-- Question: which articles count? The articles every other view reads: not a duplicate of an earlier
-- article with the same body, not superseded by a newer version of its file part.
-- Columns:
--   article_id: The article (sha256 of its bytes, or of its part or record).
--   title: Headline.
--   published_date: Publication date, NULL when the text supports none.
--   date_source: header, dateline, text, record or none.
--   outlet: Canonical outlet (seeds/outlet_aliases.csv), NULL when the document does not say.
--   outlet_text: The outlet as written.
--   byline: Who wrote it, as written.
--   section: Section of the publication.
--   url: Web address, when the document gives one.
--   dateline_place: Place of the dateline ("JERUSALEM").
--   language: ISO 639-1 language.
--   is_english: Only English articles go through the English model.
--   n_words: Words in the cleaned body.
--   source_path: File it came from, relative to the inbox.
--   part: Its position in that file (1 for a single-document file; the record number in a batch).
--   ingested_at: When it was first stored (UTC).
CREATE OR REPLACE VIEW analytics.current_articles AS
SELECT
    article_id, title, published_date, date_source, outlet, outlet_text, byline, section, url, dateline_place,
    language, is_english, n_words, source_path, part, ingested_at
FROM core.articles
WHERE duplicate_of IS NULL AND superseded_by IS NULL;
