"""The text-window rules: what a figure counts, its measure, source, location and modality, read
from the words around the number. They decide when a sentence has no parse (unit tests, a sentence
the NLP stage did not parse) and stand behind the parse-based rules as their fallback."""
from __future__ import annotations

import re
from dataclasses import dataclass

from transforms import numbers
from transforms.figures.candidates import Candidate, noun_scan
from transforms.figures.context import CLAUSE_BREAK, LOCATION_CLAUSE_WORDS, Tok, clause_bounds
from transforms.figures.model import Entity, Figure
from transforms.figures.words import words
from transforms.lexicon import Lexicon

NP_INNER = {"of", "in", "for", "to", "at", "on", "and", "the", "'s", "’s", "-"}
@dataclass
class Counted:
    noun: str | None = None
    idx: int | None = None        # token index of the head noun
    nationality: str | None = None
    adj_measure: str | None = None
    subject_text: str | None = None  # "Israelis and Palestinians" when heads are coordinated


def counted_noun(toks: list[Tok], i1: int, c: Candidate) -> Counted:
    """Head noun after the number: '22,600 Palestinians', '1,200 Israeli deaths', '60% of the enclave's
    infrastructure'."""
    j = i1
    if j < len(toks) and toks[j].low == "of":
        # "60% of the enclave's infrastructure", "dozens of people", "two of the hostages"
        j += 1
        if j < len(toks) and toks[j].low in ("them", "those", "whom"):
            return Counted(idx=j)
        while j < len(toks) and toks[j].low in words("determiner"):
            j += 1
        if j + 1 < len(toks) and toks[j + 1].low in ("'s", "’s"):
            j += 2  # a possessor: "the enclave's infrastructure"
        elif j < len(toks) and toks[j].low.endswith(("'s", "’s")):
            j += 1
    following: list[str] = []
    for t in toks[j:j + 7]:
        if t.text in CLAUSE_BREAK or t.text in (".", "?", "!") or re.match(r"\d", t.text):
            break
        following.append(t.text)
    info = noun_scan(following)
    if info.k is None:
        return Counted(nationality=info.nationality, adj_measure=info.adj_measure)
    out = Counted(toks[j + info.k].text, j + info.k, info.nationality, info.adj_measure)
    if info.coordinated is not None:
        out.subject_text = f"{subject_word(toks[j + info.k].text)} and {subject_word(toks[j + info.coordinated].text)}"
        out.idx = j + info.coordinated
    return out


def subject_word(word: str) -> str:
    lex = Lexicon.default()
    low = word.lower()
    nat = lex.nationality_plural(low)
    if nat and (low.endswith("s") or low == nat.lower()):
        return nat
    return word if word[:1].isupper() else low


PEOPLE_MEASURES = {"killed", "injured", "hostages", "kidnapped", "released", "displaced", "arrested", "missing",
                   "evacuated"}
_KIDNAP_VERBS = re.compile(r"\b(?:tak(?:e|es|en|ing)|took|seiz(?:e|ed|ing)|captur(?:e|ed|ing)|abduct\w*|kidnap\w*)\b")


