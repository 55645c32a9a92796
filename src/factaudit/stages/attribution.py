"""Attribution and hedging, per clause: who asserts what, with which reporting verb and hedges.

Reads the parse cached by the segment stage. A sentence becomes one assertion per reporting
clause ("Critics argue X, while supporters believe Y" gives two, with two holders); a sentence with
no reporting verb is asserted by the author. Holders are classified as the author, a named person
or organisation (spaCy NER), an unnamed group ("critics", "some experts", "a study"), or agentless
("concerns are raised", "it is believed"). Pronoun holders ("they argue") resolve to the latest
group or person that held a statement. Identical statements are merged, keeping every span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..document import Article, Assertion, Holder, Sentence, Span
from ..hedging import has_content_clause, hedges_in, modality_of
from ..lexicon import (
    CONCERN_NOUNS,
    CONCERN_VERBS,
    INTERVIEWER_LABELS,
    OPINION_FORMS,
    REPORT_FORMS,
    REPORT_NOUNS,
    SPEECH_ACT_FORMS,
    SUBORDINATE_MARKS,
)
from ..models.nlp import article_words, get_nlp, text_length
from ..reference import (
    PERSONAL_PRONOUNS,
    People,
    opens_title,
    preceding_docs,
    quoted_tokens,
)
from . import BaseStage
from ._holders import MEDIA_NAME, Refs, author, holder_of

_LETTERS = re.compile(r"[^\W\d_]{2,}")
_EDGE_TRIM = {"punct", "cc", "mark", "prep"}


@dataclass
class _Clause:
    tokens: set[int]
    holder: Holder
    verb: str | None
    category: str  # say | opinion | agentless | author
    content: tuple[int, int] | None = None  # token range of the asserted content
    whole: bool = False
    #: The reporting verb stands inside a quotation: a report within someone's quoted words.
    in_quote: bool = False
    #: The reporting verb's subject word ("statement" in "Mr Crosby's statement said").
    subject: str | None = None


class AttributionStage(BaseStage):
    """One assertion per reporting clause, each with its holder, reporting verb, hedges and modality.

    Reads in three passes: each sentence's clauses in reading order (pronoun holders look back);
    quotations before their attribution in the same paragraph; then the assertions, merged where
    the article repeats a statement.
    """

    name = "attribution"
    requires: tuple[str, ...] = ("blocks", "sentences", "nlp")
    assigns: tuple[str, ...] = ("assertions",)

    def warm_up(self) -> None:
        get_nlp()

    def __call__(self, article: Article) -> Article:
        if not article.auditable:
            article.skipped.append("attribution: skipped (unsupported language)")
            return article
        blocks = {b.id: b for b in article.blocks}
        assertions: list[Assertion] = []
        by_key: dict[str, Assertion] = {}
        recent: list[Holder] = []
        people = People.of(article)
        before = preceding_docs(article)
        order = {b.id: i for i, b in enumerate(article.blocks)}
        #: The speaker of the latest quotation and the index of its block: a quotation that runs on
        #: into the next paragraphs (each opening with a quote mark) is still theirs.
        speaker: tuple[Holder, int] | None = None
        document: Holder | None = None
        #: The handle of an embedded tweet being read, and where it starts.
        tweet: tuple[Holder, int] | None = None
        #: The speaker of the transcript turn being read ("NAME: ...") and its block.
        turn: tuple[Holder, str] | None = None
        # Pass 1, in reading order: each sentence's clauses (pronoun holders look back at earlier ones).
        rows: list[tuple[Sentence, Any, Any, list[_Clause], bool]] = []
        #: The block whose question sentence's frame set the speaker (its narration came before it).
        asked_in: str | None = None
        for sent in article.sentences:
            block = blocks[sent.block_id]
            if block.kind in ("question", "reference", "aside"):
                continue
            if sent.text.rstrip().endswith("?") or not _LETTERS.search(sent.text):
                if _opens_turn(article, sent, block):
                    # "DT: Why does everyone ...? No one in my house ever said that.": the question
                    # is no statement, but its label still opens the turn.
                    speaker, turn = _turn_at(sent.text, block.id, order[block.id], speaker, turn)
                elif (asker := self._question_speaker(article, sent, recent, people, before, document)):
                    # 'Massoud Shadjareh ... said: "What sort of homecoming is this? They are innocent
                    # people."': the question is no statement, but its frame opens the quotation.
                    speaker = (asker, order[block.id])
                    asked_in = sent.block_id
                continue
            refs = Refs(people, before.get(block.id, []), speaker[0] if speaker else None,
                         article.text[: sent.start], document)
            span = _sentence_span(article, sent)
            clauses = self._clauses(span, recent, refs) if span is not None else []
            quoted = span is not None and _mostly_quoted(span, block.text, sent.start - block.start)
            reporting = [c for c in clauses if c.category != "author"]
            if quoted and reporting and all(c.in_quote for c in reporting):
                # "He boasts that he will take our oil" (or "if we can all agree on ...") inside
                # someone's quotation is their claim.
                clauses = []
            talker = None
            if clauses and span is not None and any(c.category in ("say", "opinion") for c in clauses):
                speaking = [c for c in clauses if c.holder.kind in ("named", "unnamed_group")]
                # The one whose clause holds the quotation, when one does: after "Shortly after the
                # moderator told Pence ..., the governor said, “...", the quote runs on as his.
                qt = quoted_tokens(span.doc)
                speaking.sort(key=lambda c: -len(c.tokens & qt) if c.tokens else 0)
                talker = speaking[0].holder if speaking else None
                opens_quote = bool(speaking) and bool(speaking[0].tokens & qt)
                if talker is not None and (not talker.unresolved or opens_quote):
                    # An unresolved speaker still holds the quotation it opens ("the governor").
                    speaker = (talker, order[block.id])
            if talker is None and span is not None and not quoted:
                # "He summed up his press briefing by challenging congress ..." / "Trump did not mince
                # words when voicing his contempt ...": the author narrates a named person speaking, and
                # the quotation paragraph that follows with no frame of its own is theirs.
                narrator = (self._narrated_speaker(span, recent, refs)
                            or self._colon_speaker(span, recent, refs))
                if narrator is not None:
                    speaker = (narrator, order[block.id])
            line_start = _opens_turn(article, sent, block)
            label = _speaker_label(sent.text) if line_start else None
            handle = _HANDLE.match(sent.text)
            if handle:
                tweet = (Holder(kind="named", name=handle.group(1)), sent.start)
            elif tweet is not None and "\n" in article.text[tweet[1] : sent.start]:
                tweet = None
            if tweet is not None and span is not None and all(c.holder.kind == "author" for c in clauses):
                # An embedded tweet ("@realDonaldTrump I gave millions of dollars to ...") and the rest
                # of its line are its author's.
                clauses = [_said_by(tweet[0], span, "(tweet)")]
            if line_start:
                speaker, turn = _turn_at(sent.text, block.id, order[block.id], speaker, turn)
            if label is None and turn is not None and turn[1] != block.id and (
                line_start or sent.start == block.start
            ):
                # A transcript turn runs on into the next unlabelled paragraph spoken in the same
                # voice ("So, those emails ... that we have published"); anything else ends it.
                turn = (turn[0], block.id) if sent.start == block.start and _in_voice(block.text) else None
            if turn is not None and span is not None and all(
                c.holder.kind == "author" for c in clauses
            ):
                # The rest of a transcript turn ("JULIAN ASSANGE: Well, WikiLeaks has become ...").
                clauses = [_said_by(turn[0], span, None)]
            j = len(rows) - 1
            while j >= 0 and rows[j][1] is block and rows[j][4] and not rows[j][3]:
                j -= 1  # the quotation's own earlier sentences
            narrated_before = j >= 0 and rows[j][1] is block and not rows[j][4] and all(
                c.holder.kind == "author" for c in rows[j][3]
            )
            if (
                not clauses
                and span is not None
                and (quoted or label)
                and speaker is not None
                and order[block.id] - speaker[1] <= 2
                and (label or not narrated_before or asked_in == block.id)
            ):
                # (Not a quotation after the author's own words in its paragraph: "We asked him
                # if ... “I am still undecided.”" is the asked person's; see pass 2.)
                # A quotation running on from an attributed one, or a transcript turn
                # ("JUAN GONZÁLEZ: ..."), belongs to its speaker.
                clauses = [_said_by(speaker[0], span, "(continued quotation)" if not label else None)]
            recent.extend(c.holder for c in clauses if c.holder.kind in ("named", "unnamed_group"))
            rows.append((sent, block, span, clauses, quoted))
            spoke = [c for c in clauses if c.holder.kind in ("named", "unnamed_group")]
            if spoke:
                doc_clause = next((c for c in spoke if c.subject in _DOCUMENT_HEADS), None)
                document = doc_clause.holder if doc_clause is not None else None
        # Pass 2: a quoted sentence before its attribution in the same paragraph ("“A. B,” Cruz
        # said." — "A." is Cruz's too).
        for i, (sent, block, span, clauses, quoted) in enumerate(rows):
            continued = len(clauses) == 1 and clauses[0].holder.resolved_from == "(continued quotation)"
            if (clauses and not continued) or not quoted or span is None:
                continue
            for n, later in enumerate(rows[i + 1 :], start=i + 1):
                if later[1] is not block:
                    break
                if later[3] and later[2] is not None and (
                    (_has_quote(later[2]) and (later[4] or _opens_in_quote(later[2])))
                    # "“... okay?” he said.": the frame split off after a question mark
                    or (_only_a_frame(later[2]) and rows[n - 1][0].text.rstrip().endswith(("”", '"')))
                ):
                    # (not a sentence of its own that only quotes a phrase: after Brown's "“...”", the
                    # next speaker's 'Lord Hattersley said his first reaction was “immense sadness”'
                    # does not take the quotation before it)
                    held = next(
                        (c.holder for c in later[3] if c.holder.kind in ("named", "unnamed_group")), None
                    )
                    if held is not None and not held.unresolved:
                        rows[i] = (sent, block, span, [_said_by(held, span, "(quotation)")], quoted)
                    break
                if not later[4]:
                    break
            if rows[i][3]:
                continue
            # "We caught up with Cruz and asked him if ... “I am still undecided ...”": the answer
            # quoted right after the author's question is the asked person's.
            k = i - 1
            prev = rows[k][3] if k >= 0 and rows[k][1] is block else []
            if len(prev) == 1 and prev[0].holder.resolved_from == "(answer)":
                rows[i] = (sent, block, span, [_said_by(prev[0].holder, span, "(answer)")], quoted)
                continue
            while k >= 0 and rows[k][1] is block and rows[k][4] and not rows[k][3]:
                k -= 1
            if k >= 0 and rows[k][1] is block and rows[k][2] is not None and not rows[k][4]:
                asked = _asked_person(rows[k][2], people)
                if asked is not None:
                    rows[i] = (sent, block, span, [_said_by(asked, span, "(answer)")], quoted)
        # Pass 3: assertions.
        for sent, block, span, clauses, _ in rows:
            context = None
            if block.kind == "answer" and block.question_id:
                context = blocks[block.question_id].text
            todo: list[_Clause | None] = list(clauses) or [None]
            for clause in todo:
                a = self._make_assertion(article, sent, span, clause, context, len(assertions) + 1)
                if a is None:
                    continue
                key = re.sub(r"[\W_]+", " ", a.text.casefold()).strip()
                if key in by_key:
                    by_key[key].occurrences.append(Span(a.start, a.end))
                    continue
                # A repeated block (merged by segment) repeats each of its statements.
                for dup in block.duplicates:
                    off = dup.start - block.start
                    a.occurrences.append(Span(a.start + off, a.end + off))
                by_key[key] = a
                assertions.append(a)
        article.assertions = assertions
        return article

    # -- clause analysis ---------------------------------------------------------------------

    def _clauses(self, span: Any, recent: list[Holder], refs: Refs) -> list[_Clause]:
        reporters: list[tuple[Any, Any]] = []  # (verb token, subject token or None)
        agentless: list[tuple[Any, str]] = []
        according: list[Any] = []
        #: A passive report naming its source ("Boeing is reported by Reuters to have won"): (verb, agent).
        reported_by: list[tuple[Any, Any]] = []
        #: Verb index → the one quoted, where the verb's subject only carries the words ("the Post
        #: quotes a senior official as saying"): the official speaks, the Post is the medium.
        speaker_of: dict[int, Any] = {}
        in_quotes = quoted_tokens(span.doc)
        for tok in span:
            low = tok.lower_
            if low in ("quotes", "quoted", "quote", "quoting") and tok.pos_ == "VERB" and (
                tok.i not in in_quotes
            ):
                obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
                saying = any(
                    c.dep_ == "prep" and c.lower_ == "as" and any(g.lower_ in _SAYING for g in c.children)
                    for c in tok.children
                )
                if obj is not None and saying:
                    speaker_of[tok.i] = obj
                    subj = next((c for c in tok.children if c.dep_ == "nsubj"), obj)
                    reporters.append((tok, subj))
                    continue
            if low == "according" and tok.i + 1 < span.end and tok.doc[tok.i + 1].lower_ == "to":
                pobj = [c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"]
                if pobj:
                    according.append(pobj[0])
                continue
            if low in _STANCE_ADJECTIVES and tok.dep_ == "acomp" and any(
                c.dep_ == "ccomp" and not any(m.dep_ == "mark" and m.lower_ in ("whether", "if")
                                              for m in c.children)
                for c in tok.children
            ) and not any(c.dep_ == "neg" for c in (*tok.children, *tok.head.children)):
                # (not "he isn't sure whether he'll continue": a doubt, no view held)
                # "Some are worried that Turkey's population might ...", "Officials are confident
                # that ...": the subject holds the view.
                subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
                if subj is not None:
                    reporters.append((tok, subj))
                    continue
            if tok.pos_ == "NOUN" and low in CONCERN_VERBS:
                continue
            children = list(tok.children)
            deps = {c.dep_ for c in children}
            identifies = low in _IDENTIFY_FORMS and "as" in {c.lower_ for c in children if c.dep_ == "prep"}
            if (
                low in _VIEWED_AS
                and tok.tag_ == "VBN"
                and "auxpass" in deps
                and "agent" not in deps
                and tok.i + 1 < len(tok.doc)
                and tok.doc[tok.i + 1].lower_ in ("as", "to")
                and tok.dep_ not in ("relcl", "acl", "advcl", "pcomp")
            ):
                # "Its ownership of Clearstream was seen as the main stumbling block": a view nobody
                # is named for.
                agentless.append((tok, f"{_phrase(tok)}"))
                continue
            # "House prices fell further ..., the Royal Institute of Chartered Surveyors found.": a
            # finding reported, only with what was found as its complement ("found the body" is none).
            finding = low in ("found", "finds") and any(c.dep_ == "ccomp" for c in tok.children)
            if (low in REPORT_FORMS or identifies or finding or _frames_quote(tok, in_quotes)) and (
                tok.pos_ == "VERB"
            ):
                if tok.dep_ == "amod" or _participle_before_noun(tok):
                    continue  # "highlighting claimed improvements": a participle describing a noun
                if tok.dep_ in ("relcl", "acl") and not _opens_quotation(tok):
                    # "... electors that some opponents said could materialize": a reporting verb
                    # inside a relative clause qualifies a noun of the author's statement (but "...,
                    # to which Trump replied, “No. ...”" reports what Trump said).
                    continue
                if any(c.dep_ in ("dobj", "dative") and c.lower_ in ("what", "whatever")
                       for c in children) or any(
                    g.lower_ in ("what", "whatever") and g.i < tok.i
                    for c in children if c.dep_ == "ccomp" for g in c.children
                ):
                    # "anyone who believes what our government tells us", "to put his fortune to what
                    # he believes is good use": a free relative, no report.
                    continue
                if any(c.dep_ == "nsubj" and c.tag_ in ("JJR", "RBR") for c in children):
                    continue  # "Easier said than done.": an idiom, nobody speaking
                if low == "said" and tok.i + 2 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to" and (
                    tok.doc[tok.i + 2].lower_ in ("be", "have")
                ) and any(c.dep_ == "ccomp" and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
                          for c in children):
                    # "Others said to be considered for the post include ...": a reduced relative
                    # ("others [who are] said to be ..."), a view nobody is named for.
                    agentless.append((tok, "said to be"))
                    continue
                if tok.tag_ == "VB" and tok.head.lower_.startswith(("made", "make", "let", "help")) and any(
                    c.dep_ == "nsubj" and c.lower_ in ("her", "him", "them", "me", "us") for c in children
                ):
                    # "Stein's anti-vaccine sentiment made her think better": a causative small clause.
                    continue
                if any(c.dep_ == "nsubj" and c.lower_ in ("that", "this", "which")
                       and c.pos_ in ("PRON", "DET") for c in children) and low.startswith(
                    ("suggest", "show", "indicat", "mean", "impl")
                ):
                    # "That suggests Trump would do well to listen to them": the author's inference.
                    continue
                if any(c.dep_ == "nsubj" and c.lower_ in ("nobody", "none", "noone") for c in children) or (
                    any(c.dep_ == "nsubj" and c.lower_ == "one" and any(g.lower_ == "no" for g in c.children)
                        for c in children)
                ):
                    # "Nobody should doubt that terrorists wanted to attack the UK": the speaker's claim.
                    continue
                if low in _DENIALS and "ccomp" in deps:
                    # "Clinton denied she knew about the shipments": she does not assert the content;
                    # the statement is the author's report of a denial.
                    continue
                if "neg" in deps or (low in _FACTIVE_REPORTS and not any(
                    t.i in in_quotes for t in tok.subtree if t.i > tok.i
                )):
                    # "Officials did not immediately confirm if ...": nobody asserts the content;
                    # "Trump revealed that ...": the author presents it as fact (but what they are
                    # quoted saying, 'has revealed that ..., “it was really hard on my staff”', is theirs).
                    continue
                # (a subject outside the quotation first: '“..., Donald,” Kilmeade intervened.')
                subjects = [c for c in children if c.dep_ == "nsubj"]
                subj = next((c for c in subjects if c.i not in in_quotes), subjects[0] if subjects else None)
                if subj is not None and subj.lower_ in ("that", "which", "who") and tok.dep_ == "relcl":
                    subj = tok.head  # 'a button is pushed that says, "..."': the relative's antecedent
                if len(subjects) > 1:
                    # "Veteran Labour MP and former Cabinet minister Jack Cunningham has said": the
                    # parser gave the verb two subjects; the person named is the one speaking.
                    subj = next((c for c in subjects if c.i not in in_quotes and c.ent_type_ == "PERSON"),
                                subj)
                if subj is None and tok.head.pos_ == "VERB" and (
                    tok.dep_ == "conj" or (tok.dep_ == "advcl" and low in _SAYING)
                ):
                    # "the Indiana governor looked into the camera and said, ...", "Obama issued a
                    # statement, saying ...": the first verb's subject; but in "Krispy Kreme said
                    # accounting errors had forced the move, adding that ..." the parser hung "adding"
                    # on the content's verb: the reporting verb's subject adds.
                    host = tok.head
                    if tok.dep_ == "advcl" and host.dep_ == "ccomp" and host.head.lower_ in REPORT_FORMS:
                        host = host.head
                    subj = next((c for c in host.children if c.dep_ == "nsubj"), None)
                if subj is None and tok.dep_ in ("xcomp", "advcl") and (
                    (tok.head.lower_ in ("went", "go", "goes", "going", "gone")
                     and any(c.dep_ == "prt" and c.lower_ == "on" for c in tok.head.children))
                    or tok.head.lower_ in ("continued", "continues", "continue")
                ):
                    # "Sopko went on to say that ...", "She continued to insist that ...": his.
                    subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
                if subj is None and tok.dep_ == "pcomp" and tok.head.lower_ == "by" and (
                    tok.head.head.pos_ == "VERB" and low in _SAYING
                ):
                    # "Murray finished the rally by saying that ...": the subject of what he did so.
                    subj = next((c for c in tok.head.head.children if c.dep_ == "nsubj"), None)
                if subj is None and tok.dep_ == "xcomp" and tok.head.lower_ == "able" and "ccomp" in deps:
                    # "Sources were able to confirm that ...": the subject of "were able".
                    subj = next((c for c in tok.head.head.children if c.dep_ == "nsubj"), None)
                passive = "auxpass" in deps or "nsubjpass" in deps
                if passive and "agent" not in deps:
                    top = tok
                    while top.dep_ == "conj" and top.head.i != top.i:
                        top = top.head  # "who runs a company and is said to be ...": still the relcl
                    if top.dep_ not in ("advcl", "pcomp", "relcl", "acl") and not (
                        top.dep_ == "xcomp" and top.tag_ == "VBN" and top.head.pos_ == "VERB"
                    ):  # (nor "fear being accused of ...": what they fear, not a report)
                        # "... was criticised after it was revealed that ...": a subordinate
                        # clause's agentless report does not make the whole sentence agentless.
                        agentless.append((tok, f"{_phrase(tok)}"))
                elif passive and tok.dep_ in ("ROOT", "conj", "ccomp") and ({"xcomp", "ccomp"} & deps):
                    # "Boeing is reported by Reuters to have won ...", "It was announced by the
                    # ministry that ...": the agent is the source of the proposition (not "the plan
                    # was criticised by the Tories", which reports an act).
                    agent = next(c for c in children if c.dep_ == "agent")
                    source = next((g for g in agent.children if g.dep_ == "pobj"), None)
                    if source is not None and source.i not in in_quotes:
                        reported_by.append((tok, source))
                elif subj is not None and not _act_not_report(tok):
                    reporters.append((tok, subj))
                continue
            if (
                low in ("is", "are", "was", "were", "been")
                and "expl" in deps
                and tok.dep_ == "ROOT"
                and not any(c.dep_ == "prep" and c.lower_ in ("among", "from", "by") for c in (
                    *children, *(g for a in children if a.dep_ == "attr" for g in a.children)))
            ):
                # "There was speculation the pair were ...", "There are fears that ...": a view
                # held by no one named (not "there has been speculation of a rift": a fact about it).
                # (also a content clause the parser read as a relative one: "speculation the pair
                # were trying ...", whose own subject is no relative pronoun)
                attr = next((c for c in children if c.dep_ in ("attr", "nsubj")
                             and (c.lower_ in CONCERN_NOUNS or c.lower_ in REPORT_NOUNS)
                             and has_content_clause(c)), None)
                if attr is not None:
                    agentless.append((tok, f"there {tok.text} {attr.text}"))
                continue
            hit = next((c for c in children if c.dep_ == "nsubj" and c.lower_ in CONCERN_NOUNS), None)
            if low in _SPREADING and tok.pos_ == "VERB" and hit is not None and any(
                c.dep_ == "ccomp" for c in children
            ):
                # "Speculation is mounting that the Germans may raise their bid": held by no one named
                agentless.append((tok, f"{hit.text} {tok.text}"))
                continue
            if (low in CONCERN_VERBS or low in ("exist", "exists", "existed")) and tok.pos_ == "VERB":
                nouns = [c for c in children if c.dep_ in ("nsubjpass", "nsubj", "dobj")]
                hit = next((c for c in nouns if c.lower_ in CONCERN_NOUNS), None)
                has_holder = any(
                    c.dep_ == "prep" and c.lower_ in ("among", "from", "by") for c in children
                ) or ("agent" in deps)
                if hit is not None and not has_holder:
                    if hit.dep_ == "nsubj" and tok.lower_ in ("raise", "raised", "raises", "voice", "voiced"):
                        continue  # "critics raised concerns": an agent, handled as a subject elsewhere
                    if hit.dep_ == "dobj" and any(c.dep_ == "nsubj" for c in children):
                        continue  # "advisers have expressed concern": the subject holds it
                    agentless.append((tok, _concern_phrase(tok, hit)))
        clauses: list[_Clause] = []
        quoted = quoted_tokens(span.doc)
        sent_ids = set(range(span.start, span.end))
        reporter_tokens = {v.i for v, _ in reporters}
        for verb, subj in reporters:
            # (for "it" / "they", earlier clauses of the same sentence count as recent: "the Big
            # Lottery Fund has said that ... - and it was confident ...")
            same = [c.holder for c in clauses] if subj is not None and subj.lower_ in ("it", "they") else []
            holder = holder_of(speaker_of.get(verb.i, subj), recent + same, refs)
            category = "opinion" if verb.lower_ in OPINION_FORMS else "say"
            subtree = {t.i for t in verb.subtree}
            if verb.dep_ == "pcomp" and verb.head.lower_ == "by":
                subtree.add(verb.head.i)  # "finished the rally | by saying ...", not "... the rally by"
            # Nested reporting clauses belong to their own holder.
            for other in reporters:
                ov = other[0]
                if ov.i in quoted and verb.i not in quoted:
                    continue  # inside the quotation the frame reports: still the speaker's words
                if ov.i != verb.i and ov.i in subtree and ov.i != verb.head.i:
                    subtree -= {t.i for t in ov.subtree}
                    if ov.dep_ == "acomp" and ov.head.i != verb.i and ov.head.i in subtree:
                        # "... and she was sure he was speaking about adults": the stance's copula and
                        # subject go with it, not a dangling "and she was."
                        head = ov.head
                        subtree -= {t.i for t in head.subtree}
                        if head.dep_ == "conj":
                            subtree -= {c.i for c in head.head.children if c.dep_ == "cc" and c.i < head.i}
            # A concessive clause before the subject ("While X did Y, critics argue ...") is the author's.
            for child in verb.children:
                if child.dep_ == "advcl" and child.i < subj.i and child.i not in reporter_tokens:
                    marks = {c.lower_ for c in child.children if c.dep_ == "mark"}
                    if marks & SUBORDINATE_MARKS:
                        subtree -= {t.i for t in child.subtree}
            small = len([t for t in verb.subtree if not t.is_punct]) <= 3
            # (a frame the parser hung on the quotation's own verb is still its frame: '"We used to
            # see street hustlers do this," Andrei Illarionov - then economic adviser - told a press
            # conference.')
            whole = verb.dep_ in ("parataxis", "acomp") or small or (
                (verb.dep_ == "ROOT" or (verb.dep_ in ("ccomp", "conj") and verb.head.i in quoted))
                and (_has_outer_ccomp(verb) or _closes_quote(verb, subj, quoted))
            )
            if whole and verb.dep_ == "ROOT" and any(
                c.dep_ == "ccomp" and c.i < verb.i and c.i not in quoted and (
                    c.i in reporter_tokens
                    or any(g.dep_ == "acomp" and g.i in reporter_tokens for g in c.children)
                )
                for c in verb.children
            ):  # (also "The European Union and NATO are afraid that ..., he said.")
                # "Privately ministers believe this will be the “less painful” option, our
                # correspondent added.": what the correspondent reports is the ministers' view; the
                # view is the claim, held by them, and the frame adds none of its own.
                continue
            content = None
            comp = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp")), None)
            if comp is not None and comp.i < verb.i and _dangling_peg(comp):
                # "Mr Solana's comments come the day after Sir Ian Blair ... said he was in favour
                # of ...": the parser made the news peg the frame's complement; what was said follows.
                subtree -= {t.i for t in comp.subtree}
                comp = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.i > verb.i), None)
            charge = verb.lower_.startswith(("accus", "identif")) and any(
                c.dep_ == "prep" and c.lower_ in ("of", "as") for c in verb.children
            )
            if comp is None and not whole and verb.i not in quoted and verb.head.i in quoted and (
                verb.dep_ in ("advcl", "parataxis", "conj")
            ):
                # '“With Mick at the head of OMB,” Trump said in his statement, “my administration is
                # going to ...”': a frame interrupting the quotation it reports.
                titles = _title_tokens(span, quoted)
                inside = sorted(i for i in quoted if span.start <= i < span.end and not span.doc[i].is_punct
                                and i not in titles)
                if inside:
                    whole = True
                    content = (inside[0], inside[-1] + 1)
            comp_opened = False
            if comp is None and not whole and verb.dep_ in ("relcl", "acl") and _opens_quotation(verb):
                # "..., to which Trump replied, “No.": the quotation the relative clause opens.
                after = [i for i in range(verb.i + 1, span.end) if not span.doc[i].is_punct]
                if after:
                    subtree |= set(range(verb.i + 1, span.end))
                    content = (after[0], after[-1] + 1)
                    comp_opened = True
            if comp is None and not whole and not comp_opened and verb.i not in quoted:
                # 'He told BBC Radio Scotland's Good Morning Scotland programme: "The reason ..."':
                # the quotation after the hearer and a colon.
                colon = next((i for i in range(verb.i + 1, min(verb.i + 12, span.end - 1))
                              if span.doc[i].text == ":" and span.doc[i + 1].text in ("“", '"')), None)
                if colon is not None and all(span.doc[i].pos_ != "VERB" for i in range(verb.i + 1, colon)):
                    after = [i for i in range(colon + 2, span.end) if not span.doc[i].is_punct]
                    if len(after) >= 3:
                        subtree |= set(range(verb.i + 1, span.end))
                        content = (after[0], after[-1] + 1)
                        comp_opened = True
            if comp is None and not whole and holder.kind == "named" and not charge and not comp_opened:
                # "Mr Sayeed had denied the claims", "Cruz emphasized this theme in his speech": the
                # verb reports a named person's act, not a proposition; the author narrates it. (An
                # unnamed group's "emphasize the importance of ..." stays theirs: it is the device
                # that puts a view in their mouths. "Howard accused the prime minister of squabbling"
                # is Howard's charge.)
                continue
            if comp is not None:
                # "Cruz said that such calls are common and accused his fellow candidates of ...": a
                # subjectless report verb the parser coordinated inside the content is the frame's
                # second verb, not part of what was said.
                second = [c for c in comp.children if c.dep_ == "conj" and c.i > comp.i
                          and c.lower_ in REPORT_FORMS and c.tag_ == "VBD" and verb.tag_ == "VBD"
                          and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)]
                if second:
                    cut = second[0].i
                    while cut > comp.i and span.doc[cut - 1].dep_ in ("cc", "punct"):
                        cut -= 1
                    subtree -= set(range(cut, second[0].right_edge.i + 1))
                toks = [t.i for t in comp.subtree if t.i in subtree]
                more = [c for c in verb.children if c.dep_ == "ccomp" and c.i > comp.i > verb.i
                        and span.doc[c.left_edge.i - 1].text == ","
                        and c.left_edge.i - 1 <= comp.right_edge.i + 1]
                # "Downing Street has confirmed British troops are on | standby in case they need to
                # ...", "He said Tory plans to cut £35bn tax | would “cut deep into public service”":
                # the parser hung the rest of the content on the frame's verb.
                end = max(t.i for t in comp.subtree)
                for c in sorted(verb.children, key=lambda c: c.i):
                    if c.i > comp.i > verb.i and c not in more and c.left_edge.i <= end + 2 and (
                        (c.dep_ == "ccomp" and span.doc[c.left_edge.i - 1].text != ",")
                        or (c.dep_ == "conj" and (
                            c.pos_ != "VERB" or any(g.dep_ == "nsubj" for g in c.children)))
                    ):
                        more.append(c)
                        end = max(end, c.right_edge.i)
                if more:
                    # "claim that of the £750m the prime minister pledged ..., only £41m had been
                    # spent": the parser split one complement in two.
                    toks += [t.i for c in more for t in c.subtree if t.i in subtree]
                    toks.sort()
                while toks and (
                    (span.doc[toks[0]].dep_ == "mark"
                     and (span.doc[toks[0]].head.i == comp.i or span.doc[toks[0]].lower_ == "that"))
                    # "conceded that plans to detain suspects ... were": no "that" before a plural
                    # noun is a determiner; it is the complementizer the parser misread
                    or (span.doc[toks[0]].lower_ == "that" and (
                        span.doc[toks[0]].pos_ == "SCONJ"
                        or (span.doc[toks[0]].dep_ == "det"
                            and span.doc[toks[0]].head.tag_ in ("NNS", "NNPS"))))
                    or span.doc[toks[0]].is_punct
                ):
                    # "said that X" → X; not the "If" of "If they persist, the Fed may raise rates".
                    toks = toks[1:]
                while toks and span.doc[toks[-1]].is_punct:
                    toks = toks[:-1]
                if verb.lower_ in ("told", "tells", "tell") and not any(
                    c.dep_ in ("dobj", "dative") for c in verb.children
                ):
                    toks = _without_hearer(span.doc, toks)
                if toks:
                    content = (min(toks), max(toks) + 1)
            elif whole and _closes_quote(verb, subj, quoted):
                # The quotation before its frame: '"... in a bad way," Shelby said' → the quote.
                j = min(verb.i, subj.left_edge.i) - 1
                toks = [i for i in range(span.start, j) if i in quoted or not span.doc[i].is_punct]
                while toks and (span.doc[toks[-1]].is_punct or span.doc[toks[0]].is_punct):
                    toks = toks[:-1] if span.doc[toks[-1]].is_punct else toks[1:]
                if toks:
                    content = (min(toks), max(toks) + 1)
            if whole and content is not None and subj is not None and (
                _closes_quote(verb, subj, quoted) or (verb.dep_ == "ROOT" and _has_outer_ccomp(verb))
            ):
                # (also "Mr. Putin is a great leader, Mr. Trump says, ignoring that he has killed and
                # jailed journalists ...": the narration after an unquoted frame)
                frame_end = max(verb.i, subj.i)
                after = [i for i in range(frame_end + 1, span.end) if not span.doc[i].is_punct]
                if (len(after) >= 4 and not any(i in quoted for i in after)
                        and frame_end + 1 < span.end and span.doc[frame_end + 1].text == ","):
                    # '“Grab on, kid!” said Kerry, flinging the lifeline ... to the boy, an orphan
                    # who ...': the narration after the frame is the author's.
                    whole = False
                    subtree = set(range(span.start, frame_end + 1))
            clauses.append(
                _Clause(
                    tokens=sent_ids if whole else subtree,
                    holder=holder,
                    verb=verb.text,
                    category=category,
                    content=content,
                    whole=whole,
                    in_quote=verb.i in quoted,
                    subject=subj.lower_ if subj is not None else None,
                )
            )
        if not clauses and not according and (misparsed := _misparsed_frame(span, in_quotes)) is not None:
            subj, comma, at_end = misparsed
            clauses.append(
                _Clause(tokens=set(range(span.start, span.end)), holder=holder_of(subj, recent, refs),
                        verb=span.doc[subj.i + 1].text, category="say", whole=True,
                        content=(span.start, comma) if at_end else None)
            )
        if not clauses and not according and reported_by:
            verb, agent = reported_by[0]
            clauses.append(
                _Clause(tokens=sent_ids, holder=holder_of(agent, recent, refs), verb=f"{verb.text} by",
                        category="say", whole=True)
            )
        if not clauses and according:
            holder = holder_of(according[0], recent, refs)
            clauses.append(
                _Clause(tokens=sent_ids, holder=holder, verb="according to", category="say", whole=True,
                        content=_outside_phrase(span, according[0].head.head))
            )
        if not clauses and agentless:
            tok, phrase = agentless[0]
            clauses.append(
                _Clause(
                    tokens=sent_ids,
                    holder=Holder(
                        kind="agentless", name="(agentless)", start=tok.idx, end=tok.idx + len(tok.text)
                    ),
                    verb=phrase,
                    category="agentless",
                    whole=True,
                )
            )
        frame = next((c for c in clauses if not c.in_quote and c.category in ("say", "opinion")), None)
        if frame is not None and any(c.in_quote for c in clauses):
            # '"... but I think it changes the Senate," Shelby said', 'He said, "They were accusing
            # us ..."': a report inside the quotation is the quoted speaker's, held by the frame.
            for c in clauses:
                if c.in_quote and not frame.whole:
                    frame.tokens |= c.tokens  # the quotation's words go back to its speaker
                    if frame.content is None:
                        words = sorted(i for i in c.tokens if not span.doc[i].is_punct)
                        if words:
                            frame.content = (words[0], words[-1] + 1)
            clauses = [c for c in clauses if not c.in_quote]
        if clauses and not any(c.whole for c in clauses):
            covered = set().union(*(c.tokens for c in clauses))
            rest = [i for i in sorted(sent_ids - covered) if not span.doc[i].is_punct]
            if len(rest) >= 4 and not _comes_as(span, covered):
                clauses.append(_Clause(tokens=set(rest), holder=author(), verb=None, category="author"))
        return clauses

    def _question_speaker(
        self, article: Article, sent: Sentence, recent: list[Holder], people: People,
        before: dict[str, list[Any]], document: Holder | None,
    ) -> Holder | None:
        """The named speaker whose frame opens a quotation with a question ('X said: "What ...?'),
        or None."""
        if not re.search(r"[:,]\s*[“\"]", sent.text):
            return None
        span = _sentence_span(article, sent)
        if span is None:
            return None
        refs = Refs(people, before.get(sent.block_id, []), None, article.text[: sent.start], document)
        quoted = quoted_tokens(span.doc)
        for c in self._clauses(span, recent, refs):
            speaks = c.category in ("say", "opinion") and c.holder.kind in ("named", "unnamed_group")
            if speaks and not c.in_quote and not c.holder.unresolved and c.content is not None and (
                c.content[0] in quoted
            ):
                return c.holder
        return None

    def _narrated_speaker(self, span: Any, recent: list[Holder], refs: Refs) -> Holder | None:
        """The named person the sentence narrates speaking (its main verb, or a verb hanging on it,
        is a speech act in :data:`SPEECH_ACT_FORMS` with that person as subject), else None."""
        root = span.root
        verbs = [root, *(c for c in root.children if c.dep_ in ("conj", "advcl", "xcomp", "pcomp"))]
        gives_word = any(c.dep_ == "dobj" and c.lower_ in _WORDS_GIVEN for v in verbs for c in v.children)
        if not gives_word and not any(v.lower_ in SPEECH_ACT_FORMS for v in verbs) and not any(
            t.lower_ in SPEECH_ACT_FORMS and t.head in verbs for t in span if t.pos_ == "VERB"
        ):
            return None
        subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subj is None:
            return None
        holder = holder_of(subj, recent, refs)
        return holder if holder.kind == "named" and not holder.unresolved else None

    def _colon_speaker(self, span: Any, recent: list[Holder], refs: Refs) -> Holder | None:
        """Who speaks in what follows a frame ending in a colon ("The email was published by The
        New York Times, which reports:", "..., the Trump transition team says:", "..., issued a
        statement saying in part:"), else None."""
        toks = [t for t in span if not t.is_space]
        if len(toks) < 3 or toks[-1].text != ":":
            return None
        verb = next((t for t in reversed(toks[:-1]) if t.pos_ in ("VERB", "AUX")), None)
        if verb is None or verb.lower_ not in REPORT_FORMS:
            return None
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.lower_ in ("which", "who", "that") and verb.dep_ == "relcl":
            subj = verb.head  # "The New York Times, which reports:"
        up = verb
        while subj is None and up.dep_ in ("advcl", "conj", "xcomp", "pcomp", "prep") and up.head.i != up.i:
            # "..., saying:", "Trump is quoted as saying:": the (passive) subject of the verb it hangs on
            up = up.head
            subj = next((c for c in up.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None and verb.dep_ == "acl" and verb.head.dep_ == "dobj":
            # "Sen. Jeanne Shaheen ... issued a statement saying in part:"
            subj = next((c for c in verb.head.head.children if c.dep_ == "nsubj"), None)
        if subj is None:
            return None
        holder = holder_of(subj, recent, refs)
        return holder if holder.kind in ("named", "unnamed_group") and not holder.unresolved else None


    # -- assertion building --------------------------------------------------------------------

    def _make_assertion(
        self, article: Article, sent: Sentence, span: Any, clause: _Clause | None, context: str | None, n: int
    ) -> Assertion | None:
        if clause is None or span is None:
            start, end = sent.start, sent.end
            holder, verb, category, content = author(), None, "author", None
        else:
            doc = span.doc
            toks = _main_runs(doc, sorted(clause.tokens))
            lo, hi = toks[0], toks[-1] + 1
            while lo < hi and (
                (doc[lo].dep_ in _EDGE_TRIM and doc[lo].is_punct)
                or doc[lo].lower_ in (SUBORDINATE_MARKS - {"if"}) | {"and", "but", ","}
            ) and not (
                doc[lo].lower_ == "as" and lo + 1 < hi and doc[lo + 1].lower_ in ("well", "much", "long")
            ):
                lo += 1  # (not the "As" of "As well as pledging £960m, Britain urged ...")
            while hi > lo and (
                (doc[hi - 1].is_punct and doc[hi - 1].text not in (".", "!", "”", '"', ")"))
                or doc[hi - 1].dep_ in ("cc", "mark")
            ):
                hi -= 1
            if hi <= lo:
                return None
            base = _doc_offset(article, sent, span)
            start = base + doc[lo].idx
            end = base + doc[hi - 1].idx + len(doc[hi - 1].text)
            holder, verb, category = clause.holder, clause.verb, clause.category
            content = None
            if clause.content is not None:
                cs, ce = clause.content
                content = (base + doc[cs].idx, base + doc[ce - 1].idx + len(doc[ce - 1].text))
            if holder.start is not None and holder.end is not None:
                holder.start += base
                holder.end += base
            if clause.whole:
                start, end = sent.start, sent.end
        text = article.text[start:end]
        if not text.strip():
            return None
        base = _doc_offset(article, sent, span) if span is not None else 0
        hedges = hedges_in(span, base, start, end) if span is not None else []
        modality = modality_of(category, span, base, start, end)
        holder.name = article_words(holder.name, article.text)
        a = Assertion(
            id=f"a{n}",
            sentence_id=sent.id,
            block_id=sent.block_id,
            start=start,
            end=end,
            text=text,
            holder=holder,
            reporting_verb=verb,
            hedges=hedges,
            modality=modality,
            context=context,
            attributed=holder.kind == "named",
        )
        if content is not None:
            a.content = Span(*content)
        return a


_HANDLE = re.compile(r"^\s*(@\w{2,30})\b")
_NOT_LABELS = {"Q", "A", "UPDATE", "EDITOR'S NOTE", "NOTE", "WATCH", "SOURCE", "READ MORE", "RELATED",
               "BREAKING", "BREAKING NEWS", "EXCLUSIVE", "VIDEO", "PHOTOS", "ALERT", "JUST IN", "LIVE",
               "UPDATED", "CORRECTION", "WARNING", "REPORT", "OPINION", "ANALYSIS", "FACT CHECK"}


def _speaker_label(block_text: str) -> str | None:
    """The speaker of a transcript turn: "JUAN GONZÁLEZ: In March, you launched ..." → Juan González."""
    head, colon, rest = block_text.lstrip().partition(":")
    if not colon or (rest and not rest.startswith((" ", "\n"))) or len(head) > 40 or head in _NOT_LABELS:
        return None
    words = head.split()
    if not 1 <= len(words) <= 4 or not all(w.isupper() and any(ch.isalpha() for ch in w) for w in words):
        return None
    # initials stay as written ("DT: I don't believe it." is DT, not "Dt")
    return " ".join(w if len(w.strip(".")) <= 3 else w.capitalize() for w in words)


#: A line opening with an interviewer's turn label (:data:`INTERVIEWER_LABELS`): the author's turn.
_AUTHOR_LABEL = re.compile(r"^\s*(?:" + "|".join(sorted(INTERVIEWER_LABELS)) + r")\s*:\s", re.IGNORECASE)


def _turn_at(text: str, block_id: str, index: int, speaker: tuple[Holder, int] | None,
             turn: tuple[Holder, str] | None) -> tuple[tuple[Holder, int] | None, tuple[Holder, str] | None]:
    """(speaker, turn) after a line that may open with a turn label: the interviewer's ends the other
    speaker's turn; a speaker's label ("JUAN GONZÁLEZ:") opens theirs; anything else changes nothing."""
    if _AUTHOR_LABEL.match(text):
        return None, None
    label = _speaker_label(text)
    if label is None:
        return speaker, turn
    holder = Holder(kind="named", name=label)
    return (holder, index), (holder, block_id)


#: Documents a source speaks through: "It added" after "Mr Crosby's statement said" is Crosby.
_DOCUMENT_HEADS = frozenset({"statement", "report", "letter", "study", "survey", "memo", "email", "filing",
                             "lawsuit", "complaint", "ruling", "judgment", "judgement", "indictment", "book",
                             "release", "document", "paper", "analysis", "review", "audit", "poll"})
#: Reporting verbs that present their content as fact (the author's, not the subject's, claim).
_FACTIVE_REPORTS = frozenset({"reveal", "revealed", "reveals", "revealing"})
#: Passives of a view with no one holding it: "was seen as", "is regarded as", "is thought to".
_VIEWED_AS = frozenset({"seen", "viewed", "regarded", "perceived", "deemed", "rumoured", "rumored",
                        "understood", "considered", "thought", "believed", "tipped", "touted"})
#: Reporting verbs whose holder asserts the content is false.
_DENIALS = frozenset({"deny", "denies", "denied", "denying", "dispute", "disputes", "disputed", "disputing",
                      "reject", "rejects", "rejected", "rejecting"})
#: "Police identified the gunman as ...": an identification is an assertion by its subject.
_IDENTIFY_FORMS = frozenset({"identify", "identified", "identifies"})


_VOICE = re.compile(r"^(?:so|well|and|but|look|now)\b|\b(?:I|I'm|I’m|we|we're|we’re|our|us|my|me)\b", re.I)


def _asked_person(span: Any, people: People) -> Holder | None:
    """The named person the sentence asks ("... asked Cruz whether", "caught up with Cruz and
    asked him if"), or None."""
    for tok in span:
        if tok.lower_ not in ("ask", "asked", "asks", "asking") or tok.pos_ != "VERB":
            continue
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "dative")), None)
        if obj is None:
            return None
        if obj.lower_ in ("him", "her"):
            gender = PERSONAL_PRONOUNS[obj.lower_]
            named = [(n, m) for n, m in people.mentions(span.doc, span.start, obj.i) if n]
            agreeing = [n for n, _ in named if people.gender_of(n) in (gender, None)]
            if len(agreeing) != 1:
                return None
            return Holder(kind="named", name=agreeing[0], entity_type="PERSON")
        ent = next((e for e in span.doc.ents if e.label_ == "PERSON" and e.start <= obj.i < e.end), None)
        if ent is None:
            return None
        return Holder(kind="named", name=people.full_name(ent), entity_type="PERSON")
    return None


