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
def _state_file(path: Path = STATES) -> tuple[tuple[str, str], ...]:
    """(name as written, UN name) for every name a State goes by, read once."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            official, *others = line.split("\t")
            pairs += [(name, official) for name in [official, *others]]
    return tuple(pairs)


@lru_cache(maxsize=1)
def _official_names() -> dict[str, str]:
    """Every name a State goes by (lowercased, acronyms as written) -> its UN name."""
    return {name if name.isupper() else name.lower(): official for name, official in _state_file()}


@lru_cache(maxsize=2)
def _speaking(acronyms: bool) -> re.Pattern:
    """One pattern for a State as the speaker of the question: "did China say", "according to France",
    "the UK position", "Japan thinks". Acronyms ("US", "UK") match only in capitals, other names in any case."""
    names = sorted((n for n in _official_names() if n.isupper() == acronyms), key=len, reverse=True)
    alt = "|".join(re.escape(n) for n in names)
    pattern = (rf"\b(?:did|does|do|has|have|had|would|according\s+to)\s+(?:the\s+)?(?P<a>{alt})(?![\w-])"
               rf"|(?<![\w-])(?P<b>{alt})(?:'s|’s)?\s+(?:\w+\s+)?{_ABOUT}\b"
               rf"|(?<![\w-])(?P<c>{alt})\s+(?:has\s+|have\s+)?{_SPEECH}\b")
    if acronyms:
        return re.compile(pattern)
    return re.compile(pattern, re.I)


_ASKS_SPEECH = re.compile(rf"\b(?:{_SPEECH}|{_ABOUT}|according\s+to)\b", re.I)


def silent_states(question: str, speakers: list[str] | tuple[str, ...]) -> list[str]:
    """The States the question asks to have spoken whose statements the corpus does not hold (UN names)."""
    if not _ASKS_SPEECH.search(question):  # cheap: most questions ask no one's words
        return []
    heard = {s.split(" (")[0].lower() for s in speakers} | {s.lower() for s in speakers}
    names = _official_names()
    silent: list[str] = []
    for acronyms in (False, True):
        for m in _speaking(acronyms).finditer(question):
            said = next(g for g in m.groups() if g)
            official = names[said if acronyms else said.lower()]
            if official.lower() not in heard and official.split(" (")[0].lower() not in heard and official not in silent:
                silent.append(official)
    return silent


@lru_cache(maxsize=1)
def _state_names() -> re.Pattern:
    names = [name for name, _ in _state_file() if not name.isupper()]  # "US", "UK" as words are too loose here
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w-])")


def states_named(text: str) -> list[str]:
    """The States a text names (UN or common names, as written)."""
    return _state_names().findall(text)


def is_state(name: str) -> bool:
    """Whether the words are a State's name (UN or common: "Republic of Korea", "South Korea")."""
    return name in _official_names() or name.lower() in _official_names()
