"""Writes fail closed, uploads load documents, CORS and named-route deadlines: each against a
real `wsiskg serve` over a copy of the loaded store."""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph.settings import Settings
from loaders.tables import SEEDS, data_path
from tests.loaders.test_docx_revisions import document, seed_paragraphs, write_docx
from tests.servers import running_server

SEED = data_path(SEEDS["seed-wtsa-res75-rus"])
TOKEN = secrets.token_urlsafe(32)
ORIGIN = "https://dashboards.example.org"


@pytest.fixture(scope="module")
def module_store(loaded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    target = tmp_path_factory.mktemp("writes") / "store"
    shutil.copytree(loaded_store, target)
    return target


@pytest.fixture(scope="module")
def writable(module_store: Path) -> Iterator[str]:
    env = {
        "WSISKG_WRITE_TOKEN": TOKEN,
        "WSISKG_CORS_ORIGINS": f'["{ORIGIN}"]',
        "WSISKG_MAX_UPLOAD_BYTES": "65536",
    }
    with running_server(module_store, env) as base:
        yield base


def _auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _upload(
    base: str, name: str, data: bytes, headers: dict[str, str] | None = None, **params: str
) -> httpx.Response:
    return httpx.post(
        f"{base}/documents",
        files={"file": (name, data, "application/octet-stream")},
        headers=headers if headers is not None else _auth(),
        params=params,
        timeout=120,
    )


def _state(base: str) -> tuple[str, int]:
    health = httpx.get(f"{base}/health", timeout=10).json()
    return health["release"], health["quads"]


# ---------------------------------------------------------------------- fail closed


def test_without_a_token_configured_uploads_are_refused_even_with_a_bearer(
    store_copy: Path,
) -> None:
    with running_server(store_copy) as base:
        before = _state(base)
        for headers in ({}, _auth(), _auth("x" * 40)):
            response = _upload(base, "res75-copy.txt", SEED.read_bytes(), headers=headers)
            assert response.status_code == 403, response.text
            assert "read-only" in response.json()["error"]
            assert "WSISKG_WRITE_TOKEN" in response.json()["error"]
        assert _state(base) == before
        # and with no CORS origins configured, no CORS headers are sent
        answer = httpx.get(f"{base}/action-lines", headers={"Origin": ORIGIN}, timeout=10)
        assert "access-control-allow-origin" not in answer.headers


def test_a_missing_or_wrong_token_is_401_with_a_bearer_challenge(writable: str) -> None:
    before = _state(writable)
    for headers in ({}, _auth("x" * 40), {"Authorization": f"Basic {TOKEN}"}):
        response = _upload(writable, "res75-copy.txt", SEED.read_bytes(), headers=headers)
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.json()["error"]
    assert _state(writable) == before


@pytest.mark.parametrize("token", ["", "changeme", "a" * 30, "0123456789abcdef0123"])
def test_weak_tokens_are_refused_by_the_settings(token: str) -> None:
    if token == "":
        # empty means unset: read-only, never "open"
        assert Settings(write_token=token).write_token is None  # type: ignore[arg-type]
        return
    with pytest.raises(ValueError, match="at least 24 characters"):
        Settings(write_token=token)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- uploads


def test_uploading_a_text_loads_it_into_its_own_graph_with_a_new_release(writable: str) -> None:
    release, quads = _state(writable)
    response = _upload(writable, "res75-upload.txt", SEED.read_bytes())
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["file"] == "res75-upload.txt"
    assert report["document"].endswith("/document/res75-upload")
    assert report["graph"].endswith("document-res75-upload")
    assert report["triples"] > 500
    assert report["release"]
    assert report["release"] != release
    assert report["counts"]["clauses"] == 61
    assert all(w["place"] and w["message"] for w in report["warnings"])
    assert response.headers["location"] == "/documents/res75-upload/changes"

    new_release, new_quads = _state(writable)
    assert new_release == report["release"]
    assert new_quads > quads
    # the uploaded proposal answers like the built-in copy of the same text
    mine = httpx.get(f"{writable}/documents/res75-upload/changes", timeout=30).json()
    seed = httpx.get(f"{writable}/documents/{SEED.stem}/changes", timeout=30).json()
    assert mine["counts"] == seed["counts"]
    assert mine["counts"]["added"] == 3
    # the same bytes again change nothing
    again = _upload(writable, "res75-upload.txt", SEED.read_bytes())
    assert again.status_code == 200
    assert again.json()["unchanged"] is True
    assert _state(writable) == (new_release, new_quads)


def test_a_docx_upload_reads_tracked_changes(writable: str, tmp_path: Path) -> None:
    path = write_docx(tmp_path / "res75-word.docx", document(*seed_paragraphs()))
    response = _upload(writable, path.name, path.read_bytes())
    assert response.status_code == 201, response.text
    changes = httpx.get(f"{writable}/documents/res75-word/changes", timeout=30).json()
    assert changes["counts"].get("added", 0) >= 1
    assert changes["counts"].get("modified", 0) >= 1


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("résolution 58 \u2013 Genève.html", "html"),
        ("قرار 58.txt", "text"),
        ("резолюция 58.txt", "text"),
        ("第58号决议.txt", "text"),
    ],
)
def test_uploads_named_in_any_script_load_under_a_derived_identifier(
    writable: str, name: str, make: str
) -> None:
    from loaders.documents import document_key
    from tests.test_formats import CANON, html_page

    data = html_page(CANON, written_labels=False) if make == "html" else CANON
    response = _upload(writable, name, data.encode("utf-8"))
    assert response.status_code == 201, response.text
    report = response.json()
    key = document_key(name)
    assert report["file"] == name  # the name as given
    assert report["document"].endswith(f"/document/{key}")
    assert response.headers["location"] == f"/documents/{key}/changes"
    # the document is in the graph under its identifier, with the name as given
    ask = (
        "PREFIX wsis: <https://w3id.org/wsis-kg/ontology#> "
        f"ASK {{ <{report['document']}> wsis:fileName {json.dumps(name, ensure_ascii=False)} }}"
    )
    answer = httpx.get(
        f"{writable}/sparql",
        params={"query": ask},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["boolean"] is True


def test_a_volume_upload_gives_a_document_per_resolution(writable: str) -> None:
    from tests.test_formats import volume_text

    before = _state(writable)
    response = _upload(writable, "final-acts.txt", volume_text().encode("utf-8"))
    assert response.status_code == 201, response.text
    report = response.json()
    assert [d.rsplit("/", 1)[1] for d in report["documents"]] == [
        "final-acts-WTSA-58",
        "final-acts-WTSA-75",
        "final-acts-WTSA-76",
    ]
    assert len(report["graphs"]) == 3
    after = _state(writable)
    assert after[0] == report["release"] != before[0]  # one load, one release


def test_a_dry_run_reports_the_parse_and_stores_nothing(writable: str) -> None:
    before = _state(writable)
    response = _upload(writable, "res75-dry.txt", SEED.read_bytes(), dry_run="true")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["dry_run"] is True
    assert len(body["parse"]["sections"]) == 13
    assert _state(writable) == before
    assert httpx.get(f"{writable}/documents/res75-dry/changes", timeout=30).status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "status", "words"),
    [
        ("notes.pdf", b"%PDF-1.4", 422, ["notes.pdf", "PDF"]),  # a truncated PDF
        ("notes.odt", b"PK\x03\x04", 415, [".txt", ".docx", ".pdf", ".html"]),
        ("scan", b"\x89PNG\r\n\x1a\n....", 415, [".pdf"]),  # no suffix, no known content
        ("saved-page", b"<html><body><p>ITU news</p></body></html>", 422, ["no resolution"]),
        ("empty.txt", b"", 422, ["empty"]),
        ("binary.txt", bytes(range(256)) * 8, 422, ["binary.txt"]),
        ("no-resolution.txt", b"Just a letter.\nNothing to see.\n", 422, ["no-resolution.txt"]),
        ("../../etc/passwd.txt", b"x", 422, []),  # reduced to passwd.txt, then not a resolution
        ("bad\u202ename.txt", b"x", 422, ["cannot name a document"]),  # a bidi override
        ("big.txt", b"a" * 70000, 413, ["65536"]),
        ("fake.docx", b"PK\x03\x04 not really a zip", 422, ["fake.docx"]),
    ],
)
def test_bad_uploads_get_a_clear_error_and_leave_the_store_as_it_was(
    writable: str, name: str, data: bytes, status: int, words: list[str]
) -> None:
    before = _state(writable)
    response = _upload(writable, name, data)
    assert response.status_code == status, response.text
    message = response.json()["error"]
    for word in words:
        assert word in message
    assert "/tmp" not in message  # the client's file name, not our temporary directory
    assert _state(writable) == before


