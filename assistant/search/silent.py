"""States a question asks to have spoken ("What did China say ...?") of which the corpus holds no statement."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

STATES = Path(__file__).resolve().parents[1] / "data" / "states.txt"
# What a State says: the question asks for its words, its position or its proposal.
_SPEECH = (r"(?:say|says|said|state|states|stated|propose[sd]?|argue[sd]?|want(?:s|ed)?|call(?:s|ed)?|suggest(?:s|ed)?"
           r"|think|thinks|thought|stress(?:es|ed)?|emphasi[sz]e[sd]?|express(?:es|ed)?|explain(?:s|ed)?|insist(?:s|ed)?"
           r"|warn(?:s|ed)?|mention(?:s|ed)?|raise[sd]?|highlight(?:s|ed)?|object(?:s|ed)?|tell|told|consider(?:s|ed)?)")
_ABOUT = r"(?:position|positions|view|views|statement|statements|stance|proposal|proposals|remarks|comments)"


@lru_cache(maxsize=1)
def _state_patterns(path: Path = STATES) -> tuple[tuple[re.Pattern, str], ...]:
    """(pattern of a State as the speaker of the question, its UN name) for every name the State goes by."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        official, *others = line.split("\t")
        for name in [official, *others]:
            flags = 0 if name.isupper() else re.I  # "US" only in capitals, not the word "us"
            name_re = re.escape(name)
            pattern = (rf"\b(?:did|does|do|has|have|had|would|according\s+to)\s+(?:the\s+)?{name_re}(?![\w-])"
                       rf"|(?<![\w-]){name_re}(?:'s|’s)?\s+(?:\w+\s+)?{_ABOUT}\b"
                       rf"|(?<![\w-]){name_re}\s+(?:has\s+|have\s+)?{_SPEECH}\b")
            out.append((re.compile(pattern, flags), official))
    return tuple(out)


def silent_states(question: str, speakers: list[str] | tuple[str, ...]) -> list[str]:
    """The States the question asks to have spoken whose statements the corpus does not hold (UN names)."""
    heard = {s.split(" (")[0].lower() for s in speakers} | {s.lower() for s in speakers}
    silent = []
    for pattern, official in _state_patterns():
        if official.lower() in heard or official.split(" (")[0].lower() in heard or official in silent:
            continue
        if pattern.search(question):
            silent.append(official)
    return silent


@lru_cache(maxsize=1)
def _state_names(path: Path = STATES) -> re.Pattern:
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            names += [n for n in line.split("\t") if not n.isupper()]  # "US", "UK" as words are too loose here
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w-])")


def states_named(text: str) -> list[str]:
    """The States a text names (UN or common names, as written)."""
    return _state_names().findall(text)
