"""The lineage screen: a result's paragraph through the corpus, oldest first, each version diffed against the last."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from assistant.errors import NormsError
from assistant.records import Hit, TracingEngine
from assistant.sanitize import one_line
from assistant.lineage.render import trace_to_dict
from assistant.lineage.worddiff import DELETE, INSERT
from assistant.tui.render import literal, word_diff_text

RELATIONS = ("identical", "near-identical", "related")


def lineage_summary(data: dict) -> str:
    """`3 other paragraphs: 1 identical, 1 near-identical, 1 related`, for a lineage in the trace_to_dict shape."""
    others = [entry for entry in data.get("chain", []) if not entry.get("source")]
    if not others:
        return "No other paragraph of the corpus shares this language."
    found = ", ".join(f"{sum(e.get('relation') == r for e in others)} {r}" for r in RELATIONS)
    more = f"; {data['omitted']} more left out" if data.get("omitted") else ""
    return f"{len(others)} other paragraph{'s' if len(others) != 1 else ''}: {found}{more} · oldest first"


def entry_heading(entry: dict) -> str:
    """`2015-07-22  A/70/174, 13(f)  ·  identical`, marked when it is the result's own paragraph."""
    mark = "  ·  this result" if entry.get("source") else ""
    citation = one_line(entry.get("citation") or "")
    return f"{entry.get('date') or 'undated'}  {citation}  ·  {entry.get('relation')}{mark}"


def change_summary(entry: dict) -> str:
    """What changed against the version the diff is taken from, counted in words."""
    previous = entry.get("previous")
    if previous is None:
        return "earliest version in the corpus"
    ops = entry.get("diff", [])
    added = sum(len(op["text"].split()) for op in ops if op.get("op") == INSERT)
    removed = sum(len(op["text"].split()) for op in ops if op.get("op") == DELETE)
    against = one_line(previous.get("citation") or "")
    if not (added or removed):
        return f"same words as {against}"
    return f"against {against}: +{added} / -{removed} words"


class DiffBody(Widget):
    """One version's text with the words inserted and deleted since the previous one styled from app.tcss."""

    COMPONENT_CLASSES = {"diff-body--inserted", "diff-body--deleted"}

    def __init__(self, ops: list[dict]) -> None:
        super().__init__()
        self.ops = ops

    def render(self) -> Text:
        return word_diff_text(self.ops, self.get_component_rich_style("diff-body--inserted", partial=True),
                              self.get_component_rich_style("diff-body--deleted", partial=True))


class LineageScreen(Screen):
    """Traces `hit`'s paragraph in a worker (it can take a while on a big corpus), then lists the chain."""

    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", show=True)]

    class Traced(Message):
        def __init__(self, lineage: dict | None) -> None:
            super().__init__()
            self.lineage = lineage

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, engine: TracingEngine, hit: Hit) -> None:
        super().__init__(classes="lineage")
        self.engine, self.hit = engine, hit
        self.lineage: dict | None = None
        self.title = f"Lineage of {one_line(hit.citation())}"  # the Header renders titles as literal Content
        self.sub_title = hit.date or "undated"

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(literal(f"Tracing {self.hit.citation()} through the corpus…"), classes="lineage-summary")
        yield VerticalScroll(classes="lineage-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(".lineage-body", VerticalScroll).focus()  # arrows and PgUp/PgDn scroll the chain
        self._trace()

    @work(thread=True, exclusive=True, group="lineage", exit_on_error=False)
    def _trace(self) -> None:
        worker = get_current_worker()
        try:
            result: Message = self.Traced(trace_to_dict(self.engine.lineage(self.hit.symbol, self.hit.para)))
        except NormsError as error:
            result = self.Failed(str(error))
        except Exception as error:  # an engine bug becomes a message on this screen, never a crash
            result = self.Failed(f"unexpected {type(error).__name__}: {error}")
        if not worker.is_cancelled:  # Escape pressed meanwhile: the screen is gone
            self.post_message(result)

    def _say(self, text: str, tone: str) -> None:
        summary = self.query_one(".lineage-summary", Static)
        summary.update(literal(text))
        for name in ("warning", "error"):
            summary.set_class(name == tone, f"-{name}")

    def on_lineage_screen_failed(self, message: Failed) -> None:
        self._say(f"Could not trace {self.hit.citation()}: {message.error}", "error")

    async def on_lineage_screen_traced(self, message: Traced) -> None:
        self.lineage = message.lineage
        if message.lineage is None:
            self._say("Lineage is not available for this paragraph from this engine.", "warning")
            return
        self._say(lineage_summary(message.lineage), "info")
        entries = [Vertical(Static(literal(entry_heading(entry)), classes="lineage-heading"),
                            Static(literal(change_summary(entry)), classes="lineage-change"),
                            DiffBody(entry.get("diff", [])),
                            classes="lineage-entry -source" if entry.get("source") else "lineage-entry")
                   for entry in message.lineage.get("chain", [])]
        body = self.query_one(".lineage-body", VerticalScroll)
        await body.mount_all(entries)
        source = next((e for e in entries if e.has_class("-source")), None)
        if source is not None:  # the result's own paragraph in view, with what came before and after it
            self.call_after_refresh(body.scroll_to_center, source, animate=False)
