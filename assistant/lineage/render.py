"""Text, Markdown and JSON for `norms trace` and `norms compare`: diffs as colour, [-x-]{+y+}, ~~x~~ **y**."""

from __future__ import annotations

import re

from assistant.lineage.compare import CHANGED, ONLY_A, ONLY_B, UNCHANGED, AlignedPair, Comparison
from assistant.lineage.trace import IDENTICAL, NEAR_IDENTICAL, RELATED, Lineage, Link
from assistant.records import DocInfo, cite
from assistant.present import safe
from assistant.sanitize import one_line, strip_controls
from assistant.lineage.worddiff import DELETE, EQUAL, INSERT, DiffOp, counts

RED, GREEN, RESET = "\x1b[31m", "\x1b[32m", "\x1b[39m"
PLAIN_MARKS = {DELETE: ("[-", "-]"), INSERT: ("{+", "+}"), EQUAL: ("", "")}
MD_MARKS = {DELETE: ("~~", "~~"), INSERT: ("**", "**"), EQUAL: ("", "")}
_MD_SPECIAL = re.compile(r"([\\`*_~\[\]<>|#])")


# -- diffs -------------------------------------------------------------------------------------------
def diff_text(ops: list[DiffOp], width: int = 80, indent: str = "    ", color: bool = False) -> str:
    """A wrapped word diff: ANSI red/green when color, else [-removed-]{+added+} (safe to pipe)."""
    styled: list[tuple[str, str]] = []  # (printed word, colour code or "")
    for op in ops:
        pieces = strip_controls(op.text).split()
        if not color:
            opening, closing = PLAIN_MARKS[op.op]
            pieces = [(opening if k == 0 else "") + w + (closing if k == len(pieces) - 1 else "")
                      for k, w in enumerate(pieces)]
        code = {DELETE: RED, INSERT: GREEN}.get(op.op, "") if color else ""
        styled += [(w, code) for w in pieces]
    lines, line, used = [], [], len(indent)
    for word, code in styled:  # wrap on visible width; colour each word so no line leaks colour
        if line and used + 1 + len(word) > width:
            lines.append(indent + " ".join(line))
            line, used = [], len(indent)
        line.append(f"{code}{word}{RESET}" if code else word)
        used += len(word) + (1 if len(line) > 1 else 0)
    if line:
        lines.append(indent + " ".join(line))
    return "\n".join(lines)


def diff_markdown(ops: list[DiffOp]) -> str:
    """~~removed~~ **added**, with Markdown characters in the document text escaped."""
    out = []
    for op in ops:
        text = _md(op.text)
        if text:
            opening, closing = MD_MARKS[op.op]
            out.append(f"{opening}{text}{closing}")
    return " ".join(out)


def diff_json(ops: list[DiffOp]) -> list[dict]:
    return [{"op": op.op, "text": strip_controls(op.text)} for op in ops]


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def _changed(ops: list[DiffOp]) -> bool:
    return any(op.op != EQUAL for op in ops)


# -- trace ---------------------------------------------------------------------------------------------
def _tally(lineage: Lineage) -> str:
    found = [link for link in lineage.chain if not link.is_source]
    parts = [f"{sum(link.relation == r for link in found)} {r}" for r in (IDENTICAL, NEAR_IDENTICAL, RELATED)]
    more = f"; {lineage.omitted} more left out" if lineage.omitted else ""
    return f"{len(found)} other paragraph{'s' if len(found) != 1 else ''}: {', '.join(parts)}{more}"


def _label(link: Link) -> str:
    return one_line(link.citation())


def trace_to_text(lineage: Lineage, width: int = 80, color: bool = False) -> str:
    lineage = safe(lineage)  # every document-derived string made safe here, once
    src = lineage.source
    quoted = one_line(src.text)
    quoted = quoted if len(quoted) <= 60 else quoted[:59] + "…"
    lines = [f"Trace of {one_line(src.citation())}" + ("" if src.symbol else f": {quoted}"), _tally(lineage)]
    for link in lineage.chain:
        mark = "  [source]" if link.is_source else ""
        lines += ["", f"{link.doc.date or 'undated'}  {_label(link)}{mark}",
                  f"    {link.relation} · similarity {link.similarity:.2f} · cosine {link.cosine:.2f}"]
        if link.previous is None:
            lines.append(diff_text(link.diff, width, color=color))
        elif not _changed(link.diff):
            lines.append(f"    same words as {one_line(link.previous.citation())}")
        else:
            added, removed = counts(link.diff)
            lines.append(f"    against {one_line(link.previous.citation())}: "
                         f"+{added} / -{removed} words")
            lines.append(diff_text(link.diff, width, color=color))
    return "\n".join(lines) + "\n"


