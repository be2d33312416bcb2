"""What kind of answer a question asks for (a number, a person, a place, a vote, who did it) and whether a paragraph gives it."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.records import Hit
from assistant.search.confidence import held_low
from assistant.search.silent import states_named

# "How many States ...", "What budget ...", "the minimum key length": the answer is a quantity.
_QUANTITY = re.compile(
    r"\bhow\s+many\b|\bhow\s+much\b(?!\s+(?:headway|progress|attention|emphasis|importance|weight|influence|say|support"
    r"|priority|room|scope|detail|effort|space|value|trust|of\b))"
    r"|\bwhat\s+(?:(?:is|was|were|are)\s+)?(?:the\s+)?(?:total\s+)?(?:budget|amount|number|percentage|proportion|cost|sum|figure"
    r"|fines?|funding\s+level)\b"
    r"|\b(?:minimum|maximum)\s+(?:\w+\s+){0,2}(?:length|size|number|amount|age|penalty|penalties|sentence|fines?|terms?)\b"
    r"|\bwhat\s+(?:\w+\s+)?(?:prison|jail)\s+(?:terms?|sentences?)\b|\bhow\s+(?:long|many\s+years)\b.*\b(?:prison|jail)\b", re.I)
# "Who chaired the GGE?": the answer is a person (a holder of an office), which a paragraph names with a title.
_PERSON = re.compile(r"\b(?:which|what)\s+(?:delegate|representative|ambassador|diplomat|official|person|chair(?:person)?)\b"
                     r"|\bwho\s+(?:chaired|chairs|presided|presides|headed|heads|led|leads|(?:will|would|is\s+to)\s+(?:chair|head|lead)"
                     r"|(?:was|is|will\s+be)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}(?:chair\w*|president|head|rapporteur|facilitator"
                     r"|leader|envoy|director|commissioner|secretary-general|minister|ambassador|coordinator))\b", re.I)
# "Which States have ratified / signed / sponsored ...?": the answer lists States by name.
_STATES = re.compile(r"\bwhich\s+(?:other\s+)?(?:States|countries|nations|governments|Member\s+States)\s+(?:have\s+|had\s+)?"
                     r"(?:already\s+)?(?:signed|ratified|acceded|joined|voted|sponsored|co-?sponsored|led|drafted|endorsed"
                     r"|supported|opposed|abstained)\b", re.I)
# "How did each country vote?": only a text that records a vote answers (most record none).
_VOTE = re.compile(r"\bhow\s+(?:did|do|does)\s+.*\bvote\b|\bwhat\s+(?:was|were|is)\s+the\s+(?:vote|votes|voting|tally)\b"
                   r"|\b(?:who|which\s+(?:States|countries))\s+voted\b|\bvot(?:e|ing)\s+(?:record|results?|tally|count)\b"
                   r"|\brecorded\s+vote\b", re.I)

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"  # as an alternation
_TIME_UNITS = r"(?:hours?|days?|weeks?|months?|years?)"
# "By what deadline ...", "Within what time must a State respond?", "How soon after ...": a time limit.
_DEADLINE = re.compile(r"\bby\s+what\s+(?:date|deadline|year|time)\b|\bwithin\s+what\s+(?:time|period|deadline)\b"
                       r"|\bwhat\s+(?:is\s+the\s+)?deadline\b|\bby\s+when\b|\bhow\s+soon\b", re.I)
_NUMBER_WORD = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|sixty|ninety)"
_TIME_LIMIT = re.compile(rf"\b(?:(?:19|20)\d\d|{_NUMBER_WORD}\s+{_TIME_UNITS}|{MONTHS}|session)\b")
# "In which city ...", "Where will it be signed?": the answer is a place.
_PLACE = re.compile(r"\b(?:in|at)\s+which\s+(?:city|country|capital|town|venue|place)\b|\bwhat\s+(?:city|venue|location)\b"
                    r"|\bwhere\s+(?:will|would|is|was|were|did|does|do|shall)\b.*\b(?:held|hold|take\s+place|meet|convene[ds]?"
                    r"|sign(?:ed)?|located|based|hosted|host)\b", re.I)
# "Who carried out the 2015 attack on the grid?": the answer names who did it, which UN texts do not do for incidents.
_PERPETRATOR = re.compile(r"\b(?:who|which\s+(?:[\w-]+\s+)?(?:State|country|group|actor)s?)\s+(?:was|were|is|are)?\s*(?:behind|responsible\s+for"
                          r"|carried\s+out|conducted|launched|perpetrated|orchestrated|blamed\s+for|attributed)\s+"
                          r"(?:the|(?:19|20)\d\d)\b.*(?:attack|operation|hack|breach|incident|intrusion|campaign|ransomware)", re.I)
# "How does the convention define ransomware?", "What counts as a serious crime?": only a definition answers.
_DEFINITION = re.compile(r"\bdefin(?:e|es|ed|ing|ition|itions)\b|\bwhat\s+counts\s+as\b|\bmeaning\s+of\b"
                         r"|\bwhat\s+is\s+meant\s+by\b", re.I)
# "“Traffic data” shall mean ...", "ICT system means ...": the words just before the marker are the term defined
_DEFINES = re.compile(r"\b(?:shall\s+mean|means|is\s+defined\s+as|are\s+defined\s+as|refers?\s+to|is\s+understood\s+(?:to\s+mean|as))\b"
                      r"|\b(?:définition|se\s+entiende\s+por|on\s+entend\s+par|significa)\b", re.I)
# "in Hanoi", "at United Nations Headquarters", "in New York": a place named after in/at (not a month, an article ...)
_NAMED_PLACE = re.compile(rf"\b(?:in|at)\s+(?:the\s+)?(?:city\s+of\s+)?(?!(?:{MONTHS}|Article|Articles|Chapter|Annex|Part"
                          r"|Section|General|Member|States?|accordance|Resolution)\b)[A-Z][a-z]+|\bHeadquarters\b")

# Numbers that are not quantities: symbols, years, dates, article and paragraph references, list labels.
_NOT_QUANTITY = re.compile(
    r"\b[A-Z]{1,4}(?:\.\d+)?/[\w./-]+"  # A/RES/73/27, A/C.1/73/L.37
    r"|\b\d{1,3}/\d{1,4}\b"  # 73/27
    r"|\b(?:19|20)\d\d\b"  # years
    r"|\b\d+(?:st|nd|rd|th)\b"  # "its 45th plenary meeting"
    rf"|\b\d{{1,2}}\s+(?:{MONTHS})\b"
    r"|\b(?:paragraphs?|articles?|arts?\.|resolutions?|decisions?|items?|rules?|chapters?|sections?|annex)\s+\d+(?:/\d+)*[\w()]*"
    r"|\b(?:paras?|nos?)\.\s*\d+[\w()]*"  # "(A/77/385, para. 11)"
    # the Assembly's own sessions ("at its seventy-eighth session") number the session, they count nothing
    r"|\b(?:fifty|sixty|seventy|eighty|ninety)-\w+\s+(?:regular\s+|special\s+)?session\b"
    r"|\(\w{1,4}\)|^\s*\d+\.", re.I)
_QUANTITY_WORDS = re.compile(
    r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|half|per\s*cent|percentage"
    r"|tenth|twentieth|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth|hundredth)\b|%|\$", re.I)
_TITLED_PERSON = re.compile(r"\b(?:Mr|Ms|Mrs|Dr|H\.\s?E)\.?\s+[A-Z]|\bAmbassador\s+[A-Z][a-z]+\s+[A-Z]", re.U)
_VOTE_RECORD = re.compile(r"\brecorded\s+vote\b|\bwithout\s+a\s+vote\b|\b\d+\s+in\s+favour\b|\babstentions?\b"
                          r"|\b\d+\s+to\s+\d+\b|\bvoted\b", re.I)


# In order: a question asking how a vote went is about the vote, even when it says "how many".
_ASKS = (("vote", _VOTE), ("perpetrator", _PERPETRATOR), ("person", _PERSON), ("states", _STATES), ("place", _PLACE),
         ("number", _QUANTITY), ("deadline", _DEADLINE), ("definition", _DEFINITION))


def answer_kind(question: str) -> str | None:
    """"number", "person", "place", "vote", "perpetrator", "states" (a list), "deadline" or "definition" when the
    question can only be answered by that kind of fact, else None."""
    return next((kind for kind, pattern in _ASKS if pattern.search(question)), None)


# The unit a quantity of time or money is counted in, for "how long", "how much time", "what budget".
_TIME_ASKED = re.compile(r"\bhow\s+(?:long|soon|often)\b|\b(?:time|deadline|period)\b", re.I)
_TIME_UNIT = re.compile(rf"^\W*(?:\w+\W+){{0,2}}?{_TIME_UNITS}\b", re.I)
_MONEY_ASKED = re.compile(r"\b(?:money|budget|funding|fund|funds|cost|costs|pledged|paid|fines?|dollars?|amount)\b", re.I)
_MONEY_UNIT = re.compile(r"\$|\b(?:dollars?|euros?|USD|EUR|francs?)\b", re.I)
_STOP = frozenset("what which does did the and for with from that this have been many much will would were into about "
                  "under there their they them each how year years".split())
_AFTER = 4  # words after a quantity that say what it counts ("two two-day meetings", "the fortieth instrument of ratification")


_HOW_MANY = re.compile(r"\bhow\s+(?:many|much)\s+((?:[\w'-]+\s+){0,3}[\w'-]+)", re.I)


def _words(text: str) -> list[str]:
    """The words of four letters or more, in order: what the stems below are made of."""
    return re.findall(r"[A-Za-z]{4,}", text)


def _stems(words: list[str]) -> set[str]:
    """First five letters, lowercased: "ratify" and "ratification" meet, "States" and "state" too."""
    return {w[:5].lower() for w in words}


def counted_words(question: str) -> set[str]:
    """The stems (first five letters) of what a quantity that answers the question counts: the words after
    "how many" ("How many delegations took the floor ...": delegations, took, floor), else those of the phrase
    asking for the quantity and the three words after it."""
    m = _HOW_MANY.search(question)
    if m:
        asked = m.group(1)
    else:  # "what minimum age of criminal responsibility", "what budget for the meetings": the phrase and what follows
        q = _QUANTITY.search(question)
        asked = " ".join([q.group(0)] + question[q.end():].split()[:3]) if q else question
    return _stems([w for w in _words(asked) if w.lower() not in _STOP])


def gives_number(text: str, question: str = "") -> bool:
    """Whether the paragraph holds a quantity, and (with the question) one of what the question counts: a time in
    a unit of time, money in a currency, or a number followed within four words by one of the question's words
    ("How many experts?" is not answered by "two two-day meetings")."""
    clean = _NOT_QUANTITY.sub(" ", text)
    if not question:
        return bool(_QUANTITY_WORDS.search(clean))
    wanted = counted_words(question)
    for m in _QUANTITY_WORDS.finditer(clean):
        after = clean[m.end():m.end() + 60]
        if _MONEY_ASKED.search(question) and _MONEY_UNIT.search(clean[max(0, m.start() - 20):m.end() + 30]):
            return True
        if _TIME_ASKED.search(question) and _TIME_UNIT.search(after):
            return True
        if _stems(_words(after)[:_AFTER]) & wanted:
            return True
    return False


def gives(text: str, kind: str, question: str = "") -> bool:
    """Whether a paragraph holds the kind of fact asked for (a quantity of what the question counts, a titled
    person, a recorded vote)."""
    if kind == "number":
        return gives_number(text, question)
    if kind == "person":
        return bool(_TITLED_PERSON.search(text))
    if kind == "deadline":
        return bool(_TIME_LIMIT.search(text))
    if kind == "definition":  # a definition of one of the question's words: the term stands just before the marker
        wanted = counted_words(question)
        before = (_words(text[max(0, m.start() - 80):m.start()])[-6:] for m in _DEFINES.finditer(text))
        return any(not wanted or _stems(words) & wanted for words in before)
    if kind == "vote":
        return bool(_VOTE_RECORD.search(text))
    if kind == "place":
        return bool(_NAMED_PLACE.search(text))
    if kind == "perpetrator":
        return bool(states_named(text))
    if kind == "states":
        return len(set(states_named(text))) >= 2
    return True


# "What did the Global Mechanism decide at its first session in 2026?" asked of texts that end in 2025: what
# happened after the newest text is in none of them (what a text planned for that year is asked otherwise).
_PAST = re.compile(r"\b(?:did|was|were|has|have|had|happened|took\s+place|decided|adopted|agreed|reported)\b", re.I)
_PLANNED = re.compile(r"\b(?:will|shall|would|supposed|planned|scheduled|due|expected|meant|to\s+be)\b", re.I)
_YEAR = re.compile(r"(?<![\d/–-])((?:19|20)\d\d)(?![\d/–-])")


_TENS = {"fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90}
_TEN_WORDS = {"fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_UNITS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9}
_SESSION = re.compile(r"\b(?:(fifty|sixty|seventy|eighty|ninety)-(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
                      r"|(fiftieth|sixtieth|seventieth|eightieth|ninetieth)|(\d{2})(?:st|nd|rd|th))\s+(?:regular\s+)?session\b", re.I)


def session_years(question: str) -> list[int]:
    """The years in which the General Assembly sessions the question names opened ("its eighty-first session": 2026)."""
    out = []
    for tens, unit, round_tens, digits in _SESSION.findall(question):
        number = (_TEN_WORDS[tens.lower()] + _UNITS[unit.lower()] if tens else _TENS[round_tens.lower()] if round_tens
                  else int(digits))
        out.append(1945 + number)
    return out


def after_newest(question: str, newest_year: int) -> bool:
    """Whether the question asks what happened in a year after the newest text (every year it names, or the year
    of every Assembly session it names, is later)."""
    years = [int(y) for y in _YEAR.findall(question)] + session_years(question)
    return bool(years) and min(years) > newest_year and bool(_PAST.search(question)) and not _PLANNED.search(question)


def held_low_hits(hits: list[Hit], question: str, names: list[str], silent: list[str], request: dict, depth: int,
                  names_low: int, newest_year: int = 0) -> list[Hit]:
    """The hits, all low whatever their scores, when the question asks for a number (a person, a vote) that none
    of the first `depth` gives (0: no check), names `names_low` things the corpus never mentions, asks what a
    State said that has no statement in the corpus (`silent`), or what happened after `newest_year`; their order
    stays, and `request` says why."""
    kind = answer_kind(question) if depth else None
    if kind and hits and not any(gives(h.text, kind, question) for h in hits[:depth]):
        # "How many States have ratified?": close words without the number asked for do not answer it
        request["answer_kind_missing"] = request["held_low"] = kind
    elif len(set(names)) >= names_low:
        # "the EU Cyber Diplomacy Toolbox": a text that never says two of the question's names is not about it
        request["held_low"] = "names"
    elif silent:
        # "What did China say?": other States' statements on the same topic are not China's
        request["silent_states"], request["held_low"] = silent, "statement"
    elif newest_year and after_newest(question, newest_year):
        request["newest_year"], request["held_low"] = newest_year, "after"
    else:
        return hits
    return [replace(h, confidence="low", score=held_low(h.score)) for h in hits]
