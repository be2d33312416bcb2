"""What an update takes from the previous generation: stored vectors by row or by text, and a light encoder for a few new texts."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np


def text_key(model: str, text: str) -> str:
    return hashlib.blake2b(f"{model}\n{text}".encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def vectors_for(texts, model, previous, progress, embedder_factory, say, old_rows=None, folder=None):
    """Reuse vectors of texts embedded before (keyed by model + text); encode each distinct new text once.

    UN texts repeat paragraphs verbatim (39,847 distinct texts among 70,921 paragraphs), so a
    repeated text is encoded once and its vector copied to every row that holds it. Rows of
    unchanged documents (`old_rows[i] >= 0`) take their stored vector in one copy, unhashed.
    """
    carried = np.asarray(old_rows if old_rows is not None and previous is not None else [-1] * len(texts), dtype=np.int64)
    cache: dict[str, int] = {}
    if previous is not None and (carried < 0).any():
        for row, text in enumerate(previous.retrieval_texts()):
            cache.setdefault(text_key(model, text), row)
    keys = [text_key(model, t) if old < 0 else "" for t, old in zip(texts, carried.tolist())]
    first_row: dict[str, int] = {}  # distinct new text -> the first row holding it
    for row, key in enumerate(keys):
        if key and key not in cache and key not in first_row:
            first_row[key] = row
    dimension = previous.manifest.dimension if previous is not None else None
    fresh = None
    if first_row:
        from assistant.index.embed import load_embedder

        name = Path(model).name if os.sep in model else model
        say(f"embedding {len(first_row)} distinct paragraph texts with {name}")
        embedder = (embedder_factory or small_update_encoder(folder, model, len(first_row)) or load_embedder)(model)
        dimension = embedder.dimension
        fresh = embedder.encode([texts[r] for r in first_row.values()],
                                progress=(lambda d, t: progress("embed", d, t)) if progress else None)
    vectors = np.zeros((len(texts), dimension or 1), dtype=np.float32)
    stored = np.asarray(previous.vectors) if previous is not None else None  # one read, not a pread per row
    fresh_row = {key: n for n, key in enumerate(first_row)}
    kept = np.flatnonzero(carried >= 0)
    if len(kept):
        vectors[kept] = stored[carried[kept]]
    for row in np.flatnonzero(carried < 0).tolist():
        key = keys[row]
        vectors[row] = stored[cache[key]] if key in cache else fresh[fresh_row[key]]
    reused = len(kept) + sum(1 for k in keys if k and k in cache)
    return vectors, len(texts) - reused, reused


SMALL_UPDATE = 64  # at most this many new texts: encoded by the ONNX export beside the index, when there is one


def small_update_encoder(folder: Path | None, model: str, count: int):
    """For a few new texts, a factory for the index's ONNX export: it loads in ~0.1 s where torch takes seconds.

    Its vectors match sentence-transformers' to cosine 0.9999 (tests/test_onnx_encoder.py); a
    full build keeps sentence-transformers, the faster encoder for many texts (bench/results).
    """
    if folder is None or count > SMALL_UPDATE:
        return None
    try:
        from assistant.index.onnx_encoder import OnnxEncoder
        from assistant.settings import onnx_exported_for

        if not onnx_exported_for(folder / "onnx", model):
            return None
        encoder = OnnxEncoder(folder / "onnx")
    except (ImportError, ValueError, OSError, KeyError):
        return None
    return lambda model_name: _WithProgress(encoder)


class _WithProgress:
    """The embedder interface (dimension, encode(texts, progress=...)) over an ONNX encoder."""

    def __init__(self, encoder):
        self.encoder, self.dimension = encoder, encoder.dimension

    def encode(self, texts, progress=None):
        vectors = self.encoder.encode(list(texts))
        if progress:
            progress(len(texts), len(texts))
        return vectors
