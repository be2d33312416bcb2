"""Answer questions from a loaded index: references, filters, dense + BM25 fusion, structure, repeats, confidence."""

from __future__ import annotations

import re
from dataclasses import asdict
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from assistant.errors import UsageError
from assistant.search.expansion import expansion, feedback_scores
from assistant.search.features import structure_features
from assistant.search.field import FIELD_WORDS, field_of_documents
from assistant.search.highlight import best_sentences
from assistant.records import SPEAKER_MARK, AlsoIn, Answer, DocInfo, Filters, Hit, Paragraph, speaker_name
from assistant.index.lexical import tokenize
from assistant.search import weights as W
from assistant.search.adapter import load_adapter
from assistant.search.answerkind import held_low_hits
from assistant.search.names import CorpusNames
from assistant.search.silent import silent_states
from assistant.search.confidence import confidence_of, effective_line, low_notice, shown_score
from assistant.search.references import parse_references
from assistant.search.repeats import near_identical, same_words, shown_copy
from assistant.search.structure import (asks_statements, is_question, names_a_thing, question_language, title_words,
                                        typed_without_capitals, unknown_names, without_frame, without_words)
from assistant.sanitize import one_line
from assistant.index.rows import RowLookup
from assistant.index.store import StoredIndex

if TYPE_CHECKING:
    from assistant.lineage.trace import Lineage

