"""Decisions read from the dependency parse: what a number counts, the word that governs it, where
it happened and who said so. Each returns None when the parse does not settle the question, and the
text-window rules (transforms.figures.textrules) decide instead."""
from __future__ import annotations

from dataclasses import dataclass

from transforms.figures.context import Parse, PTok, Sentence
from transforms.figures.places import known_place
from transforms.figures.words import currencies, words
from transforms.lexicon import Lexicon

NOUNS = ("NOUN", "PROPN", "PRON")
OBJECT_DEPS = ("nsubj", "nsubjpass", "dobj", "obj", "attr", "oprd", "dative", "npadvmod", "appos", "acomp")
COPULAS = {"is", "are", "was", "were", "be", "been", "being", "remain", "remains", "remained", "stood", "stands",
           "stand", "totalled", "totaled", "total", "totals", "amounted", "reached", "hit", "topped", "exceeded"}


@dataclass
class Phrase:
    """Where a number sits in the parse."""
    anchor: int              # the number's own token (the head of its span)
    noun: int | None         # the noun it counts, when the parse names one
    np: int                  # the head of the whole noun phrase (noun, else anchor)
    governor: int | None     # the word the phrase hangs from (a verb, or a noun for "deaths of six")
    via: str | None          # how: the phrase's dependency, or "prep:<word>" through a preposition
    first_conjunct: int | None = None  # "killed 1,300 in Israel and 1,350 in Gaza": 1,300's phrase for 1,350


def phrase(parse: Parse, start: int, end: int) -> Phrase | None:
    idxs = parse.covering(start, end)
    if not idxs:
        return None
    a = parse.span_head(idxs)
    if a is None:
        return None
    noun = counted_noun(parse, a, set(idxs))
    np = noun if noun is not None else a
    if noun is not None and parse.head(noun).dep == "prep" and parse.head(noun).head == a:
        np = a  # "dozens of targets", "60% of the homes": the number heads its phrase
    head = parse.head(a)
    if noun is None and head.low in ("more", "others", "other", "additional") and head.i != a:
        np = head.i  # "the wounding of 20 more": the phrase is "20 more"
    # a number inside its noun's own phrase ("1,200 Israeli deaths") takes the noun's place
    if noun is not None and parse.toks[a].head == noun:
        np = noun
    # "grew by a breakneck 9.5%", "worth a record £1.2bn": the parser hangs the amount on the word that
    # describes it; the amount takes that word's place in the clause (it is not what is counted)
    if noun in (None, a) and parse.toks[a].dep == "npadvmod" and head.pos == "NOUN" and head.i == min(idxs) - 1 \
            and any(c.low in ("a", "an") for c in parse.children(head.i, "det")):
        np = head.i
    first = None
    k = np
    seen = set()
    while parse.toks[k].dep == "conj" and parse.toks[k].head != k and k not in seen:
        seen.add(k)
        k = parse.toks[k].head
        first = k
    gov, via = governor(parse, k)
    if via == "prep:with":  # "..., with two people killed in the Jenin airstrike": the participle is its verb
        acl = [c for c in parse.children(np, "acl") if c.tag == "VBN"]
        if acl:
            gov, via = acl[0].i, "nsubjpass"
    return Phrase(a, noun, np, gov, via, first)


def counted_noun(parse: Parse, a: int, span: set[int]) -> int | None:
    t = parse.toks[a]
    head = parse.head(a)
    if t.dep in ("nummod", "quantmod", "compound", "amod", "nmod", "det") and head.pos in ("NOUN", "PROPN") \
            and head.i not in span and head.i > a and head.text not in ("%",):
        return head.i
    # the number heads its phrase: "hundreds of people", "60% of the enclave's infrastructure", "two of the hostages"
    for p in parse.children(a, "prep"):
        if p.low == "of":
            pobj = parse.children(p.i, "pobj")
            if pobj:
                k = pobj[0].i
                while any(o.i == k + 1 for o in pobj):  # "of government e - mails" parsed as four objects:
                    k += 1                              # one noun phrase, headed by its last word
                return k
    if t.pos == "NOUN" and t.text not in ("%",) and t.low not in ("percent", "per", "cent") \
            and not t.text[:1].isdigit():
        return a  # "dozens", "hundreds" as the noun itself
    return None


def hyphenated(parse: Parse, k: int) -> str:
    """The word a noun token ends, with the parts hyphenated to it ("e-mails", "year-olds" of
    "20-year-olds"; a leading number is the count, not the word)."""
    toks, lo, hi = parse.toks, k, k
    while lo > 0 and toks[lo - 1].end == toks[lo].start and "-" in (toks[lo - 1].text, toks[lo].text):
        lo -= 1
    while hi + 1 < len(toks) and toks[hi].end == toks[hi + 1].start and "-" in (toks[hi].text, toks[hi + 1].text):
        hi += 1  # "100,000 e-mails": the parser counts "e"
    parts = [t.text for t in toks[lo:hi + 1]]
    while parts and (parts[0][:1].isdigit() or parts[0] == "-"):
        parts.pop(0)
    return "".join(parts) or toks[k].text


def governor(parse: Parse, k: int) -> tuple[int | None, str | None]:
    t = parse.toks[k]
    if t.head == k:
        return None, None
    if t.dep == "pobj":
        prep = parse.head(k)
        if prep.head == prep.i:
            return None, None
        return prep.head, f"prep:{prep.low}"
    if t.dep in OBJECT_DEPS or t.dep in ("conj", "advmod", "nummod", "compound", "nmod", "amod", "ccomp", "xcomp"):
        return t.head, t.dep
    return t.head, t.dep


# ---------------------------------------------------------------- measure
def _measure_word(parse: Parse, t: PTok) -> str | None:
    lex = Lexicon.default()
    m = lex.measure_of(t.low)
    if m:
        return m
    compound = " ".join(c.low for c in parse.children(t.i, "compound", "amod")) + " " + t.low
    for phrase_, meas in lex.phrases.items():
        if compound.strip().endswith(phrase_):
            return meas
    if t.low in ("toll", "tally") and any(c.low in ("death", "casualty", "civilian") for c in
                                          parse.children(t.i, "compound", "amod")):
        return "killed"
    return None


def _has_object(parse: Parse, verb: int) -> bool:
    return bool(parse.children(verb, "dobj", "obj"))


