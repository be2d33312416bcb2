"""One question of the chat and what became of it: the record the transcript, export and follow-ups share."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.records import Answer, Filters


@dataclass
class Turn:
    """A question as typed, how it was understood, and its answer or the reason there is none."""

    id: int
    asked: str  # what the user typed, already one line
    question: str = ""  # what was sent to the engine (a follow-up's resolved question)
    explanation: str = ""  # the "Understood as" text; empty when taken literally
    followup_filters: Filters = field(default_factory=Filters)  # what a follow-up named (year, documents)
    filters: Filters = field(default_factory=Filters)  # effective filters of the request
    answer: Answer | None = None
    message: str = ""  # the inline message shown instead of cards (no results, error, skipped, ...)
    state: str = "waiting"  # waiting | searching | answered | failed | skipped

    @property
    def topic(self) -> str:
        """What a follow-up to this turn builds on."""
        return self.question or self.asked
