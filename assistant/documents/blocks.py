"""Blocks of a document body: blank-line separated text, list items apart, paragraphs split by page breaks rejoined."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.documents.furniture import PAGE_BREAK

_OPERATIVE = re.compile(r"^(\d{1,3})\.(?:\s+|$)")  # "1." alone or "1. Calls upon"
_DOTTED = re.compile(r"^([1-9]\d{0,2}\.\d{1,3})\.?(?:\s+|$)")  # "1.6. A State should not" (not "0.010" in a table)
_LETTER = re.compile(r"^\(([a-z]{1,2})\)(?:\s+|$)")  # "(a) To be guided"
_ROMAN = re.compile(r"^\(((?:x{0,3})(?:ix|iv|v?i{0,3}))\)(?:\s+|$)")  # "(iv)"
_BULLET = re.compile(r"^[-•▪◦]\s+")
_ARTICLE = re.compile(r"^(Article|Rule)\s+(\d{1,3})\b")
_ANNEX = re.compile(r"^Annex(?:\s+([IVX]+))?\b")
# "II. Activities of ...", "II Activities of ...", "B. Evolution of ..." (but not "A State should ...")
_SECTION_MARK = re.compile(r"^([IVX]{1,5}(?=\.?\s)|[A-Z](?=\.\s))\.?\s+[A-Z]")
_COLOPHON = re.compile(r"^\d+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary meeting\b", re.I)
# Forms of address and thanks stand alone in speeches but are not headings: "Chair", "Mr. President", "Thank you"
_ADDRESS = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Madam|Madame|Monsieur|Señor|Señora|Sr|Sra)\.?\s+)?(?:the\s+)?"
    r"(?:Vice-)?(?:Chair|Chairman|Chairperson|Chairwoman|President|Presidente|Presidenta|Président|Co-Chairs?)$"
    r"|^(?:I\s+)?thank you\b|^(?:Muchas\s+)?gracias\b|^Merci\b", re.I)
_TERMINAL = ".;:,!?”\"’)"


@dataclass
class Block:
    lines: list[str]
    after_break: bool  # a page break or footnote zone stood just before it
    page: int | None = None  # the page its first line is on, when the text has pages

    @property
    def text(self) -> str:
        return " ".join(" ".join(line.split()) for line in self.lines if line.strip()).strip()


def blocks_of(lines: list[str], first_page: int | None = None) -> list[Block]:
    """Blank-line separated blocks; list items in one block become blocks of their own.

    With first_page (the page the lines start on), each PAGE_BREAK turns the page and every block
    knows the page it starts on.
    """
    blocks: list[Block] = []
    current: list[str] = []
    broken = False
    page = first_page

    def flush() -> None:
        nonlocal current, broken
        if current:
            blocks.extend(_split_items(current, broken, page))
            broken = False
        current = []

    for line in lines:
        if line == PAGE_BREAK:
            flush()
            broken = True
            page = page + 1 if page is not None else None
        elif not line.strip():
            flush()
        else:
            current.append(line)
    flush()
    return blocks


_LABEL_ALONE = re.compile(r"^(?:\d{1,3}\.|\d{1,3}\.\d{1,3}\.?|\([a-z]{1,4}\))$")  # "2." on a line of its own
_LABEL_LEADS = re.compile(r"^(?:\d{1,3}\.(?:\d{1,3}\.?)?|\([a-z]{1,4}\))\s+\S")  # "10. We welcome ..."
# A line that closes a paragraph or list item: "...targets.", "...; and", "...annexes. 5" (a footnote mark)
_CLOSES_ITEM = re.compile(r"(?:[.;:]|;\s+(?:and|or)|,\s+and)[”’\"')]*(?:\s*(?:\d{1,3}|\*{1,3}))?$")


def _split_items(lines: list[str], broken: bool, page: int | None = None) -> list[Block]:
    """A new item starts at a bullet, a label alone on its line, or a label after a line that closed an item.

    Raw PDF text often has no blank line between numbered paragraphs ("...targets." / "10. We
    welcome"); a label at the start of a line counts only after a line that ended a sentence, so a
    wrapped "paragraph" / "(a) above" inside a sentence does not split it. Nor does an enumeration
    printed inline ("... on: (i) modalities ...; (ii) thematic groups; and (iii) ..."), which merely
    happens to wrap before its first label.
    """
    out = [Block([lines[0]], broken, page)]
    for n, line in enumerate(lines[1:], start=1):
        s = line.strip()
        if _BULLET.match(s) or _LABEL_ALONE.match(s) or (
            _LABEL_LEADS.match(s) and _CLOSES_ITEM.search(out[-1].lines[-1].strip()) and not _inline_list(lines[n:])
        ):
            out.append(Block([line], False, page))
        else:
            out[-1].lines.append(line)
    return out


def _inline_list(lines: list[str]) -> bool:
    """Does the label starting lines[0] have its successor inside a line, not at the start of one?"""
    first = _LETTER.match(lines[0].strip()) or _ROMAN.match(lines[0].strip())
    if not first:
        return False
    label = first.group(1)
    following = {_next_letter(label)}
    if _ROMAN.match(f"({label})"):
        following.add(_roman_numeral(_roman_value(label) + 1))
    text = "\n".join(line.strip() for line in lines)
    return any(re.search(rf"[^\s][ \t]+\({re.escape(nxt)}\)\s", text) for nxt in following if nxt)


def _starts_item(text: str) -> bool:
    return bool(_OPERATIVE.match(text) or _DOTTED.match(text) or _LETTER.match(text) or _BULLET.match(text))


# "...delegations.*", "...report;2": a footnote mark after the closing punctuation hides it
_NOTE_MARK_AT_END = re.compile(r"(?<=[.;:,!?”\"’)])\s?(?:\d{1,3}|\*{1,3})$")


def rejoin(blocks: list[Block]) -> list[Block]:
    """Glue a paragraph split by a page break (and the footnotes printed between its halves).

    A label left alone ("1." at the foot of a page, or above a blank line) always takes the next block.
    """
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev and _LABEL_ALONE.match(prev.text) and not _starts_item(block.text):
            prev.lines.extend(block.lines)
            continue
        if prev and block.after_break and not _starts_item(block.text):
            end = _NOTE_MARK_AT_END.sub("", prev.text)[-1:]
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
    if not words or text[-1] in ".;:," or _ADDRESS.match(text):
        return False
    if _ANNEX.match(text) and len(words) <= 40:  # "Annex" and the annexed text's title in one block
        return True
    if _SECTION_MARK.match(text) and len(words) <= 25:  # "B. Scale up climate action and support, including ..."
        return True
    if len(words) > 12:
        return False
    if _ANNEX.match(text) or _ARTICLE.match(text) or re.match(r"^[IVX]+\.\s+\S", text):
        return True
    return text[0].isupper() and len(words) <= 10 and not _starts_item(text)


_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


def _roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _roman_numeral(value: int) -> str:
    """1..39 as "i".."xxxix" (sub-sub-paragraphs never run longer)."""
    tens, units = divmod(value, 10)
    return "x" * tens + ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][units]


def _next_letter(letter: str) -> str:
    """"a" -> "b", "z" -> "aa", "aa" -> "bb" (UN lists double the letter after z)."""
    if letter == "z":
        return "aa"
    if len(letter) == 2 and letter[0] == letter[1] and letter[0] < "z":
        return chr(ord(letter[0]) + 1) * 2
    return chr(ord(letter[-1]) + 1) if len(letter) == 1 else ""
