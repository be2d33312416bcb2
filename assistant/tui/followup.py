"""Read a short follow-up ("and in 2021?", "what about the Paris Call?") as the previous question
with a new year range or document. Pure functions: no Textual, unit-tested on their own."""

from __future__ import annotations

import re
from typing import NamedTuple

from assistant.records import Filters
from assistant.sanitize import one_line
from assistant.tui.filtering import describe_dates, year_bounds

# Words that open a follow-up; longest first so "and what about" wins over "and".
LEADS = ("and what about", "and how about", "what about", "how about", "what of", "same for", "same in",
         "and", "but", "also", "then", "now")
MAX_WORDS = 8  # a follow-up is short; anything longer is a question of its own
BARE_MAX_WORDS = 4  # without a lead word only a bare reference ("2021?", "the Paris Call?") counts
# Words that carry no topic once the lead, years and document are gone ("and what did it say in 2021").
FILLER = {"the", "a", "an", "in", "on", "for", "of", "at", "during", "year", "years", "same", "about", "that",
          "this", "it", "its", "what", "does", "do", "did", "say", "says", "said", "they", "them", "there",
          "is", "are", "was", "were", "anything", "one", "ones", "to", "from", "by", "please"}

_Y = r"((?:19|20)\d\d)"
# (pattern, how to turn its years into (since, until)); tried in order, each match removed from the text.
_YEAR_RULES: list[tuple[re.Pattern, object]] = [
    (re.compile(rf"\bbetween {_Y} and {_Y}\b"), lambda a, b: (min(a, b), max(a, b))),
    (re.compile(rf"\b(?:from )?{_Y}\s*(?:-|–|—|to|until|till|through)\s*{_Y}\b"), lambda a, b: (min(a, b), max(a, b))),
    (re.compile(rf"\b(?:since|from) {_Y}\b"), lambda a: (a, None)),
    (re.compile(rf"\bafter {_Y}\b"), lambda a: (a + 1, None)),
    (re.compile(rf"\bbefore {_Y}\b"), lambda a: (None, a - 1)),
    (re.compile(rf"\b(?:until|till|through|up to|by) {_Y}\b"), lambda a: (None, a)),
]
_BARE_YEAR = re.compile(rf"\b{_Y}\b")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class Followup(NamedTuple):
    """How a follow-up was understood: the question to ask, its filters, and a line for the user."""

    question: str
    filters: Filters
    explanation: str


def interpret_followup(text: str, previous_question: str | None, known_docs: dict[str, str]) -> Followup | None:
    """The previous question with the year range or documents `text` names, or None if `text`
    is not a follow-up (too long, no year or document, or words left over that change the topic).

    `known_docs` maps symbol -> title. Only what `text` names is filtered on: an earlier follow-up's
    year or document is not carried, since UN documents have one date and the two rarely combine.
    """
    topic = one_line(previous_question or "")
    said = one_line(text).lower().rstrip("?!. ")
    if not topic or not said:
        return None
    words = said.split()
    lead = next((w for w in LEADS if said == w or said.startswith(w + " ")), None)
    if len(words) > (MAX_WORDS if lead else BARE_MAX_WORDS):
        return None
    rest = said[len(lead):] if lead else said

    years, rest = _find_years(rest)
    docs, rest = _find_symbols(rest, known_docs)
    leftover = [w for w in _WORD.findall(rest) if w not in FILLER]
    if leftover and not docs:
        docs = _docs_named_by(leftover, known_docs)
        leftover = [] if docs else leftover
    if leftover or not (years or docs):
        return None

    filters = Filters()
    if docs:
        filters.docs = docs
    if years:
        filters.since, filters.until = year_bounds(*years)
    return Followup(topic, filters, f"“{topic}” ({describe_followup(filters)})")


def describe_followup(filters: Filters) -> str:
    """`year 2021; in PARIS-CALL-2018`: what a follow-up added, for the "Understood as" line."""
    parts = []
    dates = describe_dates(filters.since, filters.until)
    if dates:
        parts.append(f"year {dates}" if dates.isdigit() else dates)
    if filters.docs:
        parts.append("in " + " or ".join(filters.docs))
    return "; ".join(parts)


def _find_years(text: str) -> tuple[tuple[int | None, int | None] | None, str]:
    for pattern, to_range in _YEAR_RULES:
        match = pattern.search(text)
        if match:
            years = to_range(*(int(g) for g in match.groups()))  # type: ignore[operator]
            return years, text[: match.start()] + " " + text[match.end():]
    found = [int(y) for y in _BARE_YEAR.findall(text)]
    if not found:
        return None, text
    return (min(found), max(found)), _BARE_YEAR.sub(" ", text)


def _symbol_keys(symbol: str) -> list[str]:
    """How people type a symbol: in full, or its last two parts ("73/27" for A/RES/73/27)."""
    keys = [symbol.lower()]
    parts = symbol.lower().split("/")
    if len(parts) > 2 and any(ch.isdigit() for ch in parts[-1]):
        keys.append("/".join(parts[-2:]))
    return keys


def _find_symbols(text: str, known_docs: dict[str, str]) -> tuple[list[str], str]:
    found = []
    for symbol in known_docs:
        for key in _symbol_keys(symbol):
            pattern = re.compile(rf"(?<![\w/.]){re.escape(key)}(?![\w/])")
            if pattern.search(text):
                found.append(symbol)
                text = pattern.sub(" ", text)
                break
    return found, text


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _docs_named_by(words: list[str], known_docs: dict[str, str]) -> list[str]:
    """Documents whose title or symbol contains every one of `words` ("paris call" -> PARIS-CALL-2018)."""
    wanted = {_stem(w) for w in words}
    if all(len(w) < 3 for w in wanted):
        return []
    named = []
    for symbol, title in known_docs.items():
        vocabulary = {_stem(w) for w in _WORD.findall(f"{symbol} {title}".lower())} | _acronyms(title)
        if wanted <= vocabulary:
            named.append(symbol)
    return named


_CONNECTORS = {"of", "on", "the", "and", "for", "in", "to", "a", "an"}


def _acronyms(title: str) -> set[str]:
    """Short forms a title supports: "Group of Governmental Experts" gives "gge" (3 to 5 letters)."""
    words = re.findall(r"[^\W_]+(?:-[^\W_]+)*", title)
    # A capitalised compound counts every part: "Open-ended Working Group" gives "oewg".
    initials = "".join("".join(part[0] for part in w.split("-")) for w in words
                       if w.lower() not in _CONNECTORS and w[0].isupper()).lower()
    return {initials[i:j] for i in range(len(initials)) for j in range(i + 3, min(i + 5, len(initials)) + 1)}