def test_the_upload_route_is_documented_with_its_security(writable: str) -> None:
    spec = httpx.get(f"{writable}/openapi.json", timeout=10).json()
    post = spec["paths"]["/documents"]["post"]
    assert "WSISKG_WRITE_TOKEN" in post["description"]
    assert {"401", "403", "413", "415", "422"} <= set(post["responses"])


# ---------------------------------------------------------------------- CORS


def test_cors_allows_the_configured_origin_only(writable: str) -> None:
    preflight = httpx.options(
        f"{writable}/sparql",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=10,
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    answer = httpx.get(f"{writable}/action-lines", headers={"Origin": ORIGIN}, timeout=10)
    assert answer.headers["access-control-allow-origin"] == ORIGIN
    assert "etag" in answer.headers["access-control-expose-headers"].lower()
    other = httpx.get(
        f"{writable}/action-lines", headers={"Origin": "https://evil.example"}, timeout=10
    )
    assert "access-control-allow-origin" not in other.headers


# ---------------------------------------------------------------------- deadlines


def test_named_routes_have_the_query_deadline_too(store_copy: Path) -> None:
    # a deadline no real query can meet: the route answers 503 with a reason, and the
    # service goes on answering what needs no query
    with running_server(store_copy, {"WSISKG_QUERY_TIMEOUT": "0.001"}) as base:
        response = httpx.get(f"{base}/matrix", timeout=30)
        assert response.status_code == 503, response.text
        assert "deadline" in response.json()["error"]
        assert response.headers["retry-after"] == "1"
        assert httpx.get(f"{base}/health", timeout=10).status_code == 200


def test_a_csv_cell_that_a_spreadsheet_would_run_is_written_as_text(writable: str) -> None:
    """CSV injection: a title written into the graph as a spreadsheet formula comes out of a
    REST CSV with a leading apostrophe (shown as text, never run); numbers stay numbers."""
    formula = '=HYPERLINK("http://127.0.0.1:9/x","open")'
    update = f"""PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT DATA {{ GRAPH <https://example.org/csv-injection> {{
  <https://example.org/res/9999> a wsis:Resolution ; wsis:resolutionNumber "9999" ;
    rdfs:label "WTSA Resolution 9999" ;
    dcterms:creator <https://w3id.org/wsis-kg/id/body/WTSA> ;
    dcterms:title {json.dumps(formula)} .
}} }}"""
    headers = {**_auth(), "Content-Type": "application/sparql-update"}
    response = httpx.post(f"{writable}/sparql", content=update, headers=headers, timeout=120)
    assert response.status_code in (200, 204), response.text
    answer = httpx.get(f"{writable}/resolutions/WTSA/9999", params={"format": "csv"}, timeout=60)
    assert answer.status_code == 200, answer.text
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [row["title"] for row in rows] == ["'" + formula]
    assert rows[0]["sections"] == "0"  # a number, unchanged
    # the JSON answer keeps the value as it is
    data = httpx.get(f"{writable}/resolutions/WTSA/9999", timeout=60).json()
    assert data["title"] == formula
