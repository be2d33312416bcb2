"""Turn answers and documents into text, Markdown and JSON for people and programs."""

from __future__ import annotations

from dataclasses import asdict, fields, is_dataclass, replace

from assistant.records import Answer, DocInfo, Hit
from assistant.sanitize import strip_controls


def safe(value, _seen: dict | None = None):
    """`value` with every string in it (dataclass fields, lists, dicts) stripped of escapes and bidi controls.

    The one place document-derived text is made safe for a terminal, Markdown or HTML: every renderer here,
    in lineage/render.py and in brief/render.py passes its record through this first. A record met twice
    (a trace link's `previous`) is copied once.
    """
    seen = {} if _seen is None else _seen
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list):
        return [safe(v, seen) for v in value]
    if isinstance(value, tuple):
        return tuple(safe(v, seen) for v in value)
    if isinstance(value, dict):
        return {safe(k, seen): safe(v, seen) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        if id(value) not in seen:
            seen[id(value)] = (value, replace(value, **{f.name: safe(getattr(value, f.name), seen)
                                                        for f in fields(value) if f.init}))
        return seen[id(value)][1]
    return value


def hit_to_dict(hit: Hit) -> dict:
    data = asdict(safe(hit))
    data["score"] = round(float(hit.score), 4)
    data["citation"] = strip_controls(hit.citation())  # the form `norms show` reads back
    return data


def answer_to_dict(answer: Answer) -> dict:
    """The `ask --format json` object: question, results, then request echo and notices."""
    answer = safe(answer)
    return {
        "question": answer.question,
        "results": [hit_to_dict(h) for h in answer.results],
        "request": answer.request,
        "notices": answer.notices,
        "confidence": answer.confidence,
    }


def docinfo_to_dict(doc: DocInfo) -> dict:
    """One `docs --format json` line."""
    d = safe(doc)
    return {"symbol": d.symbol, "date": d.date, "kind": d.kind, "title": d.title, "language": d.language,
            "paragraphs": d.paragraphs, "path": d.path}


def document_line(doc: DocInfo) -> str:
    """One `docs` row: symbol, date, kind, paragraph count, title cut to fit."""
    d = safe(doc)
    return f"{d.symbol:<28} {d.date or 'undated':<10}  {d.kind:<20} {d.paragraphs:>5}  {cut_at_word(d.title, 60)}"


def cut_at_word(text: str, width: int) -> str:
    """Text of at most `width` characters, cut after a whole word and marked with "…" when it was longer."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0] if " " in text[:width] else text[: width - 1]
    return cut.rstrip(" ,;:") + "…"


def documents_summary(docs: list[DocInfo]) -> str:
    return f"{len(docs)} documents, {sum(d.paragraphs for d in docs)} paragraphs (footnotes not counted)"


def _wrap(text: str, width: int, indent: str) -> str:
    import textwrap

    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent,
                         break_long_words=True, break_on_hyphens=False)


def _emphasise(text: str, spans: list[list[int]]) -> str:
    """Bold the highlighted sentences with plain ANSI (only used when stdout is a terminal)."""
    out, pos = [], 0
    for start, end in sorted(spans):
        out += [text[pos:start], "\x1b[1m", text[start:end], "\x1b[22m"]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def answer_to_text(answer: Answer, width: int = 80, color: bool = False) -> str:
    """Readable in an 80-column terminal: citation line, title line, wrapped paragraph, also-in."""
    answer = safe(answer)
    lines = [f"Q: {strip_controls(answer.question)}"]
    lines += [f"note: {n}" for n in answer.notices]
    if not answer.results:
        lines.append("No paragraphs found.")
    for hit in answer.results:
        meta = " · ".join(x for x in (hit.date or "undated", hit.kind, f"score {hit.score:.2f}") if x)
        lines.append("")
        lines.append(f"{hit.rank}. {strip_controls(hit.citation())}  ({meta})")
        lines.append(_wrap(strip_controls(hit.title), width, "   "))
        if hit.confidence == "low":
            lines.append("   [low confidence: the nearest text, not a close answer]")
        if hit.language not in ("en", "und"):
            lines.append(f"   [{hit.language}: matched by keywords; the English model is not reliable here]")
        body = _wrap(strip_controls(hit.text), width, "   ")
        if color and hit.highlights:
            # wrap first, then emphasise the same characters in the wrapped text
            body = _emphasise_wrapped(hit.text, body, hit.highlights)
        lines.append(body)
        if hit.also_in:
            also = ", ".join(f"{a.symbol} {a.para}" for a in hit.also_in)
            lines.append(_wrap(f"also in: {also}", width, "   "))
        if hit.similar_in:
            similar = ", ".join(f"{a.symbol} {a.para}" for a in hit.similar_in)
            lines.append(_wrap(f"similar in (differs by a phrase; `norms trace` shows how): {similar}", width, "   "))
    return "\n".join(lines) + "\n"


def _emphasise_wrapped(original: str, wrapped: str, spans: list[list[int]]) -> str:
    """Map highlight offsets of the original text onto its wrapped form (whitespace differs only)."""
    marks = [False] * len(original)
    for start, end in spans:
        for i in range(max(0, start), min(end, len(original))):
            marks[i] = True
    out, i, on = [], 0, False
    clean = strip_controls(original)
    for ch in wrapped:
        if ch.isspace():
            out.append(ch)
            continue
        while i < len(clean) and clean[i].isspace():
            i += 1
        mark = i < len(marks) and marks[i]
        if mark != on:
            out.append("\x1b[1m" if mark else "\x1b[22m")
            on = mark
        out.append(ch)
        i += 1
    if on:
        out.append("\x1b[22m")
    return "".join(out)


def answer_to_markdown(answer: Answer) -> str:
    answer = safe(answer)
    lines = [f"## {strip_controls(answer.question)}", ""]
    lines += [f"*Note: {n}*\n" for n in answer.notices]
    if not answer.results:
        lines.append("No paragraphs found.\n")
    for hit in answer.results:
        text = strip_controls(hit.text)
        lines.append(f"**{hit.rank}. {strip_controls(hit.citation())}** — {strip_controls(hit.title)}"
                     f"{' (' + hit.date + ')' if hit.date else ''}{' · *low confidence*' if hit.confidence == 'low' else ''}")
        lines.append("")
        lines.append("> " + text)
        if hit.also_in:
            lines.append("")
            lines.append("Also in: " + ", ".join(f"{a.symbol} {a.para}" for a in hit.also_in))
        if hit.similar_in:
            lines.append("")
            lines.append("Similar in (differs by a phrase): " + ", ".join(f"{a.symbol} {a.para}" for a in hit.similar_in))
        lines.append("")
    return "\n".join(lines)


def document_to_text(info, paragraphs, width: int = 80) -> str:
    info, paragraphs = safe(info), safe(paragraphs)
    lines = [f"{info.symbol} · {info.date or 'undated'} · {info.kind}", _wrap(strip_controls(info.title), width, ""), ""]
    section = ""
    for p in paragraphs:
        if p.section and p.section != section:
            section = p.section
            lines += [f"  [{strip_controls(section)}]", ""]
        lines.append(f"{strip_controls(p.para)}" + (f" (p. {p.page})" if p.page else ""))
        lines.append(_wrap(strip_controls(p.text), width, "   "))
        lines.append("")
    return "\n".join(lines)


def document_to_dict(info, paragraphs) -> dict:
    info, paragraphs = safe(info), safe(paragraphs)
    return {"symbol": info.symbol, "title": strip_controls(info.title), "date": info.date, "kind": info.kind,
            "paragraphs": [{"para": p.para, "text": strip_controls(p.text), "page": p.page,
                            "speaker": strip_controls(p.speaker)} for p in paragraphs]}