def measure(parse: Parse, ph: Phrase) -> tuple[str, str | None, str] | None:
    """(measure, the deciding word, rule name), or None when the parse does not settle it."""
    lex = Lexicon.default()
    # the counted noun is itself a measure word: "1,200 deaths", "240 hostages", "57,910 injured"
    if ph.noun is not None:
        m = lex.measure_noun(parse.toks[ph.noun].low)
        if m:
            for c in parse.children(ph.noun, "relcl", "acl"):  # "22 hostages that Hamas says have been killed"
                if any(k.dep == "pobj" and k.low in ("whom", "which") for k in
                       (parse.toks[x] for x in parse.subtree(c.i))):
                    continue  # "200 hostages, some of whom have been killed": a part, not all of them
                cm = _clause_measure(parse, c.i)
                if cm and cm[0] != m:
                    return cm[0], cm[1], "measure.predicate_of_measure_noun"
            g = parse.toks[ph.governor] if ph.governor is not None else None
            if m == "hostages" and g is not None and (ph.via in ("dobj", "obj") or (ph.via or "").startswith("prep:")):
                gm = lex.measure_of(g.low)
                if g.low.startswith(("took", "tak", "seiz", "captur", "abduct", "kidnap", "grab", "snatch")):
                    return "kidnapped", g.text, "measure.taken_hostage"  # "taking 150 hostages": the act of taking
                if gm in ("released", "killed", "injured") and not lex.is_noun_only(g.low):
                    return gm, g.text, "measure.governing_verb"  # "freed 24 hostages"
            if m == "hostages" and g is not None and ph.via in ("nsubj", "nsubjpass") and g.tag.startswith("VB"):
                gm = lex.measure_of(g.low)
                if gm in ("killed", "injured", "released") and not lex.is_noun_only(g.low):
                    return gm, g.text, "measure.governing_verb"  # "nine hostages had died": what happened to them
            return m, parse.toks[ph.noun].text, "measure.counted_noun"
        for c in parse.children(ph.noun, "amod"):  # "dozens of dead militants"
            if c.low in words("adj_measure"):
                return lex.measure_of(c.low), c.text, "measure.adjective"
    if ph.governor is None:
        return None
    g = parse.toks[ph.governor]
    via = ph.via or ""
    # a noun governs through "of": "the deaths of six aid workers", "a death toll of 1,300", "the wounding of 20"
    if via == "prep:of" and g.pos in ("NOUN", "PROPN"):
        m = _measure_word(parse, g)
        if m and m != "other":
            return m, g.text, "measure.noun_complement"
        return None
    if g.low.startswith(("took", "tak")) and via in ("nsubjpass", "dobj"):
        taken = _taken_away(parse, g)
        if taken:
            return taken, g.text, "measure.taken_away"
    if via == "prep:by" and (g.tag == "VBN" or parse.children(g.i, "auxpass")):
        done = [lex.measure_of(g.low)] + [lex.measure_of(c.low) for c in parse.children(g.i, "oprd", "acomp", "xcomp")]
        if any(d in PEOPLE_MEASURES for d in done):
            return "other", None, "measure.agent_not_victim"  # "were killed (shot dead) by four soldiers": the killers
    if g.pos in ("VERB", "AUX") or g.tag.startswith("VB"):
        m = lex.measure_of(g.low)
        if m and m != "other" and not lex.is_noun_only(g.low):
            if via in ("nsubj",) and _has_object(parse, g.i) and m in PEOPLE_MEASURES \
                    and not any(o.low in ("lives", "life") for o in parse.children(g.i, "dobj")):
                return "other", None, "measure.agent_not_victim"  # "200 gunmen slaughtered 1,300 people"
            if via == "prep:in" and m in PEOPLE_MEASURES and not g.low.startswith("held"):
                pass  # "killed in 2 strikes": the place or event, not who was counted
            else:
                if m == "hostages" and g.low.startswith(("took", "tak", "seiz")):
                    m = "kidnapped"
                return m, g.text, "measure.governing_verb"
        # "took 200 people hostage", "left 500 dead", "were reported killed", "found dead"
        for c in parse.children(g.i, "oprd", "xcomp", "acomp", "ccomp", "advcl", "conj"):
            if c.i == ph.np:
                continue
            cm = lex.measure_of(c.low)
            if c.low in ("hostage", "hostages", "captive") and g.low in ("took", "taken", "take", "takes", "taking",
                                                                          "seized", "held"):
                return ("kidnapped" if g.low != "held" else "hostages"), f"{g.text} {c.text}", "measure.taken_hostage"
            if cm and cm != "other" and c.dep in ("oprd", "xcomp", "acomp") and not lex.is_noun_only(c.low):
                return cm, c.text, "measure.complement"
        # "the death toll rose to 1,300", "brought the toll to 500": the measure of the thing that changed
        if via.startswith("prep:") or via in ("dobj", "attr", "npadvmod", "nsubj"):
            for c in parse.children(g.i, "nsubj", "nsubjpass", "dobj"):
                if c.i == ph.np:
                    continue
                cm = _measure_word(parse, c)
                if cm and cm != "other" and c.low in ("toll", "tally", "deaths", "casualties", "fatalities",
                                                      "injuries", "dead", "number"):
                    return cm, c.text, "measure.toll_changed"
                if c.low == "number":
                    for p in parse.children(c.i, "prep"):
                        for o in parse.children(p.i, "pobj"):
                            om = lex.measure_noun(o.low) or lex.measure_of(o.low)
                            if om and om != "other":
                                return om, o.text, "measure.toll_changed"
    return None


def _taken_away(parse: Parse, g: PTok) -> str | None:
    """"200 people were taken (back) to Gaza", "taken into captivity": abducted; "taken into custody":
    arrested. "Taken to hospital" or to a shelter says nothing of the kind."""
    preps = parse.children(g.i, "prep") + [p for a in parse.children(g.i, "advmod") if a.low in ("back", "away")
                                           for p in parse.children(a.i, "prep")]
    for p in preps:
        if p.low not in ("to", "into"):
            continue
        for o in parse.children(p.i, "pobj"):
            if o.low == "custody":
                return "arrested"
            if o.low == "captivity" or o.pos == "PROPN" and known_place(o.text):
                return "kidnapped"
    return None


def _clause_measure(parse: Parse, verb: int) -> tuple[str, str] | None:
    """The measure verb of a clause and its complements, not of a clause under one of its nouns: in "the
    200 hostages taken during a raid that killed 1,400", the raid's killing is not the hostages'."""
    lex = Lexicon.default()
    for k in parse.subtree(verb, skip=("relcl", "acl")):
        t = parse.toks[k]
        m = lex.measure_of(t.low)
        if m and m != "other" and t.tag.startswith("VB"):
            return m, t.text
    return None


PEOPLE_MEASURES = {"killed", "injured", "hostages", "kidnapped", "released", "displaced", "arrested", "missing",
                   "evacuated"}


# ---------------------------------------------------------------- subject
CHANGE_NOUNS = {"rise", "rises", "fall", "falls", "increase", "increases", "decrease", "decreases", "decline",
                "declines", "drop", "drops", "jump", "jumps", "gain", "gains", "growth", "cut", "cuts", "reduction",
                "reductions", "surge", "slump", "climb", "boost", "hike", "hikes", "slide", "dip", "fell", "change"}
QUANTITY_NOUNS = {"volume", "number", "level", "levels", "value", "amount", "total", "share", "proportion", "average",
                  "low", "high", "peak", "record",
                  "percentage", "figure", "figures", "sum"}
