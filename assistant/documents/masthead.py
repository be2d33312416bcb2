"""Read a UN masthead (symbol, distribution, date, agenda item, title) and find where the body starts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from assistant.documents.furniture import PAGE_BREAK, is_anchor

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}

SYMBOL = re.compile(r"^(?:[A-Z]{1,3}|ST|UNEP|TD)(?:/[A-Za-z0-9.\-]+){1,7}$")  # A/RES/78/237, A/AC.292/2025/INF/5/Rev.1
_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(" + "|".join(MONTHS) + r"),?\s+(\d{4})\b", re.I)
_BODIES = r"(?:General Assembly|Security Council|Economic and Social Council|Human Rights Council)"
# "The General Assembly," on its own line; some texts print it without the comma
# (the masthead prints a bare "General Assembly" too, so without the comma "The" is required)
_FORMULA = re.compile(r"^(?:(?:The\s+)?" + _BODIES + r"\s*,|The\s+" + _BODIES + r")\s*$", re.I)
# Short decisions run the formula into their only sentence: "The General Assembly, recalling ...".
_INLINE_FORMULA = re.compile(r"^The\s+" + _BODIES + r",\s+[a-z]")
_RES_TITLE = re.compile(r"^(\d{1,3}/\d{1,4}(?:\s*[A-Z])?)\.\s+(.+)$")  # "78/237. Developments in ..."
_ADOPTED = re.compile(r"^(?:Resolution|Decision) adopted by the", re.I)
# "Australia, ... and Ukraine: draft resolution", "Iraq:* draft resolution",
# "Russian Federation:* amendment to draft resolution A/80/L.18"
_SPONSORS = re.compile(
    r":\*?\s*(?:"
    r"(?:revised\s+)?draft (?:resolution|decision)s?\s*\*?"
    r"|amendments? to (?:the\s+)?(?:revised\s+)?draft (?:resolution|decision)s?\b.*"
    r")\s*$", re.I)
# "Draft resolution submitted by the Vice-Chair of the Committee, ...", or "Draft resolution" alone
_SUBMITTED = re.compile(r"^(?:Revised\s+)?Draft (?:resolution|decision)s?(?:\s+submitted by\b.*)?\s*\*?$", re.I)
_PART = re.compile(r"^[A-Z]$")  # "A", "B": the parts of a multi-part resolution
_COLOPHON = re.compile(r"^\d+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary meeting$", re.I)
_DOC_TYPE = re.compile(r"^(Note by the (?:Secretar(?:iat|y-General)|Chair|President)\b.*|Report of the .+)$", re.I)


@dataclass
class Masthead:
    symbol: str | None = None
    title: str = ""
    date: str | None = None
    kind: str = "other"
    body_start: int = 0  # index of the first body line
    body_end: int | None = None  # index after the last body line (colophon cut off)
    meta: dict = field(default_factory=dict)


def parse_date(text: str) -> str | None:
    """First "28 December 2023" (or "12th of November, 2018") in text, as ISO."""
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1))).isoformat()
    except ValueError:
        return None


def _blocks(lines: list[str], start: int, stop: int) -> list[tuple[int, int, str]]:
    """(first, last+1, joined text) for each blank-line separated block in lines[start:stop]."""
    out, i = [], start
    while i < stop:
        if not lines[i].strip() or lines[i] == PAGE_BREAK:
            i += 1
            continue
        j = i
        while j < stop and lines[j].strip() and lines[j] != PAGE_BREAK:
            j += 1
        out.append((i, j, " ".join(x.strip() for x in lines[i:j])))
        i = j
    return out


def read_masthead(lines: list[str]) -> Masthead:
    """Detect metadata from the first page; leave the body boundaries in body_start/body_end."""
    mh = Masthead()
    # Raw PDF text spends many lines on blanks, and sponsor lists are long: look well down the first page.
    head = [(i, line.strip()) for i, line in enumerate(lines[:160]) if line.strip()]
    if not head:
        return mh
    un_style = any(s in ("United Nations", "General Assembly", "Security Council") or s.startswith("Distr.")
                   for _, s in head[:12])
    if not un_style:
        _trailing_date(lines, mh)
        return mh
    for _, s in head[:8]:
        if SYMBOL.match(s.replace(" ", "")):
            mh.symbol = s.replace(" ", "")
            break
    formula = _find_formula(lines, head[-1][0] + 1)
    for k, (i, s) in enumerate(head):
        if formula is not None and i >= formula:
            break
        if s.startswith("Distr."):
            mh.meta["distribution"] = s.split(":", 1)[-1].strip()
            nxt = head[k + 1][1] if k + 1 < len(head) else ""
            mh.meta["distributed"] = parse_date(nxt)
        elif s.startswith("Original:"):
            mh.meta["original"] = s.split(":", 1)[1].strip()
        elif re.match(r"^Agenda item [\d(]", s) and k < 30:
            mh.meta["agenda_item"] = s[len("agenda item"):].strip()
            title = _agenda_title(head, k)
            if title:
                mh.meta["agenda_title"] = title
        elif re.match(r"^[A-Z][a-z-]+ session$", s):
            mh.meta["session"] = s
        elif _ADOPTED.match(s):
            rest = " ".join(x for _, x in head[k : k + 2])
            mh.meta["adopted"] = parse_date(rest)
    if formula is not None and _INLINE_FORMULA.match(lines[formula].strip()):
        mh.body_start = formula  # the formula is part of the decision's one paragraph
        _title_before(lines, formula, mh)
    elif formula is not None:
        mh.body_start = formula + 1
        mh.meta["formula"] = lines[formula].strip()
        _title_before(lines, formula, mh)
    else:
        _body_without_formula(lines, head, mh)
    _heading_facts(lines, head, formula, mh)
    mh.date = mh.meta.get("adopted") or mh.meta.get("distributed")
    mh.body_end = _colophon(lines, mh)
    mh.kind = guess_kind(mh.symbol, mh.title, mh.meta)
    return mh


def _agenda_title(head: list[tuple[int, str]], k: int) -> str:
    """The agenda item's title: the block under "Agenda item 94" (in the same block, or the next one after a
    blank line), unless it is the adoption line, the sponsors or the text's own title."""
    out: list[str] = []
    prev = head[k][0]
    for i, s in head[k + 1:k + 5]:
        gap = i - prev
        if gap > 2 or (gap == 2 and out):  # one blank line may part the item from its title, not the title's lines
            break
        if _ADOPTED.match(s) or _SPONSORS.search(s) or _RES_TITLE.match(s) or _FORMULA.match(s):
            return "" if gap == 2 or not out else " ".join(out)
        out.append(s)
        prev = i
    title = " ".join(out)
    # a sponsor list runs over several lines (a run of names) and ends ": draft resolution"
    return "" if _SPONSORS.search(title) or title.count(",") >= 3 else title


