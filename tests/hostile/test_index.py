"""The index folder under hostile conditions: foreign files, odd names, unreadable and skipped files, races, unwritable places."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.cli.main import main
from assistant.index.build import build_index, is_stale
from assistant.index.embed import FakeEmbedder
from assistant.index.store import load_index
from corpus_fixtures import ROOT, SEED, SMALL_RESOLUTION


def norms(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NORMS_MODEL": "fake"}
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120)


def one_clean_line(stderr: str) -> str:
    """The stderr of a failed run: no traceback, the error on one `norms:` line."""
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("norms:")]
    assert errors, stderr
    return errors[-1]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {os.fspath(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "A_RES_99_1.txt").write_text(SMALL_RESOLUTION, encoding="utf-8")
    return folder


def build(corpus: list[Path] | Path, index: Path, **kw):
    corpus = corpus if isinstance(corpus, list) else [corpus]
    return build_index(corpus, index, "fake", embedder_factory=lambda m: FakeEmbedder(), **kw)


# -- (1) never delete what norms did not write ---------------------------------------------------
def test_index_in_a_folder_of_user_files_touches_none_of_them(corpus):
    project = corpus  # the reproduction: corpus and index are the same folder
    (project / "docs-2024").mkdir()
    (project / "docs-2024" / "notes.txt").write_text("n")
    (project / "bm25-experiments").mkdir()
    (project / "chunks-of-ideas.txt").write_text("d")
    (project / "vectors-todo.md").write_text("k")
    (project / "faiss-notes").write_text("f")
    theirs = {name: (project / name) for name in ("docs-2024/notes.txt", "chunks-of-ideas.txt", "vectors-todo.md",
                                                  "faiss-notes", "A_RES_99_1.txt", SEED.name)}
    before = {name: path.read_bytes() for name, path in theirs.items()}
    for _ in range(3):  # three builds: the first generation is retired on the third
        result = norms("index", "--corpus", ".", "--index", ".", "--rebuild", cwd=project)
        assert "Traceback" not in result.stderr
    assert {name: path.read_bytes() for name, path in theirs.items()} == before
    assert (project / "bm25-experiments").is_dir()
    manifest = json.loads((project / "manifest.json").read_text())
    on_disk = {p.name for p in project.iterdir()}
    # only the live generation and the one before it remain of what norms wrote
    assert set(manifest["owned"]) <= on_disk
    assert set(manifest["artifacts"].values()) <= set(manifest["owned"])
    generations = {name.split("-", 1)[1].split(".")[0] for name in manifest["owned"]}
    assert len(generations) == 2


def test_a_damaged_manifest_leaves_unknown_files_alone(corpus, tmp_path):
    index = tmp_path / "index"
    build(corpus, index)
    old_files = {p.name for p in index.iterdir()} - {"manifest.json", ".lock"}
    (index / "manifest.json").write_text(json.dumps({"model": "fake", "dimension": 64, "chunker": "x", "files": []}))
    result = norms("ask", "cables", "--corpus", str(corpus), "--index", str(index))
    assert result.returncode == 0 and "Traceback" not in result.stderr  # rebuilt and answered
    assert old_files <= {p.name for p in index.iterdir()}  # not recorded as ours any more: kept


# -- wrong manifests are damaged, not tracebacks ---------------------------------------------------
@pytest.mark.parametrize("damage", ["files_list", "string_count", "missing_size", "not_object", "artifact_path"])
def test_valid_json_wrong_manifest_is_rebuilt(corpus, tmp_path, damage):
    index = tmp_path / "index"
    build(corpus, index)
    manifest = json.loads((index / "manifest.json").read_text())
    if damage == "files_list":
        manifest["files"] = []
    elif damage == "string_count":
        manifest["count"] = "12"
    elif damage == "missing_size":
        next(iter(manifest["files"].values())).pop("size")
    elif damage == "not_object":
        manifest = [manifest]
    else:
        manifest["artifacts"]["docs"] = "../../etc/passwd"
    (index / "manifest.json").write_text(json.dumps(manifest))
    result = norms("ask", "undersea cables", "--corpus", str(corpus), "--index", str(index), "-k", "1")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "A/RES/99/1" in result.stdout
    shown = norms("show", "A/RES/99/1", "--corpus", str(corpus), "--index", str(index))
    assert shown.returncode == 0 and "Traceback" not in shown.stderr


# -- (5) names that are not UTF-8 ---------------------------------------------------------------------
def test_non_utf8_file_name_is_indexed_and_printed_escaped(corpus, tmp_path):
    odd = os.fsencode(corpus) + b"/r\xe9solution.md"
    with open(odd, "wb") as out:
        out.write(SMALL_RESOLUTION.replace("99/1", "99/5").replace("cables", "satellites").encode())
    index = tmp_path / "index"
    for command in (["ask", "satellites", "-k", "1"], ["docs"], ["docs", "--format", "json"], ["show", "A/RES/99/5"]):
        result = norms(*command, "--corpus", str(corpus), "--index", str(index))
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    listed = norms("docs", "--format", "json", "--corpus", str(corpus), "--index", str(index)).stdout
    # the byte survives, escaped inside the JSON string (as \\xe9 or as the JSON escape of its surrogate)
    assert "r\\\\xe9solution.md" in listed or "r\\udce9solution.md" in listed
    manifest = json.loads((index / "manifest.json").read_text())
    assert any(os.fsencode(key).endswith(b"/r\xe9solution.md") for key in manifest["files"])  # stored losslessly
    assert not is_stale([corpus], index, "fake")


# -- (6) unreadable files --------------------------------------------------------------------------------
def deny(monkeypatch, path: Path) -> None:
    """As if `path` were chmod 000 for a user without CAP_DAC_OVERRIDE (tests run as root)."""
    import builtins

    real_open = builtins.open

    def guarded(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and Path(file).resolve() == path.resolve():
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    monkeypatch.setattr(Path, "read_bytes", lambda self: guarded(self, "rb").read())
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None, errors=None:
                        guarded(self, "r", encoding=encoding, errors=errors).read())


@pytest.mark.parametrize("command", [["index"], ["ask", "undersea cables", "-k", "1"], ["docs"]])
def test_unreadable_file_is_skipped_and_named(corpus, tmp_path, monkeypatch, capsys, command):
    locked = corpus / "A_RES_99_2.txt"
    locked.write_text(SMALL_RESOLUTION.replace("99/1", "99/2"), encoding="utf-8")
    deny(monkeypatch, locked)
    code = main([*command, "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--model", "fake"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert "A_RES_99_2.txt: cannot read (Permission denied)" in err + out
    assert code == (1 if command == ["index"] else 0)  # `index` reports skipped files with exit 1
    assert set(load_index(tmp_path / "index").docs) == {"A/C.1/73/L.37", "A/RES/99/1"}


def test_docs_check_names_an_unreadable_file(corpus, monkeypatch, capsys):
    locked = corpus / "A_RES_99_2.txt"
    locked.write_text(SMALL_RESOLUTION.replace("99/1", "99/2"), encoding="utf-8")
    deny(monkeypatch, locked)
    code = main(["docs", "--check", "--corpus", str(corpus), "--model", "fake"])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err
    assert "A_RES_99_2.txt" in out and "cannot read (Permission denied)" in out


def test_file_deleted_between_listing_and_reading_is_skipped(corpus, tmp_path, monkeypatch):
    import assistant.index.build as build_module

    gone = corpus / "A_RES_99_9.txt"
    real = build_module.corpus_files
    monkeypatch.setattr(build_module, "corpus_files", lambda paths: real(paths) + [gone])
    report = build(corpus, tmp_path / "index")
    assert report.documents == 2 and any("A_RES_99_9.txt: cannot read" in e for e in report.errors)


# -- (7) every file skipped ------------------------------------------------------------------------------
def test_emptied_corpus_answers_from_the_previous_index(tmp_path):
    corpus = tmp_path / "one"
    corpus.mkdir()
    (corpus / "A_RES_99_1.txt").write_text(SMALL_RESOLUTION, encoding="utf-8")
    index = tmp_path / "index"
    assert norms("index", "--corpus", str(corpus), "--index", str(index)).returncode == 0
    before = snapshot(index)
    (corpus / "A_RES_99_1.txt").write_text("")
    result = norms("ask", "undersea cables", "-k", "1", "--corpus", str(corpus), "--index", str(index))
    assert result.returncode == 0 and "A/RES/99/1" in result.stdout
    assert "every corpus file was skipped" in result.stderr and "existing index" in result.stderr
    assert "Traceback" not in result.stderr
    indexed = norms("index", "--corpus", str(corpus), "--index", str(index))
    assert indexed.returncode == 1 and "every corpus file was skipped" in one_clean_line(indexed.stderr)
    assert snapshot(index) == before


def test_corpus_of_one_unsupported_file_says_so(tmp_path):
    (tmp_path / "q1.docx").write_bytes(b"PK\x03\x04 not really")
    result = norms("ask", "anything", "--corpus", str(tmp_path / "q1.docx"), "--index", str(tmp_path / "index"))
    assert result.returncode == 1
    assert "q1.docx" in one_clean_line(result.stderr)


# -- (8) skipped files are recorded, not retried on every question ----------------------------------------
def test_skipped_files_do_not_make_the_index_stale(corpus, tmp_path):
    (corpus / "empty.md").write_text("")
    (corpus / "copy.txt").write_text(SMALL_RESOLUTION, encoding="utf-8")  # a duplicate symbol
    index = tmp_path / "index"
    report = build([corpus, corpus / "A_RES_99_1.txt"], index)  # the same file named twice is one file
    assert report.documents == 2 and len(report.errors) == 2
    assert not any("A_RES_99_1.txt: symbol" in e for e in report.errors)
    assert not is_stale([corpus], index, "fake")
    manifest = json.loads((index / "manifest.json").read_text())
    assert {Path(k).name for k in manifest["skipped"]} == {"empty.md", "copy.txt"}
    assert all(len(v["sha256"]) == 64 and v["reason"] for v in manifest["skipped"].values())
    listed = norms("docs", "--corpus", str(corpus), "--index", str(index))
    assert listed.returncode == 0 and "skipped:" in listed.stdout and "empty.md" in listed.stdout
    assert "indexed" not in listed.stderr  # no rebuild happened
    (corpus / "empty.md").write_text("# A/RES/99/8\n\n1. Now it has a paragraph about pipelines.\n")
    assert is_stale([corpus], index, "fake")  # a skipped file that changed is tried again


# -- (9) readers during a rebuild -------------------------------------------------------------------------
def test_reader_keeps_answering_while_builds_replace_its_generation(corpus, tmp_path):
    from corpus_fixtures import fake_searcher

    index = tmp_path / "index"
    build(corpus, index)
    searcher = fake_searcher([corpus], index)
    first = searcher.ask("undersea cables", k=1).results[0].citation()
    old_files = set(json.loads((index / "manifest.json").read_text())["artifacts"].values())
    for _ in range(3):
        build(corpus, index, rebuild=True)
    assert not old_files & {p.name for p in index.iterdir()}  # its generation is gone from the folder
    assert searcher.ask("undersea cables", k=1).results[0].citation() == first
    assert searcher.paragraphs("A/RES/99/1")


def test_loads_during_rebuilds_never_see_a_damaged_index(corpus, tmp_path):
    index = tmp_path / "index"
    build(corpus, index)
    done = threading.Event()
    failures: list[str] = []

    def rebuild_loop():
        try:
            for _ in range(15):
                build(corpus, index, rebuild=True)
        finally:
            done.set()

    worker = threading.Thread(target=rebuild_loop)
    worker.start()
    loads = 0
    while not done.is_set() or loads == 0:
        try:
            loaded = load_index(index)
            assert len(loaded.paragraphs[0].text) > 0
        except Exception as exc:  # noqa: BLE001 - any failure is what this test counts
            failures.append(f"{type(exc).__name__}: {exc}")
        loads += 1
    worker.join()
    assert failures == []


# -- (11) unwritable index locations ----------------------------------------------------------------------
@pytest.mark.parametrize("where", ["under_file", "dev_null", "symlink_loop"])
def test_unwritable_index_location_is_one_line(corpus, tmp_path, where):
    if where == "under_file":
        (tmp_path / "plain").write_text("x")
        index = tmp_path / "plain" / "index"
    elif where == "dev_null":
        index = Path("/dev/null/x")
    else:
        (tmp_path / "loop").symlink_to(tmp_path / "loop")
        index = tmp_path / "loop"
    before = snapshot(corpus)
    for command in (["index"], ["ask", "cables"]):
        result = norms(*command, "--corpus", str(corpus), "--index", str(index))
        assert result.returncode == 1
        line = one_clean_line(result.stderr)
        assert "index" in line
    assert snapshot(corpus) == before


@pytest.mark.parametrize("error", [errno.EACCES, errno.ENOSPC, errno.EROFS])
def test_index_that_cannot_be_updated_still_answers(corpus, tmp_path, monkeypatch, capsys, error):
    import assistant.index.store as store

    index = tmp_path / "index"
    build(corpus, index)
    before = snapshot(index)
    (corpus / "A_RES_99_3.txt").write_text(SMALL_RESOLUTION.replace("99/1", "99/3"), encoding="utf-8")

    def refuse(folder, *args, **kwargs):
        raise OSError(error, os.strerror(error), os.fspath(folder / "records-x.jsonb"))

    monkeypatch.setattr(store, "write_index", refuse)
    monkeypatch.setattr("assistant.index.build.write_index", refuse)
    code = main(["ask", "undersea cables", "-k", "1", "--corpus", str(corpus), "--index", str(index), "--model", "fake"])
    out, err = capsys.readouterr()
    assert code == 0 and "A/RES/99/1" in out
    assert f"cannot write the index at {index}" in err and os.strerror(error) in err and "existing index" in err
    code = main(["index", "--corpus", str(corpus), "--index", str(index), "--model", "fake"])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err and os.strerror(error) in err
    assert snapshot(index) == before


def test_recorded_names_now_holding_a_link_fifo_or_device_are_left_alone(tmp_path):
    from assistant.index.store import remove_owned

    folder = tmp_path / "index"
    folder.mkdir()
    (folder / "vectors-old.npy").write_bytes(b"norms wrote this")
    (folder / "bm25-old").mkdir()
    (folder / "bm25-old" / "params.index.json").write_text("{}")
    target = tmp_path / "user.txt"
    target.write_text("keep")
    (folder / "docs-old.json").symlink_to(target)
    os.mkfifo(folder / "faiss-old.index")
    remove_owned(folder, {"vectors-old.npy", "bm25-old", "docs-old.json", "faiss-old.index", "../user.txt"})
    assert sorted(p.name for p in folder.iterdir()) == ["docs-old.json", "faiss-old.index"]
    assert (folder / "docs-old.json").is_symlink() and target.read_text() == "keep"
