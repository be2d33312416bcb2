"""`norms compare`: order-preserving paragraph alignment, word diffs and their three renderings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.lineage.compare import CHANGED, ONLY_A, ONLY_B, UNCHANGED, align, compare, compare_paragraphs, similarity_table
from assistant.errors import UsageError
from assistant.lineage.render import (GREEN, RED, RESET, compare_to_dict, compare_to_markdown, compare_to_text,
                                      diff_markdown, diff_text)
from assistant.records import DocInfo, Paragraph
from assistant.lineage.worddiff import DELETE, EQUAL, INSERT, DiffOp, diff, strip_note_markers, words
from corpus_fixtures import fake_searcher, resolution

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"


DRAFT_BODY = """Recalling its resolution 89/1 on the protection of undersea cables,

Noting with concern the growing number of incidents affecting submarine telecommunications infrastructure in coastal waters,

Welcoming the contribution of regional organizations to capacity-building in this field,

1. Calls upon States to protect undersea cables from deliberate damage and to share information on incidents;

2. Decides to include in the provisional agenda of its ninety-first session the item entitled "Undersea cables".
"""

# PP1 kept, PP2 edited, PP3 removed, a new OP 1 added so the old 1 and 2 are renumbered 2 and 3 (3 edited)
ADOPTED_BODY = """Recalling its resolution 89/1 on the protection of undersea cables,

Noting with serious concern the growing number of incidents affecting submarine telecommunications infrastructure in coastal and international waters,

1. Establishes an informal network of national contact points on the security of undersea cables, open to all Member States;

2. Calls upon States to protect undersea cables from deliberate damage and to share information on incidents;

