"""Messages the background workers post to the chat app (they are thread-safe to post)."""

from __future__ import annotations

from typing import Callable

from textual.message import Message

from assistant.records import Answer, DocInfo, Engine

Progress = Callable[[str, int, int], None]


class EngineProgress(Message):
    """The engine is building or loading: `stage`, `done` of `total` (total 0: unknown)."""

    def __init__(self, stage: str, done: int, total: int) -> None:
        super().__init__()
        self.stage, self.done, self.total = stage, done, total


class EngineReady(Message):
    """The engine is open; its documents are listed once here so the UI never waits on them."""

    def __init__(self, engine: Engine, documents: list[DocInfo]) -> None:
        super().__init__()
        self.engine, self.documents = engine, documents


class EngineFailed(Message):
    """Opening the engine failed with a message meant for the user."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class IndexAbsent(Message):
    """There is no index yet: the user is asked whether to build it."""


class AnswerReady(Message):
    """The answer to turn `turn_id`; dropped if a newer question took over meanwhile."""

    def __init__(self, turn_id: int, answer: Answer) -> None:
        super().__init__()
        self.turn_id, self.answer = turn_id, answer


class QuestionFailed(Message):
    """The engine raised while answering turn `turn_id`."""

    def __init__(self, turn_id: int, error: str) -> None:
        super().__init__()
        self.turn_id, self.error = turn_id, error


def progress_poster(post: Callable[[Message], object]) -> Progress:
    """progress(stage, done, total) for the engine, posting EngineProgress about once per percent.

    Builds may report every paragraph; posting each would flood the UI's queue for nothing.
    """
    last: dict = {"stage": None, "fraction": -1.0}

    def report(stage: str, done: int, total: int) -> None:
        try:
            done, total = int(done), int(total)
        except (TypeError, ValueError):  # a malformed report must not fail the build
            return
        fraction = done / total if total else 0.0
        if stage != last["stage"] or fraction - last["fraction"] >= 0.01 or (total and done >= total):
            last.update(stage=stage, fraction=fraction)
            post(EngineProgress(str(stage), done, total))

    return report
