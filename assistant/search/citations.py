"""Speakers a question names ("What did Switzerland say ..."), and citations norms printed, read back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.records import SPEAKER_MARK, speaker_name


@dataclass
class Citation:
    """A citation as norms prints it, read back: the document as written and the paragraph's label."""

    symbol: str  # as written; the searcher resolves it
    para: str  # the label as the index stores it: "1.6", "1(a)", "PP3", "¶4", "El Salvador ¶3"


# Short names people use for speakers whose official names are longer (matched case-sensitively).
SPEAKER_ALIASES = {"EU": "European Union", "Russia": "Russian Federation", "United States": "United States of America",
                   "USA": "United States of America", "US": "United States of America", "U.S.": "United States of America",
                   "South Korea": "Republic of Korea", "Korea": "Republic of Korea", "Iran": "Iran (Islamic Republic of)"}


@lru_cache(maxsize=32)
def _speaker_patterns(speakers: tuple[str, ...]) -> list[tuple[re.Pattern[str], str]]:
    """A word-bounded pattern per name a speaker goes by: its full name and the name before "(...)"."""
    patterns = []
    for speaker in speakers:
        for name in {speaker, speaker.split(" (")[0]}:
            patterns.append((re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", re.I), speaker))
    names = {s.split(" (")[0] for s in speakers} | set(speakers)
    for alias, name in SPEAKER_ALIASES.items():
        for speaker in speakers:
            if name in (speaker, speaker.split(" (")[0]) and alias not in names:
                patterns.append((re.compile(r"(?<![\w.-])" + re.escape(alias) + r"(?![\w-])"), speaker))
    return patterns


# A State after these words is what the question is about, not who is speaking: "What did Switzerland say about Russia?"
# ... and after "sponsored by", "tabled by": the State put a text forward, it is not a speaker of the compendium.
_TOPIC_BEFORE = re.compile(r"(?:\b(?:about|on|against|in|into|to|towards?|with|concerning|regarding)"
                           r"|\b(?:(?:co-?)?sponsored|tabled|introduced|submitted|drafted|proposed|put\s+forward|led)\s+by)"
                           r"\s+(?:the\s+)?$", re.I)


def named_speakers(question: str, speakers: tuple[str, ...]) -> list[str]:
    """The speakers a question names, in the corpus's spelling; "Nicaragua" names both its statements.

    A State named after "about", "on", "against" ... is the question's topic and restricts nothing.
    """
    found = [speaker for pattern, speaker in _speaker_patterns(speakers)
             if any(not _TOPIC_BEFORE.search(question[: m.start()]) for m in pattern.finditer(question))]
    return list(dict.fromkeys(found))


_PAGE_NOTE = re.compile(r"\s*\(p\.\s*\d{1,4}\)\s*$")
_LABEL_PREFIX = re.compile(r"^(?:para(?:graph)?\.?|OP|op\.?)\s*", re.I)


def parse_citation(text: str) -> Citation | None:
    """Read back a citation norms printed: "A/RES/73/27, para. 1.6", "A/C.1/73/L.37, OP 1(a)",
    "PARIS-CALL-2018, ¶4 (p. 2)", "A/AC.292/2025/INF/5/Rev.1, El Salvador (courtesy translation), ¶3 (p. 12)".

    None when the text is not "SYMBOL, LABEL" (a bare symbol, say).
    """
    symbol, comma, rest = " ".join(text.split()).partition(",")
    rest = _PAGE_NOTE.sub("", rest).strip()
    if not comma or not symbol.strip() or not rest:
        return None
    who, comma, label = rest.rpartition(",")
    label = label.strip()
    if comma and who.strip() and label.startswith("¶"):
        return Citation(symbol.strip(), f"{speaker_name(who.strip())}{SPEAKER_MARK}{label[1:].strip()}")
    return Citation(symbol.strip(), _LABEL_PREFIX.sub("", rest))