def _in_voice(text: str) -> bool:
    """A paragraph that reads as spoken: it opens with a discourse marker or speaks in the first person."""
    return bool(_VOICE.search(text.lstrip()))


def _said_by(held: Holder, span: Any, how: str | None) -> _Clause:
    return _Clause(
        tokens=set(range(span.start, span.end)),
        holder=Holder(kind=held.kind, name=held.name, entity_type=held.entity_type, resolved_from=how,
                      unresolved=held.unresolved, likely=held.likely),
        verb=None,
        category="say",
        whole=True,
    )


#: Adjectives of a stance towards a proposition ("are worried that ...").
_STANCE_ADJECTIVES = frozenset(
    {"worried", "concerned", "afraid", "fearful", "convinced", "confident", "sure", "certain", "optimistic",
     "pessimistic", "sceptical", "skeptical", "adamant", "hopeful", "doubtful", "aware"}
)
#: Participles that report what their clause's subject said: "Obama issued a statement, saying ...".
_SAYING = frozenset({"saying", "adding", "noting", "explaining", "stating", "writing", "telling"})
#: "claimed a high-profile victim", "claimed the title": to claim a thing, not to say something.
_CLAIMED_THINGS = frozenset({"victim", "victims", "life", "lives", "title", "titles", "prize", "seat",
                             "seats", "crown", "win", "victory", "place", "spot", "medal", "gold", "scalp",
                             "share"})


