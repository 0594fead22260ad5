"""Reported figures: value, range, qualifier, unit, measure, subject, location, source, modality, scope,
dates, the total a subset belongs to, population, and the rule that decided each.

Rules follow docs/figures.md. Input is a text (a title or a body), the entity spans of the same
text, and, where the NLP stage parsed a sentence, its dependency parse (plain lists, see
transforms.nlp_types). Decisions are read from the parse first (transforms.figures.syntax) and from
the words around the number otherwise (transforms.figures.textrules), so everything here runs
without spaCy. Sentences are read in order, so a pronoun source ("they said") resolves to the
last named source and a subset ("of the dead") to its total in an earlier sentence.

Package layout: candidates (number phrases, non-figures), context (a sentence, its tokens and
parse), syntax (parse rules), textrules (text-window rules), semantics (scope, dates, subsets,
population), places, words (the reviewed word lists in seeds/).
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from transforms import numbers
from transforms.figures import semantics, syntax, textrules
from transforms.figures.candidates import Candidate, find_candidates, has_word
from transforms.figures.context import Parse, Sentence, clause_bounds
from transforms.figures.model import Entity, Figure
from transforms.figures.places import known_place, place
from transforms.figures.words import currencies, words
from transforms.lexicon import Lexicon
from transforms.nlp_types import SentenceParse
from transforms.sentences import split_sentences

__all__ = ["Entity", "Figure", "extract_figures"]

GENERIC_SOURCES = {"he", "she", "it", "they", "we", "officials", "the ministry", "ministry", "the officials",
                   "the agency", "agency", "the army", "the military", "the group", "group", "authorities",
                   "the authorities",
                   "health officials", "the health ministry", "health ministry", "the report", "report",
                   "the statement", "the company", "company", "the firm", "firm", "the survey", "survey",
                   "the study", "study", "the government", "government", "the police", "police"}
_OF_NUMBER = re.compile(r"^\s+(?:out\s+)?of\s+(?:the\s+)?"
                        r"(?:around|about|some|nearly|more than|at least|roughly|an estimated)?\s*"
                        r"(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds|thousands)",
                        re.IGNORECASE)


@lru_cache(maxsize=1)
def _attribution_words() -> frozenset[str]:
    """Every reporting verb of seeds/figure_words.csv (single words): a sentence without figures may
    still name a source that a later "they said" points back to."""
    return frozenset([*words("attribution_verb"), "according"])


@dataclass
class _Known:
    """A source named earlier in the article, for "they said" and "the ministry said"."""
    name: str
    text: str
    person: bool
    end: int = -1    # where it was named (for the current sentence's names)


@dataclass
class _Article:
    figures: list[Figure] = field(default_factory=list)
    sources: list[_Known] = field(default_factory=list)    # named sources and organisations, people seen so far
    prev_places: list[str] = field(default_factory=list)
    outlet: str | None = None
    here: list[_Known] = field(default_factory=list)        # organisations and people of the current sentence
    said_here: list[_Known] = field(default_factory=list)   # named speakers of the current sentence's reports
    orgs: dict[str, int] = field(default_factory=dict)      # every organisation the text names -> mentions
    since: dt.date | None = None  # the day the last "since <day>" window opened ("have since been killed")


def extract_figures(text: str, entities: list[Entity] | None = None,
                    sentences: list[tuple[int, int]] | None = None,
                    parses: dict[int, SentenceParse] | None = None,
                    published: dt.date | None = None, outlet: str | None = None) -> list[Figure]:
    """Figures in `text` (a title or a body); offsets index `text`. `parses` maps a sentence's start
    offset to its parse; `outlet` is the article's own publisher (what it finds itself is unattributed)."""
    entities = sorted(entities or [], key=lambda e: e.start)
    starts = [e.start for e in entities]
    spans = sentences if sentences is not None else split_sentences(text)
    art = _Article(outlet=outlet)
    for e in entities:
        if e.label == "ORG" and not (outlet and e.canonical.lower() == outlet.lower()):
            art.orgs[e.canonical] = art.orgs.get(e.canonical, 0) + 1
    prev_par_end = -1
    for s_start, s_end in spans:
        if prev_par_end >= 0 and "\n" in text[prev_par_end:s_start]:
            art.prev_places = []
        sentence = text[s_start:s_end]
        ents = [e for e in entities[bisect_left(starts, s_start):bisect_right(starts, s_end)] if e.end <= s_end]
        sp = (parses or {}).get(s_start)
        parsed = sp is not None and sp.end == s_end
        cands = find_candidates(sentence, keep_doubtful=parsed)
        # the parse is read only for a sentence with candidates
        ctx = Sentence(sentence, s_start, ents, Parse(sp, text) if parsed and cands else None)
        art.here = [_Known(e.canonical, e.text, e.label == "PERSON", e.end) for e in ents
                    if e.label in ("ORG", "PERSON")]
        if cands:
            _sentence_figures(ctx, cands, art, published)
        if "since" in sentence.lower():
            art.since = semantics.period_start(sentence, published) or art.since
        elif has_word(sentence, _attribution_words()):
            _remember_sources(ctx, art)
        places = [place(e.canonical)[0] or e.canonical for e in ctx.places()]
        art.prev_places = places or art.prev_places
        for e in ents:  # organisations and people named so far: what "the agency" or "she" may point back to
            if e.label in ("ORG", "PERSON"):
                art.sources.append(_Known(e.canonical, e.text, e.label == "PERSON"))
        prev_par_end = s_end
    return art.figures