def text_measure(toks: list[Tok], i0: int, i1: int, counted: Counted, prior: list[Figure],
                 c: Candidate) -> tuple[str, str | None, str]:
    lex = Lexicon.default()
    noun = counted.noun
    # 1. a measure verb right before the phrase: "killed 248", "killing at least three", "wounded over 1,900"
    k = i0 - 1
    steps = 0
    while k >= 0 and steps < 4:
        t = toks[k]
        if t.low == "of" and k > 0 and toks[k - 1].low in ("toll", "tally"):
            return "killed", toks[k - 1].text, "measure.text.toll_of"  # "a death toll of 1,300"
        if t.low == "of" and k > 0 and toks[k - 1].low == "total":
            k -= 2  # "killing a total of about 687"
            continue
        if t.text in CLAUSE_BREAK or t.text in (".", "!", "?") or t.low in ("and", "or", "but", "of"):
            break
        if k > 0 and f"{toks[k - 1].low} {t.low}" in lex.phrases:
            # "shot dead"
            return (lex.phrases[f"{toks[k - 1].low} {t.low}"], f"{toks[k - 1].text} {t.text}",
                    "measure.text.phrase_before")
        m = lex.measure_of(t.low)
        if m and m != "other" and not lex.is_noun_only(t.low):
            if k >= 2 and toks[k - 1].low in ("and", "or"):
                other = lex.measure_of(toks[k - 2].low)
                if other and other != m and other != "other":
                    # "killing and wounding"
                    return ("other", f"{toks[k - 2].text} {toks[k - 1].text} {t.text}",
                            "measure.text.coordinated_verbs")
            if m == "hostages" and t.low in ("held", "holding", "holds"):
                return "hostages", t.text, "measure.text.held"
            return m, t.text, "measure.text.verb_before"
        if t.low in ("taking", "took", "taken", "take", "takes"):
            after = " ".join(x.low for x in toks[i1:i1 + 4])
            if "hostage" in after or "captive" in after:
                return "kidnapped", t.text, "measure.text.taken_hostage"
        if t.low in ("toll", "tally") and k > 0:
            return ("killed", t.text, "measure.text.toll") \
                if toks[k - 1].low in ("death", "casualty", "civilian") or t.low == "toll" \
                else ("other", None, "measure.text.toll")
        if t.low in ("rose", "climbed", "risen", "reached", "stood", "stands", "jumped", "hit", "to", "at",
                     "has", "have", "had", "been", "so", "far", "since", "now", "already", "also", "by",
                     "a", "an", "the", "total", "nearly", "reportedly", "then", "were", "was"):
            k -= 1
            continue
        steps += 1
        k -= 1
    # 2. "including 66 children", "15 of them": the measure of the figure they qualify
    window = " ".join(t.low for t in toks[max(0, i0 - 3):i0])
    after_words = " ".join(t.low for t in toks[i1:i1 + 2])
    listed = re.search(r"\b(?:including|among them|among whom|of whom|mostly|most of them|of them)\b", window) \
        or after_words.startswith(("of them", "of whom", "of those"))
    if listed and prior:
        return prior[-1].measure, prior[-1].measure_text, "measure.text.subset_of_total"
    # 3. the noun counted is a measure ("fatalities", "hostages", "deaths", "wounded") unless a
    #    predicate says what happened to them: "22 hostages that Hamas says have been killed"
    window = after_window(toks, (counted.idx + 1) if counted.idx is not None else i1)
    low = [t.low for t in window]
    before_text = " ".join(t.low for t in toks[max(0, i0 - 5):i0])
    if noun and lex.measure_noun(noun.lower()):
        noun_measure = lex.measure_noun(noun.lower())
        if noun.lower() == "lives" and re.search(r"\bsav(?:e|ed|es|ing)\b", before_text):
            return "other", None, "measure.text.lives_saved"  # "saved 200 lives"
        if noun.lower() in ("hostage", "captive") and _KIDNAP_VERBS.search(before_text):
            return "kidnapped", noun, "measure.text.taken_hostage"
        for n, t in enumerate(window):
            m = lex.measure_of(t.low)
            if m and m not in ("other", noun_measure) and not t.text[:1].isupper() and n > 0 \
                    and any(w in words("be") for w in low[:n]):
                return m, t.text, "measure.text.predicate_of_measure_noun"
        return noun_measure, noun, "measure.text.measure_noun"
    # 4. a measure word after the noun phrase: "22,600 Palestinians have since been killed", "57,910 injured"
    joined = " ".join(low)
    if re.search(r"\b(?:from|out of|fled|left|leave|flee|fleeing) (?:their|his|her) homes?\b", joined):
        return "displaced", "homes", "measure.text.left_homes"  # "forced 300,000 Palestinians from their homes"
    for n, t in enumerate(window):
        if t.text[:1].isupper() and n > 0:
            continue  # part of a name: "... Agency for Palestine Refugees"
        if t.low in ("taken", "taking", "took") and "hostage" in low[n + 1:n + 3]:
            return "kidnapped", t.text, "measure.text.taken_hostage"
        if t.low in ("hostage", "hostages", "captive", "captives") and _KIDNAP_VERBS.search(before_text):
            return "kidnapped", t.text, "measure.text.taken_hostage"  # "took nearly 200 people hostage"
        if n + 1 < len(window) and f"{t.low} {window[n + 1].low}" in lex.phrases:
            return (lex.phrases[f"{t.low} {window[n + 1].low}"], f"{t.text} {window[n + 1].text}",
                    "measure.text.phrase_after")
        m = lex.measure_of(t.low)
        if m and m != "other":
            if agentive(toks, t):
                break  # "hundreds of terrorists ... slaughtered 1,300": they did it, they were not counted
            if noun and m in PEOPLE_MEASURES and lex.is_thing_noun(noun):
                break  # "hundreds of accounts sharing images of dead bodies"
            if n + 2 < len(window) and low[n + 1] in ("and", "or"):
                m2 = lex.measure_of(low[n + 2])
                if m2 and m2 not in ("other", m):
                    # "dead or missing"
                    return ("other", f"{t.text} {window[n + 1].text} {window[n + 2].text}",
                            "measure.text.coordinated_measures")
            return m, t.text, "measure.text.verb_after"
    if counted.adj_measure:
        return counted.adj_measure, None, "measure.text.adjective"
    # 4b. a list hanging from a clause: "Other foreign nationals have been killed, including four people"
    if listed and "including" in window:
        inc = max(i for i in range(max(0, i0 - 3), i0) if toks[i].low == "including")
        for t in reversed(toks[max(0, inc - 6):inc]):
            m = lex.measure_of(t.low)
            if m and m != "other" and not lex.is_noun_only(t.low):
                return m, t.text, "measure.text.including_clause"
    # 4c. a conjunct of the figure before it: "killed 1,300 in Israel and more than 1,350 in Gaza",
    #     "including four from France, 18 from Thailand and 10 Nepalese"
    if prior and i0 > 0 and toks[i0 - 1].low in ("and", ",", "or", "plus"):
        return prior[-1].measure, prior[-1].measure_text, "measure.text.conjunct"
    # 5. population of a place: "a territory of 2.3 million", "home to 2 million", "population of 9 million"
    pre = " ".join(t.low for t in toks[max(0, i0 - 4):i0])
    if noun is None or noun.lower() in ("people", "residents", "inhabitants"):
        if re.search(r"\b(?:population|territory|enclave|strip|city|country|nation|home)\s+(?:of|to)$", pre) \
                or re.search(r"\bpopulation\b", pre):
            return "population", None, "measure.text.population"
    return "other", None, "measure.none"




