"""The query syntax of full-text search: a user's plain words to an FTS5 MATCH expression.

A query is plain words, never FTS5 syntax: :func:`parse_query` quotes every term, so that
``"``, ``(``, ``NEAR``, ``OR`` or ``*`` in a query are searched for or ignored, never
interpreted. Terms are ANDed; ``"two words"`` is a phrase; a trailing ``*`` makes a prefix; a
leading ``-`` excludes a term. Words spelt with *-ise* also look for *-ize* and the other way
round (*recognising* finds *recognizing*).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import QueryError

MAX_QUERY_LENGTH = 500
MAX_TERMS = 32


@dataclass(frozen=True)
class SearchQuery:
    """A user's query as an FTS5 MATCH expression that quotes every term."""

    text: str
    expression: str
    terms: tuple[str, ...]  # what is searched for, as the user wrote it
    prefix: bool  # a prefix term: run on the unstemmed index


_CHUNK = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"?(?P<star>\*?)|(?P<word>[^\s"]+)')
_SPELLING = re.compile(r"^([a-z]{3,}i)([sz])(e|es|ed|ing|ings|ation|ations|er|ers)$")


def _literal(text: str) -> str:
    """An FTS5 string: inside double quotes everything is a token or a separator, never an
    operator."""
    return '"' + text.replace('"', '""') + '"'


def _variants(word: str) -> list[str]:
    """The word, and its -ise/-ize twin (recognising / recognizing)."""
    lowered = word.lower()
    match = _SPELLING.match(lowered)
    if match is None:
        return [word]
    twin = "z" if match[2] == "s" else "s"
    return [word, f"{match[1]}{twin}{match[3]}"]


def _check(text: str) -> str:
    """The text with tabs and line breaks as spaces; QueryError when it cannot be a query."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"the query is longer than {MAX_QUERY_LENGTH} characters")
    text = re.sub(r"[\t\r\n]", " ", text)
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise QueryError("the query contains control characters")
    if not text.strip():
        raise QueryError("the query is empty: give one or more words to search for")
    return text


def parse_query(text: str) -> SearchQuery:
    """Plain words to a safe FTS5 expression; QueryError says why a query cannot be run."""
    text = _check(text)
    positive: list[str] = []
    negative: list[str] = []
    terms: list[str] = []
    prefix = False
    for match in _CHUNK.finditer(text):
        if match["word"] is not None:
            word = match["word"]
            negated = word.startswith("-") and len(word) > 1
            word = word[1:] if negated else word
            star = word.endswith("*")
            chunk, phrase = word.rstrip("*"), False
        else:
            negated, star = bool(match["neg"]), bool(match["star"])
            chunk, phrase = match["phrase"], True
        if not any(c.isalnum() for c in chunk):
            continue  # only punctuation: it would match nothing
        if star:
            term = f"{_literal(chunk)} *"
            prefix = True
        elif not phrase and chunk.isalpha():
            options = _variants(chunk)
            term = (
                _literal(options[0])
                if len(options) == 1
                else "(" + " OR ".join(_literal(o) for o in options) + ")"
            )
        else:
            term = _literal(chunk)
        (negative if negated else positive).append(term)
        terms.append(("-" if negated else "") + (f'"{chunk}"' if phrase else chunk) + "*" * star)
    if len(terms) > MAX_TERMS:
        raise QueryError(f"the query has more than {MAX_TERMS} terms")
    if not positive:
        if negative:
            raise QueryError("the query only excludes words: give a word to search for")
        raise QueryError("the query has no words to search for (only punctuation)")
    expression = " AND ".join(positive)
    if negative:
        expression = f"({expression}) NOT ({' OR '.join(negative)})"
    return SearchQuery(text, expression, tuple(terms), prefix)
