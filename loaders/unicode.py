"""Unicode where text enters the graph (docs/reliability.md, section 6).

Every door applies the same three rules:

- **NFC.** Text is stored in Normalization Form C, so that the same words written with
  precomposed or combining characters (``é`` or ``e`` + U+0301) are the same literal, match
  the same searches and compare equal in SPARQL.
- **Only characters.** A lone surrogate (half of a UTF-16 pair, which no UTF can encode) is
  refused where the text enters, with the file and line; so are the other code points XML 1.0
  cannot carry (C0 controls but tab, LF and CR; U+FFFE, U+FFFF), since a store holding them
  could not be exported as RDF/XML that any XML parser reads.
- **Visible identifiers.** A text an IRI is minted from, an IRI read from a file, and every
  cell of a curated table hold no invisible or reordering character (bidi controls such as
  U+202E, zero-width spaces and joiners, the BOM): see :func:`ontology.ids.check_identifier`.
  Literals may hold them (right-to-left text needs its marks).

Doors: resolution texts and .docx (``loaders.resolution_text.parse_structure``,
``loaders.documents.load_document``), curated tables (``loaders.tables.read_table``), RDF
files (``graph.files``), SPARQL updates (``api.app``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pyoxigraph as ox

from loaders.errors import DocumentError, LoadError
from ontology import RDF, XSD
from ontology.ids import IdentifierError, check_identifier, describe

__all__ = [
    "Places",
    "char_pattern",
    "check_rdf",
    "check_text",
    "check_triple",
    "check_update",
    "clean_tree",
    "nfc",
    "not_text",
    "position",
    "surrogate_place",
]

# What XML 1.0 cannot carry: C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PLAIN = {XSD.string.value, RDF.langString.value, RDF.dirLangString.value}
# A backslash escape of SPARQL (string ECHAR, or UCHAR in strings and IRIs): scanned left to
# right, so an escaped backslash is consumed whole and never starts another escape
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ECHAR = {"b": "\b", "f": "\f"}
# What SPARQL 1.2 adds that RDF 1.1 cannot say, outside strings, IRIs and comments: triple
# terms (<< ... >>) and a base direction on a language tag (@ar--rtl)
_SPARQL_TOKENS = re.compile(
    r'("""(?:[^\\]|\\.)*?"""|' + r"'''(?:[^\\]|\\.)*?'''"
    r'|"(?:[^"\\\n]|\\.)*"' + r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\x00-\x20]*>|#[^\n]*)'
    r"|(<<|@[A-Za-z]+(?:-[A-Za-z0-9]+)*--(?:ltr|rtl)\b)",
    re.DOTALL,
)
_RDF12 = (
    "RDF 1.2 (triple terms, base directions) is not accepted: the exports are RDF 1.1, "
    "which every RDF reader reads"
)


def nfc(text: str) -> str:
    """``text`` in Normalization Form C."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def position(text: str, index: int) -> str:
    """``line L, column C`` of ``text[index]`` (both from 1)."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}"


def not_text(text: str) -> int | None:
    """The index of the first code point that is not text (see above), or None."""
    found = _NOT_TEXT.search(text)
    return found.start() if found else None


def _problem(char: str) -> str:
    if unicodedata.category(char) == "Cs":
        return f"{describe(char)}: the text is not valid Unicode"
    return f"{describe(char)} is not text (XML, and so RDF/XML, cannot carry it)"


def check_text(text: str, source: str, place: str | None = None) -> None:
    """:class:`DocumentError` naming ``source`` and the line (or ``place``) of the first
    code point of ``text`` that is not text."""
    index = not_text(text)
    if index is not None:
        raise DocumentError(source, _problem(text[index]), place or position(text, index))


def surrogate_place(data: bytes, encoding: str) -> str | None:
    """Where ``data`` holds an encoded lone surrogate (``\\xed\\xa0\\x80`` in UTF-8, an
    unpaired half in UTF-16 or UTF-32), if that is all that stops it decoding: the problem and
    the line, for an error message. None if it does not decode even so."""
    try:
        text = data.decode(encoding, "surrogatepass")
    except (UnicodeDecodeError, ValueError):
        return None
    index = not_text(text)
    if index is None or unicodedata.category(text[index]) != "Cs":
        return None
    return f"{position(text, index)}: {_problem(text[index])}"


def clean_tree(value: Any, source: str, where: str = "") -> Any:
    """Every string of a JSON-like tree in NFC; :class:`DocumentError` naming ``source`` and
    the path of the first string that holds what is not text."""
    if isinstance(value, str):
        index = not_text(value)
        if index is not None:
            raise DocumentError(source, _problem(value[index]), where or None)
        return nfc(value)
    if isinstance(value, dict):
        return {k: clean_tree(v, source, f"{where}.{k}" if where else k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_tree(v, source, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


# ---------------------------------------------------------------------- RDF files


class Places:
    """Where a character or some words first occur in an RDF text, as ``line N`` for an
    error message (a character also found as its ``\\u`` escape). ``first_line``: the number
    of the text's first line in its file (a line read on its own, loaders/rdf_scan.py)."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.text = text
        self.first_line = first_line

    def _line(self, found: int) -> str:
        return f"line {self.text.count(chr(10), 0, found) + self.first_line}"

    def of_words(self, words: str) -> str | None:
        found = self.text.find(words)
        return self._line(found) if found >= 0 else None

    def of_char(self, char: str) -> str | None:
        found = char_pattern(char).search(self.text)
        return self._line(found.start()) if found else None


