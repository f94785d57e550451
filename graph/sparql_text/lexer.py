"""The SPARQL lexer: the significant tokens of a text (strings, IRIs and comments skipped),
and whether any ``<`` in it is ambiguous (an IRI, or "less than" inside an expression).

Every relational expression of SPARQL 1.1 is inside parentheses, so ``<`` outside parentheses
(in the innermost ``{ }``) is an IRI; inside them, after an operand, it may be either, and
when reading it as an IRI would hide a quote, a comment or a parenthesis the text is
*ambiguous*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ontology.errors import BadQueryError

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = f"(?:[{_CHARS_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"

_TOKEN = re.compile(
    "|".join(
        (
            r"(?P<ws>\s+)",
            r"(?P<comment>#[^\n\r]*)",
            r'(?P<string>"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
            r"|'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
            r'|"(?:[^"\\\n\r]|\\.)*"'
            r"|'(?:[^'\\\n\r]|\\.)*')",
            rf'(?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)',
            f"(?P<var>[?$][{_CHARS_U}0-9][{_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)",
            f"(?P<bnode>_:[{_CHARS_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)",
            f"(?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)",
            r"(?P<word>[A-Za-z][A-Za-z0-9_]*)",
            r"(?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)",
            r"(?P<quote>[\"'])",
            r"(?P<punct>.)",
        )
    ),
    re.DOTALL,
)
_OPERAND_ENDS = {"word", "iri", "pname", "var", "bnode", "string", "number"}


def position(text: str, offset: int) -> str:
    """``line:column`` (both from 1) of ``offset`` in ``text``, as Oxigraph reports errors."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


class SparqlTextError(BadQueryError, ValueError):
    """The text is not SPARQL (as far as this module can tell), or cannot be analysed."""

    def __init__(self, message: str, text: str = "", offset: int | None = None) -> None:
        if offset is not None:
            message = f"error at {position(text, offset)}: {message}"
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # word, iri, pname, var, bnode, string, number, punct
    start: int
    end: int
    text: str

    @property
    def keyword(self) -> str:
        """The upper-cased word ("" for anything but a bare word)."""
        return self.text.upper() if self.kind == "word" else ""


@dataclass(frozen=True)
class Lexed:
    tokens: list[Token]
    # True when some '<' inside an expression could be "less than" as well as an IRI and the
    # two readings would disagree about where strings, comments or parentheses are
    ambiguous: bool


def tokenize(text: str) -> Lexed:
    """The significant tokens of ``text`` (no white space, no comments).

    Raises :class:`SparqlTextError` for an unterminated string."""
    tokens: list[Token] = []
    parens = [0]  # open parentheses in each enclosing { } group
    ambiguous = False
    pos = 0
    length = len(text)
    while pos < length:
        match = _TOKEN.match(text, pos)
        assert match is not None  # the last alternative matches any character
        kind = match.lastgroup or "punct"
        start, pos = match.span()
        if kind in ("ws", "comment"):
            continue
        if kind == "quote":
            raise SparqlTextError("unterminated string", text, start)
        value = match.group()
        if kind == "punct":
            if value == "{":
                parens.append(0)
            elif value == "}" and len(parens) > 1:
                parens.pop()
            elif value == "(":
                parens[-1] += 1
            elif value == ")":
                parens[-1] = max(0, parens[-1] - 1)
        elif (
            kind == "iri"
            and parens[-1] > 0
            and tokens
            and (tokens[-1].kind in _OPERAND_ENDS or tokens[-1].text in (")", "]"))
            and any(c in value for c in "'#()")
        ):
            ambiguous = True
        tokens.append(Token(kind, start, pos, value))
    return Lexed(tokens, ambiguous)


def unescape_local(local: str) -> str:
    """The local part of a prefixed name without its backslash escapes."""
    return re.sub(r"\\(.)", r"\1", local)


def unescape_iri(value: str) -> str:
    """An IRI's text with its ``\\u`` / ``\\U`` escapes decoded."""
    return re.sub(
        r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})",
        lambda m: chr(int(m.group(1) or m.group(2), 16)),
        value,
    )