def agentive(toks: list[Tok], verb: Tok) -> bool:
    """An active measure verb with its own object ('terrorists ... slaughtered more than 1,300'):
    the counted group did it and was not counted by it. Passives ('were killed') never are."""
    k = next(i for i, t in enumerate(toks) if t is verb)
    if k > 0 and (toks[k - 1].low in words("be") or toks[k - 1].low in ("all", "also", "reportedly")):
        return False
    nxt = [t.low for t in toks[k + 1:k + 3]]
    if not nxt:
        return False
    lex = Lexicon.default()
    first = nxt[0]
    pair = " ".join(nxt[:2])
    if first in ("the", "a", "an") and len(nxt) > 1:
        first = nxt[1]  # "killed the hostages"
    return bool(re.match(r"\d", first)) or first in numbers.UNITS or first in numbers.TENS \
        or first in words("object_start") or pair in words("object_start") or lex.is_person_noun(first)




def after_window(toks: list[Tok], start: int, size: int = 12) -> list[Tok]:
    """Words after the counted phrase, up to the clause end; skips a parenthesis and an
    ', including ... ,' aside, so '2,215 Palestinians, including 724 children, had been killed' works."""
    window: list[Tok] = []
    k = start
    used = 0
    while k < len(toks) and used < size and len(window) < 3 * size:
        t = toks[k]
        if t.text == "(":
            close = next((j for j in range(k + 1, min(k + 40, len(toks))) if toks[j].text == ")"), None)
            if close is None:
                break
            k = close + 1
            continue
        if t.text == "," and k + 1 < len(toks) and toks[k + 1].low in ("had", "has", "have", "were", "was", "are"):
            k += 1  # "scores, possibly hundreds, had been killed": the aside closes before the verb
            continue
        if t.text == "," and k + 1 < len(toks) and toks[k + 1].low in ("including", "among", "mostly", "many",
                                                                       "most", "mainly", "nearly", "almost",
                                                                       "possibly", "perhaps", "maybe", "if"):
            close = next((j for j in range(k + 2, min(k + 20, len(toks))) if toks[j].text == ","), None)
            if close is None:
                break
            k = close + 1
            continue
        if t.low == "including" or t.text in ("—", "–"):
            close_marks = (",",) if t.low == "including" else ("—", "–")
            close = next((j for j in range(k + 1, min(k + 20, len(toks))) if toks[j].text in close_marks), None)
            if close is None:
                break
            k = close + 1
            continue
        if t.text in CLAUSE_BREAK or t.text in (".", "?", "!") or re.match(r"\d", t.text) \
                or t.low in words("subordinator"):
            break
        if t.low in ("who", "which", "whom", "whose") and any(w.low in words("aux") or w.low == "to" for w in window):
            break  # "the 10 had agreed to pay those who lost billions": past the figure's verb, another noun's clause
        window.append(t)
        used += not t.text[:1].isupper()  # capitalised name parts do not use up the window
        k += 1
    return window


