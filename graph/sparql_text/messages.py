"""Syntax errors in one line: an unknown prefix by its name and place, where Oxigraph gives a
grammar dump (or names another place)."""

from __future__ import annotations

from collections.abc import Iterable

from .lexer import SparqlTextError, position, tokenize


def unknown_prefix(text: str, predeclared: Iterable[str] = ()) -> str | None:
    """ "unknown prefix `foo:` at line 1, column 8" for the first prefixed name of ``text``
    whose prefix is neither in ``predeclared`` nor declared by a ``PREFIX`` of the text;
    None when there is none (or the text cannot be lexed).

    Oxigraph reports an unknown prefix as a grammar dump ("expected one of Prefix not found,
    ['%'], ...") or not at all (the parser backtracks and names another place)."""
    try:
        tokens = tokenize(text).tokens
    except SparqlTextError:
        return None
    declared = set(predeclared)
    declarations = set()
    for i, token in enumerate(tokens[:-1]):
        if token.keyword == "PREFIX" and tokens[i + 1].kind == "pname":
            declared.add(tokens[i + 1].text.partition(":")[0])
            declarations.add(i + 1)
    for i, token in enumerate(tokens):
        if token.kind != "pname" or i in declarations:
            continue
        prefix = token.text.partition(":")[0]
        if prefix not in declared:
            line, column = position(text, token.start).split(":")
            return f"unknown prefix `{prefix}:` at line {line}, column {column}"
    return None


def syntax_error_message(
    text: str,
    error: BaseException | str,
    predeclared: Iterable[str] = (),
) -> str:
    """One line saying what is wrong with ``text``, which Oxigraph refused with ``error``:
    an unknown prefix by its name and place, else Oxigraph's own message on one line."""
    found = unknown_prefix(text, predeclared)
    return f"SPARQL syntax error: {found or ' '.join(str(error).split())}"
