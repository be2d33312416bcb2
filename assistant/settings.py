"""Where things live (corpus, index, model) and how to open a ready Searcher on them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from assistant.errors import NormsError, UsageError
from assistant.sanitize import one_line

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_CORPUS = PROJECT_ROOT / "corpus"
DEFAULT_INDEX = PROJECT_ROOT / "index"


@dataclass
class Settings:
    corpus: list[Path]
    index: Path
    model: str  # resolved: a model folder, a name, or "fake"


def make_settings(corpus: list[str] | None = None, index: str | None = None, model: str | None = None) -> Settings:
    """Command-line values first, then NORMS_CORPUS / NORMS_INDEX / NORMS_MODEL, then the defaults.

    The shipped corpus keeps DEFAULT_INDEX; any other corpus set gets its own folder in the user's cache
    (keyed by the resolved corpus paths) unless an index folder is named, so one never overwrites another.
    """
    from assistant.index.embed import resolve_model

    if not corpus and "NORMS_CORPUS" in os.environ:
        corpus = [c for c in os.environ["NORMS_CORPUS"].split(os.pathsep) if c.strip()]
        if not corpus:
            raise UsageError("NORMS_CORPUS is set but names no folder or file")
    paths = [user_path(c, "--corpus") for c in corpus] if corpus else [SHIPPED_CORPUS]
    for p in paths:
        if not p.exists():
            raise NormsError(f"corpus not found: {p}")
    if not index and "NORMS_INDEX" in os.environ:
        index = os.environ["NORMS_INDEX"]
        if not index.strip():
            raise UsageError("NORMS_INDEX is set but empty")
    if index:
        index_dir = user_path(index, "--index")
    elif [p.resolve() for p in paths] == [SHIPPED_CORPUS.resolve()]:
        index_dir = DEFAULT_INDEX
    else:
        index_dir = corpus_index_folder(paths)
    if index_dir.exists() and not index_dir.is_dir():
        raise NormsError(f"--index {index_dir} is a file, not a folder")
    return Settings(paths, index_dir, resolve_model(model or os.environ.get("NORMS_MODEL")))


def user_path(text: str, what: str) -> Path:
    """A path as the user typed it, `~` expanded; UsageError for an unknown user or a home that is not absolute."""
    if not text.startswith("~"):
        return Path(text)
    try:
        path = Path(text).expanduser()
    except RuntimeError:  # ~nosuchuser, or no home at all
        raise UsageError(f"{what} {one_line(text)[:80]}: no such user or home folder") from None
    if text in ("~", "~/") or text.startswith("~/"):
        home = os.environ.get("HOME")
        if home is not None and not Path(home).is_absolute():
            raise UsageError(f"{what} {one_line(text)[:80]}: HOME is not an absolute path")
    return path


def _xdg_folder(variable: str, fallback: tuple[str, ...]) -> Path:
    """$VARIABLE when absolute (the XDG spec says to ignore a relative one), else ~/FALLBACK; never relative."""
    base = os.environ.get(variable, "")
    if base and Path(base).is_absolute():
        return Path(base)
    home = os.environ.get("HOME", "")
    if not home:
        import pwd  # HOME unset or empty: the account's home from the password database

        try:
            home = pwd.getpwuid(os.getuid()).pw_dir
        except KeyError:
            home = ""
    if not Path(home).is_absolute():
        raise UsageError(f"cannot find a folder for norms' files: HOME ({one_line(home)[:60]!r}) is not absolute "
                         f"and {variable} is not set")
    return Path(home).joinpath(*fallback)


def data_folder() -> Path:
    """Where norms keeps the user's files (chat history, exports): $XDG_DATA_HOME/norms or ~/.local/share/norms."""
    return _xdg_folder("XDG_DATA_HOME", (".local", "share")) / "norms"


def cache_folder() -> Path:
    """Where norms keeps rebuildable files (indexes of other corpora): $XDG_CACHE_HOME/norms or ~/.cache/norms."""
    return _xdg_folder("XDG_CACHE_HOME", (".cache",)) / "norms"


