"""What kind of answer a question asks for (a number, a person, a vote) and whether a paragraph can give it."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.records import Hit
from assistant.search.confidence import held_low

# "How many States ...", "What budget ...", "the minimum key length": the answer is a quantity.
_QUANTITY = re.compile(
    r"\bhow\s+(?:many|much)\b"
    r"|\bwhat\s+(?:(?:is|was|were|are)\s+)?(?:the\s+)?(?:total\s+)?(?:budget|amount|number|percentage|proportion|cost|sum|figure"
    r"|fines?|funding\s+level)\b"
    r"|\b(?:minimum|maximum)\s+(?:\w+\s+){0,2}(?:length|size|number|amount|age|penalty|penalties|sentence|fines?|terms?)\b"
    r"|\b(?:prison|jail)\s+(?:terms?|sentences?)\b|\byears\s+(?:in|of)\s+(?:prison|jail)\b", re.I)
# "Who chaired the GGE?": the answer is a person (a holder of an office), which a paragraph names with a title.
_PERSON = re.compile(r"\bwho\s+(?:chaired|chairs|presided|presides|headed|heads|led|leads|was\s+(?:the\s+)?"
                     r"(?:chair\w*|president|head|rapporteur|facilitator|leader))\b", re.I)
# "How did each country vote?": only a text that records a vote answers (most record none).
_VOTE = re.compile(r"\bhow\s+(?:did|do|does)\s+.*\bvote\b|\b(?:who|which\s+(?:States|countries))\s+voted\b"
                   r"|\bvot(?:e|ing)\s+(?:record|results?|tally|count)\b|\brecorded\s+vote\b", re.I)

# Numbers that are not quantities: symbols, years, dates, article and paragraph references, list labels.
_NOT_QUANTITY = re.compile(
    r"\b[A-Z]{1,4}(?:\.\d+)?/[\w./-]+"  # A/RES/73/27, A/C.1/73/L.37
    r"|\b\d{1,3}/\d{1,4}\b"  # 73/27
    r"|\b(?:19|20)\d\d\b"  # years
    r"|\b\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|\b(?:paragraphs?|articles?|arts?\.|resolutions?|decisions?|items?|rules?|chapters?|sections?|annex)\s+\d+(?:/\d+)*[\w()]*"
    r"|\(\w{1,4}\)|^\s*\d+\.", re.I)
_QUANTITY_WORDS = re.compile(
    r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|half|per\s*cent|percentage"
    r"|tenth|twentieth|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth|hundredth)\b|%|\$", re.I)
_TITLED_PERSON = re.compile(r"\b(?:Mr|Ms|Mrs|Dr|H\.\s?E)\.?\s+[A-Z]|\bAmbassador\s+[A-Z][a-z]+\s+[A-Z]", re.U)
_VOTE_RECORD = re.compile(r"\brecorded\s+vote\b|\bwithout\s+a\s+vote\b|\bin\s+favour\b|\babstentions?\b"
                          r"|\b\d+\s+to\s+\d+\b|\bvoted\b", re.I)


def answer_kind(question: str) -> str | None:
    """"number", "person" or "vote" when the question can only be answered by that kind of fact, else None."""
    if _VOTE.search(question):
        return "vote"
    if _PERSON.search(question):
        return "person"
    if _QUANTITY.search(question):
        return "number"
    return None


def gives(text: str, kind: str) -> bool:
    """Whether a paragraph holds the kind of fact asked for (a quantity, a titled person, a recorded vote)."""
    if kind == "number":
        return bool(_QUANTITY_WORDS.search(_NOT_QUANTITY.sub(" ", text)))
    if kind == "person":
        return bool(_TITLED_PERSON.search(text))
    if kind == "vote":
        return bool(_VOTE_RECORD.search(text))
    return True


def held_low_hits(hits: list[Hit], question: str, names: list[str], silent: list[str], request: dict, depth: int,
                  names_low: int) -> list[Hit]:
    """The hits, all low whatever their scores, when the question asks for a number (a person, a vote) that none
    of the first `depth` gives (0: no check), names `names_low` things the corpus never mentions, or asks what a
    State said that has no statement in the corpus (`silent`); their order stays, and `request` says why."""
    kind = answer_kind(question) if depth else None
    if kind and hits and not any(gives(h.text, kind) for h in hits[:depth]):
        # "How many States have ratified?": close words without the number asked for do not answer it
        request["answer_kind_missing"] = request["held_low"] = kind
    elif len(set(names)) >= names_low:
        # "the EU Cyber Diplomacy Toolbox": a text that never says two of the question's names is not about it
        request["held_low"] = "names"
    elif silent:
        # "What did China say?": other States' statements on the same topic are not China's
        request["silent_states"], request["held_low"] = silent, "statement"
    else:
        return hits
    return [replace(h, confidence="low", score=held_low(h.score)) for h in hits]
