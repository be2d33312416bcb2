"""What a question asks of a document's structure: operative verbs ("what does it decide"), heading facts, language."""

from __future__ import annotations

import re

from assistant.documents.language import detect_language

# The opening verbs of UN operative paragraphs, as (name, pattern matching the verb in any form, and the plain
# words people use for it: "did it back / praise / denounce ...").
OPERATIVE_VERBS = (
    ("decide", r"decid\w*"), ("welcome", r"welcom\w*|prais\w*|applaud\w*|hail(?:s|ed)?"), ("request", r"request\w*"),
    ("call upon", r"call(?:s|ed|ing)?\s+(?:up)?on"), ("encourage", r"encourag\w*"), ("establish", r"establish\w*"),
    ("invite", r"invit\w*"), ("urge", r"urg(?:e|es|ed|ing)"), ("note", r"(?:takes?|took|taking)\s+note|not(?:e|es|ed|ing)"),
    ("recognize", r"recogni[sz]\w*"), ("support", r"support\w*|back(?:s|ed|ing)?(?=\s+(?:the|a|an|its|this|their)\s)"), ("endorse", r"endors\w*"), ("adopt", r"adopt\w*"),
    ("affirm", r"(?:re)?affirm\w*"), ("emphasize", r"emphasi[sz]\w*"), ("stress", r"stress\w*"),
    ("condemn", r"condemn\w*|denounc\w*"), ("recommend", r"recommend\w*"), ("underline", r"underlin\w*"),
    ("acknowledge", r"acknowledg\w*"), ("convene", r"conven\w*"), ("express", r"express\w*"),
)
_VERB_PATTERNS = tuple((name, re.compile(rf"\b{pattern}\b", re.I)) for name, pattern in OPERATIVE_VERBS)
# A paragraph's opening: adverbs that qualify the verb come first ("Also decides", "Further requests").
_OPENING = re.compile(r"^(?:(?:also|further|further also|once again|again|strongly|firmly|hereby)\s+)*"
                      r"((?:call|take)s?\s+(?:up)?(?:on|note)|\w+)", re.I)
# Asking what a body is for names its mandate: set by Decides / Establishes / Requests paragraphs.
_MANDATE = re.compile(r"\b(?:mandate[sd]?|tasked|terms of reference|purpose of)\b"
                      r"|\b(?:asked|charged|set up|created|convened)\s+to\s+do\b"
                      r"|\b(?:working\s+group|group|body|mechanism|committee|panel|forum)\b.*\b(?:expected|supposed|meant)\s+to\b",
                      re.I)
_MANDATE_WORDS = re.compile(r"\b(?:mandate[sd]?|tasked|terms of reference|purpose|asked|charged|set up|created"
                            r"|convened|to do|expected|supposed|meant)\b", re.I)
_ASK_TO = re.compile(r"\b(?:ask(?:s|ed)?|tell(?:s)?)\s+the\s+(?:Secretary|Office|Chair|Group)", re.I)
# The question is about what a text does (not about what States should do) when it names a text.
_TEXT_SUBJECT = re.compile(r"\b(?:resolution|draft|decision|the (?:General )?Assembly|the GA|this text|the text|it)\b", re.I)
# Facts the heading unit states: sponsors, adoption date and meeting, committee report, agenda item, vote.
# ("the resolution sponsored by Russia" names a text by its sponsor: it does not ask for the sponsors.)
FACT_QUESTION = re.compile(
    r"\b(?:who\s+(?:sponsored|submitted|tabled|proposed|introduced)|(?:co-?)?sponsor(?:s|ed|ship)?\b(?!\s+by\s+[A-Z])"
    r"|when\s+(?:was|were|did)\b.*\b(?:adopt\w*|pass\w*|issu\w*|distribut\w*|publish\w*)"
    r"|date\s+of\s+(?:adoption|issue)|(?:which|what)\s+committee|whose\s+report|on\s+the\s+report"
    r"|agenda\s+item|(?:recorded\s+)?vot(?:e|es|ed|ing)\b|where\s+was\b.*\badopted|which\s+session"
    r"|plenary\s+meeting|(?:full|official|formal|exact)\s+(?:title|name)|(?:what|which)\s+title|\bunder\s+what\s+(?:title|name)"
    r"|what\s+is\s+(?:the\s+|its\s+)?title\b|\btitle\s+of\s+(?:the\s+|this\s+)?(?:resolution|draft|text|document))", re.I)


