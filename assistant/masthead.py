"""Read a UN masthead (symbol, distribution, date, agenda item, title) and find where the body starts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .layout import PAGE_BREAK, is_anchor

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}

SYMBOL = re.compile(r"^(?:[A-Z]{1,3}|ST|UNEP|TD)(?:/[A-Za-z0-9.\-]+){1,7}$")  # A/RES/78/237, A/AC.292/2025/INF/5/Rev.1
_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(" + "|".join(MONTHS) + r"),?\s+(\d{4})\b", re.I)
_FORMULA = re.compile(r"^(?:The\s+)?(General Assembly|Security Council|Economic and Social Council|Human Rights Council)\s*,\s*$", re.I)
_RES_TITLE = re.compile(r"^(\d{1,3}/\d{1,4}(?:\s*[A-Z])?)\.\s+(.+)$")  # "78/237. Developments in ..."
_ADOPTED = re.compile(r"^(?:Resolution|Decision) adopted by the", re.I)
_SPONSORS = re.compile(r":\s*(?:revised\s+)?draft (?:resolution|decision)\s*$", re.I)
_COLOPHON = re.compile(r"^\d+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary meeting$", re.I)
_DOC_TYPE = re.compile(r"^(Note by the Secretar(?:iat|y-General)|Report of the .+)$", re.I)


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
    head = [(i, line.strip()) for i, line in enumerate(lines[:80]) if line.strip()]
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
    formula = next((i for i, s in head if _FORMULA.match(s)), None)
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
        elif re.match(r"^[A-Z][a-z-]+ session$", s):
            mh.meta["session"] = s
        elif _ADOPTED.match(s):
            rest = " ".join(x for _, x in head[k : k + 2])
            mh.meta["adopted"] = parse_date(rest)
    if formula is not None:
        mh.body_start = formula + 1
        mh.meta["formula"] = head[[i for i, _ in head].index(formula)][1]
        _title_before(lines, formula, mh)
    else:
        _body_without_formula(lines, head, mh)
    mh.date = mh.meta.get("adopted") or mh.meta.get("distributed")
    mh.body_end = _colophon(lines, mh)
    mh.kind = guess_kind(mh.symbol, mh.title, mh.meta)
    return mh


def _title_before(lines: list[str], formula: int, mh: Masthead) -> None:
    """Resolution title ("78/237. Title") or, for drafts, the block after the sponsors line."""
    blocks = _blocks(lines, 0, formula)
    for k, (_, _, text) in enumerate(blocks):
        m = _RES_TITLE.match(text)
        if m:
            mh.meta["number"] = m.group(1)
            mh.title = " ".join([m.group(2)] + [b[2] for b in blocks[k + 1 :]])
            return
    for k, (_, _, text) in enumerate(blocks):
        if _SPONSORS.search(text):
            mh.meta["sponsors"] = _SPONSORS.sub("", text).strip()
            mh.title = " ".join(b[2] for b in blocks[k + 1 :])
            return
    candidates = [b[2] for b in blocks if len(b[2].split()) >= 3 and not is_anchor(b[2], mh.symbol)]
    mh.title = candidates[-1] if candidates else ""


def _body_without_formula(lines: list[str], head: list[tuple[int, str]], mh: Masthead) -> None:
    """Reports and notes: the body starts at the first numbered or long paragraph."""
    blocks = _blocks(lines, 0, min(len(lines), 200))
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
    titles = []
    for _, _, text in blocks[:body_block]:
        if _DOC_TYPE.match(text):
            mh.meta["doc_type"] = text
        elif len(text.split()) >= 3 and not text.startswith(("Distr", "Original", "United Nations")) \
                and not parse_date(text) == text and not re.match(r"^Agenda item", text, re.I):
            titles.append(text)
    mh.title = titles[-1] if titles else ""


def _colophon(lines: list[str], mh: Masthead) -> int | None:
    """Cut "45th plenary meeting / 5 December 2018" off the end of adopted resolutions."""
    tail = [i for i in range(len(lines) - 1, max(mh.body_start, len(lines) - 12) - 1, -1) if lines[i].strip()]
    for i in tail:
        if _COLOPHON.match(lines[i].strip()):
            mh.meta["meeting"] = lines[i].strip()
            return i
    return None


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
    """resolution | draft resolution | report | note | statement compendium | other."""
    sym = symbol or ""
    if "compendium of statements" in title.lower():
        return "statement compendium"
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
