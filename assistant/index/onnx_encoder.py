"""Fast cold-start query encoder: a sentence-transformers model exported to ONNX, run with onnxruntime."""

# Why this module exists: `import sentence_transformers` (and torch behind it) costs ~8 s and a lot of
# memory, which dominates a one-question CLI run. The model is exported once, at index time, with
# torch; queries then need only onnxruntime + tokenizers + numpy. Keep torch, transformers and
# sentence_transformers imports inside `export_onnx` so the query path never loads them.

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import numpy as np

ENCODER_FORMAT_VERSION = 1
ONNX_OPSET = 17

MODEL_FILE = "model.onnx"
# Weights live beside the graph, not inside it: onnxruntime memory-maps an external data file,
# which in our measurements halves both session start-up time and peak RSS.
WEIGHTS_FILE = "model.onnx.data"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "encoder.json"

# Graph inputs the exporter knows how to feed; a model gets the subset its tokenizer produces.
SUPPORTED_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT_NAME = "last_hidden_state"

# The exported graph must reproduce sentence-transformers on these before the folder is published.
PARITY_MIN_COSINE = 0.9999
_PARITY_PROBES = (
    "States should not knowingly allow their territory to be used for internationally wrongful acts "
    "using ICTs.",
    "What are the eleven voluntary norms of responsible State behaviour?",
    "ICT",
    "Confidence-building measures — transparency, cooperation (Zusammenarbeit, coopération).",
    "norm " * 400,  # longer than any max_seq_length: exercises truncation
)

# sentence-transformers' legacy 1_Pooling/config.json spells the mode as one boolean per mode.
_LEGACY_POOLING_KEYS = {
    "pooling_mode_cls_token": "cls",
    "pooling_mode_max_tokens": "max",
    "pooling_mode_mean_tokens": "mean",
    "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len_tokens",
    "pooling_mode_weightedmean_tokens": "weightedmean",
    "pooling_mode_lasttoken": "lasttoken",
}
_SUPPORTED_MODULES = {"Transformer", "Pooling", "Normalize"}


# --------------------------------------------------------------------------------------------------
# Export (index time: slow, needs torch)
# --------------------------------------------------------------------------------------------------


