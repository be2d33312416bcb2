"""Questions asked before: recalled with Up/Down in the chat and kept across runs in a text file."""

from __future__ import annotations

from pathlib import Path

from assistant.sanitize import one_line

MAX_ENTRIES = 500


def default_history_path() -> Path:
    """`history.txt` in norms' user-data folder ($XDG_DATA_HOME/norms, else ~/.local/share/norms; never relative)."""
    from assistant.settings import data_folder

    return data_folder() / "history.txt"


class QuestionHistory:
    """An ordered list of past questions with a recall cursor, like a shell's history.

    The cursor sits one past the newest entry while the user types; `back` and `forward` move it.
    What was typed before recall started (the draft) comes back when stepping past the newest entry.
    """

    def __init__(self, path: Path | None, limit: int = MAX_ENTRIES) -> None:
        self.path = path
        self.limit = limit
        self.entries: list[str] = self._load()
        self._cursor = len(self.entries)
        self._draft = ""

    def _load(self) -> list[str]:
        if self.path is None:
            return []
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:  # no history yet, or unreadable: start empty rather than fail the chat
            return []
        entries = [q for q in (one_line(line) for line in lines) if q]
        if len(entries) > 2 * self.limit:
            # Appending forever would grow the file without bound; trim it now and then.
            self._rewrite(entries[-self.limit:])
        return entries[-self.limit:]

    def add(self, question: str) -> None:
        """Remember a question (newest last); an immediate repeat is stored once."""
        question = one_line(question)
        self.reset()
        if not question or (self.entries and self.entries[-1] == question):
            return
        self.entries.append(question)
        del self.entries[: -self.limit]
        self._cursor = len(self.entries)
        self._append(question)

    def back(self, current: str) -> str | None:
        """The previous (older) question, or None at the oldest; `current` is kept as the draft."""
        if self._cursor == len(self.entries):
            self._draft = current
        if self._cursor == 0:
            return None
        self._cursor -= 1
        return self.entries[self._cursor]

    def forward(self) -> str | None:
        """The next (newer) question, the draft past the newest, or None when not recalling."""
        if self._cursor >= len(self.entries):
            return None
        self._cursor += 1
        return self.entries[self._cursor] if self._cursor < len(self.entries) else self._draft

    def reset(self) -> None:
        self._cursor = len(self.entries)
        self._draft = ""

    def _append(self, question: str) -> None:
        if self.path is not None:
            self._rewrite(self.entries)

    def _rewrite(self, entries: list[str]) -> None:
        """The whole list, written atomically; questions can be sensitive (negotiating positions): user-only."""
        from assistant.fsio import atomic_write

        try:
            assert self.path is not None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, "".join(q + "\n" for q in entries), mode=0o600)
        except OSError:  # a read-only home must not stop the chat; recall still works this session
            pass