def trace_to_markdown(lineage: Lineage) -> str:
    lineage = safe(lineage)  # every document-derived string made safe here, once
    src = lineage.source
    lines = [f"## Trace of {_md(src.citation())}", "", f"> {_md(src.text)}", "", f"*{_tally(lineage)}*", "",
             "| Date | Paragraph | Relation | Similarity |", "| --- | --- | --- | --- |"]
    for link in lineage.chain:
        source = " (source)" if link.is_source else ""
        lines.append(f"| {link.doc.date or 'undated'} | {_md(_label(link))}{source} | {link.relation} | "
                     f"{link.similarity:.2f} |")
    for link in lineage.chain:
        source = " (source)" if link.is_source else ""
        lines += ["", f"### {link.doc.date or 'undated'} — {_md(_label(link))}{source}", ""]
        if link.previous is not None:
            against = _md(link.previous.citation())
            lines += [f"*{'Same words as' if not _changed(link.diff) else 'Changes against'} {against}*", ""]
        lines.append(diff_markdown(link.diff))
    return "\n".join(lines) + "\n"


def trace_to_dict(lineage: Lineage) -> dict:
    """{"source": {...}, "omitted": n, "chain": [{symbol, para, citation, date, relation, similarity, ...}]}."""
    lineage = safe(lineage)  # every document-derived string made safe here, once
    src = lineage.source
    return {
        "source": {"symbol": src.symbol, "para": src.para, "citation": src.citation() if src.symbol else None,
                   "date": src.date, "text": strip_controls(src.text)},
        "omitted": lineage.omitted,
        "chain": [{
            "symbol": link.paragraph.symbol, "para": link.paragraph.para, "citation": link.citation(),
            "date": link.doc.date, "kind": link.doc.kind, "relation": link.relation,
            "similarity": link.similarity, "cosine": link.cosine, "source": link.is_source,
            "text": strip_controls(link.text),
            "previous": None if link.previous is None else {
                "symbol": link.previous.paragraph.symbol, "para": link.previous.paragraph.para,
                "citation": link.previous.citation()},
            "diff": diff_json(link.diff),
        } for link in lineage.chain],
    }


# -- compare ---------------------------------------------------------------------------------------------
def _doc_line(doc: DocInfo) -> str:
    return f"{one_line(doc.symbol)} ({doc.date or 'undated'}, {doc.kind})"


def _summary_line(comparison: Comparison) -> str:
    s = comparison.summary()
    return (f"{s[UNCHANGED]} unchanged · {s[CHANGED]} changed · {s[ONLY_A]} only in {one_line(comparison.a.symbol)}"
            f" · {s[ONLY_B]} only in {one_line(comparison.b.symbol)}")


def _runs(pairs: list[AlignedPair]):
    """Consecutive unchanged pairs as one run; every other pair on its own."""
    run: list[AlignedPair] = []
    for pair in pairs:
        if pair.status == UNCHANGED:
            run.append(pair)
            continue
        if run:
            yield run
            run = []
        yield [pair]
    if run:
        yield run


def _span(labels: list[str]) -> str:
    """"PP1–PP15", "3–6", but "PP12 … OP 6" when a run crosses from preamble to operative part
    (a bare "6" after "PP12 …" would read as PP6)."""
    first, last = one_line(labels[0]), one_line(labels[-1])
    if len(labels) == 1:
        return first
    same_kind = re.match(r"\D*", first).group() == re.match(r"\D*", last).group()
    if same_kind:
        return f"{first}–{last}"
    return f"{_operative_named(first)} … {_operative_named(last)}"