def _heading_facts(lines: list[str], head: list[tuple[int, str]], formula: int | None, mh: Masthead) -> None:
    """Committee report, committee and meeting place for the heading unit (documents/heading.py)."""
    from assistant.documents.heading import masthead_facts

    stop = formula if formula is not None else (head[min(len(head), 30) - 1][0] + 1)
    for key, value in masthead_facts(lines[:stop]).items():
        mh.meta.setdefault(key, value)


def _find_formula(lines: list[str], stop: int) -> int | None:
    """Index of the "The General Assembly," line, if one comes before the first numbered paragraph."""
    for first, last, text in _blocks(lines, 0, stop):
        if _INLINE_FORMULA.match(lines[first].strip()):  # only at the start of a block: reports quote it too
            return first
        for i in range(first, last):
            if _FORMULA.match(lines[i].strip()):
                return i
        if re.match(r"^\d{1,3}\.(\s|$)", text):
            return None  # a numbered paragraph: the body of a report or note has begun
    return None


def _title_before(lines: list[str], formula: int, mh: Masthead) -> None:
    """Resolution title ("78/237. Title") or, for drafts, the block after the sponsors line."""
    blocks = _blocks(lines, 0, formula)
    found = _numbered_or_sponsored_title(blocks, mh, before_formula=True)
    if found is not None:
        return
    candidates = [_after_agenda_item(lines, *b) for b in blocks]
    candidates = [c for c in candidates if len(c.split()) >= 3 and not is_anchor(c, mh.symbol)
                  and not _SPONSORS.search(c) and not _SUBMITTED.match(c)]
    mh.title = candidates[-1] if candidates else ""


