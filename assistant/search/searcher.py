"""Answer questions from a loaded index: references, filters, dense + BM25 fusion, grouping, highlights."""

from __future__ import annotations

import re
from dataclasses import asdict

import numpy as np

from assistant.errors import UsageError
from assistant.search.expansion import expansion
from assistant.search.highlight import best_sentences
from assistant.index.lexical import tokenize
from assistant.records import AlsoIn, Answer, DocInfo, Filters, Hit, Paragraph
from assistant.search.references import parse_references
from assistant.sanitize import one_line
from assistant.index.rows import RowLookup
from assistant.index.store import StoredIndex

MAX_QUESTION = 10_000
POOL = 200  # candidates taken from each retriever before fusion
BM25_WEIGHT = 0.3  # weight of max-normalised BM25 against cosine; tuned on the dev set (see bench/)
YEAR_BOOST = 0.05  # a year named in the question, matched with the document's date
PART_BOOST = 0.05  # "in its preamble" / "operative": paragraphs of that part
WHEN_BOOST = 0.05
WHEN_QUESTION = re.compile(r"\b(?:when|what date|how long|until when|by when|deadline)\b", re.I)
TIME_WORDS = re.compile(r"\b(?:(?:19|20)\d\d|January|February|March|April|May|June|July|August|September|"
                        r"October|November|December|session|days?|weeks?|months?|years?)\b")
EXPAND_DENSE = True  # add the UN wording of lay terms to the dense query too (see bench/)
DUPLICATE_COSINE = 0.95  # paragraphs this close are "the same language" and collapse into one hit


