"""The query adapter: a low-rank linear map that moves a question's vector towards the wording of the paragraphs that answer it.

A question is asked in a reader's words ("can a country refuse to hand over its own citizen?"), the answer is
in the UN's ("A State Party that does not extradite a person on the ground that he or she is one of its
nationals"). The adapter, q -> normalise(q + (q U) V^T), is fitted by bench/train_adapter.py on question/answer
pairs of the project's question sets (never the held-out one) and only applies to the model it was fitted
for. It is stored as plain files: U.npy, V.npy and adapter.json (model, rank, what it was fitted on).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ADAPTER_DIR = Path(__file__).resolve().parent.parent / "data" / "query_adapter"
FORMAT_VERSION = 1


@dataclass
class QueryAdapter:
    U: np.ndarray  # (dim, rank)
    V: np.ndarray  # (dim, rank)
    model: str

    def apply(self, vectors: np.ndarray, strength: float = 1.0) -> np.ndarray:
        """The adapted query vectors, unit length like the encoder's (`strength` scales the move)."""
        vectors = np.asarray(vectors, dtype=np.float32)
        moved = vectors + strength * ((vectors @ self.U) @ self.V.T)
        return moved / np.maximum(np.linalg.norm(moved, axis=-1, keepdims=True), 1e-12)

    def save(self, folder: Path, about: dict) -> None:
        """Write the three files, each whole or not at all (fsio.atomic_write, as every file norms writes)."""
        from assistant.fsio import atomic_write

        folder.mkdir(parents=True, exist_ok=True)
        for name, matrix in (("U.npy", self.U), ("V.npy", self.V)):
            buffer = io.BytesIO()
            np.save(buffer, matrix.astype(np.float32), allow_pickle=False)
            atomic_write(folder / name, buffer.getvalue())
        meta = {"format_version": FORMAT_VERSION, "model": self.model, "dim": int(self.U.shape[0]),
                "rank": int(self.U.shape[1]), **about}
        atomic_write(folder / "adapter.json", json.dumps(meta, indent=1) + "\n")


def same_model(fitted_for: str | None, model: str) -> bool:
    """Whether the index's model (as its manifest records it: the packaged folder for the default) is the one
    the adapter was fitted for (recorded by name)."""
    from assistant.index.embed import resolve_model
    from assistant.errors import NormsError

    if not fitted_for:
        return False
    if model == fitted_for:
        return True
    try:
        return model == resolve_model(fitted_for)
    except NormsError:  # the packaged model is not installed: nothing to compare with
        return False


def load_adapter(model: str, folder: Path = ADAPTER_DIR) -> QueryAdapter | None:
    """The adapter fitted for `model`, or None (another model, or no adapter shipped): questions are then
    encoded as they are."""
    try:
        meta = json.loads((folder / "adapter.json").read_text(encoding="utf-8"))
        if meta.get("format_version") != FORMAT_VERSION or not same_model(meta.get("model"), model):
            return None
        U = np.load(folder / "U.npy", allow_pickle=False)
        V = np.load(folder / "V.npy", allow_pickle=False)
    except (OSError, ValueError):
        return None
    if U.ndim != 2 or U.shape != V.shape or U.shape[0] != meta.get("dim"):
        return None
    return QueryAdapter(U.astype(np.float32), V.astype(np.float32), model)
