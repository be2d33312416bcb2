"""Every command's output on a small fixed corpus, one file per invocation: diff two runs to prove no change.

    python bench/outputs.py OUT_DIR [--checkout PATH]     # run the fixed invocations with PATH's code
    diff -r OUT_BEFORE OUT_AFTER                          # byte-identical apart from deliberate fixes

The corpus is the seed draft plus five resolutions from ../shared/corpus/cyber, copied to a temporary
folder; `--model fake` keeps it fast and deterministic. Each invocation writes NAME.out (stdout),
NAME.err (stderr) and NAME.code (exit status). Commands run with the temporary folder as the working
folder and relative paths, so no absolute path reaches the outputs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
SHARED = HERE.parent / "shared" / "corpus"
CORPUS_FILES = ["seed/A_C.1_73_L.37.md", "cyber/A_RES_73_266.txt", "cyber/A_RES_73_27.txt",
                "cyber/A_RES_75_240.txt", "cyber/A_RES_76_19.txt", "cyber/A_RES_77_37.txt",
                "cyber/PARIS-CALL-2018.md"]

QUESTIONS = [
    "What did States agree about critical infrastructure?",
    "responsible State behaviour in the use of ICTs",
    "Which resolution established the open-ended working group?",
    "supply chain integrity",
    "A/RES/73/27, para. 1.6",
    "A/C.1/73/L.37 OP 1(a)",
    "capacity-building for developing countries",
    "Group of Governmental Experts report 2015",
    "international law applies to cyberspace",
    "computer emergency response teams",
    "Paris Call for Trust and Security in Cyberspace",
    "human rights online",
    "confidence-building measures",
    "terrorist use of ICTs",
    "Does the Charter of the United Nations apply?",
    "protection of personal data and privacy",
    "what is OP 3 of 76/19",
    "voluntary non-binding norms",
    "harmful hidden functions",
    "regular institutional dialogue",
]

BRIEF_TXT = "# Fixed briefing\n\nWhat did States agree about critical infrastructure?\n" \
            "supply chain integrity\nA/RES/73/27, para. 1.6\n"
BRIEF_YAML = """title: Fixed YAML briefing
questions:
  - section: Norms
  - question: responsible State behaviour
    k: 2
  - question: capacity-building
    since: 2019
    kind: resolution
"""
COMMON = ["--corpus", "corpus", "--index", "index", "--model", "fake"]


def invocations() -> list[tuple[str, list[str], bytes]]:
    """(name, argv after `norms`, stdin) for every fixed run."""
    runs: list[tuple[str, list[str], bytes]] = []
    for n, question in enumerate(QUESTIONS, start=1):
        fmt = ["text", "json", "md"][n % 3]
        runs.append((f"ask-{n:02d}-{fmt}", ["ask", question, "--format", fmt], b""))
    runs += [
        ("ask-k2-filters", ["ask", "cyber norms", "-k", "2", "--since", "2018", "--until", "2021-12-31",
                            "--kind", "resolution"], b""),
        ("ask-doc", ["ask", "norms", "--doc", "A/RES/76/19", "--format", "json"], b""),
        ("ask-stdin", ["ask", "-"], b"critical infrastructure\n\nsupply chain\n"),
        ("ask-empty", ["ask", "  "], b""),
        ("ask-bad-date", ["ask", "x", "--since", "last year"], b""),
        ("docs-text", ["docs"], b""),
        ("docs-json", ["docs", "--format", "json"], b""),
        ("docs-check", ["docs", "--check"], b""),
        ("show-doc", ["show", "A/RES/76/19"], b""),
        ("show-para", ["show", "A/C.1/73/L.37", "1(a)"], b""),
        ("show-json", ["show", "A/RES/73/27", "1.6", "--format", "json"], b""),
        ("show-missing", ["show", "A/RES/99/1"], b""),
        ("trace-text", ["trace", "A/C.1/73/L.37", "1(a)"], b""),
        ("trace-md", ["trace", "A/RES/73/27", "1.6", "--format", "md"], b""),
        ("trace-json", ["trace", "A/RES/76/19", "1", "--format", "json", "--limit", "5"], b""),
        ("trace-words", ["trace", "--text", "critical infrastructure"], b""),
        ("trace-sentence", ["trace", "--text", "security in the use of information and communications technologies"], b""),
        ("compare-text", ["compare", "A/C.1/73/L.37", "A/RES/73/27"], b""),
        ("compare-md", ["compare", "A/RES/73/266", "A/RES/73/27", "--format", "md"], b""),
        ("compare-json", ["compare", "A/RES/75/240", "A/RES/76/19", "--format", "json"], b""),
        ("brief-md", ["brief", "questions.txt", "--no-timestamp"], b""),
        ("brief-html", ["brief", "questions.yaml", "--format", "html", "--no-timestamp"], b""),
        ("brief-jsonl", ["brief", "-", "--format", "jsonl", "--no-timestamp", "--lineage"], BRIEF_TXT.encode()),
        ("eval", ["eval", "gold.jsonl"], b""),
        ("eval-json", ["eval", "gold.jsonl", "--json"], b""),
    ]
    return runs


GOLD = ('{"question": "critical infrastructure", "type": "topic", '
        '"gold": [{"symbol": "A/RES/73/27", "quote": "critical infrastructure"}]}\n'
        '{"question": "OP 1(a) of the draft", "type": "citation", '
        '"gold": [{"symbol": "A/C.1/73/L.37", "quote": "consistent with the purposes"}]}\n')


def run_all(out: Path, checkout: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(checkout), NO_COLOR="1", HF_HUB_OFFLINE="1")
    for key in ("NORMS_CORPUS", "NORMS_INDEX", "NORMS_MODEL"):
        env.pop(key, None)
    with tempfile.TemporaryDirectory(prefix="norms-outputs-") as work:
        folder = Path(work)
        (folder / "corpus").mkdir()
        for name in CORPUS_FILES:
            shutil.copy(SHARED / name, folder / "corpus" / Path(name).name)
        (folder / "questions.txt").write_text(BRIEF_TXT, encoding="utf-8")
        (folder / "questions.yaml").write_text(BRIEF_YAML, encoding="utf-8")
        (folder / "gold.jsonl").write_text(GOLD, encoding="utf-8")
        norms = [sys.executable, "-m", "assistant"]
        subprocess.run(norms + ["index"] + COMMON, cwd=folder, env=env, check=True, capture_output=True)
        for name, argv, stdin in invocations():
            done = subprocess.run(norms + argv + COMMON, cwd=folder, env=env, input=stdin, capture_output=True)
            (out / f"{name}.out").write_bytes(done.stdout)
            (out / f"{name}.err").write_bytes(done.stderr)
            (out / f"{name}.code").write_text(f"{done.returncode}\n")
    print(f"{len(invocations())} invocations written to {out}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the outputs")
    parser.add_argument("--checkout", type=Path, default=HERE, help="the norms checkout whose code runs (default: this one)")
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"outputs: {SHARED} is missing", file=sys.stderr)
        return 1
    return run_all(args.out, args.checkout.resolve())


if __name__ == "__main__":
    sys.exit(main())