MAX_QUESTION = 10_000
POOL = 200  # candidates taken from each retriever before fusion
YEAR_TEXT = re.compile(r"\b(?:19|20)\d\d\s+(?:resolution|draft|report|text|declaration)\b", re.I)


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
        # speakers of statement compendiums: only those documents' rows are decoded (the row store is lazy)
        compendia = [d.symbol for d in index.docs.values() if d.kind == "statement compendium"]
        self.speaker_rows = [r for symbol in compendia for r in self.rows.rows_of(symbol)]
        self.speakers = sorted({speaker_name(self.rows[r].speaker) for r in self.speaker_rows if self.rows[r].speaker})
        self.names = CorpusNames(index.docs, self.speakers)
        self.aliases = self.names.aliases
        self.keep_features: list | None = None  # the bench sets a list to collect each question's features
        self.adapter = load_adapter(index.manifest.model)

    @cached_property
    def _spoken_rows(self) -> frozenset[int]:
        return frozenset(self.speaker_rows)

    @cached_property
    def _field_of_doc(self) -> np.ndarray:
        return field_of_documents(self.index.bm25.scores(FIELD_WORDS), self.doc_of_row, len(self.doc_code))

    @property
    def adapted(self) -> bool:
        """Whether questions go through the query adapter (one ships for the index's model, and it is on)."""
        return W.QUERY_ADAPTER and self.adapter is not None

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
        refs = parse_references(question, list(self.index.docs), self.aliases, self.speakers)
        notices += [f"unknown document: {u} (not in this corpus)" for u in refs.unknown]
        named = [s for s in refs.symbols if not docs or s in docs]
        scope = docs or named
        mask = self._mask(scope, filters)
        if refs.speakers:  # "What did Switzerland say ...": that speaker's statements, like a named document
            spoken = np.zeros(len(mask), dtype=bool)
            spoken[[r for r in self.speaker_rows if speaker_name(self.rows[r].speaker) in refs.speakers]] = True
            spoken &= mask
            mask = spoken if spoken.any() else mask
        request = {"k": k, "filters": {**asdict(filters), "docs": docs}, "documents_named": refs.symbols,
                   "paragraphs_named": refs.paras, "speakers_named": refs.speakers}
        if not mask.any():
            notices.append("no paragraphs match the filters")
            return Answer(question, [], request, notices, "low")
        query = refs.rest if refs.rest and not refs.only_reference else question
        ranked, scores, singled = self._rank(query, mask, refs.part, scope)
        labels = refs.paras + [f"{who}{SPEAKER_MARK}{p[1:]}" for who in refs.speakers for p in refs.paras if p[:1] == "¶"]
        pinned = [self.row_of[(s, p)] for s in scope for p in labels if (s, p) in self.row_of]
        if pinned:
            ranked = pinned + [r for r in ranked if r not in pinned]
            top = max(scores.values(), default=1.0)
            scores.update({r: top + 1.0 for r in pinned})
        names = (unknown_names(query, self.index.bm25.known, typed_without_capitals(question))
                 if self.index.bm25 is not None else [])
        # "Is the Counter Ransomware Initiative open to all?": known words, but a name no near paragraph holds
        phrases = []
        if W.PHRASE_NAMES and not pinned and is_question(query):
            near = ranked[:W.PHRASE_POOL]
            if W.STATEMENT_PHRASES and asks_statements(query) and self.speaker_rows:
                # "Which delegation referred to the Budapest Convention?": a name the resolutions hold but no
                # statement does answers nothing asked of the delegations
                near = [r for r in ranked if r in self._spoken_rows][:W.PHRASE_POOL]
            phrases = self.names.unknown_phrases(query, lambda: [self.rows[r].text for r in near])
        names = [n for n in names if not any(n in p.split() for p in phrases)] + phrases  # the name, not its words
        request["unknown_names"] = names
        hits = self._group(ranked, scores, k, query, prefer=set(scope) | singled, named_unknown=bool(names) and not pinned)
        if not pinned:
            silent = silent_states(query, self.speakers) if W.SILENT_STATES and not refs.speakers else []
            # one unknown name of several capitalised words is enough, or one heading the thing asked about ("the
            # Conti ransomware attack"); unknown single words need two
            names_low = 1 if phrases or names_a_thing(query, names) else W.NAMES_ALWAYS_LOW
            hits = held_low_hits(hits, query, names, silent, request, W.ANSWER_KIND and W.ANSWER_KIND_DEPTH,
                                 names_low, self.names.newest_year if W.AFTER_NEWEST else 0)
        confidence = hits[0].confidence if hits else "low"
        if confidence == "low":
            notices.append(low_notice(names, request.get("answer_kind_missing"), request.get("silent_states", []),
                                      request.get("newest_year")))
        return Answer(question, hits, request, notices, confidence)

    # -- stages ----------------------------------------------------------------------------------
    def _mask(self, scope: list[str], filters: Filters) -> np.ndarray:
        mask = self.searchable.copy()
        if scope:
            mask &= np.isin(self.doc_of_row, [self.doc_code[s] for s in scope])
        if filters.kinds or filters.since or filters.until:
            allowed = [d.symbol for d in self.index.docs.values() if filters.admits(d)]
            mask &= np.isin(self.doc_of_row, [self.doc_code[s] for s in allowed])
        return mask

    def _rank(self, query: str, mask: np.ndarray, part: str,
              named: list[str]) -> tuple[list[int], dict[int, float], set[str]]:
        """Fuse cosine and normalised BM25 over the pooled candidates of both retrievers, then add what the
        question asks of the structure: operative verbs, heading facts, the part, the year, the language.
        Also returns the documents the question names without a symbol ("the 2023 resolution on digital
        technologies"): of repeated language, their copy is the one shown."""
        # "the 2021 resolution": the year names a text, it is not what the answer is about
        content = YEAR_TEXT.sub(lambda m: m.group(0).split()[-1], query)
        # "the cybercrime treaty": a text named by its subject; its words then say where to look, not what
        # the answer says (like a symbol), so the content that is scored leaves them out
        naming = title_words(query, tokenize) if not named else set()
        titled = self.names.titled(naming, best=W.TITLE_BEST) if naming else set()
        years = set(re.findall(r"(?<![\d–-])((?:19|20)\d\d)(?![\d–-])", query))
        year_names_text = bool(years) and bool(YEAR_TEXT.search(query))
        if titled and year_names_text:  # "the 2023 resolution on digital technologies"
            titled = {d for d in titled if (self.index.docs[d].date or "")[:4] in years} or titled
        if titled and W.TITLE_SCOPE and len(titled) <= W.TITLE_SCOPE_MAX:
            content = without_words(content, naming, tokenize)
        extra = expansion(content)
        # "Do the UN texts say that X?": the model compares X, not the asking, with each paragraph
        asked = without_frame(content) if W.DENSE_WITHOUT_FRAME else content
        dense_query = f"{asked} {extra}" if extra and W.EXPAND_DENSE else asked
        qvec = np.asarray(self.encoder.encode([dense_query]), dtype=np.float32)[0]
        if self.adapted:  # the reader's words moved towards the UN's (search/adapter.py)
            qvec = self.adapter.apply(qvec[None, :], W.ADAPTER_STRENGTH)[0]
        dense_rows = self._dense_pool(qvec, mask)
        lexical = self.index.bm25.scores(f"{content} {extra}") if self.index.bm25 is not None else np.zeros(len(self.rows))
        lexical = np.where(mask, lexical, 0.0)
        top_lex = float(lexical.max()) if len(lexical) else 0.0
        lex_rows = _top(lexical, POOL) if top_lex > 0 else []
        named_rows: list[int] = []
        if titled and W.TITLE_POOL and len(titled) <= W.TITLE_SCOPE_MAX:
            # "the 2023 rights-and-technology resolution": among many texts, the named ones' own nearest paragraphs
            # are candidates even when other texts fill both pools
            in_named = mask & np.isin(self.doc_of_row, [self.doc_code[s] for s in titled])
            named_rows = self._dense_pool(qvec, in_named, W.TITLE_POOL) + _top(np.where(in_named, lexical, 0.0), W.TITLE_POOL)
        candidates = list(dict.fromkeys(dense_rows + lex_rows + named_rows))
        cand = np.array(candidates)
        rows = [self.rows[r] for r in candidates]
        cosine = np.asarray(self.index.vectors[cand]) @ qvec
        keyword = lexical[cand] / top_lex if top_lex > 0 else np.zeros(len(cand))
        # A paragraph in another language than the question's is matched by keywords only (the model is
        # English): its keyword share is dropped and it ranks below same-language paragraphs of like score.
        language = question_language(query)
        foreign = np.array([p.language not in (language, "und") for p in rows])
        # Every signal is a named feature with its weight; the fused score is their weighted sum (the bench
        # reads the features to fit the weights, bench/quality.py).
        parts: dict[str, np.ndarray] = {}

        def add(name: str, values) -> None:
            parts[name] = np.asarray(values, dtype=np.float32)

        add("cosine", cosine)
        if W.OFF_FIELD_PENALTY and self.index.bm25 is not None:
            # with general Assembly texts added, a near-tie goes to the texts of the field ("draft L.37": the
            # cyber draft of 2018, not the outer-space draft of 2025 that shares its number); a text of the
            # field loses nothing, and without one among the candidates no text does, so scores over the field's
            # own corpus, or over a corpus of another field, stay as calibrated
            field = self._field_of_doc[self.doc_of_row[cand]]
            add("off_field", field.max() - field)
        # ... unless nothing in scope is in the question's language ("what did Niger want ...": its statement is in
        # French), where shared words ("diligence", "mécanisme") are the only signal the English model leaves
        all_foreign = W.KEYWORDS_WHEN_ALL_FOREIGN and bool(foreign.all())
        add("keyword", keyword if all_foreign else np.where(foreign, 0.0, keyword))
        add("foreign", foreign)
        singled: set[str] = set()
        if years:  # "the 2023 resolution", "in 2021": prefer documents of that year, softly
            in_year = [(self.index.docs[p.symbol].date or "")[:4] in years for p in rows]
            add("year_text" if year_names_text else "year", in_year)
            of_year = {p.symbol for p, y in zip(rows, in_year) if y}
            # the year says which copy of repeated language to show ("on what date in 2024 did ...": 79/237's
            # "at its eighth session, on 12 July 2024", not 80/16's same words about 2025)
            if year_names_text:
                singled = of_year & titled if titled else of_year
            elif W.YEAR_COPY:
                singled = of_year
        parts.update(structure_features(query, content, rows, self.index.docs, named=bool(named), part=part,
                                        titled=titled))
        if titled and len(titled) <= W.TITLE_SCOPE_MAX and not singled:
            singled = titled
        weights = W.feature_weights()
        fused = sum(weights.get(name, 0.0) * values for name, values in parts.items())
        if self.keep_features is not None:
            self.keep_features.append((candidates, parts))
        if W.PRF_WEIGHT and self.index.bm25 is not None:
            first = [rows[i] for i in np.argsort(-fused)[:W.PRF_DOCS]]
            fused += W.PRF_WEIGHT * feedback_scores(self.index.bm25, query, first, mask, cand)
        order = np.argsort(-fused, kind="stable")
        return [candidates[i] for i in order], {candidates[i]: float(fused[i]) for i in order}, singled

    def _dense_pool(self, qvec: np.ndarray, mask: np.ndarray, size: int = POOL) -> list[int]:
        """Nearest rows by cosine: FAISS over everything, or exact numpy over a filtered subset."""
        if size == POOL and mask.sum() > len(mask) // 2 and self.index.faiss_index is not None:
            # most rows allowed: ask FAISS for more than needed and drop the masked ones
            _, ids = self.index.faiss_index.search(qvec[None, :], min(2 * POOL, len(mask)))
            return [int(i) for i in ids[0] if i >= 0 and mask[i]][:POOL]
        rows = np.flatnonzero(mask)
        sims = np.asarray(self.index.vectors[rows]) @ qvec
        return rows[_top(sims, size)].tolist()

    def _group(self, ranked: list[int], scores: dict[int, float], k: int, query: str, prefer: set[str],
               named_unknown: bool = False) -> list[Hit]:
        """Collapse repeated language (search/repeats.py): the same words anywhere, also inside one document,
        become one hit with `also_in`; paragraphs differing by a phrase join it as `similar_in`."""
        groups: list[list[int]] = []
        for row in ranked[: max(50, 10 * k)]:  # repeats of a top hit rank close to it
            text = self.rows[row].text
            home = next((g for g in groups if same_words(self.rows[g[0]].text, text)
                         or near_identical(self.rows[g[0]].text, text)), None)
            if home is not None:
                home.append(row)
            elif len(groups) < k:
                groups.append([row])
        hits = []
        line = effective_line(named_unknown, W.CONFIDENCE_LINE, W.NAME_LINE, adapted=self.adapted)
        for rank, members in enumerate(groups, 1):
            head = shown_copy(members, lambda m: self.rows[m].symbol, prefer, lambda m: self.index.docs[self.rows[m].symbol])
            p = self.rows[head]
            doc = self.index.docs[p.symbol]
            fused = scores[members[0]]
            also = [self._also(m) for m in members if m != head and same_words(self.rows[m].text, p.text)]
            similar = [self._also(m) for m in members if m != head and not same_words(self.rows[m].text, p.text)]
            hits.append(Hit(rank=rank, symbol=p.symbol, para=p.para, text=p.text,
                            score=shown_score(fused, line), title=doc.title, date=doc.date, kind=doc.kind,
                            highlights=best_sentences(p.text, query), also_in=also, language=p.language,
                            section=p.section, similar_in=similar, confidence=confidence_of(fused, line),
                            page=p.page, speaker=p.speaker))
        return hits

    def _also(self, row: int) -> AlsoIn:
        p = self.rows[row]
        doc = self.index.docs[p.symbol]
        return AlsoIn(p.symbol, p.para, doc.date, doc.kind)

    # -- the optional lineage method of the Engine protocol (models.TracingEngine) ------------------
    def lineage(self, symbol: str, para: str) -> "Lineage":
        """The paragraph's Lineage (presentation turns it into text or JSON); UsageError if it is not in the corpus."""
        from assistant.lineage.trace import trace  # imported here: asking questions never needs the tracer

        return trace(self, symbol, para)


def _top(values: np.ndarray, n: int) -> list[int]:
    """Indices of the n largest positive values, best first, without sorting the whole array."""
    if len(values) > n:
        part = np.argpartition(-values, n)[:n]
    else:
        part = np.arange(len(values))
    part = part[values[part] > 0] if values.dtype != bool else part
    return part[np.argsort(-values[part], kind="stable")].tolist()
