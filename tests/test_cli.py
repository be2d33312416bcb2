"""The norms command end to end, with the real model on the shipped seed document, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "corpus" / "A_C.1_73_L.37.md"  # the seed alone: the whole library would make the real-model index slow


def norms(*args, stdin: str | bytes | None = None, env: dict | None = None, index: Path | None = None):
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    if index is not None:
        full_env["NORMS_INDEX"] = str(index)
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=data, capture_output=True,
                          env=full_env, cwd=ROOT, timeout=600)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("index")
    result = norms("index", "--corpus", str(SHIPPED), index=folder)
    assert result.returncode == 0, result.stderr.decode()
    assert b"indexed 1 documents" in result.stdout
    return folder


@pytest.mark.slow
def test_ask_json_schema_and_answer(index):
    result = norms("ask", "When would the new group of governmental experts be established?", "--format", "json",
                   "-k", "5", "--corpus", str(SHIPPED), index=index)
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["question"].startswith("When would")
    assert len(data["results"]) == 5
    for rank, hit in enumerate(data["results"], 1):
        assert {"rank", "symbol", "para", "text", "score", "title", "date", "kind"} <= set(hit)
        assert hit["rank"] == rank and hit["symbol"] == "A/C.1/73/L.37"
        assert hit["date"] == "2018-10-18" and hit["kind"] == "draft resolution"
        assert isinstance(hit["score"], float)
    assert any(h["para"] == "3" and "established in 2019" in h["text"] for h in data["results"])


@pytest.mark.slow
def test_ask_text_is_cited_and_fits_80_columns(index):
    result = norms("ask", "organize informal consultative meetings", "--corpus", str(SHIPPED), index=index)
    out = result.stdout.decode()
    assert result.returncode == 0
    assert "A/C.1/73/L.37, OP 5" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "\x1b" not in out  # not a terminal: no emphasis codes


@pytest.mark.slow
def test_ask_stdin_batch_json_lines(index):
    questions = "What does the draft decide to include in the agenda?\n\nWhich reports guide Member States?\n"
    result = norms("ask", "-", "--format", "json", "--corpus", str(SHIPPED), stdin=questions, index=index)
    lines = result.stdout.decode().splitlines()
    assert result.returncode == 0 and len(lines) == 2
    assert [json.loads(line)["question"] for line in lines] == [
        "What does the draft decide to include in the agenda?", "Which reports guide Member States?"]


@pytest.mark.slow
def test_ask_stdin_invalid_utf8_is_handled(index):
    result = norms("ask", "-", "--format", "json", "--corpus", str(SHIPPED), stdin=b"cyber \xff\xfe norms\n", index=index)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr.decode()
    assert json.loads(result.stdout)["results"]


@pytest.mark.slow
def test_show_paragraph_and_document(index):
    result = norms("show", "A/C.1/73/L.37", "1(a)", "--format", "json", "--corpus", str(SHIPPED), index=index)
    data = json.loads(result.stdout)
    assert data["symbol"] == "A/C.1/73/L.37" and data["date"] == "2018-10-18"
    assert [p["para"] for p in data["paragraphs"]] == ["1(a)"]
    assert data["paragraphs"][0]["text"].endswith("in the Context of International Security;")
    whole = json.loads(norms("show", "L.37", "--format", "json", "--corpus", str(SHIPPED), index=index).stdout)
    labels = [p["para"] for p in whole["paragraphs"]]
    assert labels[:3] == ["heading", "PP1", "PP2"] and "fn3" in labels and labels.index("1") < labels.index("1(a)")


@pytest.mark.slow
def test_docs_lists_the_seed(index):
    result = norms("docs", "--corpus", str(SHIPPED), index=index)
    assert result.returncode == 0
    assert "A/C.1/73/L.37" in result.stdout.decode() and "draft resolution" in result.stdout.decode()


@pytest.mark.slow
def test_unchanged_index_is_up_to_date(index):
    result = norms("index", "--corpus", str(SHIPPED), index=index)
    assert result.returncode == 0 and b"up to date" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("args, code, message", [
    (["ask", ""], 2, "empty question"),
    (["ask", "   "], 2, "empty question"),
    (["show", "A/RES/1/1"], 2, "unknown document"),
    (["show", "A/C.1/73/L.37", "99"], 2, "no paragraph"),
    (["ask", "x", "--corpus", "/nonexistent/folder"], 1, "corpus not found"),
    (["ask", "x", "--since", "yesterday"], 2, "--since must be a year or a date"),
])
def test_errors_are_one_line_without_traceback(index, args, code, message):
    if "--corpus" not in args:
        args = [*args, "--corpus", str(SHIPPED)]
    result = norms(*args, index=index)
    err = result.stderr.decode()
    assert result.returncode == code, err
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_help_does_not_import_heavy_libraries():
    code = ("import sys, contextlib, io\n"
            "from assistant.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n"
            "import assistant.cli.ask, assistant.cli.corpus, assistant.cli.lineage\n"
            "print(sorted(m for m in ('torch','sentence_transformers','faiss','textual','onnxruntime') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60)
    assert result.stdout.decode().strip() == "[]", result.stderr.decode()