def question_verbs(question: str, names_document: bool) -> set[str]:
    """The operative verbs the question asks about; empty unless it asks what a text or a body does."""
    verbs = {name for name, pattern in _VERB_PATTERNS if pattern.search(question)}
    if _MANDATE.search(question):
        return verbs | {"decide", "establish", "request"}
    if _ASK_TO.search(question):
        verbs.add("request")
    if verbs and (names_document or _TEXT_SUBJECT.search(question)):
        return verbs
    return set()


# "Decides to convene ... a new open-ended working group ...": a paragraph that creates a body, and so states what
# it is for; the body created is the noun phrase brought in by "a"/"an" ("a new open-ended working group on ...").
_CREATES = re.compile(r"^(?:(?:also|further|hereby)\s+)*(?:decide[sd]\s+to\s+(?:convene|establish|create|set\s+up|constitute"
                      r"|launch)|establish(?:es|ed)\b|convenes\b)", re.I)
_NEW_THING = re.compile(r"\b(?:a|an)\s+([^,;:]{3,200})", re.I)
_DECIDE = re.compile(r"\bdecid\w*", re.I)


# "the cybercrime treaty", "the 2023 resolution on rights and digital technologies": a text named by its subject
# (one text: "the UN human rights resolutions on technology" names a kind of text, which any of several may be)
_TEXT_NAME = re.compile(r"((?:[\w'-]+\s+){0,3})(?:treaty|convention|resolution|declaration|call|text|compendium)\b"
                        r"((?:\s+(?:on|against|for)(?:\s+[\w'-]+){1,4})?)", re.I)


def title_words(question: str, tokenize) -> set[str]:
    """The words of the question that name a text by its subject ("cybercrime" in "the cybercrime treaty")."""
    words: set[str] = set()
    for m in _TEXT_NAME.finditer(question):
        words |= set(tokenize(f"{m.group(1)} {m.group(2)}"))
    return {w for w in words if not w.isdigit()}


def without_words(question: str, words: set[str], tokenize) -> str:
    """The question without the words whose tokens all name the text ("Where will the treaty be signed?" from
    "Where will the cybercrime treaty be signed?"): once the text is known they are scope, not content."""
    kept = [w for w in question.split() if not (tokenize(w) and set(tokenize(w)) <= words)]
    return " ".join(kept) or question


# "Do the UN texts say that ...", "Is there GA language warning that ...", "..., according to GA resolutions": words
# that ask whether the texts say something, around what they should say.
_AUX = r"(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should)"
_SOURCE = (r"(?:the\s+|any\s+|a\s+|an\s+)?(?:(?:19|20)\d\d\s+)?(?:(?:UN|United\s+Nations|GA|General\s+Assembly|cyber|UN's|Assembly's"
           r"|agreed|international|Paris)\s+)*(?:texts?|resolutions?|language|wording|declaration|Call|Assembly|GA|UN|documents?"
           r"|drafts?|reports?|provisions?)")
_SAY = (r"(?:say|says|saying|said|state|states|stating|mention|mentions|mentioning|address|addresses|addressing"
        r"|recogni[sz]e|recogni[sz]es|acknowledge|acknowledges|affirm|confirm|contain|include|warn|warns|warning"
        r"|remind\s+(?:\w+\s+)?of|take\s+a\s+(?:stand|position)\s+on|speak\s+(?:to|of|about))")
_LEADING_FRAME = re.compile(
    rf"^\s*{_AUX}\s+(?:there\s+(?:any\s+)?{_SOURCE}(?:\s+(?:saying|stating|warning|that\s+says))?"
    rf"|{_SOURCE}(?:\s+(?:ever|plainly|explicitly|anywhere|actually|also|really))?\s+{_SAY})"
    r"(?:\s+(?:plainly|explicitly|clearly|anywhere|anything))?(?:\s+(?:anything\s+)?(?:about|that|on|regarding))?\s+", re.I)
_TRAILING_FRAME = re.compile(rf",?\s+(?:according\s+to|in|under)\s+{_SOURCE}\s*(?=[?.!]*\s*$)", re.I)


def without_frame(question: str) -> str:
    """The question without the words that ask whether the texts say it ("Do the UN texts say that X?" -> "X?");
    the model then compares what is asked about, not the asking, with each paragraph."""
    rest = _TRAILING_FRAME.sub("", _LEADING_FRAME.sub("", question, count=1), count=1)
    return rest if len(rest.split()) >= 3 else question