def text_subject(counted: Counted, prior: list[Figure], toks: list[Tok], i1: int, c: Candidate) -> str | None:
    lex = Lexicon.default()
    noun, nationality = counted.noun, counted.nationality
    if counted.subject_text:
        return counted.subject_text
    if noun is None and i1 < len(toks) and toks[i1].low == "of" and prior:
        return prior[-1].subject  # "15 of them"
    if noun:
        low = noun.lower()
        if lex.measure_noun(low):
            if nationality:
                return nationality
            # "22,600 Palestinians have been killed and 57,910 injured": the subject is shared
            if prior and prior[-1].unit == "people" and low in ("injured", "wounded", "dead", "missing"):
                return prior[-1].subject
            return "people"
        if low in ("others", "other"):
            return "people"
        return subject_word(noun)
    if nationality:
        return nationality
    if c.unit == "percent" or c.currency:
        return None
    if prior and prior[-1].unit == "people":
        return prior[-1].subject
    return None


def text_modality(toks: list[Tok], i0: int, i1: int) -> str:
    """Hedge and denial cues in the figure's own clause (a 'feared invasion' in the clause
    before does not hedge the toll that follows)."""
    a, b = clause_bounds(toks, i0, i1)
    if a > 0 and toks[a - 1].low == "that":
        a, _ = clause_bounds(toks, a - 1, a)  # "denied that 500 were killed": the governing clause counts
    before = [t.low for t in toks[max(a, i0 - 8):i0]]
    after = [t.low for t in toks[i1:min(b, i1 + 7)]]
    window = before + after
    if any(w in words("denial") for w in window):
        return "denied"
    if any(w in words("hedge") for w in window):
        return "hedged"
    joined = " ".join(after)
    if re.search(r"\breported (?:killed|dead|missing|wounded|injured)\b", joined):
        return "hedged"
    return "asserted"


