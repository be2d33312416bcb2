"""Retrieval quality with 2-fold cross-validation: every weight and the confidence line tuned on one half, reported on the other.

usage: python bench/quality.py --index DIR --corpus PATH [--corpus PATH ...] [--out bench/results/quality.md]
The index is built once (real model) and reused; tuning re-scores questions with cached query vectors and an
in-memory BM25, it never rebuilds. Questions: tests/eval/questions.jsonl (split in two halves by type),
tests/eval/unanswerable.jsonl (for the confidence line), and ../shared/eval/dev.jsonl reported alongside.
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import assistant.index.lexical as lexical  # noqa: E402
import assistant.search.searcher as search  # noqa: E402
import assistant.search.weights as weights  # noqa: E402
from assistant.index.build import lexical_text  # noqa: E402
from assistant.present import answer_to_dict  # noqa: E402
from assistant.search.confidence import ADAPTED_LINE, ADAPTED_NAME_LINE  # noqa: E402
from assistant.search.evaluate import first_hit, load_gold  # noqa: E402
from assistant.search.expansion import expansion  # noqa: E402
from assistant.settings import make_settings, open_searcher  # noqa: E402
from quality_levers import (FEATURES, RERANK_TOP, MinedVocabulary, choose_strength, collect, fit,  # noqa: E402
                            fitted_config)

# Each lever and the values tried; the first value of each is where tuning starts.
LEVERS = {
    "BM25_WEIGHT": [0.3, 0.2, 0.4, 0.5],
    "VERB_BOOST": [0.15, 0.0, 0.08, 0.25],
    "OPERATIVE_BOOST": [0.05, 0.0, 0.1],
    "FACT_BOOST": [0.4, 0.0, 0.2],
    "HEADING_PENALTY": [0.1, 0.0, 0.2],
    "FOREIGN_PENALTY": [0.15, 0.0, 0.3],
    "PRF_WEIGHT": [0.0, 0.1, 0.2],
    "VERB_ON_TOPIC": [True, False],
    "PREAMBLE_PENALTY": [0.0, 0.03, 0.06],
    "YEAR_DOC_BOOST": [0.05, 0.1, 0.2],
    "DECISION_BOOST": [0.05, 0.0, 0.1],
    "MANDATE_BOOST": [0.6, 0.0, 0.3],
    "TITLE_DOC_BOOST": [0.2, 0.0, 0.1],
    "TITLE_SCOPE": [True, False],
    "ARTICLE_LEAD_BOOST": [0.05, 0.0, 0.1],
    "DENSE_WITHOUT_FRAME": [True, False],
    "FOLLOW_UP_BOOST": [0.6, 0.0, 0.4],
    "PREAMBLE_VERB_BOOST": [0.1, 0.0, 0.2],
    "TREATY_PREAMBLE_PENALTY": [0.2, 0.0, 0.1],
    "MODAL_PREAMBLE_PENALTY": [0.1, 0.0, 0.05],
    "KEYWORDS_WHEN_ALL_FOREIGN": [True, False],
    "STEMMER": ["light", "snowball"],
    # session 5
    "KIND_BOOST": [0.1, 0.0, 0.2],
    "STATEMENT_BOOST": [0.1, 0.0, 0.2],
    "TITLE_BEST": [True, False],
    "TITLE_POOL": [50, 0],
    "DECISION_PREAMBLE_PENALTY": [0.1, 0.0, 0.2],
    # The query adapter was fitted on these very questions (bench/train_adapter.py, which cross-validates it
    # set by set): it is off for every choice here, and on only for the shipped and held-out figures below.
    "QUERY_ADAPTER": [False],
}
MAX_ANSWERABLE_FLAGGED = 0.10
THESAURUS = ROOT / "bench" / "data" / "thesaurus_candidates.tsv"
HOLD_OFF = {"ANSWER_KIND": False, "NAMES_ALWAYS_LOW": 99, "SILENT_STATES": False, "PHRASE_NAMES": False,
            "AFTER_NEWEST": False}


def _held_out(n) -> tuple[Path, Path]:
    """A held-out set of tests/eval: its answerable and its unanswerable questions."""
    return ROOT / "tests" / "eval" / f"heldout{n}.jsonl", ROOT / "tests" / "eval" / f"heldout{n}_unanswerable.jsonl"


# Held-out sets of earlier sessions: measured once as held-out, then their misses were read (development sets now).
SEEN = {"session 3 held-out": _held_out(""),
        **{f"session 4 {nth} held-out": _held_out(n) for n, nth in zip(range(2, 9), (
            "first", "second", "third", "fourth", "fifth", "sixth", "seventh"))},
        "session 5 first held-out": _held_out(9),
        **{f"session 5 set {n}": _held_out(n) for n in (11, 12, 13)},
        **{f"session 6 set {n}": _held_out(n) for n in (15, 16, 17)},
        # natural topics, measured once as held-out (1a4b792), then their misses read and the adapter refitted on them
        **{f"session 7 set {n}": _held_out(n) for n in (18, 19)}}
# Never fitted on nor read: heldout10 (session 5, topics the earlier sets left), and the sets written by helpers who
# read no earlier set, so on the topics a reader would ask about first: heldout14 (session 6), heldout20-23 (session 7)
HELD_OUT = (10, 14, 20, 21, 22, 23)
NATURAL = (14, 20, 21, 22, 23)  # pooled in their own section: each set is small (26 paraphrases)
NOTES = """
## Notes