CAUSATIVE_VERBS = {"cut", "cuts", "cutting", "slow", "slowed", "slowing", "reduce", "reduced", "reduces", "reducing",
                   "raise", "raised", "raises", "raising", "boost", "boosted", "boosts", "lift", "lifted", "lower",
                   "lowered", "trim", "trimmed", "double", "doubled", "halve", "halved", "increase", "increased",
                   "slash", "slashed", "push", "pushed", "drive", "drove", "driven", "take", "took", "bring",
                   "brings", "bringing", "brought", "grow", "grew", "expand", "expanded", "taking", "takes", "taken",
                   "pushing", "pushes", "lifting", "lifts", "boosting", "leave", "leaves", "left", "leaving", "keep",
                   "keeps", "kept", "keeping", "send", "sends", "sent", "sending", "limit", "limits", "limited",
                   "limiting", "cap", "caps", "capped", "capping", "extend", "extends", "extended", "lowering"}
_VALUE_VERBS = {"value", "values", "valued", "valuing"}
_AMOUNT_PARTICIPLES = {"totalling", "totaling", "topping", "exceeding", "amounting", "costing", "reaching"}
_PRICE_VERBS = {"cost", "costs", "costing", "retail", "retails", "retailed", "fetch", "fetched",
                "fetches"}
_MORE_LESS = {"higher", "lower", "up", "down", "more", "less", "bigger", "smaller", "greater", "larger", "above",
              "below", "ahead", "behind", "off", "back"}


def changed_noun(parse: Parse, n: PTok, depth: int = 0) -> str | None:
    """The head noun of what changed, through "a 52% rise in profits" and "the volume of sales"."""
    if depth > 2 or n.low in ("it", "that", "this", "which", "they") or not n.low.isalpha():
        return None  # not "%", "$" or a number
    if n.tag == "VBG" and n.dep in ("nsubj", "nsubjpass"):
        return n.low  # a gerund subject: "spending on health will rise by 9.4%"
    if n.pos == "PROPN" and n.text.isupper() and 2 <= len(n.text) <= 5 and not known_place(n.text):
        return n.text  # "It leaves GDP up 2.3%": an indicator written as an acronym (not "the US")
    if n.pos != "NOUN" and not (n.pos == "PROPN" and n.i == 0 and n.text[1:].islower()):
        return None  # a noun, also one the tagger calls a name at the sentence start ("Profits at ... rose")
    if n.low in QUANTITY_NOUNS:  # "the volume of sales": sales
        for p in parse.children(n.i, "prep"):
            if p.low == "of":
                for o in parse.children(p.i, "pobj"):
                    if o.tag != "CD":
                        return changed_noun(parse, o, depth + 1)
        return None if n.low in ("total", "amount", "number", "value", "average", "low", "high", "peak",
                                 "record") else n.low
    if n.low in CHANGE_NOUNS:  # "a 52% rise in profits": what rose (docs/figures.md: the noun it measures)
        for p in parse.children(n.i, "prep"):
            if p.low in ("in", "of", "for"):
                for o in parse.children(p.i, "pobj"):
                    if o.low in _TIME_HEADS:
                        continue  # "a rise of 0.4% in the first month": when, not what
                    found = changed_noun(parse, o, depth + 1)
                    if found:
                        return found
        for c in parse.children(n.i, "compound"):  # "a 53% pay rise": pay
            if c.pos == "NOUN" and c.i < n.i and c.low.isalpha():  # not the "%" of "a 20% cut"
                return c.low
        return None
    return n.low


def subject_of_change(parse: Parse, ph: Phrase) -> str | None:
    """Money, percentages and other amounts without a noun of their own: the thing whose amount it is.
    "profits jumped 76% to $1.13bn" -> profits; "prices were 11.8% higher" -> prices; "cut its debt to
    £160m" -> debt; "a 52% rise in profits" -> profits; "the volume of sales fell by 23%" -> sales."""
    if ph.governor is None:
        return None
    g = parse.toks[ph.governor]
    via = ph.via or ""
    if g.pos in ("NOUN",) and g.low in CHANGE_NOUNS:
        return changed_noun(parse, g)
    if g.pos in ("NOUN", "PROPN") and via == "prep:of":
        return changed_noun(parse, g) if g.pos == "NOUN" else None  # "savings of £100m"
    if g.low == "worth" and g.head != g.i and parse.head(g.i).pos == "NOUN":
        return changed_noun(parse, parse.head(g.i))  # "a bid worth $6.8bn"
    if g.dep == "acl" and g.low in _AMOUNT_PARTICIPLES and parse.head(g.i).pos == "NOUN":
        return changed_noun(parse, parse.head(g.i))  # "donations topping £250,000"
    if g.low == "worth" and g.dep == "acomp":  # "the trade is worth 200bn euros"
        verb = parse.head(g.i)
        subj = parse.children(verb.i, "nsubj")
        if not subj and verb.dep == "conj":  # "the market grew by 100% and was worth £1.2bn"
            subj = parse.children(verb.head, "nsubj")
        return changed_noun(parse, subj[0]) if subj else None
    for _ in range(2):  # "11.8% higher", "down from £187,971": up to the verb they modify
        if g.low in _MORE_LESS and g.head != g.i:
            g = parse.head(g.i)
    if g.pos == "NOUN" and g.i != ph.np:
        return changed_noun(parse, g)  # "with like-for-like sales up 6%"
    if not (g.pos in ("VERB", "AUX") or g.tag.startswith("VB")):
        return None
    if g.low in CAUSATIVE_VERBS:
        for c in parse.children(g.i, "dobj"):
            if c.i != ph.np:
                found = changed_noun(parse, c)
                if found:
                    return found
    for c in parse.children(g.i, "dobj"):  # "posting a 52% rise in profits ... to £198m"
        if c.low in CHANGE_NOUNS and c.i != ph.np:
            found = changed_noun(parse, c)
            if found:
                return found
    if via == "prep:at":  # "valued the exchange at £1.3bn", "GDP is forecast at 3.2%", "shares stood at 235p"
        # "kept rates at 0%": what the verb sets; with no object, its subject
        held = parse.children(g.i, "dobj") or parse.children(g.i, "nsubjpass") or (
            [] if g.low in _VALUE_VERBS else parse.children(g.i, "nsubj"))  # "Exel is valued at £2.6bn"
        if held and held[0].pos == "NOUN":
            return changed_noun(parse, held[0])
        if held and held[0].pos == "PROPN":
            return held[0].text  # "GDP is expected at 3.2%", "valued Ferrari at 2.3bn euros"
    for p in parse.children(g.i, "prep"):  # "knocked 0.2% off the growth rate", "wiped £2bn off its value"
        if p.low == "off" and via in ("dobj", "npadvmod"):
            for o in parse.children(p.i, "pobj"):
                found = changed_noun(parse, o)
                if found:
                    return found
    if g.low in _PRICE_VERBS and via in ("dobj", "npadvmod"):  # "the experiment cost $12": what it cost
        subj = parse.children(g.i, "nsubj")
        return changed_noun(parse, subj[0]) if subj and subj[0].pos == "NOUN" else None
    percent = parse.toks[ph.anchor].text == "%" or parse.toks[ph.anchor].low in ("percent", "cent")
    if percent and g.low in ("lost", "lose", "loses", "losing", "shed", "sheds", "shedding"):
        subj = parse.children(g.i, "nsubj")  # "shares in Elan lost 70%": what fell, not who lost it
        return changed_noun(parse, subj[0]) if subj else None
    if g.low not in words("change_verb") and g.low not in CAUSATIVE_VERBS and not (
            g.dep in ("conj", "xcomp") and parse.head(g.i).low in words("change_verb")):
        return None  # "shareholders lost $180bn", "people live on $2,000": who has it, not what it measures
    verb = g
    for _ in range(3):
        subj = parse.children(verb.i, "nsubj", "nsubjpass")
        if subj:  # "growth had topped 9%": a change noun with nothing after it is what changed
            return changed_noun(parse, subj[0]) or (subj[0].low if subj[0].low in CHANGE_NOUNS else None)
        if (verb.dep in ("conj", "xcomp") or verb.dep == "advcl" and verb.tag == "VBG") and verb.head != verb.i:
            verb = parse.head(verb.i)  # "rose 1% ..., but would have been 8% higher": the first verb's subject;
            # "was $124bn, and is expected to rise to $150bn": the deficit's
        elif verb.dep == "acl" and parse.head(verb.i).dep == "pobj" and \
                parse.head(parse.head(verb.i).i).low == "with":
            return changed_noun(parse, parse.head(verb.i))  # "with profits set to be 15% lower"
        else:
            break
    return None


