"""Word lists for merging entity names across articles: titles, country aliases and demonyms,
capitals that stand for their governments, and metonyms ("the Kremlin", "Downing Street").

Kept small and hand-checked: a name missing here is kept as written, never guessed.
"""

from __future__ import annotations

from typing import Final

#: Words before a name that are not part of it ("Mr Musk", "President Bush", "Prime Minister Tony Blair").
TITLES: Final = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend president vice prime
    minister pm chancellor secretary senator sen rep representative governor gov mayor judge justice
    king queen prince princess sheikh general gen colonel col captain capt chairman chairwoman chief
    executive premier commissioner ambassador pope cardinal archbishop bishop father saint st deputy
    leader foreign home health finance trade defence defense education culture interior energy
    shadow former late""".split()  # noqa: SIM905 - a word list reads better as text
)
#: Name suffixes that tell people apart ("George Bush senior").
SUFFIXES: Final = {
    "jr": "jr",
    "junior": "jr",
    "sr": "sr",
    "snr": "sr",
    "senior": "sr",
    "ii": "ii",
    "iii": "iii",
    "iv": "iv",
}

#: Country name (key) → its aliases and demonyms (all lower case).
_COUNTRIES: Final[dict[str, tuple[str, ...]]] = {
    "united states": (
        "us",
        "u s",
        "usa",
        "u s a",
        "america",
        "united states of america",
        "the us",
        "american",
        "americans",
        "the united states",
    ),
    "united kingdom": ("uk", "u k", "britain", "great britain", "british", "the uk", "briton", "britons"),
    "china": ("chinese", "prc", "people's republic of china", "mainland china"),
    "russia": ("russian", "russians", "russian federation"),
    "france": ("french",),
    "germany": ("german", "germans"),
    "italy": ("italian", "italians"),
    "spain": ("spanish",),
    "japan": ("japanese",),
    "india": ("indian", "indians"),
    "pakistan": ("pakistani", "pakistanis"),
    "iran": ("iranian", "iranians"),
    "iraq": ("iraqi", "iraqis"),
    "israel": ("israeli", "israelis"),
    "syria": ("syrian", "syrians"),
    "afghanistan": ("afghan", "afghans"),
    "north korea": ("north korean", "n korea", "dprk"),
    "south korea": ("south korean", "s korea"),
    "ukraine": ("ukrainian", "ukrainians"),
    "turkey": ("turkish", "turkiye"),
    "saudi arabia": ("saudi", "saudis"),
    "egypt": ("egyptian",),
    "australia": ("australian", "australians"),
    "canada": ("canadian", "canadians"),
    "mexico": ("mexican", "mexicans"),
    "brazil": ("brazilian",),
    "ireland": ("irish", "republic of ireland"),
    "netherlands": ("dutch", "holland", "the netherlands"),
    "sweden": ("swedish",),
    "norway": ("norwegian",),
    "poland": ("polish",),
    "greece": ("greek",),
    "switzerland": ("swiss",),
    "south africa": ("south african",),
    "nigeria": ("nigerian",),
    "zimbabwe": ("zimbabwean",),
    "kenya": ("kenyan",),
    "cuba": ("cuban",),
    "venezuela": ("venezuelan",),
    "taiwan": ("taiwanese",),
    "indonesia": ("indonesian",),
    "european union": ("eu", "e u", "the eu"),
    "united nations": ("un", "u n", "the un"),
}
#: Alias or demonym → country key.
COUNTRY_OF: Final[dict[str, str]] = {
    alias: name for name, aliases in _COUNTRIES.items() for alias in (name, *aliases)
}

#: Capitals (and other seats of power) that news uses for the government ("Washington warned").
CAPITALS: Final[dict[str, str]] = {
    "washington": "united states",
    "beijing": "china",
    "moscow": "russia",
    "tehran": "iran",
    "pyongyang": "north korea",
    "tokyo": "japan",
    "london": "united kingdom",
    "paris": "france",
    "berlin": "germany",
    "new delhi": "india",
    "delhi": "india",
    "islamabad": "pakistan",
    "kabul": "afghanistan",
    "baghdad": "iraq",
    "damascus": "syria",
    "ankara": "turkey",
    "kiev": "ukraine",
    "kyiv": "ukraine",
    "seoul": "south korea",
    "taipei": "taiwan",
    "havana": "cuba",
    "riyadh": "saudi arabia",
    "brussels": "european union",
}
#: Names that always mean a government, whatever the sentence ("the Kremlin", "Whitehall").
GOVERNMENT_METONYMS: Final[dict[str, str]] = {
    "white house": "united states",
    "kremlin": "russia",
    "downing street": "united kingdom",
    "number 10": "united kingdom",
    "no 10": "united kingdom",
    "whitehall": "united kingdom",
    "elysee": "france",
    "élysée": "france",
    "zhongnanhai": "china",
}
#: Group heads that make "the Chinese government" a government rather than a group of people.
GOVERNMENT_HEADS: Final = frozenset(
    {"government", "governments", "administration", "authorities", "regime", "cabinet"}
)

#: A word right after a capital's name that makes it an actor ("Washington said", "Beijing has").
ACTOR_WORDS: Final = frozenset(
    """said says say has have had is was will would wants want wanted warned warns warn accused accuses
    insisted insists urged urges believes believe fears fear hopes hope claims claimed denied denies
    rejected rejects welcomed welcomes condemned condemns threatened threatens announced announces
    imposed imposes agreed agrees refused refuses demanded demands must should could may might can
    did does sees views opposed opposes backed backs supports supported blamed blames protested
    protests responded responds argued argues insisted maintains maintained signalled signaled
    pressed presses considers considered plans planned""".split()  # noqa: SIM905 - a word list reads better as text
)
#: Nouns after a capital's possessive that make it the government ("Washington's policy").
POLICY_WORDS: Final = frozenset(
    """policy policies stance position decision decisions demands demand relations relationship ally
    allies approach strategy plan plans position response sanctions pressure support opposition
    concerns objections officials government administration""".split()  # noqa: SIM905 - a word list reads better as text
)
#: A word right before a place name that makes it the place ("in Washington", "visit to Moscow").
PLACE_WORDS: Final = frozenset(
    """in at to from near outside around across into inside visit visited visiting via through""".split()  # noqa: SIM905 - a word list reads better as text
)
#: Organisation suffixes dropped for matching ("Tesla Inc" = "Tesla").
ORG_SUFFIXES: Final = frozenset(
    """inc incorporated ltd limited plc corp corporation co llc ag sa group""".split()  # noqa: SIM905 - a word list reads better as text
)
#: A last word that makes a "person" the spaCy model found an organisation ("… Presidential Center").
ORG_WORDS: Final = frozenset(
    """center centre foundation library museum university college institute school hospital trust fund
    council committee party association society company corporation airport stadium""".split()  # noqa: SIM905 - a word list reads better as text
)