#: What someone gives when they speak: "David Fahrenthold provided context.", "... gave a statement".
_WORDS_GIVEN = frozenset({"context", "comment", "comments", "details", "explanation", "account",
                          "statement", "remarks", "testimony", "interview", "answer"})
#: Entity types of an amount ("added 1.7%", "added $2bn").
_AMOUNTS = frozenset({"PERCENT", "MONEY", "QUANTITY", "CARDINAL"})


#: Verbs of a view spreading: "speculation is mounting that ...", "fears grew that ...".
_SPREADING = frozenset({"mount", "mounts", "mounting", "mounted", "grow", "grows", "growing", "grew",
                        "swirl", "swirls", "swirling", "swirled", "abound", "abounds", "intensify",
                        "intensified", "intensifying"})


def _act_not_report(verb: Any) -> bool:
    """'It agreed to leave the door open', 'officials hoped to secure the release', 'Deutsche Boerse
    might consider selling', 'the government would consider the proposals', 'efforts have claimed a
    victim': an act or an intention in the author's
    narration, not a reported statement."""
    low = verb.lower_
    if low.startswith("claim") and any(c.dep_ == "dobj" and c.lower_ in _CLAIMED_THINGS
                                       for c in verb.children):
        return True
    if low.startswith(("boast", "brag")) and not any(c.dep_ == "ccomp" for c in verb.children) and any(
        c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN") for c in verb.children
    ):
        return True  # "developing countries boast higher growth rates": they have them
    if low.startswith("add") and any(
        c.dep_ in ("dobj", "npadvmod", "attr") and (c.like_num or c.ent_type_ in _AMOUNTS or any(
            g.like_num for g in c.subtree))
        for c in verb.children
    ):
        return True  # "Reliance shares added 1.7%": a rise, not a remark
    if low.startswith(("feel", "felt")) and any(
        c.dep_ in ("acomp", "oprd") or (c.dep_ == "xcomp" and c.pos_ == "ADJ") for c in verb.children
    ) and not any(
        c.dep_ in ("ccomp", "parataxis") for c in verb.children
    ):
        return True  # "what makes this video feel so fresh": a quality, not a view
    if low.startswith(("respond", "reply", "replie", "answer", "react")) and not any(
        c.dep_ in ("ccomp", "xcomp", "parataxis") for c in verb.children
    ) and any(c.dep_ == "prep" and c.lower_ in ("to", "with", "by") for c in verb.children) and (
        not _opens_quotation(verb)
    ):
        return True  # "his administration would respond to Russian meddling": an act, not a reply
    if low in ("hoped", "wished") and any(c.dep_ == "ccomp" for c in verb.children):
        # "The families had hoped the apology would be made ...", "he hoped Obama would die": a past
        # wish, narrated, not a claim ("Umbro hopes that sales will rise" is Umbro's hedged view)
        return True
    if low.startswith("consider") and any(c.dep_ == "dobj" for c in verb.children) and not any(
        c.dep_ in ("ccomp", "xcomp", "oprd", "attr", "acomp", "advcl") for c in verb.children
    ):
        return True  # "it would consider the proposals": weighing them, not a view
    xcomp = [c for c in verb.children if c.dep_ == "xcomp"]
    # (a complement after the "to" clause is the parser hanging the next clause on the verb: "the
    # £750m the prime minister pledged in 2000 to invest on school sports, only £41m had been spent")
    if not xcomp or any(c.dep_ == "ccomp" and c.i < xcomp[0].i for c in verb.children):
        return False
    if low.startswith(("agree", "disagree", "refus", "promis", "vow", "pledg", "offer", "threat", "hope",
                       "hoping")):
        return True
    return low.startswith("consider") and xcomp[0].tag_ == "VBG"


