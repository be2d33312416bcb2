"""The norms terminal chat (Textual); `make_app` builds it. Textual is imported only when it is used."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.tui.history import default_history_path

if TYPE_CHECKING:
    from assistant.tui.app import NormsApp, make_app

__all__ = ["NormsApp", "default_history_path", "make_app"]


def __getattr__(name: str) -> Any:
    # Lazy, so the pure modules here (followup, history, export) import without Textual.
    if name in ("make_app", "NormsApp"):
        from assistant.tui import app

        return getattr(app, name)
    raise AttributeError(name)
