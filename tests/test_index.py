"""The index on disk: FAISS agrees with numpy, builds are atomic and incremental, damage is detected."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from assistant.index.build import build_index, is_stale
from assistant.index.embed import FakeEmbedder
from assistant.errors import IndexMissing
from assistant.index.store import load_index, make_faiss
from corpus_fixtures import SEED, SMALL_RESOLUTION


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, counting how many texts it was asked to encode."""

    def __init__(self):
        self.encoded = 0

    def encode(self, texts, progress=None):
        self.encoded += len(texts)
        return super().encode(texts, progress)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "A_RES_99_1.txt").write_text(SMALL_RESOLUTION, encoding="utf-8")
    return folder


def build(corpus, index, embedder):
    return build_index([corpus], index, "fake", embedder_factory=lambda model: embedder)


def test_faiss_top_k_equals_numpy_cosine():
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(500, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index, kind = make_faiss(vectors)
    assert kind == "flat"
    queries = rng.normal(size=(20, 32)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    _, ids = index.search(queries, 10)
    expected = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    assert (ids == expected).all()


def test_build_writes_readable_files_and_loads(corpus, tmp_path):
    index = tmp_path / "index"
    report = build(corpus, index, CountingEmbedder())
    assert report.documents == 2 and not report.errors
    manifest = json.loads((index / "manifest.json").read_text())
    assert manifest["model"] == "fake" and manifest["dimension"] == 64 and manifest["faiss"] == "flat"
    table = np.load(index / manifest["artifacts"]["rows"])
    assert len(table) == manifest["count"] == report.paragraphs
    loaded = load_index(index)
    assert set(loaded.docs) == {"A/C.1/73/L.37", "A/RES/99/1"}
    assert loaded.docs["A/RES/99/1"].date == "2030-01-02"
    # row i of the paragraph store is vector i
    fake = FakeEmbedder()
    from assistant.index.build import retrieval_text

    row = next(i for i, p in enumerate(loaded.paragraphs) if p.symbol == "A/RES/99/1" and p.para == "1")
    expected = fake.encode([retrieval_text(loaded.paragraphs[row])])[0]
    assert np.allclose(loaded.vectors[row], expected)


def test_unchanged_corpus_embeds_nothing(corpus, tmp_path):
    index = tmp_path / "index"
    build(corpus, index, CountingEmbedder())
    assert not is_stale([corpus], index, "fake")
    again = CountingEmbedder()
    report = build(corpus, index, again)
    assert report.up_to_date and again.encoded == 0


def test_incremental_add_change_remove_embeds_only_affected(corpus, tmp_path):
    index = tmp_path / "index"
    build(corpus, index, CountingEmbedder())
    before = load_index(index)
    seed_rows = sum(1 for p in before.paragraphs if p.symbol == "A/C.1/73/L.37")

    # change one paragraph of one document: exactly one new text to embed
    path = corpus / "A_RES_99_1.txt"
    path.write_text(SMALL_RESOLUTION.replace("deliberate damage", "deliberate or reckless damage"), encoding="utf-8")
    assert is_stale([corpus], index, "fake")
    changed = CountingEmbedder()
    report = build(corpus, index, changed)
    assert changed.encoded == 1 and report.read == 1
    after = load_index(index)
    assert "reckless" in next(p.text for p in after.paragraphs if p.symbol == "A/RES/99/1" and p.para == "1")

    # add a document: only its paragraphs are embedded
    extra = corpus / "A_RES_99_2.txt"
    extra.write_text(SMALL_RESOLUTION.replace("99/1", "99/2").replace("undersea cables", "satellites"), encoding="utf-8")
    added = CountingEmbedder()
    build(corpus, index, added)
    assert 0 < added.encoded <= 4

    # remove it again: nothing embedded, its paragraphs gone, the rest unchanged
    extra.unlink()
    removed = CountingEmbedder()
    build(corpus, index, removed)
    final = load_index(index)
    assert removed.encoded == 0
    assert "A/RES/99/2" not in final.docs
    assert sum(1 for p in final.paragraphs if p.symbol == "A/C.1/73/L.37") == seed_rows

    # the incremental result equals a full rebuild
    fresh = tmp_path / "fresh"
    build(corpus, fresh, CountingEmbedder())
    full = load_index(fresh)
    assert [(p.symbol, p.para, p.text) for p in full.paragraphs] == [(p.symbol, p.para, p.text) for p in final.paragraphs]
    assert np.allclose(np.asarray(full.vectors), np.asarray(final.vectors))


def test_failed_build_leaves_previous_index_usable(corpus, tmp_path, monkeypatch):
    index = tmp_path / "index"
    build(corpus, index, CountingEmbedder())
    manifest_before = (index / "manifest.json").read_text()
    (corpus / "A_RES_99_3.txt").write_text(SMALL_RESOLUTION.replace("99/1", "99/3").replace("cables", "pipelines"), encoding="utf-8")

    class Exploding(FakeEmbedder):
        def encode(self, texts, progress=None):
            raise RuntimeError("encoder crashed")

    with pytest.raises(RuntimeError):
        build(corpus, index, Exploding())
    assert (index / "manifest.json").read_text() == manifest_before
    assert set(load_index(index).docs) == {"A/C.1/73/L.37", "A/RES/99/1"}


def test_bad_document_skipped_others_indexed(corpus, tmp_path):
    (corpus / "broken.txt").write_bytes(b"\x00\x01binary")
    (corpus / "empty.md").write_text("", encoding="utf-8")
    report = build(corpus, tmp_path / "index", CountingEmbedder())
    assert report.documents == 2
    assert any("broken.txt" in e and "binary" in e for e in report.errors)
    assert any("empty.md" in e and "empty" in e for e in report.errors)


def test_duplicate_symbol_is_refused(corpus, tmp_path):
    (corpus / "copy.txt").write_text(SMALL_RESOLUTION, encoding="utf-8")
    report = build(corpus, tmp_path / "index", CountingEmbedder())
    assert report.documents == 2
    assert any("already used" in e for e in report.errors)


@pytest.mark.parametrize("damage", ["truncate_faiss", "drop_chunk", "garble_records", "delete_vectors", "bad_manifest", "other_dimension"])
def test_damaged_index_is_detected(corpus, tmp_path, damage):
    index = tmp_path / "index"
    build(corpus, index, CountingEmbedder())
    manifest = json.loads((index / "manifest.json").read_text())
    art = manifest["artifacts"]
    if damage == "truncate_faiss":
        path = index / art["faiss"]
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "drop_chunk":
        path = index / art["records"]
        path.write_bytes(path.read_bytes()[:-20])
    elif damage == "garble_records":  # same size, garbage bytes: found when a record is decoded
        path = index / art["records"]
        path.write_bytes(b"\xff" * len(path.read_bytes()))
    elif damage == "delete_vectors":
        (index / art["vectors"]).unlink()
    elif damage == "bad_manifest":
        (index / "manifest.json").write_text("{not json")
    else:
        manifest["dimension"] = 384
        (index / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexMissing) as info:
        load_index(index)
    assert "norms index" in str(info.value)
    # and the next build repairs it
    build_index([corpus], index, "fake", rebuild=True, embedder_factory=lambda m: CountingEmbedder())
    assert len(load_index(index).docs) == 2


def test_new_chunker_version_rereads_files_but_reuses_vectors(corpus, tmp_path, monkeypatch):
    import assistant.index.build as build_module

    index = tmp_path / "index"
    build(corpus, index, CountingEmbedder())
    monkeypatch.setattr(build_module, "CHUNKER_VERSION", "test-next")
    assert is_stale([corpus], index, "fake")
    again = CountingEmbedder()
    report = build(corpus, index, again)
    assert report.read == 2 and again.encoded == 0
    assert json.loads((index / "manifest.json").read_text())["chunker"] == "test-next"