def _participle_before_noun(verb: Any) -> bool:
    """"... toured the region highlighting claimed improvements", "the reported cases": a past
    participle between a word that wants a noun (a gerund, a determiner, a preposition) and the
    noun it describes, whatever the parser made of it."""
    doc = verb.doc
    if verb.tag_ not in ("VBN", "VBD") or verb.i == 0 or verb.i + 1 >= len(doc):
        return False
    before, after = doc[verb.i - 1], doc[verb.i + 1]
    return before.tag_ in ("VBG", "DT", "IN", "PRP$", "POS") and after.pos_ == "NOUN" and after.tag_ != "NNP"


def _opens_in_quote(span: Any) -> bool:
    """The sentence starts inside a quotation ('in a bad way,” Shelby said.')."""
    first = next((t for t in span if not t.is_space), None)
    return first is not None and (first.i in quoted_tokens(span.doc) or first.text in ("“", '"'))


def _opens_turn(article: Article, sent: Sentence, block: Any) -> bool:
    """The sentence starts its paragraph or a line (where a transcript turn's label can be)."""
    return sent.start == block.start or article.text[sent.start - 1 : sent.start] == "\n"


def _frames_quote(verb: Any, quoted: frozenset[int]) -> bool:
    """'“I'm not sure there is any evidence, Donald,” Kilmeade intervened.': any main verb after a
    closing quotation whose clause is that quotation, with its subject after the quote, frames it."""
    if verb.dep_ != "ROOT" or verb.pos_ != "VERB" or verb.i in quoted:
        return False
    comp = next((c for c in verb.children if c.dep_ == "ccomp" and c.i < verb.i), None)
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i and c.i not in quoted), None)
    if comp is None or subj is None or comp.i not in quoted:
        return False
    closing = subj.left_edge.i - 1
    return closing >= 0 and verb.doc[closing].text in ("”", '"') and all(
        c.dep_ not in ("dobj", "xcomp") for c in verb.children)