def _remember_sources(ctx: Sentence, art: _Article) -> None:
    for a in textrules.text_attributions(ctx.text, ctx.offset, ctx.toks, ctx.ents):
        _remember(art, a.canonical, a.text, ctx.ents, a.start, a.end)


def _remember(art: _Article, canonical: str | None, text: str, ents: list[Entity], start: int, end: int) -> None:
    if not canonical or text.lower() in GENERIC_SOURCES:
        return
    person = any(e.label == "PERSON" and e.start >= start and e.end <= end for e in ents) \
        or bool(re.match(r"^(?:mr|mrs|ms|dr|president|prime minister|gen|general|sir)\b", text, re.I))
    art.sources.append(_Known(canonical, text, person))


_ORG_WORDS = {"it", "company", "firm", "group", "bank", "carrier", "airline", "retailer", "maker", "giant",
              "business", "operator", "chain", "network", "broadcaster"}


_NAMED_HEADS = {"ministry", "army", "military", "police", "agency", "committee", "council", "department", "office",
                "forces", "service", "organization", "organisation", "bank", "union", "commission", "court",
                "institute", "association", "fund", "society", "authority", "foundation", "federation"}


def _resolve(art: _Article, text: str, canonical: str | None, at: int | None = None) -> tuple[str | None, str | None]:
    """"they said", "the ministry said": the last named source (or organisation, or person for he/she)
    named before that fits, in earlier sentences or earlier in this one; "the company said" with none
    named before: the organisation the text names most; the text as written when nothing fits. "I" and
    "we" in a quote, and the article's own outlet, are no attribution."""
    low = re.sub(r"^(?:the|a|an)\s+", "", text.lower().strip())
    if low in ("i", "we", "you", "me", "us"):
        return None, None
    if art.outlet and (canonical or text).lower() in (art.outlet.lower(), art.outlet.lower().removeprefix("the ")):
        return None, None
    lex = Lexicon.default()
    parts = low.split()
    if len(parts) > 1 and parts[-1] in _ORG_WORDS and all(lex.nationality_plural(w) for w in parts[:-1]):
        low = parts[-1]  # "the Swedish firm said": the firm named before
    elif text.lower().strip() not in GENERIC_SOURCES and low not in GENERIC_SOURCES \
            and canonical and canonical.lower() not in GENERIC_SOURCES:
        return text, canonical
    want_person = low in ("he", "she")
    head = low.split()[-1] if low else ""
    # earlier in this sentence only for "the group said" ("Revenues at media group Reuters slipped 11%, the
    # group said"); "authorities" or "they" in the sentence that names the attackers are not the attackers
    # "12 employees of the UN Relief and Works Agency were killed, the agency said": a body whose name says
    # what the description says may be named earlier in the same sentence
    known = art.sources + [k for k in art.here if at is not None and k.end <= at and (
        head in _ORG_WORDS or head in _NAMED_HEADS and head in k.name.lower())]
    candidates = [k for k in known if k.person == want_person
                  and not (art.outlet and k.name.lower() == art.outlet.lower())]
    if not candidates and not want_person and head in _ORG_WORDS and art.orgs:
        best = max(art.orgs, key=lambda name: art.orgs[name])
        return best, best
    if head in _NAMED_HEADS:  # "the ministry": the last source whose name says ministry
        candidates = [k for k in candidates if head in k.name.lower() or head in k.text.lower()]
        if candidates:
            return candidates[-1].text, candidates[-1].name
        return text, canonical or text
    if not candidates:
        return text, canonical or text
    if want_person:
        return candidates[-1].text, candidates[-1].name  # "he said": the person named last
    said = [k for k in art.said_here if at is not None and k.end <= at]
    if said and low in ("it", "they"):
        return said[-1].text, said[-1].name  # "Sky has said it aims ... - it is predicting": this sentence's speaker
    # "the company said", "it said", "they said": the organisation the article names most, the later on a tie
    counts: dict[str, int] = {}
    for k in candidates:
        counts[k.name] = counts.get(k.name, 0) + 1
    best = max(reversed(candidates), key=lambda k: counts[k.name])
    return best.text, best.name


_OR_LIST = r"((?:\s*,\s*[\w-]+)*\s*,?\s+or\s+(?:been\s+)?([\w-]+)(?:\s+([\w-]+))?)"