def counted_by_quantity_noun(parse: Parse, ph: Phrase) -> tuple[str, str | None] | None:
    """"The number of U.S. citizens killed has risen to 22", "the toll of Palestinians stands at 700":
    (the counted noun, the nationality its modifiers carry) when the number has no noun of its own."""
    if ph.governor is None:
        return None
    lex = Lexicon.default()
    g = parse.toks[ph.governor]
    for subj in parse.children(g.i, "nsubj", "nsubjpass"):
        if subj.low not in ("number", "toll", "count", "tally", "total"):
            continue
        for p in parse.children(subj.i, "prep"):
            if p.low != "of":
                continue
            for o in parse.children(p.i, "pobj"):
                if lex.is_person_noun(o.low):
                    nat = next((lex.nationality_plural(k.low) for k in parse.children(o.i, "amod", "compound", "nmod")
                                if lex.nationality_plural(k.low)), None)
                    return o.low, nat
    return None


def names_a_currency(t: PTok) -> bool:
    """"kronor", "yen": the unit of an amount, not what it measures."""
    return t.low in currencies()[1]


def noun_after_money(parse: Parse, ph: Phrase) -> str | None:
    """"a $300m settlement", "a 20% cut": the noun the amount modifies."""
    a = parse.toks[ph.anchor]
    head = parse.head(ph.anchor)
    if names_a_currency(head):
        return None
    while head.dep == "compound" and head.pos != "NOUN" and head.head > head.i:
        head = parse.head(head.i)  # "an £80m restructuring charge": through the modifier to its noun
    if a.dep in ("nummod", "compound", "amod", "nmod", "quantmod") and head.pos == "NOUN" and head.i > a.i \
            and head.text not in ("%", "$", "£", "€"):
        return changed_noun(parse, head) if head.low in CHANGE_NOUNS | QUANTITY_NOUNS else head.low  # "a 3% rise
        # in prices": prices
    if head.pos == "NOUN" and head.i < a.i and a.dep in ("npadvmod", "amod", "appos", "nmod") \
            and head.low.isalpha() and head.low not in _TIME_HEADS and head.i != ph.np:
        return changed_noun(parse, head) or head.low  # "all donations over £5,000": the noun before it
    preps = parse.children(ph.anchor, "prep")
    if ph.governor is not None:  # "paid $5m in damages": the parser hangs "in" on the verb, right after the amount
        preps += [p for p in parse.children(ph.governor, "prep") if p.i == ph.anchor + 1]
    for p in preps:  # "$9bn in humanitarian assistance", "$5m in damages"
        if p.low == "in" and a.text not in ("%",) and a.low not in ("percent",):
            for o in parse.children(p.i, "pobj"):
                if o.pos == "NOUN" and o.low not in _TIME_HEADS and o.low.isalpha() and not any(
                        k.low in _TIME_HEADS | {"early", "late"} for k in parse.children(o.i, "amod", "compound")):
                    return changed_noun(parse, o) or o.low  # not "at 458.5p in morning trade": when
    # "$" or "%" token as the phrase head modifying a noun
    if head.text in ("%", "$", "£", "€") or head.low in ("percent",):
        h2 = parse.head(head.i)
        if head.dep in ("nummod", "compound", "amod", "nmod") and h2.pos == "NOUN" and h2.i > head.i:
            return changed_noun(parse, h2) if h2.low in CHANGE_NOUNS | QUANTITY_NOUNS else h2.low
    return None


# ---------------------------------------------------------------- location
_DIRECTIONS = {"northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
               "northeastern", "northwestern", "southeastern", "southwestern"}


def place_tokens(parse: Parse, sent: Sentence) -> dict[int, object]:
    """Token index -> the place it names: a GPE, LOC or FAC entity (or an entity seeds/places.csv lists,
    such as a hospital tagged ORG) that is not part of a longer name ("The Jerusalem Post", "Georgia
    O'Keeffe"), not a demonym, and not a possessor ("Israel's declaration of war": an agent, not a
    place). "southern Israel" keeps its direction when seeds/places.csv lists it."""
    from transforms.figures.model import Entity
    from transforms.figures.places import known_place

    out: dict[int, object] = {}
    lex = Lexicon.default()
    for e in sent.ents:
        if e.label not in ("GPE", "LOC", "FAC") and not known_place(e.text):
            continue  # a person, unless seeds/places.csv knows the name ("Khan Younis" tagged PERSON)
        name = e.text.removeprefix("the ").removeprefix("The ")
        if not known_place(e.text) and (name == name.lower() or name.lower() in _GENERIC_PLACES):
            continue  # "mosques", a lone "Hospital": a common noun the model tagged, not a named place
        idxs = parse.covering(e.start, e.end)
        if not idxs:
            continue
        if lex.nationality_plural(e.text.lower()) and not (known_place(e.text) and parse.toks[idxs[-1]].dep in (
                "nsubj", "nsubjpass", "pobj", "dobj", "conj")):
            continue  # a demonym tagged as a place ("US troops"); "the US was ahead" names the place
        last = parse.toks[idxs[-1]]
        head = parse.head(last.i)
        if last.dep == "compound" and head.pos == "PROPN" and head.i not in idxs and head.i > last.i:
            continue  # part of a longer proper name
        if len(idxs) == 1 and _ends_a_name(parse, sent, idxs[0]):
            continue  # "the Las Vegas Strip" tagged as "Las Vegas" and "Strip"
        if last.dep == "pobj" and not known_place(e.text) and head.low in ("in", "of") and head.head != head.i \
                and parse.head(head.i).low in _HOLDINGS:
            continue  # "shares in Wimpey" (a firm tagged as a place): what is held is a company
        possessor = last.dep == "poss" or (last.i + 1 < len(parse.toks) and parse.toks[last.i + 1].low in
                                            ("'s", "’s")) or e.text.endswith(("'s", "’s"))
        if possessor and e.label not in ("FAC", "LOC") and not _owns_a_place(parse, last):
            continue  # a possessor ("Israel's declaration of war"), unless of a place ("Israel's northern border")
        first = parse.toks[idxs[0]]
        if first.i > 0 and parse.toks[first.i - 1].low in _DIRECTIONS:
            d = parse.toks[first.i - 1]
            wider = f"{d.low} {e.text}"
            if known_place(wider):
                e = Entity(d.start, e.end, e.label, sent.text[d.start - sent.offset:e.end - sent.offset], wider)
                idxs = [d.i] + idxs
        for i in idxs:
            out[i] = e
    _gazetteer_places(parse, sent, out)
    return out