def _opens_quotation(verb: Any) -> bool:
    """The verb is followed at once (after a comma or colon) by an opening quotation mark."""
    doc = verb.doc
    i = verb.i + 1
    if i < len(doc) and doc[i].text in (",", ":"):
        i += 1
    return i < len(doc) and doc[i].text in ("“", '"')


def _only_a_frame(span: Any) -> bool:
    """A sentence that is only a reporting frame ("he said.", "Trump told reporters.", "said
    Smith."): a reporting verb with its subject and at most a hearer, nothing reported."""
    words = [t for t in span if not t.is_punct]
    if not 2 <= len(words) <= 5:
        return False
    verbs = [t for t in words if t.lower_ in REPORT_FORMS and t.pos_ == "VERB"]
    return len(verbs) == 1 and not any(c.dep_ in ("ccomp", "xcomp", "advcl") for c in verbs[0].children)


def _has_quote(span: Any) -> bool:
    return any(t.text in ("“", "”", '"') for t in span)


def _mostly_quoted(span: Any, block_text: str, offset: int) -> bool:
    """The sentence is (mostly) inside a quotation, or opens its paragraph with a quote mark."""
    inside = quoted_tokens(span.doc)
    words = [t for t in span if not t.is_punct]
    if words and sum(t.i in inside for t in words) >= 0.6 * len(words):
        return True
    text = block_text.lstrip()
    if offset != 0 or text[:1] not in ("“", '"'):
        return False
    # A paragraph opening a quotation that runs on (multi-paragraph quotes), not one opening with a
    # quoted term ("“Retrofitting” refers to ...").
    close = text.find("”" if text[0] == "“" else '"', 1)
    return close == -1 or close > 40


