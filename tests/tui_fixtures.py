"""A fake in-memory Engine over a small UN cyber-norms corpus, deterministic, for the chat's tests."""

from __future__ import annotations

import math
import re
import threading
from dataclasses import replace
from pathlib import Path

from assistant.errors import NormsError
from assistant.records import AlsoIn, Answer, DocInfo, Filters, Hit, Paragraph, cite

DOCS = [
    DocInfo("A/C.1/73/L.37", "Advancing responsible State behaviour in cyberspace in the context of international "
            "security", "2018-10-18", "draft resolution", "en", "corpus/A_C.1_73_L.37.md"),
    DocInfo("PARIS-CALL-2018", "Paris Call for Trust and Security in Cyberspace", "2018-11-12", "other", "en",
            "corpus/paris-call.md"),
    DocInfo("A/RES/73/27", "Developments in the field of information and telecommunications in the context of "
            "international security", "2018-12-05", "resolution", "en", "corpus/A_RES_73_27.md"),
    DocInfo("A/76/135", "Report of the Group of Governmental Experts on Advancing Responsible State Behaviour in "
            "Cyberspace in the Context of International Security", "2021-07-14", "report", "en",
            "corpus/A_76_135.md"),
]


def _p(symbol: str, para: str, text: str, order: int, kind: str, **extra) -> Paragraph:
    return Paragraph(symbol, para, text, order, kind, **extra)


PARAGRAPHS = [
    _p("A/RES/73/27", "PP3", "Noting that considerable progress has been achieved in developing and applying the "
       "latest information technologies and means of telecommunication,", 3, "preambular"),
    _p("A/RES/73/27", "1.6", "States should not conduct or knowingly support ICT activity contrary to their "
       "obligations under international law that intentionally damages critical infrastructure or otherwise "
       "impairs the use and operation of critical infrastructure to provide services to the public.", 16, "sub",
       parent="1"),
    _p("A/RES/73/27", "1.8", "States should respond to appropriate requests for assistance by another State whose "
       "critical infrastructure is subject to malicious ICT acts. States should also respond to appropriate "
       "requests to mitigate malicious ICT activity aimed at the critical infrastructure of another State "
       "emanating from their territory, taking into account due regard for sovereignty.", 18, "sub", parent="1"),
    _p("A/RES/73/27", "1.12", "States should not conduct or knowingly support activity to harm the information "
       "systems of the authorized emergency response teams of another State. A State should not use authorized "
       "emergency response teams to engage in malicious international activity.", 22, "sub", parent="1"),
    _p("A/C.1/73/L.37", "PP1", "Recalling its resolutions 53/70 of 4 December 1998, 54/49 of 1 December 1999 and "
       "71/28 of 5 December 2016, as well as its decision 72/512 of 4 December 2017,", 1, "preambular"),
    _p("A/C.1/73/L.37", "1(a)", "To be guided in their use of information and communications technologies by "
       "the 2010, 2013 and 2015 reports of the Group of Governmental Experts on Developments in the Field of "
       "Information and Telecommunications in the Context of International Security;", 20, "sub", parent="1",
       footnotes=["fn1"]),
    _p("A/C.1/73/L.37", "3", "Requests the Secretary-General, with the assistance of a group of governmental "
       "experts, to continue to study possible cooperative measures to address existing and potential threats in "
       "the sphere of information security, including norms, rules and principles of responsible behaviour of "
       "States.", 23, "operative"),
    _p("A/C.1/73/L.37", "fn1", "A/65/201.", 30, "footnote", cited_by=["1(a)"]),
    _p("PARIS-CALL-2018", "¶7", "Prevent and recover from malicious cyber activities that threaten or cause "
       "significant, indiscriminate or systemic harm to individuals and critical infrastructure.", 7, "plain"),
    _p("A/76/135", "42", "Norm 13 (f): A State should not conduct or knowingly support ICT activity contrary to "
       "its obligations under international law that intentionally damages critical infrastructure or otherwise "
       "impairs the use and operation of critical infrastructure to provide services to the public.", 42, "plain"),
    _p("A/76/135", "43", "Each State determines which infrastructures or sectors it deems critical within its "
       "jurisdiction, in accordance with national priorities and methods of categorization of critical "
       "infrastructure.", 43, "plain"),
]

