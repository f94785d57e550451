"""The top-level structure of a SPARQL 1.1 update (outside its braces): its operations, the
graphs they write, their dataset clauses, and where a rewrite must edit them.

Not a parser: Oxigraph parses and runs the update; this reads just enough to know what it
would write, and refuses what the endpoint never runs (``LOAD``, ``SERVICE``) or cannot read
unambiguously.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ontology.errors import BadQueryError

from .lexer import SparqlTextError, Token, tokenize, unescape_iri, unescape_local


class UpdateRefusedError(BadQueryError, ValueError):
    """A well-formed update this endpoint does not run (the message says why)."""


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
    first_operation: int | None = None  # offset of the first operation (after the prologue)
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
            value = unescape_iri(token.text[1:-1])
            return urljoin(self.base, value) if self.base else value
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            namespace = self.prefixes.get(prefix)
            if namespace is None:
                return None  # Oxigraph reports the undefined prefix
            return namespace + unescape_local(local)
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
                if self.result.first_operation is None:
                    self.result.first_operation = token.start
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
