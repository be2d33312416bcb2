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
from assistant.index.store import IndexLock, Manifest, StoredIndex, faiss_kind_is_current, load_index, read_manifest, write_index

Say = Callable[[str], None]


@dataclass
class BuildReport:
    documents: int = 0
    paragraphs: int = 0
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


def file_state(path: Path) -> dict:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def text_key(model: str, text: str) -> str:
    return hashlib.blake2b(f"{model}\n{text}".encode(), digest_size=16).hexdigest()


def is_stale(corpus: list[Path], folder: Path, model: str) -> bool:
    """Cheap check (sizes and mtimes, hashes only where those moved) whether `index` has work to do."""
    manifest = read_manifest(folder)
    if manifest is None or manifest.model != model or manifest.chunker != CHUNKER_VERSION:
        return True
    if not faiss_kind_is_current(manifest):
        return True
    files = {os.fspath(p.resolve()): p for p in corpus_files(corpus)}
    if set(files) != set(manifest.files):
        return True
    for key, path in files.items():
        old = manifest.files[key]
        state = file_state(path)
        if state["size"] != old["size"]:
            return True
        if state["mtime_ns"] != old["mtime_ns"] and sha256_file(path) != old["sha256"]:
            return True
    return False


def build_index(corpus: list[Path], folder: Path, model: str, *, rebuild: bool = False, say: Say = lambda m: None,
                progress: Callable[[str, int, int], None] | None = None, embedder_factory=None) -> BuildReport:
    """Bring the index at `folder` up to date with the corpus; embed only paragraph texts not seen before."""
    with IndexLock(folder, wait_message=say):
        return _build_locked(corpus, folder, model, rebuild, say, progress, embedder_factory)


def _build_locked(corpus, folder, model, rebuild, say, progress, embedder_factory) -> BuildReport:
    report = BuildReport()
    files = corpus_files(corpus)
    if not files:
        raise NormsError("the corpus has no .md, .txt or .pdf files: " + ", ".join(map(str, corpus)))
    previous: StoredIndex | None = None
    manifest = None if rebuild else _quiet_manifest(folder)
    if manifest and manifest.model == model:
        try:
            previous = load_index(folder, with_bm25=False)
        except NormsError as exc:
            say(f"previous index not reusable ({exc}); rebuilding")
    if previous is None:
        manifest = None
    # Vectors depend only on the model and the text, so a new chunker still reuses them;
    # but every file is read and chunked again.
    same_chunks = manifest is not None and manifest.chunker == CHUNKER_VERSION
    current = same_chunks and faiss_kind_is_current(manifest)

    states: dict[str, dict] = {}
    for path in files:
        key = os.fspath(path.resolve())
        state = file_state(path)
        old = manifest.files.get(key) if manifest else None
        if old and old["size"] == state["size"] and old["mtime_ns"] == state["mtime_ns"]:
            state["sha256"] = old["sha256"]
        else:
            state["sha256"] = sha256_file(path)
        states[key] = state
    if current and set(states) == set(manifest.files) and all(
            states[k]["sha256"] == manifest.files[k]["sha256"] for k in states):
        report.up_to_date = True
        report.documents, report.paragraphs = len(previous.docs), len(previous.paragraphs)
        if any(states[k]["mtime_ns"] != manifest.files[k]["mtime_ns"] for k in states):
            _touch_manifest(folder, manifest, states)
        return report

    old_by_file: dict[str, tuple[DocInfo, list[Paragraph]]] = {}
    if previous:
        by_symbol: dict[str, list[Paragraph]] = {}
        for p in previous.paragraphs:
            by_symbol.setdefault(p.symbol, []).append(p)
        for d in previous.docs.values():
            old_by_file[os.fspath(Path(d.path).resolve())] = (d, by_symbol.get(d.symbol, []))

    docs: list[DocInfo] = []
    paragraphs: list[Paragraph] = []
    seen: dict[str, str] = {}
    kept_files: dict[str, dict] = {}
    for n, path in enumerate(files, 1):
        key = os.fspath(path.resolve())
        state = states[key]
        old = old_by_file.get(key)
        if old and same_chunks and manifest.files.get(key, {}).get("sha256") == state["sha256"]:
            info, paras = old
        else:
            try:
                doc = read_document(path)
                paras = indexed_paragraphs(doc)
            except NormsError as exc:
                report.errors.append(str(exc))
                say(f"skipped {exc}")
                continue
            report.read += 1
            info = DocInfo(doc.symbol, doc.title, doc.date, doc.kind, doc.language, doc.path,
                           sum(1 for p in paras if p.role not in ("footnote", "heading")), state["sha256"])
        if not paras:
            report.errors.append(f"{path}: no paragraphs found")
            say(f"skipped {path}: no paragraphs found")
            continue
        if info.symbol in seen:
            msg = f"{path}: symbol {info.symbol} already used by {seen[info.symbol]}; skipped"
            report.errors.append(msg)
            say(msg)
            continue
        seen[info.symbol] = os.fspath(path)
        kept_files[key] = {**state, "symbol": info.symbol}
        docs.append(info)
        paragraphs.extend(paras)
        if progress:
            progress("read", n, len(files))

    texts = [retrieval_text(p) for p in paragraphs]
    vectors, report.embedded, report.reused = _vectors_for(texts, model, previous, progress, embedder_factory, say)

    from assistant.index.lexical import BM25

    titles = {d.symbol: d.title for d in docs}
    bm25 = BM25.fit([lexical_text(titles[p.symbol], p) for p in paragraphs])
    new_manifest = Manifest(model=model, dimension=vectors.shape[1], chunker=CHUNKER_VERSION, files=kept_files,
                            errors=report.errors)
    pause_at("write")  # tests: the lock is held and the new generation not yet written (assistant/testhooks.py)
    write_index(folder, new_manifest, docs, paragraphs, vectors, bm25_writer=bm25.save)
    report.documents, report.paragraphs = len(docs), len(paragraphs)
    return report


