"""Page furniture and footnotes: strip running headers, job numbers, barcodes and page numbers from text lines."""

from __future__ import annotations

import re
from collections import Counter

PAGE_BREAK = "\f"  # a line holding only this marks where a page ended
FOOTNOTE_RULE = re.compile(r"^\s*_{5,}\s*$")  # the rule UN documents print above footnotes

_JOB_NUMBER = re.compile(r"^\d{2}-\d{5}\s*(?:\([A-Z]\))?(?:\s+\d{6})?\s*$")  # "23-26243 (E)    090124"
_BARCODE = re.compile(r"^\*\d{6,}\*$")  # "*2326243*"
_PAGE_NUMBER = re.compile(r"^\d{1,3}\s*/\s*\d{1,3}$")  # "3/12"
_FOOTNOTE_START = re.compile(r"^(\d{1,3}|\*{1,3})\s+\S")  # "1  See A/78/265."
_STAR_NOTE = re.compile(r"^\*{1,3}\s+\S")  # "* Circulated in the languages of submission only ..."
_CONTENTS = re.compile(r"^(?:Contents|Table of contents)$", re.I)
_LEADER = re.compile(r"(?:\.\s*){4,}(?:\d{1,4})?\s*$")  # "Argentina . . . . . . . 3"
_CONTENTS_FILLER = re.compile(r"^(?:Page|\d{1,4})$")  # the "Page" column title and page numbers
_WORD = re.compile(r"[^\W\d_]+")
_LABEL_LINE = re.compile(r"^(?:\([A-Za-z]{1,5}\)|\d{1,3}(?:\.\d{1,3})*\.?)$")  # "(iv)", "12.", "1.13"


def squash(text: str) -> str:
    """Lowercase letters and digits only: for comparing running titles with the real title."""
    return re.sub(r"[\W_]+", "", text.lower())


def is_anchor(line: str, symbol: str | None, page_total: int | None = None) -> bool:
    """A line that is certainly page furniture on its own.

    With page_total (the N of the document's "k/N" page numbers), a "k/M" line with another M is
    text: a resolution number such as "78/330" wrapped onto a line of its own.
    """
    s = line.strip()
    if not s:
        return False
    if _JOB_NUMBER.match(s) or _BARCODE.match(s):
        return True
    if _PAGE_NUMBER.match(s):
        return page_total is None or _page_of(s) == page_total
    return bool(symbol) and s.replace(" ", "") == symbol.replace(" ", "")


def _page_of(line: str) -> int | None:
    """N of a "k/N" page number line (k <= N), else None."""
    k, _, total = line.replace(" ", "").partition("/")
    return int(total) if k.isdigit() and total.isdigit() and 0 < int(k) <= int(total) else None


def _page_total(lines: list[str]) -> int | None:
    """The N printed in the document's "k/N" page numbers: the most frequent one."""
    totals = Counter(_page_of(x.strip()) for x in lines if _PAGE_NUMBER.match(x.strip()))
    totals.pop(None, None)
    return totals.most_common(1)[0][0] if totals else None


