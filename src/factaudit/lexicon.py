"""Word lists: one home for each (stages import them, never copy them).

Stop words (retrieval, overlap); the attribution lexicon (reporting verbs with their inflections,
group and source nouns, concern words, hedge cues, normative and evaluative words); the nouns and
titles that denote people (certain pronoun and title resolution)."""

from __future__ import annotations

import re

__all__ = [
    "ADJ_HEDGES",
    "ADVERB_HEDGES",
    "BELIEF_FORMS",
    "CONCERN_NOUNS",
    "CONCERN_VERBS",
    "EVALUATIVE",
    "EVIDENTIAL_HEDGES",
    "FEMALE_NAMES",
    "FORECAST_HEDGES",
    "GROUP_NOUNS",
    "HUMAN_NOUNS",
    "MALE_NAMES",
    "MODAL_HEDGES",
    "NORMATIVE",
    "NOUN_HEDGES",
    "OPINION_FORMS",
    "OPINION_VERBS",
    "PASSIVE_HEDGES",
    "REPORT_FORMS",
    "SAY_FORMS",
    "SAY_VERBS",
    "SOURCE_NOUNS",
    "STOP_WORDS",
    "SUBORDINATE_MARKS",
    "TITLE_WORDS",
    "VERB_HEDGES",
]

#: English function words: left out of retrieval queries and of content-word overlap.
STOP_WORDS: frozenset[str] = frozenset(
    [
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can",
    "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further",
    "had", "has", "have", "having", "he", "her", "here", "him", "his", "how", "i", "if", "in", "into",
    "is", "it", "it's", "its", "just", "many", "may", "me", "might", "more", "most", "much", "must", "my",
    "no", "nor", "not", "of", "off", "on", "once", "only", "onto", "or", "other", "our", "out", "over",
    "own", "per", "s", "same", "shall", "she", "should", "so", "some", "such", "t", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
    "until", "up", "very", "via", "was", "we", "were", "what", "when", "where", "which", "while", "who",
    "whom", "whose", "why", "will", "with", "without", "would", "yes", "yet", "you", "your",
    ]
)



#: Neutral reporting verbs (report what someone said).
SAY_VERBS = [
    "say",
    "tell",
    "state",
    "report",
    "announce",
    "add",
    "note",
    "explain",
    "write",
    "confirm",
    "reveal",
    "disclose",
    "declare",
    "describe",
    "mention",
    "observe",
    "remark",
    "reply",
    "respond",
    "testify",
    "acknowledge",
    "admit",
    "concede",
    "deny",
    "agree",
    "disagree",
    "tweet",
    "boast",
    "brag",
    "recall",
    "confess",
    "point_out",
]
#: Reporting verbs that present an opinion, belief, or contested view.
OPINION_VERBS = [
    "argue",
    "believe",
    "think",
    "feel",
    "contend",
    "maintain",
    "insist",
    "emphasize",
    "emphasise",
    "assert",
    "stress",
    "claim",
    "suggest",
    "warn",
    "fear",
    "worry",
    "predict",
    "expect",
    "estimate",
    "hope",
    "doubt",
    "question",
    "allege",
    "accuse",
    "caution",
    "urge",
    "recommend",
    "speculate",
    "propose",
    "reckon",
    "consider",
    "suspect",
    "criticize",
    "criticise",
    "praise",
    "forecast",
    "project",
    "anticipate",
    "rumour",
    "rumor",
]
_IRREGULAR = {
    "say": ["said", "says", "saying"],
    "tell": ["told", "tells", "telling"],
    "think": ["thought", "thinks", "thinking"],
    "feel": ["felt", "feels", "feeling"],
    "write": ["wrote", "written", "writes", "writing"],
    "speak": ["spoke", "spoken", "speaks", "speaking"],
    "quip": ["quipped", "quips", "quipping"],
}


def _inflect(verb: str) -> set[str]:
    if verb in _IRREGULAR:
        return {verb, *_IRREGULAR[verb]}
    forms = {verb}
    if verb.endswith("e"):
        forms |= {verb + "s", verb + "d", verb[:-1] + "ing"}
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    elif verb.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {verb + "es", verb + "ed", verb + "ing"}
    else:
        forms |= {verb + "s", verb + "ed", verb + "ing"}
        if re.search(r"[^aeiou][aeiou][bdgmnprt]$", verb) and verb not in {"question", "consider"}:
            forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return forms


