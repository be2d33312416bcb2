"""The heading unit: a document's own facts (symbol, title, adoption, committee report, agenda item, sponsors) as one citable paragraph."""

from __future__ import annotations

import re
from datetime import date

from assistant.records import Document, Paragraph

HEADING_LABEL = "heading"
HEADING_ROLE = "heading"
# "[on the report of the First Committee (A/73/505)]", "[without reference to a Main Committee (A/78/L.4)]"
_REPORT_OF = re.compile(r"^\[?\s*((?:on the report of|without reference to)\b(?:.*[^\]\s])?)\]?\s*$", re.I)  # greedy: linear
_COMMITTEE = re.compile(r"^(First|Second|Third|Fourth|Fifth|Sixth) Committee$|^Special Political and Decolonization Committee", re.I)
# "New York, 7–11 July 2025": where a meeting sat
_PLACE = re.compile(r"^([A-Z][a-z]+(?: [A-Z][a-z]+)?), (\d{1,2}(?:[–-]\d{1,2})? [A-Z][a-z]+ \d{4})$")
# "adopted by a recorded vote of 177 to 2, with 4 abstentions" ("by consensus" is left out: bodies
# say it of the reports they welcome, not of themselves)
_VOTE = re.compile(r"\badopted\b[^.;]{0,80}?\b(by a recorded vote of \d+ to \d+(?:,? with \d+ abstentions?)?)", re.I)


def masthead_facts(lines: list[str]) -> dict:
    """Facts of the masthead lines that the date and symbol readers leave out: report of, committee, place."""
    facts: dict = {}
    stripped = [s.strip() for s in lines if s.strip()]
    for n, s in enumerate(stripped):
        if s.startswith("[") and "report_of" not in facts:
            joined = s
            for more in stripped[n + 1 : n + 3]:  # a bracket can run over two lines in PDF text
                if joined.rstrip().endswith("]"):
                    break
                joined += " " + more
            m = _REPORT_OF.match(joined)
            if m:
                facts["report_of"] = " ".join(m.group(1).split()).rstrip("]").strip()
        elif _COMMITTEE.match(s) and "committee" not in facts:
            facts["committee"] = s
        elif _PLACE.match(s) and "place" not in facts:
            facts["place"] = s
    return facts


def long_date(iso: str | None) -> str:
    """2018-12-22 -> "22 December 2018" (the form UN texts print)."""
    if not iso:
        return ""
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%B')} {d.year}"


def heading_text(doc: Document) -> str:
    """The sentences of the heading unit, built only from what the document itself states, in its own words where
    it has them ("Resolution adopted by the General Assembly on 4 December 2023 [on the report of ...]")."""
    meta = doc.meta
    parts = []
    if meta.get("distributed"):  # the masthead's first lines as printed, so a quote of them finds the unit
        organ = " General Assembly" if doc.symbol.startswith("A/") else ""
        kind = f" {meta['distribution']}" if meta.get("distribution") else ""
        parts.append(f"United Nations {doc.symbol}{organ} Distr.:{kind} {long_date(meta['distributed'])}.")
    session = meta.get("session", "")
    agenda = f"agenda item {meta['agenda_item']}" if meta.get("agenda_item") else ""
    if session or agenda:  # next in the masthead: "Seventy-third session Agenda item 96"
        line = ", ".join(x for x in (session, agenda) if x).capitalize()
        parts.append(line + (f": {meta['agenda_title']}." if agenda and meta.get("agenda_title") else "."))
    if doc.kind == "resolution" or meta.get("adopted"):
        line = "Resolution adopted by the General Assembly"
        if meta.get("adopted"):
            line += f" on {long_date(meta['adopted'])}"
        if meta.get("report_of"):
            line += f" [{meta['report_of']}]"
        if meta.get("meeting"):
            line += f", at its {meta['meeting']}"
        parts.append(line + ".")
    elif doc.kind == "draft resolution":
        line = "Draft resolution"
        if meta.get("committee"):
            line += f" before the {meta['committee']}"
        if meta.get("submitted"):
            line += f"; {meta['submitted']}"
        parts.append(line + ".")
    elif meta.get("doc_type"):
        parts.append(f"{meta['doc_type']}.")
    if meta.get("sponsors"):
        parts.append(f"Sponsors: {meta['sponsors']}: draft resolution.")
    parts.append(f"{doc.symbol}: {doc.title}.")
    if meta.get("place"):
        parts.append(f"Meeting: {meta['place']}.")
    if doc.date and not meta.get("adopted") and not meta.get("distributed"):
        parts.append(f"Dated {long_date(doc.date)}.")
    vote = find_vote(doc.body)
    if vote:
        parts.append(f"Adopted {vote}.")
    return " ".join(parts)


def find_vote(body: list[str]) -> str:
    """The vote where the text states one ("by a recorded vote of 177 to 2, with 4 abstentions")."""
    text = " ".join(line for line in body[:2000] if line)
    m = _VOTE.search(text)
    return " ".join(m.group(1).split()) if m else ""


def heading_unit(doc: Document) -> list[Paragraph]:
    """The heading paragraph for the front of the document's paragraph list (none for an untitled text)."""
    if not doc.symbol:
        return []
    text = heading_text(doc)
    return [Paragraph(doc.symbol, HEADING_LABEL, text, 0, role=HEADING_ROLE, language=doc.language or "en")]