class Searcher:
    """Holds one StoredIndex and a query encoder; `ask` is the whole retrieval pipeline."""

    def __init__(self, index: StoredIndex, encoder):
        import faiss

        # One query at a time: extra OpenMP threads only fight the encoder's threads (measured 3x slower).
        faiss.omp_set_num_threads(1)
        self.index = index
        self.encoder = encoder  # anything with encode(list[str]) -> unit vectors
        self.rows = index.paragraphs
        codes = {s: i for i, s in enumerate(index.docs)}
        self.doc_code = {s: codes[s] for s in index.docs}
        # Columns of the row store: no paragraph record is decoded to open the index (store.py).
        self.doc_of_row = self.rows.doc_codes()
        self.searchable = self.rows.roles() != "footnote"
        self.row_of = RowLookup(self.rows)
        self.aliases = _aliases(index.docs.values())

    # -- the Engine protocol -------------------------------------------------------------------
    def documents(self) -> list[DocInfo]:
        return sorted(self.index.docs.values(), key=lambda d: ((d.date or ""), d.symbol))

    def paragraphs(self, symbol: str) -> list[Paragraph]:
        doc = self.resolve_symbol(symbol)
        return self.rows.of_document(doc.symbol)

    def resolve_symbol(self, symbol: str) -> DocInfo:
        """A symbol as typed ("a/res/73/27", "73/27", "L.37") to the document, or UsageError."""
        key = re.sub(r"\s+", "", symbol).upper()
        for doc in self.index.docs.values():
            if doc.symbol.upper() == key:
                return doc
        refs = parse_references(symbol, list(self.index.docs), self.aliases)
        if len(refs.symbols) == 1:
            return self.index.docs[refs.symbols[0]]
        raise UsageError(f"unknown document: {one_line(symbol)[:80]} (see `norms docs`)")

    def ask(self, question: str, k: int = 5, filters: Filters | None = None) -> Answer:
        question = one_line(question)
        notices: list[str] = []
        if not question:
            raise UsageError("empty question")
        if len(question) > MAX_QUESTION:
            question = question[:MAX_QUESTION]
            notices.append(f"question truncated to {MAX_QUESTION} characters")
        if k < 1:
            raise UsageError("k must be at least 1")
        filters = filters or Filters()
        docs = [self.resolve_symbol(s).symbol for s in filters.docs]
        refs = parse_references(question, list(self.index.docs), self.aliases)
        notices += [f"unknown document: {u} (not in this corpus)" for u in refs.unknown]
        named = [s for s in refs.symbols if not docs or s in docs]
        scope = docs or named
        mask = self._mask(scope, filters)
        request = {"k": k, "filters": {**asdict(filters), "docs": docs}, "documents_named": refs.symbols,
                   "paragraphs_named": refs.paras}
        if not mask.any():
            notices.append("no paragraphs match the filters")
            return Answer(question, [], request, notices)
        query = refs.rest if refs.rest and not refs.only_reference else question
        ranked, scores = self._rank(query, mask, refs.part)
        pinned = [self.row_of[(s, p)] for s in scope for p in refs.paras if (s, p) in self.row_of]
        if pinned:
            ranked = pinned + [r for r in ranked if r not in pinned]
            top = max(scores.values(), default=1.0)
            scores.update({r: top + 1.0 for r in pinned})
        hits = self._group(ranked, scores, k, query, prefer=set(scope))
        return Answer(question, hits, request, notices)

    # -- stages ----------------------------------------------------------------------------------
    def _mask(self, scope: list[str], filters: Filters) -> np.ndarray:
        mask = self.searchable.copy()
        if scope:
            mask &= np.isin(self.doc_of_row, [self.doc_code[s] for s in scope])
        if filters.kinds or filters.since or filters.until:
            allowed = [d.symbol for d in self.index.docs.values() if filters.admits(d)]
            mask &= np.isin(self.doc_of_row, [self.doc_code[s] for s in allowed])
        return mask

    def _rank(self, query: str, mask: np.ndarray, part: str) -> tuple[list[int], dict[int, float]]:
        """Fuse cosine and normalised BM25 over the pooled candidates of both retrievers."""
        extra = expansion(query)
        dense_query = f"{query} {extra}" if extra and EXPAND_DENSE else query
        qvec = np.asarray(self.encoder.encode([dense_query]), dtype=np.float32)[0]
        dense_rows = self._dense_pool(qvec, mask)
        lexical = self.index.bm25.scores(f"{query} {extra}") if self.index.bm25 is not None else np.zeros(len(self.rows))
        lexical = np.where(mask, lexical, 0.0)
        top_lex = float(lexical.max()) if len(lexical) else 0.0
        lex_rows = _top(lexical, POOL) if top_lex > 0 else []
        candidates = list(dict.fromkeys(dense_rows + lex_rows))
        cand = np.array(candidates)
        cosine = np.asarray(self.index.vectors[cand]) @ qvec
        fused = cosine + BM25_WEIGHT * (lexical[cand] / top_lex if top_lex > 0 else 0.0)
        years = {y for y in re.findall(r"(?<![\d–-])((?:19|20)\d\d)(?![\d–-])", query)}
        if years:  # "the 2023 resolution", "in 2021": prefer documents of that year, softly
            in_year = np.array([(self.index.docs[self.rows[r].symbol].date or "")[:4] in years for r in candidates])
            fused = fused + YEAR_BOOST * in_year
        if WHEN_QUESTION.search(query):  # "when ...?" is answered by a paragraph that names a time
            timed = np.array([bool(TIME_WORDS.search(self.rows[r].text)) for r in candidates])
            fused = fused + WHEN_BOOST * timed
        if part:
            roles = np.array([self.rows[r].role for r in candidates])
            wanted = roles == ("preambular" if part == "preambular" else "operative")
            fused = fused + PART_BOOST * wanted
        order = np.argsort(-fused, kind="stable")
        return [candidates[i] for i in order], {candidates[i]: float(fused[i]) for i in order}

    def _dense_pool(self, qvec: np.ndarray, mask: np.ndarray) -> list[int]:
        """Nearest rows by cosine: FAISS over everything, or exact numpy over a filtered subset."""
        if mask.sum() > len(mask) // 2 and self.index.faiss_index is not None:
            # most rows allowed: ask FAISS for more than needed and drop the masked ones
            _, ids = self.index.faiss_index.search(qvec[None, :], min(2 * POOL, len(mask)))
            return [int(i) for i in ids[0] if i >= 0 and mask[i]][:POOL]
        rows = np.flatnonzero(mask)
        sims = np.asarray(self.index.vectors[rows]) @ qvec
        return rows[_top(sims, POOL)].tolist()

    def _group_head(self, members: list[int], prefer: set[str]) -> int:
        """Which of the repeated paragraphs to show: the document asked about, else the adopted text
        (a draft's language is cited from the resolution that adopted it), else the best scored."""
        named = [m for m in members if self.rows[m].symbol in prefer]
        if named:
            return named[0]
        ranked = list(enumerate(members))  # members are in rank order; keep it among equals
        return min(ranked, key=lambda im: (self.index.docs[self.rows[im[1]].symbol].kind != "resolution", im[0]))[1]

    def _group(self, ranked: list[int], scores: dict[int, float], k: int, query: str, prefer: set[str]) -> list[Hit]:
        """Collapse repeated language: near-identical paragraphs become one hit with `also_in`."""
        groups: list[list[int]] = []
        heads: list[np.ndarray] = []
        for row in ranked[: max(50, 10 * k)]:  # duplicates of a top hit rank close to it
            vec = np.asarray(self.index.vectors[row])
            dup = next((g for g, h in enumerate(heads) if float(h @ vec) >= DUPLICATE_COSINE
                        and _same_language(self.rows[groups[g][0]].text, self.rows[row].text)), None)
            if dup is not None:
                groups[dup].append(row)
                continue
            if len(groups) == k:
                continue
            groups.append([row])
            heads.append(vec)
        hits = []
        for rank, members in enumerate(groups, 1):
            head = self._group_head(members, prefer)
            p = self.rows[head]
            doc = self.index.docs[p.symbol]
            also = [AlsoIn(self.rows[m].symbol, self.rows[m].para, self.index.docs[self.rows[m].symbol].date,
                           self.index.docs[self.rows[m].symbol].kind) for m in members if m != head]
            hits.append(Hit(rank=rank, symbol=p.symbol, para=p.para, text=p.text, score=round(scores[members[0]], 4),
                            title=doc.title, date=doc.date, kind=doc.kind,
                            highlights=best_sentences(p.text, query), also_in=also, language=p.language,
                            section=p.section))
        return hits

    # -- the optional lineage method of the Engine protocol (models.TracingEngine) ------------------
    def lineage(self, symbol: str, para: str) -> dict:
        """The paragraph's lineage as `norms trace --format json` prints it; UsageError if it is not in the corpus."""
        from assistant.lineage.trace import trace  # imported here: asking questions never needs the tracer
        from assistant.lineage.render import trace_to_dict

        return trace_to_dict(trace(self, symbol, para))