3. Decides to include in the provisional agenda of its ninety-second session the item entitled “Undersea cables”.
"""


def write(folder: Path, session: int, year: int, body: str) -> None:
    text = resolution(session, year, body)
    (folder / f"A_RES_{session}_1.txt").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def fixture_searcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    write(folder, 90, 2035, DRAFT_BODY)
    write(folder, 91, 2036, ADOPTED_BODY)
    index = tmp_path_factory.mktemp("index")
    return fake_searcher([folder], index)


@pytest.fixture(scope="module")
def edits(fixture_searcher):
    return compare(fixture_searcher, "A/RES/90/1", "A/RES/91/1")


def statuses(comparison):
    return [(p.status, p.a.para if p.a else None, p.b.para if p.b else None) for p in comparison.pairs]


def test_known_edits_are_aligned_despite_renumbering(edits):
    assert statuses(edits) == [
        (UNCHANGED, "PP1", "PP1"),
        (CHANGED, "PP2", "PP2"),
        (ONLY_A, "PP3", None),
        (ONLY_B, None, "1"),
        (UNCHANGED, "1", "2"),
        (CHANGED, "2", "3"),
    ]
    assert edits.summary() == {UNCHANGED: 2, CHANGED: 2, ONLY_A: 1, ONLY_B: 1}


def test_changed_pair_has_exact_word_diff(edits):
    pp2 = edits.pairs[1]
    assert [(o.op, o.text) for o in pp2.diff] == [
        (EQUAL, "Noting with"), (INSERT, "serious"),
        (EQUAL, "concern the growing number of incidents affecting submarine telecommunications infrastructure in coastal"),
        (INSERT, "and international"), (EQUAL, "waters,"),
    ]
    assert 0.8 < pp2.similarity < 1.0
    session = edits.pairs[5]
    assert [(o.op, o.text) for o in session.diff if o.op != EQUAL] == [(DELETE, "ninety-first"), (INSERT, "ninety-second")]


def test_quote_style_alone_is_not_a_change(edits):
    # the draft has "Undersea cables", the adopted text “Undersea cables”: only the session differs
    assert "“Undersea cables”." in edits.pairs[5].diff[-1].text


def test_text_rendering_plain_when_piped(edits):
    out = compare_to_text(edits, color=False)
    lines = out.splitlines()
    assert lines[0].startswith("A/RES/90/1 (2035-12-05, resolution) → A/RES/91/1 (2036-12-05, resolution)")
    assert lines[1] == "2 unchanged · 2 changed · 1 only in A/RES/90/1 · 1 only in A/RES/91/1"
    flat = " ".join(out.split())  # the diff is wrapped to 80 columns
    assert "Noting with {+serious+} concern" in flat
    assert "[-ninety-first-] {+ninety-second+}" in flat
    assert "  - PP3  only in A/RES/90/1" in out and "  + 1  only in A/RES/91/1" in out
    assert "  = 1 → 2  unchanged" in out
    assert "\x1b" not in out
    assert max(len(line) for line in lines) <= 80


def test_text_rendering_colour_uses_only_red_and_green(edits):
    out = compare_to_text(edits, color=True)
    assert f"{GREEN}serious{RESET}" in out and f"{RED}ninety-first{RESET}" in out
    assert "{+" not in out and "[-" not in out
    assert "\x1b" not in out.replace(GREEN, "").replace(RED, "").replace(RESET, "")


def test_markdown_rendering(edits):
    out = compare_to_markdown(edits)
    assert out.startswith("## A/RES/90/1 → A/RES/91/1\n")
    assert "| 2 | 2 | 1 | 1 |" in out
    assert "Noting with **serious** concern" in out
    assert "~~ninety-first~~ **ninety-second**" in out
    assert "### PP3 — only in A/RES/90/1" in out


def test_json_schema(edits):
    data = json.loads(json.dumps(compare_to_dict(edits)))
    assert set(data) == {"a", "b", "summary", "pairs"}
    assert set(data["a"]) == {"symbol", "title", "date", "kind"} and data["b"]["symbol"] == "A/RES/91/1"
    assert data["summary"] == {"unchanged": 2, "changed": 2, "only_a": 1, "only_b": 1}
    for pair in data["pairs"]:
        assert set(pair) == {"status", "a_para", "b_para", "a_citation", "b_citation", "similarity", "moved",
                             "a_text", "b_text", "diff"}
        assert all(set(op) == {"op", "text"} and op["op"] in ("equal", "insert", "delete") for op in pair["diff"])
    assert data["pairs"][3] == {**data["pairs"][3], "status": "only_b", "a_para": None, "b_para": "1",
                                "b_citation": "A/RES/91/1, para. 1", "similarity": 0.0}
    assert data["pairs"][3]["diff"][0]["op"] == "insert"


def test_unknown_document_is_a_usage_error(fixture_searcher):
    with pytest.raises(UsageError, match="unknown document"):
        compare(fixture_searcher, "A/RES/90/1", "A/RES/12/345")


def _doc(symbol):
    return DocInfo(symbol, "t\x1b[2J", "2030-01-01", "resolution", "en", "x")


def test_hostile_text_never_reaches_output_raw():
    evil = "Calls upon States\x1b[31m to act\x1b]8;;http://x\x07 now\x9b2J and\u202e later;"
    a = [Paragraph("A/1", "1", "Calls upon States to act now and later;", 0, role="operative")]
    b = [Paragraph("B/1", "1", evil, 0, role="operative")]
    comparison = compare_paragraphs(_doc("A/1"), a, _doc("B/1"), b)
    assert comparison.pairs[0].status == UNCHANGED  # same words once the escapes are gone
    rendered = [compare_to_text(comparison), compare_to_markdown(comparison),
                json.dumps(compare_to_dict(comparison), ensure_ascii=False)]
    colour = compare_to_text(comparison, color=True).replace(GREEN, "").replace(RED, "").replace(RESET, "")
    for out in rendered + [colour]:
        assert not any(c in out for c in "\x1b\x07\x9b\u202e"), repr(out)


def test_diff_renderers_on_ops():
    ops = [DiffOp(EQUAL, "States should"), DiffOp(DELETE, "not *ever*"), DiffOp(INSERT, "never"), DiffOp(EQUAL, "act.")]
    assert diff_text(ops, width=200, indent="") == "States should [-not *ever*-] {+never+} act."
    assert diff_markdown(ops) == r"States should ~~not \*ever\*~~ **never** act."
    wrapped = diff_text(ops * 10, width=30, indent="  ")
    assert all(len(line) <= 30 for line in wrapped.splitlines())


def test_word_diff_and_normalisation():
    assert words("Capacity-building; States’ “ICTs”") == ["capacity", "building", "states", "icts"]
    assert diff("a b c", "a b c") == [DiffOp(EQUAL, "a b c")]
    assert diff("Also decides to act", "Decides to act") == [DiffOp(DELETE, "Also"), DiffOp(EQUAL, "Decides to act")]
    notes = {"1", "2", "3"}
    assert strip_note_markers("the 2010, 1 2013 2 and 2015 3 reports", notes) == "the 2010, 2013 and 2015 reports"
    assert strip_note_markers("the 2010,1 20132 and 20153 reports", notes) == "the 2010, 2013 and 2015 reports"
    assert strip_note_markers("Security,1 to continue; adoption;2", notes) == "Security, to continue; adoption;"
    for kept in ("paragraph 1.6 of", "Article 2 (3) of", "resolution 73/27, 2 December 2018", "G2 summit"):
        assert strip_note_markers(kept, notes) == kept


WORD = st.sampled_from("States should not conduct or knowingly support ICT activity, damages “critical” infrastructure;".split())
TEXT = st.lists(WORD, min_size=0, max_size=12).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT, max_size=8), st.lists(TEXT, max_size=8))
def test_alignment_keeps_every_paragraph_once_and_in_order(texts_a, texts_b):
    sims, _ = similarity_table([words(t) for t in texts_a], [words(t) for t in texts_b])
    pairs = align(len(texts_a), len(texts_b), sims)
    assert sorted(i for i, _ in pairs if i is not None) == list(range(len(texts_a)))
    assert sorted(j for _, j in pairs if j is not None) == list(range(len(texts_b)))
    a_seen = [i for i, _ in pairs if i is not None]
    b_seen = [j for _, j in pairs if j is not None]
    assert a_seen == sorted(a_seen) and b_seen == sorted(b_seen)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_diff_rebuilds_the_new_text_and_the_old_words(old, new):
    ops = diff(old, new)
    assert " ".join(o.text for o in ops if o.op != DELETE).split() == new.split()
    assert words(" ".join(o.text for o in ops if o.op != INSERT)) == words(old)
    assert all(o.text for o in ops) and all(x.op != y.op for x, y in zip(ops, ops[1:]))


# -- the real documents ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_searcher(tmp_path_factory):
    if not (SHARED / "seed").is_dir() or not (SHARED / "cyber").is_dir():
        pytest.skip("../shared/corpus is not present")
    index = tmp_path_factory.mktemp("real-index")
    return fake_searcher([SHARED / "seed", SHARED / "cyber"], index)


def test_draft_l37_and_adopted_73_266_are_the_same_text(real_searcher):
    comparison = compare(real_searcher, "A/C.1/73/L.37", "A/RES/73/266")
    labels = [p.para for p in real_searcher.paragraphs("A/C.1/73/L.37") if p.role not in ("footnote", "heading")]
    assert len(labels) == 25 and labels[:2] == ["PP1", "PP2"] and labels[-1] == "6"
    assert statuses(comparison) == [(UNCHANGED, label, label) for label in labels]
    # the adopted text prints footnote calls ("2010,1 20132"), which the chunker takes out of the words,
    # and curly quotes the draft lacks: still unchanged
    raw = {p.para: p.text for p in real_searcher.paragraphs("A/RES/73/266")}
    draft = {p.para: p.text for p in real_searcher.paragraphs("A/C.1/73/L.37")}
    assert raw["1(a)"] == draft["1(a)"] and raw["6"] != draft["6"]


def test_75_240_against_78_237(real_searcher):
    comparison = compare(real_searcher, "A/RES/75/240", "A/RES/78/237")
    by_a = {p.a.para: p for p in comparison.pairs if p.a}
    assert (by_a["PP8"].status, by_a["PP8"].b.para) == (UNCHANGED, "PP4")  # dual-use, renumbered
    assert (by_a["PP21"].status, by_a["PP21"].b.para) == (UNCHANGED, "PP12")  # defamatory campaigns
    agenda = by_a["5"]
    assert (agenda.status, agenda.b.para) == (CHANGED, "9")
    assert [(o.op, o.text) for o in agenda.diff if o.op != EQUAL] == [
        (DELETE, "Also"), (DELETE, "seventy-sixth"), (INSERT, "seventy-ninth")]
    recalling = by_a["PP1"]
    assert recalling.status == CHANGED
    assert any(o.op == INSERT and "75/240 of 31 December 2020" in o.text for o in recalling.diff)
    # capacity-building: 75/240 PP4 merged into the longer 78/237 PP17
    assert (by_a["PP4"].status, by_a["PP4"].moved) in ((CHANGED, None), (ONLY_A, "PP17"))
    pairs = [(p.a.order if p.a else None, p.b.order if p.b else None) for p in comparison.pairs]
    matched = [(i, j) for i, j in pairs if i is not None and j is not None]
    assert matched == sorted(matched) and [j for _, j in matched] == sorted(j for _, j in matched)  # order kept
    s = comparison.summary()
    assert s[UNCHANGED] + s[CHANGED] + s[ONLY_A] == 27 and s[UNCHANGED] + s[CHANGED] + s[ONLY_B] == 27


def test_same_document_is_all_unchanged(real_searcher):
    comparison = compare(real_searcher, "73/27", "A/RES/73/27")
    assert comparison.summary()[UNCHANGED] == len(comparison.pairs) > 30


def test_fixture_file_copy_keeps_paragraphs(tmp_path):
    # a corpus folder holding the same resolution twice under two symbols compares as identical
    write(tmp_path, 90, 2035, DRAFT_BODY)
    shutil.copy(tmp_path / "A_RES_90_1.txt", tmp_path / "copy.txt")
    (tmp_path / "copy.txt").write_text((tmp_path / "copy.txt").read_text().replace("A/RES/90/1", "A/RES/92/1")
                                       .replace("90/1.", "92/1."), encoding="utf-8")
    index = tmp_path / "index"
    searcher = fake_searcher([tmp_path], index)
    assert compare(searcher, "A/RES/90/1", "A/RES/92/1").summary() == {UNCHANGED: 5, CHANGED: 0, ONLY_A: 0, ONLY_B: 0}


# -- near-linear alignment equals the full table -----------------------------------------------------------------
def _all_pairs_table(words_a, words_b):
    """The all-pairs overlap test that prefix filtering replaces: the reference for which pairs are kept."""
    from assistant.lineage.compare import PREFILTER_OVERLAP

    kept = set()
    for i, wa in enumerate(words_a):
        for j, wb in enumerate(words_b):
            sa, sb = set(wa), set(wb)
            if sa and sb and len(sa & sb) / min(len(sa), len(sb)) >= PREFILTER_OVERLAP:
                kept.add((i, j))
    return kept


def test_prefix_filter_keeps_every_pair_that_can_match():
    import random

    from assistant.lineage.compare import MATCH_MIN
    from assistant.lineage.worddiff import CONTAINED_WEIGHT, overlap

    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(40)] + ["the", "of", "and", "states"] * 10
    for _ in range(30):
        paras_a = [rng.sample(vocabulary, rng.randint(1, 12)) for _ in range(rng.randint(1, 15))]
        paras_b = [rng.sample(vocabulary, rng.randint(1, 12)) for _ in range(rng.randint(1, 15))]
        sims, _ = similarity_table(paras_a, paras_b)
        kept = _all_pairs_table(paras_a, paras_b)
        assert set(sims) <= kept
        for i, j in kept - set(sims):  # left out only when the word match could not reach MATCH_MIN
            match = overlap(paras_a[i], paras_b[j])
            assert max(match.ratio, CONTAINED_WEIGHT * match.contained()) < MATCH_MIN


def test_sparse_alignment_walks_as_the_full_table_does():
    import random

    from assistant.lineage.compare import align_by_table

    rng = random.Random(11)
    for _ in range(300):
        n, m = rng.randint(0, 9), rng.randint(0, 9)
        table = type(similarity_table([], [])[0])()
        for i in range(n):
            for j in range(m):
                if rng.random() < 0.35:
                    table[i, j] = rng.choice([0.3, 0.5, 0.6, 0.75, 1.0, 0.55])  # repeated values: ties to break
        assert align(n, m, table) == align_by_table(n, m, table), (n, m, dict(table))


def test_a_document_against_itself_is_all_unchanged_as_the_full_alignment_says():
    texts = ["Recalls its resolution 1;", "Decides to remain seized;", "Recalls its resolution 1;", "Welcomes;"]
    info = DocInfo("A/RES/1/1", "t", "2020-01-01", "resolution", "en", "")
    rows = [Paragraph("A/RES/1/1", str(n), t, n, role="operative") for n, t in enumerate(texts)]
    fast = compare_paragraphs(info, rows, info, rows)
    sims, _ = similarity_table([words(t) for t in texts], [words(t) for t in texts])
    assert [(p.a.para, p.b.para, p.status) for p in fast.pairs] == [
        (rows[i].para, rows[j].para, UNCHANGED) for i, j in align(len(texts), len(texts), sims)]


def test_run_labels_crossing_into_the_operative_part_name_it():
    from assistant.lineage.render import _span

    assert _span(["PP1", "PP2", "PP15"]) == "PP1–PP15"
    assert _span(["3", "4", "6"]) == "3–6"
    assert _span(["PP12", "PP13", "1", "6"]) == "PP12 … OP 6"  # not "PP12 … 6", which reads as PP6