- Figures are for the chunker of the checkout that ran this (speakers, pages, footnote calls out of the
  words, heading units added at indexing).
- Before issue 13's work (the earlier search on the same index), the 75 questions of tests/eval gave R@5 0.707,
  MRR@10 0.575 (`norms eval tests/eval/questions.jsonl`, measured once, not part of this script).
- Which sets are unseen: those in the held-out sections above. No weight, line or fit used them, and none
  had its misses read. heldout18 and 19 had their misses read after their first measure (the rules
  tried from them were all dropped, session 7 below) and are in the adapter's fit since. Halves A/B (since
  session 2), dev (since the project began) and every earlier held-out set have had their misses read. Each held-out set was written
  by a helper who never ran the search (questions from a topic list before reading the answer; gold checked
  against every copy of the words), measured once as held-out, then read. Their figures when first measured,
  each at the code of that moment:

  | set (answerable / unanswerable) | code measured | R@5 | MRR@10 | paraphrase R@5 | unanswerable flagged | answerable flagged |
  | --- | --- | --- | --- | --- | --- | --- |
  | heldout (60 / 12) | 8d38457 | 0.767 | 0.664 | 0.538 | 0.00 | 0.03 |
  | heldout2 (64 / 16) | 8d38457 + frame rule, number/person/vote kinds | 0.875 | 0.770 | 0.692 | 0.44 | 0.08 |
  | heldout3 (40 / 24) | the same + two-names and silent-State rules | 0.675 | 0.535 | 0.550 | 0.67 | 0.00 |
  | heldout4 (60 / 20) | 9bb1b7d + place and perpetrator kinds | 0.867 | 0.757 | 0.808 | 0.50 | 0.08 |
  | heldout5 (60 / 20) | 049d215 | 0.817 | 0.669 | 0.692 | 0.55 | 0.00 |
  | heldout6 (60 / 20) | 5ea2ba4 | 0.733 | 0.588 | 0.538 | 0.70 | 0.03 |
  | heldout7 (60 / 20) | 6276c16 | 0.683 | 0.602 | 0.577 | 0.60 | 0.05 |
  | heldout8 (60 / 20) | 420c4a2 | 0.800 | 0.645 | 0.731 | 0.60 | 0.03 |
  | heldout9 (60 / 20) | 01bc5ec + field prior, counted numbers, definitions | 0.667 | 0.534 | 0.462 | 0.45 | 0.03 |
  | heldout10 (60 / 20) | 4bb67c9, before the query adapter | 0.800 | 0.665 | 0.654 | 0.75 | 0.00 |
  | heldout10, again | 2fff4ad, with the query adapter (fitted without it) | 0.850 | 0.759 | 0.769 | 0.75 | 0.03 |
  | heldout11-13 (180 / 60) | 2fff4ad, with the adapter fitted without them | 0.811 | 0.700 | 0.667 | 0.52 | 0.03 |
  | heldout11-13, the same | 2fff4ad without the adapter | 0.789 | 0.653 | 0.641 | 0.47 | 0.03 |
  | heldout14 (60 / 20), natural topics | 21eda6c, adapter fitted without it | 0.950 | 0.813 | 0.923 | 0.90 | 0.02 |
  | heldout15 (60 / 20) | 21eda6c + masthead order, adapter without it | 0.750 | 0.682 | 0.577 | 0.75 | 0.03 |
  | heldout16 (60 / 20) | 21eda6c, adapter without it | 0.767 | 0.607 | 0.615 | 0.60 | 0.02 |
  | heldout17 (60 / 20) | 21eda6c, adapter without it | 0.883 | 0.791 | 0.846 | 0.60 | 0.05 |
  | heldout18 (60 / 20), natural topics | ed6a0e1, adapter without it | 0.900 | 0.739 | 0.769 | 1.00 | 0.05 |
  | heldout19 (60 / 20), natural topics | ed6a0e1, adapter without it | 0.900 | 0.823 | 0.769 | 1.00 | 0.05 |
  | heldout20 (60 / 20), natural topics | 5bc8b2f (= ed6a0e1, modules split), adapter without it | 0.933 | 0.851 | 0.846 | 0.95 | 0.03 |
  | heldout21 (60 / 20), natural topics | 5bc8b2f, adapter without it | 0.917 | 0.814 | 0.846 | 0.85 | 0.07 |
  | heldout22 (60 / 20), natural topics | 1a4b792 (same search), adapter without it | 0.917 | 0.735 | 0.808 | 0.90 | 0.12 |
  | heldout23 (60 / 20), natural topics | 1a4b792, adapter without it | 0.883 | 0.753 | 0.769 | 0.85 | 0.08 |

  Pooled over heldout2-8 when first measured (404 answerable, 140 unanswerable): R@5 0.78, unanswerable
  flagged 59%. heldout9 and heldout10 were written in session 5. Positions questions miss where the statement is in Spanish or French only (El Salvador,
  Niger, Argentina): the model reads English. Until session 6, issue 13's targets (R@5 >= 0.88, MRR@10 >= 0.72,
  paraphrase R@5 >= 0.78, >= 80% of unanswerable questions flagged) were not met on unseen questions except
  MRR@10; flagged answerable stayed within 10%. The seven natural-topic sets (heldout14, 18-23, each by a helper
  who read no earlier set, with a reader of its own: a diplomat, a researcher, a think-tank analyst, a legal
  adviser, a journalist, a national CERT official) meet them pooled when first measured, all at the same search
  (ed6a0e1-1a4b792): 420 answerable questions, R@5 0.914, mean MRR@10 0.790, paraphrase R@5 0.819 (149 of 182),
  129 of 140 unanswerable flagged, 25 of 420 answerable; per set, paraphrase R@5 is 20 of 26 (0.769, one
  question under the target) on heldout18, 19 and 23, and heldout22 flags 12% of its answerable questions.
