"""Render a Briefing as Markdown, self-contained HTML, or JSON lines (the `ask --format json` objects)."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING

from assistant.records import Hit, cite
from assistant.present import answer_to_dict
from assistant.present import safe
from assistant.sanitize import one_line, strip_controls
from assistant.lineage.render import trace_to_dict

if TYPE_CHECKING:  # brief.py imports this module; the types are only needed for annotations
    from assistant.brief.briefing import Briefing, CorpusSummary, Outcome, Part

UNTITLED_PART = "Questions"
LINEAGE_SHOWN = 8  # other versions listed under a paragraph; the closest kept, `norms trace` shows them all
RELATION_RANK = {"identical": 0, "near-identical": 1, "related": 2}


# -- plain-text pieces shared by Markdown and HTML -----------------------------------------------

def generated_text(when: datetime) -> str:
    return f"Generated: {when.strftime('%Y-%m-%d %H:%M')}{when.strftime(' %z') if when.tzinfo else ''}"


def corpus_text(corpus: CorpusSummary) -> str:
    count = f"{corpus.documents} document{'s' if corpus.documents != 1 else ''}"
    if corpus.first_date:
        span = corpus.first_date if corpus.first_date == corpus.last_date else f"{corpus.first_date} to {corpus.last_date}"
        count += f", dated {span}"
    if corpus.undated:
        count += f" ({corpus.undated} undated)"
    return f"Corpus: {corpus.label} — {count}" if corpus.label else f"Corpus: {count}"


def scope_text(outcome: Outcome) -> str | None:
    """What the question was limited to, so a reader knows why other documents do not appear."""
    filters = outcome.question.filters
    parts = []
    if filters.docs:
        parts.append(", ".join(filters.docs))
    if filters.since or filters.until:
        parts.append(f"{filters.since or '…'} to {filters.until or '…'}")
    if filters.kinds:
        parts.append(", ".join(filters.kinds))
    return "Limited to: " + "; ".join(one_line(p) for p in parts) if parts else None


def also_in_text(hit: Hit, kinds: dict[str, str]) -> str | None:
    if not hit.also_in:
        return None
    cited = [cite(a.symbol, a.para, kinds.get(a.symbol, "")) + (f" ({a.date})" if a.date else "") for a in hit.also_in]
    return "also in " + ", ".join(one_line(c) for c in cited)


def lineage_lines(traced: Lineage | None) -> list[str]:
    """The "Lineage:" list under a cited paragraph: its other versions, oldest first, date — citation — relation."""
    if traced is None:
        return ["not available"]
    others = [link for link in traced.chain if not link.is_source]
    if not others:
        return ["no other version in the corpus"]
    closest = sorted(range(len(others)), key=lambda i: (RELATION_RANK.get(others[i].relation, 3),
                                                       -others[i].similarity, i))[:LINEAGE_SHOWN]
    lines = [f"{link.doc.date or 'undated'} — {one_line(link.citation())} — {link.relation}"
             for link in (others[i] for i in sorted(closest))]  # back in date order
    hidden = len(others) - len(closest) + traced.omitted
    return lines + ([f"and {hidden} more"] if hidden else [])


def heading_text(outcome: Outcome) -> str:
    return f"{outcome.number}. {one_line(outcome.text) or '(no question)'}"


def part_title(part: Part) -> str:
    return one_line(part.title) if part.title else UNTITLED_PART


# -- Markdown -------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")


def md_inline(text: str) -> str:
    """Escape what Markdown would turn into markup or raw HTML (document text is untrusted)."""
    return _MD_ENTITY.sub("&amp;", _MD_SPECIAL.sub(r"\\\1", text))


def md_line(text: str) -> str:
    """Inline escapes plus what would start a list, heading or rule at the beginning of a line."""
    text = md_inline(text.strip())
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return re.sub(r"^([-+=])", r"\\\1", text)


def github_slug(text: str, used: set[str]) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens, -1 for repeats."""
    base = "".join(c for c in text.lower()
                   if c.isalnum() or c in " -_" or unicodedata.category(c).startswith("M")).replace(" ", "-")
    slug, n = base, 0
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug)
    return slug