def _alternatives(after: str, word: str, measure: str) -> bool:
    """"killed or taken hostage", "feared dead or missing", "killed, injured or taken hostage": one count
    of people to whom one of several things happened is no count of any one of them."""
    m = re.search(rf"\b{re.escape(word)}\b{_OR_LIST}", after[:160], re.I)
    if not m:
        return False
    lex = Lexicon.default()
    listed = re.findall(r"[\w-]+", m.group(1).split(" or ")[0]) + [m.group(2)] + ([m.group(3)] if m.group(3) else [])
    others = {lex.measure_of(w) for w in listed if w} | ({"kidnapped"} if "hostage" in m.group(1).lower() else set())
    return bool(others - {None, "other", measure})


def _institutions(after: str) -> bool:
    """"about 100,000 public bodies", "two governing bodies": organisations, not the dead."""
    m = re.match(r"^\s+(?:of\s+(?:the\s+)?)?(?:[\w-]+\s+)?([\w-]+)\s+bod(?:y|ies)\b", after, re.I)
    return bool(m) and m.group(1).lower() in words("institution_modifier")


def _sentence_figures(ctx: Sentence, cands: list[Candidate], art: _Article, published: dt.date | None) -> None:
    lex = Lexicon.default()
    parse = ctx.parse
    toks = ctx.toks
    attrs = textrules.text_attributions(ctx.text, ctx.offset, toks, ctx.ents)
    art.said_here = [_Known(a.canonical, a.text, False, a.end) for a in attrs
                     if a.canonical and a.text.lower() not in GENERIC_SOURCES]
    places_by_tok = syntax.place_tokens(parse, ctx) if parse else {}
    first_index = len(art.figures)
    pending_totals: list[int] = []
    by_governor: dict[int, Figure] = {}  # the verb a figure hangs from -> that figure (for coordinated verbs)
    chained: list[tuple[Figure, int]] = []
    twins: list[tuple[Figure, Figure]] = []
    for c in cands:
        abs_start, abs_end = c.start + ctx.offset, c.end + ctx.offset
        i0, i1 = ctx.tok_range(abs_start, abs_end)
        prior = art.figures[first_index:]
        counted = textrules.counted_noun(toks, i1, c)
        ph = syntax.phrase(parse, abs_start, abs_end) if parse else None
        if _inside_a_name(ctx.ents, c.text, abs_start, abs_end):
            continue  # "50 Cent", "Channel 4", "Resolution 2712": part of a name
        if ph and _counts_its_sources(parse, ph):
            continue  # "three officials said": the people a report cites, not a figure
        # ---- measure
        decided = syntax.measure(parse, ph) if ph else None
        if c.doubtful and not (decided and decided[0] in textrules.PEOPLE_MEASURES and ph.noun is not None):
            continue  # "the five Israel-Hamas wars": a spelled-out number that counts no victims
        if decided is None:
            measure, measure_text, rule = textrules.text_measure(toks, i0, i1, counted, prior, c)
        else:
            measure, measure_text, rule = decided
        if rule == "measure.none" and ph and ph.first_conjunct is not None:
            conj = _figure_at(prior, parse, ph.first_conjunct)
            if conj:
                measure, measure_text, rule = conj.measure, conj.measure_text, "measure.coordination"
        if measure in textrules.PEOPLE_MEASURES and _institutions(ctx.text[c.end:]):
            measure, measure_text, rule = "other", None, "measure.public_bodies"  # "100,000 public bodies"
        if measure in textrules.PEOPLE_MEASURES and measure_text and _alternatives(ctx.text[c.end:], measure_text,
                                                                                  measure):
            measure, measure_text, rule = "other", None, "measure.alternatives"  # "killed or taken hostage"
        # ---- subject and unit
        subject, nationality = _subject(parse, ph, counted, prior, toks, i1, c, measure)
        if rule == "measure.public_bodies":
            subject = "bodies"  # organisations: what is counted, never "people"
        person = bool(subject) and lex.is_person_noun(subject.split()[-1])
        thing = bool(subject) and lex.is_thing_noun(subject.split()[-1])
        if thing and measure in textrules.PEOPLE_MEASURES and measure != "damaged":
            measure, measure_text, rule = "other", None, "measure.things_are_not_casualties"
        if c.currency and measure != "other":
            measure, measure_text, rule = "other", None, "measure.money"  # "a deal that could kill $180bn of sales"
        if c.unit == "percent" and measure == "population":
            measure, measure_text, rule = "other", None, "measure.share_of_population"  # "35% of the population"
        if c.unit == "percent" and measure in textrules.PEOPLE_MEASURES and measure != "damaged" and subject \
                and not person:
            measure, measure_text, rule = "other", None, "measure.share_of_things"  # "handed over his 59.5% stake"
        if subject and (not re.search(r"[A-Za-z]", subject) or subject.lower() == c.text.lower()
                        or subject.lower() in currencies()[1] or subject.lower() in _SCALE_WORDS):
            subject = None  # "%", "$", "Thousands join strike": a symbol or the number itself is not what is counted
        unit = c.unit or ("people" if person or (subject in (None, "people") and measure not in
                                                 ("other", "damaged", "population")) else "count")
        if measure == "population":
            unit = c.unit or "people"
            subject = subject or "people"
        if unit == "people" and subject is None:
            subject = "people"
        # ---- source
        src_text, src, src_span = _source(ctx, parse, ph, attrs, abs_start, abs_end, i0, art)
        # ---- location
        loc, region = _location(ctx, parse, ph, places_by_tok, toks, i0, i1, src_span, art, unit, measure,
                                bool(c.currency))
        verb = parse.toks[ph.governor] if ph and ph.governor is not None else None
        if verb is not None and verb.dep == "conj" and verb.head in by_governor:
            first = by_governor[verb.head]  # "killed 1,200 in Israel and wounded 3,000": one place for both
            if loc is None:
                loc, region = first.location, first.location_region
        # ---- modality
        modality = _modality(parse, ph, toks, i0, i1, ctx.text, measure != "other")
        f = Figure(start=abs_start, end=abs_end, text=c.text, value=c.value, value_max=c.value_max,
                   qualifier=c.qualifier, unit=unit, measure=measure, subject=subject, location=loc,
                   source=src, source_text=src_text, modality=modality, sentence=ctx.text,
                   sentence_start=ctx.offset, measure_text=measure_text, location_region=region, decided_by=rule)
        twin = _converted_from(ctx.text, c.start, prior)
        if twin is not None:  # "£3.24bn ($6.13bn)": the same amount in another currency, the same facts
            twins.append((f, twin))
            f.subject, f.location, f.location_region = twin.subject, twin.location, twin.location_region
            f.source, f.source_text, f.modality = twin.source, twin.source_text, twin.modality
        elif f.subject is None and c.unit != "people" and verb is not None and verb.i in by_governor:
            f.subject = by_governor[verb.i].subject  # "slipped 11% from £3.24bn to £2.89bn": one thing changed
        elif c.unit != "people" and ph and ph.via in _COMPARED:
            other = _figure_at(prior, parse, ph.governor)
            if other is not None and other.unit == f.unit:  # "was 9.5bn kronor against 6.3bn kronor last year",
                # "was £182,920, down from £187,971": the same thing in the same place
                f.subject = f.subject or other.subject
                if f.location is None:
                    f.location, f.location_region = other.location, other.location_region
        # ---- scope, dates, subsets, population
        a, b = clause_bounds(toks, i0, i1)
        clause = ctx.span_text(a, b - 1) if b > a else ctx.text
        f.scope, f.scope_rule = semantics.scope(f, clause if len(clause) > 25 else ctx.text, parse, ph, published,
                                                 ctx.text)
        f.period_start = semantics.period_start(ctx.text, published) if f.scope == "cumulative" else None
        if f.scope == "cumulative" and f.period_start is None and semantics.since_then(ctx.text):
            f.period_start = art.since  # "... since an attack on Oct. 7. At least 22,600 have since been killed"
        f.event_date = semantics.event_date(ctx.text, c.start, published, f.scope)
        k = semantics.part_of(f, ctx.text[:c.start], ctx.text[c.end:], art.figures, len(prior))
        if k is not None:
            f.part_of = k
            parent = art.figures[k]
            if f.measure in ("other",) and parent.measure != "other":
                f.measure, f.measure_text, f.decided_by = parent.measure, parent.measure_text, "measure.subset_of_total"
            f.scope = parent.scope if f.scope == "unknown" else f.scope
        f.nationality = nationality
        f.population, _ = semantics.population(f, nationality, _group_words(parse, ph) or _counted_word(parse, ph))
        art.figures.append(f)
        if verb is not None:
            by_governor.setdefault(verb.i, f)
        if _OF_NUMBER.match(ctx.text[c.end:]):
            pending_totals.append(len(art.figures) - 1)  # "13 of around 100": the total comes next
        elif pending_totals and f.unit in ("people", "count"):
            for k in pending_totals:
                if art.figures[k].value <= f.value:
                    art.figures[k].part_of = len(art.figures) - 1
                    if re.match(r"^\s+out\s+of\b", ctx.text[art.figures[k].end - ctx.offset:]) and f.subject:
                        art.figures[k].subject = f.subject  # "seven out of 10 regions": regions too
            pending_totals = []
        if src:
            _remember(art, src, src_text, ctx.ents, *(src_span or (0, 0)))
        if f.subject is None and f.unit != "people" and ph and ph.via == "quantmod" and verb is not None \
                and verb.tag == "CD":
            chained.append((f, verb.i))  # "rose by 5% to £801m" parsed as one chain: the later amount's subject
    for f, g in chained:
        other = _figure_at(art.figures[first_index:], parse, g)
        if other is not None and other is not f:
            f.subject = other.subject
    for f, twin in twins:  # a subject found for the amount after its conversion was made
        f.subject = f.subject or twin.subject


