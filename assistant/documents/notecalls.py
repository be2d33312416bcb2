"""Footnote calls printed against the words they follow ("the 2010,1 20132 and 20153 reports"): find, take out, flag."""

from __future__ import annotations

import re

LOOKAHEAD = 3  # a call the text extraction lost must not stop the calls after it from being found
_YEAR = r"(?:19|20)\d\d"


def _call_patterns(mark: str) -> list[re.Pattern]:
    """Where footnote `mark` can stand, glued or spaced, in extracted UN text; group 1 is the call itself.

    Only a year, a word or closing punctuation can carry a call: "20132" (2013 + call 2),
    "Security;3", "reports,2", "2010, 1 2013" (a call spaced out after a year). A number after a
    full stop that itself follows a digit is a decimal or a paragraph number ("1.6"), never a call.
    """
    m = re.escape(mark)
    end = r"(?=[\s,;.:)\]]|$)"
    return [
        re.compile(rf"\b{_YEAR}({m}){end}"),  # 20132 -> 2013 + 2
        re.compile(rf"[^\W\d_][”’\"')\]]?[,;:.]?({m}){end}"),  # Security3, Security;3, report,”2
        re.compile(rf"\b{_YEAR}[,;:]({m})(?=\s)"),  # 2010,1 and
        re.compile(rf"\b{_YEAR},?(\s{m})(?=\s+(?:and\s|{_YEAR}|[a-z]))"),  # 2010, 1 2013 2 and 2015 3 reports
        re.compile(rf"\b\d{{1,3}}/\d{{1,4}}[,;:]({m}){end}"),  # resolution 77/37,4 including
        re.compile(rf"\b(?:first|second|third|fourth|fifth|final)(\s{m})(?=\s+and\s)"),  # the first 1 and second
    ]


def take_calls(text: str, marks: list[str]) -> tuple[str, list[int]]:
    """Remove, in order, the calls of the next footnotes (marks in reading order) found in text.

    Returns the cleaned text and the positions in `marks` of the calls found. Calls are numbered in reading
    order, so only the next few expected marks are looked for, each after the one before: a number
    that merely looks like a call elsewhere in the text is left alone.
    """
    found: list[int] = []
    position = done = 0
    queue = list(marks)
    while queue:
        best: tuple[int, int, int, str] | None = None  # (start, end, queue index, mark)
        for q, mark in enumerate(queue[:LOOKAHEAD]):
            for pattern in _call_patterns(mark):
                m = pattern.search(text, position)
                if m and (best is None or m.start(1) < best[0]):
                    best = (m.start(1), m.end(1), q, mark)
        if best is None:
            break
        start, end, q, mark = best
        text = text[:start] + text[end:]
        found.append(done + q)
        position = start
        done += q + 1
        del queue[: q + 1]
    return text, found


_GLUED = [
    re.compile(rf"\b{_YEAR}\d{{1,2}}\b"),  # "20132"
    re.compile(r"\b[^\W\d_]+[a-z][”’\")]?[,;:.]?\d{1,2}(?=[\s,;.:]|$)"),  # "Security;3", "reports2", not "SDG16"
]


def glued_calls(text: str) -> list[str]:
    """Pieces of text that still look like a footnote call glued to a word or year (for `docs --check`)."""
    return [m.group(0) for pattern in _GLUED for m in pattern.finditer(text)]
