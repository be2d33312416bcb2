"""Shared test setup: the shared research corpus (with a `shared` mark that skips without it), the fixture index."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"  # the research corpus and evaluation sets, kept beside the repository
SHARED_CORPUS = SHARED / "corpus"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "shared: reads ../shared/corpus; skipped when it is not there")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if SHARED_CORPUS.is_dir():
        return
    skip = pytest.mark.skip(reason=f"the shared corpus is not at {SHARED_CORPUS}")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """../shared/corpus; tests that take it should also carry @pytest.mark.shared."""
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {SHARED_CORPUS}")
    return SHARED_CORPUS


@pytest.fixture(scope="session")
def unga_sample(shared_corpus) -> list[Path]:
    """32 files of unga-78-80: every 39th in name order, plus A/RES/79/243 (the Cybercrime Convention)."""
    folder = shared_corpus / "unga-78-80"
    files = sorted(folder.glob("*.txt"))
    sample = files[:: max(1, len(files) // 30)]
    convention = folder / "A_RES_79_243.txt"
    return sample + ([convention] if convention not in sample else [])


@pytest.fixture(scope="session")
def fixture_index(tmp_path_factory) -> Path:
    """The fixture corpus of real_engine.py indexed once per session with the fake embedder (open it with open_engine)."""
    from real_engine import build_fixture_engine

    folder = tmp_path_factory.mktemp("fixture") / "index"
    build_fixture_engine(folder)
    return folder
