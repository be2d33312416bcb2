"""Hostile and careless use of the `norms` command: closed or full streams, odd paths and environments, bad files.

Every case runs the real command in a subprocess over a small made-up corpus with `--model fake`, and asserts
what a user sees: no traceback, one `norms: ...` line naming the argument or file, the documented exit code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from corpus_fixtures import resolution  # noqa: E402

BODY = ("1. Calls upon States not to conduct or knowingly support activity that intentionally damages "
        "undersea cables providing services to the public;\n\n"
        "2. Decides to include in the provisional agenda of its next session the item entitled "
        "“Protection of undersea cables”.\n")


@pytest.fixture(scope="module")
def place(tmp_path_factory):
    """A corpus folder with two resolutions and its built index; returns the base folder."""
    base = tmp_path_factory.mktemp("hostile-cli")
    (base / "corpus").mkdir()
    (base / "corpus" / "A_RES_94_1.md").write_text(resolution(94, 2039, BODY), encoding="utf-8")
    (base / "corpus" / "A_RES_95_1.md").write_text(resolution(95, 2040, BODY.replace("States", "all States")),
                                                   encoding="utf-8")
    result = norms(base, "index")
    assert result.returncode == 0, result.stderr
    return base


def norms(base: Path, *args, stdin: bytes | None = b"", env: dict | None = None, where: bool = True,
          **popen) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NORMS_")}
    full_env.update({"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", **(env or {})})
    options = ["--corpus", str(base / "corpus"), "--index", str(base / "index"), "--model", "fake"] if where else []
    argv = [sys.executable, "-m", "assistant", *args, *options]
    if "stdin" in popen or "stdout" in popen:
        return subprocess.run(argv, env=full_env, cwd=base, capture_output=False, stderr=subprocess.PIPE,
                              timeout=120, **popen)
    return subprocess.run(argv, input=stdin, capture_output=True, env=full_env, cwd=base, timeout=120)


def one_line_error(result, code: int, *words: str) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert result.returncode == code, err
    lines = [line for line in err.splitlines() if line.startswith("norms")]
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0], err
    return lines[0]


# -- output streams ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [["ask", "undersea cables"], ["docs"], ["show", "A/RES/94/1"],
                                  ["trace", "A/RES/94/1", "1"], ["brief", "questions.txt"]])
def test_output_to_a_full_device_is_one_line(place, args):
    (place / "questions.txt").write_text("undersea cables\n", encoding="utf-8")
    with open("/dev/full", "wb") as full:
        result = norms(place, *args, stdout=full)
    one_line_error(result, 1, "no space left")


@pytest.mark.parametrize("args", [["ask", "undersea cables"], ["docs"], ["show", "A/RES/94/1"],
                                  ["trace", "A/RES/94/1", "1"], ["brief", "-"], ["ask", "-"]])
def test_closed_stdin_and_stdout_are_one_line(place, args):
    code = ("import os, sys, runpy; os.close(0); os.close(1); sys.argv = ['norms'] + sys.argv[1:]; "
            "runpy.run_module('assistant', run_name='__main__')")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NORMS_")}
    full_env.update({"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"})
    result = subprocess.run([sys.executable, "-c", code, *args, "--corpus", str(place / "corpus"), "--index",
                             str(place / "index"), "--model", "fake"], capture_output=True, env=full_env,
                            cwd=place, timeout=120)
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert result.returncode in (1, 2), err
    assert len([line for line in err.splitlines() if line.startswith("norms")]) == 1, err


# -- paths and environment ------------------------------------------------------------------------------------
def test_unknown_user_in_a_path_is_a_usage_error(place):
    one_line_error(norms(place, "ask", "x", "--corpus", "~nosuchuser-norms/x", where=False), 2, "~nosuchuser-norms")
    one_line_error(norms(place, "brief", "~nosuchuser-norms/q.txt"), 2, "~nosuchuser-norms")


@pytest.mark.parametrize("variable, value, words", [("NORMS_CORPUS", ":", ["NORMS_CORPUS"]),
                                                     ("NORMS_INDEX", "", ["NORMS_INDEX"])])
def test_empty_environment_paths_are_usage_errors(place, variable, value, words):
    one_line_error(norms(place, "docs", env={variable: value}, where=False), 2, *words)


def test_relative_home_is_refused_for_the_chat_folder(place):
    from assistant.errors import UsageError
    from assistant.settings import data_folder

    env = {k: os.environ.get(k) for k in ("HOME", "XDG_DATA_HOME")}
    try:
        os.environ.pop("XDG_DATA_HOME", None)
        os.environ["HOME"] = "relative/home"
        with pytest.raises(UsageError, match="not absolute"):
            data_folder()
        os.environ["HOME"] = ""  # empty: the account's home from the password database, absolute
        assert data_folder().is_absolute()
    finally:
        for key, value in env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_another_corpus_gets_its_own_index_in_the_cache(place, tmp_path):
    cache = tmp_path / "cache"
    result = norms(place, "docs", "--corpus", str(place / "corpus"), "--model", "fake", where=False,
                   env={"XDG_CACHE_HOME": str(cache)})
    assert result.returncode == 0, result.stderr
    folders = list((cache / "norms" / "indexes").iterdir())
    assert len(folders) == 1 and str(folders[0]) in result.stdout.decode()
    shipped = ROOT / "index"
    before = sorted(p.name for p in shipped.iterdir()) if shipped.is_dir() else None
    other = norms(place, "docs", "--format", "json", "--corpus", str(place / "corpus" / "A_RES_94_1.md"),
                  "--model", "fake", where=False, env={"XDG_CACHE_HOME": str(cache)})
    assert [json.loads(line)["symbol"] for line in other.stdout.decode().splitlines()] == ["A/RES/94/1"]
    assert len(list((cache / "norms" / "indexes").iterdir())) == 2
    assert (sorted(p.name for p in shipped.iterdir()) if shipped.is_dir() else None) == before


# -- questions, dates and kinds -------------------------------------------------------------------------------
@pytest.mark.parametrize("args, words", [
    (["ask", "x", "--since", "2018-02-30"], ["--since", "2018-02-30"]),
    (["ask", "x", "--until", "2020-13-45"], ["--until", "2020-13-45"]),
    (["ask", "x", "--since", "٢٠٢٠"], ["--since"]),
    (["ask", "x", "--kind", "nonsense"], ["--kind", "nonsense"]),
    (["ask", "x", "--since", "2022", "--until", "2020"], ["--since", "after"]),
    (["ask", "\u200b\u200c\u2060\ufeff"], ["empty question"]),
    (["fetch", "A/RES/1/1", "--timeout", "inf"], ["--timeout", "inf"]),
])
def test_bad_values_are_usage_errors(place, args, words):
    one_line_error(norms(place, *args), 2, *words)


def test_impossible_date_in_a_yaml_brief_names_the_line(place):
    (place / "bad.yaml").write_text("- question: undersea cables\n  since: 2018-02-30\n- undersea cables\n",
                                    encoding="utf-8")
    result = norms(place, "brief", "bad.yaml", "--no-timestamp")
    err = result.stderr.decode()
    assert "Traceback" not in err and result.returncode == 2, err
    assert "bad.yaml:1" in err and "A/RES/9" in result.stdout.decode()


@pytest.mark.parametrize("name, text, words", [
    ("deep.json", "[" * 100_000 + "]" * 100_000, ["deep.json"]),
    ("deep.yaml", "[" * 100_000 + "]" * 100_000, ["deep.yaml"]),
    ("digits.json", '[{"question": "q", "k": ' + "9" * 5000 + "}]", ["digits.json"]),
    ("digits.yaml", "- question: q\n  k: " + "9" * 5000 + "\n", ["digits.yaml"]),
], ids=["deep-json", "deep-yaml", "digits-json", "digits-yaml"])
def test_deep_or_huge_brief_files_are_one_line(place, name, text, words):
    (place / name).write_text(text, encoding="utf-8")
    result = norms(place, "brief", name, "--no-timestamp")
    err = result.stderr.decode()
    assert "Traceback" not in err and result.returncode in (1, 2), err
    assert all(word in err for word in words), err


def test_brief_from_stdin_with_bad_utf8_says_which_lines(place):
    result = norms(place, "brief", "-", "--format", "jsonl", stdin=b"undersea cables\nbad \xff\xfe bytes\n")
    err = result.stderr.decode()
    assert "Traceback" not in err and result.returncode == 0, err
    assert "line 2" in err
    result.stdout.decode("utf-8")  # valid UTF-8 out


@pytest.mark.parametrize("line, words", [('{"question": 5, "gold": []}', ["gold.jsonl:1", "question"]),
                                          ('{"question": "q", "gold": ["A/RES/1/1"]}', ["gold.jsonl:1", "gold"]),
                                          ("[" * 100_000, ["gold.jsonl:1"])], ids=["number", "strings", "deep"])
def test_eval_names_the_bad_line(place, line, words):
    (place / "gold.jsonl").write_text(line + "\n", encoding="utf-8")
    one_line_error(norms(place, "eval", "gold.jsonl"), 1, *words)


def test_eval_never_prints_none(place):
    (place / "gold.jsonl").write_text('{"question": "nothing like it", "gold": [{"symbol": "A/RES/9/9"}]}\n',
                                      encoding="utf-8")
    result = norms(place, "eval", "gold.jsonl")
    assert result.returncode == 0 and "None" not in result.stdout.decode(), result.stdout


def test_invalid_argument_bytes_stay_valid_utf8_in_json(place):
    question = os.fsdecode(b"undersea cables \xff\xfe")
    result = norms(place, "ask", question, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.decode("utf-8"))
    assert data["question"].startswith("undersea cables")


# -- escapes in document fields and arguments -----------------------------------------------------------------
def test_escapes_and_bidi_in_document_fields_never_reach_the_output(tmp_path):
    base = tmp_path
    (base / "corpus").mkdir()
    hostile = resolution(93, 2038, BODY).replace("Protection of undersea cables",
                                                 "Protection \x1b[2J\u202eof\u2066 undersea\x1b]0;PWNED\x07 cables")
    (base / "corpus" / "evil\x1b[31mname\u202e.md").write_text(
        "---\nsymbol: A/RES/93/1\nkind: resolution\n---\n" + hostile, encoding="utf-8")
    assert norms(base, "index").returncode in (0, 1)
    outputs = [norms(base, "docs"), norms(base, "docs", "--format", "json"), norms(base, "show", "A/RES/93/1"),
               norms(base, "ask", "undersea cables \x1b[5m", "--format", "md"), norms(base, "ask", "cables"),
               norms(base, "show", "A/RES/93/1", "\x1b[2J\u202e")]
    (base / "q.txt").write_text("undersea cables\n", encoding="utf-8")
    outputs.append(norms(base, "brief", "q.txt", "--no-timestamp"))
    outputs.append(norms(base, "brief", "q.txt", "--format", "html", "--no-timestamp"))
    for result in outputs:
        for stream in (result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")):
            assert "Traceback" not in stream
            assert not any(c in stream for c in "\x1b\x07\x9b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), \
                repr(stream[:400])