def _main_runs(doc: Any, toks: list[int]) -> list[int]:
    """Drop contiguous runs made only of punctuation (the final "." after a cut-out clause)."""
    runs: list[list[int]] = []
    for i in toks:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    kept = [r for r in runs if any(not doc[i].is_punct for i in r)] or runs
    return [i for r in kept for i in r]


#: Third-person report verbs the tagger reads as plural nouns after ", the <noun>" ("the paper
#: states", "the UNECE forecasts").
_MISTAGGED_REPORTS = frozenset(
    {"states", "says", "notes", "reports", "writes", "adds", "claims", "argues", "forecasts", "predicts",
     "estimates", "warns", "insists", "suggests", "believes", "concludes", "alleges"}
)


def _misparsed_frame(span: Any, quoted: frozenset[int]) -> tuple[Any, int, bool] | None:
    """'The announcement could come this week, the paper states.': a postposed frame the parser read
    as an apposition ("paper states" as a plural noun). Returns (the speaker's head word, the comma
    before the frame, whether the frame ends the sentence)."""
    doc = span.doc
    words = [t for t in span if not t.is_space]
    for k, tok in enumerate(words):
        if tok.lower_ not in _MISTAGGED_REPORTS or tok.pos_ == "VERB" or tok.i in quoted:
            continue
        nxt = words[k + 1] if k + 1 < len(words) else None
        if nxt is not None and nxt.text not in (",", ".", ";"):
            continue
        j = k - 1
        while j >= 0 and words[j].pos_ in ("DET", "PROPN", "NOUN", "ADJ") and k - j <= 4:
            j -= 1
        if j < 3 or words[j].text != "," or j == k - 1 or words[k - 1].pos_ not in ("PROPN", "NOUN"):
            continue
        if sum(1 for t in words[:j] if not t.is_punct) < 4 or any(t.i in quoted for t in words[j:k]):
            continue
        at_end = nxt is None or (nxt.text == "." and k + 2 >= len(words))
        return doc[words[k - 1].i], words[j].i, at_end
    return None


