"""The real engine over a small fixture corpus, for the chat and briefing tests (fake embedder, real everything else).

The corpus: the shipped draft A/C.1/73/L.37, resolution 73/27 and the Paris Call (real texts), and short excerpts
of the 2015 and 2021 GGE reports that repeat norm 13 (f), so answers carry "also in" and lineage has something to
find. Built once per session by the `fixture_index` fixture of conftest.py.
"""

from __future__ import annotations

import threading
from pathlib import Path

from corpus_fixtures import SEED, fake_searcher

from assistant.errors import NormsError
from assistant.records import Answer, Filters

FIXTURE_CORPUS = [SEED, Path(__file__).resolve().parent / "fixture_corpus"]


def build_fixture_engine(index: Path, extra: list[Path] = ()):
    """Index the fixture corpus (plus `extra` files or folders) at `index` and open the real Searcher on it."""
    return fake_searcher([*FIXTURE_CORPUS, *extra], index)


def open_engine(index: Path):
    """A fresh Searcher over an index already built (cheap: no reading, no embedding)."""
    from assistant.index.embed import FakeEmbedder
    from assistant.index.store import load_index
    from assistant.search.searcher import Searcher

    return Searcher(load_index(index), FakeEmbedder())


class Observed:
    """The real engine, watched: records every question, can hold one back (`gate`) or fail like a broken index.

    Only timing and failure are added; every answer comes from the Searcher underneath.
    """

    def __init__(self, engine, *, fail: str | None = None, gate: threading.Event | None = None,
                 gate_word: str = "slowly"):
        self.engine, self.fail, self.gate, self.gate_word = engine, fail, gate, gate_word
        self.asked: list[tuple[str, int, Filters | None]] = []

    def ask(self, question: str, k: int = 5, filters: Filters | None = None) -> Answer:
        self.asked.append((question, k, filters))
        if self.gate is not None and self.gate_word in question:
            self.gate.wait(timeout=30)
            question = question.replace(self.gate_word, " ")
        if self.fail:
            raise NormsError(self.fail)
        return self.engine.ask(question, k, filters)

    def documents(self):
        return self.engine.documents()

    def paragraphs(self, symbol: str):
        return self.engine.paragraphs(symbol)

    def lineage(self, symbol: str, para: str):
        return self.engine.lineage(symbol, para)


class WithoutLineage(Observed):
    """An engine written before the optional `lineage` method existed."""

    lineage = None


def make_chat(tmp_path: Path, engine, *, index_exists: bool = True, building_steps: int = 0, k: int = 5):
    """The chat as the CLI builds it, over `engine`, with history and exports under tmp_path."""
    from assistant.tui import make_app

    def open_chat_engine(progress):
        for step in range(building_steps):
            progress("embedding paragraphs", step + 1, building_steps)
        return engine

    return make_app(open_chat_engine, history_path=tmp_path / "history.txt", export_dir=tmp_path / "exports",
                    index_exists=lambda: index_exists, k=k)