def _forms(verbs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in verbs:
        if "_" in v:
            continue
        for f in _inflect(v):
            out.setdefault(f, v)
    return out


SAY_FORMS = _forms(SAY_VERBS)
OPINION_FORMS = _forms(OPINION_VERBS)
REPORT_FORMS = {**SAY_FORMS, **OPINION_FORMS}
#: Verbs by which an author narrates someone speaking without reporting what they said ("He summed up
#: his briefing by ...", "Trump did not mince words when voicing ..."): a frameless quotation
#: paragraph right after such a sentence is the speaker's.
SPEECH_ACT_FORMS = frozenset(_forms([
    "sum", "voice", "refer", "challenge", "urge", "announce", "declare", "address", "speak", "mince",
    "deliver", "conclude", "respond", "reply", "lash", "slam", "blast", "quip", "joke", "rail", "plead",
    "appeal", "vow",
]))
#: Line labels of an interviewer's turn, who is the author ("Me: Air? Air is not there?", "Q: ...").
INTERVIEWER_LABELS = frozenset({"me", "q", "interviewer", "question"})
#: Lower-case words a Title Case heading may hold ("Avoiding Arrest for Illicit Drug Use").
HEADING_SMALL_WORDS = frozenset(["a", "an", "the", "of", "for", "to", "in", "on", "at", "by", "and", "or",
                                 "with", "from"])

#: Nouns that, as a holder's head, make it an unnamed group.
#: Head nouns of organisations and bodies ("the commission", "the Labour Party"): never a he or a
#: she, and what an "it" can stand for when one is already speaking.
BODY_NOUNS = frozenset(
    {"commission", "committee", "company", "firm", "corporation", "government", "ministry", "department",
     "office", "agency", "bank", "fund", "union", "council", "board", "group", "regulator", "watchdog",
     "organisation", "organization", "association", "party", "court", "panel", "university", "college",
     "school", "hospital", "exchange"}
)

GROUP_NOUNS = set(
    [
        "critic",
        "supporter",
        "expert",
        "analyst",
        "observer",
        "official",
        "source",
        "skeptic",
        "sceptic",
        "proponent",
        "opponent",
        "advocate",
        "commentator",
        "scientist",
        "researcher",
        "economist",
        "insider",
        "investor",
        "activist",
        "lawmaker",
        "politician",
        "people",
        "many",
        "some",
        "others",
        "someone",
        "experts",
        "observers",
        "detractor",
        "fan",
        "defender",
        "believer",
        "campaigner",
        "environmentalist",
        "pundit",
        "watcher",
        "specialist",
        "authority",
        "authorities",
        "industry",
        "insiders",
        "residents",
        "users",
        "customers",
        "employees",
        "staff",
        "sources",
        "diplomat",
        "diplomats",
        "officials",
    ]
)
GROUP_NOUNS |= {g + "s" for g in list(GROUP_NOUNS)}
#: Vague documentary sources ("a study", "reports") — unnamed, too.
SOURCE_NOUNS = set(
    [
        "report",
        "reports",
        "study",
        "studies",
        "survey",
        "research",
        "analysis",
        "document",
        "documents",
        "paper",
    ]
)
#: Nouns of a report with no source named: "There are reports that ..." is held by no one named.
REPORT_NOUNS = frozenset({"report", "reports", "suggestion", "suggestions", "talk", "indications"})
#: Nouns whose raising/voicing without an agent makes an agentless attribution.
CONCERN_NOUNS = set(
    [
        "concern",
        "concerns",
        "question",
        "questions",
        "fear",
        "fears",
        "doubt",
        "doubts",
        "worry",
        "worries",
        "claim",
        "claims",
        "allegation",
        "allegations",
        "suspicion",
        "suspicions",
        "criticism",
        "criticisms",
        "speculation",
        "warnings",
        "warning",
        "rumour",
        "rumours",
        "rumor",
        "rumors",
    ]
)
CONCERN_VERBS = set(
    [
        "raise",
        "raised",
        "raises",
        "voice",
        "voiced",
        "express",
        "expressed",
        "spark",
        "sparked",
        "sparks",
        "prompt",
        "prompted",
        "trigger",
        "triggered",
        "fuel",
        "fuelled",
        "fueled",
        "draw",
        "drawn",
        "drew",
        "provoke",
        "provoked",
        "stoke",
        "stoked",
        "arise",
        "arises",
        "arose",
        "grow",
        "grows",
        "grew",
        "mount",
        "mounts",
        "mounted",
        "emerge",
        "emerged",
        "linger",
        "lingers",
        "remain",
        "remains",
        "persist",
        "persists",
    ]
)
MODAL_HEDGES = {"may", "might", "could"}
ADVERB_HEDGES = set(
    [
        "potentially",
        "possibly",
        "perhaps",
        "probably",
        "likely",
        "maybe",
        "conceivably",
        "presumably",
        "arguably",
        "seemingly",
        "apparently",
        "plausibly",
    ]
)
EVIDENTIAL_HEDGES = set(["reportedly", "allegedly", "supposedly", "purportedly", "ostensibly", "rumoredly"])
ADJ_HEDGES = set(
    [
        "potential",
        "possible",
        "alleged",
        "likely",
        "probable",
        "purported",
        "suspected",
        "apparent",
        "unconfirmed",
    ]
)
VERB_HEDGES = _forms(["appear", "seem", "indicate", "tend", "speculate", "suggest", "allege"])
#: Verbs that present what follows as a belief or a forecast ("analysts expect Jet to raise ...",
#: "he believes the Electoral College is outdated"): a hedge on the content they govern.
FORECAST_HEDGES = _forms(
    ["expect", "believe", "predict", "forecast", "anticipate", "estimate", "suspect", "fear", "hope"]
)
#: Passive evidentials: "is expected to", "was seen as", "is said to be", "is believed to".
PASSIVE_HEDGES = {
    "expected", "seen", "believed", "thought", "said", "reported", "understood", "rumoured", "rumored",
    "feared", "considered", "alleged", "estimated", "predicted", "tipped", "set",
}
#: Nouns that present what follows as unconfirmed.
NOUN_HEDGES = {"speculation", "allegation", "allegations", "rumour", "rumours", "rumor", "rumors"}
#: First-person belief verbs: "I think", "I don't think", "we believe".
BELIEF_FORMS = {"think", "believe", "suspect", "guess", "reckon", "feel"}
NORMATIVE = {"should", "must", "ought"}
EVALUATIVE = set(
    [
        "important",
        "imperative",
        "crucial",
        "essential",
        "vital",
        "necessary",
        "undeniable",
        "remarkable",
        "notable",
        "impressive",
        "unfortunate",
        "commendable",
        "troubling",
        "worrying",
        "concerning",
        "beneficial",
        "detrimental",
        "dangerous",
        "instrumental",
        "good",
        "bad",
        "best",
        "worst",
        "wrong",
        "right",
        "fair",
        "unfair",
        "key",
        "critical",
        "shameful",
        "disgraceful",
        "outrageous",
        "ridiculous",
        "absurd",
        "appalling",
        "disgusting",
        "unacceptable",
        "terrible",
        "horrible",
        "wonderful",
        "amazing",
        "tragic",
        "pathetic",
        "scandalous",
        "despicable",
        "deplorable",
        "admirable",
        "laudable",
        "regrettable",
    ]
)
SUBORDINATE_MARKS = {"while", "although", "though", "whereas", "as", "since", "because", "if"}

#: Nouns that denote a person: a "he" or "she" may refer to "the senator" as well as to a name.
HUMAN_NOUNS = frozenset(
    """
    man men woman women boy girl child children person people father mother son daughter wife
    husband brother sister uncle aunt parent parents friend friends senator senators president
    presidents governor governors mayor minister ministers secretary chairman chairwoman chair
    spokesman spokeswoman spokesperson official officials leader leaders candidate candidates
    nominee nominees lawmaker lawmakers congressman congresswoman representative representatives
    judge judges lawyer lawyers attorney attorneys prosecutor prosecutors officer officers soldier
    soldiers veteran veterans general commander director directors chief executive executives ceo
    founder owner manager managers worker workers employee employees student students teacher
    teachers professor doctor doctors nurse patient victim victims suspect suspects witness
    witnesses protester protesters activist activists voter voters supporter supporters critic
    critics reporter reporters journalist journalists editor author writer host anchor analyst
    analysts expert experts economist economists adviser advisers advisor advisors aide aides
    ambassador diplomat king queen prince princess pope priest bishop player players coach star
    singer actor actress rapper musician artist resident residents citizen citizens immigrant
    immigrants refugee refugees officer-elect president-elect businessman businesswoman billionaire
    millionaire entrepreneur investor investors donor donors member members mp mps peer chancellor
    premier
    """.split()  # noqa: SIM905 - a word list reads better as text
)


#: Singular titles "the <title> said" may stand for a person the article named with that title.
TITLE_WORDS = frozenset(
    """minister president secretary chancellor governor senator mayor chairman chairwoman chair
    spokesman spokeswoman spokesperson director chief executive ceo leader premier ambassador judge
    commissioner speaker treasurer prosecutor attorney general commander founder owner coach
    president-elect cardinal archbishop bishop pope rabbi imam""".split()  # noqa: SIM905 - a word list reads better as text
)


#: Common English given names with their usual gender: a he never resolves to "Michelle Obama" nor
#: a she to "John Smith" (used only to refuse a disagreeing candidate, never to pick one).
FEMALE_NAMES = frozenset(
    """mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret
    sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah stephanie rebecca
    sharon laura cynthia kathleen amy shirley angela helen anna brenda pamela nicole emma samantha
    katherine christine debra rachel catherine carolyn janet ruth maria heather diane virginia julie
    joyce victoria olivia kelly christina lauren joan evelyn judith megan cheryl andrea hannah martha
    jacqueline frances gloria ann teresa kathryn sara janice jean alice madison doris abigail julia
    judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany natalie
    isabella charlotte rose alexis kayla hillary theresa nicola angela kamala nancy condoleezza
    melania ivanka chelsea sonia elena harriet yvette cathy tessa jacqui margaret hazel
    clare caroline jackie gillian""".split()  # noqa: SIM905 - a word list reads better as text
)
MALE_NAMES = frozenset(
    """james robert john michael david william richard joseph thomas charles christopher daniel matthew
    anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward
    jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin
    samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan
    henry douglas zachary peter kyle ethan walter noah jeremy christian keith roger terry gerald harold
    sean austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel logan albert
    willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip louis
    barack mike mitt ted rand marco bernie newt rudy reince steve jeb ben chris tony gordon boris
    nigel vladimir xi emmanuel jared rex jim tim bill""".split()  # noqa: SIM905
)
