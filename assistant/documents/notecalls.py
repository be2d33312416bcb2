"""Footnote calls printed against the words they follow ("the 2010,1 20132 and 20153 reports"): find, take out, flag."""

from __future__ import annotations

import re

LOOKAHEAD = 3  # a call the text extraction lost must not stop the calls after it from being found
_YEAR = r"(?:19|20)\d\d"
# Words that a number follows as part of the text, not as a footnote call: "paragraph 3 and", "resolution 2 of"
NUMBERED_WORDS = {
    "paragraph", "paragraphs", "para", "paras", "resolution", "resolutions", "decision", "decisions", "article",
    "articles", "rule", "rules", "chapter", "chap", "section", "sect", "annex", "annexes", "item", "items", "part",
    "parts", "goal", "goals", "target", "targets", "principle", "principles", "number", "no", "vol", "page",
    "pages", "phase", "level", "category", "protocol", "step", "group", "table", "figure", "option", "session",
    "sessions", "cluster", "pillar", "norm", "norms", "recommendation", "recommendations", "and", "or", "to", "of",
    "on", "in", "at", "by", "from", "until", "since", "between", "before", "after", "the", "its", "their", "for",
    "with", "under", "over", "than", "about", "some", "all", "per", "each", "every", "only", "least", "most",
}


_UNITS = r"(?:million|billion|trillion|per|percent|years?|months?|days?|weeks?|hours?|times)\b"
# not before "and 23 September" (a range of days) or "trillion" (an amount): no call
_SPACED_AFTER_WORD = r"\b(?P<word>[^\W\d_]+)[”’\"')]?[,;:]?(?P<call>\s{m})(?!\s+and\s+\d|\s+{units})(?=\s+[a-z]|\s*[,;.]|$)"


def _call_patterns(mark: str, spaced: bool = True) -> list[re.Pattern]:
    """Where footnote `mark` can stand, glued or spaced, in extracted UN text; the group "call" is the call itself.

    Only a year, a word or closing punctuation can carry a call: "20132" (2013 + call 2),
    "Security;3", "reports,2", "2010, 1 2013" (a call spaced out after a year). A number after a
    full stop that itself follows a digit is a decimal or a paragraph number ("1.6"), never a call.
    """
    m = re.escape(mark)
    end = r"(?=[\s,;.:)\]]|$)"
    return [
        re.compile(rf"\b{_YEAR}(?P<call>{m}){end}"),  # 20132 -> 2013 + 2
        # Hostages5, Security;3, report,”2; not "UNDC2" or "G20", names that end in a number
        re.compile(rf"(?:[a-z]|[^\W\d_][”’\"')\]][,;:.]?|[^\W\d_][,;:.])(?P<call>{m}){end}"),
        re.compile(rf"\b{_YEAR}[,;:](?P<call>{m})(?=\s)"),  # 2010,1 and
        re.compile(rf"\b{_YEAR},?(?P<call>\s{m})(?=\s+(?:and\s|{_YEAR}|[a-z]))"),  # 2010, 1 2013 2 and 2015 3 reports
        re.compile(rf"\b\d{{1,3}}/\d{{1,4}}[,;:](?P<call>{m}){end}"),  # resolution 77/37,4 including
        re.compile(rf"\b(?:first|second|third|fourth|fifth|final)(?P<call>\s{m})(?=\s+and\s)"),  # the first 1 and second
    ] + ([re.compile(_SPACED_AFTER_WORD.format(m=m, units=_UNITS))] if spaced else [])  # Human Rights 1 and, Rights, 2 the


def take_calls(text: str, marks: list[str], spaced: bool = True) -> tuple[str, list[int]]:
    """Remove, in order, the calls of the next footnotes (marks in reading order) found in text.

    Returns the cleaned text and the positions in `marks` of the calls found. Calls are numbered in reading
    order, so only the next few expected marks are looked for, each after the one before: a number
    that merely looks like a call elsewhere in the text is left alone. `spaced` also takes a number
    standing alone after a word ("Human Rights 1 and"), as raw PDF text prints calls; it is meant for
    the next expected calls only, not for notes called again.
    """
    found: list[int] = []
    position = done = 0
    queue = list(marks)
    while queue:
        best: tuple[int, int, int, str] | None = None  # (start, end, queue index, mark)
        for q, mark in enumerate(queue[:LOOKAHEAD]):
            for pattern in _call_patterns(mark, spaced):
                m = _search(pattern, text, position)
                if m and (best is None or m.start("call") < best[0]):
                    best = (m.start("call"), m.end("call"), q, mark)
        if best is None:
            break
        start, end, q, mark = best
        text = text[:start] + text[end:]
        found.append(done + q)
        position = start
        done += q + 1
        del queue[: q + 1]
    return text, found


def _search(pattern: re.Pattern, text: str, position: int) -> re.Match | None:
    """The first match at or after position whose word before the number is not one that numbers take."""
    while (m := pattern.search(text, position)) is not None:
        if "word" not in pattern.groupindex or m.group("word").lower() not in NUMBERED_WORDS:
            return m
        position = m.start() + 1
    return None


_GLUED = [
    re.compile(rf"\b{_YEAR}\d{{1,2}}\b"),  # "20132"
    re.compile(r"\b[^\W\d_]+[a-z][”’\")]?[,;:.]?\d{1,2}(?=[\s,;.:]|$)"),  # "Security;3", "reports2", not "SDG16"
]


def glued_calls(text: str) -> list[str]:
    """Pieces of text that still look like a footnote call glued to a word or year (for `docs --check`)."""
    return [m.group(0) for pattern in _GLUED for m in pattern.finditer(text)
            if not re.match(r"(?:Rev|Corr|Add|Amend|Suppl|No|Part)\.\d", m.group(0))]