_NAME_LABELS = {"PERSON", "ORG", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "FAC"}


def _inside_a_name(ents: list[Entity], text: str, start: int, end: int) -> bool:
    """The number lies inside a named entity that has capitalised words of its own."""
    for e in ents:
        if e.label in _NAME_LABELS and e.start <= start and end <= e.end:
            rest = (e.text[:start - e.start] + " " + e.text[end - e.start:]).split()
            if any(w[:1].isupper() and w[:1].isalpha() and w.lower() not in ("the",) for w in rest):
                return True
    return False


_SCALE_WORDS = frozenset(numbers.SCALES) | frozenset(numbers.SHORT_SCALES)  # the "m" of "$14.5m", split off
_CONVERSION = re.compile(r"[(;/]\s*$")
_COMPARED = {"prep:against", "prep:from", "prep:than", "prep:with", "prep:versus", "prep:vs"}


def _converted_from(sentence: str, start: int, prior: list[Figure]) -> Figure | None:
    """The money figure this one restates in another currency: "£3.24bn ($6.13bn)", "($214.6bn;£114.5bn)"."""
    if not prior or not _CONVERSION.search(sentence[max(0, start - 3):start]):
        return None
    last = prior[-1]
    gap = sentence[last.end - last.sentence_start:start]
    if last.unit == "people" or not re.fullmatch(r"\)?\s*(?:(?:a|an|per|each)\s+[a-z]+\s*)?[(;/]\s*", gap):
        return None  # "200bn euros a year (£140bn; $258bn)": a rate between them is still the same amount
    return last


