"""What a question asks of a paragraph's place in its text: part, opening verb, heading, kind of fact, statements."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from assistant.documents.heading import HEADING_ROLE
from assistant.index.lexical import tokenize
from assistant.records import DocInfo, Paragraph
from assistant.search import weights as W
from assistant.search.answerkind import MONTHS, answer_kind, gives
from assistant.search.structure import (asks_decisions, asks_follow_up, asks_mandate, asks_statements, created_share,
                                        is_fact_question, keeps_on_agenda, opening_verb, question_verbs, strip_verbs)

MODAL_QUESTION = re.compile(r"^\s*(?:can|may|must|could)\b|\b(?:allowed|required|obliged|permitted|entitled)\s+to\b", re.I)
PURPOSE_QUESTION = re.compile(r"\b(?:meant|intended|designed|aims?|purposes?|why|goals?|objectives?)\b", re.I)
TREATY_NAME = re.compile(r"\b(?:treaty|convention)\b", re.I)
ARTICLE_LEAD = re.compile(r"\bart\. \d+(?:\(1\))?$")
WHEN_QUESTION = re.compile(r"\b(?:when|what date|how long|until when|by when|deadline)\b", re.I)
TIME_WORDS = re.compile(rf"\b(?:(?:19|20)\d\d|{MONTHS}|session|days?|weeks?|months?|years?)\b")


def structure_features(query: str, content: str, rows: Sequence[Paragraph], docs: Mapping[str, DocInfo], *,
                       named: bool, part: str, titled: set[str]) -> dict[str, np.ndarray]:
    """One array per feature over the candidate rows, in a fixed order; search/weights.py weighs them.

    `content` is the question without the words that only name a text; `named` says whether a symbol named one;
    `part` is "preambular" | "operative" | "" as the question points; `titled` the documents named by title words.
    """
    parts: dict[str, np.ndarray] = {}

    def add(name: str, values) -> None:
        parts[name] = np.asarray(values, dtype=np.float32)

    add("preambular", [p.role == "preambular" for p in rows])
    if W.MODAL_PREAMBLE_PENALTY and MODAL_QUESTION.search(query):
        # "Can a country refuse to help ...?": what is allowed or required is set by operative paragraphs
        add("modal_preamble", [p.role == "preambular" for p in rows])
    # an article's first paragraph states its rule; the later ones qualify it (conditions, exceptions)
    add("article_lead", [bool(ARTICLE_LEAD.search(p.para)) for p in rows])
    if WHEN_QUESTION.search(query):  # "when ...?" is answered by a paragraph that names a time
        add("when", [bool(TIME_WORDS.search(p.text)) for p in rows])
    if part:
        add("part", [p.role == ("preambular" if part == "preambular" else "operative") for p in rows])
    verbs = question_verbs(query, named)
    if verbs:  # "what does 77/37 decide", "what is the OEWG's mandate": its operative paragraphs answer
        operative = np.array([p.role == "operative" for p in rows])
        opening = np.array([p.role == "operative" and opening_verb(p.text) in verbs for p in rows])
        # the share of the question's other words ("programme of action") each operative paragraph holds
        wanted = set(tokenize(strip_verbs(content)))
        share = np.array([len(wanted & set(tokenize(p.text))) / len(wanted) if o and wanted else 0.0
                          for o, p in zip(operative, rows)])
        if W.VERB_ON_TOPIC and wanted:
            # "decide about the programme of action": the verb alone must not lift "Decides to include
            # in the provisional agenda"; paragraphs sharing the question's other words come first
            opening &= share > 0  # "what did it welcome?" names no topic: every verb counts
        add("operative_asked", operative)
        add("opening", opening)
        if W.PREAMBLE_VERB_BOOST:
            # "what does L.37 welcome?": a text that welcomes nothing in its operative part may do so in its
            # preamble ("Welcoming the effective work of the Group ...")
            acting = {p.symbol for p, o in zip(rows, opening) if o}
            said = np.array([p.role == "preambular" and p.symbol not in acting and opening_verb(p.text) in verbs
                             and (not wanted or bool(wanted & set(tokenize(p.text)))) for p in rows])
            add("opening_preamble", said)
        if asks_decisions(query):  # "decide about X": what the text does about X, whatever the verb
            add("decision", (share > 0) & ~opening)
            # ... which its preamble never does: it recalls, notes and welcomes what others did
            add("decision_preamble", [p.role == "preambular" for p in rows])
        if asks_mandate(query):  # the paragraph that creates the body named states what it is for
            add("mandate", [created_share(p.text, wanted, tokenize) if o else 0.0 for o, p in zip(operative, rows)])
    if titled:  # the text is named by the words of its title, softly
        add("title_named", [p.symbol in titled for p in rows])
        if W.TREATY_PREAMBLE_PENALTY and TREATY_NAME.search(query) and not PURPOSE_QUESTION.search(query):
            # "does the cybercrime treaty let police ...?": a treaty's rules are in its articles (what it is
            # for, "is the treaty meant to ...", is said in its preamble)
            add("treaty_preamble", [p.symbol in titled and p.role == "preambular" for p in rows])
    kind = answer_kind(query) if W.KIND_BOOST else None
    if kind in W.KINDS_BOOSTED:  # "what counts as a serious crime?": paragraphs giving that kind of fact
        add("gives_kind", [gives(p.text, kind, content) for p in rows])
    if asks_statements(query):  # "did any delegation argue ...?": the statements answer, not the resolutions
        add("statement_asked", [docs[p.symbol].kind == "statement compendium" for p in rows])
    if asks_follow_up(query):  # "will it come back on the agenda?": the paragraph that puts it there
        add("follow_up", [p.role == "operative" and keeps_on_agenda(p.text) for p in rows])
    heading = np.array([p.role == HEADING_ROLE for p in rows])
    fact = is_fact_question(query)
    add("heading_fact", heading & fact)
    add("heading_other", heading & (not fact))
    if W.EXTRA_FEATURES:  # measured by the bench's fitted model only (weights 0 unless it wins)
        add("recency", [int((docs[p.symbol].date or "2000")[:4]) / 10 - 202 for p in rows])
        add("statement", [docs[p.symbol].kind == "statement compendium" for p in rows])
        add("length", [min(1.0, len(p.text) / 1500) for p in rows])
    return parts