def _without_hearer(doc: Any, toks: list[int]) -> list[int]:
    """'He told The Observer government life was a "constant barrage of attack"': the parser read
    the outlet told as part of the content's subject; the content starts after it."""
    k = 1 if toks and doc[toks[0]].lower_ == "the" else 0
    j = k
    while j < len(toks) and doc[toks[j]].pos_ == "PROPN":
        j += 1
    name = " ".join(doc[i].text for i in toks[k:j])
    if j > k and j < len(toks) - 2 and doc[toks[j]].pos_ in ("NOUN", "ADJ", "DET") and (
        MEDIA_NAME.search(name) or any(doc[toks[k]].ent_type_ == lab for lab in ("ORG", "PERSON"))
    ):
        return toks[j:]
    return toks


def _dangling_peg(verb: Any) -> bool:
    """"X come(s) (the day) after" with nothing after the preposition: a news peg whose object the
    parser hung elsewhere."""
    if verb.lower_ not in ("come", "comes", "came", "coming"):
        return False
    preps = [t for t in verb.subtree if t.dep_ == "prep" and t.lower_ in ("after", "as", "following", "amid")]
    return bool(preps) and not any(c.dep_ in ("pobj", "pcomp") for c in preps[-1].children)


def _title_tokens(span: Any, quoted: frozenset[int]) -> set[int]:
    """The quoted runs of the sentence that are titles (see :func:`~factaudit.reference.opens_title`)."""
    out: set[int] = set()
    for tok in span:
        if opens_title(tok):
            j = tok.i + 1
            while j < span.end and j in quoted:
                out.add(j)
                j += 1
    return out