def _figure_at(prior: list[Figure], parse: Parse, tok: int) -> Figure | None:
    t = parse.toks[tok]
    for f in reversed(prior):
        if f.start < t.end and t.start < f.end + 40 and f.start <= t.start + 40:
            return f
    return None


def _counts_its_sources(parse: Parse, ph: syntax.Phrase) -> bool:
    """The number counts the subject of a reporting verb: "three officials said", "two people familiar"."""
    if ph.noun is None or ph.governor is None:
        return False
    noun = parse.toks[ph.noun]
    gov = parse.toks[ph.governor]
    lex = Lexicon.default()
    if any(lex.measure_of(k.low) for k in parse.children(gov.i, "oprd", "acomp", "xcomp")):
        return False  # "30 people reported missing": what happened to them, not who reported
    return (ph.via in ("nsubj",) and gov.low in words("attribution_verb") and noun.low in words("source_noun")
            | {"people", "witnesses", "sources", "residents", "analysts"})


def _with_modifiers(parse, ph, *deps: str) -> str:
    """The counted noun with its modifiers of these kinds before it, the number left out: "aid workers",
    "u.n. workers" (not "eleven u.n. workers")."""
    n = parse.toks[ph.noun]
    mods = [k.low for k in parse.children(n.i, *deps) if k.i < n.i and k.i != ph.anchor and k.tag != "CD"]
    return " ".join([*mods, n.low])


def _counted_word(parse, ph) -> str | None:
    """The counted noun when the subject rule set it aside ("22 hostages have been killed": subject people,
    but a count of hostages for the population)."""
    if ph is None or ph.noun is None or ph.noun == ph.anchor:
        return None
    return parse.toks[ph.noun].low


def _group_words(parse, ph) -> str | None:
    """The counted noun with the modifiers before it ("U.N. workers", "UNRWA staff"), which may name a
    population group (seeds/population_groups.csv) that the bare subject ("workers") does not."""
    words_ = _with_modifiers(parse, ph, "compound", "amod") if ph and ph.noun is not None else ""
    return words_ if " " in words_ else None


def _subject(parse, ph, counted, prior, toks, i1, c, measure) -> tuple[str | None, str | None]:
    """(subject, nationality the counted phrase carries)."""
    lex = Lexicon.default()
    nationality = counted.nationality
    if ph and ph.noun is not None and not syntax.names_a_currency(parse.toks[ph.noun]):
        n = parse.toks[ph.noun]
        low = n.low
        adj_nat = next((lex.nationality_plural(k.low) for k in parse.children(n.i, "amod", "compound")
                        if lex.nationality_plural(k.low)), None)
        nationality = nationality or adj_nat
        if low in ("them", "those", "whom", "these"):
            return (prior[-1].subject if prior else None), nationality
        if lex.measure_noun(low):
            if adj_nat:
                return adj_nat, nationality
            person = next((k.low for k in parse.children(n.i, "amod", "compound") if k.low in
                           words("person_adjective")), None)
            if person:
                return person + "s", nationality  # "1,100 civilian casualties": civilians
            if prior and prior[-1].unit == "people" and low in ("injured", "wounded", "dead", "missing"):
                return prior[-1].subject, nationality or prior[-1].nationality
            return "people", nationality
        if low in ("others", "other"):
            return "people", nationality
        if low in ("people", "persons"):
            found = syntax.counted_by_quantity_noun(parse, ph)
            if found:  # "the toll of U.S. citizens killed has risen to 30 people": citizens, Americans
                return found[0], nationality or found[1]
        if any(lex.nationality_plural(k.low) for k in parse.children(n.i, "conj")):
            nationality = "mixed"  # "2,300 Israelis and Palestinians": no one population
        if (c.unit == "percent" or c.currency) and low in syntax.CHANGE_NOUNS:
            changed = syntax.changed_noun(parse, n)
            if changed and changed != low:
                return changed, nationality  # "a 52% rise in profits": profits
        if low in words("material_unit"):  # "2,000 tonnes of aid": the material, not the unit
            of = [o for p in parse.children(n.i, "prep") if p.low == "of" for o in parse.children(p.i, "pobj")]
            if of:
                return textrules.subject_word(of[0].text), nationality
        if n.pos in ("NOUN", "PROPN") and n.i != ph.anchor:
            compound = _with_modifiers(parse, ph, "compound")
            if " " in compound and compound in lex.person_nouns | lex.thing_nouns:
                return compound, nationality  # "aid workers": a fixed compound
            return textrules.subject_word(syntax.hyphenated(parse, n.i)), nationality
    if ph and ph.noun is None:
        found = syntax.counted_by_quantity_noun(parse, ph)
        if found:  # "the number of U.S. citizens killed has risen to 22": citizens, Americans
            return found[0], nationality or found[1]
        if prior and prior[-1].unit == "people" and prior[-1].subject and c.unit is None and \
                parse.toks[ph.anchor].dep in ("nsubj", "nsubjpass"):
            # "28 French nationals were killed and seven are missing": the seven are French nationals too
            return prior[-1].subject, nationality or prior[-1].nationality
    if c.unit == "percent" or c.currency:
        if ph:
            s = syntax.noun_after_money(parse, ph) or syntax.subject_of_change(parse, ph)
            if s:
                return s, nationality
        return textrules.text_subject(counted, prior, toks, i1, c), nationality
    found = textrules.text_subject(counted, prior, toks, i1, c)
    if found is None and ph and measure == "other":
        found = syntax.subject_of_change(parse, ph)  # "fell by 23% from 36,185": a count of sales
    return found, nationality