def _top(values: np.ndarray, n: int) -> list[int]:
    """Indices of the n largest positive values, best first, without sorting the whole array."""
    if len(values) > n:
        part = np.argpartition(-values, n)[:n]
    else:
        part = np.arange(len(values))
    part = part[values[part] > 0] if values.dtype != bool else part
    return part[np.argsort(-values[part], kind="stable")].tolist()


def _same_language(a: str, b: str) -> bool:
    """Word-level check behind the cosine one: most words shared, so changed numbers still collapse."""
    wa, wb = set(tokenize(a)), set(tokenize(b))
    if not wa or not wb:
        return a == b
    return len(wa & wb) / len(wa | wb) >= 0.7


def _aliases(docs) -> dict[str, str]:
    """Names people use for documents that have no UN symbol ("Paris Call") or a well-known nickname."""
    out: dict[str, str] = {}
    for d in docs:
        if "/" not in d.symbol:
            words = [w for w in re.split(r"[-_\s]+", d.symbol.lower()) if w and not w.isdigit()]
            if words:
                out[" ".join(words)] = d.symbol
        title = d.title.lower()
        if "group of governmental experts" in title and d.kind == "report" and d.date:
            out[f"{d.date[:4]} gge report"] = d.symbol
    return out


def parse_when(value: str | None, end: bool) -> str | None:
    """A year or a date from --since/--until to an inclusive ISO date."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d{4}", value):
        return f"{value}-12-31" if end else f"{value}-01-01"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise UsageError(f"not a year or a date (YYYY or YYYY-MM-DD): {one_line(value)[:40]}")
