"""The index folder: manifest.json, then per generation a row table, paragraph records, vectors, FAISS and BM25 files."""

from __future__ import annotations

import json
import math
import os
import shutil
import stat
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from assistant import __version__
from assistant.errors import IndexMissing, NormsError
from assistant.records import DocInfo, Paragraph
from assistant.index.rows import ParagraphRows, encode_rows, paragraph_from
from assistant.index.vectors import VectorFile

FORMAT_VERSION = 2  # 1: chunks-*.jsonl (still read, so an upgrade reuses its vectors)
ANN_THRESHOLD = 50_000  # above this many vectors an IVF index replaces exact search (see bench/scale.py)
IVF_PROBE_DIVISOR = 4  # probe nlist / 4 lists per query


@dataclass
class Manifest:
    model: str
    dimension: int
    chunker: str
    files: dict[str, dict] = field(default_factory=dict)  # path -> {sha256, size, mtime_ns, symbol}
    artifacts: dict[str, str] = field(default_factory=dict)  # role -> file name inside the index folder
    faiss: str = "flat"
    count: int = 0
    built: str = ""
    version: str = __version__
    format: int = FORMAT_VERSION
    errors: list[str] = field(default_factory=list)
    skipped: dict[str, dict] = field(default_factory=dict)  # path -> {sha256, size, mtime_ns, reason}
    owned: list[str] = field(default_factory=list)  # every name norms wrote here and may delete
    previous: list[str] = field(default_factory=list)  # the generation before, kept for readers still on it
    trained: int = 0  # vectors the IVF centroids were trained on (0: flat)
    roles: list[str] = field(default_factory=list)  # role names the row table's codes point to


@dataclass
class StoredIndex:
    """Everything `ask` needs, memory-mapped from disk; paragraph records are decoded when touched."""

    folder: Path
    manifest: Manifest
    docs: dict[str, DocInfo]
    paragraphs: ParagraphRows
    vectors: VectorFile  # rows read on demand; np.asarray(vectors) reads them all
    faiss_index: object
    bm25: object | None = None

    def skipped(self) -> list[str]:
        """Why each corpus file left out of this index was skipped (it is retried when it changes)."""
        return [entry["reason"] for entry in self.manifest.skipped.values()]

    def retrieval_texts(self):
        from assistant.index.build import retrieval_text

        return (retrieval_text(p) for p in self.paragraphs)


_FIELD_TYPES = {"model": str, "dimension": int, "chunker": str, "files": dict, "artifacts": dict, "faiss": str,
                "count": int, "built": str, "version": str, "format": int, "errors": list, "skipped": dict,
                "owned": list, "previous": list, "trained": int, "roles": list}
_FILE_KEYS = {"sha256": str, "size": int, "mtime_ns": int}


def manifest_from(data) -> Manifest:
    """A Manifest from parsed JSON, or ValueError naming what is wrong (valid JSON is not enough)."""
    if not isinstance(data, dict):
        raise ValueError("not an object")
    unknown = set(data) - set(_FIELD_TYPES)
    missing = {"model", "dimension", "chunker"} - set(data)
    if missing:
        raise ValueError(f"missing {', '.join(sorted(missing))}")
    for name, kind in _FIELD_TYPES.items():
        if name in data and (not isinstance(data[name], kind) or (kind is int and isinstance(data[name], bool))):
            raise ValueError(f"{name} should be {kind.__name__}")
    for table in ("files", "skipped"):
        for path, entry in data.get(table, {}).items():
            if not isinstance(entry, dict) or any(not isinstance(entry.get(k), t) for k, t in _FILE_KEYS.items()):
                raise ValueError(f"{table} entry for {path!r} lacks sha256, size or mtime_ns")
    if not all(isinstance(v, str) and v and "/" not in v and v not in (".", "..") for v in data.get("artifacts", {}).values()):
        raise ValueError("artifacts must be plain file names")
    return Manifest(**{k: v for k, v in data.items() if k not in unknown})


def read_manifest(folder: Path) -> Manifest | None:
    path = folder / "manifest.json"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexMissing(f"cannot read {path} ({_why(exc)}); rebuild it with `norms index --rebuild`") from None
    try:
        return manifest_from(json.loads(text))
    except (ValueError, TypeError, RecursionError) as exc:
        raise IndexMissing(f"index at {folder} has a damaged manifest.json ({str(exc)[:120]}); "
                           "rebuild it with `norms index --rebuild`") from None


def manifest_json(manifest: Manifest) -> str:
    # ASCII escapes keep file names with undecodable bytes (lone surrogates) lossless
    return json.dumps(asdict(manifest), indent=1, ensure_ascii=True)