def _source(ctx, parse, ph, attrs, abs_start, abs_end, i0, art) -> tuple[str | None, str | None, tuple | None]:
    span, settled = syntax.source_span(parse, ph, ctx.ents) if ph else (None, False)
    if span and span[0] <= abs_start and abs_end <= span[1]:
        span, settled = None, True  # the figure is inside the speaker's own phrase ("officials in Gaza, home to
        # two million people, said"): background, not what they said
    if span:
        start, end, kind = span
        raw = ctx.text[start - ctx.offset:end - ctx.offset]
        text = textrules.trim_source(raw)
        if text:
            canonical = textrules.canonical_source(text, ctx.ents, start, end)
            text, canonical = _resolve(art, text, canonical, start)
            if text and canonical and canonical.lower() not in GENERIC_SOURCES:
                art.said_here.append(_Known(canonical, text, False, end))  # for a later "it" in this sentence
            return (text, canonical, (start, end)) if text else (None, None, None)
    if settled:
        return None, None, None
    if parse is not None and ph is not None:
        attrs = [a for a in attrs if not _in_other_subordinate_clause(parse, ph, a.verb_at)]
    src_text, src, src_span = textrules.pick_source(attrs, abs_start, abs_end, ctx.toks, i0)
    if src_span and src_span[0] <= abs_start and abs_end <= src_span[1]:
        return None, None, None
    if src_text:
        src_text, src = _resolve(art, src_text, src or src_text, src_span[0] if src_span else None)
    return (src_text, src, src_span) if src_text else (None, None, None)


def _in_other_subordinate_clause(parse, ph, verb_at: int) -> bool:
    """"won £2,450 after he claimed ...": a reporting verb inside a clause of time, cause or condition
    that does not hold the figure reports something else."""
    idx = parse.covering(verb_at, verb_at + 1)
    if not idx:
        return False
    for t in [parse.toks[idx[0]], *parse.ancestors(idx[0])]:
        if t.dep == "advcl" and any(m.low in _SUBORDINATE | {"if", "unless"} for m in parse.children(t.i, "mark")):
            return ph.np not in parse.subtree(t.i)  # "seek $1,000 if they think ...": a condition
        if t.dep == "conj" and parse.children(t.i, "nsubj", "nsubjpass") and t.i > ph.np:
            # "..., killing 687 Palestinians, and Netanyahu warned that ...": a clause of its own after it
            return ph.np not in parse.subtree(t.i)
    return False


def _location(ctx, parse, ph, places_by_tok, toks, i0, i1, src_span, art, unit: str = "people",
              measure: str = "other", currency: bool = False) -> tuple[str | None, str | None]:
    people = unit in ("people",) or measure not in ("other",) and unit != "percent" and not currency
    found = syntax.location(parse, ph, places_by_tok, people) if ph else None
    if found:
        e, _ = found
        return place(e.canonical)
    ents = ctx.ents
    taken: set = set()
    if parse is not None:  # only places the parse accepts (not parts of names, demonyms or possessors),
        # except inside the source, whose place ("the Gaza Government Press Office") stays a candidate
        accepted = list({id(e): e for e in places_by_tok.values()}.values())
        lex = Lexicon.default()
        in_src = [e for e in ents if src_span and e.start >= src_span[0] and e.end <= src_span[1]
                  and not lex.nationality_plural(e.text.lower())]  # "the Gazan authorities": a demonym
        ents = [e for e in ents if e.label not in ("GPE", "LOC", "FAC")] + accepted + \
            [e for e in in_src if e.label in ("GPE", "LOC", "FAC") and e not in accepted]
        taken = _places_of_other_numbers(ctx, parse, ph, places_by_tok)
    name = textrules.text_location(toks, i0, i1, ents, src_span, art.prev_places, ctx.text, ctx.offset, taken,
                                   parsed=ph is not None)
    if name is None and not people and parse is not None:
        name = _country_of_the_market(parse, ctx)
    return place(name)