# "Will the topic come back on the agenda?", "When will the Assembly take up privacy again?": the closing paragraph
# that keeps the question before the Assembly answers ("Decides to include in the provisional agenda of its ...
# session", "Decides to continue its consideration of the question at its ... session", "remain seized").
_FOLLOW_UP = re.compile(r"\b(?:come|comes|coming)\s+back\b|\breturn(?:s|ed)?\s+to\b|\brevisit\w*|\bon\s+(?:the|its)\s+"
                        r"(?:\w+\s+)?agenda\b|\b(?:take|takes|taken|taking)\s+up\b.*\bagain\b"
                        r"|\b(?:consider|discuss|debate|examine|look\s+at)\w*\b.*\bagain\b|\bnext\s+session\b"
                        r"|\bnext\s+(?:take|takes|consider|discuss|debate|examine|address|return)", re.I)
_KEEPS_ON_AGENDA = re.compile(r"^(?:(?:also|further)\s+)*decides\s+(?:to\s+include\s+in\s+the\s+provisional\s+agenda"
                              r"|to\s+continue\s+(?:its\s+)?consideration|to\s+remain\s+(?:actively\s+)?seized)", re.I)


def asks_follow_up(question: str) -> bool:
    """Whether the question asks when (or whether) the Assembly takes the matter up again."""
    return bool(_FOLLOW_UP.search(question))


def keeps_on_agenda(text: str) -> bool:
    """Whether an operative paragraph keeps the question before the Assembly at a later session."""
    return bool(_KEEPS_ON_AGENDA.match(text.strip()))


_SPEECH = (r"(?:say|said|says|argue[sd]?|call(?:ed|s)?|want(?:ed|s)?|stress(?:ed|es)?|express(?:ed|es)?|warn(?:ed|s)?"
           r"|complain(?:ed|s)?|thank(?:ed|s)?|prais(?:e|ed|es)|describ(?:e|ed|es)|insist(?:ed|s)?|urg(?:e|ed|es)"
           r"|suggest(?:ed|s)?|propos(?:e|ed|es)|mention(?:ed|s)?|regret(?:ted|s)?|critici[sz](?:e|ed|es)|rais(?:e|ed|es)"
           r"|singl(?:e|ed)|hail(?:ed|s)?|spoke|speak|voic(?:e|ed)|push(?:ed)?|back(?:ed)?|recall(?:ed|s)?|remark(?:ed|s)?"
           r"|fear(?:ed|s)?|object(?:ed|s)?|welcom(?:e|ed|es)|note[sd]?|point(?:ed)?|stat(?:e|ed)|claim(?:ed|s)?)")
# "Did any delegation argue ...?", "Which countries insisted ...?": what delegations said, i.e. their statements
_ASKS_STATEMENTS = re.compile(
    rf"\b(?:any|which|some|one|several|many|other|did)\s+(?:\w+\s+)?(?:delegations?|countr(?:y|ies)|States|"
    rf"speakers?|governments?)\s+(?:\w+\s+){{0,2}}?{_SPEECH}\b"
    rf"|\b(?:any|which|what|some|one)\s+delegations?\b|\bdelegations?\s+{_SPEECH}\b", re.I)


def asks_statements(question: str) -> bool:
    """Whether the question asks what delegations said, without naming one: the statements answer."""
    return bool(_ASKS_STATEMENTS.search(question))


def asks_mandate(question: str) -> bool:
    """Whether the question asks what a body is for (its mandate, task, terms of reference)."""
    return bool(_MANDATE.search(question))


def asks_decisions(question: str) -> bool:
    """'What does it decide about X' asks what the text does about X: every operative paragraph about X answers,
    whatever its verb (Welcomes the proposal, Underlines, Requests ...)."""
    return bool(_DECIDE.search(question)) and not asks_mandate(question)


def created_share(text: str, wanted: set[str], tokenize) -> float:
    """For a paragraph that creates a body: the largest share of the question's words (`wanted`) held by one
    noun phrase it introduces with "a"/"an" (the body created); 0.0 for any other paragraph."""
    if not wanted or not _CREATES.match(text.strip()):
        return 0.0
    return max((len(wanted & set(tokenize(m.group(1)))) / len(wanted) for m in _NEW_THING.finditer(text)), default=0.0)


def strip_verbs(question: str) -> str:
    """The question without its operative verbs and the words that only frame it ("what does ... do")."""
    for _, pattern in _VERB_PATTERNS:
        question = pattern.sub(" ", question)
    return _MANDATE_WORDS.sub(" ", _FRAME.sub(" ", question))


_FRAME = re.compile(r"\b(?:what|which|does|did|do|was|were|is|are|resolution|draft|text|the|General|Assembly|about|on|in|of)"
                    r"\b", re.I)


def opening_verb(text: str) -> str | None:
    """The verb an operative paragraph opens with, by name ("Also decides to ..." -> "decide")."""
    m = _OPENING.match(text.strip())
    if not m:
        return None
    word = m.group(1)
    for name, pattern in _VERB_PATTERNS:
        if pattern.fullmatch(word) or pattern.match(word):
            return name
    return None