- heldout10's unanswerable file: 7 of its 20 questions were seen (their text and that they were not flagged)
  through a glob before its first measure; they flag 2 of 7, the 13 never seen 13 of 13.
- Session 7: the query adapter refitted with heldout18 and 19 added (1,127 questions; fitted sets kept by its
  leave-one-set-out figures, before any held-out set was measured with it): over the 1,007 questions of the
  earlier fit, left-out R@5 0.851 -> 0.855, MRR@10 0.732 -> 0.732; lines 0.568 / 1.081. On the five natural sets
  still held out it changes little: pooled R@5 0.920 -> 0.920, MRR@10 0.793 -> 0.803, paraphrase 0.838 -> 0.831,
  unanswerable flagged 89% -> 87%, answerable flagged 6% -> 5%.
- Session 7: four kind-level rules read from heldout18/19's misses, measured over every seen set and dropped
  (net 0: R@5 0.913 -> 0.913, MRR@10 0.801 -> 0.801, paraphrase 0.848 -> 0.851; gains on 8, 9, 13, 18, 19, losses on
  dev, 2, 6, 7): words saying which text ("the 2021 First Committee resolution", "the new UN cybercrime treaty")
  taken as naming it, not as its subject; the few texts of a year named by "the 2021 resolution" counted as
  named by title; "did it acknowledge / recognise / note X" also lifting Welcomes paragraphs; "when" lifting
  time words only when it asks ("When will ...", not "help when asked").
- Session 5:
  - The query adapter (search/adapter.py; fitted by bench/train_adapter.py on every answerable set but
    heldout10, rank 16): leave-one-set-out over 827 questions, R@5 0.823 -> 0.861, MRR@10 0.685 -> 0.733,
    MRR up on every set, R@5 down on dev (0.896 -> 0.875) and heldout13 (0.783 -> 0.767)
    (bench/results/adapter.md); counting only left-out questions whose answering paragraph no training
    question had, the dense part alone goes 0.53 -> 0.73, so it learns the wording, not the paragraphs.
    Its confidence lines (0.562 / 0.905) come from the same left-out runs. It is off for every weight
    chosen in this script.
  - The heading unit in the masthead's own words: "Resolution adopted by the General Assembly on ...
    [on the report of ...]" and the agenda item's title, so a quote of the masthead finds it (heldout9 had
    six such questions, all missed before).
  - Answer kinds: a definition ("how does it define X", "what counts as X": a paragraph where one of the
    question's words stands before "shall mean"); a number must count what follows "how many" (time and
    money in their units); an Assembly session after the newest text ("at its eighty-first session"); one
    unknown name is enough when it heads the thing asked about ("the Conti ransomware attack").
  - A text named by its subject: the titles holding the most of its words (not every title holding half),
    and the named texts' own nearest paragraphs join the candidates; "did any delegation ...": statement
    paragraphs 0.1 higher; "what does it decide": preambular paragraphs 0.1 lower; "its first operative
    paragraph" is a paragraph reference.
  - With general Assembly texts added, texts little about ICTs lose 0.2 against those of the field
    (search/field.py; relative to the best candidate, so a corpus of another field is not touched): on the
    70k corpus, R@5 over the seen sets 0.724 -> 0.753 (no effect on the small corpus, where every text is
    of the field).
  - Measured and dropped: question clauses encoded apart (max or mix with the whole question), the cosine of
    the article's title, BM25 weight by question form, French/Spanish cognate stems, lifting persons,
    numbers or places like definitions, a year three words before "resolution" naming a text.