def _numbered_or_sponsored_title(blocks: list[tuple[int, int, str]], mh: Masthead, before_formula: bool) -> int | None:
    """Set mh.title from "78/237. Title" or the block after the sponsors line; return the index of the block after it.

    Before a formula every block up to it belongs to the title (long titles break into blocks, as in
    "79/243. United Nations Convention against Cybercrime;" / "Strengthening ..."). Without a formula
    the title ends at the first block that reads like body text.
    """
    start = None
    for k, (_, _, text) in enumerate(blocks):
        m = _RES_TITLE.match(text)
        if m:
            mh.meta["number"] = m.group(1)
            start, first = k + 1, m.group(2)
            break
    if start is None:
        for k, (_, _, text) in enumerate(blocks):
            if _SPONSORS.search(text) or _SUBMITTED.match(text):
                if _SUBMITTED.match(text):
                    mh.meta["submitted"] = text  # "Draft resolution submitted by the Vice-Chair ..."
                else:
                    mh.meta["sponsors"] = _SPONSORS.sub("", text).strip()
                if k + 1 >= len(blocks):
                    return None  # the title is printed after the formula (outcome documents)
                start, first = k + 2, blocks[k + 1][2]
                break
    if start is None:
        return None
    parts, end = [first], start
    while end < len(blocks):
        text = blocks[end][2]
        if _PART.match(text) or text.startswith("[") or _DOC_TYPE.match(text):
            break
        if not before_formula and not _continues_title(parts[-1], text):
            break
        parts.append(text)
        end += 1
    mh.title = " ".join(parts)
    return end


def _continues_title(previous: str, text: str) -> bool:
    """Without a formula to stop at: is this block more of the title, or the start of the body?"""
    if re.match(r"^(?:\d{1,3}\.|\([a-z]{1,3}\)|[IVX]+\.|Annex\b)", text):
        return False
    if previous.endswith(";"):
        return True
    return text[-1:] not in ".,;:" and len(text.split()) <= 25


def _body_without_formula(lines: list[str], head: list[tuple[int, str]], mh: Masthead) -> None:
    """Reports, notes and amendments: the body starts after the title, or at the first numbered or long paragraph."""
    blocks = _blocks(lines, 0, min(len(lines), 200))
    after_title = _numbered_or_sponsored_title(blocks, mh, before_formula=False)
    if after_title is not None:
        # a doc-type line ("Note by the Chair") may still sit between the title and the body
        while after_title < len(blocks) and _DOC_TYPE.match(blocks[after_title][2]):
            mh.meta["doc_type"] = blocks[after_title][2]
            after_title += 1
        mh.body_start = blocks[after_title][0] if after_title < len(blocks) else len(lines)
        return
    body_block = None
    for k, (first, _, text) in enumerate(blocks):
        if k == 0:
            continue
        if re.match(r"^\d{1,3}\.(\s|$)", text) or (len(text.split()) >= 25 and text[-1:] in ".;:,"):
            body_block = k
            break
    if body_block is None:
        body_block = min(len(blocks), 1)
    mh.body_start = blocks[body_block][0] if body_block < len(blocks) else len(lines)
    titles: list[str] = []
    for first, last, text in blocks[:body_block]:
        if _DOC_TYPE.match(text):
            mh.meta["doc_type"] = text
            if titles:  # the title stands right above "Note by the Secretariat"; what follows are headings
                break
        else:
            text = _after_agenda_item(lines, first, last, text)
            if len(text.split()) >= 3 and not text.startswith(("Distr", "Original", "United Nations")) \
                    and not parse_date(text) == text and not re.match(r"^Agenda item", text, re.I):
                titles.append(text)
    mh.title = titles[-1] if titles else ""