# ---------------------------------------------------------------- attribution
@dataclass
class Attribution:
    text: str
    canonical: str | None
    start: int
    end: int
    verb_at: int          # absolute offset of the verb
    kind: str             # according | citing | pre | post




def np_backward(toks: list[Tok], k: int) -> tuple[int, int] | None:
    """Token range of the noun phrase that ends at token k (inclusive), scanning left."""
    lex = Lexicon.default()
    j = k
    while j >= 0 and toks[j].low in words("aux"):
        j -= 1
    end = j
    start = None
    if j >= 0 and toks[j].low in ("there", "here"):
        j -= 1  # "the health ministry there said": keep 'there' in the phrase
    while j >= 0:
        t = toks[j]
        if t.text in CLAUSE_BREAK or t.text in (".", "!", "?"):
            break
        if t.text[:1].isupper() or t.low in ("'s", "’s") or lex.is_source_noun(t.low) \
                or (t.low in words("np_adjective") and start is not None) \
                or re.fullmatch(r"[\w.]+-(?:run|led|controlled|based|affiliated|backed)", t.low):
            start = j
            j -= 1
            continue
        if t.low in NP_INNER and start is not None and j > 0:
            prev = toks[j - 1]
            if prev.text[:1].isupper() or lex.is_source_noun(prev.low) or prev.low in ("'s", "’s"):
                start = j
                j -= 1
                continue
        if t.low in words("determiner") and start is not None:
            start = j
        if t.low in words("pronoun_source") and start is None:
            return (j, j)
        break
    if start is None or end < start:
        return None
    return start, end


def np_forward(toks: list[Tok], k: int) -> tuple[int, int] | None:
    j = k
    end = None
    while j < len(toks):
        t = toks[j]
        if t.text in CLAUSE_BREAK or t.text in (".", "!", "?"):
            break
        if t.low in ("that", "which", "who", "on", "late", "earlier") and end is not None:
            break
        if t.low in ("on",) and end is None:
            break
        end = j
        j += 1
        if j - k > 12:
            break
    if end is None:
        return None
    return k, end


def span_text(sentence: str, offset: int, toks: list[Tok], a: int, b: int) -> str:
    return sentence[toks[a].start - offset:toks[b].end - offset]




def inverted_np(toks: list[Tok], i: int) -> tuple[int, int] | None:
    """', said Adrienne Watson, a spokeswoman.': the name after the verb, when it ends the clause."""
    n = len(toks)
    if i + 1 >= n or toks[i + 1].low in words("time_word"):
        return None
    if not (toks[i + 1].text[:1].isupper() or toks[i + 1].low in words("determiner")):
        return None
    span = np_forward(toks, i + 1)
    if span is None:
        return None
    a, b = span
    if any(re.match(r"\d", t.text) for t in toks[a:b + 1]) or b - a > 8:
        return None
    if b + 1 < n and toks[b + 1].text not in (",", ".", "!", "?", ";"):
        return None
    return span


_SHORT_ADVERBS = {"also", "then", "later", "still", "not", "n't", "never", "now", "already", "since", "first",
                  "initially", "once", "even", "widely", "previously"}


def _word_before(toks: list[Tok], i: int) -> str:
    """The word before toks[i], past adverbs ("was also found", "were widely reported")."""
    j = i - 1
    while j > 0 and (toks[j].low in _SHORT_ADVERBS or toks[j].low.endswith("ly") and len(toks[j].low) > 4):
        j -= 1
    return toks[j].low


