"""Format readers for `norms add`: PDF, HTML (main text only), DOCX, TXT and MD to plain text lines."""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from assistant.documents.read import DocumentError, check_size, decode_text, markdown_to_text, pdf_lines, split_front_matter

SOURCE_SUFFIXES = (".pdf", ".html", ".htm", ".docx", ".txt", ".md")
MAX_SOURCE_BYTES = 200 * 1024 * 1024  # a PDF of a few thousand pages; anything larger is not a UN document
# Inflated size of one XML part of a .docx: the longest UN reports are a few MB of document.xml. A small .docx
# can inflate to gigabytes (a decompression bomb), so parts are read streaming and refused past this.
MAX_DOCX_PART_BYTES = 32 * 1024 * 1024
MAX_LIST_NUMBER = 9999  # list numbers above this are not a document's numbering ("start=100000000" is a trap)


@dataclass
class SourceText:
    """A file's text as the reader pipeline expects it: lines with PAGE_BREAK lines between pages."""

    lines: list[str]
    front: dict[str, str] = field(default_factory=dict)  # front matter found in .md/.txt files
    title_hint: str = ""  # <title>/<h1> of a web page, dc:title of a DOCX: used only without a masthead title


def source_text(path: Path) -> SourceText:
    """Read any supported file into lines, or raise DocumentError saying why not."""
    suffix = path.suffix.lower()
    if suffix not in SOURCE_SUFFIXES:
        hint = " (save it as .docx or PDF)" if suffix in (".doc", ".rtf", ".odt") else ""
        raise DocumentError(f"{path}: unsupported file type {suffix or '(none)'}{hint}; "
                            f"norms add reads {', '.join(SOURCE_SUFFIXES)}")
    check_size(path, MAX_SOURCE_BYTES)
    if suffix == ".pdf":
        return SourceText(pdf_lines(path))
    if suffix == ".docx":
        return docx_text(path)
    text = decode_text(path)
    if suffix in (".html", ".htm"):
        return html_text(text)
    front, text = split_front_matter(text, path)
    if suffix == ".md":
        text = markdown_to_text(text)
    return SourceText(text.splitlines(), front)


# ---- HTML: keep the main text, drop navigation, banners, footers and scripts ----

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Tags and ARIA roles of site chrome; <header> too, unless inside the <main> or <article> being read.
_SKIP = {"script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "form", "button", "select",
         "iframe", "head", "dialog", "menu", "navigation", "banner", "contentinfo", "complementary", "search"}
# class or id words that mark site chrome; whole words only, so "content-header" inside an article survives
_CHROME_WORDS = {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "sidebar", "cookie",
                 "cookies", "skip", "share", "social", "toolbar"}
