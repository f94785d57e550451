"""Fuzzing the API of a real `wsiskg serve` (over a copy of the loaded store, with a write
token, so that the write routes are reached too):

- schemathesis generates requests from the OpenAPI document (every operation: its examples,
  its boundary "coverage" cases, then ``FUZZ_EXAMPLES`` random cases) and checks that no
  answer is a 5xx, that answers match the response schemas (the bodies of the JSON routes
  too: their models, api/models, which the routes declare as ``response_model=``), and
  that every error is JSON with a reason;
- hypothesis sends what the schema does not describe: arbitrary Accept headers (the answer
  is one of the types the header admits, or a 406), SPARQL queries built from pieces of the
  grammar, any bytes with any content type to ``POST /sparql``, arbitrary path and query
  values to the REST routes. Never a 5xx, except a 503 for a query past its deadline.

``FUZZ_EXAMPLES`` (default 25 per operation) and ``FUZZ_HTTP_EXAMPLES`` (default 60 per
property) set the size; docs/reliability.md gives the numbers of a larger run.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.app import GRAPH_TYPES, SELECT_TYPES, preferences
from tests.servers import running_server

TOKEN = secrets.token_urlsafe(32)
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DEADLINE = 5.0  # WSISKG_QUERY_TIMEOUT of the server under test
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
HTTP_EXAMPLES = int(os.environ.get("FUZZ_HTTP_EXAMPLES", "60"))
# every request the fuzzers sent, by operation and status: reported at the end
SENT: Counter[tuple[str, int]] = Counter()

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fuzz_server(loaded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("fuzz") / "store"
    shutil.copytree(loaded_store, store)
    env = {
        "WSISKG_WRITE_TOKEN": TOKEN,
        "WSISKG_QUERY_TIMEOUT": str(DEADLINE),
        "WSISKG_MAX_UPLOAD_BYTES": "65536",
    }
    with running_server(store, env) as base:
        yield base


@pytest.fixture(scope="module")
def http(fuzz_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fuzz_server, timeout=DEADLINE + 30) as client:
        yield client


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document the service serves (tested below to be the one served), made
    without a store: the fuzzed operations are known when the tests are collected.
    (``schemathesis.pytest.from_fixture``, which would load it from the server, does not work
    with pytest 9: it sets ``Function._nodeid``, which pytest 9 no longer has.)"""
    from api.app import create_app
    from graph.store import KnowledgeGraph

    document: dict[str, Any] = create_app(KnowledgeGraph.in_memory()).openapi()
    return document


# ---------------------------------------------------------------------- checks


