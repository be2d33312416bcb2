"""Write the chat's conversation to a Markdown file with a citation for every quoted paragraph."""

from __future__ import annotations

from pathlib import Path

from assistant.fsio import atomic_write

from assistant.records import cite
from assistant.sanitize import one_line, strip_controls
from assistant.tui.conversation import Turn
from assistant.tui.filtering import describe_filters

EXPORT_STEM = "norms-chat"


def conversation_to_markdown(turns: list[Turn]) -> str:
    """Each question as a heading, how it was understood, then its cited paragraphs as quotes."""
    lines = ["# norms conversation", ""]
    for number, turn in enumerate(turns, 1):
        lines += [f"## {number}. {one_line(turn.asked)}", ""]
        if turn.explanation:
            lines += [f"*Understood as: {one_line(turn.explanation)}*", ""]
        described = describe_filters(turn.filters)
        if described:
            lines += [f"*Filters: {described}*", ""]
        answer = turn.answer
        if answer is None or not answer.results:
            lines += [f"*{one_line(turn.message) or 'No paragraphs found.'}*", ""]
            continue
        lines += [f"*Note: {one_line(n)}*" for n in answer.notices]
        for hit in answer.results:
            dated = f" ({hit.date})" if hit.date else ""
            lines.append(f"**{hit.rank}. {hit.citation()}** — {one_line(hit.title)}{dated}")
            lines.append("")
            # Every line of the paragraph stays inside the quote, so the citation covers all of it.
            lines += ["> " + line if line else ">" for line in strip_controls(hit.text).splitlines() or [""]]
            if hit.also_in:
                also = "; ".join(cite(a.symbol, a.para) for a in hit.also_in)
                lines += ["", f"Also in: {also}"]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def free_export_path(export_dir: Path, stem: str = EXPORT_STEM) -> Path:
    """`norms-chat.md`, or `norms-chat-2.md`, ... : never overwrite an earlier export, never use the clock."""
    candidate = export_dir / f"{stem}.md"
    number = 2
    while candidate.exists():
        candidate = export_dir / f"{stem}-{number}.md"
        number += 1
    return candidate


def write_export(turns: list[Turn], export_dir: Path) -> Path:
    """Write the conversation and return where; OSError propagates for the caller to report."""
    export_dir.mkdir(parents=True, exist_ok=True)
    path = free_export_path(export_dir)
    atomic_write(path, conversation_to_markdown(turns))
    return path