def _country_of_the_market(parse, ctx) -> str | None:
    """Money and shares with no place of their own: the one country the sentence names as a modifier of a
    firm or market ("the US telecoms market ... for $16bn", "US phone firm MCI ... worth $6.8bn")."""
    lex = Lexicon.default()
    found = set()
    for e in ctx.ents:
        if e.label != "GPE" or not known_place(e.text):
            continue
        idxs = parse.covering(e.start, e.end)
        if idxs and parse.toks[idxs[-1]].dep in ("compound", "amod", "nmod") and lex.nationality_plural(e.text.lower()):
            found.add(place(e.text)[0])
    return found.pop() if len(found) == 1 else None


def _places_of_other_numbers(ctx, parse, ph, places_by_tok) -> set:
    """Places that another number of the sentence holds in its own phrase ("about 7,000 in the UK")."""
    taken = set()
    # a figure in a clause of time or cause ("... airstrikes on Gaza that began after gunmen killed 1,300") has
    # only that clause's places: the rest of the sentence is another event
    sub = None
    if ph.governor is not None:
        sub = next((t for t in [parse.toks[ph.governor], *parse.ancestors(ph.governor)] if t.dep == "advcl" and any(
            m.low in _SUBORDINATE - {"where"} for m in parse.children(t.i, "mark"))), None)
    if sub is not None:
        inside = set(parse.subtree(sub.i))
        taken.update(id(e) for k, e in places_by_tok.items() if k not in inside)
    for t in parse.toks:
        if t.tag != "CD" or ph.anchor == t.i or t.i in parse.covering(parse.toks[ph.anchor].start,
                                                                      parse.toks[ph.anchor].end):
            continue
        for k in (t.i, parse.toks[t.i].head):
            found = syntax.place_near(parse, places_by_tok, [k])
            if found:
                taken.add(id(found[0]))
    return taken


_HEDGE_VERBS = {"said", "reported", "believed", "thought", "feared", "expected", "estimated", "presumed", "assumed",
                "suspected", "projected", "likely", "alleged", "rumored", "rumoured", "understood", "tipped",
                "forecast", "predicted"}
_SUBORDINATE = {"when", "although", "though", "while", "whereas", "as", "after", "before", "because", "since",
                "where", "once"}
_INTENT = {"plan", "plans", "planning", "planned", "aim", "aims", "aiming", "aimed", "expect", "expects", "expecting",
           "intend", "intends", "intending", "intended", "hope", "hopes", "hoping", "seek", "seeks", "seeking",
           "propose", "proposes", "proposing", "proposed", "set", "want", "wants", "wanting", "pledge", "pledged",
           "pledges", "promise", "promised", "promises", "vow", "vowed", "vows"}
_GOALS = {"target", "targets", "goal", "goals", "aim", "pledge", "promise", "plan", "plans", "forecast", "forecasts",
          "projection", "projections"}
_HEDGE_ADVERBS = {"reportedly", "allegedly", "possibly", "perhaps", "likely", "probably", "purportedly", "apparently",
                  "potentially", "maybe"}
_HEDGE_NOUNS = {"reports", "report", "claims", "claim", "rumors", "rumours", "allegations", "fears", "speculation",
                "predictions", "projections", "forecasts", "scenario", "estimate", "estimates"}
_UNVERIFIED = re.compile(r"\b(?:could not be (?:independently )?(?:verified|confirmed)|not (?:been )?independently "
                         r"(?:verified|confirmed)|unverified|unconfirmed|impossible to verify)\b", re.I)
_CALLED_FALSE = re.compile(r"\b(?:false|fabricated|fabrication|inflated|exaggerated|propaganda|bogus|untrue|"
                           r"baseless|fake)\b", re.I)


_CLAIM_NOUNS = {"toll", "tolls", "figure", "figures", "claim", "claims", "number", "numbers", "count", "counts",
                "report", "reports", "estimate", "estimates", "tally", "allegation", "allegations", "statistics",
                "data", "account", "accounts", "assertion", "assertions", "casualties", "death", "deaths"}


def _denied(parse, ph, path) -> bool:
    """A denial verb on the figure's path denies it when the figure is what it denies: a clause
    ("denied that 500 were killed", "denied killing 500") or a claim as its object ("disputed the toll of
    500", "rejected reports that ..."). "The LSE rejected a proposal ... valued at £1.35bn" denies no number."""
    below = parse.toks[ph.np]
    for t in path:
        if t.low in words("denial") and t.tag.startswith("VB"):
            if below.dep in ("ccomp", "xcomp", "pcomp", "advcl") or below.i in (ph.np, ph.anchor):
                return True
            if below.dep in ("dobj", "nsubjpass", "attr", "pobj", "prep", "conj") and below.low in _CLAIM_NOUNS:
                return True
        below = t
    return False