def error_is_json_with_a_reason(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx/5xx is a JSON object saying what is wrong in one line: ``{"error": ...}``,
    also for what FastAPI refuses itself (validation, unknown paths, methods)."""
    if response.status_code < 400:
        return None
    media = response.headers.get("content-type", [""])
    media = (media[0] if isinstance(media, list) else media).split(";")[0].strip()
    if media != "application/json":
        raise AssertionError(f"a {response.status_code} answered as {media!r}: {response.text}")
    body = response.json()
    if not (isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"]):
        raise AssertionError(f"a {response.status_code} without a reason: {response.text}")
    if "\n" in body["error"] or "detail" in body:
        raise AssertionError(f"a {response.status_code} not in the error shape: {response.text}")
    return None


def no_server_error_but_the_deadline(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's not_a_server_error, less the one 5xx the API documents: a 503 for a
    query stopped at its deadline (5 s here: on a loaded machine a heavy route, such as GET
    /mappings with its two 1.5 s queries, reaches it; that is the answer a client gets then,
    not a fault)."""
    deadline_is_the_only_5xx(response.status_code, response.text)
    return None


def deadline_is_the_only_5xx(status: int, body: str) -> None:
    """A 5xx only for a query stopped at its deadline (a 503 that says so)."""
    if status >= 500:
        assert status == 503, body
        assert "deadline" in body, body


# ---------------------------------------------------------------------- schemathesis

DOCUMENT = openapi_document()
# each JSON route's answers have its model's schema (``response_model=``): the bodies are
# checked, not only statuses
schema = schemathesis.openapi.from_dict(DOCUMENT)
# a query or an update as the body of POST /sparql: text, sent as it is
schemathesis.serializer.alias(
    ["application/sparql-query", "application/sparql-update"], "text/plain"
)


def test_the_fuzzed_document_is_the_one_served(http: httpx.Client) -> None:
    assert http.get("/openapi.json").json() == DOCUMENT


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_openapi_operations(case: Any, fuzz_server: str) -> None:
    response = case.call_and_validate(
        base_url=fuzz_server,
        headers=AUTH,
        timeout=DEADLINE + 30,
        checks=[
            no_server_error_but_the_deadline,
            response_schema_conformance,
            error_is_json_with_a_reason,
        ],
    )
    SENT[(f"{case.method} {case.path}", response.status_code)] += 1


# ---------------------------------------------------------------------- hypothesis over HTTP

HTTP_SETTINGS = settings(
    max_examples=HTTP_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

# what h11 lets through in a header value: visible ASCII, obs-text, inner spaces and tabs
_HEADER_CHARS = st.characters(
    codec="latin-1", exclude_categories=("Cc",), exclude_characters="\x7f"
) | st.sampled_from(" \t")
OFFERED = [*SELECT_TYPES, *GRAPH_TYPES]
RANGES = [*OFFERED, "text/*", "application/*", "*/*", "text/html", "image/png", "text/plain"]


@st.composite
def accept_values(draw: st.DrawFn) -> str:
    """Mostly well-formed Accept headers, sometimes anything h11 lets through."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.text(_HEADER_CHARS, max_size=80)).strip()
    parts = []
    for media in draw(st.lists(st.sampled_from(RANGES), min_size=1, max_size=5)):
        q = draw(st.sampled_from(["", ";q=0", ";q=0.1", ";q=0.5", ";q=1", ";q=x", ";q=-1"]))
        parts.append(media + q)
    return ", ".join(parts)


def _headers(**values: str) -> dict[str, bytes]:
    """Header values as bytes: they may hold any Latin-1 character (httpx sends str as ASCII)."""
    return {name.replace("_", "-"): value.encode("latin-1") for name, value in values.items()}


def _bare(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _admitted(accept: str, media: str) -> bool:
    return not accept.strip() or media in preferences(accept, [media])


SELECT = "SELECT ?s WHERE { ?s skos:notation 'C5' }"
CONSTRUCT = "CONSTRUCT { ?s skos:notation ?n } WHERE { ?s skos:notation 'C5' ; skos:notation ?n }"


@HTTP_SETTINGS
@given(accept=accept_values(), construct=st.booleans())
def test_sparql_answers_in_a_type_the_client_accepts(
    http: httpx.Client, accept: str, construct: bool
) -> None:
    query = CONSTRUCT if construct else SELECT
    response = http.get("/sparql", params={"query": query}, headers=_headers(Accept=accept))
    SENT[("GET /sparql (Accept)", response.status_code)] += 1
    producible = list(GRAPH_TYPES) if construct else list(SELECT_TYPES)
    if response.status_code == 406:
        assert accept.strip()
        assert not preferences(accept, producible)
        assert response.json()["error"]
        return
    assert response.status_code == 200, response.text
    media = _bare(response.headers["content-type"])
    assert media in producible
    assert _admitted(accept, media), f"{media} answered to Accept: {accept}"
    assert preferences(accept, producible)[0] == media if accept.strip() else True


@HTTP_SETTINGS
@given(
    accept=accept_values(),
    path=st.sampled_from(["/action-lines", "/matrix", "/sdgs", "/resolutions", "/sdgs/16"]),
)
def test_rest_routes_answer_json_or_the_csv_asked_for(
    http: httpx.Client, accept: str, path: str
) -> None:
    response = http.get(path, headers=_headers(Accept=accept))
    SENT[(f"GET {path} (Accept)", response.status_code)] += 1
    assert response.status_code == 200, response.text
    media = _bare(response.headers["content-type"])
    wants_csv = bool(accept) and preferences(accept, ["application/json", "text/csv"])[:1] == [
        "text/csv"
    ]
    assert media == ("text/csv" if wants_csv else "application/json")


# SPARQL built from pieces of the grammar: mostly valid, sometimes not, never a 500
_TERMS = st.one_of(
    st.sampled_from(
        [
            "?s",
            "?o",
            "?x",
            "skos:notation",
            "rdfs:label",
            "wsis:evidence",
            "a",
            "<urn:x>",
            "<relative>",
            "<https://w3id.org/wsis-kg/id/action-line/C5>",
            "'C5'",
            '"x"@en',
            '"1"^^xsd:integer',
            "1.5e3",
            "true",
            "[]",
            "_:b",
        ]
    ),
    st.text(max_size=12).map(lambda t: '"' + t.replace("\\", "").replace('"', "") + '"'),
    st.integers(-(2**70), 2**70).map(str),
)
_PATHS = st.sampled_from(
    ["skos:notation", "skos:broader*", "^skos:broader", "(rdfs:label|skos:prefLabel)", "!a"]
)
_FUNCTIONS = st.sampled_from(
    [
        "REGEX(STR(?o), {t})",
        "REGEX(STR(?o), {t}, 'i')",
        "STRLEN(STR({t})) > 2",
        "SUBSTR(STR(?o), {i}, {i}) != ''",
        "xsd:integer({t}) > {i}",
        "xsd:dateTime({t}) < NOW()",
        "LANGMATCHES(LANG(?o), {t})",
        "CONTAINS(LCASE(STR(?o)), {t})",
        "?o = {t}",
        "ABS({i}) / ({i} - {i}) > 0",
        "BOUND(?x) || !BOUND(?x)",
        "sameTerm(?s, {t})",
        "ENCODE_FOR_URI(STR({t})) != ''",
        "STRDT(STR(?o), xsd:decimal) > 0",
        "IRI({t}) = ?s",
    ]
)


@st.composite
def sparql_queries(draw: st.DrawFn) -> str:
    s, o = "?s", "?o"
    anchor = draw(st.sampled_from(["?s skos:notation ?o .", "?s a skos:Concept ; rdfs:label ?o ."]))
    triples = [anchor]
    for _ in range(draw(st.integers(0, 2))):
        triples.append(f"{s} {draw(_PATHS)} {draw(_TERMS)} .")
    filters = [
        draw(_FUNCTIONS).format(t=draw(_TERMS), i=draw(st.integers(-3, 2**40)))
        for _ in range(draw(st.integers(0, 2)))
    ]
    body = " ".join(triples) + "".join(f" FILTER({f})" for f in filters)
    if draw(st.booleans()):
        body += f" OPTIONAL {{ {s} rdfs:label ?x }}"
    if draw(st.booleans()):
        body += f" BIND({draw(_TERMS)} AS ?b)"
    if draw(st.booleans()):
        body += f" VALUES ?s {{ {draw(_TERMS)} UNDEF }}"
    form = draw(st.sampled_from(["select", "count", "ask", "construct", "describe", "group"]))
    limit = f" LIMIT {draw(st.integers(0, 2**64))}" if draw(st.booleans()) else " LIMIT 50"
    offset = f" OFFSET {draw(st.integers(0, 2**64))}" if draw(st.booleans()) else ""
    if form == "select":
        order = " ORDER BY DESC(?o)" if draw(st.booleans()) else ""
        text = f"SELECT DISTINCT ?s ?o WHERE {{ {body} }}{order}{limit}{offset}"
    elif form == "count":
        text = f"SELECT (COUNT(*) AS ?n) (SAMPLE({o}) AS ?any) WHERE {{ {body} }}"
    elif form == "group":
        text = (
            f"SELECT ?s (GROUP_CONCAT(STR({o}); SEPARATOR={draw(_TERMS)}) AS ?all) "
            f"(AVG(STRLEN(STR({o}))) AS ?mean) WHERE {{ {body} }} GROUP BY ?s "
            f"HAVING (COUNT(*) > {draw(st.integers(-1, 3))}){limit}"
        )
    elif form == "ask":
        text = f"ASK {{ {body} }}"
    elif form == "construct":
        text = f"CONSTRUCT {{ ?s <urn:p> ?o }} WHERE {{ {body} }}{limit}"
    else:
        text = f"DESCRIBE ?s WHERE {{ {body} }} LIMIT 3"
    if draw(st.integers(0, 5)) == 0:  # a cut or a stray character somewhere
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(["", "}", "{", "(", "'", '"', "\\", "\x00"]))
    return text


@HTTP_SETTINGS
@given(
    query=sparql_queries(),
    method=st.sampled_from(["get", "form", "direct"]),
    dataset=st.sampled_from(
        [{}, {"default-graph-uri": "urn:nothing"}, {"named-graph-uri": "not an iri"}]
    ),
)
def test_generated_sparql_is_answered_or_refused_never_a_500(
    http: httpx.Client, query: str, method: str, dataset: dict[str, str]
) -> None:
    if method == "get":
        response = http.get("/sparql", params={"query": query, **dataset})
    elif method == "form":
        response = http.post("/sparql", data={"query": query, **dataset})
    else:
        response = http.post(
            "/sparql",
            params=dataset,
            content=query.encode(),
            headers={"Content-Type": "application/sparql-query"},
        )
    SENT[("/sparql (generated query)", response.status_code)] += 1
    deadline_is_the_only_5xx(response.status_code, response.text)
    assert response.status_code in (200, 400, 503), response.text
    if response.status_code == 400:
        assert response.json()["error"]


_CONTENT_TYPES = st.one_of(
    st.sampled_from(
        [
            "application/sparql-query",
            "application/sparql-update",
            "application/x-www-form-urlencoded",
            "application/sparql-query; charset=latin-1",
            "application/x-www-form-urlencoded;charset=UTF8",
            "multipart/form-data; boundary=x",
            "text/plain",
            "",
        ]
    ),
    st.text(_HEADER_CHARS, max_size=40).map(str.strip),
)


@HTTP_SETTINGS
@given(
    content_type=_CONTENT_TYPES,
    body=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=200).map(lambda t: ("query=" + quote(t)).encode()),
        st.text(max_size=200).map(lambda t: ("update=" + quote(t)).encode()),
        st.sampled_from([b"query=ASK{}&query=ASK{}", b"update=CLEAR%20ALL&query=ASK{}"]),
    ),
    token=st.booleans(),
)
def test_any_body_to_post_sparql_is_a_4xx_or_an_answer(
    http: httpx.Client, content_type: str, body: bytes, token: bool
) -> None:
    if body.startswith(b"update=") and token:
        # a valid update would change the store: keep it to those that cannot parse
        body = body + b"%20%7B%7B"
    headers = _headers(Content_Type=content_type) if content_type else {}
    if token:
        headers.update(_headers(**AUTH))
    response = http.post("/sparql", content=body, headers=headers)
    SENT[("POST /sparql (any body)", response.status_code)] += 1
    deadline_is_the_only_5xx(response.status_code, response.text)
    if response.status_code >= 400:
        reply = response.json()
        assert reply.get("error"), response.text
        assert "detail" not in reply, response.text


_VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["C5", "C7.e-health", "16", "0", "-1", "99999999999999999999", "WTSA", "75", "70-125"]
    ),
    st.sampled_from(["..", "%2F", "%00", "%", "\u0000", "a/b", " ", "🙂", "ǅ", "\ufeff"]),
)
_ROUTES = [
    "/action-lines/{v}",
    "/action-lines/{v}/supporting-work",
    "/sdgs/{v}",
    "/sdgs/{v}/action-lines",
    "/study-groups/{v}/{v}",
    "/resolutions/{v}/{v}",
    "/resolutions/{v}/{v}/clauses",
    "/resolutions/{v}/{v}/changes",
    "/documents/{v}/changes",
]
_PARAMS = [
    "evidence", "source", "limit", "offset", "format", "period", "body", "q", "kind", "from", "to",
]  # fmt: skip


@HTTP_SETTINGS
@given(
    route=st.sampled_from([*_ROUTES, "/matrix", "/search", "/study-groups", "/resolutions"]),
    value=_VALUES,
    params=st.lists(st.tuples(st.sampled_from(_PARAMS), _VALUES), max_size=4),
    etag=st.none() | st.text(_HEADER_CHARS, max_size=40).map(str.strip),
)
def test_rest_routes_take_any_value(
    http: httpx.Client,
    route: str,
    value: str,
    params: list[tuple[str, str]],
    etag: str | None,
) -> None:
    path = route.format(v=quote(value, safe=""))
    headers = _headers(If_None_Match=etag) if etag else {}
    response = http.get(path, params=params, headers=headers)
    SENT[(f"GET {route} (any value)", response.status_code)] += 1
    deadline_is_the_only_5xx(response.status_code, response.text)
    assert response.status_code in (200, 304, 307, 404, 406, 422, 503), response.text
    if response.status_code == 307:  # an empty segment: to the route without the slash
        assert response.headers["location"]
    if response.status_code >= 400:
        body = response.json()
        assert body.get("error"), response.text
        assert "detail" not in body, response.text


# ---------------------------------------------------------------------- after the fuzzing


def test_the_server_still_answers_and_the_cases_are_counted(http: httpx.Client) -> None:
    """Runs last in this module: the server survived, and how many cases were sent."""
    assert http.get("/health").json()["status"] == "ok"
    assert http.get("/action-lines/C5").status_code == 200
    if not SENT:
        pytest.skip("run with the fuzzing tests above to count their cases")
    total = sum(SENT.values())
    statuses = Counter[int]()
    for (_, status), n in SENT.items():
        statuses[status] += n
    print(f"\nfuzzing: {total} requests; by status: {dict(sorted(statuses.items()))}")
    assert not [s for s in statuses if s >= 500 and s != 503]