# Near-identical paragraphs the engine folds into one hit with `also_in` (the real one does it by cosine).
DUPLICATES = [{("A/RES/73/27", "1.6"), ("A/76/135", "42")}]

# The one later version the fake `lineage` knows: the 2021 GGE report restating norm 13 (f) of 73/27, as
# (symbol, para) -> (symbol, para, relation, word diff against the earlier text).
LATER_VERSIONS = {
    ("A/RES/73/27", "1.6"): ("A/76/135", "42", "near-identical", [
        ("insert", "Norm 13 (f): A"), ("delete", "States"),
        ("equal", "should not conduct or knowingly support ICT activity contrary to"),
        ("delete", "their"), ("insert", "its"),
        ("equal", "obligations under international law that intentionally damages critical infrastructure or "
                  "otherwise impairs the use and operation of critical infrastructure to provide services to "
                  "the public."),
    ]),
}

STOPWORDS = {"the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "by", "with", "what", "which", "who",
             "do", "does", "did", "is", "are", "was", "were", "be", "say", "says", "about", "their", "its", "it",
             "that", "this", "how", "should", "not", "any", "there", "anything"}


def words(text: str) -> list[str]:
    stems = []
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if word in STOPWORDS:
            continue
        stems.append(word[:-1] if len(word) > 3 and word.endswith("s") else word)
    return stems