def render_markdown(briefing: Briefing, generated: datetime | None = None) -> str:
    briefing = safe(briefing)  # every document-derived string made safe here, once
    used: set[str] = set()
    github_slug(briefing.title, used)
    github_slug("Contents", used)
    # anchors are handed out in document order, as GitHub numbers repeated headings
    part_slugs = []
    outcome_slugs: dict[int, str] = {}
    for part in briefing.parts:
        part_slugs.append(github_slug(part_title(part), used))
        for outcome in part.outcomes:
            outcome_slugs[outcome.number] = github_slug(heading_text(outcome), used)
    references_slug = github_slug("References", used)

    out = [f"# {md_inline(one_line(briefing.title))}", ""]
    if generated:
        out += [generated_text(generated), ""]
    out += [md_line(corpus_text(briefing.corpus)), "", "## Contents", ""]
    for part, slug in zip(briefing.parts, part_slugs):
        out.append(f"- [{md_inline(part_title(part))}](#{slug})")
        out += [f"  - [{md_inline(heading_text(o))}](#{outcome_slugs[o.number]})" for o in part.outcomes]
    out += [f"- [References](#{references_slug})", ""]
    for part in briefing.parts:
        out += [f"## {md_inline(part_title(part))}", ""]
        for outcome in part.outcomes:
            out += _md_outcome(outcome, briefing.kinds)
    out += ["## References", ""]
    for ref in briefing.references:
        fields = [f"**{md_inline(one_line(ref.symbol))}**", md_inline(one_line(strip_controls(ref.title)))]
        fields += [ref.date or "undated"] + ([f"<{ref.url}>"] if ref.url else [])
        out.append("- " + " — ".join(f for f in fields if f))
    if not briefing.references:
        out.append("No documents cited.")
    return "\n".join(out) + "\n"


def _md_outcome(outcome: Outcome, kinds: dict[str, str]) -> list[str]:
    out = [f"### {md_inline(heading_text(outcome))}", ""]
    if outcome.error:
        return out + [f"**Not answered:** {md_inline(one_line(outcome.error))}", ""]
    scope = scope_text(outcome)
    if scope:
        out += [f"*{md_inline(scope)}*", ""]
    for notice in outcome.answer.notices:
        out += [f"*Note: {md_inline(one_line(notice))}*", ""]
    if not outcome.answer.results:
        out += ["No paragraphs found.", ""]
    for number, hit in enumerate(outcome.answer.results):
        lines = strip_controls(hit.text).strip().split("\n")
        out += ["> " + md_line(line) if line.strip() else ">" for line in lines]
        source = f"— **{md_inline(hit.citation())}**, {md_inline(one_line(strip_controls(hit.title)))}"
        source += f" ({hit.date})" if hit.date else ""
        source += " · *low confidence*" if hit.confidence == "low" else ""
        also = also_in_text(hit, kinds)
        out += ["", source + (f"; {md_inline(also)}" if also else ""), ""]
        if outcome.lineages:
            out += ["Lineage:", ""] + [f"- {md_inline(line)}" for line in lineage_lines(outcome.lineages[number])]
            out.append("")
    return out


# -- HTML -----------------------------------------------------------------------------------------

STYLE = """
body { font-family: Georgia, "Times New Roman", serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       line-height: 1.45; color: #1a1a1a; }
h1, h2, h3, nav, .meta, .source, .scope, .note, .failed { font-family: "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.7em; margin-bottom: .2em; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
h3 { font-size: 1.1em; margin-top: 1.6em; }
.meta { color: #555; margin: .2em 0; }
nav ul { list-style: none; padding-left: 1.2em; }
blockquote { margin: 1em 0 .3em; padding: .3em 1em; border-left: 4px solid #4a6fa5; background: #f4f6fa;
             white-space: pre-line; }
.source { margin: 0 0 1em; font-size: .9em; }
.scope, .note { font-style: italic; color: #444; }
.failed { color: #8a1c1c; }
.references li { margin-bottom: .4em; }
a { color: #24528a; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  nav { page-break-after: always; }
  a { color: inherit; text-decoration: none; }
  blockquote { background: none; border-left-color: #000; }
  blockquote, .source { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
}
""".strip("\n")


# Added only to --lineage briefings, so the others stay byte for byte as they were.
LINEAGE_STYLE = """
.lineage { font-family: "Helvetica Neue", Arial, sans-serif; font-size: .85em; color: #444; margin: 0 0 1em; }
p.lineage { margin-bottom: .2em; }
""".strip("\n")


def esc(text: str) -> str:
    return html.escape(strip_controls(text), quote=True)


