"""Split a Document's body into the paragraphs users cite: PP1.., 1, 1.6, 13(f), fn2, ¶4."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.documents.language import detect_language
from assistant.documents.blocks import (
    _ANNEX, _ARTICLE, _BULLET, _DOTTED, _LETTER, _OPERATIVE, _ROMAN, _SECTION_MARK, _next_letter, _roman_value,
    _starts_item, blocks_of, is_heading, rejoin,
)
from assistant.documents.furniture import squash
from assistant.documents.heading import heading_unit
from assistant.documents.notecalls import take_calls
from assistant.records import SPEAKER_MARK, Document, Paragraph

CHUNKER_VERSION = "9"  # 3: paragraph languages for short texts; 4: bulleted items under their lead-in; 5: heading unit;
# 6: pages, speakers with their own counters, footnote calls taken out of the words they follow; 7, 8: the
# heading unit in the masthead's own words ("Resolution adopted by the General Assembly on ...", the agenda item's title);
# 9: ... from its first lines, in their order ("United Nations A/RES/73/27 General Assembly Distr.: General 11 December 2018")

_MD_NOTE_REF = re.compile(r"\[(\d{1,3})\]")  # written by markdown_to_text for <sup>n</sup>
_STAR_REF = re.compile(r"[^\s*]\*(?!\*)")  # "delegations.*": the mark of an asterisk note
_PART = re.compile(r"^(?:[A-Z]|[IVX]{1,5})$")  # "A", "B" or "I", "II": the parts of a multi-part resolution
_FORMULA = re.compile(r"^The\s+(?:General Assembly|States Parties to (?:this|the present) [A-Z][a-z]+)\s*,?$")
_TRANSLATION = re.compile(r"\b(courtesy|unofficial)\s+translation\b", re.I)
_GROUP_MARK = re.compile(r"^[IVX]{1,5}\.\s+")  # "II. European Union": the compendium's part, then its speaker
SECTION_JOIN = " — "  # between consecutive headings: "Annex — Political declaration", "El Salvador — Courtesy translation"


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
    speaker: str = ""  # in a compendium: who is speaking; statements number their paragraphs "El Salvador ¶1", ...
    translation: str = ""  # "courtesy translation" while the speaker's text is a translation
    used: set[str] = field(default_factory=set)

    def plain_label(self) -> str:
        """The next unnumbered paragraph's label."""
        self.plain += 1
        return self.plain_label_now()

    def plain_label_now(self) -> str:
        return f"{self.speaker}{SPEAKER_MARK}{self.plain}" if self.speaker else f"¶{self.plain}"

    def speaking(self, heading: str, listed: bool) -> None:
        """A listed heading names a new speaker (its counter restarts); a heading under it may say "translation"."""
        if listed:
            name = _speaker_name(heading)
            if name != self.speaker:
                self.speaker, self.plain = name, 0
            self.translation = ""
        elif self.speaker and (m := _TRANSLATION.search(heading)):
            self.translation = f"{m.group(1).lower()} translation"

    def speaker_cited(self) -> str:
        return f"{self.speaker} ({self.translation})" if self.speaker and self.translation else self.speaker

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


def _speaker_name(heading: str) -> str:
    """"II. European Union" -> "European Union"; a long "Nicaragua (joint statement of ...: Belarus, ...)"
    keeps what it is and drops the list of States after the colon."""
    name = _GROUP_MARK.sub("", heading.strip())
    if "(" in name and ":" in name:
        name = name[: name.index(":")].rstrip() + ")"
    return name


def _take_note_calls(text: str, calls: list[str], next_call: int,
                     labels: dict[str, str]) -> tuple[str, list[str], int]:
    """The text without its footnote calls, the footnote labels called, the next call to expect.

    Calls come in reading order; a paragraph that calls none of the next ones may call earlier notes
    again ("the 2010,1 20132 and 20153 reports" in the preamble and again in paragraph 1 (a)).
    """
    marks = [key.split("~")[0] for key in calls]
    text, taken = take_calls(text, marks[next_call:])
    found = [labels[calls[next_call + t]] for t in taken]
    for earlier in range(next_call):  # repeated calls need not come in order: "2013 3 and 20152"
        text, again = take_calls(text, [marks[earlier]], spaced=False)
        if again and labels[calls[earlier]] not in found:
            found.append(labels[calls[earlier]])
    return text, found, next_call + taken[-1] + 1 if taken else next_call


def _note_labels(notes: dict[str, str]) -> dict[str, str]:
    """Footnote key -> its paragraph label: "1" -> "fn1", a restarted "1~2" -> "fn1 (2)" (as _Labeller.unique gives)."""
    labels: dict[str, str] = {}
    for key in notes:
        base, n = "fn" + key.split("~")[0], 2
        label = base
        while label in labels.values():
            label, n = f"{base} ({n})", n + 1
        labels[key] = label
    return labels