- Session 4 levers (each a kind of question, kept because no development set lost and one or more gained):
  - Held low whatever the score, with the reason in the notice: a question asking for a number, a person, a
    place, a vote, a list of States or who carried out an incident when none of the first three hits gives
    one (search/answerkind.py); two names the corpus never mentions; a name of capitalised words that no
    near paragraph, title, alias or speaker holds (questions only, not search-box queries); what a State said
    when the corpus holds no statement of it (search/silent.py, data/states.txt); what happened in a year
    after the newest text. Unanswerable flagged on the seen sets rose from 0.00-0.44 to 0.75-0.90 at 0-0.06
    more answerable flagged (the table above: with and without these rules).
  - The dense query leaves out the frame ("Do the UN texts say that ...", "..., according to GA
    resolutions"): +1 question on the session 3 set, no change elsewhere.
  - "Will it come back on the agenda / take it up again": the paragraph keeping the question before the
    Assembly (0.4); "what does L.37 welcome" in a text that welcomes only in its preamble: its preambular
    paragraph opening with that verb (0.1); a named treaty's preamble below its articles (0.2); a year in
    the question picks the copy of near-identical words shown; "sponsored by Russia" names a text, it asks
    for no sponsor and restricts to no speaker; a plural ("resolutions") names no one text; "the title of"
    is a heading fact. Together: heldout3 R@5 0.675 -> 0.825 after reading it (seen), nothing lost elsewhere.
  - After reading heldout6: "Can a country refuse ...?", "are States allowed to ...": preambular paragraphs
    0.1 lower (operative ones and articles set what is allowed); "was the working group expected / supposed
    / meant to ..." asks its mandate. On the seen sets: R@5 0.846 -> 0.857 over all, nothing lost.
  - After reading heldout7: when nothing in scope is in the question's language ("what did Niger want ...":
    a statement in French only), the keyword match is kept (shared words such as "diligence" are the only
    signal the English model leaves): heldout7 +1 question, positions questions on French and Spanish
    statements no longer flagged low. "When will the Assembly next take up ..." asks for the agenda paragraph
    too, now weighted 0.6 (0.4 before); "is the treaty meant to / why" keeps its preamble (what a treaty is
    for is said there). Seen sets: heldout7 0.683 -> 0.733, MRR up on heldout3/4, nothing lost.
  - vocabulary.tsv: 15 lines for treaty and rights concepts (freezing proceeds, laws of war, witnesses,
    journalists, keeping track of implementation) written from heldout2/3 misses: they lift those sets,
    which are therefore not evidence for them.
- Measured and dropped in session 4 (scratch scripts over A, B, dev and the seen held-out sets; not part of
  this script except the thesaurus row above): BM25 normalised by the question's own idf mass instead of
  the best candidate's; at most 2 or 3 hits of one document in the top 5; a fitted pairwise second stage
  with new features (best cosine in the same document, neighbour paragraphs' cosine, rank features), under
  5-fold cross-validation it lost 0.03 R@5 against the hand weights; dense query variants (question and
  expansion averaged, maximum of the two); 239 lay-to-UN lines written by a helper from the documents alone
  (bench/data/thesaurus_candidates.tsv): +0.003 R@5 over all sets.
- Session 3 levers (kept): a text named by its subject ("the cybercrime treaty") is scope, not content
  (TITLE_SCOPE, 0.2 for those documents); an article's first paragraph leads its later ones (0.05);
  vocabulary lines for the Convention's articles, rights online and the UN process.
- Dropped in session 2: RM3-style lexical feedback, a corpus-mined co-occurrence vocabulary, the preamble
  penalty, BM25 weight 0.4, the Snowball stemmer (PyStemmer: same R@5, lower MRR), the document title in the
  embedded text (dev R@5 0.90 -> 0.81), a fitted pairwise second stage over the top 50.
- Not measured by this script: the 70k-paragraph distractor run (`norms eval FILE --corpus
  ../shared/corpus/seed --corpus ../shared/corpus/cyber --corpus ../shared/corpus/unga-78-80`), reported in
  bench/results/quality-large.md.
"""
ABLATIONS = {
    "starting weights (shipped unless both folds agree on a change)": {},
    "session 5: definitions not lifted ('what counts as X': 'X shall mean')": {"KIND_BOOST": 0.0},
    "session 5: statements not lifted for 'did any delegation ...'": {"STATEMENT_BOOST": 0.0},
    "session 5: a text named by half its title words, without its own candidates": {"TITLE_BEST": False, "TITLE_POOL": 0},
    "no operative-verb structure": {"VERB_BOOST": 0.0, "OPERATIVE_BOOST": 0.0},
    "no heading-fact boost": {"FACT_BOOST": 0.0, "HEADING_PENALTY": 0.0},
    "verb boost also off topic": {"VERB_ON_TOPIC": False},
    "no language rule": {"FOREIGN_PENALTY": 0.0},
    "Snowball stemmer (PyStemmer) instead of the light one": {"STEMMER": "snowball"},
    "BM25 only (bm25s, same paragraphs, no vocabulary)": {"BM25_WEIGHT": 1000.0, "EXPAND_DENSE": False,
                                                         "VERB_BOOST": 0.0, "OPERATIVE_BOOST": 0.0, "FACT_BOOST": 0.0,
                                                         "HEADING_PENALTY": 0.0, "expansion": lambda q: ""},
    "dense MiniLM only (no vocabulary)": {"BM25_WEIGHT": 0.0, "EXPAND_DENSE": False, "VERB_BOOST": 0.0,
                                          "OPERATIVE_BOOST": 0.0, "FACT_BOOST": 0.0, "HEADING_PENALTY": 0.0,
                                          "expansion": lambda q: ""},
    "no 'decide about X' rule (operative paragraphs on X whatever their verb)": {"DECISION_BOOST": 0.0},
    "no mandate rule (the paragraph creating the body named)": {"MANDATE_BOOST": 0.0},
    "text named by its title words ('the cybercrime treaty') 0.1": {"TITLE_DOC_BOOST": 0.1},
    "RM3-style lexical feedback 0.1": {"PRF_WEIGHT": 0.1},
    "preamble penalty 0.06": {"PREAMBLE_PENALTY": 0.06},
    "document title in the embedded text": {"TITLE_IN_VECTOR": True},
    "dense query keeps the frame ('Do the UN texts say that ...')": {"DENSE_WITHOUT_FRAME": False},
    "bench/data/thesaurus_candidates.tsv added to vocabulary.tsv (239 lay lines written from the documents)": {
        "expansion": lambda q: " ".join(t for t in (expansion(q), expansion(q, THESAURUS)) if t)},
}


class CachedEncoder:
    """The index's query encoder, each distinct text encoded once for the whole run."""

    def __init__(self, encoder):
        self.encoder, self.cache = encoder, {}

    def encode(self, texts):
        import numpy as np

        missing = [t for t in texts if t not in self.cache]
        if missing:
            for t, v in zip(missing, self.encoder.encode(missing)):
                self.cache[t] = np.asarray(v, dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])


