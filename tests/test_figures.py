"""Figure patterns (docs/figures.md), without spaCy: entities are given by hand where a rule needs them."""
from __future__ import annotations

import pytest

from transforms.figures import Entity, extract_figures


def figs(text, ents=()):
    return extract_figures(text, list(ents))


def one(text, ents=()):
    found = figs(text, ents)
    assert len(found) == 1, [(f.text, f.measure) for f in found]
    return found[0]


def ent(text, sentence, label, canonical=None, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = sentence.index(text, start + 1)
    return Entity(start, start + len(text), label, text, canonical or text)


@pytest.mark.parametrize("text,value", [
    ("Officials said 22,600 people were killed.", 22600),
    ("Officials said 1,234.5 tonnes of aid arrived.", 1234.5),
    ("Nearly 2 million residents were displaced.", 2_000_000),
    ("About 2.3 million people live in the territory.", 2_300_000),
    ("The group said nine people were killed.", 9),
    ("Twenty-two people were killed in the strike.", 22),
    ("Police said one hundred and fifty people were arrested.", 150),
    ("The firm earned $1.13bn in the quarter.", 1_130_000_000),
    ("The deal is worth £600m to the club.", 600_000_000),
    ("60% of the enclave's infrastructure was damaged.", 60),
    ("Some 45 percent of homes were destroyed.", 45),
    ("Nearly two dozen Americans have been killed.", 24),
    ("Three dozen homes were destroyed.", 36),
])
def test_values(text, value):
    assert one(text).value == pytest.approx(value)


@pytest.mark.parametrize("text,qualifier", [
    ("At least 22,600 Palestinians have been killed.", "at_least"),
    ("More than 1,300 people were killed.", "more_than"),
    ("Over 1,900 people were wounded.", "more_than"),
    ("Nearly 1,200 Israelis were killed.", "nearly"),
    ("Almost 500 people were injured.", "nearly"),
    ("About 150 hostages remain in Gaza.", "about"),
    ("Some 1,400 people were killed.", "about"),
    ("Around 300 people were arrested.", "about"),
    ("Roughly 40 people are missing.", "about"),
    ("Up to 500 people may have died.", "up_to"),
    ("As many as 30 people were hurt.", "up_to"),
    ("500 or more people were displaced.", "at_least"),
    ("Exactly 12 people were arrested.", "exact"),
])
def test_qualifiers(text, qualifier):
    assert one(text).qualifier == qualifier


@pytest.mark.parametrize("text,measure", [
    ("Israeli strikes killed 248 Palestinians.", "killed"),
    ("The death toll rose to 1,300.", "killed"),
    ("More than 9,000 fatalities were reported.", "killed"),
    ("Over 1,900 people were wounded.", "injured"),
    ("About 150 hostages remained in Gaza.", "hostages"),
    ("Hamas kidnapped 240 people.", "kidnapped"),
    ("Gunmen abducted 12 students.", "kidnapped"),
    ("Hamas took nearly 200 people hostage.", "kidnapped"),
    ("Hamas freed 24 hostages on Friday.", "released"),
    ("Nearly 2 million residents were displaced.", "displaced"),
    ("Thousands fled their homes.", "displaced"),
    ("Police detained 30 protesters.", "arrested"),
    ("Fifteen people are still missing.", "missing"),
    ("60% of the enclave's infrastructure was damaged or destroyed.", "damaged"),
    ("The coastal territory of 2.3 million was reduced to wasteland.", "population"),
    ("The company hired 300 workers.", "other"),
    ("The law covers data held by about 100,000 public bodies.", "other"),
    ("Rescuers recovered 40 bodies from the rubble.", "killed"),
])
def test_measures(text, measure):
    assert one(text).measure == measure


def test_ranges():
    f = one("Between 20 and 30 people were killed.")
    assert (f.value, f.value_max, f.text) == (20, 30, "Between 20 and 30")
    f = one("Officials said 20-30 people were injured.")
    assert (f.value, f.value_max) == (20, 30)
    f = one("Between 100 and 300 people died in the blast.")
    assert (f.value, f.value_max) == (100, 300)


def test_a_range_that_repeats_its_unit_is_one_figure():
    f = one("Sales are expected to be 6% to 7% lower this year.")
    assert (f.value, f.value_max, f.unit) == (6, 7, "percent")
    found = figs("Turnover rose 4% to $2.5bn.")  # a change and a level: two figures
    assert [(f.value, f.unit) for f in found] == [(4, "percent"), (2_500_000_000, "usd")]


def test_a_change_by_a_percentage_to_a_level_is_two_figures():
    found = figs("The central bank raised rates by 0.25% to 5.5%.")
    assert [(f.value, f.value_max) for f in found] == [(0.25, None), (5.5, None)]


def test_currency_names_come_from_the_seed():
    found = figs("Operating profit was 4.2bn kronor, against 3.1bn Danish kroner a year earlier.")
    assert [f.unit for f in found] == ["sek", "dkk"]
    assert all(f.subject not in ("kronor", "kroner") for f in found)  # the unit is not what is measured


def test_pence_glued_to_the_number_are_money_but_a_picture_format_is_not():
    found = figs("Shares in the retailer fell 8.5p, or 3%, to 270.25p.")
    assert [(f.value, f.unit) for f in found] == [(8.5, "gbx"), (3, "percent"), (270.25, "gbx")]
    assert figs("The set shows 1080p pictures.") == []


def test_how_many_a_survey_asked_is_not_a_figure_but_who_police_questioned_is():
    assert figs("The findings were based on 1,500 telephone interviews with shoppers.") == []
    assert figs("The agency surveyed 2,000 adults in March.") == []
    assert one("Police interviewed 40 suspects after the raid.").value == 40


def test_a_spelled_number_with_a_scale_counts_whatever_it_is_before():
    assert one("Ministers said seven million households would pay more.").value == 7_000_000
    assert figs("The two sides met in Geneva.") == []


def test_a_decimal_with_a_scale_is_not_a_clock_time():
    assert one("The country harvested 12.45 million tonnes of grain.").value == 12_450_000
    assert figs("The bus left at 10:45 yesterday.") == []


def test_rose_from_to_gives_two_figures():
    found = figs("The death toll rose from 20 to 30.")
    assert [f.value for f in found] == [20, 30] and all(f.value_max is None for f in found)


def test_vague_plurals_convention():
    f = one("Dozens of people were killed.")
    assert (f.value, f.qualifier, f.measure) == (24, "at_least", "killed")
    assert one("Hundreds of people were wounded.").value == 200
    assert one("Thousands of residents fled.").value == 2000
    f = one("Hamas killed some 1,400 people and took scores hostage.".replace("some 1,400 people and ", ""))
    assert (f.value, f.measure) == (40, "kidnapped")
    assert one("About a dozen people were arrested.").value == 12


def test_offsets_cover_the_phrase():
    text = "Officials said that at least 22,600 Palestinians have since been killed."
    f = one(text)
    assert text[f.start:f.end] == "at least 22,600" == f.text


def test_coordinated_figures_share_the_source():
    s = ("Israeli strikes on Gaza this month killed 248 Palestinians, including 66 children, and have wounded "
         "over 1,900 people, the Gaza health ministry says.")
    found = figs(s, [ent("Gaza", s, "GPE")])
    assert [(f.value, f.measure, f.subject) for f in found] == [
        (248, "killed", "Palestinians"), (66, "killed", "children"), (1900, "injured", "people")]
    assert {f.source for f in found} == {"Gaza Health Ministry"}
    assert {f.source_text for f in found} == {"Gaza health ministry"}
    assert {f.location for f in found} == {"Gaza"}


def test_january_2024_sentence():
    s = ("At least 22,600 Palestinians have since been killed and 57,910 injured, "
         "according to Gaza's health authorities.")
    a, b = figs(s, [ent("Gaza", s, "GPE")])
    assert (a.value, a.qualifier, a.measure, a.subject, a.source, a.source_text) == (
        22600, "at_least", "killed", "Palestinians", "Gaza Health Ministry", "Gaza's health authorities")
    assert (b.value, b.qualifier, b.measure, b.subject, b.source) == (
        57910, "exact", "injured", "Palestinians", "Gaza Health Ministry")


@pytest.mark.parametrize("text,source", [
    ("More than 15,000 people have been killed, according to the Hamas-run Ministry of Health.",
     "Gaza Health Ministry"),
    ("Health authorities in Gaza say the bombardment has killed more than 15,000 people.", "Gaza Health Ministry"),
    ("At least 900 people have been killed, the Israeli military said Monday.", "Israel Defense Forces"),
    ("Israeli police said two attackers killed three people.", "Israel Police"),
    ("It said there had been more than 9,000 fatalities, citing the Hamas-run Ministry of Health in Gaza.",
     "Gaza Health Ministry"),
    ("At least 200 people were killed, said a spokeswoman for the Gaza health ministry.", "Gaza Health Ministry"),
])
def test_sources(text, source):
    found = figs(text)
    assert found and all(f.source == source for f in found), [(f.text, f.source, f.source_text) for f in found]


def test_preposed_attribution_picks_the_nearest_speaker():
    s = "Blinken said the attack, during which Israel says Hamas killed 1,200 people and kidnapped 240, was brutal."
    found = figs(s)
    assert [(f.value, f.measure, f.source) for f in found] == [(1200, "killed", "Israel"), (240, "kidnapped", "Israel")]


def test_appositive_between_speaker_and_verb():
    s = "Health officials in Gaza, home to two million people, said the bombardment had killed more than 1,500 people."
    found = {f.value: f for f in figs(s)}
    assert found[1500].source == "Gaza Health Ministry"
    assert found[2_000_000].measure == "population"


def test_locations_do_not_mix():
    s1 = ("Two Palestinian attackers opened fire at the entrance to Jerusalem, killing at least three people and "
          "wounding eight others, Israeli police said.")
    found = figs(s1, [ent("Jerusalem", s1, "GPE")])
    assert [(f.value, f.measure, f.location) for f in found] == [
        (2, "other", "Jerusalem"), (3, "killed", "Jerusalem"), (8, "injured", "Jerusalem")]
    s2 = "Israel's bombardment of Gaza has killed more than 15,000 people."
    assert one(s2, [ent("Israel", s2, "GPE"), ent("Gaza", s2, "GPE")]).location == "Gaza"


def test_percentage_subject_and_anaphoric_place():
    s = ("The onslaught has left Gaza in ruins, with 60% of the enclave's infrastructure damaged or destroyed "
         "and nearly 2 million residents displaced.")
    a, b = figs(s, [ent("Gaza", s, "GPE")])
    assert (a.unit, a.subject, a.measure, a.location) == ("percent", "infrastructure", "damaged", "Gaza")
    assert (b.subject, b.measure, b.location) == ("residents", "displaced", "Gaza")


def test_fractions_are_ratios_not_figures():
    # docs/figures.md: multipliers and ratios report no count ("one in five" is not turned into 20%)
    assert figs("Officials said nearly two-thirds of those killed were children.") == []
    assert figs("Half of the homes were damaged.") == []


@pytest.mark.parametrize("text,modality", [
    ("Nearly 1,200 Israelis are believed to have been killed.", "hedged"),
    ("The toll could rise to 500.", "hedged"),
    ("Officials feared 30 people were trapped.", "hedged"),
    ("The army denied that 500 people were killed.", "denied"),
    ("At least 70 people were killed.", "asserted"),
])
def test_modality(text, modality):
    assert one(text).modality == modality


@pytest.mark.parametrize("text", [
    "The attack on Oct. 7 shocked the country.",
    "It happened on 7 October in the south.",
    "Since 2007, the blockade has tightened.",
    "The talks in 2023 failed.",
    "The meeting starts at 10:30 a.m. local time.",
    "He was the 4th envoy to visit.",
    "A 12-year-old boy was found.",
    "The victim, aged 80, was taken to hospital.",
    "Mr. Netanyahu, 73, now confronts failure.",
    "The truce lasted 11 days.",
    "They extended the six-day ceasefire by one more day.",
    "The fighting has gone on for three months.",
    "Arsenal won 2-1 at home.",
    "Section: A-SECTION; Pg. A01",
    "Length: 835 words",
    "The 9/11 attacks changed everything.",
    "Israel used F-16 jets.",
    "The UN passed Resolution 2712 last week.",
    "This article appeared in print on page A6.",
    "The two sides met in Cairo.",
    "One of the hostages spoke.",
    "He fought in the Second Intifada of 2000-2005.",
    "They walked about three miles.",
    "The prince, 20, apologised after the party.",
    "She hopes to run in Melbourne next March, when she will be 34.",
    "The two games entered the chart at number 14 and 15 respectively.",
    "Of the 1,000 voters polled, most backed the plan.",
    "A survey of 2,500 adults was carried out in May.",
    "After 20 or 30 years of talking, nothing changed.",
    "The region was shaken by a 6.5 magnitude earthquake.",
    "The winger, who has played in 11 of the club's last 12 games, is injured.",
    "He took his league goal tally past 120 with a brace.",
    "Machines running Windows 95, 98 or XP are at risk.",
    "The plan would raise the state pension age to 67.",
    "Leeds are nine points clear at the top of the table.",
    "The Swede finished with a 68 to be four under par.",
    "She beat Davenport 6-7 (5/7) 6-3 6-2 in the final.",
    "The holders crashed out in the last 16 in Madrid.",
    "The Wales international, 26, was hurt in training.",
    "Nine times out of 10 he scores from there.",
    "There were 19 fouls in a bad-tempered game.",
    "From 0-3 down, she broke serve twice to win the set.",
    "The squad will train at the stadium at 1330.",
    "He released the winger inside his own 22.",
    "4,102  K Jones (Kent).",
    "The game has an 18 certificate in Britain.",
    "Those were 3 happy years in Paris.",
    "The list includes a compass from 1650 and a clock from 1761.",
    "The abacus is dated to 190 A.D. by the magazine.",
    "The list includes Nokia's 6630 smartphone.",
    "The ban covers children under 16 in public places.",
    "She became an MP at 29 and a minister at 41.",
    "The plan raises the pension age for council workers from 60 to 65.",
    "The coach names his match-day 22 on Thursday.",
    "The squad plays Tests on 18 June, 2 and 9 July.",
    "It was good to see kids of 14, 15 and 16 with that passion.",
    "The pair traded 14 service breaks in the final set.",
    "By the time he was 40, he had left the band.",
    "At 31 I'm still learning.",
    "\"We are still a band,\" said Jones, 58.",
    "The station plays 60's and 70's music.",
    "Children between the ages of 11 and 16 took part.",
    "Only a third of schools at Key Stages 1, 3 and 4 met the target.",
    "Their children Anna, 12, and Tom, 9 were at home.",
    "The singer was on holiday in Spain with Maria Example, 31.",
    "Britain has the most broadband users per 100 people in Europe.",
    "A fleet costs obviously 10 times that.",
    "Under a 2001 law, the state can seize farms.",
    "He rose fast, becoming the chain's youngest manager at 19.",
    "It is the weakest since the slump back in 2000-1.",
    "She won three of the four junior Grand Slam events last year.",
    "The veteran lock, who is 35 at the end of March, will retire.",
    "Wales face England in the RBS 6 Nations opener.",
    "He has made 12 starts for the club and 40 appearances from the bench.",
    "\"I know.\" At 33, she knows time is running out.",
])
def test_not_figures(text):
    assert figs(text) == [], [(f.text, f.measure) for f in figs(text)]


def test_a_spelled_number_before_a_measure_ending_the_sentence():
    found = figs("The ministry said three Nepalis were killed and six were injured.")
    assert [(f.value, f.measure) for f in found] == [(3, "killed"), (6, "injured")]


def test_a_brands_count_of_things_is_a_figure():
    assert [f.value for f in figs("Apple's 500 stores sold 300 phones.")] == [500, 300]


def test_people_questioned_by_police_are_no_survey_sample():
    assert one("Twelve people were questioned by police.").value == 12


def test_spelled_counts_of_people_are_figures():
    assert one("Five medical workers have been killed.").value == 5
    assert one("Security forces arrested eight others.").value == 8
    assert one("Two Palestinian attackers opened fire.").subject == "attackers"
    f = one("The agency said aid would reach nine million Sudanese.")  # a nationality ending the sentence
    assert (f.value, f.unit, f.subject) == (9_000_000, "people", "Sudanese")


def test_figures_in_glued_sentences():
    found = figs("The fighting may escalate.Seven Palestinians were killed in the West Bank.")
    assert [(f.value, f.measure, f.subject) for f in found] == [(7, "killed", "Palestinians")]


def test_agents_are_not_victims():
    found = figs("Hundreds of Hamas terrorists entered Israel and slaughtered more than 1,300 civilians.")
    assert [(f.value, f.measure) for f in found] == [(200, "other"), (1300, "killed")]


def test_things_are_not_casualties():
    found = figs("Hezbollah launched some 4,000 rockets in attacks that killed 120 soldiers.")
    assert [(f.value, f.measure, f.unit) for f in found] == [(4000, "other", "count"), (120, "killed", "people")]


def test_figure_id_is_deterministic():
    a = one("At least 3 people were killed.")
    assert a.figure_id("doc", "body") == one("At least 3 people were killed.").figure_id("doc", "body")
    assert a.figure_id("doc", "body") != a.figure_id("doc", "title")


@pytest.mark.parametrize("text", [
    "World 100m champion Kim Collins spoke.",
    "Fans queued for Halo 2 and PlayStation 3 all week.",
    "Then again, 007 fanatics may also take umbrage.",
    "One in five European workers are mobile.",
    "The Six Nations championship starts soon.",
    "He beat Paradorn Srichaphan 3-6 6-4 7-6 (7/5).",
    "The show runs from 14 to 17 February in Cannes.",
    '"I am 25," he said.',
    "Hingis was 22 when she retired after surgery on both ankles.",
    "It is the 12th time that Agassi, now 34, has reached the quarter-finals.",
    "Nadal passes him down the line to go 15-40 and two set points up.",
    "The Frenchman overcame Melzer 6-7 (3-7) 6-3 6-3.",
    "Saulnier fired 19 aces to secure a win over Zib.",
])
def test_not_figures_in_general_news(text):
    assert figs(text) == [], [(f.text, f.measure) for f in figs(text)]


def test_a_range_that_looks_like_a_score_outside_sport_is_a_figure():
    f = one("Between 15-40 people were killed in the attack, officials said.")
    assert (f.value, f.value_max, f.measure) == (15, 40, "killed")
    # an age needs a person before "was ... when": a toll is no age
    assert one("The death toll was 45 when the ministry last reported, officials said.").value == 45


def test_money_units_and_scaled_ranges():
    found = figs("Games will cost between $10-25m to make, against a 7.4bn Australian dollar bid and £3bn in debt.")
    assert [(f.value, f.value_max, f.unit) for f in found] == [
        (10e6, 25e6, "usd"), (7.4e9, None, "aud"), (3e9, None, "gbp")]


def test_lives_claimed_is_a_death_toll():
    f = one("The tsunami has so far claimed at least 150,000 lives.")
    assert (f.measure, f.subject, f.unit) == ("killed", "people", "people")
    assert one("Rescuers saved 200 lives.").measure == "other"


def test_label_with_a_number_is_not_a_figure():
    assert figs("Note 12") == []
    assert [f.value for f in figs("Gaza toll hits 22,600")] == [22600]


def test_the_fast_prefilters_match_whole_words_only():
    """The figure stage skips sentences by word sets, not regexes: exact only for single-word terms."""
    from transforms.figures import _attribution_words
    from transforms.figures.candidates import any_number

    assert any_number("Twelve were hurt.") and any_number("it cost 5") and any_number("Dozens fled.")
    assert not any_number("Someone said nothing.") and not any_number("The tenth-floor flat")
    assert all(w.isalnum() for w in _attribution_words()), "a multi-word reporting verb needs a regex prefilter"
    # a sentence naming a source but no figure is still remembered for a later "they said"
    found = figs("The civil defence agency said the strike hit a school. They said 12 people were killed.")
    assert [(f.source, f.source_text) for f in found] == [("civil defence agency", "civil defence agency")]


def test_since_as_an_adverb_takes_the_window_opened_before():
    import datetime as dt

    text = ("The army has shelled the region since an uprising on Oct. 9. At least 2,400 people have since been "
            "killed, the ministry said.")
    [f] = extract_figures(text, [], published=dt.date(2023, 10, 20))
    assert (f.scope, f.period_start) == ("cumulative", dt.date(2023, 10, 9))


def test_a_part_out_of_a_counted_set():
    found = figs("Prices fell in seven out of 10 regions.")
    assert [f.value for f in found] == [7, 10]
    assert found[0].part_of == 1 and found[0].subject == found[1].subject == "regions"
