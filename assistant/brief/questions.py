"""Read the questions of a briefing from a text, YAML or JSON file (or standard input), with line numbers."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, Union

import yaml

from assistant.dates import make_filters
from assistant.errors import NormsError, UsageError
from assistant.records import Filters
from assistant.sanitize import one_line

# The question file formats:
#
# Text (any other extension, or `-` for standard input): one question per line; blank lines and lines
# starting with `#` are ignored, except `## Heading`, which starts a section.
#
# YAML (.yaml/.yml) and JSON (.json): either a list of entries, or a mapping
# `{title: "...", questions: [entries]}`. An entry is one of
#
#     "Which norm protects critical infrastructure?"          # a question with the defaults
#     {section: "Critical infrastructure"}                    # starts a section
#     {question: "...", k: 2,                                 # paragraphs for this question
#      docs: [A/RES/73/27] | doc: A/RES/73/27,                # only these documents
#      since: 2015 | 2015-07-22, until: 2018 | 2018-12-31,    # year (whole year) or ISO date, inclusive
#      kind: resolution | kinds: [resolution, report]}        # only these document kinds
#
# A malformed entry does not stop the briefing: it becomes a question with a `problem`, reported with
# its file and line and marked "not answered"; only an unreadable or unparsable file is fatal.

ENTRY_KEYS = ("question", "section", "k", "docs", "doc", "since", "until", "kind", "kinds")
TOP_KEYS = ("title", "questions")


@dataclass(frozen=True)
class Section:
    """A heading that groups the questions after it."""

    title: str
    origin: str = ""  # "questions.yaml:3", for messages


@dataclass
class Question:
    """One question to ask, with its own k and filters, or the reason it cannot be asked."""

    text: str
    origin: str = ""  # "questions.yaml:7"
    k: int | None = None  # None: the briefing's k
    filters: Filters = field(default_factory=Filters)
    problem: str | None = None  # why the entry is malformed; set means "not answered"

    def where(self, message: str) -> str:
        """The message prefixed with file:line, as compilers do, so editors can jump to it."""
        return f"{self.origin}: {message}" if self.origin else message


Item = Union[Section, Question]


@dataclass
class QuestionFile:
    """What a questions file holds: an optional title and its sections and questions in order."""

    name: str
    title: str | None
    items: list[Item]

    @property
    def questions(self) -> list[Question]:
        return [item for item in self.items if isinstance(item, Question)]


def read_questions(source: str, stdin: TextIO) -> QuestionFile:
    """Read and parse `source` (a path, or `-` for stdin); NormsError (exit 1) if it cannot be read."""
    if source == "-":
        return parse_text(stdin.read(), "<stdin>")
    try:
        text = Path(source).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NormsError(f"cannot read {source}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise NormsError(f"cannot read {source}: {(exc.strerror or str(exc)).lower()}") from None
    suffix = Path(source).suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            return parse_yaml(text, source)
        if suffix == ".json":
            return parse_json(text, source)
    except RecursionError:
        raise NormsError(f"{source}: nested too deeply to be a questions file") from None
    except ValueError as exc:  # an integer of thousands of digits, a date YAML cannot build
        raise NormsError(f"{source}: cannot read: {one_line(str(exc))[:120]}") from None
    return parse_text(text, source)


def parse_text(text: str, name: str) -> QuestionFile:
    items: list[Item] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        heading = re.fullmatch(r"##\s+(.*\S)", stripped)
        if heading:
            items.append(Section(one_line(heading.group(1)), f"{name}:{number}"))
        elif stripped and not stripped.startswith("#"):
            items.append(Question(one_line(stripped), f"{name}:{number}"))
    return QuestionFile(name, None, items)


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as the text written, so assistant.dates checks them (2018-02-30 included)."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def parse_yaml(text: str, name: str) -> QuestionFile:
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader: no tags that build objects)
        root = yaml.compose(text, Loader=_Loader)  # the same tree with line numbers
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise NormsError(f"{where}: not valid YAML: {reason}") from None
    entry_nodes = root.value if isinstance(root, yaml.SequenceNode) else []
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "questions" and isinstance(value, yaml.SequenceNode):
                entry_nodes = value.value
    return _build(data, [node.start_mark.line + 1 for node in entry_nodes], name)


def parse_json(text: str, name: str) -> QuestionFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NormsError(f"{name}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    offsets = _json_entry_offsets(text, data)
    return _build(data, [text.count("\n", 0, offset) + 1 for offset in offsets], name)


def _build(data, lines: list[int], name: str) -> QuestionFile:
    """Check the top-level shape (fatal if wrong), then turn each entry into a Section or Question."""
    title = None
    entries = data
    if isinstance(data, dict):
        unknown = [str(key) for key in data if key not in TOP_KEYS]
        if unknown:
            raise NormsError(f"{name}: unknown key {unknown[0]!r} (expected: title, questions)")
        title = data.get("title")
        if title is not None and not isinstance(title, str):
            raise NormsError(f"{name}: title must be text")
        title = one_line(title) if title else None
        entries = data.get("questions")
    if not isinstance(entries, list):
        raise NormsError(f"{name}: expected a list of questions, or a mapping with title and questions")
    if len(lines) != len(entries):  # cannot happen for well-formed input; never drop an entry for it
        lines = [0] * len(entries)
    items = [_entry(entry, f"{name}:{line}" if line else name) for entry, line in zip(entries, lines)]
    return QuestionFile(name, title, items)


def _entry(entry, origin: str) -> Item:
    """One YAML/JSON entry to an item; a malformed one becomes a Question carrying its problem."""
    if isinstance(entry, str):
        entry = {"question": entry}
    if not isinstance(entry, dict):
        return Question("", origin, problem="entry must be a question or a mapping with question or section")
    text = entry.get("question")
    text = one_line(text) if isinstance(text, str) else ""
    try:
        return _checked_entry(entry, text, origin)
    except ValueError as exc:
        return Question(text, origin, problem=str(exc))


def _checked_entry(entry: dict, text: str, origin: str) -> Item:
    unknown = [str(key) for key in entry if key not in ENTRY_KEYS]
    if "section" in entry:
        if len(entry) > 1:
            raise ValueError("a section entry takes no other keys")
        section = entry["section"]
        if not isinstance(section, str) or not one_line(section):
            raise ValueError("section has no title")
        return Section(one_line(section), origin)
    if unknown and len(entry) == 1 and " " in unknown[0]:
        # `- Which norm: protects?` is read by YAML as a mapping; say how to fix it
        raise ValueError("entry has no question (quote a question that contains ': ')")
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} (expected: {', '.join(ENTRY_KEYS)})")
    if "question" in entry and not isinstance(entry["question"], str):
        raise ValueError("question must be text")
    if not text:
        raise ValueError("entry has no question")
    k = entry.get("k")
    if k is not None and (isinstance(k, bool) or not isinstance(k, int) or k < 1):
        raise ValueError(f"k must be a whole number of at least 1, not {k!r}")
    if "doc" in entry and "docs" in entry:
        raise ValueError("use either doc or docs, not both")
    if "kind" in entry and "kinds" in entry:
        raise ValueError("use either kind or kinds, not both")
    try:
        filters = make_filters(_names(entry.get("docs", entry.get("doc")), "docs"), entry.get("since"),
                               entry.get("until"), _names(entry.get("kinds", entry.get("kind")), "kinds"), prefix="")
    except UsageError as exc:
        raise ValueError(str(exc)) from None
    return Question(text, origin, k, filters)


def _names(value, key: str) -> list[str]:
    """A string or a list of strings, as a list of non-empty one-line strings."""
    if value is None:
        return []
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and one_line(v) for v in values):
        raise ValueError(f"{key} must be text or a list of text")
    return [one_line(v) for v in values]


_SPACE = re.compile(r"[ \t\n\r]*")


def _json_entry_offsets(text: str, data) -> list[int]:
    """Where each entry of the questions list starts in already-validated JSON (json has no positions)."""
    decoder = json.JSONDecoder()
    pos = _SPACE.match(text, 0).end()
    if isinstance(data, dict):
        starts = dict(_json_members(text, pos, decoder))
        if not isinstance(data.get("questions"), list):
            return []
        pos = starts["questions"]
    elif not isinstance(data, list):
        return []
    return [start for _, start in _json_members(text, pos, decoder)]


def _json_members(text: str, pos: int, decoder: json.JSONDecoder) -> list[tuple[object, int]]:
    """(key or index, start offset of the value) for the array or object starting at `pos`."""
    closing = "]" if text[pos] == "[" else "}"
    members: list[tuple[object, int]] = []
    pos = _SPACE.match(text, pos + 1).end()
    while text[pos] != closing:
        key: object = len(members)
        if closing == "}":
            key, pos = decoder.raw_decode(text, pos)
            pos = _SPACE.match(text, _SPACE.match(text, pos).end() + 1).end()  # past the colon
        members.append((key, pos))
        _, pos = decoder.raw_decode(text, pos)
        pos = _SPACE.match(text, pos).end()
        if text[pos] == ",":
            pos = _SPACE.match(text, pos + 1).end()
    return members