class Bench:
    def __init__(self, searcher):
        self.searcher = searcher
        searcher.encoder = CachedEncoder(searcher.encoder)
        self.bm25 = {}
        self.memo: dict = {}

    def _vectors(self, titled: bool) -> None:
        """Paragraph vectors as built ("retrieval text"), or with the document title in front."""
        import faiss
        import numpy as np

        from assistant.index.build import retrieval_text

        if not hasattr(self, "plain"):
            self.plain = (self.searcher.index.vectors, self.searcher.index.faiss_index)
        if titled and not hasattr(self, "titled"):
            titles = {d.symbol: d.title for d in self.searcher.index.docs.values()}
            texts = [f"{titles[p.symbol]}. {retrieval_text(p)}" for p in self.searcher.rows]
            vectors = np.concatenate([np.asarray(self.searcher.encoder.encoder.encode(texts[i:i + 64]), dtype=np.float32)
                                      for i in range(0, len(texts), 64)])
            flat = faiss.IndexFlatIP(vectors.shape[1])
            flat.add(vectors)
            self.titled = (vectors, flat)
        self.searcher.index.vectors, self.searcher.index.faiss_index = self.titled if titled else self.plain

    def _stemmer(self, name: str) -> None:
        if lexical.STEMMER != name:
            lexical.STEMMER = name
            lexical.stem.cache_clear()
        if name not in self.bm25:
            titles = {d.symbol: d.title for d in self.searcher.index.docs.values()}
            self.bm25[name] = lexical.BM25.fit([lexical_text(titles[p.symbol], p) for p in self.searcher.rows])
        self.searcher.index.bm25 = self.bm25[name]

    @contextmanager
    def config(self, cfg: dict):
        knobs = {k: v for k, v in cfg.items() if k not in ("STEMMER", "TITLE_IN_VECTOR")}
        # weights and switches live in search/weights.py; a function swapped in ("expansion") on the searcher
        home = {k: weights if hasattr(weights, k) else search for k in knobs}
        saved = {k: getattr(home[k], k) for k in knobs}
        saved_score = search.shown_score
        for k, v in knobs.items():
            setattr(home[k], k, v)
        search.shown_score = lambda fused, line=None: fused  # raw fused scores while tuning
        self._stemmer(cfg.get("STEMMER", "light"))
        self._vectors(cfg.get("TITLE_IN_VECTOR", False))
        try:
            yield
        finally:
            for k, v in saved.items():
                setattr(home[k], k, v)
            search.shown_score = saved_score

    def run(self, cfg: dict, items: list[dict]) -> list[tuple[int | None, float, bool]]:
        """(rank of the first gold paragraph or None, fused score of the top hit, whether the question
        names something the corpus never mentions) per question."""
        key = tuple(sorted((k, v if not callable(v) else id(v)) for k, v in cfg.items()))
        out = []
        with self.config(cfg):
            for item in items:
                mk = (key, item["question"])
                if mk not in self.memo:
                    answer = answer_to_dict(self.searcher.ask(item["question"], k=10))
                    results = answer["results"]
                    # held low (no number where one is asked, two names the corpus never mentions): flagged at any line
                    top = results[0]["score"] if results and not answer["request"].get("held_low") else -1.0
                    self.memo[mk] = (first_hit(results, item["gold"]) if item["gold"] else None, top,
                                     bool(answer["request"].get("unknown_names")))
                out.append(self.memo[mk])
        return out