def _vectors_for(texts, model, previous, progress, embedder_factory, say):
    """Reuse vectors of texts embedded before (keyed by model + text); encode the rest in one pass."""
    cache: dict[str, int] = {}
    if previous is not None:
        for row, p in enumerate(previous.paragraphs):
            cache[text_key(model, retrieval_text(p))] = row
    keys = [text_key(model, t) for t in texts]
    missing = [i for i, k in enumerate(keys) if k not in cache]
    dimension = previous.manifest.dimension if previous is not None else None
    fresh = None
    if missing:
        from assistant.index.embed import load_embedder

        say(f"embedding {len(missing)} paragraphs with {Path(model).name if os.sep in model else model}")
        embedder = (embedder_factory or load_embedder)(model)
        dimension = embedder.dimension
        fresh = embedder.encode([texts[i] for i in missing],
                                progress=(lambda d, t: progress("embed", d, t)) if progress else None)
    vectors = np.zeros((len(texts), dimension or 1), dtype=np.float32)
    for row, key in enumerate(keys):
        if key in cache:
            vectors[row] = previous.vectors[cache[key]]
    if fresh is not None:
        vectors[missing] = fresh
    return vectors, len(missing), len(texts) - len(missing)


def _quiet_manifest(folder: Path) -> Manifest | None:
    try:
        return read_manifest(folder)
    except NormsError:
        return None


def _touch_manifest(folder: Path, manifest: Manifest, states: dict[str, dict]) -> None:
    """Same content, new mtimes (e.g. a fresh clone): record them so the cheap check stays cheap."""
    import json
    from dataclasses import asdict

    for key, state in states.items():
        manifest.files[key].update(size=state["size"], mtime_ns=state["mtime_ns"])
    staged = folder / ".manifest-touch.json"
    staged.write_text(json.dumps(asdict(manifest), indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(staged, folder / "manifest.json")