def _after_agenda_item(lines: list[str], first: int, last: int, text: str) -> str:
    """A block "Eightieth session / Agenda item 15 / <agenda title>" without its session and item lines."""
    for i in range(first, last):
        if re.match(r"^Agenda items? [\d(]", lines[i].strip()):
            return " ".join(x.strip() for x in lines[i + 1 : last])
    return text


def _colophon(lines: list[str], mh: Masthead) -> int | None:
    """Cut "45th plenary meeting / 5 December 2018" off the end of adopted resolutions."""
    tail = [i for i in range(len(lines) - 1, max(mh.body_start, len(lines) - 12) - 1, -1) if lines[i].strip()]
    for i in tail:
        if _COLOPHON.match(lines[i].strip()):
            mh.meta["meeting"] = lines[i].strip()
            return i
    return None


def cut_colophons(lines: list[str]) -> tuple[list[str], list[str]]:
    """Blank out "15th plenary meeting / 29 September 2023" lines inside the body (before an annex).

    The colophon records where a text was adopted; it is not a paragraph anyone cites.
    Returns the lines and the colophons found.
    """
    out, found = list(lines), []
    for i, line in enumerate(lines):
        # a block of its own: "at its\n45th plenary meeting\non ..." inside a sentence stays
        if _COLOPHON.match(line.strip()) and (i == 0 or not lines[i - 1].strip() or lines[i - 1] == PAGE_BREAK):
            found.append(line.strip())
            out[i] = ""
            nxt = next((k for k in range(i + 1, len(lines)) if lines[k].strip()), None)
            if nxt is not None and lines[nxt] != PAGE_BREAK and parse_date(lines[nxt]) and len(lines[nxt].split()) <= 4:
                out[nxt] = ""
    return out, found


def _trailing_date(lines: list[str], mh: Masthead) -> None:
    """Declarations without a masthead often end with "Paris, 12th of November, 2018"."""
    tail = [line.strip() for line in lines if line.strip()][-3:]
    for s in reversed(tail):
        if len(s.split()) <= 8:
            found = parse_date(s)
            if found:
                mh.date = found
                return


def guess_kind(symbol: str | None, title: str, meta: dict) -> str:
    """resolution | draft resolution | report | note | statement compendium | declaration | other."""
    sym = symbol or ""
    if "compendium of statements" in title.lower():
        return "statement compendium"
    if re.search(r"\b(?:declaration|call for|call to action)\b", title, re.I) and "/" not in sym:
        return "declaration"  # "Paris Call for Trust and Security in Cyberspace": no UN symbol, a declaration
    if "/RES/" in sym:
        return "resolution"
    if re.search(r"/L\.\d+", sym):
        return "draft resolution"
    doc_type = meta.get("doc_type", "").lower()
    if doc_type.startswith("note by"):
        return "note"
    if doc_type.startswith("report") or re.match(r"^A/\d+/\d+(/|$)", sym):
        return "report"
    if "/INF/" in sym:
        return "note"
    return "other"


def symbol_from_filename(stem: str) -> str:
    """`A_RES_73_27` -> `A/RES/73/27`; names that are not UN symbols (`PARIS-CALL-2018`) stay."""
    candidate = stem.replace("_", "/")
    if "_" in stem and SYMBOL.match(candidate):
        return candidate
    return stem
