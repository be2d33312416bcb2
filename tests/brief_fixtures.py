"""A deterministic fake Engine over a few real cyber-norms paragraphs, for the briefing tests."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

from assistant.errors import UsageError
from assistant.records import AlsoIn, Answer, DocInfo, Filters, Hit, Paragraph, cite
from assistant.sanitize import one_line

GGE_2015 = "A/70/174"
RES_73_27 = "A/RES/73/27"
L37 = "A/C.1/73/L.37"
PARIS = "PARIS-CALL-2018"

DOCUMENTS = [
    DocInfo(GGE_2015, "Group of Governmental Experts on Developments in the Field of Information and "
            "Telecommunications in the Context of International Security: note by the Secretary-General",
            "2015-07-22", "report", "en", "fixture/A_70_174.md", 1),
    DocInfo(L37, "Advancing responsible State behaviour in cyberspace in the context of international security",
            "2018-10-18", "draft resolution", "en", "fixture/A_C.1_73_L.37.md", 3),
    DocInfo(PARIS, "Paris Call for Trust and Security in Cyberspace", "2018-11-12", "other", "en",
            "fixture/PARIS-CALL-2018.md", 1),
    DocInfo(RES_73_27, "Developments in the field of information and telecommunications in the context of "
            "international security", "2018-12-05", "resolution", "en", "fixture/A_RES_73_27.md", 3),
]

NORM_13F = ("A State should not conduct or knowingly support ICT activity contrary to its obligations under "
            "international law that intentionally damages critical infrastructure or otherwise impairs the use "
            "and operation of critical infrastructure to provide services to the public;")

PARAGRAPHS = [
    Paragraph(RES_73_27, "1.6", NORM_13F, 1, "sub"),
    Paragraph(RES_73_27, "1.8", "States should respond to appropriate requests for assistance by another State "
              "whose critical infrastructure is subject to malicious ICT acts. States should also respond to "
              "appropriate requests to mitigate malicious ICT activity aimed at the critical infrastructure of "
              "another State emanating from their territory, taking into account due regard for sovereignty;",
              2, "sub"),
    Paragraph(RES_73_27, "1.12", "States should not conduct or knowingly support activity to harm the "
              "information systems of the authorized emergency response teams (sometimes known as computer "
              "emergency response teams or cybersecurity incident response teams) of another State. A State "
              "should not use authorized emergency response teams to engage in malicious international activity;",
              3, "sub"),
    Paragraph(L37, "PP1", "Recalling its resolutions 53/70 of 4 December 1998, 54/49 of 1 December 1999, 55/28 of "
              "20 November 2000, 56/19 of 29 November 2001, 57/53 of 22 November 2002, 58/32 of 8 December 2003, "
              "59/61 of 3 December 2004, 60/45 of 8 December 2005, 61/54 of 6 December 2006, 62/17 of 5 December "
              "2007, 63/37 of 2 December 2008, 64/25 of 2 December 2009, 65/41 of 8 December 2010, 66/24 of "
              "2 December 2011, 67/27 of 3 December 2012, 68/243 of 27 December 2013, 69/28 of 2 December 2014, "
              "70/237 of 23 December 2015 and 71/28 of 5 December 2016, as well as its decision 72/512 of "
              "4 December 2017,", 1, "preambular"),
    Paragraph(L37, "PP3", "Affirming that it sees in this progress the broadest positive opportunities for the "
              "further development of civilization, the expansion of opportunities for cooperation for the common "
              "good of all States, the enhancement of the creative potential of humankind and additional "
              "improvements in the circulation of information in the global community,", 3, "preambular"),
    Paragraph(L37, "1(a)", "To be guided in their use of information and communications technologies by the "
              "2010, 2013 and 2015 reports of the Group of Governmental Experts on Developments in the Field of "
              "Information and Telecommunications in the Context of International Security;", 20, "sub",
              parent="1"),
    # 73/27 repeats the 2015 norm word for word: on a tie the resolution, listed first, carries the also-in
    Paragraph(GGE_2015, "13(f)", NORM_13F, 1, "sub"),
    Paragraph(PARIS, "¶7", "Prevent and recover from malicious cyber activities that threaten or cause "
              "significant, indiscriminate or systemic harm to individuals and critical infrastructure;", 7),
]

# Paragraphs the fake `lineage` calls related (besides identical texts, which it finds itself).
RELATED = {(RES_73_27, "1.6"): [(PARIS, "¶7")], (PARIS, "¶7"): [(RES_73_27, "1.6")]}

STOPWORDS = frozenset("a an and are as at be by did do does for from in is it its of on or should the their to "
                      "was what when which who with".split())


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS}


@dataclass
class FakeEngine:
    """Word-overlap ranking, Filters honoured, identical texts collapsed into also_in, as the real engine does."""

    docs: list[DocInfo] = field(default_factory=lambda: list(DOCUMENTS))
    paras: list[Paragraph] = field(default_factory=lambda: list(PARAGRAPHS))
    asked: list[tuple[str, int, Filters | None]] = field(default_factory=list)

    def documents(self) -> list[DocInfo]:
        return sorted(self.docs, key=lambda d: (d.date or "", d.symbol))

    def paragraphs(self, symbol: str) -> list[Paragraph]:
        wanted = self._resolve(symbol)
        return [p for p in self.paras if p.symbol == wanted]

    def lineage(self, symbol: str, para: str) -> dict:
        """The `trace_to_dict` shape: the paragraph, those with the same text, and its RELATED ones, by date."""
        wanted = self._resolve(symbol)
        source = next((p for p in self.paras if (p.symbol, p.para) == (wanted, para)), None)
        if source is None:
            raise UsageError(f"{wanted} has no paragraph {para!r}")
        related = RELATED.get((source.symbol, source.para), [])
        info = {d.symbol: d for d in self.docs}
        members = [(p, "identical" if p.text == source.text else "related") for p in self.paras
                   if p is source or p.text == source.text or (p.symbol, p.para) in related]
        members.sort(key=lambda m: (info[m[0].symbol].date or "9999", m[0].symbol, m[0].order))
        chain, previous = [], None
        for p, relation in members:
            doc = info[p.symbol]
            chain.append({"symbol": p.symbol, "para": p.para, "citation": cite(p.symbol, p.para, doc.kind),
                          "date": doc.date, "kind": doc.kind, "relation": relation,
                          "similarity": 1.0 if relation == "identical" else 0.3,
                          "cosine": 1.0 if relation == "identical" else 0.7, "source": p is source, "text": p.text,
                          "previous": previous, "diff": [{"op": "equal", "text": p.text}]})
            previous = {"symbol": p.symbol, "para": p.para, "citation": chain[-1]["citation"]}
        doc = info[source.symbol]
        return {"source": {"symbol": source.symbol, "para": source.para,
                           "citation": cite(source.symbol, source.para, doc.kind), "date": doc.date,
                           "text": source.text}, "omitted": 0, "chain": chain}

    def _resolve(self, symbol: str) -> str:
        for doc in self.docs:
            if doc.symbol.upper() == symbol.strip().upper():
                return doc.symbol
        raise UsageError(f"unknown document: {one_line(symbol)[:80]} (see `norms docs`)")

    def _passes(self, doc: DocInfo, docs: list[str], filters: Filters) -> bool:
        if docs and doc.symbol not in docs:
            return False
        if filters.kinds and doc.kind not in filters.kinds:
            return False
        if (filters.since or filters.until) and not doc.date:
            return False
        return not ((filters.since and doc.date < filters.since) or (filters.until and doc.date > filters.until))

    def ask(self, question: str, k: int = 5, filters: Filters | None = None) -> Answer:
        self.asked.append((question, k, filters))
        question = one_line(question)
        if not question:
            raise UsageError("empty question")
        if k < 1:
            raise UsageError("k must be at least 1")
        filters = filters or Filters()
        docs = [self._resolve(s) for s in filters.docs]
        request = {"k": k, "filters": {**asdict(filters), "docs": docs}}
        info = {d.symbol: d for d in self.docs}
        allowed = [p for p in self.paras if self._passes(info[p.symbol], docs, filters)]
        if not allowed:
            return Answer(question, [], request, ["no paragraphs match the filters"])
        asked = words(question)
        scored = [(len(asked & words(p.text)) / math.sqrt(len(words(p.text)) or 1), i, p)
                  for i, p in enumerate(allowed)]
        ranked = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))
        return Answer(question, self._group(ranked, k, info), request, [])

    def _group(self, ranked, k: int, info: dict[str, DocInfo]) -> list[Hit]:
        hits: list[Hit] = []
        by_text: dict[str, Hit] = {}
        for score, _, p in ranked:
            doc = info[p.symbol]
            if p.text in by_text:  # same language in another document: cite it with the better hit
                by_text[p.text].also_in.append(AlsoIn(p.symbol, p.para, doc.date))
            elif len(hits) < k:
                hit = Hit(len(hits) + 1, p.symbol, p.para, p.text, round(score, 4), doc.title, doc.date, doc.kind,
                          [[0, len(p.text)]])
                hits.append(hit)
                by_text[p.text] = hit
        return hits


def engine_with(*paragraphs: Paragraph, docs: list[DocInfo] | None = None) -> FakeEngine:
    """The fixture engine plus extra paragraphs (and documents), e.g. hostile text for escaping tests."""
    return FakeEngine(docs=list(DOCUMENTS) + list(docs or []), paras=list(PARAGRAPHS) + list(paragraphs))
