"""The weights and switches of retrieval: each feature's weight in the fused score, and which rules are on.

Every value was kept or dropped by 2-fold cross-validation on tests/eval (bench/quality.py, which also reports
../shared/eval/dev.jsonl and the held-out sets); bench/results/quality.md has the figures. The searcher reads
them at call time, so the bench and the tests can change them on this module.
"""

from __future__ import annotations

BM25_WEIGHT = 0.3  # weight of max-normalised BM25 against cosine
YEAR_BOOST = 0.05  # a year named in the question, matched with the document's date
PART_BOOST = 0.05  # "in its preamble" / "operative": paragraphs of that part
WHEN_BOOST = 0.05
VERB_BOOST = 0.15  # "what does it decide/welcome/request": operative paragraphs opening with that verb
OPERATIVE_BOOST = 0.05  # ... and operative paragraphs in general, for the same questions
FACT_BOOST = 0.4  # "who sponsored", "when adopted", "on whose report": the heading unit
HEADING_PENALTY = 0.1  # the heading unit for any other question: it only repeats the title
FOREIGN_PENALTY = 0.15  # a paragraph not in the question's language, whose BM25 match is then ignored
DECISION_BOOST = 0.05  # "what does it decide about X": operative paragraphs about X with another opening verb
DECISION_PREAMBLE_PENALTY = 0.1  # ... and its preambular paragraphs lower
MANDATE_BOOST = 0.6  # "what is the mandate of X": the paragraph creating X, times the share of X's words its name holds
TITLE_DOC_BOOST = 0.2  # "the cybercrime treaty": documents whose title holds the words naming the text (0 = off, see bench/)
TITLE_SCOPE = True  # ... and those naming words are left out of the content scored (dense and BM25)
TITLE_SCOPE_MAX = 3  # only when they name at most this many documents (a loose name is content)
TITLE_BEST = True  # ... the documents whose titles hold the most of those words, not every title holding half
TITLE_POOL = 50  # ... and the named documents' own nearest paragraphs join the candidates (0 = off)
VERB_ON_TOPIC = True  # the verb boost goes to paragraphs that also share the question's other words
PREAMBLE_PENALTY = 0.0  # preambular paragraphs recall and note; operative ones answer (0 = off)
YEAR_DOC_BOOST = 0.05  # "the 2021 resolution": a year naming a text, matched with the document's date
PRF_WEIGHT = 0.0  # RM3-style feedback: BM25 of words shared by the first hits (0 = off; measured, see bench/)
PRF_DOCS, PRF_TERMS = 3, 10
PREAMBLE_VERB_BOOST = 0.1  # "what does L.37 welcome?": preambular paragraphs opening with that verb ("Welcoming ...")
TREATY_PREAMBLE_PENALTY = 0.2  # "does the cybercrime treaty let police ...": the named treaty's preamble states no rule
MODAL_PREAMBLE_PENALTY = 0.1  # "Can a country refuse ...?", "are States allowed to": operative paragraphs set what is allowed
KEYWORDS_WHEN_ALL_FOREIGN = True  # ... but when every paragraph in scope is foreign, its keyword match counts
FOLLOW_UP_BOOST = 0.6  # "will it come back on the agenda?": the paragraph keeping the question before the Assembly
OFF_FIELD_PENALTY = 0.2  # texts little about ICTs, under those of the field (search/field.py)
KIND_BOOST = 0.1  # "how does it define X?", "who chaired?": paragraphs giving the kind of fact asked (search/answerkind.py)
KINDS_BOOSTED = ("definition",)  # measured: lifting persons, numbers or places also lifts them past the kind check
STATEMENT_BOOST = 0.1  # "did any delegation argue ...?": paragraphs of statement compendiums
ARTICLE_LEAD_BOOST = 0.05  # a treaty article's first paragraph ("art. 37(1)", "art. 64") over its later ones
ANSWER_KIND = True  # a question asking for a number, a person or a vote is low unless a top hit holds one
ANSWER_KIND_DEPTH = 3
YEAR_COPY = True  # a year in the question also picks the copy of repeated language shown
SILENT_STATES = True  # "What did China say?" is low when the corpus holds no statement of China's
PHRASE_NAMES, PHRASE_POOL = True, 200  # a name of capitalised words that no near paragraph holds is held low
STATEMENT_PHRASES = True  # ... and for 'which delegation said X', no near statement
AFTER_NEWEST = True  # "what did it decide in 2026?" asked of texts ending in 2025 is low
NAMES_ALWAYS_LOW = 2  # a question naming this many things the corpus never mentions is low whatever the score
QUERY_ADAPTER = True  # the query adapter fitted for the model, when one ships (search/adapter.py, bench/train_adapter.py)
ADAPTER_STRENGTH = 1.0  # how far it moves the question (1: as fitted)
DENSE_WITHOUT_FRAME = True  # the dense query leaves out "Do the resolutions say that" (see bench/)
EXPAND_DENSE = True  # add the UN wording of lay terms to the dense query too (see bench/)
CONFIDENCE_LINE = None  # None: search/confidence.py's calibrated lines (the bench overrides them while tuning)
NAME_LINE = None


EXTRA_FEATURES = False  # recency, statement, length: features only the fitted model of the bench may weigh
EXTRA_WEIGHTS: tuple = ()  # (feature, weight) pairs overriding the above: a fitted model, while measuring


def feature_weights() -> dict[str, float]:
    """The weight of each named feature of Searcher._rank, read from this module's settings at call time."""
    return {"cosine": 1.0, "keyword": BM25_WEIGHT, "foreign": -FOREIGN_PENALTY, "year": YEAR_BOOST,
            "year_text": YEAR_DOC_BOOST, "preambular": -PREAMBLE_PENALTY, "when": WHEN_BOOST, "part": PART_BOOST,
            "operative_asked": OPERATIVE_BOOST, "opening": VERB_BOOST, "decision": DECISION_BOOST,
            "decision_preamble": -DECISION_PREAMBLE_PENALTY, "mandate": MANDATE_BOOST, "title_named": TITLE_DOC_BOOST,
            "heading_fact": FACT_BOOST, "heading_other": -HEADING_PENALTY, "article_lead": ARTICLE_LEAD_BOOST,
            "off_field": -OFF_FIELD_PENALTY, "statement_asked": STATEMENT_BOOST, "gives_kind": KIND_BOOST,
            "follow_up": FOLLOW_UP_BOOST, "opening_preamble": PREAMBLE_VERB_BOOST,
            "treaty_preamble": -TREATY_PREAMBLE_PENALTY, "modal_preamble": -MODAL_PREAMBLE_PENALTY,
            **dict(EXTRA_WEIGHTS)}
