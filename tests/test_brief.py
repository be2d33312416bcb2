"""Tests for `norms brief`: question files in, cited Markdown/HTML/JSON-lines briefings out."""

# Golden files live in tests/golden/: briefings of the real engine (fake embedder) over the fixture corpus of
# real_engine.py, made through the CLI. After a deliberate change of the output, or of ranking and citations,
# regenerate them with `NORMS_UPDATE_GOLDEN=1 python -m pytest tests/test_brief.py` and review the diff.

from __future__ import annotations

import difflib
import io
import json
import os
import re
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assistant.brief.briefing import build_briefing, choose_format, render_html, render_jsonl, render_markdown, run_brief, \
    undocs_url
from assistant.brief.questions import Question, Section, parse_json, parse_text, parse_yaml, read_questions
from assistant.brief.render import github_slug
from assistant.errors import IndexMissing
from assistant.records import Filters
from assistant.present import answer_to_dict
from real_engine import FIXTURE_CORPUS, Observed, WithoutLineage, build_fixture_engine, open_engine

GOLDEN = Path(__file__).parent / "golden"
LABEL = "fixture corpus"
NOON = datetime(2024, 5, 1, 12, 0)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Run:
    """One run_brief call with captured streams and a counting engine loader."""

    index: Path  # the session's fixture index, set by the autouse fixture below

    def __init__(self, source, *, engine=None, output=None, fmt=None, k=3, no_timestamp=True, stdin="",
                 now=lambda: NOON, stderr=None, lineage=False):
        self.engine = engine or Observed(open_engine(self.index))
        self.loads = 0
        self.stdout, self.stderr = io.StringIO(), stderr or io.StringIO()
        self.code = run_brief(str(source), engine_loader=self._load, output=None if output is None else str(output),
                              fmt=fmt, k=k, no_timestamp=no_timestamp, corpus_label=LABEL,
                              stdin=io.StringIO(stdin), stdout=self.stdout, stderr=self.stderr, now=now,
                              lineage=lineage)

    def _load(self):
        self.loads += 1
        return self.engine

    @property
    def out(self) -> str:
        return self.stdout.getvalue()

    @property
    def err(self) -> str:
        return self.stderr.getvalue()


@pytest.fixture(autouse=True)
def real_engine_for_runs(fixture_index, monkeypatch):
    monkeypatch.setattr(Run, "index", fixture_index, raising=False)


def check_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("NORMS_UPDATE_GOLDEN") == "1":
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{name} changed; NORMS_UPDATE_GOLDEN=1 regenerates it"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- golden files ---------------------------------------------------------------------------------

def brief_command(index: Path, *args: str) -> int:
    """`norms brief ARGS` in this process over the fixture corpus, named relative to the working folder."""
    from assistant.cli.main import main

    corpus = [arg for path in FIXTURE_CORPUS for arg in ("--corpus", os.path.relpath(path))]
    return main(["brief", *args, *corpus, "--index", str(index), "--model", "fake", "--no-timestamp"])


@pytest.mark.parametrize("name", ["brief.md", "brief.jsonl"])
def test_golden_output(name, tmp_path, monkeypatch, capsys, fixture_index):
    monkeypatch.chdir(GOLDEN)  # messages name the file as typed (questions.yaml:17), the corpus as ../fixture_corpus
    assert brief_command(fixture_index, "questions.yaml", "-o", str(tmp_path / name)) == 2
    assert capsys.readouterr().out == ""
    check_golden(name, (tmp_path / name).read_bytes())


@pytest.mark.parametrize("name", ["brief-lineage.md", "brief-lineage.jsonl"])
def test_golden_output_with_lineage(name, tmp_path, monkeypatch, fixture_index):
    monkeypatch.chdir(GOLDEN)
    assert brief_command(fixture_index, "questions.yaml", "-o", str(tmp_path / name), "--lineage") == 2
    check_golden(name, (tmp_path / name).read_bytes())