_CLAUSE_MARKS = {"after", "before", "when", "because", "since", "while", "as", "although", "once", "until"}
_GENERIC_PLACES = {"hospital", "camp", "city", "square", "street", "school", "mosque", "church", "border",
                   "crossing", "market", "village", "town", "airport", "port", "base", "centre", "center"}
_HOLDINGS = {"shares", "share", "stake", "stakes", "stock", "stocks", "holding", "holdings", "shareholding",
             "shareholders", "investors"}


def _ends_a_name(parse: Parse, sent: Sentence, i: int) -> bool:
    """A one-word place right after a capitalised word (not at the sentence start, not a direction) is
    the end of a longer name."""
    if i == 0:
        return False
    prev = parse.toks[i - 1]
    return prev.text[:1].isupper() and prev.low not in _DIRECTIONS | {"the"} and prev.start > sent.offset


def _gazetteer_places(parse: Parse, sent: Sentence, out: dict[int, object]) -> None:
    """Places of seeds/places.csv that the model did not tag ("in Khan Younis and Rafah"): capitalised
    runs of one to four tokens, not inside another entity and not a possessor's name of a person."""
    from transforms.figures.model import Entity
    from transforms.figures.places import known_place

    taken = {i for e in sent.ents for i in parse.covering(e.start, e.end)}
    # a known place may run over pieces the model tagged as something else ("the Ahli" ORG, "Arab" NORP,
    # then "Hospital"): the whole name wins when it reaches past them
    pieces = {i for e in sent.ents if e.label in ("ORG", "NORP") for i in parse.covering(e.start, e.end)}
    toks = parse.toks
    i = 0
    while i < len(toks):
        hit = 0
        if toks[i].text[:1].isupper() and i not in out and (i not in taken or i in pieces):
            for n in (4, 3, 2, 1):
                span = toks[i:i + n]
                free = [t for t in span if t.i not in taken]
                if len(span) == n and not any(t.i in out or t.i in taken and t.i not in pieces for t in span) \
                        and (free or not any(t.i in pieces for t in span)) \
                        and known_place(sent.text[span[0].start - sent.offset:span[-1].end - sent.offset]):
                    hit = n
                    break
        if hit == 1 and _ends_a_name(parse, sent, i):
            hit = 0  # "Michael Jordan": the end of a longer name, not the place
        if hit:
            a, b = toks[i].start, toks[i + hit - 1].end
            text = sent.text[a - sent.offset:b - sent.offset]
            e = Entity(a, b, "GPE", text, text)
            for k in range(i, i + hit):
                out[k] = e
            i += hit
        else:
            i += 1


LOCATIVE = {"in", "into", "at", "across", "inside", "throughout", "near", "on", "within", "around", "outside",
            "along", "from", "off", "over", "to", "toward", "towards", "against"}


_PLACE_PARTS = {"border", "borders", "city", "cities", "capital", "north", "south", "east", "west", "coast",
                "side", "territory", "territories", "outskirts", "streets", "airspace", "grounds", "campus",
                "compound", "lot", "yard", "courtyard", "entrance", "gate", "gates", "wards", "ward", "basement",
                "region", "regions", "province", "provinces", "towns", "villages", "neighbourhoods", "neighborhoods"}


# "Japan's trade surplus", "China's economy": what an economic figure measures belongs to that place
_ECONOMY = {"economy", "economies", "trade", "surplus", "deficit", "exports", "imports", "gdp", "growth", "budget",
            "debt", "inflation", "unemployment", "output", "market", "markets", "currency", "population", "spending",
            "revenue", "revenues", "reserves",
            # "India's largest power producer": a business of that place
            "firm", "firms", "company", "companies", "producer", "producers", "maker", "makers", "bank", "banks",
            "carrier", "airline", "retailer", "exporter", "exporters", "industry", "industries", "sector", "stock",
            "stocks", "shares", "bourse", "exchange", "manufacturer", "manufacturers", "insurer", "lender"}


def _owns_a_place(parse: Parse, possessor: PTok) -> bool:
    """"Israel's northern border", "the hospital's parking lot": a possessor of a part of a place."""
    k = possessor.i
    while parse.toks[k].dep in ("compound", "case", "punct") and parse.toks[k].head != k:
        k = parse.toks[k].head
    owner = parse.head(k) if parse.toks[k].dep == "poss" else parse.toks[min(possessor.i + 2, len(parse.toks) - 1)]
    return owner.low in _PLACE_PARTS or owner.low in _ECONOMY


def _with_coordinated(parse: Parse, places: dict[int, object], k: int) -> object:
    """"England and Wales": a place coordinated with another one is named with it."""
    from transforms.figures.model import Entity

    e = places[k]
    own = [j for j in places if places[j] is e]
    k = next((j for j in own if parse.toks[j].head not in own or parse.toks[j].head == j), k)  # the name's head
    others = [places[c.i] for c in parse.children(k, "conj") if c.i in places and places[c.i] is not e]
    end = max(j for j in own)
    if not others and end + 2 < len(parse.toks) and parse.toks[end + 1].low == "and" and end + 2 in places \
            and places[end + 2] is not e:
        others = [places[end + 2]]  # "in England and Wales" that the parser split
    joined = any(c.low == "and" for c in parse.children(k, "cc")) or (end + 1 < len(parse.toks)
                                                                      and parse.toks[end + 1].low == "and")
    if len(others) != 1 or not joined:
        return e
    o = others[0]
    name = f"{e.text} and {o.text}"
    return Entity(e.start, o.end, e.label, name, name)


