"""Just enough SPARQL lexing for the protocol endpoint: never a parser, never an evaluator.

Oxigraph parses and runs every query and update. This module only reads their text where
the endpoint has to know something before Oxigraph runs it:

* whether a query or update would make the server fetch from the network (``SERVICE``;
  ``LOAD`` in an update): pyoxigraph does both and offers no switch, so the endpoint refuses
  them (:func:`fetches`);
* whether a query names its own dataset (``FROM`` / ``FROM NAMED``), in which case the
  default graph is what the query says, not the union of the named graphs
  (:func:`has_dataset_clause`, :func:`query_dataset`);
* the top-level structure of an update (:func:`analyse_update`), so that the protocol's
  ``using-graph-uri`` / ``using-named-graph-uri`` become ``USING`` / ``USING NAMED`` clauses
  (pyoxigraph's ``Store.update`` has no dataset argument), and so that the graphs the store
  maintains itself are not written by an update (:func:`rewrite_update`).

The lexer skips strings, IRIs and comments. SPARQL's one context-dependent token is ``<``:
an IRI, or "less than" inside an expression. Every relational expression of SPARQL 1.1 is
inside parentheses, so ``<`` outside parentheses (in the innermost ``{ }``) is an IRI; inside
them, after an operand, it may be either, and when reading it as an IRI would hide a quote,
a comment or a parenthesis the text is *ambiguous*: :func:`fetches` then falls back to
looking for the bare word anywhere in the text, and :func:`analyse_update` refuses it.

The protection of the store's own graphs guards a holder of the write token against
mistakes; it is not what stands between the public and the store (the token is).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin

import pyoxigraph as ox

from ontology.errors import BadQueryError

# ---------------------------------------------------------------------- the lexer

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


class UpdateRefusedError(BadQueryError, ValueError):
    """A well-formed update this endpoint does not run (the message says why)."""


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


def _bare_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w$?:]){word}(?![\w:])", text, re.IGNORECASE) is not None


def fetches(text: str, *, update: bool = False) -> str | None:
    """The keyword that would make Oxigraph fetch from the network (``SERVICE``; ``LOAD`` in
    an update), or None. When the text cannot be read unambiguously, any bare occurrence of
    the word counts: this errs on the side of refusing."""
    folded = text.lower()
    words = [  # Oxigraph's keywords are ASCII
        w for w in (("SERVICE", "LOAD") if update else ("SERVICE",)) if w.lower() in folded
    ]
    if not words:
        return None  # most texts: no lexing (every query of the service comes here)
    try:
        lexed = tokenize(text)
    except SparqlTextError:
        lexed = None
    for word in words:
        if lexed is None or lexed.ambiguous:
            if _bare_word(text, word):
                return word
        elif any(t.keyword == word for t in lexed.tokens):
            return word
    return None


def _unescape_local(local: str) -> str:
    return re.sub(r"\\(.)", r"\1", local)


def expand_prefixed_names(text: str, prefixes: Mapping[str, str]) -> str:
    """``text`` with every prefixed name of ``prefixes`` written as a full IRI, so that it
    means the same after any PREFIX declaration (for the service's own, trusted, SPARQL)."""
    parts: list[str] = []
    last = 0
    for token in tokenize(text).tokens:
        if token.kind != "pname":
            continue
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            parts += [text[last : token.start], f"<{prefixes[prefix]}{_unescape_local(local)}>"]
            last = token.end
    return "".join([*parts, text[last:]])


def has_dataset_clause(text: str) -> bool:
    """Whether a query names its dataset with FROM or FROM NAMED (a bare word FROM is only
    ever that)."""
    try:
        return any(t.keyword == "FROM" for t in tokenize(text).tokens)
    except SparqlTextError:
        return False  # Oxigraph reports the error


Dataset = tuple[
    bool,
    list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None,
    list[ox.NamedNode | ox.BlankNode] | None,
]


def query_dataset(
    text: str,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
) -> Dataset:
    """``(use_default_graph_as_union, default_graph, named_graphs)`` for ``Store.query``.

    With the protocol's ``default-graph-uri`` / ``named-graph-uri`` (either given): exactly
    that dataset, whatever the query says (a parameter not given is empty: only
    ``named-graph-uri`` means an empty default graph). Without them, a query with FROM / FROM
    NAMED gets the dataset it names (from the store's graphs; nothing is fetched), and any
    other query the union of all graphs as its default graph."""
    if default_graphs is None and named_graphs is None:
        return (not has_dataset_clause(text), None, None)
    default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
        ox.NamedNode(g) for g in default_graphs or ()
    ]
    named: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(g) for g in named_graphs or ()]
    return (False, default, named)