def metrics(items, runs) -> dict:
    ranks = [r for r, _, _ in runs]
    n = max(1, len(ranks))
    para = [r for it, (r, _, _) in zip(items, runs) if it.get("type") == "paraphrase"]
    return {"n": len(ranks), "R@5": sum(1 for r in ranks if r and r <= 5) / n,
            "MRR@10": sum(1 / r for r in ranks if r and r <= 10) / n,
            "para_R@5": sum(1 for r in para if r and r <= 5) / max(1, len(para))}


def objective(m: dict) -> float:
    return m["R@5"] + m["MRR@10"]


def tune(bench: Bench, items: list[dict]) -> dict:
    """Coordinate ascent over LEVERS, two rounds; a value must beat the current one by at least one
    question's worth (1/n) to be taken, so that noise in a small half does not move the weights."""
    cfg = {k: v[0] for k, v in LEVERS.items()}
    best = objective(metrics(items, bench.run(cfg, items)))
    margin = 1.0 / max(1, len(items))
    for _ in range(2):
        for lever, values in LEVERS.items():
            for value in values:
                trial = {**cfg, lever: value}
                score = objective(metrics(items, bench.run(trial, items)))
                if score >= best + margin:
                    cfg, best = trial, score
    return cfg


def choose_lines(answerable: list[tuple], unanswerable: list[tuple]) -> tuple[float, float]:
    """(score line, name line): the score line flags at most half the 10% budget of answerable questions
    (the highest such line); the name line, for questions naming what the corpus never mentions, then takes
    the most unanswerable questions within the whole budget (the lowest such line)."""
    tops = sorted({round(t, 4) for _, t, _ in answerable + unanswerable})
    candidates = [0.0] + [t + 1e-4 for t in tops]
    line = max(c for c in candidates if flagged(answerable, c, c) <= MAX_ANSWERABLE_FLAGGED / 2)
    best = (flagged(unanswerable, line, line), line)
    for name_line in (c for c in candidates if c > line):
        if flagged(answerable, line, name_line) <= MAX_ANSWERABLE_FLAGGED:
            fu = flagged(unanswerable, line, name_line)
            if fu > best[0]:
                best = (fu, name_line)
    return round(line, 4), round(best[1], 4)


def flagged(runs: list[tuple], line: float, name_line: float) -> float:
    return sum(1 for _, t, named in runs if t < (max(line, name_line) if named else line)) / max(1, len(runs))


def halves(items: list[dict]) -> tuple[list[dict], list[dict]]:
    """Alternate items within each type (ordered by id), so both halves hold every kind of question."""
    a, b = [], []
    by_type: dict[str, list[dict]] = {}
    for item in sorted(items, key=lambda i: i.get("id", "")):
        by_type.setdefault(item.get("type", "?"), []).append(item)
    for group in by_type.values():
        for i, item in enumerate(group):
            (a if i % 2 == 0 else b).append(item)
    return a, b


def fmt(m: dict) -> str:
    return f"{m['R@5']:.3f} | {m['MRR@10']:.3f} | {m['para_R@5']:.3f}"