def test_lineage_lists_the_other_versions_under_each_paragraph():
    markdown = Run(GOLDEN / "questions.txt", lineage=True).out
    norm = markdown.index("— **A/RES/73/27, para. 1.6**")
    listed = markdown[norm:].split("\n\n", 3)[1:3]
    # the 2015 GGE norm 73/27 adopted word for word, and the 2021 report's restatement, by date
    assert listed == ["Lineage:", "- 2015-07-22 — A/70/174, para. 13(f) — identical\n"
                                  "- 2021-07-14 — A/76/135, para. 42 — near-identical"]
    assert "Lineage:\n\n- no other version in the corpus" in markdown
    html_out = Run(GOLDEN / "questions.txt", fmt="html", lineage=True).out
    assert '<ul class="lineage">\n<li>2015-07-22 — A/70/174, para. 13(f) — identical</li>' in html_out
    assert "Lineage" not in Run(GOLDEN / "questions.txt").out  # only when asked for
    for line in Run(GOLDEN / "questions.txt", fmt="jsonl", lineage=True).out.splitlines():
        for result in json.loads(line).get("results", []):
            source = result["lineage"]["source"]
            assert (source["symbol"], source["para"]) == (result["symbol"], result["para"])
            assert any(entry["source"] for entry in result["lineage"]["chain"])


def test_lineage_from_an_engine_without_it_says_not_available(fixture_index):
    run = Run(GOLDEN / "questions.txt", engine=WithoutLineage(open_engine(fixture_index)), lineage=True)
    assert run.code == 0
    assert "lineage is not available with this engine" in run.err
    assert run.out.count("- not available") == run.out.count("Lineage:") > 0
    jsonl = Run(GOLDEN / "questions.txt", engine=WithoutLineage(open_engine(fixture_index)), fmt="jsonl",
                lineage=True).out
    assert all(r["lineage"] is None for line in jsonl.splitlines() for r in json.loads(line)["results"])


def test_lineage_list_is_short_and_in_date_order():
    from assistant.brief.render import LINEAGE_SHOWN, lineage_lines

    from assistant.lineage.trace import Lineage, Link, Source
    from assistant.records import DocInfo, Paragraph

    def link(n: int, relation: str, similarity: float) -> Link:
        doc = DocInfo(f"A/RES/{n}/1", "t", f"20{10 + n}-01-01", "resolution", "en", "")
        return Link(Paragraph(doc.symbol, "1", "x", 0), doc, "x", similarity, similarity, relation, is_source=n == 0)

    chain = [link(n, relation, similarity)
             for n, (relation, similarity) in enumerate([("identical", 1.0)] + [("related", 0.5 + n / 100)
                                                                               for n in range(LINEAGE_SHOWN + 2)])]
    lines = lineage_lines(Lineage(Source("x"), chain, omitted=3))
    assert len(lines) == LINEAGE_SHOWN + 1 and lines[-1] == "and 5 more"
    assert lines[0].startswith("2013-01-01") and lines[-2].startswith("2020-01-01")  # the two least similar left out
    assert lineage_lines(None) == ["not available"]


def test_jsonl_lines_are_the_ask_json_objects(monkeypatch, fixture_index):
    monkeypatch.chdir(GOLDEN)
    run = Run("questions.yaml", fmt="jsonl")
    lines = run.out.splitlines()
    questions = read_questions("questions.yaml", io.StringIO()).questions
    assert len(lines) == len(questions)
    for line, question in zip(lines, questions):
        data = json.loads(line)
        if question.problem or question.filters.docs == ["A/RES/99/1"]:
            assert set(data) == {"question", "error"} and data["error"].startswith("questions.yaml:")
            continue
        answer = open_engine(fixture_index).ask(question.text, k=question.k or 3, filters=question.filters)
        assert line == json.dumps(answer_to_dict(answer), ensure_ascii=False)


def test_markdown_contents_links_reach_headings(monkeypatch):
    monkeypatch.chdir(GOLDEN)
    markdown = Run("questions.yaml").out
    used: set[str] = set()
    headings = [github_slug(re.sub(r"\\(.)", r"\1", h), used) for h in re.findall(r"^#+ (.*)$", markdown, re.M)]
    links = re.findall(r"\]\(#([^)]+)\)", markdown)
    assert links and set(links) <= set(headings)