def export_onnx(model_dir: str | Path, out_dir: Path) -> Path:
    """Export the sentence-transformers folder `model_dir` to `out_dir` and return `out_dir`.

    `out_dir` gets model.onnx (inputs -> last_hidden_state, dynamic batch and sequence axes) with
    its weights in model.onnx.data, tokenizer.json and encoder.json. The folder is built in a
    temporary sibling directory, checked against sentence-transformers, then renamed into place,
    so a failure never leaves a partial folder behind; an existing `out_dir` is replaced only
    after the new export has passed.
    Raises FileNotFoundError for a missing `model_dir`, ValueError for a model this encoder cannot
    reproduce (pooling other than mean, extra modules such as Dense, default prompts).
    """
    model_dir = Path(model_dir).resolve()
    _check_replaceable(Path(out_dir))  # as given: a symlink named `onnx` is the user's, not ours
    out_dir = Path(out_dir).resolve()
    # Validate the cheap JSON files before touching the disk or importing torch.
    plan = _read_model_folder(model_dir)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # Same parent as out_dir, so the final rename stays on one filesystem and is atomic.
    staging = _sibling(out_dir, "partial")
    staging.mkdir()
    try:
        _export_into(model_dir, plan, staging)
        _replace_dir(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir


def _read_model_folder(model_dir: Path) -> dict[str, Any]:
    """Read what sentence-transformers would do with `model_dir` from its JSON files."""
    if not model_dir.is_dir():
        raise FileNotFoundError(f"model folder not found: {model_dir}")
    modules_path = model_dir / "modules.json"
    if not modules_path.is_file():
        raise ValueError(f"not a sentence-transformers folder (no modules.json): {model_dir}")
    modules = json.loads(modules_path.read_text(encoding="utf-8"))

    kinds = [module["type"].rsplit(".", 1)[-1] for module in modules]
    unsupported = [kind for kind in kinds if kind not in _SUPPORTED_MODULES]
    if unsupported or kinds[:2] != ["Transformer", "Pooling"] or kinds[2:] not in ([], ["Normalize"]):
        raise ValueError(
            f"unsupported module pipeline {kinds} in {model_dir}: "
            "only Transformer -> Pooling [-> Normalize] can be exported"
        )
    transformer_dir = model_dir / modules[0].get("path", "")
    pooling_dir = model_dir / modules[1].get("path", "")

    pooling_config = json.loads((pooling_dir / "config.json").read_text(encoding="utf-8"))
    pooling = _pooling_modes(pooling_config)
    if pooling != ("mean",):
        raise ValueError(
            f"unsupported pooling {'+'.join(pooling) or 'none'} in {pooling_dir}: only mean pooling is supported"
        )

    # Without a max_seq_length, sentence-transformers falls back to the tokenizer/model limit;
    # the loaded model supplies that value later.
    max_seq_length = None
    bert_config_path = transformer_dir / "sentence_bert_config.json"
    if bert_config_path.is_file():
        max_seq_length = json.loads(bert_config_path.read_text(encoding="utf-8")).get("max_seq_length")

    # A default prompt would be prepended to every text by SentenceTransformer.encode; we do not.
    st_config_path = model_dir / "config_sentence_transformers.json"
    if st_config_path.is_file():
        st_config = json.loads(st_config_path.read_text(encoding="utf-8"))
        if st_config.get("default_prompt_name"):
            raise ValueError(f"models with a default prompt are not supported: {model_dir}")

    return {
        "max_seq_length": max_seq_length,
        "pooling": "mean",
        "normalize": "Normalize" in kinds,
    }


def _pooling_modes(config: dict[str, Any]) -> tuple[str, ...]:
    """Pooling modes from either the current (`pooling_mode`) or the legacy boolean format."""
    if "pooling_mode" in config:
        mode = config["pooling_mode"]
        return (mode,) if isinstance(mode, str) else tuple(mode)
    return tuple(
        _LEGACY_POOLING_KEYS.get(key, key)
        for key, enabled in config.items()
        if key.startswith("pooling_mode_") and enabled
    )


def _export_into(model_dir: Path, plan: dict[str, Any], staging: Path) -> None:
    """Write model.onnx, tokenizer.json and encoder.json into `staging`, then check parity."""
    # Belt and braces next to local_files_only: huggingface_hub reads this when first imported.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import warnings

    import onnx
    import sentence_transformers
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.utils.logging.disable_progress_bar()
    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    model.eval()
    transformer = model[0]
    tokenizer = transformer.tokenizer
    max_seq_length = plan["max_seq_length"] or model.max_seq_length

    input_names = [name for name in SUPPORTED_INPUTS if name in tokenizer.model_input_names]
    if "input_ids" not in input_names or "attention_mask" not in input_names:
        raise ValueError(f"tokenizer inputs {tokenizer.model_input_names} lack input_ids/attention_mask")

    class LastHiddenState(torch.nn.Module):
        """Positional inputs in `input_names` order -> token embeddings, the ONNX graph's only output."""

        def __init__(self, auto_model: torch.nn.Module) -> None:
            super().__init__()
            self.auto_model = auto_model

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.auto_model(**dict(zip(input_names, inputs)), return_dict=True).last_hidden_state

    # Texts of different lengths, so the traced graph contains the padding-mask path.
    example = tokenizer(
        ["Padding example", "A longer example sentence so that the first one gets padded"],
        padding=True,
        return_tensors="pt",
    )
    dynamic_axes = {name: {0: "batch", 1: "sequence"} for name in [*input_names, OUTPUT_NAME]}
    traced_path = staging / "traced.onnx"
    with warnings.catch_warnings(), torch.no_grad():
        # Tracer and deprecation warnings are expected here; the parity check below is what
        # decides whether the graph is right.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            LastHiddenState(transformer.auto_model).eval(),
            tuple(example[name] for name in input_names),
            str(traced_path),
            input_names=input_names,
            output_names=[OUTPUT_NAME],
            dynamic_axes=dynamic_axes,
            opset_version=ONNX_OPSET,
            # The TorchScript exporter: the newer dynamo exporter needs onnxscript, which we do
            # not install, and it gains nothing for a plain BERT encoder.
            dynamo=False,
        )
    graph = onnx.load(str(traced_path))
    onnx.save_model(
        graph,
        str(staging / MODEL_FILE),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=WEIGHTS_FILE,
    )
    del graph
    traced_path.unlink()
    # onnx creates the data file owner-only; give it the same permissions as the graph file.
    (staging / WEIGHTS_FILE).chmod((staging / MODEL_FILE).stat().st_mode & 0o777)

    # Save the tokenizer sentence-transformers actually runs rather than copying the file: it
    # also covers folders with only vocab.txt, and any do_lower_case tweak ST applied is baked in.
    tokenizer.backend_tokenizer.save(str(staging / TOKENIZER_FILE))

    config = {
        "format_version": ENCODER_FORMAT_VERSION,
        "source_model_dir": str(model_dir),
        "max_seq_length": int(max_seq_length),
        "pooling": plan["pooling"],
        "normalize": plan["normalize"],
        "dimension": int(_embedding_dimension(model)),
        "onnx_opset": ONNX_OPSET,
        "inputs": input_names,
        "weights_file": WEIGHTS_FILE,
        "output": OUTPUT_NAME,
        "pad_token": tokenizer.pad_token,
        "pad_id": int(tokenizer.pad_token_id),
        "exported_with": {
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "sentence_transformers": sentence_transformers.__version__,
        },
    }
    (staging / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")

    expected = model.encode(list(_PARITY_PROBES), normalize_embeddings=True, convert_to_numpy=True)
    actual = OnnxEncoder(staging).encode(list(_PARITY_PROBES))
    if actual.shape != expected.shape:
        raise RuntimeError(f"ONNX export of {model_dir} gives shape {actual.shape}, expected {expected.shape}")
    worst = float(np.min(np.sum(expected * actual, axis=1)))
    if worst < PARITY_MIN_COSINE:
        raise RuntimeError(
            f"ONNX export of {model_dir} does not reproduce sentence-transformers "
            f"(worst cosine {worst:.6f} < {PARITY_MIN_COSINE})"
        )


def _embedding_dimension(model: Any) -> int:
    # sentence-transformers 6 renamed get_sentence_embedding_dimension; support both spellings.
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return getter()


def _sibling(path: Path, tag: str) -> Path:
    """A fresh hidden name next to `path` (mkdir with it honours the umask, unlike mkdtemp's 0700)."""
    return path.with_name(f".{path.name}.{tag}-{uuid.uuid4().hex[:12]}")


def _check_replaceable(out_dir: Path) -> None:
    """Only an earlier export (a real folder holding our encoder.json) may be replaced: a user's own `onnx`
    folder, file or symlink beside the index is never moved or deleted (ValueError instead)."""
    if not os.path.lexists(out_dir):
        return
    if out_dir.is_symlink() or not out_dir.is_dir() or not (out_dir / CONFIG_FILE).is_file():
        raise ValueError(f"{out_dir} exists and is not an export norms wrote; it is left as it is")


def _replace_dir(new: Path, target: Path) -> None:
    """Move `new` to `target`, replacing an existing `target` only once `new` is complete."""
    if not target.exists():
        new.rename(target)
        return
    # rename() cannot overwrite a non-empty directory: park the old one, swap, then delete it.
    # Between the two renames `target` is briefly absent, but never half-written.
    old = _sibling(target, "old")
    target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------------------------------
# Query path (cold start: onnxruntime + tokenizers + numpy only)
# --------------------------------------------------------------------------------------------------


def read_encoder_config(folder: Path) -> dict[str, Any]:
    """encoder.json of an exported folder; ValueError if missing, unreadable or of another version."""
    path = Path(folder) / CONFIG_FILE
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"no usable {CONFIG_FILE} in {folder}: {error}") from error
    if not isinstance(config, dict) or config.get("format_version") != ENCODER_FORMAT_VERSION:
        raise ValueError(f"{path} is not an ONNX encoder folder of format version {ENCODER_FORMAT_VERSION}")
    return config


