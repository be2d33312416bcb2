"""The norms chat: ask in plain words, get the cited paragraphs; the engine loads in the background."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Input, ProgressBar, Static
from textual.worker import get_current_worker

from assistant.errors import IndexMissing, NormsError
from assistant.records import DocInfo, Engine, Filters
from assistant.sanitize import one_line
from assistant.tui.actions import ChatActions
from assistant.tui.conversation import Turn
from assistant.tui.dialogs import ConfirmScreen
from assistant.tui.filtering import combine_filters, copy_filters, describe_filters, documents_matching
from assistant.tui.followup import interpret_followup
from assistant.tui.history import QuestionHistory, default_history_path
from assistant.tui.messages import AnswerReady, EngineFailed, EngineProgress, EngineReady, IndexAbsent, Progress
from assistant.tui.messages import QuestionFailed, progress_poster
from assistant.tui.palette import ChatCommands
from assistant.tui.render import literal
from assistant.tui.widgets import QuestionInput, TurnView

__all__ = ["NormsApp", "make_app", "default_history_path"]

WELCOME = ("Ask about the UN cyber-norms documents in plain words; the answer is the paragraphs themselves, "
           "each cited by symbol and paragraph. For example: What do States say about critical infrastructure?\n"
           "Press F1 for keys, Ctrl+P for commands.")


class Transcript(VerticalScroll, can_focus=False):
    """The questions and answers so far; cards take focus, not the scroll area, so Tab means cards."""


class NormsApp(ChatActions, App[None]):
    """The chat. Build it with `make_app`; tests and the CLI drive the same object."""

    CSS_PATH = "app.tcss"
    TITLE = "norms"
    COMMANDS = App.COMMANDS | {ChatCommands}
    BINDINGS = [
        Binding("f1,question_mark", "show_keys", "Keys", key_display="F1"),
        Binding("f,f2", "open_filters", "Filters", show=False),
        Binding("e,f3", "export", "Export", show=False),
        Binding("u,f4", "toggle_followups", "Follow-ups", show=False),
        Binding("d,f5", "toggle_theme", "Theme", show=False),
        Binding("ctrl+b", "build_index", "Build index", show=False),
        Binding("pageup", "scroll_transcript(-1)", show=False),
        Binding("pagedown", "scroll_transcript(1)", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, open_engine: Callable[[Progress], Engine], *, history_path: Path | None, export_dir: Path,
                 index_exists: Callable[[], bool] = lambda: True, k: int = 5) -> None:
        super().__init__()
        self._open_engine, self._index_exists = open_engine, index_exists
        self.export_dir, self.k = export_dir, k
        self.history = QuestionHistory(history_path)
        self.engine: Engine | None = None
        self.documents: list[DocInfo] = []
        self.engine_state = "starting"  # starting | loading | building | ready | missing | failed
        self.engine_error = ""
        # The filter panel's filters (follow-ups add to them per question); App itself owns `_filters`.
        self._question_filters = Filters()
        self.followups = True
        self.turns: list[Turn] = []
        self._pending: Turn | None = None  # asked before the engine was ready; answered when it is
        self._current: Turn | None = None  # being searched now
        self.last_copied = ""
        self.last_export: Path | None = None
        self.status_text = ""

    # -- layout ------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Transcript(id="transcript"):
            yield Static(literal(WELCOME), id="welcome")
        yield Static("", id="notice")
        yield ProgressBar(id="progress", show_eta=False)
        yield Static("", id="status")
        yield QuestionInput(self.history, placeholder="Ask a question, e.g. What do States say about critical "
                            "infrastructure?", id="question")
        yield Footer()

    def on_mount(self) -> None:
        question = self.query_one(QuestionInput)
        question.focus()
        if self.is_headless:  # a blinking cursor would make screenshots differ from run to run
            question.cursor_blink = False
        self.update_sub_title()
        self._start_engine(check_index=True)

    @property
    def busy(self) -> bool:
        """Loading, building or searching: tests wait on this to settle."""
        return self.engine_state in ("starting", "loading", "building") or self._current is not None

    def set_status(self, text: str, tone: str = "info") -> None:
        self.status_text = text
        status = self.query_one("#status", Static)
        status.update(literal(text))
        for name in ("info", "warning", "error"):
            status.set_class(name == tone, f"-{name}")

    def set_notice(self, text: str) -> None:
        """A one-line inline message above the input (cleared by the next question)."""
        notice = self.query_one("#notice", Static)
        notice.update(literal(text))
        notice.set_class(bool(text), "-shown")

    @property
    def filters(self) -> Filters:
        return self._question_filters

    @filters.setter
    def filters(self, filters: Filters) -> None:
        self._question_filters = filters
        self.update_sub_title()  # the header always shows the filters in force

    def update_sub_title(self) -> None:
        described = describe_filters(self.filters) or "all documents"
        self.sub_title = f"{described} · follow-ups {'on' if self.followups else 'off'}"

    # -- the engine ----------------------------------------------------------------------------------
    def _start_engine(self, check_index: bool) -> None:
        self.engine_state = "loading" if check_index else "building"
        self.set_status("Loading the index and the model…" if check_index else "Building the index…")
        if not check_index:
            self.query_one("#progress", ProgressBar).add_class("-shown")
        self._load_engine(check_index)

    @work(thread=True, exclusive=True, group="engine", exit_on_error=False)
    def _load_engine(self, check_index: bool) -> None:
        """Slow: reads (or builds) the index and loads the model, off the UI thread."""
        try:
            if check_index and not self._index_exists():
                self.post_message(IndexAbsent())
                return
            engine = self._open_engine(progress_poster(self.post_message))
            documents = engine.documents()
        except IndexMissing:
            self.post_message(IndexAbsent())
        except NormsError as error:
            self.post_message(EngineFailed(str(error)))
        except Exception as error:  # an unexpected failure must reach the user, not kill the chat
            self.post_message(EngineFailed(f"{type(error).__name__}: {error}"))
        else:
            self.post_message(EngineReady(engine, documents))

    def on_engine_progress(self, message: EngineProgress) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.add_class("-shown")
        bar.update(total=message.total or None, progress=message.done)
        counted = f" ({message.done}/{message.total})" if message.total else ""
        self.set_status(f"Building the index: {one_line(message.stage)}{counted}")

    def on_index_absent(self, _: IndexAbsent) -> None:
        self.engine_state = "missing"
        self.set_status("There is no search index yet.", "warning")

        def decided(build: bool | None) -> None:
            if build:
                self.action_build_index()
            else:
                self.set_status("No index: build it with Ctrl+B or from the palette (Ctrl+P).", "warning")

        self.push_screen(ConfirmScreen("There is no search index yet. Build it now? It reads the corpus and "
                                       "embeds every paragraph, which can take a few minutes.",
                                       yes="Build now", no="Not now"), decided)

    def action_build_index(self) -> None:
        if self.engine_state in ("loading", "building", "ready"):
            self.notify("The index is already loaded or being built.")
            return
        self._start_engine(check_index=False)

    def on_engine_ready(self, message: EngineReady) -> None:
        self.engine, self.documents = message.engine, message.documents
        self.engine_state = "ready"
        self.query_one("#progress", ProgressBar).remove_class("-shown")
        paragraphs = sum(d.paragraphs for d in self.documents)
        count = len(self.documents)
        self.set_status(f"Ready · {count} document{'' if count == 1 else 's'} · {paragraphs} paragraphs")
        if self._pending is not None:
            turn, self._pending = self._pending, None
            self._dispatch(turn)

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.engine_state, self.engine_error = "failed", message.error
        self.query_one("#progress", ProgressBar).remove_class("-shown")
        self.set_status(f"Could not load the index: {message.error} (Ctrl+B tries again)", "error")
        if self._pending is not None:
            self._fail(self._pending, f"Cannot answer: the index could not be loaded ({message.error}).")
            self._pending = None

    # -- asking ----------------------------------------------------------------------------------------
    async def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "question":
            return
        asked = one_line(event.value)
        if not asked:
            self.set_notice("Type a question first, then press Enter.")
            return
        self.set_notice("")
        event.input.value = ""
        self.history.add(asked)
        await self.ask(asked)

    async def ask(self, asked: str) -> None:
        """Add a turn for `asked` and answer it now, or once the engine is ready."""
        turn = Turn(id=len(self.turns) + 1, asked=asked)
        self.turns.append(turn)
        transcript = self.query_one(Transcript)
        await transcript.query("#welcome").remove()
        await transcript.mount(TurnView(turn.id, asked))
        transcript.scroll_end(animate=False)
        if self._pending is not None:
            self._skip(self._pending)
            self._pending = None
        if self.engine is not None:
            self._dispatch(turn)
        elif self.engine_state == "missing":
            self._fail(turn, "There is no index yet: build it with Ctrl+B or from the palette (Ctrl+P).", "warning")
        elif self.engine_state == "failed":
            self._fail(turn, f"Cannot answer: the index could not be loaded ({self.engine_error}).")
        else:
            self._pending = turn
            self.view_of(turn).show_message("Waiting for the index to finish loading…")

    def _dispatch(self, turn: Turn) -> None:
        """Read a follow-up, pre-check the filters, and start the search (dropping a stale one)."""
        index = self.turns.index(turn)
        previous = self.turns[index - 1] if index > 0 else None
        understood = None
        if self.followups and previous is not None:
            known = {d.symbol: d.title for d in self.documents}
            understood = interpret_followup(turn.asked, previous.topic, known)
        if understood:
            turn.question, turn.followup_filters, turn.explanation = understood
        else:
            turn.question = turn.asked
        turn.filters = combine_filters(self.filters, turn.followup_filters)
        view = self.view_of(turn)
        view.show_understood(turn.explanation)
        if not turn.filters.is_empty() and not documents_matching(self.documents, turn.filters):
            self._fail(turn, f"No document matches the filters ({describe_filters(turn.filters)}). "
                             "Press f to change them.", "warning")
            return
        if self._current is not None:
            self._skip(self._current)
        self._current, turn.state = turn, "searching"
        view.show_message("Searching…")
        assert self.engine is not None
        self._search(self.engine, turn.id, turn.question, copy_filters(turn.filters))

    @work(thread=True, exclusive=True, group="ask", exit_on_error=False)
    def _search(self, engine: Engine, turn_id: int, question: str, filters: Filters) -> None:
        worker = get_current_worker()
        try:
            result = AnswerReady(turn_id, engine.ask(question, k=self.k, filters=filters))
        except NormsError as error:
            result = QuestionFailed(turn_id, str(error))
        except Exception as error:  # an engine bug becomes an inline message, never a crash
            result = QuestionFailed(turn_id, f"unexpected {type(error).__name__}: {error}")
        if not worker.is_cancelled:
            self.post_message(result)

    async def on_answer_ready(self, message: AnswerReady) -> None:
        turn = self._current
        if turn is None or turn.id != message.turn_id:
            return  # stale: a newer question took over while this one was searched
        self._current = None
        turn.answer, turn.state = message.answer, "answered"
        if not message.answer.results:
            turn.message = "No paragraphs found."
        view = self.view_of(turn)
        await view.show_answer(message.answer, turn.question)
        transcript = self.query_one(Transcript)
        # Bring the question to the top so its first cards are in view, once they have a height.
        self.call_after_refresh(transcript.scroll_to_widget, view, animate=False, top=True)

    def on_question_failed(self, message: QuestionFailed) -> None:
        turn = self._current
        if turn is None or turn.id != message.turn_id:
            return
        self._current = None
        self._fail(turn, f"The search failed: {message.error}")

    def _fail(self, turn: Turn, text: str, tone: str = "error") -> None:
        turn.state, turn.message = "failed", text
        self.view_of(turn).show_message(text, tone)

    def _skip(self, turn: Turn) -> None:
        turn.state, turn.message = "skipped", "Skipped: a newer question was asked."
        self.view_of(turn).show_message(turn.message)

    def view_of(self, turn: Turn) -> TurnView:
        return self.query_one(f"#turn-{turn.id}", TurnView)


def make_app(open_engine: Callable[[Progress], Engine], *, history_path: Path | None, export_dir: Path,
             index_exists: Callable[[], bool] = lambda: True, k: int = 5) -> NormsApp:
    """The chat over the engine `open_engine(progress)` returns; it is called in a background thread."""
    return NormsApp(open_engine, history_path=history_path, export_dir=export_dir, index_exists=index_exists, k=k)
