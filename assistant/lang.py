"""Guess the language of a text (en, fr, es, ru, ar, ...) from its script and common words."""

from __future__ import annotations

import re

_WORDS = re.compile(r"[^\W\d_]+")
# A few very frequent function words per language; enough to tell UN languages apart.
_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "that", "is", "for", "on", "with", "as", "by", "its", "this", "be", "are"},
    "fr": {"le", "la", "les", "des", "et", "du", "un", "une", "est", "que", "dans", "pour", "au", "sur", "nous", "aux"},
    "es": {"el", "los", "las", "del", "y", "que", "en", "por", "con", "una", "para", "su", "al", "se", "es", "lo"},
}


def detect_language(text: str) -> str:
    """ISO 639-1 code; "und" when there is too little text to tell."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 8:
        return "und"
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff")
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    cjk = sum(1 for c in letters if "\u4e00" <= c <= "\u9fff")
    for code, count in (("ar", arabic), ("ru", cyrillic), ("zh", cjk)):
        if count > 0.4 * len(letters):
            return code
    words = [w.lower() for w in _WORDS.findall(text)]
    scores = {code: sum(1 for w in words if w in stop) for code, stop in _STOPWORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else "en"
