"""Build or update the index: read changed files, chunk them, embed only new paragraph texts, write atomically."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from assistant.documents.chunk import CHUNKER_VERSION, indexed_paragraphs
from assistant.errors import NormsError
from assistant.records import DocInfo, Paragraph
from assistant.testhooks import pause_at
from assistant.documents.read import corpus_files, read_document
from assistant.index.reuse import vectors_for
from assistant.index.store import (ANN_THRESHOLD, FORMAT_VERSION, IndexLock, Manifest, StoredIndex, faiss_kind_is_current,
                                   load_index, manifest_json, read_manifest, write_index)

Say = Callable[[str], None]


@dataclass
class BuildReport:
    documents: int = 0
    paragraphs: int = 0  # every indexed unit: body paragraphs and footnotes
    footnotes: int = 0  # of which footnotes
    read: int = 0  # files read and chunked in this run
    embedded: int = 0  # paragraph texts sent to the encoder in this run
    reused: int = 0  # vectors taken from the previous index
    errors: list[str] = field(default_factory=list)
    up_to_date: bool = False


def retrieval_text(p: Paragraph) -> str:
    """What the encoders see: the paragraph with its section and parent chapeau, which display omits.

    The chunker writes `context` as "section chapeau"; a paragraph without a chapeau has only its section.
    """
    context = p.context or p.section
    return f"{context}: {p.text}" if context else p.text


def lexical_text(title: str, p: Paragraph) -> str:
    """What BM25 sees: the retrieval text plus the document title, so topic words in titles count."""
    return f"{title}. {retrieval_text(p)}"


DRIFT = 0.25  # retrain the IVF centroids once the corpus grew by more than this since they were trained


def lexical_tokens(docs: list[DocInfo], paragraphs: list[Paragraph], texts: list[str]) -> list[list[str]]:
    """tokenize(lexical_text(...)) per paragraph, tokenizing each distinct text and title once.

    The title and the text are tokenized apart: ". " between them ends any token, so the lists
    concatenate to exactly the tokens of the joined string (tests/test_store.py checks).
    """
    from assistant.index.lexical import tokenize

    titles = {d.symbol: tokenize(d.title) for d in docs}
    cache: dict[str, list[str]] = {}
    out = []
    for p, text in zip(paragraphs, texts):
        tokens = cache.get(text)
        if tokens is None:
            tokens = cache[text] = tokenize(text)
        out.append(titles[p.symbol] + tokens)
    return out


def file_state(path: Path) -> dict:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def shown(text: str) -> str:
    """A message or file name safe to print: bytes that are not UTF-8 (lone surrogates) as \\xNN escapes."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def corpus_keys(corpus: list[Path]) -> dict[str, Path]:
    """Corpus files by resolved path: a file named twice (a folder and a file inside it) counts once.

    Each root is resolved once and its files keyed below it (rglob does not enter linked folders);
    only a file that is itself a link is resolved, since resolving 1,200 paths cost 0.25 s per `ask`.
    """
    files: dict[str, Path] = {}
    for root in corpus:
        try:
            real_root = root.resolve() if root.is_dir() else None
        except (OSError, RuntimeError):
            real_root = None
        prefix = os.fspath(root) + os.sep
        for path in corpus_files([root]):
            name = os.fspath(path)
            try:
                if real_root is not None and name.startswith(prefix) and not path.is_symlink():
                    key = os.fspath(real_root) + os.sep + name[len(prefix):]
                else:
                    key = os.fspath(path.resolve())
            except (OSError, RuntimeError, ValueError):  # a symlink loop: read_document names it as unreadable
                key = os.fspath(path.absolute())
            files.setdefault(key, path)
    return files


def _unchanged(path: Path, old: dict | None) -> bool | None:
    """True/False when `path` matches/differs from its recorded state; None when it cannot be read now."""
    if old is None:
        return False
    try:
        state = file_state(path)
        if state["size"] != old["size"]:
            return False
        return state["mtime_ns"] == old["mtime_ns"] or sha256_file(path) == old["sha256"]
    except OSError:
        return None


def is_stale(corpus: list[Path], folder: Path, model: str) -> bool:
    """Cheap check (sizes and mtimes, hashes only where those moved) whether `index` has work to do.

    Files skipped by the last build count as known while they stay unchanged, so a broken file
    does not rebuild the index on every question.
    """
    manifest = read_manifest(folder)
    if manifest is None or manifest.model != model or manifest.chunker != CHUNKER_VERSION:
        return True
    if manifest.format != FORMAT_VERSION or not faiss_kind_is_current(manifest):  # upgrade, reusing vectors
        return True
    files = corpus_keys(corpus)
    known = {**manifest.skipped, **manifest.files}
    if set(files) != set(known):
        return True
    for key, path in files.items():
        same = _unchanged(path, known[key])
        if same is False or (same is None and key in manifest.files):
            return True
    return False


