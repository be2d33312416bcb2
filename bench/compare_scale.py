"""How `compare` scales: seconds and peak memory to align two long documents, paragraph lists made from real text.

    python bench/compare_scale.py [PARAGRAPHS ...]     # default 2700 10000 90000

Paragraphs are the non-empty blocks of ../shared/corpus/unga-78-80 (real UNGA resolution text, full of the
repeated formulae that make alignment hard), cut to the size asked. Two runs per size: the list against itself
(`compare X X`) and against a revision (every 7th paragraph reworded, every 11th dropped, a few added).
With --reference, the old all-pairs table is timed too at sizes up to 3,000 paragraphs.
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import time
from pathlib import Path

from assistant.lineage.compare import align, align_by_table, compare_paragraphs
from assistant.records import DocInfo, Paragraph

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "unga-78-80"


def paragraphs(count: int) -> list[str]:
    texts: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        for block in re.split(r"\n[ \t]*\n", path.read_text(encoding="utf-8", errors="replace")):
            block = " ".join(block.split())
            if len(block) > 40:
                texts.append(block)
                if len(texts) == count:
                    return texts
    return texts


def revision(texts: list[str]) -> list[str]:
    out = []
    for n, text in enumerate(texts):
        if n % 11 == 5:
            continue
        out.append(text.replace(" the ", " all the ", 1) if n % 7 == 3 else text)
        if n % 97 == 50:
            out.append("Decides to remain seized of the matter and to consider it at its next session.")
    return out


def as_rows(symbol: str, texts: list[str]) -> tuple[DocInfo, list[Paragraph]]:
    return (DocInfo(symbol, symbol, "2024-01-01", "resolution", "en", ""),
            [Paragraph(symbol, str(n + 1), t, n, role="operative") for n, t in enumerate(texts)])


def timed(a: list[str], b: list[str]) -> tuple[float, int]:
    info_a, rows_a = as_rows("A/1", a)
    info_b, rows_b = as_rows("A/2", b)
    started = time.perf_counter()
    result = compare_paragraphs(info_a, rows_a, info_b, rows_b)
    return time.perf_counter() - started, len(result.pairs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[2700, 10000, 90000])
    parser.add_argument("--reference", action="store_true", help="also time the full-table alignment (small sizes)")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"compare_scale: {CORPUS} is missing", file=sys.stderr)
        return 1
    for size in args.sizes:
        texts = paragraphs(size)
        for name, other in (("X X", texts), ("X revised", revision(texts))):
            seconds, rows = timed(texts, other)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{len(texts):>6} paragraphs  {name:<10} {seconds:7.2f} s  {rows} rows  peak RSS {peak:.0f} MB",
                  flush=True)
        if args.reference and size <= 3000:
            from assistant.lineage.compare import similarity_table
            from assistant.lineage.worddiff import words

            wa, wb = [words(t) for t in texts], [words(t) for t in revision(texts)]
            sims, _ = similarity_table(wa, wb)
            started = time.perf_counter()
            sparse = align(len(wa), len(wb), sims)
            middle = time.perf_counter()
            full = align_by_table(len(wa), len(wb), sims)
            ended = time.perf_counter()
            print(f"{len(texts):>6} paragraphs  align: sparse {middle - started:.3f} s, full table "
                  f"{ended - middle:.2f} s, same result: {sparse == full}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