class FakeEngine:
    """Implements the `Engine` protocol with word overlap; `fail` raises NormsError from `ask`,
    and a question containing `gate_word` waits for `gate` to be set (to test stale answers)."""

    def __init__(self, extra: list[Paragraph] | None = None, extra_docs: list[DocInfo] | None = None,
                 fail: str | None = None, gate: threading.Event | None = None, gate_word: str = "slowly"):
        docs = [replace(d) for d in DOCS + list(extra_docs or [])]  # copies: counts below differ per engine
        self.docs = sorted(docs, key=lambda d: (d.date or "", d.symbol))
        self.rows = PARAGRAPHS + list(extra or [])
        for doc in self.docs:
            doc.paragraphs = sum(1 for p in self.rows if p.symbol == doc.symbol)
        self.fail, self.gate, self.gate_word = fail, gate, gate_word
        self.asked: list[tuple[str, Filters]] = []

    def documents(self) -> list[DocInfo]:
        return list(self.docs)

    def paragraphs(self, symbol: str) -> list[Paragraph]:
        doc = self._doc(symbol)
        return sorted((p for p in self.rows if p.symbol == doc.symbol), key=lambda p: p.order)

    def lineage(self, symbol: str, para: str) -> dict:
        """A fixed lineage in the `trace_to_dict` shape: the paragraph, plus its LATER_VERSIONS entry if any."""
        source = self._paragraph(symbol, para)
        chain = [self._link(source, "identical", None, [("equal", source.text)])]
        if (source.symbol, source.para) in LATER_VERSIONS:
            later, later_para, relation, ops = LATER_VERSIONS[(source.symbol, source.para)]
            chain.append(self._link(self._paragraph(later, later_para), relation, chain[0], ops))
        first = chain[0]
        return {"source": {"symbol": first["symbol"], "para": first["para"], "citation": first["citation"],
                           "date": first["date"], "text": first["text"]},
                "omitted": 0, "chain": chain}

    def _paragraph(self, symbol: str, para: str) -> Paragraph:
        doc = self._doc(symbol)
        for p in self.rows:
            if p.symbol == doc.symbol and p.para == para:
                return p
        raise NormsError(f"{doc.symbol} has no paragraph {para!r}")

    def _link(self, p: Paragraph, relation: str, previous: dict | None, ops: list[tuple[str, str]]) -> dict:
        doc = self._doc(p.symbol)
        return {"symbol": p.symbol, "para": p.para, "citation": cite(p.symbol, p.para, doc.kind), "date": doc.date,
                "kind": doc.kind, "relation": relation, "similarity": 1.0 if previous is None else 0.9,
                "cosine": 1.0 if previous is None else 0.97, "source": previous is None, "text": p.text,
                "previous": None if previous is None else {k: previous[k] for k in ("symbol", "para", "citation")},
                "diff": [{"op": op, "text": text} for op, text in ops]}

    def _doc(self, symbol: str) -> DocInfo:
        for doc in self.docs:
            if doc.symbol.upper() == symbol.strip().upper():
                return doc
        raise NormsError(f"unknown document: {symbol}")

    def ask(self, question: str, k: int = 5, filters: Filters | None = None) -> Answer:
        filters = filters or Filters()
        self.asked.append((question, filters))
        if self.gate is not None and self.gate_word in question:
            self.gate.wait(timeout=10)
        if self.fail:
            raise NormsError(self.fail)
        allowed = {d.symbol: d for d in self.docs if self._passes(d, filters)}
        wanted = set(words(question))
        scored = []
        for p in self.rows:
            if p.role == "footnote" or p.symbol not in allowed or not wanted:
                continue
            overlap = len(wanted & set(words(p.text)))
            if overlap:
                scored.append((-overlap / len(wanted), list(allowed).index(p.symbol), p.order, p))
        hits: list[Hit] = []
        heads: dict[int, Hit] = {}
        for negative, _, _, p in sorted(scored, key=lambda s: s[:3]):
            group = next((i for i, g in enumerate(DUPLICATES) if (p.symbol, p.para) in g), None)
            if group is not None and group in heads:
                heads[group].also_in.append(AlsoIn(p.symbol, p.para, allowed[p.symbol].date))
                continue
            if len(hits) == k:
                continue
            doc = allowed[p.symbol]
            hit = Hit(len(hits) + 1, p.symbol, p.para, p.text, round(-negative, 4), doc.title, doc.date, doc.kind,
                      highlights=best_sentence(p.text, wanted), section=p.section)
            hits.append(hit)
            if group is not None:
                heads[group] = hit
        notices = ["no paragraphs match the filters"] if not allowed else []
        return Answer(question, hits, {"k": k, "filters": vars(filters)}, notices)

    def _passes(self, doc: DocInfo, filters: Filters) -> bool:
        if filters.docs and doc.symbol not in {self._doc(s).symbol for s in filters.docs}:
            return False
        if filters.kinds and doc.kind not in filters.kinds:
            return False
        if (filters.since or filters.until) and not doc.date:
            return False
        return not ((filters.since and doc.date < filters.since) or (filters.until and doc.date > filters.until))


def best_sentence(text: str, wanted: set[str]) -> list[list[int]]:
    """The [start, end) of the sentence sharing most words with the question (shorter wins ties)."""
    best, best_score = None, 0.0
    for match in re.finditer(r"[^.;:]+[.;:]?", text):
        start = match.start() + (len(match.group()) - len(match.group().lstrip()))
        overlap = len(wanted & set(words(match.group())))
        score = overlap / math.log(2 + len(match.group().split()))
        if overlap and score > best_score:
            best, best_score = [start, match.end()], score
    return [best] if best else []


def make_fake_app(tmp_path: Path, engine: FakeEngine | None = None, *, index_exists: bool = True,
                  building_steps: int = 0, k: int = 5):
    """The chat as the CLI builds it, over the fake engine, with history and exports under tmp_path."""
    from assistant.tui import make_app

    engine = engine or FakeEngine()

    def open_engine(progress):
        for step in range(building_steps):
            progress("embedding paragraphs", step + 1, building_steps)
        return engine

    return make_app(open_engine, history_path=tmp_path / "history.txt", export_dir=tmp_path / "exports",
                    index_exists=lambda: index_exists, k=k)