def render_html(briefing: Briefing, generated: datetime | None = None) -> str:
    briefing = safe(briefing)  # every document-derived string made safe here, once
    title = esc(one_line(briefing.title))
    style = STYLE + ("\n" + LINEAGE_STYLE if briefing.with_lineage else "")
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           # no scripts, no fetches: even a missed escape could not run or load anything
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{title}</title>", "<style>", style, "</style>", "</head>", "<body>", "<header>",
           f"<h1>{title}</h1>"]
    if generated:
        out.append(f'<p class="meta">{esc(generated_text(generated))}</p>')
    out += [f'<p class="meta">{esc(corpus_text(briefing.corpus))}</p>', "</header>",
            '<nav id="contents">', "<h2>Contents</h2>", "<ul>"]
    for index, part in enumerate(briefing.parts, start=1):
        out.append(f'<li><a href="#s{index}">{esc(part_title(part))}</a>')
        if part.outcomes:
            out += ["<ul>"] + [f'<li><a href="#q{o.number}">{esc(heading_text(o))}</a></li>' for o in part.outcomes]
            out.append("</ul>")
        out.append("</li>")
    out += ['<li><a href="#references">References</a></li>', "</ul>", "</nav>", "<main>"]
    for index, part in enumerate(briefing.parts, start=1):
        out += [f'<section id="s{index}">', f"<h2>{esc(part_title(part))}</h2>"]
        for outcome in part.outcomes:
            out += _html_outcome(outcome, briefing.kinds)
        out.append("</section>")
    out += ["</main>", '<section id="references" class="references">', "<h2>References</h2>"]
    out.append("<ul>" if briefing.references else "<p>No documents cited.</p>")
    for ref in briefing.references:
        link = f' — <a href="{esc(ref.url)}">{esc(ref.url)}</a>' if ref.url else ""
        title_part = f" — {esc(one_line(ref.title))}" if ref.title.strip() else ""
        out.append(f"<li><strong>{esc(ref.symbol)}</strong>{title_part} — {esc(ref.date or 'undated')}{link}</li>")
    out += ["</ul>"] if briefing.references else []
    out += ["</section>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _html_outcome(outcome: Outcome, kinds: dict[str, str]) -> list[str]:
    out = [f'<article id="q{outcome.number}">', f"<h3>{esc(heading_text(outcome))}</h3>"]
    if outcome.error:
        return out + [f'<p class="failed"><strong>Not answered:</strong> {esc(one_line(outcome.error))}</p>',
                      "</article>"]
    scope = scope_text(outcome)
    out += [f'<p class="scope">{esc(scope)}</p>'] if scope else []
    out += [f'<p class="note">Note: {esc(one_line(n))}</p>' for n in outcome.answer.notices]
    if not outcome.answer.results:
        out.append("<p>No paragraphs found.</p>")
    for number, hit in enumerate(outcome.answer.results):
        source = f"— <cite>{esc(hit.citation())}</cite>, {esc(one_line(hit.title))}"
        source += f" ({esc(hit.date)})" if hit.date else ""
        source += ' · <em class="low">low confidence</em>' if hit.confidence == "low" else ""
        also = also_in_text(hit, kinds)
        source += f"; {esc(also)}" if also else ""
        out += [f"<blockquote>{esc(hit.text.strip())}</blockquote>", f'<p class="source">{source}</p>']
        if outcome.lineages:
            out += ['<p class="lineage">Lineage:</p>', '<ul class="lineage">']
            out += [f"<li>{esc(line)}</li>" for line in lineage_lines(outcome.lineages[number])] + ["</ul>"]
    out.append("</article>")
    return out


# -- JSON lines -----------------------------------------------------------------------------------

def render_jsonl(briefing: Briefing) -> str:
    """One `ask --format json` object per question; a failed one is {"question", "error"}.

    With --lineage, each result also has "lineage": the `norms trace --format json` object, or null.
    """
    briefing = safe(briefing)  # every document-derived string made safe here, once
    lines = []
    for outcome in briefing.outcomes:
        if outcome.answer is not None:
            data = answer_to_dict(outcome.answer)
            if briefing.with_lineage:
                for result, lineage in zip(data["results"], outcome.lineages):
                    result["lineage"] = trace_to_dict(lineage) if lineage is not None else None
        else:
            data = {"question": one_line(outcome.text), "error": one_line(outcome.error or "")}
        lines.append(json.dumps(data, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)