def build_index(corpus: list[Path], folder: Path, model: str, *, rebuild: bool = False, say: Say = lambda m: None,
                progress: Callable[[str, int, int], None] | None = None, embedder_factory=None) -> BuildReport:
    """Bring the index at `folder` up to date with the corpus; embed only paragraph texts not seen before."""
    try:
        with IndexLock(folder, wait_message=say):
            return _build_locked(corpus, folder, model, rebuild, say, progress, embedder_factory)
    except OSError as exc:  # the folder cannot be written: name it, keep whatever index is there
        where = exc.filename or folder
        raise IndexUnwritable(f"cannot write the index at {shown(os.fspath(folder))}: "
                              f"{shown(os.fspath(where))}: {exc.strerror or exc}") from None


class IndexUnwritable(NormsError):
    """The index folder cannot be created or written (read-only, under a file, a full disk, ...)."""


def _build_locked(corpus, folder, model, rebuild, say, progress, embedder_factory) -> BuildReport:
    report = BuildReport()
    files = corpus_keys(corpus)
    if not files:
        raise NormsError("the corpus has no .md, .txt or .pdf files: " + ", ".join(shown(os.fspath(c)) for c in corpus))
    on_disk = _quiet_manifest(folder)  # whatever generation is live: its files are ours to retire later
    previous: StoredIndex | None = None
    manifest = None if rebuild else on_disk
    if manifest and manifest.model == model:
        try:
            previous = load_index(folder, with_bm25=False)
        except NormsError as exc:
            say(f"previous index not reusable ({exc}); rebuilding")
    if previous is None:
        manifest = None
    # Vectors depend only on the model and the text, so a new chunker still reuses them;
    # but every file is read and chunked again.
    same_chunks = manifest is not None and manifest.chunker == CHUNKER_VERSION and manifest.format == FORMAT_VERSION
    current = same_chunks and faiss_kind_is_current(manifest)

    states: dict[str, dict] = {}
    skipped: dict[str, dict] = {}
    for key, path in files.items():
        old = (manifest.files.get(key) or manifest.skipped.get(key)) if manifest else None
        try:
            state = file_state(path)
            if old and old["size"] == state["size"] and old["mtime_ns"] == state["mtime_ns"]:
                state["sha256"] = old["sha256"]
            else:
                state["sha256"] = sha256_file(path)
        except OSError as exc:  # unreadable, or deleted since it was listed
            reason = f"{shown(os.fspath(path))}: cannot read ({exc.strerror or type(exc).__name__})"
            report.errors.append(reason)
            say(f"skipped {reason}")
            continue
        if manifest and key in manifest.skipped and manifest.skipped[key]["sha256"] == state["sha256"]:
            skipped[key] = {**state, "reason": manifest.skipped[key]["reason"]}  # still broken: not read again
            report.errors.append(manifest.skipped[key]["reason"])
            continue
        states[key] = state
    if current and set(states) == set(manifest.files) and set(skipped) == set(manifest.skipped) and all(
            states[k]["sha256"] == manifest.files[k]["sha256"] for k in states):
        report.up_to_date = True
        report.documents, report.paragraphs = len(previous.docs), len(previous.paragraphs)
        report.footnotes = report.paragraphs - sum(d.paragraphs for d in previous.docs.values())
        if any(states[k]["mtime_ns"] != manifest.files[k]["mtime_ns"] for k in states) or any(
                skipped[k]["mtime_ns"] != manifest.skipped[k]["mtime_ns"] for k in skipped):
            _touch_manifest(folder, manifest, states, skipped)
        return report

    old_by_file: dict[str, tuple[DocInfo, list[int]]] = {}
    if previous and same_chunks:
        for d in previous.docs.values():
            old_by_file[os.fspath(Path(d.path).resolve())] = (d, previous.paragraphs.rows_of(d.symbol))

    docs: list[DocInfo] = []
    paragraphs: list[Paragraph] = []
    stored: list[bytes | None] = []  # per row: the previous generation's record bytes when the document is unchanged
    old_rows: list[int] = []  # per row: its row in the previous generation when the document is unchanged, else -1
    seen: dict[str, str] = {}
    kept_files: dict[str, dict] = {}
    for n, (key, state) in enumerate(states.items(), 1):
        path = files[key]
        old = old_by_file.get(key)
        if old and manifest.files.get(key, {}).get("sha256") == state["sha256"]:
            raw: list[bytes] = []
            info, paras = old[0], previous.paragraphs.many(old[1], raw)
        else:
            try:
                doc = read_document(path)
                paras = indexed_paragraphs(doc)
            except (NormsError, OSError) as exc:
                reason = shown(str(exc)) if isinstance(exc, NormsError) else \
                    f"{shown(os.fspath(path))}: cannot read ({exc.strerror or type(exc).__name__})"
                _skip(report, skipped, key, state, reason, say)
                continue
            raw = None
            report.read += 1
            info = DocInfo(doc.symbol, doc.title, doc.date, doc.kind, doc.language, doc.path,
                           sum(1 for p in paras if p.role not in ("footnote", "heading")), state["sha256"])
        if not paras:
            _skip(report, skipped, key, state, f"{shown(os.fspath(path))}: no paragraphs found", say)
            continue
        if info.symbol in seen:
            _skip(report, skipped, key, state, f"{shown(os.fspath(path))}: symbol {info.symbol} already used by "
                  f"{shown(seen[info.symbol])}; skipped", say)
            continue
        seen[info.symbol] = os.fspath(path)
        kept_files[key] = {**state, "symbol": info.symbol}
        docs.append(info)
        paragraphs.extend(paras)
        stored.extend(raw if raw is not None and previous.manifest.format == FORMAT_VERSION else [None] * len(paras))
        old_rows.extend(old[1] if raw is not None else [-1] * len(paras))
        if progress:
            progress("read", n, len(states))
    if not paragraphs:
        raise CorpusEmpty("no paragraphs to index: every corpus file was skipped ("
                          + "; ".join(report.errors[:3]) + ("; ..." if len(report.errors) > 3 else "") + ")")

    texts = [retrieval_text(p) for p in paragraphs]
    vectors, report.embedded, report.reused = vectors_for(texts, model, previous, progress, embedder_factory, say,
                                                          old_rows, folder)

    from assistant.index.lexical import BM25

    bm25 = _updated_bm25(folder, previous, docs, paragraphs, texts, old_rows) if old_by_file else None
    if bm25 is None:
        bm25 = BM25.fit_tokens(lexical_tokens(docs, paragraphs, texts))
    trained, trained_on = _reusable_centroids(folder, manifest, len(paragraphs), vectors.shape[1])
    new_manifest = Manifest(model=model, dimension=vectors.shape[1], chunker=CHUNKER_VERSION, files=kept_files,
                            errors=report.errors, skipped=skipped)
    pause_at("write")  # tests: the lock is held and the new generation not yet written (assistant/testhooks.py)
    write_index(folder, new_manifest, docs, paragraphs, vectors, bm25_writer=bm25.save, trained=trained,
                previous=on_disk, stored=stored)
    if new_manifest.faiss.startswith("ivf"):
        new_manifest.trained = trained_on or len(paragraphs)
        _rewrite_manifest(folder, new_manifest)
    report.documents, report.paragraphs = len(docs), len(paragraphs)
    report.footnotes = report.paragraphs - sum(d.paragraphs for d in docs)  # what `norms docs` leaves out
    return report


