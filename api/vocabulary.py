"""Where an analyst finds the vocabulary from the endpoint: the SPARQL service description
(``GET /sparql`` without a query), the ontology (``GET /ontology``) and the named queries
(``GET /queries``, ``GET /queries/{name}``).

The service description lists the named graphs with their sizes, the prefixes every query
may use without declaring them (as SHACL ``sh:declare``), and the addresses on this server of
the ontology, the named queries and the OpenAPI pages.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Generic, TypeVar

import pyoxigraph as ox
from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api import models
from graph import catalogue
from ontology import (
    DCTERMS,
    ONTOLOGY_IRI,
    OWL,
    PREFIXES,
    RDF,
    RDFS,
    SD,
    SH,
    VOID,
    XSD,
    ontology_path,
)

RDF_TYPE = RDF.type
_INTEGER = XSD.integer
XSD_ANY_URI = XSD.anyURI
OWL_ONTOLOGY = OWL.Ontology
# the prefixes of the description itself, in Turtle (with the service's own)
DESCRIPTION_PREFIXES = {"sd": SD.base, "void": VOID.base, "sh": SH.base, **PREFIXES}

RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "N-Quads",
)


def _sd(name: str) -> ox.NamedNode:
    return SD.term(name)


def _void(name: str) -> ox.NamedNode:
    return VOID.term(name)


def _sh(name: str) -> ox.NamedNode:
    return SH.term(name)


def _rdfs(name: str) -> ox.NamedNode:
    return RDFS.term(name)


def _dcterms(name: str) -> ox.NamedNode:
    # the description uses terms (dcterms:format) the ontology does not declare for the data
    return ox.NamedNode(DCTERMS.base + name)


T = TypeVar("T")


class PerRelease(Generic[T]):
    """A value computed once per data release (e.g. the graph sizes: a scan of the store)."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute
        self._lock = threading.Lock()
        self._value: tuple[str | None, T] | None = None

    def get(self, release: str | None) -> T:
        with self._lock:
            if self._value is not None and self._value[0] == release and release is not None:
                return self._value[1]
        value = self._compute()
        with self._lock:
            self._value = (release, value)
        return value


