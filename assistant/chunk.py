"""Split a Document's body into the paragraphs users cite: PP1.., 1, 1.6, 13(f), fn2, ¶4."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lang import detect_language
from .layout import PAGE_BREAK
from .models import Document, Paragraph

CHUNKER_VERSION = "1"

_OPERATIVE = re.compile(r"^(\d{1,3})\.(?:\s+|$)")  # "1." alone or "1. Calls upon"
_DOTTED = re.compile(r"^(\d{1,3}\.\d{1,3})\.?(?:\s+|$)")  # "1.6. A State should not"
_LETTER = re.compile(r"^\(([a-z]{1,2})\)(?:\s+|$)")  # "(a) To be guided"
_ROMAN = re.compile(r"^\(((?:x{0,3})(?:ix|iv|v?i{0,3}))\)(?:\s+|$)")  # "(iv)"
_BULLET = re.compile(r"^[-•▪◦]\s+")
_MD_NOTE_REF = re.compile(r"\[(\d{1,3})\]")  # written by markdown_to_text for <sup>n</sup>
_ARTICLE = re.compile(r"^Article\s+(\d{1,3})\b")
_ANNEX = re.compile(r"^Annex(?:\s+[IVX]+)?\b")
_COLOPHON = re.compile(r"^\d+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary meeting\b", re.I)
_TERMINAL = ".;:,!?”\"’)"


@dataclass
class Block:
    lines: list[str]
    after_break: bool  # a page break or footnote zone stood just before it

    @property
    def text(self) -> str:
        return " ".join(" ".join(line.split()) for line in self.lines if line.strip()).strip()


def blocks_of(lines: list[str]) -> list[Block]:
    """Blank-line separated blocks; list items in one block become blocks of their own."""
    blocks: list[Block] = []
    current: list[str] = []
    broken = False

    def flush() -> None:
        nonlocal current, broken
        if current:
            blocks.extend(_split_items(current, broken))
            broken = False
        current = []

    for line in lines:
        if line == PAGE_BREAK:
            flush()
            broken = True
        elif not line.strip():
            flush()
        else:
            current.append(line)
    flush()
    return blocks


_LABEL_ALONE = re.compile(r"^(?:\d{1,3}\.|\d{1,3}\.\d{1,3}\.?|\([a-z]{1,4}\))$")  # "2." on a line of its own


def _split_items(lines: list[str], broken: bool) -> list[Block]:
    """A bullet, or a paragraph label alone on its line, starts a new item even without a blank line."""
    out = [Block([lines[0]], broken)]
    for line in lines[1:]:
        if _BULLET.match(line.strip()) or _LABEL_ALONE.match(line.strip()):
            out.append(Block([line], False))
        else:
            out[-1].lines.append(line)
    return out


def _starts_item(text: str) -> bool:
    return bool(_OPERATIVE.match(text) or _DOTTED.match(text) or _LETTER.match(text) or _BULLET.match(text))


def rejoin(blocks: list[Block]) -> list[Block]:
    """Glue a paragraph split by a page break (and the footnotes printed between its halves)."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev and block.after_break and not _starts_item(block.text):
            end = prev.text[-1:]
            first = block.text[:1]
            if end not in _TERMINAL or (end == "," and first.islower()) or (end not in ".;:" and first.islower()):
                prev.lines.extend(block.lines)
                continue
        out.append(block)
    return out


def is_heading(text: str) -> bool:
    """Short, unpunctuated lines: "Annex", "Article 5", "I. Member States", "Argentina"."""
    words = text.split()
    if re.match(r"^Article\s+\d{1,3}\.?$", text) or _COLOPHON.match(text):
        return True
    if not words or len(words) > 12 or text[-1] in ".;:,":
        return False
    if _ANNEX.match(text) or _ARTICLE.match(text) or re.match(r"^[IVX]+\.\s+\S", text):
        return True
    return text[0].isupper() and len(words) <= 10 and not _starts_item(text)


class _Labeller:
    """Tracks numbering state while walking the blocks of one document."""

    def __init__(self, has_preamble: bool):
        self.in_preamble = has_preamble
        self.pp = 0
        self.plain = 0
        self.operative: str | None = None  # label of the current numbered paragraph
        self.letter: str | None = None  # label of the current lettered sub-paragraph
        self.prefix = ""  # "annex " / "annex art. 5 " inside annexes, to keep labels unique
        self.used: set[str] = set()

    def unique(self, label: str) -> str:
        candidate, n = label, 2
        while candidate in self.used:
            candidate, n = f"{label} ({n})", n + 1
        self.used.add(candidate)
        return candidate