def _comes_as(span: Any, covered: set[int]) -> bool:
    """'The figures released by the Ministry come as China's tax chief confirmed that ...': the
    news peg says nothing once the report it introduces is taken out ("The figures ... come.")."""
    root = span.root
    if _dangling_peg(root):
        return True
    return root.lower_ in ("come", "comes", "came", "coming") and any(
        c.dep_ == "advcl" and c.i in covered
        and any(m.dep_ in ("mark", "advmod", "prep") and m.lower_ in ("as", "after", "amid", "following")
                for m in c.children)
        for c in root.children
    )  # (also "Mr Solana's comments come the day after Sir Ian Blair said ...")


def _phrase(verb: Any) -> str:
    aux = [c.text for c in verb.children if c.dep_ in ("auxpass", "aux")]
    subj = [c.text for c in verb.children if c.dep_ in ("nsubjpass",)]
    return " ".join([*subj, *aux, verb.text])


def _concern_phrase(verb: Any, noun: Any) -> str:
    if noun.i < verb.i:
        aux = [c.text for c in verb.children if c.dep_ in ("auxpass", "aux")]
        return " ".join([noun.text, *aux, verb.text])
    return f"{verb.text} {noun.text}"


def _closes_quote(verb: Any, subj: Any, quoted: frozenset[int]) -> bool:
    """'... in a bad way,” Senator Shelby said': the frame follows a quotation that it closes, even
    when the parser does not hang the quote on the verb."""
    j = min(verb.i, subj.left_edge.i) - 1
    doc = verb.doc
    if not (j >= 1 and doc[j].text in ("”", '"', "''", "’") and (j - 1) in quoted):
        return False
    # The quotation is the sentence up to the frame ('Asked who he would like to see “go away,” he
    # said ...' quotes two words of a question, not the statement).
    start = verb.sent.start
    return j > start and all(i in quoted for i in range(start, j) if not doc[i].is_punct)


def _has_outer_ccomp(verb: Any) -> bool:
    """'"We are pleased," said X' — the content precedes the verb: the holder covers the sentence."""
    return any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children)


def _doc_offset(article: Article, sent: Sentence, span: Any) -> int:
    for off, doc in article.nlp.get(sent.block_id, []):
        if doc is span.doc:
            return int(off)
    return sent.start - span.start_char


def _sentence_span(article: Article, sent: Sentence) -> Any:
    for off, doc in article.nlp.get(sent.block_id, []):
        if off <= sent.start and sent.end <= off + text_length(doc):
            return doc.char_span(sent.start - off, sent.end - off, alignment_mode="expand")
    return None


#: Punctuation trimmed from the ends of a content span ("%" and "$" belong to the figures).
_EDGE_PUNCT = frozenset(",.;:!?\"'“”‘’()[]—–-")


def _outside_phrase(span: Any, head: Any) -> tuple[int, int] | None:
    """Token range of ``span`` without the phrase headed by ``head`` ("according to a report by X"),
    when that phrase opens or closes the sentence; None when it sits inside (no contiguous rest)."""
    phrase = {t.i for t in head.subtree}
    rest = [i for i in range(span.start, span.end) if i not in phrase]
    def edge(i: int) -> bool:
        return span.doc[i].is_space or span.doc[i].text in _EDGE_PUNCT

    while rest and edge(rest[0]):
        rest = rest[1:]
    while rest and edge(rest[-1]):
        rest = rest[:-1]
    if not rest or rest[-1] - rest[0] + 1 != len(rest):
        return None
    return rest[0], rest[-1] + 1