def describe_service(
    endpoint: str,
    server: str,
    *,
    updates: bool,
    graphs: Mapping[str, int],
    ontology_graph: str,
) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of the endpoint ``endpoint`` of the server whose
    base URL is ``server``: what it runs, its dataset (``graphs``: each named graph and its
    number of triples), the predeclared prefixes, and where the vocabulary is."""
    service = ox.NamedNode(f"{endpoint}#service")
    dataset = ox.NamedNode(f"{endpoint}#dataset")
    default_graph = ox.BlankNode()
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _rdfs("comment"), ox.Literal(_comment(updates))),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, RDF_TYPE, _void("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
        ox.Triple(
            default_graph,
            _rdfs("comment"),
            ox.Literal("The union of all the named graphs below."),
        ),
        ox.Triple(dataset, _void("sparqlEndpoint"), ox.NamedNode(endpoint)),
        ox.Triple(dataset, _void("vocabulary"), ox.NamedNode(ONTOLOGY_IRI)),
    ]
    if updates:
        triples.append(ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")))
    for name in RESULT_FORMATS:
        triples.append(
            ox.Triple(
                service, _sd("resultFormat"), ox.NamedNode(f"http://www.w3.org/ns/formats/{name}")
            )
        )
    for iri, size in sorted(graphs.items()):
        named, graph = ox.BlankNode(), ox.BlankNode()
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(iri)),
            ox.Triple(named, _sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, _sd("Graph")),
            ox.Triple(graph, _void("triples"), ox.Literal(str(size), datatype=_INTEGER)),
        ]
        if iri == ontology_graph:
            triples.append(
                ox.Triple(named, _rdfs("comment"), ox.Literal(f"The ontology {ONTOLOGY_IRI}."))
            )
    # the prefixes a query may use without declaring them (SHACL's vocabulary for them)
    for prefix, namespace in PREFIXES.items():
        declaration = ox.BlankNode()
        triples += [
            ox.Triple(service, _sh("declare"), declaration),
            ox.Triple(declaration, _sh("prefix"), ox.Literal(prefix)),
            ox.Triple(declaration, _sh("namespace"), ox.Literal(namespace, datatype=XSD_ANY_URI)),
        ]
    # where the vocabulary is, on this server
    ontology = ox.NamedNode(ONTOLOGY_IRI)
    ontology_file = ox.NamedNode(f"{server}/ontology")
    queries = ox.NamedNode(f"{server}/queries")
    triples += [
        ox.Triple(ontology, RDF_TYPE, OWL_ONTOLOGY),
        ox.Triple(ontology, _rdfs("seeAlso"), ontology_file),
        ox.Triple(service, _rdfs("seeAlso"), ontology_file),
        ox.Triple(
            ontology_file,
            _rdfs("label"),
            ox.Literal(
                "The ontology (OWL, Turtle); also the named graph "
                f"<{ontology_graph}> of this endpoint."
            ),
        ),
        ox.Triple(ontology_file, _dcterms("format"), ox.Literal("text/turtle")),
        ox.Triple(service, _rdfs("seeAlso"), queries),
        ox.Triple(
            queries,
            _rdfs("label"),
            ox.Literal(
                "The named queries (JSON: name, description, parameters): the SPARQL behind "
                "each REST route, each runnable as it is on this endpoint."
            ),
        ),
        ox.Triple(queries, _dcterms("format"), ox.Literal("application/json")),
    ]
    for query in catalogue.catalogue().values():
        text = ox.NamedNode(f"{server}/queries/{query.name}")
        triples += [
            ox.Triple(queries, _dcterms("hasPart"), text),
            ox.Triple(text, _rdfs("label"), ox.Literal(query.name)),
            ox.Triple(text, _rdfs("comment"), ox.Literal(query.description)),
            ox.Triple(text, _dcterms("format"), ox.Literal("application/sparql-query")),
        ]
    for path, label in (
        ("/docs", "The REST API (OpenAPI, Swagger UI)."),
        ("/openapi.json", "The OpenAPI document of the REST API."),
        ("/graphs", "The named graphs and their sizes (JSON)."),
    ):
        page = ox.NamedNode(f"{server}{path}")
        triples += [
            ox.Triple(service, _rdfs("seeAlso"), page),
            ox.Triple(page, _rdfs("label"), ox.Literal(label)),
        ]
    # each subject's statements together (Turtle groups consecutive ones), in first-seen order
    first: dict[object, int] = {}
    for triple in triples:
        first.setdefault(triple.subject, len(first))
    return sorted(triples, key=lambda t: first[t.subject])


def _comment(updates: bool) -> str:
    return (
        "Queries: the default graph is the union of all graphs, unless the query has FROM / "
        "FROM NAMED or the request default-graph-uri / named-graph-uri (then that dataset, "
        "from the store's graphs: nothing is fetched, and SERVICE is refused). Relative IRIs "
        "resolve against this endpoint's IRI. The prefixes declared here (sh:declare) may be "
        "used without PREFIX lines."
    ) + (
        " Updates (POST, with 'Authorization: Bearer <write token>') use SPARQL 1.1 Update's "
        "dataset: the default graph is the store's own default graph (INSERT DATA without "
        "GRAPH writes there), not the union; using-graph-uri and using-named-graph-uri are "
        "honoured; LOAD is refused; the provenance and entailment graphs are maintained by "
        "the store and an update cannot write them; each update makes a new release."
        if updates
        else " Updates are not accepted: no write token is configured."
    )


def server_url(request: Request) -> str:
    """The base URL of this server as the client called it (with any root path)."""
    return str(request.base_url).rstrip("/")


QueryName = Annotated[
    str,
    Path(description="The name of a named query (see /queries).", examples=["supporting-work"]),
]

router = APIRouter(tags=["vocabulary"])


@router.get(
    "/ontology",
    summary="The ontology (OWL, Turtle)",
    response_class=Response,
    responses={200: {"content": {"text/turtle": {}}, "description": "the ontology"}},
)
def get_ontology() -> Response:
    return Response(ontology_path().read_bytes(), media_type="text/turtle")


@router.get(
    "/queries",
    summary="The named queries behind the REST routes",
    response_model=models.QueryCatalogue,
    response_model_exclude_unset=True,
)
def list_queries(request: Request) -> dict[str, Any]:
    server = server_url(request)
    return {
        "prefixes": PREFIXES,
        "queries": [
            {
                "name": q.name,
                "description": q.description,
                "url": f"{server}/queries/{q.name}",
                "parameters": [
                    {
                        "name": p.name,
                        "type": p.type,
                        "required": p.required,
                        "repeatable": p.repeatable,
                        "example": p.example,
                        "description": p.description,
                        **({"choices": list(p.choices)} if p.choices else {}),
                    }
                    for p in q.params
                ],
            }
            for q in catalogue.catalogue().values()
        ],
    }


@router.get(
    "/queries/{name}",
    summary="The SPARQL text of one named query (runs as it is on /sparql)",
    response_class=Response,
    responses={
        200: {"content": {"application/sparql-query": {}}, "description": "the query"},
        404: {"description": "no named query of this name"},
    },
)
def get_query(name: QueryName) -> Response:
    query = catalogue.get(name)  # no such query: UnknownQueryError, a 404 (api/app.py)
    return Response(query.text, media_type="application/sparql-query; charset=utf-8")