def _modality(parse, ph, toks, i0, i1, sentence: str, counted: bool = True) -> str:
    """asserted, hedged or denied, from the figure's own clause and the clauses it hangs from (up to
    the reporting verb): the parse when there is one, else a window of words around the number."""
    if parse is None or ph is None or ph.governor is None:
        return textrules.text_modality(toks, i0, i1)
    speech = words("attribution_verb")
    chain = []
    for t in [parse.toks[ph.governor]] + parse.ancestors(ph.governor):
        chain.append(t)
        if t.low in speech and t.tag.startswith("VB") and t.low not in words("denial") or parse.own_clause(t.i):
            break  # the reporting verb, or a clause of its own: "260 may have died, and 108 were recovered"
        if t.dep == "relcl" or t.dep == "advcl" and any(
                m.low in _SUBORDINATE for m in parse.children(t.i, "mark", "advmod")):
            break  # "..., although the IDF killed 200": the main clause's "might" is not this figure's
        if t.dep == "prep" and t.low in _SUBORDINATE | {"following", "amid", "despite"} and len(chain) > 1:
            break  # "pledged support after an incursion killed 1,400": what came before is no pledge
    if _denied(parse, ph, chain + parse.ancestors(chain[-1].i)):
        return "denied"  # "the army denied that 500 were killed", "Israel disputed the toll"
    if _CALLED_FALSE.search(sentence) and re.search(r"\b(?:claim|figure|toll|number|tally|report)s?\b", sentence, re.I):
        return "denied"  # "a figure the army called fabricated"
    for n, t in enumerate(chain):
        kids = parse.children(t.i)
        if {c.low for c in kids if c.dep in ("aux", "auxpass")} & {"could", "may", "might", "would", "should"}:
            return "hedged"
        if any(c.low == "if" and c.dep == "mark" for c in kids):
            return "hedged"
        if any(c.low in _HEDGE_ADVERBS and c.dep == "advmod" for c in kids):
            return "hedged"
        if t.low in _HEDGE_VERBS and (any(c.dep == "auxpass" for c in kids) or t.dep in ("amod", "acl")) \
                and (any(c.dep in ("xcomp", "oprd", "ccomp") for c in kids) or t is chain[0] and ph.via == "prep:at"):
            return "hedged"  # "were said to have been killed", "have been reported killed", "is forecast at 3.2%"
        if t.low in _HEDGE_VERBS and any(c.dep == "oprd" and Lexicon.default().measure_of(c.low) for c in kids) or any(
                c.dep == "aux" and c.low in _HEDGE_VERBS for c in kids) or t.dep == "aux" and t.low in _HEDGE_VERBS:
            return "hedged"  # a reduced passive: "30 people reported missing", "900 Israelis reported killed"
        if t.dep in ("acl", "ccomp") and parse.head(t.i).low in _HEDGE_NOUNS:
            return "hedged"  # "reports that at least 200 were killed"
        if t.low in _INTENT and n and t.tag.startswith("VB") and (t.low != "set" or chain[n - 1].dep == "xcomp" or any(
                c.low in _GOALS for c in kids if c.dep in ("dobj", "nsubjpass", "nsubj"))):
            # "plans to make savings of £100m", "is set to close 20% of its factories"; "set" only with the verb
            # it intends or a goal ("set a target of 200"): not "set free two of the 200 hostages", "set a
            # record of $8.5m", "set up 15 years ago"
            return "hedged"
        if t.low in _GOALS and t.pos == "NOUN":
            return "hedged"  # "a target of a 20% cut"
        if not n and syntax.revised_estimate(parse, ph, syntax.FORECASTS) is not None:
            return "hedged"  # "raised its forecast to 3%": still a forecast
        if counted and t is chain[0] and t.dep == "ccomp" and ph.via in ("nsubj", "nsubjpass", "dobj", "attr") \
                and parse.head(t.i).low in words("belief_verb") and parse.head(t.i).tag.startswith("VB"):
            # the count of a measure a belief is about: "analysts think the toll was under 100", "experts
            # believe 500 died"; not "64% of voters believe ...", nor "believe it will cut the 5.4% jobless rate"
            return "hedged"
    if any(c.low in _HEDGE_ADVERBS for c in parse.children(ph.anchor) + parse.children(ph.np)):
        return "hedged"
    if ph.noun is not None and any(
            r.low in _HEDGE_VERBS and any(k.dep == "auxpass" for k in parse.children(r.i))
            for r in parse.children(ph.noun, "relcl")):
        return "hedged"  # "the bodies of three soldiers who were presumed to have been killed"
    if _UNVERIFIED.search(sentence):
        return "hedged"  # "..., a claim that could not be independently verified"
    return "asserted"
