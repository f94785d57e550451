"""One exception tree (ontology/errors.py): every error the project defines is a WsisKgError,
of the kind it is; the API answers one with its ``http_status`` as ``{"error": ...}``."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ontology.errors import (
    BadQueryError,
    DeadlineError,
    ParseError,
    ResponseError,
    UnavailableError,
    WsisKgError,
)
from tests.servers import running_server

PACKAGES = ("ontology", "loaders", "graph", "api", "bench")
# Exceptions that are deliberately not WsisKgErrors, with the reason.
OUTSIDE_THE_TREE = {
    "api.limits._BodyTooLargeError": "private control flow of the body limit: it must pass "
    "through the application untouched, to the middleware that answers 413",
    "loaders.rdf_scan.ScanCancelledError": "private control flow of a bulk load: the scan "
    "thread stops with it when the load it checks failed first; graph/bulk.py catches it and "
    "reports the load's own error",
    "graph.shacl_shapes.UntranslatableError": "private control flow of the SHACL "
    "translation: a constraint it cannot state in SPARQL stays in pySHACL; never raised out "
    "of graph.shacl_sparql.plan",
}


def _modules() -> Iterator[str]:
    for package in PACKAGES:
        module = importlib.import_module(package)
        yield package
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            yield info.name


def _defined_exceptions() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for name in _modules():
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == name
            ):
                found[f"{name}.{attribute}"] = value
    return found


def test_every_exception_of_the_project_is_a_wsiskg_error() -> None:
    found = _defined_exceptions()
    assert len(found) > 20  # the walk found the modules
    outside = {name for name, cls in found.items() if not issubclass(cls, WsisKgError)}
    assert outside == set(OUTSIDE_THE_TREE), (
        "not WsisKgErrors (make them subclass their kind, ontology/errors.py, or list them in "
        f"OUTSIDE_THE_TREE with a reason): {sorted(outside - set(OUTSIDE_THE_TREE))}; "
        f"listed but no longer outside: {sorted(set(OUTSIDE_THE_TREE) - outside)}"
    )


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("ontology.ids.IdentifierError", ValueError),
        ("loaders.errors.TableError", ParseError),
        ("loaders.errors.DocumentError", ParseError),
        ("loaders.safety.UnsafeXmlError", ParseError),
        ("loaders.safety.UnsafeXmlError", ValueError),
        ("graph.errors.ParameterError", BadQueryError),
        ("graph.errors.ParameterError", ValueError),
        ("graph.errors.CatalogueFileError", ParseError),
        ("graph.search.errors.QueryError", BadQueryError),
        ("graph.search.errors.QueryError", ValueError),
        ("graph.sparql_text.lexer.SparqlTextError", ValueError),
        ("graph.sparql_text.updates.UpdateRefusedError", ValueError),
        ("graph.errors.TooManyRowsError", BadQueryError),
        ("graph.errors.WorkerCrashedError", UnavailableError),
        ("graph.errors.QueryTimeout", DeadlineError),
        ("graph.remote.RemoteTimeoutError", DeadlineError),
        ("graph.remote.RemoteTimeoutError", TimeoutError),
        ("graph.remote.RemoteUnavailableError", ConnectionError),
        ("api.http.HttpError", ResponseError),
    ],
)
def test_an_error_is_of_its_kind_and_keeps_the_bases_callers_catch(
    name: str, kind: type[BaseException]
) -> None:
    """Kinds, and the builtin bases that callers catch (``except ValueError`` ...)."""
    assert issubclass(_defined_exceptions()[name], kind)


def test_the_status_of_a_kind() -> None:
    from graph.catalogue import ParameterError, UnknownQueryError
    from graph.executor import ExecutorError, QueryTimeout, WorkerCrashedError
    from graph.store import StoreError

    assert StoreError("x").http_status is None  # not the client's doing: a 500
    assert UnknownQueryError("x").http_status == 404
    assert ParameterError("x").http_status == 422
    assert ExecutorError("x").http_status == WorkerCrashedError("x").http_status == 503
    assert ExecutorError("x").headers is None
    timeout = QueryTimeout(3)
    assert (timeout.http_status, dict(timeout.headers or {})) == (503, {"Retry-After": "1"})
    refused = ResponseError(401, "no", {"WWW-Authenticate": "Bearer"})
    assert (refused.http_status, refused.status, refused.message, str(refused)) == (
        401,
        401,
        "no",
        "no",
    )


# ---------------------------------------------------------------- through the API

TOKEN = secrets.token_urlsafe(32)


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`wsiskg serve` (as in tests/test_api.py) over an empty store, served as it is: the
    errors below need no data. With a write token, so that a wrong one is a 401."""
    store = tmp_path_factory.mktemp("errors") / "store"
    with running_server(store, {"WSISKG_WRITE_TOKEN": TOKEN}, args=["--no-builtin"]) as base:
        yield base


def test_a_response_error_is_its_status_and_headers(empty_server: str) -> None:
    """ResponseError (ApiError, WriteRefusedError): its status, message and headers."""
    missing = httpx.get(f"{empty_server}/action-lines/C5")  # an empty store
    assert missing.status_code == 404
    assert missing.json() == {"error": "no Action Line C5"}
    refused = httpx.post(
        f"{empty_server}/sparql",
        content="INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }",
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer wrong"},
    )
    assert refused.status_code == 401
    assert refused.json() == {"error": "the write token is not valid"}
    assert refused.headers["www-authenticate"] == 'Bearer realm="wsis-kg", error="invalid_token"'


def test_a_bad_query_error_is_answered_by_its_kind(empty_server: str) -> None:
    """BadQueryError (UnknownQueryError, not turned into an ApiError by the route): 404."""
    from graph.catalogue import UnknownQueryError, get

    with pytest.raises(UnknownQueryError) as expected:
        get("no-such-query")
    response = httpx.get(f"{empty_server}/queries/no-such-query")
    assert response.status_code == 404
    assert response.json() == {"error": str(expected.value)}


def test_the_cli_prints_a_wsiskg_error_as_one_line(tmp_path: Path) -> None:
    """A BackupError, not caught by the command: `error: ...` and exit 1, no traceback."""
    from tests.conftest import run_cli

    result = run_cli("restore", str(tmp_path / "nothing"), store=tmp_path / "store")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: {tmp_path / 'nothing'} is not a backup: it has no manifest.json"
    )
