"""A SPARQL 1.1 server as the store: the part of ``pyoxigraph.Store`` that KnowledgeGraph uses
(graph/backend.py), spoken over the SPARQL 1.1 Protocol (queries, updates) and the Graph Store
Protocol (dumps).

KnowledgeGraph funnels every write into ONE SPARQL update text (a load, its PROV-O record, the
release and the entailments), sent here as ONE request, so on a server that runs one update
request as one transaction (Oxigraph server, Fuseki with TDB2, GraphDB) a load is
all-or-nothing there too. docs/deploy.md says what each server guarantees.

Answers come back as real pyoxigraph objects (``QuerySolutions``, ``QueryBoolean``,
``QueryTriples``), so the code above cannot tell the stores apart:

* SELECT and ASK results are read with ``pyoxigraph.parse_query_results`` (SPARQL JSON);
* a graph (CONSTRUCT, DESCRIBE) is read as N-Triples into a scratch in-memory store and
  handed over through a ``CONSTRUCT`` there.

What differs, and how it is bridged:

* *Bindings.* pyoxigraph binds variables by substitution; a server cannot. The bindings become
  a ``VALUES`` block at the END of the query's outermost group pattern (the group after the
  top-level ``WHERE``), the terms written by pyoxigraph (never text from a request). At the end
  of the group the block joins after everything in it, so a ``BIND(... AS ?bound)`` there
  stays legal and acts as a filter, as pyoxigraph's substitution does. The contract tests
  (tests/test_remote_contract.py) check that every named query gives the same rows.
* *The union default graph.* Each server has its own way (:data:`DIALECTS`): Oxigraph server
  takes the ``union-default-graph`` query parameter per request; Fuseki the
  ``urn:x-arq:UnionGraph`` default graph; Virtuoso, GraphDB and Neptune already query the
  union of all graphs when a query names no dataset.
* *Prefixes and base.* ``PREFIX`` / ``BASE`` declarations ahead of the text, on the text's
  first line (the server's error positions keep their line numbers).
* *Errors.* A 400 from the server for a query or update is a ``SyntaxError`` (the request's
  fault, as pyoxigraph raises it). A query past its deadline is a :class:`RemoteTimeoutError`
  (a ``QueryTimeout``: the API answers 503); a server that cannot be reached, refuses the
  credentials or fails (5xx) is a :class:`RemoteUnavailableError` (an ``ExecutorError``: 503).
  Both are ``OSError`` too, as pyoxigraph's I/O errors are, so a failed load is a
  ``StoreError`` like on the embedded store.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from graph.backend import GraphName, QueryAnswer, Term
from graph.endpoints import (
    Endpoints,
    Param,
)
from graph.errors import ExecutorError, QueryTimeout
from graph.sparql_text import SparqlTextError, tokenize

_RESULTS = "application/sparql-results+json"
_TRIPLES = "application/n-triples"
_QUADS = "application/n-quads"


class RemoteUnavailableError(ExecutorError, ConnectionError):
    """The SPARQL server cannot be reached, refuses the credentials, or failed (5xx)."""


class RemoteTimeoutError(QueryTimeout, TimeoutError):
    """The SPARQL server did not answer within the deadline."""

    def __init__(self, deadline: float, url: str) -> None:
        super().__init__(deadline, f"the SPARQL server at {url} did not answer in time")


def bind_values(text: str, substitutions: Mapping[ox.Variable, Term]) -> str:
    """``text`` with VALUES blocks for ``substitutions`` in its outermost group pattern.

    The group is the one after the top-level WHERE keyword, or the first top-level ``{`` when
    there is no WHERE (``SELECT * {}``, ``ASK {}``). A variable the text makes (``... AS
    ?bound``: a projection, or a BIND of that group) is bound by a block closing the group: it
    joins after everything in it, so the BIND stays legal and acts as a filter, as pyoxigraph's
    substitution does. Any other variable (a BIND in a nested group, such as an OPTIONAL's,
    included) is bound by a block opening the group, so that, as with pyoxigraph's
    substitution, an OPTIONAL's condition sees the value and an OPTIONAL whose solutions have
    another value does not match; a filter of the group sees either."""
    if not substitutions:
        return text
    try:
        tokens = tokenize(text).tokens
    except SparqlTextError as e:
        raise SyntaxError(str(e)) from e
    depth = 0
    after_where = False
    first: tuple[int, int] | None = None  # (open, close) of the first top-level group
    where: tuple[int, int] | None = None  # ... of the group after WHERE
    opened = 0
    depths = []  # the depth of each token: 0 outside every group, 1 in the outermost
    for token in tokens:
        depths.append(depth)
        if token.text == "{":
            if depth == 0:
                opened = token.start
            depth += 1
        elif token.text == "}":
            depth -= 1
            if depth == 0:
                if first is None:
                    first = (opened, token.start)
                if after_where and where is None:
                    where = (opened, token.start)
        elif depth == 0 and token.keyword == "WHERE":
            after_where = True
    group = where or first
    if group is None:
        raise SyntaxError("cannot bind variables of a query without a group pattern")
    # made by the query itself: a projection's or GROUP BY's (... AS ?v), or a BIND of the
    # outermost group (a BIND in a nested group, e.g. an OPTIONAL's, is evaluated apart, and
    # its solutions join the value: a filter there, as with pyoxigraph)
    made = {
        token.text[1:]
        for (before, token), at in zip(itertools.pairwise(tokens), depths[1:], strict=True)
        if before.keyword == "AS" and token.kind == "var" and at <= 1
    }
    late = {v: t for v, t in substitutions.items() if v.value in made}
    early = {v: t for v, t in substitutions.items() if v.value not in made}
    opening, closing = group[0] + 1, group[1]
    return (
        f"{text[:opening]}{_values(early)}{text[opening:closing]}{_values(late)}\n{text[closing:]}"
        if late
        else f"{text[:opening]}{_values(early)}{text[opening:]}"
    )


def _values(substitutions: Mapping[ox.Variable, Term]) -> str:
    if not substitutions:
        return ""
    names = " ".join(f"?{v.value}" for v in substitutions)
    row = " ".join(str(term) for term in substitutions.values())
    return f" VALUES ({names}) {{ ({row}) }} "


def _declarations(prefixes: Mapping[str, str] | None, base_iri: str | None) -> str:
    """The prologue, on one line ahead of the text's first line (so that the server's error
    positions keep the text's line numbers)."""
    parts = [f"BASE <{base_iri}>"] if base_iri else []
    parts += [f"PREFIX {name}: <{iri}>" for name, iri in (prefixes or {}).items()]
    return " ".join(parts) + (" " if parts else "")


class RemoteStore:
    """The subset of ``pyoxigraph.Store`` that KnowledgeGraph uses, over HTTP. Thread-safe
    (one pooled ``httpx.Client``)."""

    def __init__(self, endpoints: Endpoints, client: httpx.Client | None = None) -> None:
        self.endpoints = endpoints
        auth: httpx.Auth | None = None
        if endpoints.username:
            password = endpoints.password or ""
            auth = (
                httpx.DigestAuth(endpoints.username, password)
                if endpoints.info.auth == "digest"
                else httpx.BasicAuth(endpoints.username, password)
            )
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(endpoints.timeout, connect=min(10.0, endpoints.timeout)),
            auth=auth,
            headers={"User-Agent": "wsis-kg", **endpoints.headers},
        )

    def close(self) -> None:
        self._client.close()

    @property
    def blank_nodes_in_insert_data(self) -> bool:
        """Whether the server takes blank nodes in INSERT DATA (KnowledgeGraph asks)."""
        return self.endpoints.info.blank_nodes_in_insert_data

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoints.query!r}, dialect={self.endpoints.dialect!r})"

    # ------------------------------------------------------------------ protocol

    def _send(
        self,
        method: str,
        url: str,
        *,
        body: str | None = None,
        media: str | None = None,
        field: str = "",
        accept: str,
        params: Sequence[Param] = (),
        timeout: float,
        what: str,
    ) -> httpx.Response:
        """One request. ``body`` goes as ``media``, or, for a dialect that takes forms, as
        the form ``field`` (``query`` or ``update``)."""
        headers = {"Accept": accept}
        content: bytes | None = None
        if body is not None and self.endpoints.info.form:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            content = urlencode([(field, body), *params]).encode("ascii")
            params = ()
        elif body is not None:
            headers["Content-Type"] = f"{media}; charset=utf-8"
            content = body.encode("utf-8")
        try:
            response = self._client.request(
                method,
                url,
                content=content,
                params=list(params),
                headers=headers,
                timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            )
        except httpx.TimeoutException as e:
            raise RemoteTimeoutError(timeout, url) from e
        except httpx.HTTPError as e:
            raise RemoteUnavailableError(
                f"the SPARQL server at {url} cannot be reached: {type(e).__name__}: {e}"
            ) from e
        status = response.status_code
        detail = response.text.strip()[:500]
        if status == 400:
            raise SyntaxError(f"the SPARQL server refused the {what}: {detail}")
        if status in (401, 403):
            raise RemoteUnavailableError(
                f"the SPARQL server at {url} refused the credentials ({status}): check "
                "WSISKG_STORE_USER / WSISKG_STORE_PASSWORD"
            )
        if status >= 300 and not (method == "GET" and status == 404):
            raise RemoteUnavailableError(
                f"the SPARQL server at {url} failed the {what} ({status}): {detail}"
            )
        return response

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: Sequence[GraphName] | GraphName | None = None,
        named_graphs: Sequence[ox.NamedNode | ox.BlankNode] | None = None,
        substitutions: Mapping[ox.Variable, Term] | None = None,
    ) -> QueryAnswer:
        text = _declarations(prefixes, base_iri) + bind_values(query, substitutions or {})
        defaults = (
            None
            if default_graph is None
            else [default_graph]
            if isinstance(default_graph, ox.NamedNode | ox.BlankNode | ox.DefaultGraph)
            else list(default_graph)
        )
        params: list[Param] = []
        if defaults is not None or named_graphs is not None:
            # the protocol's dataset: exactly these graphs (named graphs only: a blank node
            # or the default graph cannot be named over the protocol)
            params += [
                ("default-graph-uri", g.value)
                for g in defaults or []
                if isinstance(g, ox.NamedNode)
            ]
            params += [
                ("named-graph-uri", g.value)
                for g in named_graphs or []
                if isinstance(g, ox.NamedNode)
            ]
        elif use_default_graph_as_union:
            params += self.endpoints.info.union
        return self._answer(text, params)

    def _answer(self, text: str, params: Sequence[Param]) -> QueryAnswer:
        url = self.endpoints.query
        response = self._send(
            "POST",
            url,
            body=text,
            media="application/sparql-query",
            field="query",
            accept=f"{_RESULTS}, {_TRIPLES};q=0.9, text/turtle;q=0.8",
            params=params,
            timeout=self.endpoints.timeout,
            what="query",
        )
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media in (_RESULTS, "application/json"):
            return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        # only the formats asked for: not RDF/XML, say, which loaders/safety.py would have to
        # check first (docs/reliability.md, parser safety)
        rdf = {_TRIPLES: ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE}.get(media)
        if rdf is None:
            raise RemoteUnavailableError(
                f"the SPARQL server at {url} answered {media or 'no content type'}, "
                f"not one of the formats asked for ({_RESULTS}, {_TRIPLES}, text/turtle)"
            )
        return _triples(response.content, rdf)

    def update(
        self,
        update: str,
        *,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> None:
        """One update request: on Oxigraph server (and Fuseki/TDB2, GraphDB) one transaction.
        Past ``update_timeout`` the server may still commit it: the release read from the
        server says whether it did."""
        self._send(
            "POST",
            self.endpoints.update,
            body=_declarations(prefixes, base_iri) + update,
            media="application/sparql-update",
            field="update",
            accept="*/*",
            timeout=self.endpoints.update_timeout,
            what="update",
        )

    # ------------------------------------------------------------------ graphs and quads

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]:
        answer = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(answer, ox.QuerySolutions)
        graphs = [s["g"] for s in answer]
        return iter([g for g in graphs if isinstance(g, ox.NamedNode | ox.BlankNode)])

    def contains_named_graph(self, graph_name: GraphName) -> bool:
        if isinstance(graph_name, ox.DefaultGraph):
            return True
        return bool(self.query(f"ASK {{ GRAPH {graph_name} {{ ?s ?p ?o }} }}"))

    def __len__(self) -> int:
        """Quads in the named graphs, and in the default graph where it is a graph of its own
        (on a server whose default graph is the union, it holds no quads of its own)."""
        pattern = "GRAPH ?g { ?s ?p ?o }"
        if not self.endpoints.info.default_graph_is_union:
            pattern = f"{{ ?s ?p ?o }} UNION {{ {pattern} }}"
        answer = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        assert isinstance(answer, ox.QuerySolutions)
        for solution in answer:
            count = solution["n"]
            return int(count.value) if isinstance(count, ox.Literal) else 0
        return 0

    def __iter__(self) -> Iterator[ox.Quad]:
        return self._quads()

    def _quads(self, graph_name: GraphName | None = None) -> Iterator[ox.Quad]:
        """Every quad (``graph_name`` None) or those of one graph."""
        if graph_name is not None:
            return (
                ox.Quad(t.subject, t.predicate, t.object, graph_name)
                for t in self._graph(graph_name)
            )
        store = self.endpoints.store
        if store is not None and self.endpoints.info.dataset_dump:
            response = self._get_store(store, [], _QUADS, "dump")
            return iter(list(ox.parse(response.content, format=ox.RdfFormat.N_QUADS)))
        return self._quads_graph_by_graph()

    def _get_store(
        self, url: str, params: Sequence[Param], accept: str, what: str
    ) -> httpx.Response:
        return self._send(
            "GET",
            url,
            accept=accept,
            params=params,
            timeout=self.endpoints.update_timeout,
            what=what,
        )

    def _graph(self, graph: GraphName) -> list[ox.Triple]:
        store = self.endpoints.store
        if store is not None and isinstance(graph, ox.NamedNode):
            response = self._get_store(store, [("graph", graph.value)], _TRIPLES, "graph dump")
            if response.status_code == 404:
                return []
            return [q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]
        if isinstance(graph, ox.DefaultGraph):
            if self.endpoints.info.default_graph_is_union:
                return []  # no graph of its own
            pattern = "?s ?p ?o"
        else:
            pattern = f"GRAPH {graph} {{ ?s ?p ?o }}"
        answer = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}")
        assert isinstance(answer, ox.QueryTriples)
        return list(answer)

    def _quads_graph_by_graph(self) -> Iterator[ox.Quad]:
        for graph in [ox.DefaultGraph(), *self.named_graphs()]:
            for triple in self._graph(graph):
                yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)

    def dump(
        self,
        output: IO[bytes] | str | os.PathLike[str] | None = None,
        format: ox.RdfFormat | None = None,
        *,
        from_graph: GraphName | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> bytes | None:
        if format is None:
            raise ValueError("a format is needed")
        quads = list(self._quads(from_graph))
        data: list[ox.Quad] | list[ox.Triple]
        if format.supports_datasets and from_graph is None:
            data = quads
        else:
            data = [q.triple for q in quads]
        body = ox.serialize(data, format=format, prefixes=dict(prefixes or {}))
        assert isinstance(body, bytes)
        if output is None:
            return body
        if isinstance(output, str | os.PathLike):
            Path(output).write_bytes(body)
        else:
            output.write(body)
        return None

    # ------------------------------------------------------------------ local-only operations

    def flush(self) -> None:
        """Nothing to flush: the server owns its durability."""

    def backup(self, target_directory: str | os.PathLike[str]) -> None:
        raise OSError(
            "a remote store is backed up by its server (Oxigraph: `oxigraph backup`; any "
            "server: an N-Quads dump, `wsiskg export --format nquads`): see docs/deploy.md"
        )


def _triples(content: bytes, rdf: ox.RdfFormat) -> ox.QueryTriples:
    scratch = ox.Store()
    scratch.load(content, format=rdf, to_graph=ox.DefaultGraph())
    answer = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(answer, ox.QueryTriples)
    return answer