class CorpusEmpty(NormsError):
    """Every corpus file was skipped: there is nothing to index (the previous index is left as it was)."""


def _skip(report: BuildReport, skipped: dict, key: str, state: dict, reason: str, say: Say) -> None:
    report.errors.append(reason)
    skipped[key] = {**state, "reason": reason}
    say(f"skipped {reason}")


def _updated_bm25(folder: Path, previous: StoredIndex, docs, paragraphs, texts, old_rows: list[int]):
    """BM25 carried over from the previous generation, tokenizing only new paragraphs; None when it cannot be."""
    from assistant.index.lexical import BM25

    fresh = [row for row, old in enumerate(old_rows) if old < 0]
    tokens = lexical_tokens(docs, [paragraphs[row] for row in fresh], [texts[row] for row in fresh])
    try:
        return BM25.update(folder / previous.manifest.artifacts["bm25"], np.asarray(old_rows), dict(zip(fresh, tokens)))
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError, EOFError):
        # an older generation without term counts, or damaged ones: fit afresh from the texts
        return None


def _reusable_centroids(folder: Path, manifest: Manifest | None, count: int, dimension: int):
    """The previous IVF index (its trained centroids) while the corpus has not drifted; else (None, 0).

    Training the centroids is what costs seconds at 70k vectors; assigning vectors to them is cheap.
    Retrain once the corpus grew (or shrank) by more than DRIFT since the centroids were trained.
    """
    if manifest is None or not manifest.faiss.startswith("ivf") or not manifest.trained or count <= ANN_THRESHOLD:
        return None, 0
    if not (1 - DRIFT) * manifest.trained <= count <= (1 + DRIFT) * manifest.trained:
        return None, 0
    import faiss

    try:
        index = faiss.read_index(os.fspath(folder / manifest.artifacts["faiss"]))
    except (RuntimeError, KeyError):
        return None, 0
    return (index, manifest.trained) if getattr(index, "d", None) == dimension and hasattr(index, "nlist") else (None, 0)


def _quiet_manifest(folder: Path) -> Manifest | None:
    try:
        return read_manifest(folder)
    except NormsError:
        return None


def _touch_manifest(folder: Path, manifest: Manifest, states: dict[str, dict], skipped: dict[str, dict]) -> None:
    """Same content, new mtimes (e.g. a fresh clone): record them so the cheap check stays cheap."""
    for key, state in states.items():
        manifest.files[key].update(size=state["size"], mtime_ns=state["mtime_ns"])
    for key, state in skipped.items():
        manifest.skipped[key].update(size=state["size"], mtime_ns=state["mtime_ns"])
    try:
        _rewrite_manifest(folder, manifest)
    except OSError:
        pass  # a read-only index still answers; the next writable run records the times


def _rewrite_manifest(folder: Path, manifest: Manifest) -> None:
    from assistant.fsio import atomic_write

    atomic_write(folder / "manifest.json", manifest_json(manifest))
