"""Tokenising for search: words, numbers and CJK n-grams, with offsets kept for highlights.

Matching rule (what "contains the query" means): the query is split on spaces into terms;
a message matches when every term does — a run of letters/digits must appear as a whole word
(case-insensitive, full-width folded: ``line`` matches ``Line``/``ＬＩＮＥ`` but not ``pipeline``),
a run of CJK characters must appear as a substring (``溫度`` inside ``設備溫度上升到85度``).
A term like ``85度`` is the word ``85`` and the substring ``度``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_TERMS_PER_MESSAGE = 400
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def fold(text: str) -> str:
    """Lower-case and full-width-fold character by character (offsets stay the same)."""
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append((folded if len(folded) == 1 else ch).lower())
    return "".join(out)


def is_cjk(ch: str) -> bool:
    """Chinese/Japanese/Korean characters (searched as substrings)."""
    return bool(_CJK.match(ch))


@dataclass(frozen=True)
class Run:
    """A maximal run of word characters or of CJK characters, at ``start`` in the text."""

    kind: str  # "word" | "cjk"
    text: str
    start: int


def runs(text: str) -> list[Run]:
    """Split folded text into word runs and CJK runs (everything else separates)."""
    found: list[Run] = []
    kind = ""
    start = 0
    for i, ch in enumerate(text + " "):
        now = "cjk" if is_cjk(ch) else "word" if ch.isalnum() else ""
        if now != kind:
            if kind:
                found.append(Run(kind, text[start:i], start))
            kind, start = now, i
    return found


def index_terms(content: str) -> set[str]:
    """Terms a message is indexed under: words, CJK unigrams and bigrams (capped)."""
    terms: set[str] = set()
    for run in runs(fold(content)):
        if run.kind == "word":
            terms.add(run.text[:64])
        else:
            terms.update(run.text)
            terms.update(run.text[i:i + 2] for i in range(len(run.text) - 1))
        if len(terms) >= MAX_TERMS_PER_MESSAGE:
            break
    return set(list(terms)[:MAX_TERMS_PER_MESSAGE])


@dataclass(frozen=True)
class Query:
    """A parsed search query: required words and required CJK substrings."""

    words: tuple[str, ...]
    phrases: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.words and not self.phrases

    def lookup_term(self) -> str:
        """One index term every match must contain (the most selective guess)."""
        if self.phrases:
            longest = max(self.phrases, key=len)
            return longest[:2]
        return max(self.words, key=len)[:64]


def parse_query(q: str) -> Query:
    """Split a user query into words and CJK substrings."""
    words: list[str] = []
    phrases: list[str] = []
    for run in runs(fold(q)):
        (words if run.kind == "word" else phrases).append(run.text)
    return Query(tuple(dict.fromkeys(words)), tuple(dict.fromkeys(phrases)))


def highlights(content: str, query: Query) -> list[dict[str, int]] | None:
    """Spans of every match in ``content`` (offsets into the original string), or ``None``
    when some term does not occur."""
    folded = fold(content)
    spans: list[tuple[int, int]] = []
    word_runs = [r for r in runs(folded) if r.kind == "word"]
    for word in query.words:
        hits = [(r.start, r.start + len(r.text)) for r in word_runs if r.text == word]
        if not hits:
            return None
        spans += hits
    for phrase in query.phrases:
        hits = []
        at = folded.find(phrase)
        while at != -1:
            hits.append((at, at + len(phrase)))
            at = folded.find(phrase, at + 1)
        if not hits:
            return None
        spans += hits
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [{"start": s, "end": e} for s, e in merged]