def _operative_named(label: str) -> str:
    return f"OP {label}" if label[:1].isdigit() else label


def compare_to_text(comparison: Comparison, width: int = 80, color: bool = False) -> str:
    comparison = safe(comparison)  # every document-derived string made safe here, once
    a, b = one_line(comparison.a.symbol), one_line(comparison.b.symbol)
    lines = [f"{_doc_line(comparison.a)} → {_doc_line(comparison.b)}", _summary_line(comparison)]
    for run in _runs(comparison.pairs):
        pair = run[0]
        if pair.status == UNCHANGED:
            lines.append(f"  = {_span([p.a.para for p in run])} → {_span([p.b.para for p in run])}  unchanged"
                         + (f" ({len(run)})" if len(run) > 1 else ""))
        elif pair.status == CHANGED:
            added, removed = counts(pair.diff)
            lines += [f"  ~ {one_line(pair.a.para)} → {one_line(pair.b.para)}  changed, similarity "
                      f"{pair.similarity:.2f} (+{added} / -{removed} words)",
                      diff_text(pair.diff, width, indent="      ", color=color)]
        else:
            sign, label, where = ("-", pair.a.para, a) if pair.status == ONLY_A else ("+", pair.b.para, b)
            moved = f" (resembles {b if pair.status == ONLY_A else a} {one_line(pair.moved)})" if pair.moved else ""
            lines += [f"  {sign} {one_line(label)}  only in {where}{moved}",
                      diff_text(pair.diff, width, indent="      ", color=color)]
    return "\n".join(lines) + "\n"


def compare_to_markdown(comparison: Comparison) -> str:
    comparison = safe(comparison)  # every document-derived string made safe here, once
    s = comparison.summary()
    a, b = _md(comparison.a.symbol), _md(comparison.b.symbol)
    lines = [f"## {a} → {b}", "", f"| unchanged | changed | only in {a} | only in {b} |", "| --- | --- | --- | --- |",
             f"| {s[UNCHANGED]} | {s[CHANGED]} | {s[ONLY_A]} | {s[ONLY_B]} |"]
    for run in _runs(comparison.pairs):
        pair = run[0]
        if pair.status == UNCHANGED:
            spans = _md(_span([p.a.para for p in run])), _md(_span([p.b.para for p in run]))
            lines += ["", f"*Unchanged: {spans[0]} → {spans[1]}*"]
            continue
        if pair.status == CHANGED:
            head = f"{_md(pair.a.para)} → {_md(pair.b.para)} (changed, similarity {pair.similarity:.2f})"
        elif pair.status == ONLY_A:
            head = f"{_md(pair.a.para)} — only in {a}"
        else:
            head = f"{_md(pair.b.para)} — only in {b}"
        if pair.moved:
            head += f" (resembles {b if pair.status == ONLY_A else a} {_md(pair.moved)})"
        lines += ["", f"### {head}", "", diff_markdown(pair.diff)]
    return "\n".join(lines) + "\n"


def compare_to_dict(comparison: Comparison) -> dict:
    """{"a": doc, "b": doc, "summary": {unchanged, changed, only_a, only_b}, "pairs": [...]}."""
    comparison = safe(comparison)  # every document-derived string made safe here, once
    def doc(info: DocInfo) -> dict:
        return {"symbol": info.symbol, "title": strip_controls(info.title), "date": info.date, "kind": info.kind}

    def side(p, info: DocInfo) -> tuple:
        return (None, None, None) if p is None else (p.para, cite(p.symbol, p.para, info.kind), strip_controls(p.text))

    pairs = []
    for pair in comparison.pairs:
        a_para, a_cite, a_text = side(pair.a, comparison.a)
        b_para, b_cite, b_text = side(pair.b, comparison.b)
        pairs.append({"status": pair.status, "a_para": a_para, "b_para": b_para, "a_citation": a_cite,
                      "b_citation": b_cite, "similarity": pair.similarity, "moved": pair.moved,
                      "a_text": a_text, "b_text": b_text, "diff": diff_json(pair.diff)})
    return {"a": doc(comparison.a), "b": doc(comparison.b), "summary": comparison.summary(), "pairs": pairs}
