"""Page furniture and footnotes: strip running headers, job numbers, barcodes and page numbers from text lines."""

from __future__ import annotations

import re

PAGE_BREAK = "\f"  # a line holding only this marks where a page ended
FOOTNOTE_RULE = re.compile(r"^\s*_{5,}\s*$")  # the rule UN documents print above footnotes

_JOB_NUMBER = re.compile(r"^\d{2}-\d{5}\s*(?:\([A-Z]\))?(?:\s+\d{6})?\s*$")  # "23-26243 (E)    090124"
_BARCODE = re.compile(r"^\*\d{6,}\*$")  # "*2326243*"
_PAGE_NUMBER = re.compile(r"^\d{1,3}\s*/\s*\d{1,3}$")  # "3/12"
_FOOTNOTE_START = re.compile(r"^(\d{1,3}|\*{1,3})\s+\S")  # "1  See A/78/265."
_WORD = re.compile(r"[^\W\d_]+")


def squash(text: str) -> str:
    """Lowercase letters and digits only: for comparing running titles with the real title."""
    return re.sub(r"[\W_]+", "", text.lower())


def is_anchor(line: str, symbol: str | None) -> bool:
    """A line that is certainly page furniture on its own."""
    s = line.strip()
    if not s:
        return False
    if _JOB_NUMBER.match(s) or _BARCODE.match(s) or _PAGE_NUMBER.match(s):
        return True
    return bool(symbol) and s.replace(" ", "") == symbol.replace(" ", "")


def strip_furniture(lines: list[str], symbol: str | None, title: str) -> list[str]:
    """Replace each running header/footer cluster with a single PAGE_BREAK line.

    A cluster is a run of anchors (symbol, page number, job number, barcode) plus the running
    title printed beside them; title lines count only when their text is part of the real title.
    """
    title_key = squash(title)

    def title_like(s: str) -> bool:
        key = squash(s)
        return bool(key) and bool(title_key) and key in title_key

    out: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        if not is_anchor(lines[i], symbol):
            out.append(lines[i])
            i += 1
            continue
        # Pull back running-title lines already emitted directly above the anchor.
        pulled = ""
        while out and out[-1].strip() and out[-1] != PAGE_BREAK and title_like(out[-1].strip() + pulled):
            pulled = out.pop().strip() + pulled
        j = i
        while j < n:  # extend over anchors, blank lines and running-title lines
            s = lines[j].strip()
            if is_anchor(lines[j], symbol) or not s or lines[j] == PAGE_BREAK:
                j += 1
                continue
            # a title line counts only if an anchor follows within a few lines
            k = j
            while k < n and k - j < 6 and lines[k].strip() and title_like(lines[k]):
                k += 1
            if k > j and k < n and any(is_anchor(x, symbol) for x in lines[k : k + 3]):
                j = k
                continue
            break
        while out and not out[-1].strip():
            out.pop()
        if out and out[-1] != PAGE_BREAK:
            out.append(PAGE_BREAK)
        i = j
    return out


def split_footnotes(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """Take footnote zones (below a rule of underscores) out of the body; return body lines and notes.

    The zone ends at the page break or at the first block that does not start like a footnote.
    The place where the zone was becomes a PAGE_BREAK so paragraphs split by it can be rejoined.
    """
    body: list[str] = []
    notes: dict[str, str] = {}
    i, n = 0, len(lines)
    while i < n:
        if not FOOTNOTE_RULE.match(lines[i]):
            body.append(lines[i])
            i += 1
            continue
        i += 1
        current: str | None = None
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
                current = m.group(1)
                notes[current] = s[len(m.group(1)) :].strip()
            elif current is not None:
                notes[current] = notes[current] + " " + s
            else:
                break
            i += 1
        if body and body[-1] != PAGE_BREAK:
            body.append(PAGE_BREAK)
    return body, notes


def _is_next_note(label: str, current: str) -> bool:
    """Footnote numbers only go up; a line starting with a smaller number is a continuation."""
    if label.isdigit() and current.isdigit():
        return int(label) > int(current)
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
            left = re.search(r"[^\W\d_]+$", prev[:-1])
            right = re.match(r"[^\W\d_]+", nxt)
            joined = (left.group(0) if left else "") + (right.group(0) if right else "")
            keep_hyphen = not (nxt[0].islower() and joined.lower() in vocabulary)
            out[-1] = prev[:-1] + ("-" if keep_hyphen else "") + nxt
            continue
        out.append(raw)
    return out
