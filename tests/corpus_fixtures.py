"""Shared test material: where the project is, the shipped seed, and a small made-up resolution."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "A_C.1_73_L.37.md"

SMALL_RESOLUTION = """United Nations
A/RES/99/1
General Assembly
Distr.: General
3 January 2030

Resolution adopted by the General Assembly on 2 January 2030

99/1. Protecting undersea cables

The General Assembly,

Noting that undersea cables carry most international data traffic,

1. Calls upon States to protect undersea cables from deliberate damage;

2. Decides to remain seized of the matter.
"""


def resolution(session: int, year: int, body: str) -> str:
    """A made-up adopted resolution of that session and year, around the given body paragraphs."""
    return f"""United Nations
A/RES/{session}/1
General Assembly
Distr.: General
5 December {year}

Resolution adopted by the General Assembly on 5 December {year}

{session}/1. Protection of undersea cables

The General Assembly,

{body}
"""


def fake_searcher(corpus: list[Path], index: Path):
    """Index the corpus with the deterministic fake embedder and open a Searcher on it."""
    from assistant.index.build import build_index
    from assistant.index.embed import FakeEmbedder
    from assistant.search.searcher import Searcher
    from assistant.index.store import load_index

    build_index(corpus, index, "fake")
    return Searcher(load_index(index), FakeEmbedder())
