"""What the corpus calls things: document titles and aliases, the compendium's speakers, and names it never uses."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Callable

from assistant.index.lexical import tokenize
from assistant.records import DocInfo
from assistant.search.silent import is_state
from assistant.search.structure import unknown_phrases


class CorpusNames:
    """The titles, aliases and speakers of one index; titles are tokenized on first use."""

    def __init__(self, docs: dict[str, DocInfo], speakers: list[str]):
        self.docs, self.speakers = docs, speakers
        self.aliases = aliases_of(docs.values())

    @cached_property
    def title_tokens(self) -> dict[str, set[str]]:
        """Each document's title as index tokens, made on first use."""
        return {d.symbol: set(tokenize(d.title)) for d in self.docs.values()}

    def titled(self, words: set[str], best: bool = False) -> set[str]:
        """Documents whose title holds at least half of the words (and one at least) naming a text; with `best`,
        only those holding the most of them ("human rights and digital technologies": the texts of that title,
        not every title with "human rights")."""
        held = {s: len(words & title) for s, title in self.title_tokens.items()}
        out = {s for s, n in held.items() if n and n * 2 >= len(words)}
        if best and out:
            most = max(held[s] for s in out)
            out = {s for s in out if held[s] == most}
        return out

    @cached_property
    def newest_year(self) -> int:
        """The year of the newest dated text (0 when none is dated); the documents of an index do not change."""
        return max((int(d.date[:4]) for d in self.docs.values() if (d.date or "")[:4].isdigit()), default=0)

    def unknown_phrases(self, question: str, near_texts: Callable[[], list[str]]) -> list[str]:
        """Names in the question (capitalised words) that neither the nearest paragraphs (read only when the
        question has such a name), nor a title, alias or speaker holds; a State's name is known."""
        texts = lambda: near_texts() + [d.title for d in self.docs.values()] + [*self.aliases, *self.speakers]  # noqa: E731
        # a name whose words all stand in one title, alias or speaker is theirs in other words ("the Cybercrime
        # Convention", "the Like-Minded Group")
        labels = list(self.title_tokens.values()) + [set(tokenize(n)) for n in [*self.aliases, *self.speakers]]
        in_label = lambda name: any(set(tokenize(name)) <= label for label in labels)  # noqa: E731
        return unknown_phrases(question, texts, lambda name: in_label(name) or is_state(name))


def aliases_of(docs) -> dict[str, str]:
    """Names people use for documents that have no UN symbol ("Paris Call") or a well-known nickname."""
    out: dict[str, str] = {}
    for d in docs:
        if "/" not in d.symbol:
            words = [w for w in re.split(r"[-_\s]+", d.symbol.lower()) if w and not w.isdigit()]
            if words:
                out[" ".join(words)] = d.symbol
        title = d.title.lower()
        if "group of governmental experts" in title and d.kind == "report" and d.date:
            out[f"{d.date[:4]} gge report"] = d.symbol
    return out
