"""Split a Document's body into the paragraphs users cite: PP1.., 1, 1.6, 13(f), fn2, ¶4."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.documents.language import detect_language
from assistant.documents.furniture import PAGE_BREAK, squash
from assistant.documents.heading import heading_unit
from assistant.records import Document, Paragraph

CHUNKER_VERSION = "5"  # 3: paragraph languages for short texts; 4: bulleted items under their lead-in; 5: heading unit

_OPERATIVE = re.compile(r"^(\d{1,3})\.(?:\s+|$)")  # "1." alone or "1. Calls upon"
_DOTTED = re.compile(r"^([1-9]\d{0,2}\.\d{1,3})\.?(?:\s+|$)")  # "1.6. A State should not" (not "0.010" in a table)
_LETTER = re.compile(r"^\(([a-z]{1,2})\)(?:\s+|$)")  # "(a) To be guided"
_ROMAN = re.compile(r"^\(((?:x{0,3})(?:ix|iv|v?i{0,3}))\)(?:\s+|$)")  # "(iv)"
_BULLET = re.compile(r"^[-•▪◦]\s+")
_MD_NOTE_REF = re.compile(r"\[(\d{1,3})\]")  # written by markdown_to_text for <sup>n</sup>
_STAR_REF = re.compile(r"[^\s*]\*(?!\*)")  # "delegations.*": the mark of an asterisk note
_ARTICLE = re.compile(r"^(Article|Rule)\s+(\d{1,3})\b")
_ANNEX = re.compile(r"^Annex(?:\s+([IVX]+))?\b")
_PART = re.compile(r"^(?:[A-Z]|[IVX]{1,5})$")  # "A", "B" or "I", "II": the parts of a multi-part resolution
# "II. Activities of ...", "II Activities of ...", "B. Evolution of ..." (but not "A State should ...")
_SECTION_MARK = re.compile(r"^([IVX]{1,5}(?=\.?\s)|[A-Z](?=\.\s))\.?\s+[A-Z]")
_FORMULA = re.compile(r"^The\s+(?:General Assembly|States Parties to (?:this|the present) [A-Z][a-z]+)\s*,?$")
_COLOPHON = re.compile(r"^\d+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary meeting\b", re.I)
# Forms of address and thanks stand alone in speeches but are not headings: "Chair", "Mr. President", "Thank you"
_ADDRESS = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Madam|Madame|Monsieur|Señor|Señora|Sr|Sra)\.?\s+)?(?:the\s+)?"
    r"(?:Vice-)?(?:Chair|Chairman|Chairperson|Chairwoman|President|Presidente|Presidenta|Président|Co-Chairs?)$"
    r"|^(?:I\s+)?thank you\b|^(?:Muchas\s+)?gracias\b|^Merci\b", re.I)
_TERMINAL = ".;:,!?”\"’)"
SECTION_JOIN = " — "  # between consecutive headings: "Annex — Political declaration", "El Salvador — Courtesy translation"


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
_LABEL_LEADS = re.compile(r"^(?:\d{1,3}\.(?:\d{1,3}\.?)?|\([a-z]{1,4}\))\s+\S")  # "10. We welcome ..."
# A line that closes a paragraph or list item: "...targets.", "...; and", "...annexes. 5" (a footnote mark)
_CLOSES_ITEM = re.compile(r"(?:[.;:]|;\s+(?:and|or)|,\s+and)[”’\"')]*(?:\s*(?:\d{1,3}|\*{1,3}))?$")


def _split_items(lines: list[str], broken: bool) -> list[Block]:
    """A new item starts at a bullet, a label alone on its line, or a label after a line that closed an item.

    Raw PDF text often has no blank line between numbered paragraphs ("...targets." / "10. We
    welcome"); a label at the start of a line counts only after a line that ended a sentence, so a
    wrapped "paragraph" / "(a) above" inside a sentence does not split it. Nor does an enumeration
    printed inline ("... on: (i) modalities ...; (ii) thematic groups; and (iii) ..."), which merely
    happens to wrap before its first label.
    """
    out = [Block([lines[0]], broken)]
    for n, line in enumerate(lines[1:], start=1):
        s = line.strip()
        if _BULLET.match(s) or _LABEL_ALONE.match(s) or (
            _LABEL_LEADS.match(s) and _CLOSES_ITEM.search(out[-1].lines[-1].strip()) and not _inline_list(lines[n:])
        ):
            out.append(Block([line], False))
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


@dataclass
class _Labeller:
    """Numbering state while walking the blocks of one document."""

    in_preamble: bool
    statements: bool  # a compendium: numbers inside a statement are the speaker's, not the document's
    in_statement: bool = False
    pp: int = 0
    plain: int = 0
    operative: str | None = None  # label of the current numbered paragraph
    top: int = 0  # its number
    nested: int = 0  # inside a numbered list under a chapeau ("11. Approves the agenda:" / "1. Opening ..."): last item
    letter: str | None = None  # label of the current lettered sub-paragraph
    letter_char: str = ""  # its letter, to tell "(i)" the letter from "(i)" the roman numeral
    letter_base: str = ""  # the paragraph the current lettered list belongs to
    lead_in: str = ""  # an unnumbered paragraph ending in a colon, which the next "(a)" belongs to
    mark: str = ""  # "II" / "B" of the last heading "II. Activities ..." / "B. Evolution ...": names a restarted list
    roman: int = 0  # last roman sub-sub-paragraph number under the current letter
    part: str = ""  # "B " in part B of a multi-part resolution
    annex: str = ""  # "annex " / "annex II " inside annexes, to keep labels unique
    article: str = ""  # "art. 5" / "rule 7" inside an annexed convention or rules of procedure
    last_text: str = ""  # the previous paragraph, to see whether it announced a list
    used: set[str] = field(default_factory=set)

    def unique(self, label: str) -> str:
        candidate, n = label, 2
        while candidate in self.used:
            candidate, n = f"{label} ({n})", n + 1
        self.used.add(candidate)
        return candidate

    def heading(self, text: str) -> None:
        """Annexes, articles, rules and parts restart the numbering."""
        annex, article = _ANNEX.match(text), _ARTICLE.match(text)
        if annex:
            self.annex = f"annex {annex.group(1)} " if annex.group(1) else "annex "
            self.in_preamble, self.part, self.article = False, "", ""
        elif article and self.annex:
            self.article = f"{'art.' if article.group(1) == 'Article' else 'rule'} {article.group(2)}"
            self.in_preamble = False
        elif text == "Preamble":  # an annexed convention's own preamble: "annex PP1", ...
            self.in_preamble, self.pp = True, 0
        elif _PART.match(text) and not self.annex:
            self.part = text + " "
        else:
            mark = _SECTION_MARK.match(text)
            self.mark = mark.group(1) if mark else self.mark
            return
        self.operative, self.letter, self.top, self.nested = None, None, 0, 0

    def scope(self) -> str:
        """The label of the annex, article or part in force: "annex art. 2", "annex II", "B" (or "")."""
        return f"{self.annex}{self.article}".strip() if self.article else f"{self.annex}{self.part}".strip()

    def numbered(self, number: str) -> str:
        """"3" in the body, "B 3" in part B, "annex 3" in an annex, "annex art. 5(3)" inside an article."""
        if self.article:
            return f"{self.annex}{self.article}({number})"
        return f"{self.annex}{self.part}{number}"


def chunk_document(doc: Document) -> list[Paragraph]:
    """Paragraphs in document order, then the footnotes as fn1, fn2, ..."""
    lab = _Labeller(in_preamble="formula" in doc.meta, statements=doc.kind == "statement compendium")
    listed = {squash(entry) for entry in doc.meta.get("contents", [])}
    paragraphs: list[Paragraph] = []
    by_label: dict[str, Paragraph] = {}
    run: list[str] = []  # headings since the last paragraph: together they make the section
    top = ""  # with a table of contents: the listed heading in force
    section = before_run = ""
    for block in rejoin(blocks_of(doc.body)):
        text = block.text
        if not text:
            continue
        in_contents = bool(listed) and squash(text) in listed
        if in_contents or is_heading(text) or _FORMULA.match(text) or _is_article_title(text, run):
            if _FORMULA.match(text) and not lab.in_preamble:  # a later part's own formula opens its preamble
                lab.in_preamble, lab.pp = True, 0
            if not run:
                before_run = section
            run.append(text)
            if in_contents:
                lab.in_statement = True
                top = SECTION_JOIN.join(h for h in run if squash(h) in listed)
            section = SECTION_JOIN.join(([top] if top else []) + [h for h in run if squash(h) not in listed])
            lab.heading(text)
            continue
        if run and section == before_run:
            # a heading repeated under itself (a table's column titles on every page) opens no new
            # section; its text is kept as paragraphs so that nothing is lost
            for heading in run:
                paragraphs.append(_kept_heading(doc, lab, heading, section))
        run = []
        bare = block.lines[0].strip()
        if bare.isdigit() and lab.top and int(bare) == lab.top + 1 and len(block.lines) > 1:
            text = f"{bare}. {text[len(bare):].lstrip()}"  # the next number printed without its full stop
        label, role, parent, body = _label(text, lab)
        lab.last_text = body
        refs = _MD_NOTE_REF.findall(body)
        body = _MD_NOTE_REF.sub("", body).strip()
        chapeau = by_label[parent].text if parent and parent in by_label else ""
        para = Paragraph(
            symbol=doc.symbol, para=lab.unique(label), text=body, order=0, role=role,
            context=" ".join(x for x in (section, chapeau) if x), section=section, parent=parent,
            footnotes=[f"fn{r}" for r in refs] or _plain_note_refs(body, doc.footnotes),
        )
        by_label[para.para] = para
        paragraphs.append(para)
    for heading in run:  # headings with nothing after them are kept as text, not dropped
        paragraphs.append(_kept_heading(doc, lab, heading, before_run))
    for key, note in doc.footnotes.items():
        label = lab.unique("fn" + key.split("~")[0])
        cited_by = [p.para for p in paragraphs if label in p.footnotes]
        paragraphs.append(Paragraph(doc.symbol, label, " ".join(note.split()), 0, role="footnote", cited_by=cited_by))
    for i, p in enumerate(paragraphs):
        p.order = i
        p.language = detect_language(p.text)
    _fill_languages(paragraphs, doc.language)
    return paragraphs


def indexed_paragraphs(doc: Document) -> list[Paragraph]:
    """What the index holds of a document: its heading unit (documents/heading.py), then its paragraphs."""
    paragraphs = heading_unit(doc) + chunk_document(doc)
    for i, p in enumerate(paragraphs):
        p.order = i
    return paragraphs


def _fill_languages(paragraphs: list[Paragraph], default: str) -> None:
    """"Mr Chair," or "Ibid., para. 3" says too little: take the language of the paragraph before or after it."""
    for i, p in enumerate(paragraphs):
        if p.language != "und":
            continue
        near = [q for q in paragraphs[max(i - 1, 0) : i] + paragraphs[i + 1 : i + 2]
                if q.section == p.section and (q.role == "footnote") == (p.role == "footnote") and q.language != "und"]
        p.language = near[0].language if near else default


def _is_article_title(text: str, run: list[str]) -> bool:
    """The title printed under "Article 4" or "Annex", however long, even in parts ending with ";"
    ("United Nations Convention against Cybercrime;" / "Strengthening International Cooperation ...")."""
    return (any(_ARTICLE.match(h) or _ANNEX.match(h) for h in run) and text[-1] not in ".:,"
            and len(text.split()) <= 40 and text[0].isupper() and not _starts_item(text))


def _kept_heading(doc: Document, lab: _Labeller, text: str, section: str) -> Paragraph:
    lab.plain += 1
    return Paragraph(doc.symbol, lab.unique(f"¶{lab.plain}"), text, 0, role="plain", section=section)


def _label(text: str, lab: _Labeller) -> tuple[str, str, str | None, str]:
    """(label, role, parent label, text without its printed label) for one block."""
    if lab.statements and lab.in_statement:
        return _plain(lab, text)  # a statement's own "1." stays in its text
    if m := _DOTTED.match(text):
        lab.in_preamble, lab.letter = False, None
        parent = lab.numbered(m.group(1).split(".")[0])
        return lab.numbered(m.group(1)), "operative", parent if parent in lab.used else None, text[m.end():]
    if m := _OPERATIVE.match(text):
        return _operative(lab, int(m.group(1)), text[m.end():])
    roman, letter = _ROMAN.match(text), _LETTER.match(text)
    if roman and roman.group(1) and lab.letter and _is_roman(roman.group(1), letter, lab):
        lab.roman = _roman_value(roman.group(1))
        return f"{lab.letter}({roman.group(1)})", "sub", lab.letter, text[roman.end():]
    if letter:
        if letter.group(1) == "a" or not lab.letter_base:
            lab.letter_base = (lab.lead_in or lab.operative or (f"{lab.annex}{lab.part}PP{lab.pp}" if lab.in_preamble and lab.pp else "")
                               or lab.scope() or (f"¶{lab.plain}" if lab.plain else ""))
        base = lab.letter_base
        lab.letter, lab.letter_char, lab.roman = f"{base}({letter.group(1)})", letter.group(1), 0
        return lab.letter, "sub", base or None, text[letter.end():]
    if bullet := _BULLET.match(text):
        # a bulleted item keeps its own ¶ number; the lead-in ending with ":" is its chapeau
        lab.plain += 1
        return f"¶{lab.plain}", "sub" if lab.lead_in else "plain", lab.lead_in or None, text[bullet.end():]
    lab.letter_base = ""
    if lab.article and not lab.in_preamble:
        # an article's unnumbered text is cited by the article: "annex art. 10", then "annex art. 10(a)"
        lab.operative = f"{lab.annex}{lab.article}"
        return lab.operative, "operative", None, text
    if lab.in_preamble:
        lab.pp += 1
        return f"{lab.annex}{lab.part}PP{lab.pp}", "preambular", None, text
    return _plain(lab, text)


def _plain(lab: _Labeller, text: str) -> tuple[str, str, str | None, str]:
    lab.plain += 1
    label = f"¶{lab.plain}"
    lab.lead_in = label if text.rstrip().endswith(":") else ""
    lab.letter_base = ""
    return label, "plain", None, text


def _operative(lab: _Labeller, number: int, rest: str) -> tuple[str, str, str | None, str]:
    """A numbered paragraph, or an item of a numbered list that a paragraph announced with a colon."""
    lab.in_preamble, lab.letter, lab.letter_base, lab.lead_in = False, None, "", ""
    if lab.nested and number == lab.nested + 1 and number != lab.top + 1:
        lab.nested = number
        return f"{lab.operative}.{number}", "sub", lab.operative, rest
    if number == 1 and lab.top >= 1 and lab.operative and lab.last_text.rstrip().endswith(":"):
        lab.nested = 1
        return f"{lab.operative}.1", "sub", lab.operative, rest
    if number == 1 and lab.top >= 1 and lab.mark and not lab.annex and not lab.article:
        # numbering restarts under "II. ..." (sections of one resolution): "II 1", "II 2", ...
        lab.part, lab.mark = lab.mark + " ", ""
    lab.nested, lab.top = 0, number
    lab.operative = lab.numbered(str(number))
    return lab.operative, "operative", None, rest


_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


def _roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _roman_numeral(value: int) -> str:
    """1..39 as "i".."xxxix" (sub-sub-paragraphs never run longer)."""
    tens, units = divmod(value, 10)
    return "x" * tens + ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][units]


def _is_roman(numeral: str, letter: re.Match | None, lab: _Labeller) -> bool:
    """"(i)" after "(h)" is a letter; after "(b)" it starts roman sub-items; "(v)" after "(iv)" is roman."""
    value = _roman_value(numeral)
    if lab.roman and value == lab.roman + 1:
        return True
    if letter and lab.letter_char and letter.group(1) == _next_letter(lab.letter_char):
        return False
    return value == 1 or not letter


def _next_letter(letter: str) -> str:
    """"a" -> "b", "z" -> "aa", "aa" -> "bb" (UN lists double the letter after z)."""
    if letter == "z":
        return "aa"
    if len(letter) == 2 and letter[0] == letter[1] and letter[0] < "z":
        return chr(ord(letter[0]) + 1) * 2
    return chr(ord(letter[-1]) + 1) if len(letter) == 1 else ""


def _plain_note_refs(text: str, notes: dict[str, str]) -> list[str]:
    """Footnote marks printed after punctuation or a word ("Secretary-General,1", "report,2", "delegations.*")."""
    found = []
    for key in notes:
        if key.isdigit() and re.search(rf"(?<=[a-z,;:.”)]){key}(?=[\s,;.:]|$)", text):
            found.append(f"fn{key}")
        elif key == "*" and _STAR_REF.search(text):
            found.append("fn*")
    return found