def strip_furniture(lines: list[str], symbol: str | None, title: str) -> list[str]:
    """Replace each running header/footer cluster with a single PAGE_BREAK line.

    A cluster is a run of anchors (symbol, page number, job number, barcode) plus the running
    title printed beside them; title lines count only when their text is part of the real title.
    """
    title_key = squash(title)
    total = _page_total(lines)

    def anchor(line: str) -> bool:
        return is_anchor(line, symbol, total)

    def title_like(s: str) -> bool:
        # a paragraph label alone ("(a)", "1.") squashes to a letter or digit found in any title
        key = squash(s)
        return len(key) >= 3 and not _LABEL_LINE.match(s.strip()) and bool(title_key) and key in title_key

    out: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        if not anchor(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        # Pull back running-title lines already emitted directly above the anchor. They must make a
        # block of their own: the last lines of a paragraph ("international security,") are body
        # text even when the title contains the same words.
        pulled: list[str] = []
        while out and out[-1].strip() and out[-1] != PAGE_BREAK and title_like(out[-1].strip() + "".join(pulled)):
            pulled.insert(0, out.pop().strip())
        if pulled and out and out[-1].strip() and out[-1] != PAGE_BREAK:
            out.extend(pulled)
        j = i
        while j < n:  # extend over anchors, blank lines and running-title lines
            s = lines[j].strip()
            if anchor(lines[j]) or not s or lines[j] == PAGE_BREAK:
                j += 1
                continue
            # a title line counts only if an anchor follows within a few lines
            k = j
            while k < n and k - j < 6 and lines[k].strip() and title_like(lines[k]):
                k += 1
            if k > j and k < n and any(anchor(x) for x in lines[k : k + 3]):
                j = k
                continue
            break
        while out and not out[-1].strip():
            out.pop()
        if out and out[-1] != PAGE_BREAK:
            out.append(PAGE_BREAK)
        i = j
    return out


def split_contents(lines: list[str]) -> tuple[list[str], list[str]]:
    """Take a table of contents out of the body; return the body and the entries' titles.

    A table is a "Contents" line followed by entries ending in dot leaders (an entry may wrap over
    several lines, and "I." may stand on a line of its own). Its entries name the document's
    headings, which the chunker uses to recognise long headings and the top level of sections.
    """
    start = next((i for i, line in enumerate(lines) if _CONTENTS.match(line.strip())), None)
    if start is None:
        return lines, []
    entries: list[str] = []
    pending: list[str] = []
    last_entry = None
    for i in range(start + 1, len(lines)):
        s = lines[i].strip()
        if lines[i] == PAGE_BREAK or not s or _CONTENTS_FILLER.match(s):
            continue
        leader = _LEADER.search(s, max(0, len(s) - 300))  # from each start it scans to the end: keep starts few
        if leader:
            entries.append(" ".join(pending + [s[: leader.start()].strip()]).strip())
            pending, last_entry = [], i
        else:
            pending.append(s)
            if len(pending) > 4:  # entries wrap over three lines at most: the table has ended
                break
    if last_entry is None or len(entries) < 2:
        return lines, []
    end = last_entry + 1
    while end < len(lines) and lines[end] != PAGE_BREAK and (not lines[end].strip() or _CONTENTS_FILLER.match(lines[end].strip())):
        end += 1  # the page number printed under the last entry
    return lines[:start] + [""] + lines[end:], entries


def _mark_star_notes(lines: list[str]) -> list[str]:
    """Put a footnote rule above "* Circulated ..." notes that close a page without one.

    Some pages print their only note (an asterisk note) with a drawn line that text extraction
    loses. Such a note is recognised by its place: a block of its own, last on its page.
    """
    out: list[str] = []
    for i, line in enumerate(lines):
        if _STAR_NOTE.match(line.strip()) and (not out or not out[-1].strip() or out[-1] == PAGE_BREAK):
            j = i
            while j < len(lines) and lines[j].strip() and lines[j] != PAGE_BREAK:
                j += 1
            if all(not x.strip() for x in lines[j:_next_break(lines, j)]):
                out.append("__________")
        out.append(line)
    return out


def _next_break(lines: list[str], start: int) -> int:
    return next((k for k in range(start, len(lines)) if lines[k] == PAGE_BREAK), len(lines))


def split_footnotes(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """Take footnote zones (below a rule of underscores) out of the body; return body lines and notes.

    Notes are keyed by their mark ("1", "*"); a mark seen before gets "~2", "~3" (numbering restarts).

    The zone ends at the page break or at the first block that does not start like a footnote.
    The place where the zone was becomes a PAGE_BREAK so paragraphs split by it can be rejoined.
    """
    lines = _mark_star_notes(lines)
    body: list[str] = []
    notes: dict[str, str] = {}
    i, n = 0, len(lines)
    while i < n:
        if not FOOTNOTE_RULE.match(lines[i]):
            body.append(lines[i])
            i += 1
            continue
        i += 1
        current: str | None = None  # the printed mark of the note being read ("1", "*")
        key = ""  # its key in notes: the mark, made unique when numbering restarts (an annex's own notes)
        while i < n:
            s = lines[i].strip()
            if lines[i] == PAGE_BREAK:
                i += 1
                break
            if not s:
                nxt = next((x for x in lines[i + 1 :] if x.strip()), None)
                if nxt is None or nxt == PAGE_BREAK or FOOTNOTE_RULE.match(nxt) or _FOOTNOTE_START.match(nxt.strip()):
                    i += 1
                    continue
                break
            m = _FOOTNOTE_START.match(s)
            if m and (current is None or _is_next_note(m.group(1), current)):
                current = key = m.group(1)
                repeat = 2
                while key in notes:
                    key, repeat = f"{current}~{repeat}", repeat + 1
                notes[key] = s[len(current) :].strip()
            elif current is not None:
                notes[key] = notes[key] + " " + s
            else:
                break
            i += 1
        if body and body[-1] != PAGE_BREAK:
            body.append(PAGE_BREAK)
    return body, notes


def _is_next_note(label: str, current: str) -> bool:
    """Notes on a page are numbered one after another; a line starting with another number
    ("26 August–4 September 2002 ...") continues the note above it."""
    if label.isdigit() and current.isdigit():
        return int(label) == int(current) + 1
    return True


def fix_hyphenation(lines: list[str]) -> list[str]:
    """Undo line-end hyphenation ("informa-" / "tion") when the joined word occurs elsewhere unhyphenated.

    Real compounds ("seventy-" / "eighth", "Secretary-" / "General") keep their hyphen. Either way the
    next line is joined to the hyphenated one, so a word is never split by a space.
    """
    vocabulary = {w.lower() for line in lines for w in _WORD.findall(line)}
    out: list[str] = []
    for raw in lines:
        prev = out[-1].rstrip() if out else ""
        nxt = raw.lstrip()
        if (
            prev.endswith("-")
            and len(prev) >= 2
            and prev[-2].isalpha()
            and raw != PAGE_BREAK
            and nxt[:1].isalpha()
        ) or (prev.endswith("–") and prev[-2:-1].isdigit() and nxt[:1].isdigit()):  # "2021–" / "2025"
            left = re.search(r"(?<![^\W\d_])[^\W\d_]+$", prev[:-1])  # start only where a word starts: linear
            right = re.match(r"[^\W\d_]+", nxt)
            joined = (left.group(0) if left else "") + (right.group(0) if right else "")
            keep_hyphen = not (nxt[0].islower() and joined.lower() in vocabulary)
            out[-1] = prev[:-1] + ("-" if keep_hyphen else "") + nxt
            continue
        out.append(raw)
    return out
