"""What the chat's keys and palette commands do besides asking: open, copy, filter, export, toggle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.events import DescendantFocus

from assistant.errors import NormsError
from assistant.records import DocInfo, Filters, Hit, can_trace
from assistant.sanitize import strip_controls
from assistant.tui.dialogs import FiltersScreen, KeysScreen
from assistant.tui.export import write_export
from assistant.tui.lineage_view import LineageScreen
from assistant.tui.viewer import DocumentScreen
from assistant.tui.widgets import QuestionInput, ResultCard

if TYPE_CHECKING:
    from assistant.tui.app import NormsApp

# Actions that change what the next question asks; they make no sense over the viewer or a dialog.
MAIN_SCREEN_ONLY = {"open_filters", "toggle_followups", "export", "scroll_transcript"}


class ChatActions:
    """Mixed into NormsApp (kept apart so app.py stays about loading and asking)."""

    _last_card: ResultCard | None = None

    def check_action(self: NormsApp, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MAIN_SCREEN_ONLY and len(self.screen_stack) > 1:
            return False  # let the key reach the dialog (e.g. "f" typed in a list) instead
        return True

    # -- moving around -------------------------------------------------------------------------------
    def action_focus_question(self: NormsApp) -> None:
        self.query_one(QuestionInput).focus()

    def action_scroll_transcript(self: NormsApp, pages: int) -> None:
        """Page Up/Down read a long answer without leaving the input."""
        transcript = self.query_one("#transcript")
        if pages < 0:
            transcript.scroll_page_up(animate=False)
        else:
            transcript.scroll_page_down(animate=False)

    def on_question_input_to_results(self: NormsApp, message: QuestionInput.ToResults) -> None:
        cards = list(self.screen.query(ResultCard))
        if not cards:
            return
        newest = cards[-1].parent
        in_newest = [c for c in cards if c.parent is newest]
        (in_newest[-1] if message.last else in_newest[0]).focus()

    def on_descendant_focus(self: NormsApp, event: DescendantFocus) -> None:
        if isinstance(event.widget, ResultCard):
            self._last_card = event.widget  # so palette commands know which card was meant

    def _selected_card(self: NormsApp) -> ResultCard | None:
        focused = self.screen.focused
        if isinstance(focused, ResultCard):
            return focused
        if self._last_card is not None and self._last_card.is_attached:
            return self._last_card
        cards = list(self.screen.query(ResultCard))
        return cards[0] if cards else None

    # -- results ---------------------------------------------------------------------------------------
    def on_result_card_opened(self: NormsApp, message: ResultCard.Opened) -> None:
        self.open_document(message.hit)

    def on_result_card_copied(self: NormsApp, message: ResultCard.Copied) -> None:
        self.copy_hit(message.hit)

    def on_result_card_lineage_wanted(self: NormsApp, message: ResultCard.LineageWanted) -> None:
        self.open_lineage(message.hit)

    def action_open_result(self: NormsApp) -> None:
        card = self._selected_card()
        if card is None:
            self.notify("No result to open yet: ask a question first.", severity="warning")
        else:
            self.open_document(card.hit)

    def action_copy_result(self: NormsApp) -> None:
        card = self._selected_card()
        if card is None:
            self.notify("No result to copy yet: ask a question first.", severity="warning")
        else:
            self.copy_hit(card.hit)

    def action_lineage_result(self: NormsApp) -> None:
        card = self._selected_card()
        if card is None:
            self.notify("No result to trace yet: ask a question first.", severity="warning")
        else:
            self.open_lineage(card.hit)

    def open_lineage(self: NormsApp, hit: Hit) -> None:
        if self.engine is None:
            self.notify("The index is not loaded.", severity="warning")
        elif not can_trace(self.engine):
            self.notify("Sorry, lineage is not available with this engine.", severity="warning")
        else:
            self.push_screen(LineageScreen(self.engine, hit))

    def open_document(self: NormsApp, hit: Hit) -> None:
        if self.engine is None:
            self.notify("The index is not loaded.", severity="warning")
            return
        try:
            paragraphs = self.engine.paragraphs(hit.symbol)
        except NormsError as error:
            self.notify(f"Cannot open {hit.symbol}: {error}", severity="error", markup=False)
            return
        info = next((d for d in self.documents if d.symbol == hit.symbol), None)
        info = info or DocInfo(hit.symbol, hit.title, hit.date, hit.kind, hit.language, "")
        self.push_screen(DocumentScreen(info, paragraphs, hit.para))

    def copy_hit(self: NormsApp, hit: Hit) -> None:
        self.copy_text(f"{hit.citation()}\n{strip_controls(hit.text)}")

    def copy_text(self: NormsApp, text: str) -> None:
        """Copy to the terminal's clipboard (OSC 52) and remember it, as tests cannot read the terminal's."""
        self.copy_to_clipboard(text)
        self.last_copied = text
        self.notify(f"Copied {text.splitlines()[0]}", markup=False)

    # -- filters, export, toggles ------------------------------------------------------------------------
    def action_open_filters(self: NormsApp) -> None:
        if not self.documents:
            self.notify("Filters need the document list; the index is not loaded yet.", severity="warning")
            return

        def chosen(filters: Filters | None) -> None:
            if filters is not None:
                self.filters = filters

        self.push_screen(FiltersScreen(self.documents, self.filters), chosen)

    def action_clear_filters(self: NormsApp) -> None:
        self.filters = Filters()

    def action_export(self: NormsApp) -> None:
        if not self.turns:
            self.notify("Nothing to export yet: ask a question first.", severity="warning")
            return
        try:
            self.last_export = write_export(self.turns, self.export_dir)
        except OSError as error:
            self.notify(f"Could not export: {error}", severity="error", markup=False)
            return
        self.notify(f"Exported the conversation to {self.last_export}", markup=False)

    def action_toggle_followups(self: NormsApp) -> None:
        self.followups = not self.followups
        self.update_sub_title()
        self.notify("Follow-ups on: “and in 2021?” builds on the previous question." if self.followups
                    else "Follow-ups off: every question is taken as typed.")

    def action_toggle_theme(self: NormsApp) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_show_keys(self: NormsApp) -> None:
        if not isinstance(self.screen, KeysScreen):
            self.push_screen(KeysScreen())
