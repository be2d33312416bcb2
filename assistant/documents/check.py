"""`norms docs --check`: flag corpus documents whose text looks broken, and say why."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import NormsError
from assistant.documents.furniture import PAGE_BREAK
from assistant.documents.masthead import SYMBOL
from assistant.documents.notecalls import glued_calls
from assistant.records import Document, Paragraph

MIN_WORDS = 4  # one-line amendments ("Delete operative paragraph 9.") are real documents
MIN_WORDS_PER_PAGE = 40  # a printed UN page holds 300-500; far fewer means pages without a text layer
MIN_ENGLISH_SHARE = 0.5  # the OEWG compendium, the most multilingual real document, is 65% English
MAX_UNREADABLE_SHARE = 0.01  # replacement characters, private-use glyphs, "(cid:12)" from broken fonts
# What read_masthead records when it recognises a UN masthead; none of them means it found none.
MASTHEAD_KEYS = ("distribution", "distributed", "original", "agenda_item", "session", "adopted", "formula",
                 "doc_type", "number", "sponsors")  # not "meeting": the colophon closes the text, it heads nothing


@dataclass
class CheckResult:
    path: str
    symbol: str
    reasons: list[str] = field(default_factory=list)


def is_un_symbol(symbol: str) -> bool:
    return "/" in symbol and bool(SYMBOL.match(symbol))


def check_document(doc: Document, paragraphs: list[Paragraph]) -> list[str]:
    """Reasons to distrust a document's text; empty when it looks sound."""
    body = [p for p in paragraphs if p.role != "footnote"]
    if not body:
        return ["no paragraphs found"]
    reasons: list[str] = []
    if is_un_symbol(doc.symbol) and not any(doc.meta.get(key) for key in MASTHEAD_KEYS):
        reasons.append("no UN masthead (symbol, Distr., date, title) at the top, though the symbol is a UN one: "
                       "is the first page missing?")
    text = " ".join(p.text for p in body)
    letters_by_language: Counter[str] = Counter()
    for p in body:
        letters_by_language[p.language] += sum(1 for c in p.text if c.isalpha())
    known = sum(n for language, n in letters_by_language.items() if language != "und")
    if known and letters_by_language["en"] / known < MIN_ENGLISH_SHARE:
        top = max((lang for lang in letters_by_language if lang != "und"), key=letters_by_language.get)
        reasons.append(f"mostly non-English ({letters_by_language['en'] / known:.0%} English, "
                       f"mostly {top}): a translation, not the English version?")
    words = len(text.split())
    pages = 1 + sum(1 for line in doc.body if line == PAGE_BREAK)
    if words < MIN_WORDS:
        reasons.append(f"suspiciously short ({words} words)")
    elif pages >= 3 and words / pages < MIN_WORDS_PER_PAGE:
        reasons.append(f"suspiciously short for {pages} pages ({words} words): pages without a text layer?")
    unreadable = sum(1 for c in text if c == "\ufffd" or "\ue000" <= c <= "\uf8ff") + 5 * text.count("(cid:")
    if unreadable > MAX_UNREADABLE_SHARE * len(text):
        reasons.append(f"garbled text ({unreadable} unreadable characters): the PDF's fonts lack a text mapping")
    glued = [(p.para, piece) for p in body if p.role != "plain" or p.language == "en" for piece in glued_calls(p.text)]
    if glued:
        para, piece = glued[0]
        reasons.append(f"text looks glued to footnote calls in {len(glued)} place{'s' * (len(glued) > 1)} "
                       f"(e.g. {piece!r} in {para}): quotes would carry the call numbers")
    return reasons


def check_corpus(corpus: list[Path]) -> list[CheckResult]:
    """Read every corpus file (not the index, so this works before indexing) and check it."""
    from assistant.documents.chunk import chunk_document
    from assistant.documents.read import corpus_files, read_document

    results = []
    for path in corpus_files(corpus):
        try:
            doc = read_document(path)
            reasons = check_document(doc, chunk_document(doc))
            results.append(CheckResult(os.fspath(path), doc.symbol, reasons))
        except NormsError as exc:
            reason = str(exc).removeprefix(f"{path}: ")  # the report names the file already
            results.append(CheckResult(os.fspath(path), "", [f"unreadable: {reason}"]))
    return results