def text_attributions(sentence: str, offset: int, toks: list[Tok], ents: list[Entity]) -> list[Attribution]:
    found: list[Attribution] = []
    n = len(toks)
    verbs, be = words("attribution_verb"), words("be")
    for i, t in enumerate(toks):
        low = t.low
        span = None
        kind = None
        if low == "according" and i + 1 < n and toks[i + 1].low == "to":
            span, kind = np_forward(toks, i + 2), "according"
        elif low in ("citing", "cited"):
            span, kind = np_forward(toks, i + 1), "citing"
        elif low == "estimated" and i > 0 and toks[i - 1].low in ("an", "the"):
            continue  # "an estimated 260 people": a qualifier, not a speaker called "An"
        elif low in verbs and i > 0 and _word_before(toks, i) in be \
                and low in ("reported", "said", "believed", "thought", "estimated", "feared", "confirmed", "predicted",
                            "forecast", "projected", "put", "quoted", "found", "counted"):
            continue  # "were reported killed", "are said to have died": a hedge, not a speaker
        elif low in ("reported", "confirmed", "feared", "believed", "presumed") and i + 1 < n and (
                toks[i + 1].low in words("adj_measure") or toks[i + 1].low.endswith("ed")
                and Lexicon.default().measure_of(toks[i + 1].low)):
            continue  # "900 Israelis reported killed", "two feared dead": no speaker, the report is passive
        elif low in ("added", "adds", "add") and i + 1 < n and toks[i + 1].low in ("up", "to"):
            continue  # "exports added up to 22,201bn yen": a sum, not a speaker
        elif low in ("put", "puts") and not any(x.low == "at" for x in toks[i + 1:i + 8]):
            continue  # "questions to put to him": only "put the toll at 500" attributes
        elif i > 0 and toks[i - 1].low in ("the", "a", "an", "its", "their", "his", "her", "this", "these"):
            continue  # "the alleged violations", "its reported losses": an adjective, not a speaker's verb
        elif i > 0 and t.text[:1].isupper() and toks[i - 1].text not in ("\"", "“", "‘", "'", "(", ":", "-", "—"):
            continue  # "the United States", "Sky News Reports": a capital mid-sentence is part of a name
        elif low in verbs or (low in ("think", "thinks", "believe", "believes")
                                          and i > 0 and toks[i - 1].low not in be):
            if i > 0 and toks[i - 1].text == ",":
                span = inverted_np(toks, i)
                kind = "post"
                if span is None:
                    # "Ata Abu Mdegem, the mayor of Rahat, said": skip the appositive back to the name
                    prev_comma = next((j for j in range(i - 2, max(-1, i - 25), -1) if toks[j].text == ","), None)
                    if prev_comma is not None and prev_comma > 0:
                        span, kind = np_backward(toks, prev_comma - 1), "pre"
            else:
                j = i - 1
                while j > 0 and toks[j].low.endswith("ly") and len(toks[j].low) > 4 and toks[j].low in (
                        "reportedly", "allegedly", "apparently", "publicly", "privately", "separately",
                        "previously", "recently", "initially", "originally", "repeatedly", "officially"):
                    j -= 1  # "Jerry Kilgore reportedly said": past the adverb to the speaker
                span = np_backward(toks, j)
                kind = "pre"
                if span is not None:
                    # ", the Gaza health ministry says." at the end of the sentence
                    rest = [x.text for x in toks[i + 1:]]
                    if all(x in (".", "!", "?", "\"", "”", "'") for x in rest) or (rest and rest[0] in (",", ".")):
                        if span[0] > 0 and toks[span[0] - 1].text in (",", "\"", "”"):
                            kind = "post"
        if span is None:
            continue
        a, b = span
        text = trim_source(span_text(sentence, offset, toks, a, b))
        if not text:
            continue
        found.append(Attribution(text, canonical_source(text, ents, toks[a].start, toks[b].end),
                                  toks[a].start, toks[b].end, t.start, kind))
    return found


