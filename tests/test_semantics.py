"""Scope, dates, subsets, population and places without spaCy (docs/figures.md)."""
from __future__ import annotations

import datetime as dt

from transforms.figures import Figure, semantics
from transforms.figures.places import known_place, place

PUBLISHED = dt.date(2023, 10, 18)  # a Wednesday


def fig(**kw) -> Figure:
    base = dict(start=0, end=1, text="1", value=1, value_max=None, qualifier="exact", unit="people",
                measure="killed", subject="people", location=None, source=None, source_text=None,
                modality="asserted", sentence="", sentence_start=0)
    base.update(kw)
    return Figure(**base)


def test_day_expressions_resolve_against_the_published_date():
    m = semantics.DAY_EXPR.search
    assert semantics.resolve_day(m("on Monday"), PUBLISHED) == dt.date(2023, 10, 16)
    assert semantics.resolve_day(m("on Wednesday"), PUBLISHED) == PUBLISHED  # the published day itself
    assert semantics.resolve_day(m("yesterday"), PUBLISHED) == dt.date(2023, 10, 17)
    assert semantics.resolve_day(m("overnight"), PUBLISHED) == dt.date(2023, 10, 17)
    assert semantics.resolve_day(m("on Oct. 12"), PUBLISHED) == dt.date(2023, 10, 12)
    assert semantics.resolve_day(m("on Dec. 12"), PUBLISHED) == dt.date(2022, 12, 12)  # not in the future
    assert semantics.resolve_day(m("on 7 October 2023"), None) == dt.date(2023, 10, 7)
    assert semantics.resolve_day(m("on Monday"), None) is None  # without a published date only full dates


def test_period_start_and_event_date():
    assert semantics.period_start("have been killed since Oct. 7", PUBLISHED) == dt.date(2023, 10, 7)
    assert semantics.period_start("killed since the war began", PUBLISHED) is None
    assert semantics.period_start("had been killed since the start of the army's campaign on Oct. 9",
                                  PUBLISHED) == dt.date(2023, 10, 9)  # past an "of" that no day follows
    s = "The ministry said Monday that 30 people were killed in a strike on Tuesday."
    assert semantics.event_date(s, s.index("30"), PUBLISHED) == dt.date(2023, 10, 17)
    s = "The toll had risen to 3,000 by Monday."
    assert semantics.event_date(s, s.index("3,000"), PUBLISHED, "cumulative") == dt.date(2023, 10, 16)
    s = "3,000 people have been killed since Monday."
    assert semantics.event_date(s, 0, PUBLISHED, "cumulative") is None


def test_scope_from_the_words_of_the_clause():
    assert semantics.scope(fig(), "3,000 have been killed since Oct. 7")[0] == "cumulative"
    assert semantics.scope(fig(), "30 were killed in the strike on the school")[0] == "incident"
    assert semantics.scope(fig(), "12 were killed in the past 24 hours")[0] == "period"
    assert semantics.scope(fig(measure="hostages"), "about 200 hostages are held")[0] == "other"
    assert semantics.scope(fig(unit="usd", measure="other"), "profits rose to $5bn")[0] == "other"
    assert semantics.scope(fig(), "20 people were killed")[0] == "unknown"
    # one gathering or building: one event, even in the perfect ("have been killed at the festival")
    assert semantics.scope(fig(), "140 people have been killed at the festival")[0] == "incident"
    assert semantics.scope(fig(), "the hundreds killed by Hamas gunmen at a music festival")[0] == "incident"
    assert semantics.scope(fig(), "140 people have been killed in the region")[0] == "cumulative"


def test_subsets_point_back_to_their_total():
    total = fig(value=248)
    part = fig(value=66, subject="children")
    s = "killed 248 Palestinians, including 66 children"
    assert semantics.part_of(part, s[:s.index("66")], s[s.index("66") + 2:], [total], 1) == 0
    assert semantics.part_of(fig(value=4000), "", " of the dead were fighters", [fig(value=9000)], 0) == 0
    assert semantics.part_of(fig(value=30), "and ", " in Gaza", [total], 1) is None  # coordination, not a subset


def test_population_from_group_region_and_nationality():
    assert semantics.population(fig(subject="Palestinians", location_region="Gaza"), None)[0] == "Palestinians in Gaza"
    assert semantics.population(fig(subject="people", location_region="Gaza"), None)[0] == "Palestinians in Gaza"
    assert semantics.population(fig(subject="Gazans"), None)[0] == "Palestinians in Gaza"
    assert semantics.population(fig(subject="children", location_region="Gaza"), None)[0] == "children in Gaza"
    assert semantics.population(fig(subject="people", location_region="Israel"), None)[0] == "Israelis"
    assert semantics.population(fig(subject="hostages", measure="hostages"), None)[0] == "hostages in Gaza"
    assert semantics.population(fig(subject="soldiers"), "Israelis")[0] == "Israeli soldiers"
    assert semantics.population(fig(subject="journalists"), None)[0] == "journalists"
    assert semantics.population(fig(subject="Thais"), None)[0] == "Thais"
    assert semantics.population(fig(subject="shares", unit="count", measure="other"), None)[0] is None


def test_places_are_canonical_with_a_region():
    assert place("Khan Yunis") == ("Khan Younis", "Gaza")
    assert place("the Gaza Strip") == ("Gaza", "Gaza")
    assert place("Jenin refugee camp") == ("Jenin", "West Bank")
    assert place("Ruritania") == ("Ruritania", None)
    assert known_place("Al-Shifa Hospital") and not known_place("Hamas")