def make_faiss(vectors: np.ndarray, trained=None):
    """Exact inner product for small corpora; an inverted-file index (recorded in the manifest) above the threshold.

    IVF rather than HNSW: UN texts repeat paragraphs verbatim, and the many identical vectors
    cost HNSW a lot of recall on the real corpus (0.84 at 70k) where IVF keeps 0.97 (bench/scale.py).
    `trained`, an IVF index from the previous build, lends its centroids: the vectors are assigned
    to them without training again (the expensive part), until the caller decides the corpus drifted.
    """
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1]
    if len(vectors) > ANN_THRESHOLD:
        if trained is not None and trained.d == dim:
            index = trained
            index.reset()
        else:
            nlist = int(math.sqrt(len(vectors)))
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
            index.train(vectors)
        index.add(vectors)
        tune_ann(index)
        return index, f"ivf{index.nlist}"
    index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(vectors)
    return index, "flat"


def faiss_kind_is_current(manifest: "Manifest") -> bool:
    """Whether the stored FAISS index is of the type this version picks for that many vectors."""
    wants_ann = manifest.count > ANN_THRESHOLD
    return manifest.faiss.startswith("ivf") if wants_ann else manifest.faiss == "flat"


def tune_ann(index) -> None:
    """Search a quarter of the inverted lists: recall@10 >= 0.95 against exact search (tests/test_ann.py)."""
    if hasattr(index, "nprobe"):
        index.nprobe = max(1, index.nlist // IVF_PROBE_DIVISOR)


def write_index(folder: Path, manifest: Manifest, docs: list[DocInfo], paragraphs: list[Paragraph],
                vectors: np.ndarray, bm25_writer=None, trained=None, previous: Manifest | None = None,
                stored: list | None = None) -> None:
    """Write a new generation of files, then switch manifest.json to it in one atomic rename.

    Readers only follow manifest.json, so a build killed at any point leaves the previous
    generation complete and in use. After the switch, only files an earlier manifest recorded as
    norms' own are removed, and never the generation just replaced: a reader that opened it a
    moment ago still finds every file.
    """
    import faiss

    from assistant.fsio import atomic_write, fsync_folder

    folder.mkdir(parents=True, exist_ok=True)
    generation = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:8]  # never reuses a live name
    names = {
        "rows": f"rows-{generation}.npy",
        "records": f"records-{generation}.jsonb",
        "vectors": f"vectors-{generation}.npy",
        "faiss": f"faiss-{generation}.index",
        "docs": f"docs-{generation}.json",
    }
    if bm25_writer is not None:
        names["bm25"] = f"bm25-{generation}"
    tmp = folder / f".building-{generation}"
    tmp.mkdir()
    try:
        blob, table, manifest.roles = encode_rows(paragraphs, [d.symbol for d in docs], stored)
        _write_bytes(tmp / names["records"], blob)
        np.save(tmp / names["rows"], table, allow_pickle=False)
        np.save(tmp / names["vectors"], vectors.astype(np.float32), allow_pickle=False)
        index, manifest.faiss = make_faiss(vectors, trained)
        faiss.write_index(index, str(tmp / names["faiss"]))
        _write_bytes(tmp / names["docs"], json.dumps([asdict(d) for d in docs], ensure_ascii=True, indent=1).encode())
        if bm25_writer is not None:
            bm25_writer(tmp / names["bm25"])
        for name in names.values():
            os.replace(tmp / name, folder / name)
        manifest.artifacts = names
        manifest.count = len(paragraphs)
        manifest.built = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        manifest.previous = sorted(previous.artifacts.values()) if previous else []
        earlier = set(previous.owned if previous and previous.owned else (previous.artifacts.values() if previous else ()))
        manifest.owned = sorted(set(names.values()) | set(manifest.previous))
        atomic_write(folder / "manifest.json", manifest_json(manifest))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    fsync_folder(folder)
    remove_owned(folder, earlier - set(manifest.owned))


def _write_bytes(path: Path, data: bytes) -> None:
    with open(path, "wb") as out:
        out.write(data)


def remove_owned(folder: Path, names: set[str]) -> None:
    """Delete files of older generations, by the names a manifest recorded; nothing else is touched.

    norms writes regular files and folders only: anything else now at a recorded name (a symlink, FIFO or
    device someone put there) is not what norms wrote, and is left alone."""
    for name in names:
        path = folder / name
        if "/" in name or name in ("", ".", "..", "manifest.json"):
            continue
        try:
            mode = path.lstat().st_mode
            if stat.S_ISDIR(mode):
                shutil.rmtree(path)
            elif stat.S_ISREG(mode):
                path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass  # e.g. a read-only folder: an old file left behind costs disk space, never correctness


def _why(exc: BaseException) -> str:
    return exc.strerror or type(exc).__name__ if isinstance(exc, OSError) else str(exc)[:120]


def load_index(folder: Path, with_bm25: bool = True, writable: bool = False) -> StoredIndex:
    """Load and check an index; a missing or inconsistent one raises IndexMissing with what to do.

    When a build switched the manifest between reading it and opening its files, the files may be
    gone; the manifest is read again once before calling the index damaged.
    """
    manifest = read_manifest(folder)
    try:
        return _load(folder, manifest, with_bm25, writable)
    except _Vanished:
        again = read_manifest(folder)
        if again is not None and again.artifacts != manifest.artifacts:
            try:
                return _load(folder, again, with_bm25, writable)
            except _Vanished as exc:
                raise IndexMissing(_damaged(folder, exc.__cause__)) from None
        raise IndexMissing(_damaged(folder, FileNotFoundError("files listed in manifest.json are missing"))) from None