def corpus_index_folder(paths: list[Path]) -> Path:
    """The index folder for a corpus set other than the shipped one: keyed by its resolved, sorted paths."""
    import hashlib

    key = "\0".join(sorted(os.fsdecode(p.resolve()) for p in paths))
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return cache_folder() / "indexes" / digest


def ensure_index(settings: Settings, say: Callable[[str], None], progress=None, rebuild: bool = False,
                 answer_from_previous: bool = False):
    """Build or update the index when the corpus or the model changed; returns the BuildReport or None.

    With `answer_from_previous` (questions, not `norms index`), an index that cannot be updated
    (read-only folder, full disk, every file skipped) is used as it is, and `say` tells the user.
    """
    from assistant.index.build import CorpusEmpty, IndexUnwritable, build_index, is_stale
    from assistant.errors import IndexMissing

    try:
        stale = rebuild or is_stale(settings.corpus, settings.index, settings.model)
    except IndexMissing:  # a damaged manifest: rebuild (build_index ignores it)
        stale = True
    if not stale:
        return None
    try:
        report = build_index(settings.corpus, settings.index, settings.model, rebuild=rebuild, say=say, progress=progress)
    except (IndexUnwritable, CorpusEmpty) as exc:
        if not answer_from_previous or not _has_index(settings.index):
            raise
        say(f"{exc}; answering from the existing index, which may be out of date")
        return None
    export_query_encoder(settings, say)
    return report


def _has_index(folder: Path) -> bool:
    from assistant.index.store import read_manifest

    try:
        return read_manifest(folder) is not None
    except NormsError:
        return False


def export_query_encoder(settings: Settings, say: Callable[[str], None]) -> None:
    """Cache an ONNX copy of the model beside the index, so a cold `ask` need not import torch."""
    if settings.model == "fake" or not Path(settings.model).is_dir():
        return
    from assistant.index.onnx_encoder import export_onnx

    target = settings.index / "onnx"
    if onnx_exported_for(target, settings.model):
        return
    say("exporting the query encoder to ONNX (once per model)")
    try:
        export_onnx(settings.model, target)
    except Exception as exc:  # the slow path still works; say why the fast one is missing
        say(f"ONNX export failed ({str(exc).splitlines()[0][:120]}); questions will use sentence-transformers")


def onnx_exported_for(folder: Path, model: str) -> bool:
    """Whether `folder` holds a complete ONNX export of exactly this model folder."""
    from assistant.index.onnx_encoder import is_exported, read_encoder_config

    return is_exported(folder) and read_encoder_config(folder).get("source_model_dir") == str(Path(model).resolve())


def query_encoder(settings: Settings, model: str):
    """The ONNX twin when it was exported for this model, else the model itself."""
    from assistant.index.embed import FAKE_MODEL, FakeEmbedder, SentenceTransformerEmbedder

    if model == FAKE_MODEL:
        return FakeEmbedder()
    target = settings.index / "onnx"
    try:
        from assistant.index.onnx_encoder import OnnxEncoder

        if onnx_exported_for(target, model):
            return OnnxEncoder(target)
    except (ImportError, ValueError, OSError):
        pass
    return SentenceTransformerEmbedder(model)


class LazyEncoder:
    """Loads the query encoder on the first question, so `show` and `docs` never pay for it."""

    def __init__(self, settings: Settings, model: str):
        self.settings, self.model, self._encoder = settings, model, None

    def encode(self, texts: list[str]):
        if self._encoder is None:
            self._encoder = query_encoder(self.settings, self.model)
        return self._encoder.encode(texts)


def open_searcher(settings: Settings, say: Callable[[str], None] = lambda m: None, progress=None, build: bool = True):
    """A Searcher over an up-to-date index (built first when missing or stale)."""
    from assistant.search.searcher import Searcher
    from assistant.index.store import load_index

    if build:
        ensure_index(settings, say, progress, answer_from_previous=True)
    index = load_index(settings.index)
    return Searcher(index, LazyEncoder(settings, index.manifest.model))
