"""Modal dialogs: the filters (documents, years, kinds), the keys help, and a yes/no confirmation."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from assistant.dates import make_filters
from assistant.errors import UsageError
from assistant.records import DocInfo, Filters
from assistant.sanitize import one_line


# (section, [(keys, what they do)]) -- shown by `?` and listed in the README.
KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Asking", [
        ("Enter", "ask the question"),
        ("↑ ↓", "recall earlier questions (kept across runs)"),
        ("Tab / Shift+Tab", "jump to the newest results"),
        ("PgUp / PgDn", "scroll the conversation"),
    ]),
    ("Result cards", [
        ("Tab, ↑ ↓ ← →, j k", "move between cards"),
        ("Enter / o", "open the document at that paragraph"),
        ("c", "copy citation and text"),
        ("t", "the paragraph in earlier and later documents"),
        ("Esc", "back to the question"),
    ]),
    ("Document viewer", [
        ("↑ ↓ / j k", "previous / next paragraph"),
        ("Enter / n", "go to the cited footnote, and back"),
        ("c", "copy the paragraph with its citation"),
        ("PgUp / PgDn", "scroll the document"),
        ("Esc / q", "back to the chat"),
    ]),
    ("Anywhere (letters when not typing)", [
        ("f / F2", "filters: documents, years, kinds"),
        ("e / F3", "export the conversation to Markdown"),
        ("u / F4", "follow-up understanding on / off"),
        ("d / F5", "light / dark theme"),
        ("? / F1", "these keys"),
        ("Ctrl+P", "command palette"),
        ("Ctrl+Q", "quit"),
    ]),
]


class KeysScreen(ModalScreen[None]):
    """The keys, grouped by where they work."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", show=False)]

    def compose(self) -> ComposeResult:
        table = Text()
        for section, rows in KEYS:
            table.append(f"{section}\n", style="bold")
            for keys, action in rows:
                table.append(f"  {keys:<20}", style="bold")
                table.append(f"{action}\n")
            table.append("\n")
        table.rstrip()
        with VerticalScroll(classes="dialog keys-dialog"):
            yield Static("Keys  (Esc closes)", classes="dialog-title")
            yield Static(table, classes="keys-table")


class ConfirmScreen(ModalScreen[bool]):
    """A question with Yes / No; y, n and Escape work too."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n,escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(Content(self.question), classes="confirm-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, variant="primary", id="yes", compact=True)
                yield Button(self.no, id="no", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class FiltersScreen(ModalScreen["Filters | None"]):
    """Choose documents, a year range and kinds; dismisses with the new Filters, or None if cancelled.

    Ticking nothing in a list means "all", as delegations expect of an unfiltered search.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("ctrl+s", "apply", "Apply", show=False),
    ]

    def __init__(self, documents: list[DocInfo], current: Filters) -> None:
        super().__init__()
        self.documents, self.current = documents, current

    def compose(self) -> ComposeResult:
        chosen = {s.upper() for s in self.current.docs}
        doc_choices = [
            Selection(Content(one_line(f"{d.symbol}  {d.title}"
                                       + (f" ({d.date[:4]})" if d.date else ""))), d.symbol, d.symbol.upper() in chosen)
            for d in self.documents
        ]
        kinds = sorted({d.kind for d in self.documents if d.kind})
        with VerticalScroll(classes="dialog filters-dialog"):
            yield Static("Filters", classes="dialog-title")
            yield Static("Documents (none ticked: all)", classes="dialog-label")
            yield SelectionList[str](*doc_choices, id="filter-docs", compact=True)
            with Horizontal(classes="filter-years"):
                yield Static("Years", classes="dialog-label")
                yield Input((self.current.since or "")[:4], placeholder="from", id="filter-since",
                            restrict=r"[0-9]{0,4}", compact=True)
                yield Static("–", classes="filter-dash")
                yield Input((self.current.until or "")[:4], placeholder="until", id="filter-until",
                            restrict=r"[0-9]{0,4}", compact=True)
            yield Static("Kinds (none ticked: all)", classes="dialog-label")
            yield SelectionList[str](*[Selection(Content(k), k, k in self.current.kinds) for k in kinds],
                                     id="filter-kinds", compact=True)
            yield Static("", id="filter-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", variant="primary", id="apply", compact=True)
                yield Button("Clear", id="clear", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.action_apply()
        elif event.button.id == "clear":
            self.dismiss(Filters())
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _complain(self, text: str) -> None:
        error = self.query_one("#filter-error", Static)
        error.update(Content(text))
        error.add_class("-shown")

    def action_apply(self) -> None:
        since_text = self.query_one("#filter-since", Input).value.strip()
        until_text = self.query_one("#filter-until", Input).value.strip()
        if any(t and len(t) != 4 for t in (since_text, until_text)):
            self._complain("Years have four digits, e.g. 2015.")
            return
        since_year = int(since_text) if since_text else None
        until_year = int(until_text) if until_text else None
        if since_year and until_year and since_year > until_year:
            self._complain(f"“from” ({since_year}) is after “until” ({until_year}).")
            return
        docs = list(self.query_one("#filter-docs", SelectionList).selected)
        kinds = list(self.query_one("#filter-kinds", SelectionList).selected)
        try:  # the same checks as `ask --since/--until/--kind` and briefings
            filters = make_filters(docs, since_text or None, until_text or None, kinds, prefix="")
        except UsageError as error:
            self._complain(str(error))
            return
        self.dismiss(filters)