def test_markdown_references_and_also_in():
    # 73/27 adopted norm 13 (f) of the 2015 GGE report word for word: one paragraph, cited from the resolution
    questions = "What do States say about critical infrastructure?\nParis Call individuals\n"
    markdown = Run("-", stdin=questions, k=1).out
    assert "— **A/RES/73/27, para. 1.6**" in markdown
    assert "also in A/70/174, para. 13(f) (2015-07-22)" in markdown
    references = markdown.split("## References\n", 1)[1]
    assert "- **A/RES/73/27** — Developments in the field" in references
    assert "<https://undocs.org/A/RES/73/27>" in references
    assert "<https://undocs.org/A/70/174>" in references  # cited only through also-in
    paris = [line for line in references.splitlines() if "PARIS-CALL-2018" in line]
    assert paris and "undocs.org" not in paris[0]


# -- HTML -----------------------------------------------------------------------------------------

class Page(HTMLParser):
    """Collects tags, attributes, the text of <cite> elements and all text, as a browser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.cites: list[str] = []
        self.text: list[str] = []
        self.ids: set[str] = set()
        self.style = ""
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        self.ids |= {attrs["id"]} if "id" in attrs else set()
        self._open.append(tag)
        if tag == "cite":
            self.cites.append("")

    def handle_endtag(self, tag):
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag):]

    def handle_data(self, data):
        self.text.append(data)
        if "cite" in self._open:
            self.cites[-1] += data
        if "style" in self._open:
            self.style += data


def parse_page(markup: str) -> Page:
    page = Page()
    page.feed(markup)
    page.close()
    return page


def test_html_has_every_citation_and_nothing_external(monkeypatch, fixture_index):
    monkeypatch.chdir(GOLDEN)
    engine = open_engine(fixture_index)
    items = read_questions("questions.yaml", io.StringIO())
    briefing = build_briefing(items.items, engine, 3, title=items.title, corpus_label=LABEL)
    page = parse_page(render_html(briefing, generated=NOON))
    cited = [hit.citation() for o in briefing.outcomes if o.answer for hit in o.answer.results]
    assert len(cited) >= 8 and sorted(page.cites) == sorted(cited)
    text = "".join(page.text)
    assert "Not answered: questions.yaml:17: entry has no question" in text
    assert all(citation in text for citation in cited) and "Generated: 2024-05-01 12:00" in text
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "base", "form"}
    assert not any(name.startswith("on") or name == "src" for _, attrs in page.tags for name in attrs)
    hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert all(h[1:] in page.ids if h.startswith("#") else h.startswith("https://undocs.org/") for h in hrefs)
    assert "@media print" in page.style and "url(" not in page.style and "@import" not in page.style


def test_html_escapes_hostile_document_text(tmp_path):
    hostile = tmp_path / "A_RES_99_9.txt"
    hostile.write_text("---\nsymbol: A/RES/99/9\ntitle: Title \"><img src=x onerror=alert(1)>\ndate: 2020-01-01\n"
                       "kind: resolution\n---\n1. Hostile <script>alert('norm')</script> critical infrastructure"
                       " \x1b[31mred\x1b[0m & more\n", encoding="utf-8")
    engine = build_fixture_engine(tmp_path / "index", [hostile])
    briefing = build_briefing([Question("hostile critical infrastructure <b>bold</b>", k=8)], engine, 3)
    markup = render_html(briefing)
    page = parse_page(markup)
    assert not {tag for tag, _ in page.tags} & {"script", "img", "b"}
    text = "".join(page.text)
    assert "Hostile <script>alert('norm')</script> critical infrastructure red & more" in text
    assert 'Title "><img src=x onerror=alert(1)>' in text
    assert "\x1b" not in markup
    markdown = render_markdown(briefing)
    assert "<script>" not in markdown and "\\<script\\>" in markdown and "\x1b" not in markdown
    assert "\x1b" not in render_jsonl(briefing)


# -- errors ---------------------------------------------------------------------------------------

def test_missing_file_fails_fast_with_one_message(tmp_path):
    run = Run(tmp_path / "nope.txt", output=tmp_path / "brief.md")
    assert run.code == 1 and run.loads == 0 and run.out == ""
    assert run.err.count("\n") == 1 and f"cannot read {tmp_path / 'nope.txt'}" in run.err
    assert not (tmp_path / "brief.md").exists()


def test_undecodable_and_unparsable_files_fail(tmp_path):
    latin = tmp_path / "q.txt"
    latin.write_bytes("Quelle norme protège l'infrastructure ?".encode("latin-1"))
    assert Run(latin).code == 1
    broken = write(tmp_path / "q.yaml", "questions:\n  - one\n  - [unclosed\n")
    run = Run(broken)
    assert run.code == 1 and run.loads == 0 and re.search(r"q\.yaml:\d+: not valid YAML", run.err)
    run = Run(write(tmp_path / "q.json", '[\n  "one",\n  "two"\n  "three"\n]\n'))
    assert run.code == 1 and "q.json:4: not valid JSON" in run.err
    run = Run(write(tmp_path / "shape.yaml", "title: only a title\n"))
    assert run.code == 1 and "shape.yaml" in run.err
    run = Run(write(tmp_path / "empty.txt", "# nothing but a comment\n\n"))
    assert run.code == 1 and "no questions" in run.err and run.loads == 0


def test_bad_entries_are_reported_by_line_and_the_rest_answered(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "questions.yaml", "\n".join([
        "- Which norm protects critical infrastructure?",        # 1 fine
        "- question: ''",                                          # 2 empty
        "- question: Who helps?",                                  # 3 bad k
        "  k: 0",
        "- Which norm: protects the teams?",                       # 5 unquoted colon
        "- question: What about response teams?",                  # 6 bad year
        "  since: last year",
        "- question: Emergency response teams?",                   # 8 unknown document
        "  doc: A/RES/99/1",
        "- [a, list]",                                             # 10 not an entry
        "- question: Typo?",                                       # 11 unknown key
        "  dosc: [A/RES/73/27]",
        "- question: Reversed years?",                             # 13
        "  since: 2019",
        "  until: 2018",
        "- How should States respond to requests for assistance?",  # 16 fine
    ]) + "\n")
    run = Run("questions.yaml", output=tmp_path / "brief.md")
    assert run.code == 2 and run.loads == 1
    expected = [
        "questions.yaml:2: entry has no question",
        "questions.yaml:3: k must be a whole number of at least 1, not 0",
        "questions.yaml:5: entry has no question (quote a question that contains ': ')",
        "questions.yaml:6: since must be a year or a date (YYYY or YYYY-MM-DD), not 'last year'",
        "questions.yaml:8: unknown document: A/RES/99/1 (see `norms docs`)",
        "questions.yaml:10: entry must be a question or a mapping with question or section",
        "questions.yaml:11: unknown key 'dosc'",
        "questions.yaml:13: since (2019-01-01) is after until (2018-12-31)",
    ]
    lines = run.err.splitlines()
    assert len(lines) == len(expected) + 1 and lines[-1] == "norms: 8 of 10 questions not answered"
    # malformed entries are reported before the engine loads, failed questions after they are asked
    assert lines[7].startswith("questions.yaml:8: unknown document")
    by_line = sorted(lines[:-1], key=lambda line: int(line.split(":")[1]))
    for line, start in zip(by_line, expected):
        assert line.startswith(start)
    markdown = (tmp_path / "brief.md").read_text(encoding="utf-8")
    assert markdown.count("**Not answered:** questions.yaml:") == 8
    assert "**Not answered:** questions.yaml:8: unknown document: A/RES/99/1" in markdown
    assert markdown.count("\n> ") >= 4  # the two good questions still have their paragraphs
    assert [asked[0] for asked in run.engine.asked] == ["Which norm protects critical infrastructure?",
                                                        "Emergency response teams?",
                                                        "How should States respond to requests for assistance?"]


def test_all_answered_exits_zero_quietly(tmp_path):
    run = Run(GOLDEN / "questions.txt", output=tmp_path / "out.html")
    assert run.code == 0 and run.err == "" and run.out == "" and run.loads == 1
    assert (tmp_path / "out.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_engine_that_cannot_load_is_one_message(tmp_path):
    def loader():
        raise IndexMissing("no index in index/ (run `norms index`)")

    stderr = io.StringIO()
    code = run_brief(str(GOLDEN / "questions.txt"), engine_loader=loader, output=None, fmt=None, k=3,
                     no_timestamp=True, corpus_label=LABEL, stdin=io.StringIO(), stdout=io.StringIO(), stderr=stderr)
    assert code == 1 and stderr.getvalue() == "norms: no index in index/ (run `norms index`)\n"


def test_a_crash_never_leaves_a_half_briefing(tmp_path, fixture_index):
    class Exploding(Observed):
        def ask(self, question, k=5, filters=None):
            if len(self.asked) == 2:
                raise RuntimeError("engine crashed")
            return super().ask(question, k, filters)

    target = write(tmp_path / "brief.md", "the previous briefing\n")
    with pytest.raises(RuntimeError):
        Run(GOLDEN / "questions.txt", engine=Exploding(open_engine(fixture_index)), output=target)
    assert target.read_text(encoding="utf-8") == "the previous briefing\n"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]


def test_unwritable_output_is_exit_1(tmp_path):
    run = Run(GOLDEN / "questions.txt", output=tmp_path / "missing-folder" / "brief.md")
    assert run.code == 1 and "cannot write" in run.err


# -- determinism and progress ---------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["md", "html", "jsonl"])
def test_same_input_gives_identical_bytes(fmt, monkeypatch):
    monkeypatch.chdir(GOLDEN)
    first = Run("questions.yaml", fmt=fmt, now=lambda: NOON).out
    second = Run("questions.yaml", fmt=fmt, now=lambda: datetime(2031, 1, 2, 3, 4)).out
    assert first == second


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_generation_time_is_exactly_one_line(fmt, monkeypatch):
    monkeypatch.chdir(GOLDEN)
    first = Run("questions.yaml", fmt=fmt, no_timestamp=False, now=lambda: NOON).out.splitlines()
    later = datetime(2024, 5, 2, 9, 30, tzinfo=timezone.utc)
    second = Run("questions.yaml", fmt=fmt, no_timestamp=False, now=lambda: later).out.splitlines()
    changed = [line for line in difflib.ndiff(first, second) if line[:2] in ("- ", "+ ")]
    assert changed == ["- " + next(l for l in first if "2024-05-01 12:00" in l),
                       "+ " + next(l for l in second if "2024-05-02 09:30 +0000" in l)]


def test_progress_bar_only_on_a_terminal():
    terminal = Terminal()
    assert Run(GOLDEN / "questions.txt", stderr=terminal).code == 0
    assert "brief [" in terminal.getvalue() and terminal.getvalue().endswith("4/4\n")
    assert Run(GOLDEN / "questions.txt").err == ""


# -- reading questions ----------------------------------------------------------------------------

def test_text_questions_comments_blank_lines_and_sections():
    parsed = read_questions(str(GOLDEN / "questions.txt"), io.StringIO())
    kinds = [(type(item).__name__, item.title if isinstance(item, Section) else item.text) for item in parsed.items]
    assert kinds == [
        ("Question", "Which norm says a State should not damage critical infrastructure?"),
        ("Section", "Assistance and response teams"),
        ("Question", "How should States respond to requests for assistance when critical infrastructure is attacked?"),
        ("Question", "Who must not harm the emergency response teams of another State?"),
        ("Section", "The 2018 First Committee draft"),
        ("Question", "Which reports of the Group of Governmental Experts should guide States?"),
    ]
    assert parsed.items[2].origin.endswith("questions.txt:5")
    assert parse_text("### not a section\n##\nQ?\n", "x").items == [Question("Q?", "x:3")]


def test_questions_from_stdin():
    run = Run("-", stdin="## Norms\nWhich norm protects critical infrastructure?\n\n# comment\n", fmt="md")
    assert run.code == 0
    assert "## Norms" in run.out and "### 1. Which norm protects critical infrastructure?" in run.out
    assert "## Questions" not in run.out  # no questions before the first heading
    assert "## Questions" in Run("-", stdin="Which norm protects critical infrastructure?\n").out


def test_yaml_and_json_say_the_same():
    from_yaml = read_questions(str(GOLDEN / "questions.yaml"), io.StringIO())
    from_json = read_questions(str(GOLDEN / "questions.json"), io.StringIO())
    strip = lambda items: [(type(i), getattr(i, "text", getattr(i, "title", None)), getattr(i, "k", None),
                            getattr(i, "filters", None), getattr(i, "problem", None)) for i in items]
    assert from_yaml.title == from_json.title == "Cyber norms: critical infrastructure and the 2018 drafts"
    assert strip(from_yaml.items) == strip(from_json.items)
    assert [i.origin.rsplit(":", 1)[1] for i in from_json.items] == ["4", "5", "6", "11", "17", "18", "23", "24",
                                                                      "25"]


def test_per_question_k_documents_and_years_reach_the_engine(monkeypatch):
    monkeypatch.chdir(GOLDEN)
    for name in ("questions.yaml", "questions.json"):
        run = Run(name, k=3)
        asked = {question: (k, filters) for question, k, filters in run.engine.asked}
        assert asked["How should States respond to requests for assistance when critical infrastructure is attacked?"] \
            == (1, Filters(docs=["A/RES/73/27"]))
        assert asked["Who must not harm the emergency response teams of another State?"] \
            == (2, Filters(since="2018-01-01", until="2018-12-31"))
        assert asked["Which reports of the Group of Governmental Experts should guide States?"] \
            == (3, Filters(docs=["A/C.1/73/L.37"], kinds=["draft resolution"]))
        assert asked["What did States agree on critical infrastructure before 2010?"] == (3, Filters(until="2009-12-31"))


def test_yaml_list_form_dates_and_kinds():
    parsed = parse_yaml("- question: Q one?\n  since: 2015-07-22\n  until: 2018-06\n"
                        "- question: Q two?\n  docs: A/RES/73/27\n  kinds: [resolution, report]\n", "q.yaml")
    first, second = parsed.items
    assert parsed.title is None
    assert first.problem == "until must be a year or a date (YYYY or YYYY-MM-DD), not '2018-06'"
    assert second.filters == Filters(docs=["A/RES/73/27"], kinds=["resolution", "report"]) and not second.problem
    assert parse_yaml("- question: Q?\n  since: 2015-07-22\n", "q").items[0].filters.since == "2015-07-22"
    assert parse_json('{"questions": [{"section": ""}, {"question": "Q?", "k": true}]}', "q.json").items[0].problem \
        == "section has no title"
    assert parse_json('[{"question": "Q?", "k": true}]', "q.json").items[0].problem.startswith("k must be")


# -- small parts ----------------------------------------------------------------------------------

def test_format_choice():
    assert choose_format(None, None) == "md"
    assert choose_format(None, "out/brief.HTML") == "html"
    assert choose_format(None, "brief.json") == "jsonl" == choose_format(None, "brief.jsonl")
    assert choose_format(None, "brief.txt") == "md"
    assert choose_format("jsonl", "brief.html") == "jsonl"


def test_undocs_links_only_for_un_symbols():
    assert undocs_url("A/RES/73/27") == "https://undocs.org/A/RES/73/27"
    assert undocs_url("S/2019/123") == "https://undocs.org/S/2019/123"
    assert undocs_url("E/CN.4/2005/L.10") == "https://undocs.org/E/CN.4/2005/L.10"
    assert undocs_url("PARIS-CALL-2018") is None
    assert undocs_url("ASEAN/2018") is None


def test_lineage_flag_reaches_run_brief(monkeypatch):
    import assistant.brief.briefing
    from assistant.cli.main import main

    from assistant.errors import NormsError

    seen = {}

    def record(source, **kwargs):
        seen.update(kwargs)
        raise NormsError("stop here")  # the flag is what this test is about, not the briefing

    monkeypatch.setattr(assistant.brief.briefing, "prepare_brief", record)
    assert main(["brief", "questions.txt", "--lineage"]) == 1 and seen["lineage"] is True
    assert main(["brief", "questions.txt"]) == 1 and seen["lineage"] is False
