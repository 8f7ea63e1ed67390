"""What a reader typed, as a query both engines understand alike. Pure: no Django.

The language is the one search boxes have taught readers: words (all must
match), "a phrase" in double quotes, and -word or -"a phrase" to exclude. The
parser never fails: whatever comes in (10 kB of text, only punctuation, an
unclosed quote, odd Unicode) comes out as a `ParsedQuery`, possibly empty, with
notes the results page shows.

Words are runs of letters, digits and combining marks; everything else separates
them, so the query strings built here carry nothing but words, spaces, quotes and
minus signs. Common English words are dropped outside phrases, as PostgreSQL's
`english` configuration drops them, so SQLite matches the same stories.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

MAX_CHARS = 300  # of the query as typed; the rest is ignored (and the reader told)
MAX_TERMS = 10  # words and phrases together
MAX_WORD = 40  # longer "words" are noise (a pasted hash, a URL): ignored

QUOTES = frozenset('"\u201c\u201d\u201e\u201f\u00ab\u00bb\uff02')  # straight, curly, guillemets, full-width
DASHES = frozenset("-\u2212\u2013")  # hyphen-minus, minus sign, en dash

# PostgreSQL's english stop list (snowball), so both engines ignore the same words.
_STOP_LIST = (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers "
    "herself it its itself they them their theirs themselves what which who whom this that these those am is "
    "are was were be been being have has had having do does did doing a an the and but if or because as until "
    "while of at by for with about against between into through during before after above below to from up "
    "down in out on off over under again further then once here there when where why how all any both each "
    "few more most other some such no nor not only own same so than too very s t can will just don should now"
)
STOPWORDS = frozenset(_STOP_LIST.split())


@dataclass(frozen=True, slots=True)
class Term:
    words: tuple[str, ...]
    negated: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    terms: tuple[Term, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negated)

    @property
    def negative(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.negated)

    @property
    def is_searchable(self) -> bool:
        """At least one word to look for: exclusions alone would list the whole paper."""
        return bool(self.positive)

    def display(self) -> str:
        """The query as we understood it, in its own syntax."""
        return websearch(self)


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"


def _words(chunk: str) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    for ch in chunk + " ":
        if _is_word_char(ch):
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    return [w for w in words if len(w) <= MAX_WORD and _is_word_char(w[0]) and unicodedata.category(w[0])[0] != "M"]


def _chunks(text: str) -> list[tuple[str, bool, bool]]:
    """(text, quoted, negated) pieces: quoted runs and bare words, an unclosed quote running to the end."""
    pieces: list[tuple[str, bool, bool]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch in DASHES and i + 1 < n and not text[i + 1].isspace():
            negated = True
            i += 1
            ch = text[i]
        if ch in QUOTES:
            end = i + 1
            while end < n and text[end] not in QUOTES:
                end += 1
            pieces.append((text[i + 1 : end], True, negated))
            i = end + 1
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] not in QUOTES:
            end += 1
        pieces.append((text[i:end], False, negated))
        i = end
    return pieces


def _strip_stopwords(words: list[str]) -> list[str]:
    while words and words[0] in STOPWORDS:
        words = words[1:]
    while words and words[-1] in STOPWORDS:
        words = words[:-1]
    return words


def parse(raw: str) -> ParsedQuery:
    """The reader's text as terms, with notes on anything we left out."""
    notes: list[str] = []
    text = unicodedata.normalize("NFKC", raw or "")
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        notes.append(f"That search was very long; we used its first {MAX_CHARS} characters.")
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text).casefold()
    terms: list[Term] = []
    dropped_common = False
    for chunk, quoted, negated in _chunks(text):
        words = _words(chunk)
        if quoted:
            kept = _strip_stopwords(words)
            dropped_common = dropped_common or (bool(words) and not kept)
            if kept:
                terms.append(Term(tuple(kept), negated))
            continue
        for index, word in enumerate(words):
            if word in STOPWORDS:
                dropped_common = True
                continue
            # "-word-word" excludes the first word only; the rest are words to look for.
            terms.append(Term((word,), negated and index == 0))
    unique = list(dict.fromkeys(terms))
    if len(unique) > MAX_TERMS:
        unique = unique[:MAX_TERMS]
        notes.append(f"We searched for the first {MAX_TERMS} words and phrases.")
    if dropped_common and not any(not t.negated for t in unique):
        notes.append("Very common words such as “the” or “of” are not searched on their own.")
    return ParsedQuery(terms=tuple(unique), notes=tuple(notes))


def websearch(query: ParsedQuery) -> str:
    """For PostgreSQL's websearch_to_tsquery: the same syntax, rebuilt from clean terms."""
    parts = []
    for term in query.terms:
        text = f'"{" ".join(term.words)}"' if term.is_phrase else term.words[0]
        parts.append(f"-{text}" if term.negated else text)
    return " ".join(parts)


HEAD_COLUMNS = "{headline standfirst}"


def fts5(query: ParsedQuery, *, head_only: bool) -> str:
    """An FTS5 MATCH expression: every positive term, none of the negative ones.

    `head_only` confines every term, exclusions included, to the headline and
    standfirst: for a story the reader may not open, the body must neither match
    nor, by containing an excluded word, hide the story.
    """
    if not query.is_searchable:
        raise ValueError("a query without a word to look for")
    positive = " ".join(f'"{" ".join(t.words)}"' for t in query.positive)
    expression = f"({positive})"
    for term in query.negative:
        expression += f' NOT "{" ".join(term.words)}"'
    return f"{HEAD_COLUMNS} : ({expression})" if head_only else expression