def trim_source(text: str) -> str:
    text = text.strip(" ,\"“”'")
    text = re.sub(r"^(?:the|a|an|some)\s+", "", text, flags=re.I)
    text = re.sub(r"^(?:(?:latest|new|official|preliminary)\s+)?(?:figures|data|numbers|statistics|tallies|"
                  r"a tally|a count|a statement|a report|reports|estimates)\s+(?:from|by|of|released by|"
                  r"published by|issued by)\s+(?:the\s+)?", "", text, flags=re.I)
    text = re.sub(r"\.\d+$", "", text.strip(" ,"))  # "the Argentine Embassy in Israel.15": a glued list number
    if re.fullmatch(r"(?:about|some|around|nearly|almost|over|just|only)?\s*[\d.,]+\s*(?:%|percent|per cent)?", text,
                    re.I):
        return ""  # "47% said they supported it": the people counted, not a source
    if re.fullmatch(r"(?:(?:first|second|third|fourth|final|last|next|previous|latest|past|same)\s+)?(?:quarter|half|"
                    r"month|year|week|period|decade|day)s?", text, re.I):
        return ""  # "the first quarter showed growth of 6.3%": a time, not a source
    # bare "figures showed", "data show": no one is named (docs/figures.md: "X's figures show" is)
    if re.fullmatch(r"(?:(?:latest|new|official|preliminary|government|recent)\s+)?(?:figures|data|numbers|"
                    r"statistics|estimates|results|records)", text, re.I):
        return ""
    return text


def canonical_source(text: str, ents: list[Entity], start: int, end: int) -> str | None:
    lex = Lexicon.default()
    if text.lower() in words("pronoun_source"):
        return None
    canon = lex.source_canonical(text)
    if canon:
        return canon
    inside = [e for e in ents if e.start >= start and e.end <= end and e.label in ("PERSON", "ORG", "GPE", "NORP")]
    if len(inside) == 1 and (inside[0].end - inside[0].start) >= len(text) - 4:
        return inside[0].canonical
    if inside and inside[-1].label == "PERSON" and inside[-1].end >= end - 1:
        return inside[-1].canonical  # "British Prime Minister Rishi Sunak" is attributed to the person
    return text


def pick_source(attrs: list[Attribution], start: int, end: int, toks: list[Tok],
                i0: int) -> tuple[str | None, str | None, tuple[int, int] | None]:
    if not attrs:
        return None, None, None
    explicit = [a for a in attrs if a.kind in ("according", "citing")]
    if explicit:
        a = min(explicit, key=lambda x: abs(x.start - start))
        return a.text, a.canonical, (a.start, a.end)
    pre = [a for a in attrs if a.verb_at < start]
    if pre:
        a = max(pre, key=lambda x: x.verb_at)
        return a.text, a.canonical, (a.start, a.end)
    post = [a for a in attrs if a.kind in ("post", "pre") and a.verb_at > end]
    if post:
        a = min(post, key=lambda x: x.verb_at)
        return a.text, a.canonical, (a.start, a.end)
    return None, None, None


# ---------------------------------------------------------------- location
# For locations, prepositions such as 'during' or 'since' stay inside the clause.




_LOCAL_REPORTERS = re.compile(r"\b(?:health|ministry of health|officials?|authorities|police|civil defen[cs]e|"
                              r"emergency|medical|hospitals?|rescuers|paramedics|medics|government|interior ministry|"
                              r"mayor|governor|army|military)\b", re.I)
_FOREIGN_REPORTERS = re.compile(r"\b(?:foreign|embassy|consulate|state department|white house|ambassador)\b", re.I)


