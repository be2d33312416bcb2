"""The document viewer: a whole document, scrolled to one paragraph, with its footnotes one key away."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from assistant.records import DocInfo, Paragraph
from assistant.tui.render import literal


def footnote_of(label: str, paragraphs: list[Paragraph]) -> Paragraph | None:
    """The footnote paragraph a citing paragraph's label points at ("fn1", or a bare "1")."""
    for p in paragraphs:
        if p.role == "footnote" and p.para in (label, f"fn{label}"):
            return p
    return None


def paragraph_label(paragraph: Paragraph, doc_kind: str) -> str:
    """How the paragraph is cited without its symbol: `para. 1.6`, `OP 1(a)`, `PP3`, `footnote 1`."""
    if paragraph.role == "footnote":
        return "footnote " + paragraph.para.removeprefix("fn")
    return paragraph.citation(doc_kind).removeprefix(f"{paragraph.symbol}, ")


class ParagraphBlock(Vertical, can_focus=True):
    """One paragraph: its label, its text, and the text of the footnotes it cites."""

    BINDINGS = [
        Binding("up,k", "move(-1)", "Previous", show=False),
        Binding("down,j", "move(1)", "Next", show=False),
        Binding("enter,n", "follow_note", "Footnote", show=True),
        Binding("c", "copy", "Copy", show=True),
    ]

    class Copied(Message):
        def __init__(self, paragraph: Paragraph, kind: str) -> None:
            super().__init__()
            self.paragraph, self.kind = paragraph, kind

    def __init__(self, paragraph: Paragraph, notes: list[Paragraph], doc_kind: str, target: bool) -> None:
        super().__init__(classes="paragraph -target" if target else "paragraph", id=f"para-{paragraph.order}")
        self.paragraph, self.notes, self.doc_kind = paragraph, notes, doc_kind

    def compose(self) -> ComposeResult:
        p = self.paragraph
        yield Static(literal(paragraph_label(p, self.doc_kind)), classes="paragraph-label")
        yield Static(literal(p.text), classes="paragraph-text")
        for note in self.notes:
            yield Static(literal(f"{paragraph_label(note, self.doc_kind)}: {note.text}"), classes="paragraph-note")
        if p.role == "footnote" and p.cited_by:
            yield Static(literal("cited by " + ", ".join(p.cited_by)), classes="paragraph-note")

    def action_move(self, step: int) -> None:
        blocks = list(self.screen.query(ParagraphBlock))
        index = blocks.index(self) + step
        if 0 <= index < len(blocks):
            blocks[index].focus()

    def action_follow_note(self) -> None:
        """From a paragraph to its first footnote, from a footnote back to the first paragraph citing it."""
        p = self.paragraph
        wanted = [n.para for n in self.notes] if p.role != "footnote" else p.cited_by
        for block in self.screen.query(ParagraphBlock):
            if wanted and block.paragraph.para == wanted[0]:
                block.focus()
                return
        self.notify("This paragraph cites no footnote.", severity="warning")

    def action_copy(self) -> None:
        self.post_message(self.Copied(self.paragraph, self.doc_kind))


class DocumentScreen(Screen):
    """Shows `info`'s paragraphs in order with the target focused and centred; Escape returns."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", show=True),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
    ]

    def __init__(self, info: DocInfo, paragraphs: list[Paragraph], target: str) -> None:
        super().__init__(classes="document")
        self.info, self.paragraphs, self.target = info, paragraphs, target
        self.title = info.symbol  # the Header renders titles as literal Content
        self.sub_title = " · ".join(x for x in (info.date or "undated", info.kind) if x)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(literal(self.info.title), classes="document-title")
        with VerticalScroll(classes="document-body"):
            for p in self.paragraphs:
                notes = [n for n in (footnote_of(label, self.paragraphs) for label in p.footnotes) if n]
                yield ParagraphBlock(p, notes, self.info.kind, target=p.para == self.target)
        yield Footer()

    def on_mount(self) -> None:
        blocks = list(self.query(ParagraphBlock))
        target = next((b for b in blocks if b.has_class("-target")), None)
        if target is None:
            if blocks:
                blocks[0].focus()
            self.notify(f"Paragraph {self.target} is not in {self.info.symbol}; showing the start.",
                        severity="warning", markup=False)
            return
        target.focus(scroll_visible=False)
        # Centre once the layout knows the heights, so the neighbours show above and below.
        self.call_after_refresh(self.query_one(".document-body", VerticalScroll).scroll_to_center, target,
                                animate=False)

    def action_page(self, pages: int) -> None:
        body = self.query_one(".document-body", VerticalScroll)
        if pages < 0:
            body.scroll_page_up(animate=False)
        else:
            body.scroll_page_down(animate=False)

    def on_paragraph_block_copied(self, message: ParagraphBlock.Copied) -> None:
        p = message.paragraph
        self.app.copy_text(f"{p.citation(message.kind)}\n{p.text}")  # type: ignore[attr-defined]
