"""Guess the language of a text (en, fr, es, ru, ar, ...) from its script and common words."""

from __future__ import annotations

import re

_WORDS = re.compile(r"[^\W\d_]+")
# A few very frequent function words per language; enough to tell UN languages apart.
_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "that", "is", "for", "on", "with", "as", "by", "its", "this", "be", "are",
           "we", "our", "thank", "you"},
    "fr": {"le", "la", "les", "des", "et", "du", "un", "une", "est", "que", "dans", "pour", "au", "sur", "nous", "aux",
           "de", "ce", "qui", "pas", "ne", "il", "merci", "monsieur"},
    "es": {"el", "los", "las", "del", "y", "que", "en", "por", "con", "una", "para", "su", "al", "se", "es", "lo",
           "la", "de", "como", "este", "esta", "ha", "gracias", "muchas", "señor", "sr", "presidente", "sobre"},
}
# Letters one of the two Romance languages uses and the other does not: they settle close calls
# such as "La presente explicación de posición ha sido remitida a la Secretaría".
_ACCENTS = {"fr": set("èêëàâçîïôûùœ"), "es": set("ñáíóú¿¡")}


def detect_language(text: str) -> str:
    """ISO 639-1 code; "und" when there is too little text to tell."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3:
        return "und"
    # the script settles even a greeting ("Господин Председатель,"); Arabic PDFs often carry presentation forms
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff")
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    cjk = sum(1 for c in letters if "\u4e00" <= c <= "\u9fff")
    for code, count in (("ar", arabic), ("ru", cyrillic), ("zh", cjk)):
        if count > 0.4 * len(letters):
            return code
    words = [w.lower() for w in _WORDS.findall(_without_symbols(text))]
    scores = {code: sum(1 for w in words if w in stop) for code, stop in _STOPWORDS.items()}
    lowered = text.lower()
    for code, accents in _ACCENTS.items():
        scores[code] += sum(1 for c in lowered if c in accents) / 2
    best = max(scores, key=scores.get)
    if len(words) < 12 and scores[best] < 2:
        return "und"  # "Ibid., para. 38." or "Mr Chair,": one common word proves nothing; the caller decides
    return best if scores[best] > 0 else "en"


def _without_symbols(text: str) -> str:
    """The text without tokens holding a slash ("A/ES-10/273", "www.un.org/en"): words of no language.

    A split, not the regex \\S*/\\S*: that one backtracks over every start of a long unbroken line
    (quadratic: 19 s for 100 KB without a space).
    """
    return " ".join(token for token in text.split() if "/" not in token)