def chunk_document(doc: Document) -> list[Paragraph]:
    """Paragraphs in document order, then the footnotes as fn1, fn2, ...

    Each paragraph knows its page when the text has pages (a PDF, or a Markdown copy with a page map),
    and in a statement compendium its speaker. Footnote calls glued to the words they follow are taken
    out of the text ("20132" reads "2013") and kept as links to the footnotes.
    """
    lab = _Labeller(in_preamble="formula" in doc.meta, statements=doc.kind == "statement compendium")
    listed = {squash(entry) for entry in doc.meta.get("contents", [])}
    paragraphs: list[Paragraph] = []
    by_label: dict[str, Paragraph] = {}
    run: list[str] = []  # headings since the last paragraph: together they make the section
    top = ""  # with a table of contents: the listed heading in force
    section = before_run = ""
    note_labels = _note_labels(doc.footnotes)
    calls = [key for key in doc.footnotes if key.split("~")[0].isdigit()]  # numbered notes, in reading order
    next_call = 0  # calls[next_call] is the next footnote a paragraph can call
    for block in rejoin(blocks_of(doc.body, doc.meta.get("first_page"))):
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
            if lab.statements:
                lab.speaking(text, in_contents)
            continue
        if run and section == before_run:
            # a heading repeated under itself (a table's column titles on every page) opens no new
            # section; its text is kept as paragraphs so that nothing is lost
            for heading in run:
                paragraphs.append(_kept_heading(doc, lab, heading, section, block.page))
        run = []
        bare = block.lines[0].strip()
        if bare.isdigit() and lab.top and int(bare) == lab.top + 1 and len(block.lines) > 1:
            text = f"{bare}. {text[len(bare):].lstrip()}"  # the next number printed without its full stop
        label, role, parent, body = _label(text, lab)
        lab.last_text = body
        refs = [f"fn{r}" for r in _MD_NOTE_REF.findall(body)]
        body = _MD_NOTE_REF.sub("", body).strip()
        if not refs and calls:
            body, refs, next_call = _take_note_calls(body, calls, next_call, note_labels)
        chapeau = by_label[parent].text if parent and parent in by_label else ""
        para = Paragraph(
            symbol=doc.symbol, para=lab.unique(label), text=body, order=0, role=role,
            context=" ".join(x for x in (section, chapeau) if x), section=section, parent=parent,
            footnotes=refs + _star_note_refs(body, doc.footnotes), page=block.page, speaker=lab.speaker_cited(),
        )
        by_label[para.para] = para
        paragraphs.append(para)
    for heading in run:  # headings with nothing after them are kept as text, not dropped
        paragraphs.append(_kept_heading(doc, lab, heading, before_run, paragraphs[-1].page if paragraphs else None))
    if doc.meta.get("page_map"):
        _apply_page_map(paragraphs, doc.meta["page_map"])
    for key, note in doc.footnotes.items():
        label = lab.unique(note_labels[key])
        citing = [p for p in paragraphs if label in p.footnotes]
        paragraphs.append(Paragraph(doc.symbol, label, " ".join(note.split()), 0, role="footnote",
                                    cited_by=[p.para for p in citing], page=citing[0].page if citing else None))
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


def _kept_heading(doc: Document, lab: _Labeller, text: str, section: str, page: int | None) -> Paragraph:
    return Paragraph(doc.symbol, lab.unique(lab.plain_label()), text, 0, role="plain", section=section,
                     page=page, speaker=lab.speaker_cited())


def _apply_page_map(paragraphs: list[Paragraph], page_map: dict[str, int]) -> None:
    """A Markdown copy has no page breaks: its front matter names the paragraph each page starts with."""
    page = None
    for p in paragraphs:
        page = page_map.get(p.para, page)
        p.page = page


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
                               or lab.scope() or (lab.plain_label_now() if lab.plain else ""))
        base = lab.letter_base
        lab.letter, lab.letter_char, lab.roman = f"{base}({letter.group(1)})", letter.group(1), 0
        return lab.letter, "sub", base or None, text[letter.end():]
    if bullet := _BULLET.match(text):
        # a bulleted item keeps its own ¶ number; the lead-in ending with ":" is its chapeau
        return lab.plain_label(), "sub" if lab.lead_in else "plain", lab.lead_in or None, text[bullet.end():]
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
    label = lab.plain_label()
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


def _is_roman(numeral: str, letter: re.Match | None, lab: _Labeller) -> bool:
    """"(i)" after "(h)" is a letter; after "(b)" it starts roman sub-items; "(v)" after "(iv)" is roman."""
    value = _roman_value(numeral)
    if lab.roman and value == lab.roman + 1:
        return True
    if letter and lab.letter_char and letter.group(1) == _next_letter(lab.letter_char):
        return False
    return value == 1 or not letter


def _star_note_refs(text: str, notes: dict[str, str]) -> list[str]:
    """The asterisk note's mark printed after a word or punctuation ("delegations.*")."""
    return ["fn*"] if "*" in notes and _STAR_REF.search(text) else []