def is_fact_question(question: str) -> bool:
    return bool(FACT_QUESTION.search(question))


_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


def unknown_names(question: str, known, uncapitalised: bool | None = None) -> list[str]:
    """Names in the question the corpus never uses ("Tallinn", "NotPetya", "NIS2"): capitalised or
    alphanumeric words past the first, none of whose index tokens `known(token)` accepts. A question typed
    without capitals ("does the tallinn manual ...") has no capitalised names: there an unknown word counts
    when it heads an instrument or an incident ("tallinn manual", "cyberpeace institute")."""
    from assistant.index.lexical import tokenize
    from assistant.search.expansion import expansion

    if uncapitalised is None:  # the searcher says it of the question as typed, before document names leave it
        uncapitalised = typed_without_capitals(question)
    out = []
    for m in _WORD.finditer(question):
        word = m.group(0)
        named = word[0].isupper() or (any(c.isdigit() for c in word) and any(c.isalpha() for c in word))
        if m.start() == 0 or not (named or uncapitalised):
            continue
        tokens = tokenize(word)
        if not tokens or any(known(t) for t in tokens) or expansion(word):
            continue
        # typed without capitals, only an unknown word heading a thing is a name (looked up for unknown words only)
        if named or names_a_thing(question[m.start():], [word]):
            out.append(word)
    return out


def typed_without_capitals(question: str) -> bool:
    """Whether the question has no capital letter past its first character ("does the tallinn manual ...")."""
    return not any(c.isupper() for c in question[1:])


# What a name heads in a question about something the corpus never mentions: "the NotPetya attack", "the Conti
# ransomware", "the Wassenaar arrangement", "Operation Aurora intrusions"
_HEADED_BY = (r"(?:manual|convention|directive|act|regulation|declaration|agreement|arrangement|principles|initiative"
              r"|treaty|protocol|strategy|framework|institute|attacks?|ransomware|malware|worm|botnet|breach|hack"
              r"|intrusions?|incidents?|campaign|summit|spyware)")


def names_a_thing(question: str, names: list[str]) -> bool:
    """Whether one of the unknown names heads an instrument or an incident in the question ("the Conti ransomware
    attack"): the question is about that thing, so one such name is enough to say nothing answers it."""
    return any(re.search(rf"{re.escape(n)}(?:['’]s)?\s+(?:[\w-]+\s+)?{_HEADED_BY}\b", question, re.I) for n in names)


_NAME_RUN = re.compile(r"(?<![\w-])(?:[A-Z][\w-]*\s+)+[A-Z][\w-]*(?![\w-])")
_QUESTION = re.compile(r"\?\s*$|^\s*(?:what|who|whom|whose|when|where|which|how|why|is|are|was|were|does|do|did|can|could"
                       r"|should|would|will|has|have|had|may|must)\b", re.I)


def is_question(text: str) -> bool:
    """A question rather than a search-box query ("Global ICT Security Cooperation Portal")."""
    return bool(_QUESTION.search(text))


def unknown_phrases(question: str, texts, skip) -> list[str]:
    """Names of two or more capitalised words ("Counter Ransomware Initiative", "Geneva Dialogue") that no text of
    `texts` (a list, or a function giving one) holds, though each word may be known alone. Acronyms split a name ("EU Cyber Resilience Act" ->
    "Cyber Resilience Act"); the question's first word and names `skip(name)` accepts (States) do not count."""
    haystack = None
    out = []
    for m in _NAME_RUN.finditer(_POSSESSIVE.sub("", question)):
        words = m.group(0).split()
        if question[: m.start()].strip() == "":
            words = words[1:]  # "Does the ...": the first word is capitalised for the sentence
        for name in (" ".join(run) for run in _runs_without_acronyms(words)):
            if name.count(" ") < 1 or skip(name):
                continue
            if haystack is None:  # read only when the question has a name to look up
                haystack = [" ".join(t.split()).lower() for t in (texts() if callable(texts) else texts)]
            if not any(name.lower() in text for text in haystack):
                out.append(name)
    return out


_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")


def _runs_without_acronyms(words: list[str]) -> list[list[str]]:
    runs: list[list[str]] = [[]]
    for word in words:
        if word.isupper():  # "EU Cyber Resilience Act": the acronym is not part of the name
            runs.append([])
        else:
            runs[-1].append(word)
    return [run for run in runs if run]


def question_language(question: str) -> str:
    """The language of the question; short English questions read as "und", which counts as English."""
    language = detect_language(question)
    return "en" if language == "und" else language
