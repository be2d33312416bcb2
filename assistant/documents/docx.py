"""Read a .docx with the standard library only: paragraphs, tables, automatic list numbers and footnotes."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

from assistant.documents.listnumbers import letters, list_number, roman
from assistant.documents.read import DocumentError

# Inflated size of one XML part: the longest UN reports are a few MB of document.xml. A small .docx can
# inflate to gigabytes (a decompression bomb), so parts are read streaming and refused past this.
MAX_DOCX_PART_BYTES = 32 * 1024 * 1024

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_RUN_MARKS = {W + "tab": " ", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}


def _xml(archive: zipfile.ZipFile, name: str, path: Path):
    """One XML part, inflated streaming and refused past MAX_DOCX_PART_BYTES; None when the part is absent."""
    if name not in archive.namelist():
        return None
    with archive.open(name) as part:
        data = part.read(MAX_DOCX_PART_BYTES + 1)
    if len(data) > MAX_DOCX_PART_BYTES:
        raise DocumentError(f"{path}: {name} inflates to more than {MAX_DOCX_PART_BYTES >> 20} MB "
                            "(a decompression bomb?); refused")
    return ElementTree.fromstring(data)


def read_docx(path: Path) -> tuple[list[str], str]:
    """Body paragraphs in order, list numbers written out, footnotes below a rule at the end; and dc:title."""
    try:
        with zipfile.ZipFile(path) as archive:
            document = _xml(archive, "word/document.xml", path)
            if document is None:
                raise DocumentError(f"{path}: not a Word document (no word/document.xml)")
            numbering = _Numbering(_xml(archive, "word/numbering.xml", path), _xml(archive, "word/styles.xml", path))
            notes_xml = _xml(archive, "word/footnotes.xml", path)
            core = _xml(archive, "docProps/core.xml", path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError, OSError, EOFError, NotImplementedError,
            RuntimeError, ValueError, zlib.error) as exc:  # damaged, encrypted or oddly compressed members
        raise DocumentError(f"{path}: not a readable .docx ({exc})") from None
    refs: list[str] = []  # footnote ids in the order the text cites them
    lines: list[str] = []
    for paragraph in document.iter(W + "p"):
        text = _paragraph_text(paragraph, refs)
        label = numbering.label(paragraph)
        lines.extend([(label + " " + text).strip() if label else text, ""])
    notes = {n.get(W + "id"): " ".join(_paragraph_text(p, []) for p in n.iter(W + "p")).strip()
             for n in (notes_xml if notes_xml is not None else [])}
    if refs:
        lines.append("__________")
        lines.extend(f"{number} {notes.get(ref, '')}" for number, ref in enumerate(refs, 1))
    return lines, (core.findtext(_DC_TITLE, "") if core is not None else "").strip()


def _paragraph_text(paragraph, refs: list[str]) -> str:
    """Runs of one w:p; a footnote reference becomes its number glued to the word, as printed."""
    out: list[str] = []
    for el in paragraph.iter():
        if el.tag == W + "t":  # deleted text is w:delText and field codes w:instrText: both left out
            out.append(el.text or "")
        elif el.tag in _RUN_MARKS:
            out.append(_RUN_MARKS[el.tag])
        elif el.tag == W + "footnoteReference":
            refs.append(el.get(W + "id"))
            out.append(str(len(refs)))
    return "\n".join(" ".join(part.split()) for part in "".join(out).split("\n"))


LEVELS = 9  # Word's list levels are w:ilvl 0..8


def _num_pr(props) -> tuple[str | None, int | None]:
    """(numId, ilvl) of a w:numPr element, either possibly missing."""
    if props is None:
        return None, None
    num_id, level = props.find(W + "numId"), props.find(W + "ilvl")
    return (num_id.get(W + "val") if num_id is not None else None,
            list_number(level.get(W + "val"), None, high=LEVELS - 1) if level is not None else None)


class _Numbering:
    """Word's automatic list numbers ("1.", "(a)") that exist only in numbering.xml, never in the text."""

    def __init__(self, numbering, styles):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) -> (format, text, start)
        self.counters: dict[str, list[int]] = {}
        numbering = numbering if numbering is not None else ElementTree.Element("none")
        abstract = {a.get(W + "abstractNumId"): a for a in numbering.iter(W + "abstractNum")}
        for num in numbering.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            for lvl in abstract.get(ref.get(W + "val") if ref is not None else None, []):
                level = list_number(lvl.get(W + "ilvl", "0"), None, high=LEVELS - 1)
                if lvl.tag == W + "lvl" and level is not None:  # a level Word cannot have is ignored
                    val = {child.tag: child.get(W + "val") for child in lvl}
                    self.levels[(num.get(W + "numId"), level)] = (
                        val.get(W + "numFmt") or "decimal", val.get(W + "lvlText") or "",
                        list_number(val.get(W + "start"), 1))
        # List styles ("List Number") carry their numbering in styles.xml rather than on each paragraph.
        self.style_num = {style.get(W + "styleId"): _num_pr(style.find(f"{W}pPr/{W}numPr"))
                          for style in (styles.iter(W + "style") if styles is not None else [])}

    def label(self, paragraph) -> str:
        props = paragraph.find(W + "pPr")
        style = props.find(W + "pStyle") if props is not None else None
        style_id, style_level = self.style_num.get(style.get(W + "val") if style is not None else "", (None, None))
        own_id, own_level = _num_pr(props.find(W + "numPr") if props is not None else None)
        num_id, level = own_id or style_id, own_level if own_level is not None else (style_level or 0)
        if (num_id, level) not in self.levels:
            return ""
        counts = self.counters.setdefault(num_id, [0] * LEVELS)
        counts[level:] = [counts[level] + 1] + [0] * (LEVELS - 1 - level)  # a new "2." restarts its "(a)" list
        fmt, text, _ = self.levels[(num_id, level)]
        return "-" if fmt == "bullet" else re.sub(r"%([1-9])", lambda m: self._format(num_id, int(m[1]) - 1, counts),
                                                  text[:200])

    def _format(self, num_id: str, level: int, counts: list[int]) -> str:
        fmt, _, start = self.levels.get((num_id, level), ("decimal", "", 1))
        n = max(counts[level], 1) + start - 1
        return {"lowerLetter": letters(n), "upperLetter": letters(n).upper(), "lowerRoman": roman(n),
                "upperRoman": roman(n).upper()}.get(fmt, str(n))