def place_near(parse: Parse, places: dict[int, object], heads: list[int]) -> tuple[object, str] | None:
    """A place in a prepositional phrase hanging from one of the heads ("killed ... in Gaza",
    "1,350 people in Gaza"), or a place modifying the head ("a Gaza hospital"). "People from France"
    says where they come from, not where they were."""
    lex = Lexicon.default()
    for h in heads:
        if h is None:
            continue
        for c in parse.children(h, "compound", "nmod", "poss", "amod"):
            if c.i in places:
                return places[c.i], "location.modifier"
        for p in parse.children(h, "prep"):
            if p.low in ("following", "after", "during", "amid"):
                # "killed following Saturday's attacks on Israel": where the attack the clause names struck
                for o in parse.children(p.i, "pobj"):
                    if _event_noun(o.low):
                        for q in parse.children(o.i, "prep"):
                            if q.low in ("on", "in", "at", "inside", "across"):
                                for k in parse.subtree(q.i, skip=("relcl", "acl", "advcl")):
                                    if k in places:
                                        return _with_coordinated(parse, places, k), "location.event_preposition"
                continue
            if p.low not in LOCATIVE:
                continue
            if p.low == "from" and (lex.is_person_noun(parse.toks[h].low) or parse.toks[h].tag == "CD"):
                continue
            for k in parse.subtree(p.i, skip=("relcl", "acl", "advcl")):
                if k in places:
                    return _with_coordinated(parse, places, k), "location.event_preposition"
    return None


def _event_noun(low: str) -> bool:
    from transforms.figures.semantics import EVENT_NOUNS, PLURAL_EVENTS

    return low in EVENT_NOUNS or low in PLURAL_EVENTS


def location(parse: Parse, ph: Phrase, places: dict[int, object], people: bool = True) -> tuple[object, str] | None:
    """`people`: the figure counts people or events (an agent is then never its place); for money,
    percentages and other amounts the place that has them may be the verb's subject ("China accounted
    for 20.1%") or named with "for" ("18.6% for the US")."""
    if not places:
        return None
    # the number's own phrase first: "38.4% reside in Argentina, 15.6% in Italy" (15.6% hangs from "reside")
    heads = [ph.np, ph.anchor, ph.governor, ph.first_conjunct]
    if ph.noun is not None and ph.np == ph.anchor and ph.noun != ph.anchor:
        # "109 of the people killed in Israel": the place of the set the number is a part of
        for acl in parse.children(ph.noun, "acl"):
            if acl.tag == "VBN":
                found = place_near(parse, places, [acl.i])
                if found:
                    return found[0], "location.partitive_set"
    found = place_near(parse, places, heads)
    if found:
        return found
    if people:  # "the 31 Americans who were killed following the attacks on Israel": the clause on the counted
        for r in parse.children(ph.np, "relcl", "acl"):  # noun tells where they were
            if r.tag.startswith("VB") and Lexicon.default().measure_of(r.low):
                found = place_near(parse, places, [r.i])
                if found:
                    return found[0], "location.counted_clause"
    if ph.governor is not None and people:  # "killed by gunmen who swarmed into a festival in Israel": where the
        # agent struck
        for ag in parse.children(ph.governor, "agent"):
            for o in parse.children(ag.i, "pobj"):
                for r in parse.children(o.i, "relcl"):
                    found = place_near(parse, places, [r.i])
                    if found:
                        return found[0], "location.agent_clause"
    g = parse.toks[ph.governor] if ph.governor is not None else None
    if g is not None and g.tag.startswith("VB"):  # "72 were killed and dozens wounded in Khan Younis": shared
        for c in parse.children(g.i, "conj"):
            if c.tag in ("VBN", "VBD") and not parse.own_clause(c.i):
                found = place_near(parse, places, [c.i])
                if found:
                    return found[0], "location.coordinated_verb"
    if not people:
        for h in (ph.np, ph.anchor):
            for p in parse.children(h, "prep"):
                if p.low == "for":
                    for o in parse.children(p.i, "pobj"):
                        if o.i in places:
                            return places[o.i], "location.amount_for"
        g = parse.toks[ph.governor] if ph.governor is not None else None
        for _ in range(2):  # "the US was ahead with 20.5%": up from "ahead" to its verb
            if g is not None and not g.tag.startswith("VB") and g.dep in ("advmod", "acomp", "prep") and g.head != g.i:
                g = parse.head(g.i)
        if g is not None and g.tag.startswith("VB"):
            subjects = parse.children(g.i, "nsubj", "nsubjpass")
            if not subjects and g.tag == "VBG" and g.dep in ("advcl", "xcomp"):
                subjects = parse.children(g.head, "nsubj")  # "Mexico leads the way, accounting for about 50%"
            for sj in subjects:
                if sj.i in places and sj.i != ph.np:
                    return places[sj.i], "location.holder"
                found = place_near(parse, places, [sj.i])
                if found:
                    return found
    # ", killing at least three people", "and took 150 hostages back to Gaza": a participle or a
    # coordinated verb shares the place of the event it continues
    g = parse.toks[ph.governor] if ph.governor is not None else None
    while g is not None and g.dep == "conj" and parse.head(g.i).dep in ("advcl", "conj", "xcomp"):
        g = parse.head(g.i)  # "killing 250 Israelis and wounding 1,000 more": the first participle's event
    if g is not None and g.dep in ("advcl", "conj", "xcomp") and g.tag in ("VBG", "VBD", "VBN", "VB"):
        found = place_near(parse, places, [g.head])
        if found:
            return found[0], "location.continued_event"
        # "responded with strikes in Gaza, killing ...": the means the clause names
        for p in parse.children(g.head, "prep"):
            if p.low in ("with", "through", "by"):
                for o in parse.children(p.i, "pobj"):
                    if _event_noun(o.low):
                        found = place_near(parse, places, [o.i])
                        if found:
                            return found[0], "location.continued_event"
        # "warplanes pound Gaza, killing ...", "an attack on Israel, killing"
        for obj in parse.children(g.head, "dobj"):
            for k in parse.subtree(obj.i, skip=("relcl", "acl")):
                if k in places:
                    return places[k], "location.continued_event"
    # up through relative clauses to the clause they hang in: "people trapped in Gaza, fearful of airstrikes
    # that ... killed 2,800" (a place "in" it, not "on"/"against" a target), never past a reporting verb
    if g is not None:
        verbs = words("attribution_verb")
        prev = g
        for anc in parse.ancestors(g.i):
            if anc.low in verbs and anc.dep != "relcl":  # "airstrikes that officials say killed" goes on up
                break
            if prev.dep == "advcl" and any(m.low in _CLAUSE_MARKS for m in parse.children(prev.i, "mark")):
                break  # "airstrikes on Gaza that began after gunmen killed 1,300": another event, not its place
            if prev.dep == "relcl" and anc.i in places:  # "the Ahli Hospital in Gaza City, where ... killed": the
                return places[anc.i], "location.relative_antecedent"  # place the clause is about, not its city
            prev = anc
            for p in parse.children(anc.i, "prep"):
                if p.low in ("in", "into", "inside", "across", "throughout"):
                    for k in parse.subtree(p.i, skip=("relcl", "acl", "advcl")):
                        if k in places:
                            return _with_coordinated(parse, places, k), "location.enclosing_clause"
    # "Since Israel began its bombing campaign in Gaza, 2,778 people had been killed": the window's place
    if ph.governor is not None:
        g = parse.toks[ph.governor]
        for c in parse.children(g.i, "advcl", "prep"):
            if c.low == "since" or any(m.low == "since" for m in parse.children(c.i, "mark")):
                for k in parse.subtree(c.i, skip=("relcl", "acl")):
                    if k in places and parse.toks[k].dep == "pobj" and parse.head(k).low in ("in", "on", "against"):
                        return _with_coordinated(parse, places, k), "location.since_clause"  # "in Israel and Gaza"
    # through a chain of verbs: "were killed while sheltering in Rafah" stays out; "killed in strikes on Gaza" in
    if ph.governor is not None:
        g = parse.toks[ph.governor]
        if g.dep in ("relcl", "acl"):  # "a blast at a Gaza hospital that killed hundreds": the antecedent's place
            ante = g.head
            if ante in places:
                return places[ante], "location.relative_antecedent"
            found = place_near(parse, places, [ante])
            if found:
                return found[0], "location.relative_antecedent"
    return None