def chunk_document(doc: Document) -> list[Paragraph]:
    """Paragraphs in document order, then the footnotes as fn1, fn2, ..."""
    lab = _Labeller(has_preamble="formula" in doc.meta)
    paragraphs: list[Paragraph] = []
    by_label: dict[str, Paragraph] = {}
    section = ""
    for block in rejoin(blocks_of(doc.body)):
        text = block.text
        if not text:
            continue
        if is_heading(text):
            section = text
            article = _ARTICLE.match(text)
            if _ANNEX.match(text):
                lab.prefix, lab.in_preamble = "annex ", False
                lab.operative = lab.letter = None
            elif article and lab.prefix.startswith("annex"):
                lab.prefix = f"annex art. {article.group(1)}"
                lab.operative = lab.letter = None
            paragraphs.append(Paragraph(doc.symbol, "", text, 0, kind="heading", section=section))
            continue
        label, kind, parent, body = _label(text, lab)
        refs = _MD_NOTE_REF.findall(body)
        body = _MD_NOTE_REF.sub("", body).strip()
        chapeau = by_label[parent].text if parent and parent in by_label else ""
        para = Paragraph(
            symbol=doc.symbol, para=lab.unique(label), text=body, order=0, kind=kind,
            context=" ".join(x for x in (section, chapeau) if x), section=section, parent=parent,
            footnotes=[f"fn{r}" for r in refs] or _plain_note_refs(body, doc.footnotes),
        )
        by_label[para.para] = para
        paragraphs.append(para)
    paragraphs = [p for p in paragraphs if p.kind != "heading" or not p.text]  # headings live in .section
    for number, note in doc.footnotes.items():
        label = f"fn{number}" if number.isdigit() else "fn*"
        cited_by = [p.para for p in paragraphs if label in p.footnotes]
        paragraphs.append(Paragraph(doc.symbol, lab.unique(label), " ".join(note.split()), 0, kind="footnote",
                                    cited_by=cited_by))
    for i, p in enumerate(paragraphs):
        p.order = i
        p.language = detect_language(p.text) if len(p.text) > 40 else doc.language
        if p.language == "und":
            p.language = doc.language
    return paragraphs


def _label(text: str, lab: _Labeller) -> tuple[str, str, str | None, str]:
    """(label, kind, parent label, text without its printed label) for one block."""
    if m := _DOTTED.match(text):
        lab.in_preamble, lab.letter = False, None
        parent = _numbered(lab, m.group(1).split(".")[0])
        return _numbered(lab, m.group(1)), "operative", parent if parent in lab.used else None, text[m.end():]
    if m := _OPERATIVE.match(text):
        lab.in_preamble, lab.letter = False, None
        lab.operative = _numbered(lab, m.group(1))
        return lab.operative, "operative", None, text[m.end():]
    roman = _ROMAN.match(text)
    letter = _LETTER.match(text)
    if roman and roman.group(1) and lab.letter and not (roman.group(1) == "i" and lab.letter.endswith("(h)")):
        base = lab.letter
        return f"{base}({roman.group(1)})", "sub", base, text[roman.end():]
    if letter:
        base = lab.operative or (f"PP{lab.pp}" if lab.in_preamble and lab.pp else lab.prefix.strip())
        lab.letter = f"{base}({letter.group(1)})"
        return lab.letter, "sub", base or None, text[letter.end():]
    if lab.in_preamble:
        lab.pp += 1
        return f"PP{lab.pp}", "preambular", None, text
    lab.plain += 1
    return f"¶{lab.plain}", "plain", None, text


def _numbered(lab: _Labeller, number: str) -> str:
    """"3" in the body, "annex 3" in an annex, "annex art. 5(3)" inside an article."""
    if lab.prefix.startswith("annex art."):
        return f"{lab.prefix}({number})"
    return lab.prefix + number


def _plain_note_refs(text: str, notes: dict[str, str]) -> list[str]:
    """Footnote numbers printed after punctuation or a word ("Secretary-General,1", "report,2")."""
    found = []
    for number in notes:
        if number.isdigit() and re.search(rf"(?<=[a-z,;:.”)]){number}(?=[\s,;.:]|$)", text):
            found.append(f"fn{number}")
    return found
