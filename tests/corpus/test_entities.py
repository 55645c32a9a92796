"""Entity senses and cross-article person merging (the hard cases the issue names)."""

from __future__ import annotations

from factaudit.corpus.entities import PersonMerger, Sense, mention_sense, name_tokens


def sense_of(text: str, mention: str, etype: str = "country", name: str | None = None) -> Sense | None:
    start = text.index(mention)
    return mention_sense(text, start, start + len(mention), name or mention, etype)


def test_washington_city_state_and_government_are_told_apart() -> None:
    assert sense_of("Washington has warned its allies.", "Washington") == Sense("government", "united states")
    assert sense_of("Washington's policy on Iran has changed.", "Washington") == Sense(
        "government", "united states"
    )
    assert sense_of("A marathon in Washington drew 30,000 runners.", "Washington") == Sense(
        "place", "washington dc"
    )
    assert sense_of("Wildfires in Washington state burned 4,000 acres.", "Washington") == Sense(
        "place", "washington state"
    )
    assert sense_of("He moved to the state of Washington in 1990.", "Washington") == Sense(
        "place", "washington state"
    )
    assert sense_of("Denzel Washington starred in the film.", "Denzel Washington", "person") == Sense(
        "person", "denzel washington"
    )


def test_countries_and_their_governments_stay_apart() -> None:
    china = sense_of("China is the largest market.", "China")
    government = sense_of("The Chinese government approved it.", "Chinese government", "group")
    beijing = sense_of("Beijing has criticised the sanctions.", "Beijing")
    assert china == Sense("place", "china")
    assert government == beijing == Sense("government", "china")
    assert sense_of("The US government said no.", "US government", "group") == Sense(
        "government", "united states"
    )
    assert sense_of("Officials from the Kremlin met.", "Kremlin", "organisation") == Sense(
        "government", "russia"
    )
    assert sense_of("Trade with the US grew.", "US") == sense_of("Trade with America grew.", "America")


def test_an_administration_is_a_government_not_its_president() -> None:
    assert sense_of("The Bush administration has taken a harsh line.", "Bush", "person") == Sense(
        "government", "bush administration"
    )
    assert sense_of("President Bush has taken a harsh line.", "President Bush", "person") == Sense(
        "person", "bush"
    )


def test_titles_punctuation_and_groups_normalise() -> None:
    assert name_tokens("Mr. Musk’s") == ["mr", "musk"]
    assert sense_of("Mr. Musk declined.", "Mr. Musk", "person") == Sense("person", "musk")
    assert sense_of("President George W. Bush spoke.", "President George W. Bush", "person") == Sense(
        "person", "george w bush"
    )
    assert sense_of("Russian energy companies signed.", "Russian energy companies", "group") == Sense(
        "group", "russia energy company"
    )
    assert (
        sense_of(
            "The George W. Bush Presidential Center opened.", "George W. Bush Presidential Center", "person"
        ).kind
        == "organisation"
    )  # type: ignore[union-attr]


def test_people_merge_across_articles_but_different_bushes_do_not() -> None:
    m = PersonMerger()
    for i in range(10):
        m.add("george w bush", f"w{i}")
    m.add("george bush", "g1")
    m.add("george h w bush", "h1")
    m.add("bush", "s1")
    m.add("elon musk", "e1")
    m.add("musk", "e2")
    m.add("laura bush", "l1")
    out = m.resolve()
    assert out[("george bush", "g1")] == "george bush"  # W or H W: which one is not certain
    assert out[("george h w bush", "h1")] == "george h w bush"
    assert out[("musk", "e2")] == "elon musk"
    assert out[("bush", "s1")] == "george w bush"  # 10 of the 13 articles naming a Bush in full (≥ 0.75)
    assert out[("laura bush", "l1")] == "laura bush"


def test_a_shared_surname_with_no_dominant_full_name_stays_a_surname() -> None:
    m = PersonMerger()
    for k, art in [("george w bush", "a"), ("jeb bush", "b"), ("laura bush", "c"), ("bush", "d")]:
        m.add(k, art)
    assert m.resolve()[("bush", "d")] == "bush"


def test_a_name_without_middle_initial_joins_only_an_unambiguous_variant() -> None:
    m = PersonMerger()
    for k in ("george w bush", "george h w bush", "george bush"):
        m.add(k, k)
    assert m.resolve()[("george bush", "george bush")] == "george bush"  # W or H W: left apart


def test_a_bare_surname_follows_its_article_context() -> None:
    m = PersonMerger()
    for i in range(5):  # Gordon Brown's articles name Tony Blair and Labour
        m.add("gordon brown", f"g{i}", {"person:gordon brown", "person:tony blair", "organisation:labour"})
    for i in range(4):  # Dan Brown's name his novel's publisher
        m.add("dan brown", f"d{i}", {"person:dan brown", "organisation:random house"})
    m.add("brown", "x", {"person:brown", "person:tony blair"})
    m.add("brown", "y", {"person:brown", "organisation:random house"})
    m.add("brown", "z", {"person:brown"})
    out = m.resolve()
    assert out[("brown", "x")] == "gordon brown"
    assert out[("brown", "y")] == "dan brown"
    assert out[("brown", "z")] == "brown"  # no context and no dominant Brown: left a surname


def test_ner_slips_are_caught() -> None:
    assert sense_of("Mines remain in the bush, he said.", "bush", "person") is None
    assert sense_of("Liggett Group and Brown and Williamson were accused.", "Brown", "person") == Sense(
        "organisation", "brown and williamson"
    )
    assert sense_of("It sells 60% to the United States.", "United States", "group") == Sense(
        "place", "united states"
    )
    assert sense_of("Americans voted.", "Americans", "group") == Sense("group", "united states")
