"""Format readers for `norms add`: PDF, HTML (main text only), DOCX (docx.py), TXT and MD to plain text lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from assistant.documents.docx import read_docx
from assistant.documents.listnumbers import letters, list_number, roman
from assistant.documents.read import MAX_TEXT_BYTES, DocumentError, check_size, decode_text, markdown_to_text, pdf_lines, split_front_matter

SOURCE_SUFFIXES = (".pdf", ".html", ".htm", ".docx", ".txt", ".md")
MAX_SOURCE_BYTES = 200 * 1024 * 1024  # a PDF of a few thousand pages; anything larger is not a UN document


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
    # text formats get the corpus reader's limit: the file is read whole and becomes a whole Markdown file
    check_size(path, MAX_SOURCE_BYTES if suffix in (".pdf", ".docx") else MAX_TEXT_BYTES)
    if suffix == ".pdf":
        return SourceText(pdf_lines(path))
    if suffix == ".docx":
        lines, title = read_docx(path)
        return SourceText(lines, title_hint=title)
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
        counter = list_number(node.attrs.get("start"), 1)
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


def _list_label(parent: _Node, n: int) -> str:
    """Ordered lists keep the numbering a reader sees ("1. ", "(a) "); bullets become "- "."""
    kind = "ul" if parent.tag == "ul" else parent.attrs.get("type", "1")
    return {"ul": "- ", "a": f"({letters(n)}) ", "i": f"({roman(n)}) "}.get(kind, f"{n}. ")


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


