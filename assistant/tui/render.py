"""Document text as Rich `Text`: controls stripped, always literal (never markup), with the best
sentence and the question's words marked. No Textual here, so it is tested on its own."""

from __future__ import annotations

import re

from rich.style import Style
from rich.text import Text

from assistant.records import Hit
from assistant.sanitize import strip_controls
from assistant.lineage.worddiff import DELETE, INSERT

# Words too common to be worth emphasising in an answer.
STOPWORDS = {"the", "and", "for", "are", "was", "were", "what", "which", "who", "whom", "does", "did", "say",
             "says", "about", "their", "there", "that", "this", "these", "those", "with", "from", "into", "have",
             "has", "had", "how", "why", "when", "where", "should", "shall", "would", "could", "can", "not", "any",
             "all", "its", "our", "they", "them", "you", "your", "tell", "show", "find", "give", "list"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def card_citation(hit: Hit) -> str:
    """`A/RES/73/27 · para. 1.6`: the citation `cite` gives, with a dot instead of the comma."""
    cited = hit.citation()
    prefix = f"{hit.symbol}, "
    return f"{hit.symbol} · {cited[len(prefix):]}" if cited.startswith(prefix) else cited


def _stem(word: str) -> str:
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def query_terms(question: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(question) if len(w) >= 3 and w.lower() not in STOPWORDS}


def _matches(word: str, terms: set[str]) -> bool:
    stem = _stem(word)
    if stem in terms:
        return True
    # Long words match on a shared beginning: "responsible" / "responsibility".
    return len(stem) >= 6 and any(len(t) >= 6 and (stem.startswith(t) or t.startswith(stem)) for t in terms)


def matching_word_spans(text: str, question: str) -> list[tuple[int, int]]:
    terms = query_terms(question)
    if not terms:
        return []
    return [(m.start(), m.end()) for m in _WORD.finditer(text) if _matches(m.group(), terms)]


def clean_with_spans(text: str, spans: list[list[int]]) -> tuple[str, list[tuple[int, int]]]:
    """`strip_controls(text)` with `spans` (offsets into `text`) moved to the same characters.

    Each stretch between span boundaries is cleaned on its own; if that ever differs from cleaning
    the whole (an escape sequence cut by a boundary), the spans are dropped rather than misplaced.
    """
    cuts = sorted({0, len(text), *(max(0, min(len(text), o)) for span in spans for o in span[:2])})
    moved: dict[int, int] = {0: 0}
    pieces: list[str] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        pieces.append(strip_controls(text[start:end]))
        moved[end] = moved[start] + len(pieces[-1])
    clean = "".join(pieces)
    if clean != strip_controls(text):
        return strip_controls(text), []
    out = []
    for span in spans:
        start, end = (moved[max(0, min(len(text), o))] for o in span[:2])
        if end > start:
            out.append((start, end))
    return clean, out


def hit_text(text: str, highlights: list[list[int]], question: str, best: Style, match: Style) -> Text:
    """The paragraph as literal Text: `best` over the highlighted sentences, `match` over question words."""
    clean, sentences = clean_with_spans(text, highlights)
    body = Text(clean, no_wrap=False)  # Text() never parses markup: "[bold]" stays literal
    for start, end in sentences:
        body.stylize(best, start, end)
    for start, end in matching_word_spans(clean, question):
        body.stylize(match, start, end)
    return body


def literal(text: str, style: Style | str = "") -> Text:
    """Untrusted text (titles, questions, labels) made safe and literal for display."""
    return Text(strip_controls(text), style=style)


def score_cells(score: float, top: float, width: int) -> int:
    """How many of `width` cells to fill: relative to the best hit, since engines' scales differ."""
    if top <= 0 or score <= 0:
        return 0
    return max(1, min(width, round(width * score / top)))


def word_diff_text(ops: list[dict], inserted: Style, deleted: Style) -> Text:
    """A word diff in the `trace_to_dict` shape ({"op", "text"}) as literal Text, words joined by spaces."""
    body = Text(no_wrap=False)
    for op in ops:
        words = " ".join(strip_controls(str(op.get("text", ""))).split())
        if not words:
            continue
        if body:
            body.append(" ")
        style = {INSERT: inserted, DELETE: deleted}.get(op.get("op"), "")
        body.append(words, style=style)  # append takes the text as is: no markup is parsed
    return body
