"""The chat's widgets: the question input with history, and the transcript's turns and result cards."""

from __future__ import annotations

from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from assistant.records import Answer, Hit, cite
from assistant.tui.history import QuestionHistory
from assistant.tui.render import card_citation, hit_text, literal, score_cells


class QuestionInput(Input):
    """Where questions are typed; Up/Down recall earlier ones, Tab jumps to the latest results."""

    BINDINGS = [
        Binding("enter", "submit", "Ask", show=True),
        Binding("up", "history_back", "History", show=True, key_display="↑↓"),
        Binding("down", "history_forward", "Newer question", show=False),
        Binding("tab", "to_results", "Results", show=True),
        Binding("shift+tab", "to_results(True)", "Last result", show=False),
    ]

    class ToResults(Message):
        """The user wants to move from the input to the newest answer's cards."""

        def __init__(self, last: bool) -> None:
            super().__init__()
            self.last = last

    def __init__(self, history: QuestionHistory, **kwargs) -> None:
        super().__init__(**kwargs)
        self.history = history

    def _recall(self, text: str | None) -> None:
        if text is None:
            return
        self.value = text
        self.cursor_position = len(text)

    def action_history_back(self) -> None:
        self._recall(self.history.back(self.value))

    def action_history_forward(self) -> None:
        self._recall(self.history.forward())

    def action_to_results(self, last: bool = False) -> None:
        if not self.screen.query(ResultCard):
            raise SkipAction()  # nothing to jump to: let Tab do its usual focus move
        self.post_message(self.ToResults(last))


class ScoreBar(Widget):
    """A short bar: this hit's score relative to the best hit of the answer, then the score itself."""

    COMPONENT_CLASSES = {"score-bar--filled", "score-bar--empty"}
    CELLS = 8

    def __init__(self, score: float, top: float) -> None:
        super().__init__()
        self.score, self.top = score, top

    def render(self) -> Text:
        filled = score_cells(self.score, self.top, self.CELLS)
        return Text.assemble(
            ("━" * filled, self.get_component_rich_style("score-bar--filled", partial=True)),
            ("━" * (self.CELLS - filled), self.get_component_rich_style("score-bar--empty", partial=True)),
            f" {self.score:.2f}",
        )

    def get_content_width(self, container, viewport) -> int:
        return self.CELLS + 1 + len(f"{self.score:.2f}")


class HitBody(Widget):
    """The paragraph's text: best sentence and the question's words emphasised, styles from app.tcss."""

    COMPONENT_CLASSES = {"hit-body--best", "hit-body--match"}

    def __init__(self, hit: Hit, question: str) -> None:
        super().__init__()
        self.hit, self.question = hit, question

    def render(self) -> Text:
        return hit_text(self.hit.text, self.hit.highlights, self.question,
                        self.get_component_rich_style("hit-body--best", partial=True),
                        self.get_component_rich_style("hit-body--match", partial=True))


class ResultCard(Vertical, can_focus=True):
    """One hit: citation, date and score, title, text, and where the same words also appear."""

    BINDINGS = [
        Binding("enter,o", "open", "Open", show=True),
        Binding("c", "copy", "Copy", show=True),
        Binding("t", "lineage", "Lineage", show=True),
        Binding("up,k", "move(-1)", "Previous", show=False),
        Binding("down,j", "move(1)", "Next", show=False),
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("escape", "app.focus_question", "Ask", show=True),
        # The app binds these too; repeated here so the footer shows them while a card is focused.
        Binding("f", "app.open_filters", "Filters", show=True),
        Binding("e", "app.export", "Export", show=True),
    ]

    class Opened(Message):
        """Open the document viewer at this hit's paragraph."""

        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    class Copied(Message):
        """Copy this hit's citation and text."""

        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    class LineageWanted(Message):
        """Show this hit's paragraph through the corpus."""

        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    def __init__(self, hit: Hit, question: str, top_score: float) -> None:
        super().__init__(classes="result-card")
        self.hit, self.question, self.top_score = hit, question, top_score

    def compose(self) -> ComposeResult:
        hit = self.hit
        with Horizontal(classes="card-head"):
            yield Static(literal(f"{hit.rank}  {card_citation(hit)}"), classes="card-citation")
            yield Static(literal(hit.date or "undated"), classes="card-date")
            yield ScoreBar(hit.score, self.top_score)
            if hit.confidence == "low":  # below the calibrated line: the nearest paragraph, not an answer
                yield Static(literal("low confidence"), classes="card-low")
        yield Static(literal(hit.title), classes="card-title")
        yield HitBody(hit, self.question)
        if hit.also_in:
            also = "; ".join(cite(a.symbol, a.para) + (f" ({a.date[:4]})" if a.date else "") for a in hit.also_in)
            yield Static(literal(f"also in {also}"), classes="card-also")
        if hit.similar_in:
            similar = "; ".join(cite(a.symbol, a.para) + (f" ({a.date[:4]})" if a.date else "") for a in hit.similar_in)
            yield Static(literal(f"similar in {similar} (differs by a phrase)"), classes="card-also")

    def action_open(self) -> None:
        self.post_message(self.Opened(self.hit))

    def action_copy(self) -> None:
        self.post_message(self.Copied(self.hit))

    def action_lineage(self) -> None:
        self.post_message(self.LineageWanted(self.hit))

    def action_move(self, step: int) -> None:
        cards = list(self.screen.query(ResultCard))
        index = cards.index(self) + step
        if 0 <= index < len(cards):
            cards[index].focus()
        elif step > 0:
            self.app.action_focus_question()  # past the last card the input is next, as with Tab


class TurnView(Vertical):
    """One turn of the transcript: the question, how it was understood, then cards or a message."""

    def __init__(self, turn_id: int, asked: str) -> None:
        super().__init__(classes="turn", id=f"turn-{turn_id}")
        self.turn_id, self.asked = turn_id, asked

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("› ", "bold"), literal(self.asked)), classes="turn-question")
        yield Static("", classes="turn-understood")
        yield Static("", classes="turn-message")
        yield Vertical(classes="turn-cards")

    def show_understood(self, explanation: str) -> None:
        line = self.query_one(".turn-understood", Static)
        line.update(literal(f"Understood as: {explanation}" if explanation else ""))
        line.set_class(bool(explanation), "-shown")

    def show_message(self, message: str, tone: str = "info") -> None:
        """An inline line under the question; tone is info, warning or error (styled in app.tcss)."""
        line = self.query_one(".turn-message", Static)
        line.update(literal(message))
        line.set_class(bool(message), "-shown")
        for name in ("info", "warning", "error"):
            line.set_class(name == tone, f"-{name}")

    async def show_answer(self, answer: Answer, question: str) -> None:
        notes = "; ".join(answer.notices)
        if answer.results:
            self.show_message(f"Note: {notes}" if notes else "", "info")
        else:
            hint = "Try other words, or change the filters (f)."
            self.show_message(f"No paragraphs found{f' ({notes})' if notes else ''}. {hint}", "warning")
        top = max((h.score for h in answer.results), default=0.0)
        cards = self.query_one(".turn-cards", Vertical)
        await cards.remove_children()
        await cards.mount_all([ResultCard(hit, question, top) for hit in answer.results])