_BLOCK = {"p", "div", "section", "article", "main", "blockquote", "li", "ul", "ol", "dl", "dt", "dd", "table",
          "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "address", "figure", "figcaption", "hr", "body", "center"}
_CLOSES_P = _BLOCK - {"div", "section", "article", "main", "body", "center"}


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # _Node or str


class _TreeBuilder(HTMLParser):
    """A forgiving tree: void elements close themselves, a stray end tag closes up to its opener."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        if tag in _CLOSES_P and self.stack[-1].tag == "p":
            self.stack.pop()  # <p>one<p>two: the second p ends the first
        if tag == "li" and self.stack[-1].tag == "li":
            self.stack.pop()  # <li>one<li>two
        node = _Node(tag, {k: (v or "") for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _is_chrome(node: _Node, page_header: bool) -> bool:
    words = set(re.split(r"[\s_-]+", (node.attrs.get("class", "") + " " + node.attrs.get("id", "")).lower()))
    return (node.tag in _SKIP or node.attrs.get("role") in _SKIP or (page_header and node.tag == "header")
            or "hidden" in node.attrs or node.attrs.get("aria-hidden") == "true" or bool(words & _CHROME_WORDS))


def _descendants(node: _Node):
    for child in node.children:
        if isinstance(child, _Node):
            yield child
            yield from _descendants(child)


def _find(node: _Node, want) -> _Node | None:
    return next((n for n in _descendants(node) if want(n)), None)


def _raw_text(node: _Node) -> str:
    return "".join(c if isinstance(c, str) else _raw_text(c) for c in node.children)


class _Writer:
    """Walks the chosen subtree; each block element becomes its own blank-line separated block."""

    def __init__(self, page_header: bool):
        self.lines: list[str] = []
        self.current = ""
        self.page_header = page_header  # reading the whole <body>: its <header> is the site's banner

    def flush(self, blank: bool = True) -> None:
        text = " ".join(self.current.split())
        if text:
            self.lines.append(text)
        if blank and self.lines and self.lines[-1]:
            self.lines.append("")
        self.current = ""

    def walk(self, node: _Node, list_label: str = "") -> None:
        if _is_chrome(node, self.page_header):
            return
        if node.tag == "br":
            self.flush(blank=False)
            return
        block = node.tag in _BLOCK
        if block:
            self.flush()
        self.current += list_label
        counter = _list_start(node.attrs.get("start", ""))
        for child in node.children:
            if isinstance(child, str):
                self.current += child
            elif child.tag == "li" and node.tag in ("ol", "ul"):
                self.walk(child, _list_label(node, counter))
                counter += 1
            else:
                self.walk(child)
            if isinstance(child, _Node) and child.tag in ("td", "th"):
                self.current += "  "
        if block:
            self.flush()


def _list_start(value: str) -> int:
    """An <ol start> value: ASCII digits only (int() takes "١٢" and chokes on 5,000 digits), at most MAX_LIST_NUMBER."""
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        return 1
    return min(int(value), MAX_LIST_NUMBER)


def _list_label(parent: _Node, n: int) -> str:
    """Ordered lists keep the numbering a reader sees ("1. ", "(a) "); bullets become "- "."""
    kind = "ul" if parent.tag == "ul" else parent.attrs.get("type", "1")
    return {"ul": "- ", "a": f"({_letters(n)}) ", "i": f"({_roman(n)}) "}.get(kind, f"{n}. ")


_STRAY_LT = re.compile(r"<(?![A-Za-z/!?])")


def html_text(html: str) -> SourceText:
    """The main text of a web page: <main>, else <article>, else <body>, without site chrome."""
    builder = _TreeBuilder()
    # A "<" that opens no tag is text; escaped here because html.parser retries each one against the rest
    # of the page (1 MB of "<" took minutes).
    builder.feed(_STRAY_LT.sub("&lt;", html))
    builder.close()
    root = builder.root
    content = (_find(root, lambda n: n.tag == "main" or n.attrs.get("role") == "main")
               or _find(root, lambda n: n.tag == "article"))
    main = content or _find(root, lambda n: n.tag == "body") or root
    heading = _find(main, lambda n: n.tag == "h1")
    title = _find(root, lambda n: n.tag == "title")
    writer = _Writer(page_header=content is None)
    writer.walk(main)
    writer.flush()
    hint = " ".join(_raw_text(heading or title).split()) if heading or title else ""
    return SourceText(writer.lines, title_hint=hint)


# ---- DOCX: paragraphs, tables, automatic numbering and footnotes, with the standard library only ----

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


def docx_text(path: Path) -> SourceText:
    """Body paragraphs in order, list numbers written out, footnotes below a rule at the end."""
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
    return SourceText(lines, title_hint=(core.findtext(_DC_TITLE, "") if core is not None else "").strip())


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


def _roman(n: int) -> str:
    if n > 3999:
        return str(n)  # no Roman numeral is written past mmmcmxcix
    out = ""
    for value, numeral in zip((1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
                              "m cm d cd c xc l xl x ix v iv i".split()):
        count, n = divmod(n, value)
        out += numeral * count
    return out


def _letters(n: int) -> str:
    if not 0 < n <= 26 * 4:
        return str(n)  # Word stops at "zzzz"; "a" * 3.8 million (start="100000000") is no label
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # a..z, aa..zz as Word numbers them


def _whole(value: str | None, default: int | None, low: int = 0, high: int = MAX_LIST_NUMBER) -> int | None:
    """A numbering attribute as an int in [low, high]; `default` when missing, not a number or out of range."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9 or not low <= int(text) <= high:
        return default
    return int(text)


LEVELS = 9  # Word's list levels are w:ilvl 0..8


def _num_pr(props) -> tuple[str | None, int | None]:
    """(numId, ilvl) of a w:numPr element, either possibly missing."""
    if props is None:
        return None, None
    num_id, level = props.find(W + "numId"), props.find(W + "ilvl")
    return (num_id.get(W + "val") if num_id is not None else None,
            _whole(level.get(W + "val"), None, high=LEVELS - 1) if level is not None else None)


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
                level = _whole(lvl.get(W + "ilvl", "0"), None, high=LEVELS - 1)
                if lvl.tag == W + "lvl" and level is not None:  # a level Word cannot have is ignored
                    val = {child.tag: child.get(W + "val") for child in lvl}
                    self.levels[(num.get(W + "numId"), level)] = (
                        val.get(W + "numFmt") or "decimal", val.get(W + "lvlText") or "",
                        _whole(val.get(W + "start"), 1))
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
        return {"lowerLetter": _letters(n), "upperLetter": _letters(n).upper(), "lowerRoman": _roman(n),
                "upperRoman": _roman(n).upper()}.get(fmt, str(n))