# ---------------------------------------------------------------------- updates


def _unescape_iri(value: str) -> str:
    return re.sub(
        r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})",
        lambda m: chr(int(m.group(1) or m.group(2), 16)),
        value,
    )


@dataclass
class _Modify:
    where: int  # offset of the WHERE keyword
    group: tuple[int, int]  # offsets of the '{' and '}' of the WHERE pattern
    graph_variables: list[str]


@dataclass
class _DeleteWhere:
    start: int  # offset of DELETE
    group: tuple[int, int]  # offsets of the '{' and '}' of the quad pattern
    graph_variables: list[str]


@dataclass
class _AllGraphs:
    start: int  # offset of CLEAR / DROP
    end: int  # offset after ALL / NAMED
    operation: str  # CLEAR or DROP
    target: str  # ALL or NAMED


@dataclass
class UpdateAnalysis:
    """The top-level structure of an update, as :func:`rewrite_update` needs it."""

    operations: int = 0
    ends_with_operation: bool = False  # another operation needs a ';' first
    dataset_clauses: bool = False  # some operation has USING, USING NAMED or WITH
    written_graphs: list[tuple[str, int]] = field(default_factory=list)  # (IRI, offset)
    modifies: list[_Modify] = field(default_factory=list)
    delete_wheres: list[_DeleteWhere] = field(default_factory=list)
    all_graphs: list[_AllGraphs] = field(default_factory=list)