# ---------------------------------------------------------------- attribution
def _participle_clause(parse: Parse, t: PTok) -> bool:
    """"the 1,400 people killed in the attack": a participle modifying a noun. With a direct object it is
    a clause's main verb the parser hung on a noun ("that an airstrike on a hospital killed 500")."""
    return t.dep == "acl" and t.tag == "VBN" and not parse.children(t.i, "dobj")


def in_relative_clause(parse: Parse, ph: Phrase) -> bool:
    """The figure's verb heads a relative clause (or one its verb hangs from, through xcomp/conj)."""
    k = ph.governor if ph.governor is not None else ph.np
    for _ in range(4):
        t = parse.toks[k]
        if t.dep == "relcl" or _participle_clause(parse, t):
            return True
        if t.dep not in ("xcomp", "conj", "ccomp") or t.head == k:
            return False
        k = t.head
    return False


_ADJUNCT_MARKS = {"after", "before", "when", "while", "as", "since", "until", "because", "once"}


def _clause_chain(parse: Parse, ph: Phrase) -> list[PTok]:
    """The figure's verb and the words above it, up to a relative or participle clause."""
    start = ph.governor if ph.governor is not None else ph.np
    chain = [parse.toks[start]]
    for t in parse.ancestors(start):
        if chain[-1].dep == "relcl" or _participle_clause(parse, chain[-1]):
            break
        chain.append(t)
    return chain


def _adjunct(parse: Parse, t: PTok) -> bool:
    return t.dep == "advcl" and any(m.low in _ADJUNCT_MARKS for m in parse.children(t.i, "mark"))


def spoken_beside(parse: Parse, ph: Phrase) -> bool:
    """The figure is in a clause of time or cause hung on a reporting verb, not in what was reported."""
    verbs = words("attribution_verb")
    chain = _clause_chain(parse, ph)
    return any(_adjunct(parse, chain[n - 1]) and t.low in verbs and t.tag.startswith("VB")
               for n, t in enumerate(chain) if n)


def speech_verbs(parse: Parse, ph: Phrase) -> list[PTok]:
    """Reporting verbs the figure's clause hangs from, nearest first: an ancestor ("X said that ... 500
    were killed"), or a reporting clause attached beside it (", officials said"). A figure inside a
    relative or participle clause ("an attack that killed 1,400") is background, the writer's own:
    reporting verbs above that clause do not take it."""
    verbs = words("attribution_verb")
    chain = _clause_chain(parse, ph)
    found: list[PTok] = []
    for n, t in enumerate(chain):
        if n and _adjunct(parse, chain[n - 1]):
            continue  # "leaders issued statements after an explosion killed hundreds": when they spoke, not what
        if t.low in ("put", "puts") and not any(p.low == "at" for p in parse.children(t.i, "prep")):
            continue  # only "put the toll at 500" attributes
        if t.low in ("added", "adds", "add") and any(p.low in ("up", "to") for p in parse.children(t.i, "prt", "prep")):
            continue  # "added up to 22,201bn yen": a sum
        if t.low in verbs and t.i != ph.np and t.tag.startswith("VB") and not parse.children(t.i, "neg"):
            found.append(t)  # not "he didn't say how many ..., although the army killed 200"
        for c in parse.children(t.i, "parataxis", "ccomp", "advcl"):
            if c.dep == "advcl" and parse.children(c.i, "mark"):
                continue  # "killed after troops found them": a clause of time or cause, not a report
            if c.low in verbs and c.i not in [f.i for f in found] and c.tag.startswith("VB") \
                    and not any(k == ph.np for k in parse.subtree(c.i)):
                found.append(c)
    return found


def source_span(parse: Parse, ph: Phrase, ents: list | None = None) -> tuple[tuple[int, int, str] | None, bool]:
    """((start, end, kind) of the attribution's noun phrase, or None; whether the parse settled it).

    The object of "according to", or the subject of the reporting verb (its whole noun phrase,
    without relative clauses or asides). A passive "were said to have been killed" is a hedge,
    not a speaker: settled, with no source."""
    found = _according_to(parse, ph)
    if found is not None:
        return _np_span(parse, found, ents) + ("according",), True
    if ph.governor is not None and ph.via == "prep:of" and parse.toks[ph.governor].low in _OWNED_ESTIMATES:
        owner = parse.children(ph.governor, "poss")  # "Gordon Brown's forecast of 3%": his
        if owner and owner[0].low not in ("its", "their", "his", "her", "our", "my"):
            return _np_span(parse, owner[0].i, ents) + ("possessor",), True
    revised = revised_estimate(parse, ph)
    if revised is not None:  # "the IEA raised its estimate ... to 84 million barrels": the IEA's figure
        owner = parse.children(revised, "poss")
        if not owner or owner[0].low in ("its", "their", "his", "her", "our", "my"):
            owner = parse.children(ph.governor, "nsubj")
        if owner:
            return _np_span(parse, owner[0].i, ents) + ("possessor",), True
    verbs = speech_verbs(parse, ph)
    if not verbs and (in_relative_clause(parse, ph) or spoken_beside(parse, ph)):
        return None, True  # background the writer gives ("an attack that killed 1,400"): unattributed
    for n, v in enumerate(verbs):
        subj = parse.children(v.i, "nsubj", "nsubjpass") or _implicit_subject(parse, v)
        if subj and subj[0].dep == "nsubjpass":
            if parse.own_clause(v.i) and v.low in (
                    "said", "reported", "believed", "thought", "estimated", "predicted", "forecast", "projected",
                    "confirmed", "feared", "presumed"):
                return None, True  # "..., Biden said, and 14 Americans were confirmed killed": no speaker here
            continue  # "two nationals were confirmed dead", "Jaynes was found guilty": a passive names no speaker
        if subj and (subj[0].low in _TIME_HEADS or subj[0].tag == "CD" or subj[0].low in ("one", "none")):
            continue  # "on Saturday", "only one showed": not a speaker
        if subj and subj[0].low in ("which", "who", "that") and v.dep == "relcl" and parse.head(v.i).pos in (
                "NOUN", "PROPN"):
            subj = [parse.head(v.i)]  # "the Muslim Association of Britain, which believes ...": the association
        if subj and subj[0].low in _EVIDENCE_NOUNS and n + 1 < len(verbs):
            continue  # "an official said an early assessment showed that ...": the official
        if subj and subj[0].low in ("i", "we") and n + 1 < len(verbs):
            continue  # '"I think it looks like $40 to $50," said an analyst': the one quoted
        if subj:
            return _np_span(parse, subj[0].i, ents) + ("subject",), True
        if v.low in ("citing", "cited"):
            obj = parse.children(v.i, "dobj")
            if obj:
                return _np_span(parse, obj[0].i, ents) + ("citing",), True
    return None, bool(verbs)