def text_location(toks: list[Tok], i0: int, i1: int, ents: list[Entity], src_span: tuple[int, int] | None,
                  prev_places: list[str], sentence: str, offset: int,
                  taken: set | None = None, parsed: bool = False) -> str | None:
    """The place a figure is about: a place in its own clause (preferring 'in/into/at X'), the
    antecedent of a relative clause, the place of a local reporting body in its source ("the Gaza
    health ministry", not "France's foreign ministry"), or the one place the sentence names that no
    other figure's phrase already holds (`taken`)."""
    places = [e for e in ents if e.label in ("GPE", "LOC", "FAC")]
    anaphor = any(t.low in words("place_anaphor") for t in toks[max(0, i0 - 6):min(len(toks), i1 + 6)])
    if not places:
        return prev_places[-1] if prev_places and anaphor else None
    index = {t.start: n for n, t in enumerate(toks)}

    def tok_of(e: Entity) -> int:
        return index.get(e.start, next((n for n, t in enumerate(toks) if t.start >= e.start), len(toks) - 1))

    def locative(e: Entity) -> bool:
        k = tok_of(e) - 1
        while k >= 0 and toks[k].low in words("place_modifier"):
            k -= 1
        return k >= 0 and toks[k].low in words("locative_prep")

    def possessive_agent(e: Entity) -> bool:
        k = tok_of(e)
        end = next((n for n in range(k, len(toks)) if toks[n].end >= e.end), k)
        return end + 1 < len(toks) and toks[end + 1].low in ("'s", "’s") or e.text.endswith(("'s", "’s"))

    def in_source(e: Entity) -> bool:
        return bool(src_span and e.start >= src_span[0] and e.end <= src_span[1])

    fig_at = toks[i0].start

    def nearest(cands: list[Entity]) -> Entity:
        # closest first; on a tie the place after the figure ("1,350 people in Gaza") wins
        return min(cands, key=lambda e: (abs(e.start - fig_at), e.start < fig_at))

    others = [e for e in places if not in_source(e)]
    a, b = clause_bounds(toks, i0, i1, LOCATION_CLAUSE_WORDS)
    c_start, c_end = toks[a].start if a < len(toks) else 0, toks[b - 1].end if b > 0 else 0
    own = [e for e in others if e.start >= c_start and e.end <= c_end and not possessive_agent(e)]
    if parsed:
        own = [e for e in own if locative(e)]  # with a parse, "the war between Israel and Hamas" is no place
    if own:
        loc = [e for e in own if locative(e)]
        right_after = [e for e in loc if 0 <= tok_of(e) - i1 <= 4]
        if right_after:
            return right_after[0].canonical  # "more than 1,350 people in Gaza"
        return nearest(loc or own).canonical
    if a > 0 and toks[a - 1].low in ("that", "which", "who", "where", "whom") or (a < len(toks) and toks[a].low in (
            "that", "which", "who", "where")):
        # "a blast at a Gaza hospital that killed hundreds": the relative clause's antecedent
        rel = a - 1 if a > 0 and toks[a - 1].low in ("that", "which", "who", "where", "whom") else a
        prev = [e for e in others if e.end <= toks[rel].start and rel - tok_of(e) <= 4
                and id(e) not in (taken or set())]
        if prev:
            return prev[-1].canonical
    if anaphor and prev_places and not own:
        loc_sentence = [e for e in others if locative(e)]
        if not loc_sentence:
            return prev_places[-1]
    src_places = [e for e in places if in_source(e)]
    src_text = sentence[src_span[0] - offset:src_span[1] - offset] if src_span else ""
    if src_places and _LOCAL_REPORTERS.search(src_text) and not _FOREIGN_REPORTERS.search(src_text):
        return src_places[0].canonical
    if parsed:
        return None  # the parse found no place attached to the figure: another clause's place is not its place
    others = [e for e in others if not possessive_agent(e) and id(e) not in (taken or set())]
    loc_sentence = [e for e in others if locative(e)]
    if len({e.canonical for e in loc_sentence}) == 1:
        return loc_sentence[0].canonical
    if len({e.canonical for e in others}) == 1:
        return others[0].canonical
    # ", killing at least three people": a participle attaches to the event named just before it
    if a > 0 and toks[a].low.endswith("ing"):
        before = [e for e in others if e.end <= fig_at]
        loc_before = [e for e in before if locative(e)]
        if loc_before or before:
            return (loc_before or before)[-1].canonical
    return None
