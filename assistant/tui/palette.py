"""The chat's commands in the Ctrl+P command palette."""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (name shown, help line, app action) -- the same actions the keys run.
CHAT_COMMANDS: list[tuple[str, str, str]] = [
    ("Filters…", "Choose documents, a year range and kinds (f)", "open_filters"),
    ("Clear filters", "Search all documents again", "clear_filters"),
    ("Export conversation", "Write the conversation to Markdown with citations (e)", "export"),
    ("Toggle follow-up understanding", "Read “and in 2021?” as building on the previous question (u)",
     "toggle_followups"),
    ("Toggle light / dark theme", "Switch between Textual's light and dark themes (d)", "toggle_theme"),
    ("Show keys", "All keys of the chat (?)", "show_keys"),
    ("Open result", "Open the document at the selected result (o)", "open_result"),
    ("Copy result", "Copy the selected result's citation and text (c)", "copy_result"),
    ("Lineage of result", "The selected result's paragraph in earlier and later documents, diffed (t)",
     "lineage_result"),
    ("Ask a question", "Move to the question input (Esc)", "focus_question"),
    ("Build the index", "Build the search index now, when there is none (Ctrl+B)", "build_index"),
]


class ChatCommands(Provider):
    """Offers CHAT_COMMANDS; each runs the app action of the same name."""

    def _callback(self, action: str):
        return getattr(self.app, f"action_{action}")

    async def discover(self) -> Hits:
        for name, help_text, action in CHAT_COMMANDS:
            yield DiscoveryHit(name, self._callback(action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in CHAT_COMMANDS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), self._callback(action), help=help_text)