def is_exported(folder: Path) -> bool:
    """True if `folder` holds a complete export of the current format (exports are all-or-nothing)."""
    folder = Path(folder)
    try:
        read_encoder_config(folder)
    except ValueError:
        return False
    return all((folder / name).is_file() for name in (MODEL_FILE, WEIGHTS_FILE, TOKENIZER_FILE))


def default_threads() -> int:
    """CPUs this process may use: on the 2-core target both cores help a single query."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not available on macOS/Windows
        return max(1, os.cpu_count() or 1)


class OnnxEncoder:
    """Encode texts with an exported folder, matching SentenceTransformer.encode(normalize_embeddings=True)."""

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.folder = Path(folder)
        self.config = read_encoder_config(self.folder)
        if self.config["pooling"] != "mean":
            raise ValueError(f"unsupported pooling {self.config['pooling']!r} in {self.folder}")
        self.dimension: int = int(self.config["dimension"])
        self.max_seq_length: int = int(self.config["max_seq_length"])

        self._tokenizer = Tokenizer.from_file(str(self.folder / TOKENIZER_FILE))
        # Truncation counts the [CLS]/[SEP] the post-processor adds, like transformers' max_length.
        self._tokenizer.enable_truncation(max_length=self.max_seq_length)
        # Pad to the longest text of each batch, not to a fixed width: short queries stay cheap.
        self._tokenizer.enable_padding(pad_id=int(self.config["pad_id"]), pad_token=self.config["pad_token"])

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or default_threads()
        # One model, one request at a time: no parallelism between graph nodes to exploit.
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3  # errors only; ORT's warnings are noise for CLI users
        self._session = onnxruntime.InferenceSession(
            str(self.folder / MODEL_FILE), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._input_names = [node.name for node in self._session.get_inputs()]

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """float32 array (len(texts), dimension) of L2-normalised mean-pooled embeddings."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a list of texts, not a single string")
        texts = list(texts)
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        # Longest first, as sentence-transformers does: similar lengths share a batch, so little
        # padding is computed. Results go back to the caller's order via `order`.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            vectors[batch] = self._encode_batch([texts[i] for i in batch])
        return vectors

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        attention_mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        available = {
            "input_ids": lambda: np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": lambda: attention_mask,
            "token_type_ids": lambda: np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        feed = {name: available[name]() for name in self._input_names}
        (token_embeddings,) = self._session.run([OUTPUT_NAME], feed)

        # Mean over real tokens only, then L2 normalise, with the same epsilons as
        # sentence-transformers' Pooling and torch.nn.functional.normalize.
        mask = attention_mask[:, :, None].astype(np.float32)
        summed = np.sum(token_embeddings * mask, axis=1)
        counts = np.clip(np.sum(mask, axis=1), 1e-9, None)
        pooled = summed / counts
        norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return (pooled / norms).astype(np.float32, copy=False)