def char_pattern(char: str) -> re.Pattern[str]:
    """``char`` as itself or as a ``\\u`` / ``\\U`` escape."""
    code = ord(char)
    escapes = [f"U{code:08x}"] + ([f"u{code:04x}"] if code <= 0xFFFF else [])
    return re.compile("|".join([re.escape(char), *(rf"\\(?i:{e})" for e in escapes)]))


def _check_term(term: object, source: str, places: Places) -> object:
    if isinstance(term, ox.NamedNode):
        try:
            check_identifier(term.value)
        except IdentifierError as e:
            raise LoadError(source, f"the IRI {e}", places.of_char(e.char)) from e
        return term
    if isinstance(term, ox.Literal):
        index = not_text(term.value)
        if index is not None:
            bad = term.value[index]
            raise LoadError(source, f"a literal holds {_problem(bad)}", places.of_char(bad))
        if term.direction is not None:
            where = places.of_words(f"--{term.direction.value}")
            raise LoadError(source, f"{term}: {_RDF12}", where)
        if term.datatype.value in _PLAIN and not unicodedata.is_normalized("NFC", term.value):
            if term.language:
                return ox.Literal(nfc(term.value), language=term.language, direction=term.direction)
            return ox.Literal(nfc(term.value), datatype=term.datatype)
        return term
    return term


def check_triple(triple: ox.Triple, source: str, places: Places) -> ox.Triple:
    """``triple`` with its string literal in NFC; :class:`LoadError` naming ``source`` and
    the line (``places``) for an IRI with an invisible, bidi or control character, a literal
    with what is not text, a base direction or a triple term (RDF 1.2)."""
    if isinstance(triple.object, ox.Triple):
        raise LoadError(source, f"a triple term: {_RDF12}", places.of_words("<<"))
    return ox.Triple(
        _check_term(triple.subject, source, places),  # type: ignore[arg-type]
        _check_term(triple.predicate, source, places),  # type: ignore[arg-type]
        _check_term(triple.object, source, places),  # type: ignore[arg-type]
    )


def check_rdf(triples: list[ox.Triple], source: str, data: bytes) -> list[ox.Triple]:
    """The triples of an RDF file with their string literals in NFC; :class:`LoadError`
    naming ``source`` and the line for an IRI with an invisible, bidi or control character,
    or a literal with what is not text."""
    places = Places(data.decode("utf-8", "replace"))
    return [check_triple(triple, source, places) for triple in triples]


# ---------------------------------------------------------------------- SPARQL updates


def check_update(text: str) -> str:
    """A SPARQL update in NFC; ValueError (with the line and column) if it holds, raw or
    escaped, what is not text, or an IRI with an invisible, bidi or control character."""
    text = nfc(text)
    index = not_text(text)
    if index is not None:
        raise ValueError(f"{position(text, index)}: {_problem(text[index])}")
    for escape in _ESCAPE.finditer(text):
        hex_code = escape.group(1) or escape.group(2)
        if hex_code is not None:
            code = int(hex_code, 16)
            char = chr(code) if code <= 0x10FFFF else "\ufffe"
        else:
            char = _ECHAR.get(escape.group(3), "")
        if char and not_text(char) is not None:
            raise ValueError(f"{position(text, escape.start())}: an escape gives {_problem(char)}")
    for token in _SPARQL_TOKENS.finditer(text):
        where = position(text, token.start())
        if token.group(2):
            raise ValueError(f"{where}: {token.group(2)}: {_RDF12}")
        if token.group(1).startswith("<"):  # an IRI (strings and comments are text)
            try:
                check_identifier(_ESCAPE.sub(_unescape, token.group(1)[1:-1]))
            except IdentifierError as e:
                raise ValueError(f"{where}: the IRI {e}") from e
    return text


def _unescape(escape: re.Match[str]) -> str:
    hex_code = escape.group(1) or escape.group(2)
    if hex_code is None:
        return escape.group(0)
    code = int(hex_code, 16)
    return chr(code) if code <= 0x10FFFF else "\ufffe"
