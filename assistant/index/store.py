"""The index folder: manifest.json, docs.json, chunks.jsonl, vectors.npy, a FAISS index and BM25 files."""

from __future__ import annotations

import json
import math
import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from assistant import __version__
from assistant.errors import IndexMissing, NormsError
from assistant.records import DocInfo, Paragraph

FORMAT_VERSION = 1
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


@dataclass
class StoredIndex:
    """Everything `ask` needs, loaded from disk."""

    folder: Path
    manifest: Manifest
    docs: dict[str, DocInfo]
    paragraphs: list[Paragraph]
    vectors: np.ndarray
    faiss_index: object
    bm25: object | None = None


def read_manifest(folder: Path) -> Manifest | None:
    path = folder / "manifest.json"
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(**data)
    except (ValueError, TypeError) as exc:
        raise IndexMissing(f"index at {folder} has a damaged manifest.json ({exc}); rebuild it with `norms index --rebuild`") from None


def make_faiss(vectors: np.ndarray):
    """Exact inner product for small corpora; an inverted-file index (recorded in the manifest) above the threshold.

    IVF rather than HNSW: UN texts repeat paragraphs verbatim, and the many identical vectors
    cost HNSW a lot of recall on the real corpus (0.84 at 70k) where IVF keeps 0.97 (bench/scale.py).
    """
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1]
    if len(vectors) > ANN_THRESHOLD:
        nlist = int(math.sqrt(len(vectors)))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
        index.train(vectors)
        index.add(vectors)
        tune_ann(index)
        return index, f"ivf{nlist}"
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
                vectors: np.ndarray, bm25_writer=None) -> None:
    """Write a new generation of files, then switch manifest.json to it in one atomic rename.

    Readers only follow manifest.json, so a build killed at any point leaves the previous
    generation complete and in use; the old generation's files are removed after the switch.
    """
    import faiss

    folder.mkdir(parents=True, exist_ok=True)
    generation = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:8]  # never reuses a live name
    names = {
        "chunks": f"chunks-{generation}.jsonl",
        "vectors": f"vectors-{generation}.npy",
        "faiss": f"faiss-{generation}.index",
        "docs": f"docs-{generation}.json",
    }
    tmp = folder / f".building-{generation}"
    tmp.mkdir()
    try:
        with open(tmp / names["chunks"], "w", encoding="utf-8") as out:
            for p in paragraphs:
                out.write(json.dumps(asdict(p), ensure_ascii=False) + "\n")
        np.save(tmp / names["vectors"], vectors.astype(np.float32), allow_pickle=False)
        index, manifest.faiss = make_faiss(vectors)
        faiss.write_index(index, str(tmp / names["faiss"]))
        (tmp / names["docs"]).write_text(json.dumps([asdict(d) for d in docs], ensure_ascii=False, indent=1), encoding="utf-8")
        if bm25_writer is not None:
            names["bm25"] = f"bm25-{generation}"
            bm25_writer(tmp / names["bm25"])
        for name in names.values():
            os.replace(tmp / name, folder / name)
        manifest.artifacts = names
        manifest.count = len(paragraphs)
        manifest.built = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        staged = folder / f".manifest-{generation}.json"
        staged.write_text(json.dumps(asdict(manifest), indent=1, ensure_ascii=False), encoding="utf-8")
        with open(staged, "rb") as f:
            os.fsync(f.fileno())
        os.replace(staged, folder / "manifest.json")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    remove_stale_generations(folder, set(names.values()))


def remove_stale_generations(folder: Path, keep: set[str]) -> None:
    for path in folder.iterdir():
        if path.name in keep or path.name in ("manifest.json", ".lock", "onnx") or path.name.startswith(".building-"):
            continue
        if path.name.split("-")[0] in ("chunks", "vectors", "faiss", "docs", "bm25") or path.name.startswith(".manifest-"):
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)


def _paragraph(row: dict) -> Paragraph:
    """A stored paragraph; indexes written before the role rename call the paragraph's role "kind"."""
    if "kind" in row and "role" not in row:
        row["role"] = row.pop("kind")
    return Paragraph(**row)


def load_index(folder: Path, with_bm25: bool = True) -> StoredIndex:
    """Load and check an index; a missing or inconsistent one raises IndexMissing with what to do."""
    import faiss

    manifest = read_manifest(folder)
    if manifest is None:
        raise IndexMissing(f"no index at {folder}; build it with `norms index`")
    if manifest.format != FORMAT_VERSION:
        raise IndexMissing(f"index at {folder} has format {manifest.format}, this norms reads {FORMAT_VERSION}; run `norms index --rebuild`")
    art = manifest.artifacts
    try:
        docs = [DocInfo(**d) for d in json.loads((folder / art["docs"]).read_text(encoding="utf-8"))]
        with open(folder / art["chunks"], encoding="utf-8") as f:
            paragraphs = [_paragraph(json.loads(line)) for line in f if line.strip()]
        vectors = np.load(folder / art["vectors"], allow_pickle=False, mmap_mode="r")
        index = faiss.read_index(str(folder / art["faiss"]))
        tune_ann(index)
    except (OSError, KeyError, ValueError, TypeError, RuntimeError) as exc:
        raise IndexMissing(f"index at {folder} is damaged ({type(exc).__name__}: {str(exc)[:120]}); run `norms index --rebuild`") from None
    if not (len(paragraphs) == len(vectors) == index.ntotal == manifest.count):
        raise IndexMissing(f"index at {folder} is inconsistent ({len(paragraphs)} chunks, {len(vectors)} vectors, "
                           f"{index.ntotal} in FAISS); run `norms index --rebuild`")
    if vectors.shape[1] != manifest.dimension or index.d != manifest.dimension:
        raise IndexMissing(f"index at {folder}: vector dimension does not match the manifest; run `norms index --rebuild`")
    bm25 = None
    if with_bm25 and "bm25" in art:
        from assistant.index.lexical import load_bm25

        try:
            bm25 = load_bm25(folder / art["bm25"])
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