class _Vanished(Exception):
    """A file the manifest lists is not there (a build may have just replaced the generation)."""


def _damaged(folder: Path, exc) -> str:
    return f"index at {folder} is damaged ({type(exc).__name__}: {str(exc)[:120]}); run `norms index --rebuild`"


def _load(folder: Path, manifest: Manifest | None, with_bm25: bool, writable: bool) -> StoredIndex:
    import faiss

    if manifest is None:
        raise IndexMissing(f"no index at {folder}; build it with `norms index`")
    if manifest.format not in (FORMAT_VERSION, 1):
        raise IndexMissing(f"index at {folder} has format {manifest.format}, this norms reads {FORMAT_VERSION}; run `norms index --rebuild`")
    art = manifest.artifacts
    try:
        docs = [DocInfo(**d) for d in json.loads((folder / art["docs"]).read_text(encoding="utf-8"))]
        symbols = [d.symbol for d in docs]
        if manifest.format == 1:  # written by norms before the row store: read once, for vector reuse
            with open(folder / art["chunks"], encoding="utf-8") as f:
                paragraphs = ParagraphRows.in_memory((paragraph_from(json.loads(line)) for line in f if line.strip()), symbols)
        else:
            paragraphs = ParagraphRows.open(folder / art["records"], folder / art["rows"], manifest.roles, symbols)
        vectors = VectorFile(folder / art["vectors"])
        flags = 0 if writable else faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY
        index = faiss.read_index(str(folder / art["faiss"]), flags)
        tune_ann(index)
    except FileNotFoundError as exc:
        raise _Vanished() from exc
    except (OSError, KeyError, ValueError, TypeError, RuntimeError, IndexMissing) as exc:
        if isinstance(exc, RuntimeError) and "No such file" in str(exc):
            raise _Vanished() from exc
        raise IndexMissing(_damaged(folder, exc)) from None
    if not (len(paragraphs) == len(vectors) == index.ntotal == manifest.count):
        raise IndexMissing(f"index at {folder} is inconsistent ({len(paragraphs)} paragraphs, {len(vectors)} vectors, "
                           f"{index.ntotal} in FAISS); run `norms index --rebuild`")
    if vectors.ndim != 2 or vectors.shape[1] != manifest.dimension or index.d != manifest.dimension:
        raise IndexMissing(f"index at {folder}: vector dimension does not match the manifest; run `norms index --rebuild`")
    bm25 = None
    if with_bm25 and "bm25" in art:
        from assistant.index.lexical import load_bm25

        try:
            bm25 = load_bm25(folder / art["bm25"])
        except FileNotFoundError as exc:
            raise _Vanished() from exc
        except (OSError, ValueError, KeyError) as exc:
            raise IndexMissing(f"index at {folder}: BM25 files are damaged ({exc}); run `norms index --rebuild`") from None
    return StoredIndex(folder, manifest, {d.symbol: d for d in docs}, paragraphs, vectors, index, bm25)


class IndexLock:
    """One writer at a time: a second `norms index` waits for the first, saying so."""

    def __init__(self, folder: Path, wait_message=None, timeout: float = 600.0):
        self.path = folder / ".lock"
        self.wait_message = wait_message
        self.timeout = timeout
        self.handle = None

    def __enter__(self):
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "a+")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if self.wait_message:
                self.wait_message(f"another norms process is writing the index at {self.path.parent}; waiting")
            deadline = time.monotonic() + self.timeout
            while True:
                try:
                    fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        self.handle.close()
                        raise NormsError(f"gave up waiting for the index lock at {self.path}") from None
                    time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        import fcntl

        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def export_jsonl(folder: Path, target: Path) -> int:
    """Write the index as JSON lines a person or another tool can read: one document line, then its paragraphs.

    Returns the number of paragraphs written. Goes through fsio.atomic_write like every other writer.
    """
    from assistant.fsio import atomic_write

    index = load_index(folder, with_bm25=False)
    lines = [json.dumps({"manifest": {k: v for k, v in asdict(index.manifest).items() if k != "files"}}, ensure_ascii=True)]
    for code, doc in enumerate(index.docs.values()):
        lines.append(json.dumps({"document": asdict(doc)}, ensure_ascii=True))
        for row in index.paragraphs.rows_of(doc.symbol):
            lines.append(json.dumps({"row": row, "paragraph": asdict(index.paragraphs[row])}, ensure_ascii=True))
    try:
        atomic_write(target, "\n".join(lines) + "\n")
    except OSError as exc:
        raise NormsError(f"cannot write {target}: {exc.strerror or exc}") from None
    return len(index.paragraphs)