def _without_missing_libraries() -> None:
    """The Snowball stemmer needs PyStemmer, which norms does not depend on: skip it when absent."""
    try:
        import Stemmer  # noqa: F401
    except ImportError:
        LEVERS["STEMMER"] = ["light"]
        for name in [n for n, change in ABLATIONS.items() if change.get("STEMMER") == "snowball"]:
            del ABLATIONS[name]
        print("PyStemmer not installed: the Snowball stemmer is not measured", file=sys.stderr)



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--corpus", action="append")
    parser.add_argument("--questions", default=str(ROOT / "tests" / "eval" / "questions.jsonl"))
    parser.add_argument("--unanswerable", default=str(ROOT / "tests" / "eval" / "unanswerable.jsonl"))
    parser.add_argument("--dev", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    parser.add_argument("--heldout", action="append", type=int,
                        help="number N of a tests/eval/heldoutN set never used for any choice, reported at the shipped "
                             f"weights only (repeat for several; default {', '.join(map(str, HELD_OUT))})")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "quality.md"))
    args = parser.parse_args()
    started = time.time()
    _without_missing_libraries()
    searcher = open_searcher(make_settings(args.corpus, args.index, None), build=bool(args.corpus))
    bench = Bench(searcher)
    mine = load_gold(args.questions)
    none = [dict(i, gold=[]) for i in load_gold(args.unanswerable)]
    dev = load_gold(args.dev) if Path(args.dev).exists() else []
    a, b = halves(mine)
    ua, ub = halves(none)
    start = {k: v[0] for k, v in LEVERS.items()}
    lines = [f"Corpus: {len(searcher.documents())} documents, {len(searcher.rows)} paragraphs (this checkout's chunker, "
             f"with heading units). Questions: {len(mine)} in tests/eval/questions.jsonl (halves A {len(a)}, B {len(b)}), "
             f"{len(none)} unanswerable, dev {len(dev)}.", "",
             "Command: `python bench/quality.py --index DIR --corpus ../shared/corpus/seed "
             "--corpus ../shared/corpus/cyber --corpus DIR_WITH_79_243_79_175_78_213`", "",
             "## 2-fold cross-validation (weights tuned on one half, reported on the other)", "",
             "| tuned on | reported on | R@5 | MRR@10 | paraphrase R@5 | on the tuned half itself (R@5 / MRR@10) | dev R@5 | dev MRR@10 | lines (score / names) | flagged answerable | flagged unanswerable |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    untuned = {name: metrics(s, bench.run(start, s)) for name, s in (("A", a), ("B", b), ("dev", dev))}
    chosen = {}
    for train, test, utrain, utest, tname, sname in ((a, b, ua, ub, "A", "B"), (b, a, ub, ua, "B", "A")):
        cfg = tune(bench, train)
        chosen[tname] = cfg
        line, name_line = choose_lines(bench.run(cfg, train), bench.run(cfg, utrain))
        held = metrics(test, bench.run(cfg, test))
        tuned = metrics(train, bench.run(cfg, train))  # in-sample, beside the held-back figure it flatters
        dm = metrics(dev, bench.run(cfg, dev)) if dev else {"R@5": 0, "MRR@10": 0}
        fa = flagged(bench.run(cfg, test), line, name_line)
        fu = flagged(bench.run(cfg, utest), line, name_line)
        fd = flagged(bench.run(cfg, dev), line, name_line)
        lines.append(f"| {tname} | {sname} | {fmt(held)} | {tuned['R@5']:.3f} / {tuned['MRR@10']:.3f} | "
                     f"{dm['R@5']:.3f} | {dm['MRR@10']:.3f} | "
                     f"{line:.3f} / {name_line:.3f} | {fa:.2f} (dev {fd:.2f}) | {fu:.2f} |")
        lines.append(f"| (starting weights) | {sname} | {fmt(untuned[sname])} | | {untuned['dev']['R@5']:.3f} | "
                     f"{untuned['dev']['MRR@10']:.3f} | | | |")
    # A lever leaves its starting value only where both folds moved it to the same value: a change one
    # half wants and the other does not is noise of that half.
    final = {k: (chosen["A"][k] if chosen["A"][k] == chosen["B"][k] else v) for k, v in start.items()}
    line, name_line = choose_lines(bench.run(final, mine), bench.run(final, none))
    lines += ["", "Chosen per fold: " + "; ".join(f"{k}: {v}" for k, v in chosen.items()), "",
              f"## Fitted second stage (pairwise logistic over the top {RERANK_TOP}, weights fitted on one half)", "",
              "Features: " + ", ".join(FEATURES) + ". Regularisation towards the hand weights chosen by an inner "
              "2-fold split of the training half.", "",
              "| fitted on | reported on | strength | R@5 | MRR@10 | paraphrase R@5 | dev R@5 | dev MRR@10 | dev para R@5 |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    data = {"A": collect(bench, a, start), "B": collect(bench, b, start)}
    fitted = {}
    for tname, sname, test in (("A", "B", b), ("B", "A", a)):
        strength = choose_strength(data[tname])
        cfg = fitted_config(fit(data[tname], strength), start)
        fitted[tname] = cfg["EXTRA_WEIGHTS"]
        lines.append(f"| {tname} | {sname} | {strength} | {fmt(metrics(test, bench.run(cfg, test)))} | "
                     f"{fmt(metrics(dev, bench.run(cfg, dev)))} |")
        lines.append(f"| (starting weights) | {sname} | | {fmt(untuned[sname])} | {fmt(untuned['dev'])} |")
    lines += ["", "Fitted weights: " + "; ".join(f"{k}: {dict(v)}" for k, v in fitted.items()), ""]
    lines += [
              "## Ablations at the starting weights (R@5 | MRR@10 | paraphrase R@5)", "",
              "| variant | A R@5 | A MRR@10 | A para R@5 | B R@5 | B MRR@10 | B para R@5 | dev R@5 | dev MRR@10 | dev para R@5 |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    plain = search.expansion
    for terms in (3, 8):
        mined = MinedVocabulary(searcher.rows, terms)
        ABLATIONS[f"corpus-mined co-occurrence vocabulary ({terms} terms) added to vocabulary.tsv's"] = {
            "expansion": lambda q, mined=mined: f"{plain(q)} {mined(q)}".strip()}
    for name, change in ABLATIONS.items():
        cfg = {**start, **change}
        lines.append(f"| {name} | " + " | ".join(fmt(metrics(s, bench.run(cfg, s))) for s in (a, b, dev)) + " |")
    # Shipped: the weights above with the query adapter, at the adapted lines bench/train_adapter.py chose (the
    # lines chosen here are those of the search without the adapter).
    plain_final, plain_lines = final, (line, name_line)
    final = {**final, "QUERY_ADAPTER": True}
    line, name_line = ADAPTED_LINE, ADAPTED_NAME_LINE
    lines += ["", "## Shipped weights (a lever moves only where both folds agree; dev never used for tuning)", "",
              f"`{final}`, with the query adapter; confidence line {line:.3f}, name line {name_line:.3f} "
              f"(bench/train_adapter.py; without the adapter the lines chosen here are {plain_lines[0]:.3f} / "
              f"{plain_lines[1]:.3f}). Every set below but the unanswerable ones was in the adapter's fit, so their "
              "figures flatter it: bench/results/adapter.md has them set by set with an adapter fitted without them.",
              "", "| set | R@5 | MRR@10 | paraphrase R@5 | flagged |", "| --- | --- | --- | --- | --- |"]
    shipped = [("tests/eval (A+B)", mine), ("dev", dev), ("unanswerable", none)]
    for name, (answerable, unanswerable) in SEEN.items():  # earlier held-out sets, seen since they were measured
        shipped += [(f"{name}, seen since", load_gold(answerable)),
                    (f"{name} unanswerable, seen since", [dict(i, gold=[]) for i in load_gold(unanswerable)])]
    for name, s in shipped:
        runs = bench.run(final, s)
        lines.append(f"| {name} | {fmt(metrics(s, runs))} | {flagged(runs, line, name_line):.2f} |")
    lines += ["", "Flagged without the held-low rules (no number, person, place, vote or perpetrator where one is asked; "
              "two names the corpus never mentions; a name no near paragraph holds; a State with no statement; after "
              "the newest text): " + ", ".join(
                  f"{name} {flagged(bench.run({**final, **HOLD_OFF}, s), line, name_line):.2f}" for name, s in shipped if s)]
    # The held-out sets: written by helpers who never ran the search, read by nothing above; measured last.
    for number in args.heldout or HELD_OUT:
        lines += _held_out_section(bench, number, final, plain_final, (line, name_line), plain_lines)
    lines += _pooled_section(bench, [n for n in args.heldout or HELD_OUT if n in NATURAL], final, (line, name_line))
    lines += ["", f"({time.time() - started:.0f} s, {len(bench.memo)} question runs)", NOTES]
    text = "\n".join(lines) + "\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


def _held_out_questions(number: int) -> tuple[list[dict], list[dict]]:
    """A held-out set's answerable questions and its unanswerable ones (gold emptied), each [] when its file is absent."""
    answerable, unanswerable = _held_out(number)
    held = load_gold(str(answerable)) if answerable.exists() else []
    held_none = [dict(i, gold=[]) for i in load_gold(str(unanswerable))] if unanswerable.exists() else []
    return held, held_none


def _held_out_section(bench, number: int, final: dict, plain_final: dict, lines_adapted: tuple, plain_lines: tuple) -> list[str]:
    """One held-out set at the shipped weights and lines, with and without the held-low rules and the adapter."""
    held, held_none = _held_out_questions(number)
    line, name_line = lines_adapted
    lines: list[str] = []
    if held:
        lines += ["", f"## Held-out questions: heldout{number} (never used for any choice, measured at the "
                  "shipped weights and lines)", "", "| set | R@5 | MRR@10 | paraphrase R@5 | flagged |",
                  "| --- | --- | --- | --- | --- |"]
        for name, s in (("held-out answerable", held), ("held-out unanswerable", held_none)):
            runs = bench.run(final, s)
            lines.append(f"| {name} ({len(s)}) | {fmt(metrics(s, runs))} | {flagged(runs, line, name_line):.2f} |")
            unchecked = bench.run({**final, **HOLD_OFF}, s)
            lines.append(f"| ... without the held-low rules | {fmt(metrics(s, unchecked))} | "
                         f"{flagged(unchecked, line, name_line):.2f} |")
            plain = bench.run(plain_final, s)
            lines.append(f"| ... without the query adapter (its own lines) | {fmt(metrics(s, plain))} | "
                         f"{flagged(plain, *plain_lines):.2f} |")
        by_type: dict[str, list] = {}
        for item in held:
            by_type.setdefault(item.get("type", "?"), []).append(item)
        lines += ["", "By type (R@5): " + ", ".join(
            f"{t} {metrics(s, bench.run(final, s))['R@5']:.2f} ({len(s)})" for t, s in sorted(by_type.items()))]
    return lines


def _pooled_section(bench, numbers: list[int], final: dict, lines_adapted: tuple) -> list[str]:
    """The natural-topic held-out sets as one: per-set figures move by a question's worth (0.017, 0.038 for
    paraphrases), the pooled ones much less."""
    if len(numbers) < 2:
        return []
    sets = [_held_out_questions(n) for n in numbers]
    held = [item for answerable, _ in sets for item in answerable]
    held_none = [item for _, unanswerable in sets for item in unanswerable]
    runs, runs_none = bench.run(final, held), bench.run(final, held_none)
    names = ", ".join(f"heldout{n}" for n in numbers)
    return ["", f"## Held-out questions pooled: {names} (natural topics)", "",
            "| set | R@5 | MRR@10 | paraphrase R@5 | flagged |", "| --- | --- | --- | --- | --- |",
            f"| answerable ({len(held)}) | {fmt(metrics(held, runs))} | {flagged(runs, *lines_adapted):.2f} |",
            f"| unanswerable ({len(held_none)}) | {fmt(metrics(held_none, runs_none))} | "
            f"{flagged(runs_none, *lines_adapted):.2f} |"]


if __name__ == "__main__":
    sys.exit(main())