class _Walker:
    """Walks the operations of an update (SPARQL 1.1 Update grammar, outside the braces)."""

    def __init__(
        self, text: str, tokens: list[Token], base_iri: str | None, prefixes: Mapping[str, str]
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.i = 0
        self.base = base_iri
        self.prefixes = dict(prefixes)
        self.result = UpdateAnalysis()

    # -------------------------------------------------------------- helpers

    def error(self, message: str, token: Token | None = None) -> SparqlTextError:
        offset = token.start if token is not None else len(self.text)
        return SparqlTextError(message, self.text, offset)

    def peek(self, ahead: int = 0) -> Token | None:
        j = self.i + ahead
        return self.tokens[j] if j < len(self.tokens) else None

    def keyword(self, ahead: int = 0) -> str:
        token = self.peek(ahead)
        return token.keyword if token is not None else ""

    def next(self) -> Token:
        token = self.peek()
        if token is None:
            raise self.error("unexpected end of the update")
        self.i += 1
        return token

    def expect(self, *words: str) -> Token:
        token = self.peek()
        if token is None or token.keyword not in words:
            found = f"'{token.text}'" if token is not None else "the end"
            raise self.error(f"expected {' or '.join(words)}, not {found}", token)
        self.i += 1
        return token

    def optional(self, word: str) -> bool:
        if self.keyword() == word:
            self.i += 1
            return True
        return False

    def resolve(self, token: Token) -> str | None:
        if token.kind == "iri":
            value = _unescape_iri(token.text[1:-1])
            return urljoin(self.base, value) if self.base else value
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            namespace = self.prefixes.get(prefix)
            if namespace is None:
                return None  # Oxigraph reports the undefined prefix
            return namespace + _unescape_local(local)
        return None

    def iri(self) -> tuple[str | None, Token]:
        token = self.next()
        if token.kind not in ("iri", "pname"):
            raise self.error(f"expected an IRI, not '{token.text}'", token)
        return self.resolve(token), token

    def written(self, iri: str | None, token: Token) -> None:
        if iri is not None:
            self.result.written_graphs.append((iri, token.start))

    def group(self) -> tuple[int, int]:
        """Skip a '{ ... }' group; the token indexes of its braces."""
        first = self.peek()
        if first is None or first.text != "{" or first.kind != "punct":
            raise self.error("expected '{'", first)
        depth = 0
        for j in range(self.i, len(self.tokens)):
            token = self.tokens[j]
            if token.kind != "punct":
                continue
            if token.text == "{":
                depth += 1
            elif token.text == "}":
                depth -= 1
                if depth == 0:
                    opened, self.i = self.i, j + 1
                    return opened, j
        raise self.error("'{' is never closed", first)

    def template(self, braces: tuple[int, int]) -> list[str]:
        """Record the graphs a quad template or quad data block writes (GRAPH <g>); return
        the variables it writes as graphs (GRAPH ?g)."""
        variables: list[str] = []
        for j in range(braces[0] + 1, braces[1]):
            if self.tokens[j].keyword == "GRAPH" and j + 1 < braces[1]:
                target = self.tokens[j + 1]
                if target.kind == "var":
                    variables.append(target.text)
                else:
                    self.written(self.resolve(target), target)
        return variables

    def offsets(self, braces: tuple[int, int]) -> tuple[int, int]:
        return self.tokens[braces[0]].start, self.tokens[braces[1]].start

    # -------------------------------------------------------------- the grammar

    def run(self) -> UpdateAnalysis:
        after_operation = False
        while (token := self.peek()) is not None:
            word = token.keyword
            if word == "PREFIX":
                if after_operation:
                    raise self.error("expected ';' before PREFIX", token)
                self.i += 1
                name = self.next()
                if name.kind != "pname" or not name.text.endswith(":"):
                    raise self.error(f"expected a prefix name like 'ex:', not '{name.text}'", name)
                namespace, _ = self.iri()
                if namespace is not None:
                    self.prefixes[name.text[:-1]] = namespace
            elif word == "BASE":
                if after_operation:
                    raise self.error("expected ';' before BASE", token)
                self.i += 1
                self.base, _ = self.iri()
            elif token.kind == "punct" and token.text == ";":
                if not after_operation:
                    raise self.error("';' must follow an operation", token)
                self.i += 1
                after_operation = False
            else:
                if after_operation:
                    raise self.error(f"expected ';' before '{token.text}'", token)
                self.operation()
                self.result.operations += 1
                after_operation = True
        self.result.ends_with_operation = after_operation
        return self.result

    def graph_or_default(self, write: bool) -> None:
        if self.optional("DEFAULT"):
            return
        self.optional("GRAPH")
        iri, token = self.iri()
        if write:
            self.written(iri, token)

    def operation(self) -> None:
        token = self.next()
        word = token.keyword
        if word == "LOAD":
            raise UpdateRefusedError("LOAD is not supported: this service never fetches data")
        if word in ("CLEAR", "DROP"):
            self.optional("SILENT")
            target = self.expect("GRAPH", "DEFAULT", "NAMED", "ALL")
            if target.keyword == "GRAPH":
                self.written(*self.iri())
            elif target.keyword in ("NAMED", "ALL"):
                self.result.all_graphs.append(
                    _AllGraphs(token.start, target.end, word, target.keyword)
                )
        elif word == "CREATE":
            self.optional("SILENT")
            self.expect("GRAPH")
            self.written(*self.iri())
        elif word in ("ADD", "MOVE", "COPY"):
            self.optional("SILENT")
            self.graph_or_default(write=word == "MOVE")
            self.expect("TO")
            self.graph_or_default(write=True)
        elif word == "WITH":
            self.result.dataset_clauses = True
            self.written(*self.iri())
            if self.keyword() not in ("DELETE", "INSERT"):
                raise self.error("expected DELETE or INSERT after WITH <graph>", self.peek())
            self.modify(self.next())
        elif word in ("INSERT", "DELETE") and self.keyword() == "DATA":
            self.i += 1
            self.template(self.group())
        elif word == "DELETE" and self.keyword() == "WHERE":
            self.i += 1
            braces = self.group()
            variables = self.template(braces)
            self.result.delete_wheres.append(
                _DeleteWhere(token.start, self.offsets(braces), variables)
            )
        elif word in ("INSERT", "DELETE"):
            self.modify(token)
        else:
            raise self.error(
                "expected an update operation (INSERT, DELETE, WITH, CLEAR, DROP, CREATE, "
                f"ADD, MOVE, COPY), not '{token.text}'",
                token,
            )

    def modify(self, first: Token) -> None:
        variables = self.template(self.group())
        if first.keyword == "DELETE" and self.optional("INSERT"):
            variables += self.template(self.group())
        while self.optional("USING"):
            self.result.dataset_clauses = True
            self.optional("NAMED")
            self.iri()
        where = self.expect("WHERE")
        braces = self.group()
        self.result.modifies.append(_Modify(where.start, self.offsets(braces), variables))


def analyse_update(
    text: str, *, base_iri: str | None = None, prefixes: Mapping[str, str] | None = None
) -> UpdateAnalysis:
    """The operations of an update, outside their braces.

    Raises :class:`SparqlTextError` when the text is not a SPARQL 1.1 update (at that level)
    or cannot be read unambiguously, and :class:`UpdateRefusedError` for ``LOAD`` and
    ``SERVICE``."""
    lexed = tokenize(text)
    if lexed.ambiguous:
        raise SparqlTextError(
            "cannot tell whether '<' is an IRI or 'less than' in an expression: write "
            "spaces around the '<' operator and use prefixed names for IRIs that contain "
            "quotes, '#' or parentheses inside parentheses"
        )
    if any(t.keyword == "SERVICE" for t in lexed.tokens):
        raise UpdateRefusedError("SERVICE is not supported: this service never fetches data")
    return _Walker(text, lexed.tokens, base_iri, prefixes or {}).run()


def _filter(variables: Sequence[str], protected: Sequence[str]) -> str:
    graphs = ", ".join(f"<{g}>" for g in protected)
    tests = " && ".join(f"(!BOUND({v}) || {v} NOT IN ({graphs}))" for v in dict.fromkeys(variables))
    return f"FILTER ({tests})"


def rewrite_update(
    text: str,
    analysis: UpdateAnalysis,
    *,
    using: Sequence[str] = (),
    using_named: Sequence[str] = (),
    protected: Sequence[str] = (),
    named_graphs: Iterable[str] = (),
) -> str:
    """``text`` with the protocol's dataset and the store's protections written in.

    * ``using`` / ``using_named`` (the protocol's ``using-graph-uri`` /
      ``using-named-graph-uri``) become ``USING`` / ``USING NAMED`` clauses before the WHERE of
      every DELETE/INSERT operation (a ``DELETE WHERE {P}`` becomes
      ``DELETE {P} USING ... WHERE {P}``); an update with its own USING or WITH is refused
      (:class:`UpdateRefusedError`), as the protocol says.
    * No operation writes a ``protected`` graph: one named explicitly is refused; ``CLEAR`` /
      ``DROP`` ``ALL`` / ``NAMED`` become one operation per other graph (``named_graphs``: the
      store's named graphs now); a template that writes ``GRAPH ?g`` gets a FILTER that keeps
      ``?g`` off them.
    """
    if (using or using_named) and analysis.dataset_clauses:
        raise UpdateRefusedError(
            "the update names its dataset (USING, USING NAMED or WITH) and so does the request "
            "(using-graph-uri, using-named-graph-uri): give one or the other"
        )
    guarded = set(protected)
    for iri, offset in analysis.written_graphs:
        if iri in guarded:
            raise UpdateRefusedError(
                f"at {position(text, offset)}: <{iri}> is maintained by the store "
                "(provenance and entailments): an update cannot write it"
            )
    clauses = "".join(f"USING <{g}> " for g in using) + "".join(
        f"USING NAMED <{g}> " for g in using_named
    )
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), not overlapping
    others = [g for g in named_graphs if g not in guarded]
    for op in analysis.all_graphs:
        parts = [f"{op.operation} SILENT DEFAULT"] if op.target == "ALL" else []
        parts += [f"{op.operation} SILENT GRAPH <{g}>" for g in others]
        edits.append((op.start, op.end, " ;\n".join(parts) or "INSERT DATA { }"))
    for modify in analysis.modifies:
        if clauses:
            edits.append((modify.where, modify.where, clauses))
        if modify.graph_variables and protected:
            opened, closed = modify.group
            edits.append((opened, opened + 1, "{ {"))
            edits.append(
                (closed, closed + 1, f"}} {_filter(modify.graph_variables, protected)} }}")
            )
    for delete in analysis.delete_wheres:
        guard = bool(delete.graph_variables and protected)
        if not clauses and not guard:
            continue
        opened, closed = delete.group
        pattern = text[opened : closed + 1]
        where = (
            f"{{ {pattern} {_filter(delete.graph_variables, protected)} }}" if guard else pattern
        )
        edits.append((delete.start, closed + 1, f"DELETE {pattern} {clauses}WHERE {where}"))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


# ---------------------------------------------------------------------- syntax errors


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