def revised_estimate(parse: Parse, ph: Phrase, nouns: frozenset[str] | None = None) -> int | None:
    """The estimate a verb changes when the figure is what it changes it by or to ("raised its estimate of
    demand by 80,000 barrels to 84 million", "cut its forecast to 3%"): that noun's token."""
    if ph.governor is None or ph.via not in ("prep:to", "prep:by") or not parse.toks[ph.governor].tag.startswith("VB"):
        return None
    est = [c for c in parse.children(ph.governor, "dobj") if c.low in (nouns or _OWNED_ESTIMATES)]
    return est[0].i if est else None


FORECASTS = frozenset({"forecast", "forecasts", "estimate", "estimates", "projection", "projections", "prediction",
                       "predictions", "outlook", "guidance", "target", "targets"})
_OWNED_ESTIMATES = {"forecast", "forecasts", "estimate", "estimates", "projection", "projections", "prediction",
                    "predictions", "count", "tally", "figure", "figures", "calculation", "calculations"}
_EVIDENCE_NOUNS = {"assessment", "analysis", "estimate", "count", "tally", "data", "figures", "review", "report",
                   "reports", "statement", "update", "document", "documents", "records", "footage", "video",
                   "videos", "evidence"}


def _according_to(parse: Parse, ph: Phrase) -> int | None:
    """The object of the "according to" that belongs to the figure: one attached to its own clause
    (the figure's verb or one above it), else the nearest after the figure, else the nearest before."""
    objs = [(t, obj) for t in parse.toks if t.low == "according"
            for to in parse.children(t.i, "prep") for obj in parse.children(to.i, "pobj")]
    if not objs:
        return None
    start = ph.governor if ph.governor is not None else ph.np
    chain = {start} | {a.i for a in parse.ancestors(start)}
    own = [(t, obj) for t, obj in objs if t.head in chain]
    anchor = ph.anchor
    if own:  # two on one clause ("After ..., according to Israeli media, ... caused 1,100 casualties, according
        # to the local Health Ministry"): the nearest after the figure, else the nearest before it
        after = [obj for t, obj in own if t.i > anchor]
        return (after[0] if after else own[-1][1]).i
    after = [obj for t, obj in objs if t.i > anchor]
    return (after[0] if after else objs[-1][1]).i


def _implicit_subject(parse: Parse, v: PTok) -> list[PTok]:
    """A speaker the parser failed to attach: for ", saying ..." the subject of the clause it follows;
    else the nearest noun before the verb whose own phrase (a relative clause, an aside) fills the gap
    up to it ("local officials, whose counts X used, say"). Never a time word ("on Saturday")."""
    if v.tag == "VBG" and v.dep in ("advcl", "xcomp", "conj"):
        h = parse.head(v.i)
        return parse.children(h.i, "nsubj")
    for k in range(v.i - 1, max(-1, v.i - 25), -1):
        t = parse.toks[k]
        if t.pos in ("NOUN", "PROPN") and t.low not in _TIME_HEADS:
            span = set(parse.subtree(k))
            if all(j in span or parse.toks[j].pos == "PUNCT" for j in range(k + 1, v.i)):
                return [t]
    return []


_TIME_HEADS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
               "tonight", "morning", "afternoon", "evening", "night", "week", "weekend", "month", "year", "statement",
               "interview", "briefing", "conference", "post", "tweet", "letter", "email", "call", "quarter", "half",
               "period", "decade", "months", "years", "weeks", "quarters"}


def _np_span(parse: Parse, head: int, ents: list | None = None) -> tuple[int, int]:
    """The speaker's whole noun phrase: modifiers, "of"-phrases and names, but not a relative clause,
    an aside between commas, a time phrase ("on Monday") or "including ..."."""
    idxs = set(parse.subtree(head, skip=("relcl", "advcl", "parataxis")))
    for k in list(idxs):
        t = parse.toks[k]
        if t.dep == "appos" and k - 1 >= 0 and parse.toks[k - 1].text == ",":
            idxs -= set(parse.subtree(k))  # ", a spokeswoman for ...": an aside
        if t.dep == "prep" and (t.low in ("including", "among", "during", "after", "before", "since")
                                or any(parse.toks[o].low in _TIME_HEADS for o in parse.subtree(k))):
            idxs -= set(parse.subtree(k))
        if t.dep == "npadvmod" and t.low in _TIME_HEADS:
            idxs -= set(parse.subtree(k))
        if t.dep == "acl" and t.tag == "VBN" and any(parse.toks[o].low in _TIME_HEADS for o in parse.subtree(k)):
            idxs -= set(parse.subtree(k))  # "a poll by X released this week": the poll by X
    # one contiguous run around the head, stopping at punctuation other than a hyphen
    lo = hi = head
    def joins(t: PTok) -> bool:  # a hyphen, or the apostrophe of "Hamas’ armed wing"
        return t.pos != "PUNCT" or t.tag == "HYPH" or t.text in ("'", "’")

    while lo - 1 in idxs and joins(parse.toks[lo - 1]):
        lo -= 1
    while hi + 1 in idxs and joins(parse.toks[hi + 1]):
        hi += 1
    start, end = parse.toks[lo].start, parse.toks[hi].end
    for e in ents or ():  # a name the parse cut ("Committee to Protect Journalists") is kept whole
        if e.label in ("ORG", "PERSON", "GPE", "NORP", "FAC") and e.start < end and e.end > start:
            start, end = min(start, e.start), max(end, e.end)
    return start, end
