"""The service's error shape for requests FastAPI refuses itself: a parameter that is not valid
answers 422 ``{"error": "<parameter>: <problem>"}``, one line, like every other error of the
service, and the OpenAPI document says so (not FastAPI's ``{"detail": [...]}``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "string",
            "description": "What is wrong, in one line.",
            "examples": ["limit: input should be greater than or equal to 1"],
        }
    },
}
_FASTAPI_SCHEMAS = ("HTTPValidationError", "ValidationError")
_FASTAPI_REF = "#/components/schemas/HTTPValidationError"
# where a parameter comes from: not part of its name in the message
_SOURCES = frozenset({"query", "path", "header", "cookie", "body"})


def validation_message(exc: RequestValidationError) -> str:
    """One line naming each parameter that is not valid and why: ``limit: input should be
    greater than or equal to 1`` (several: joined with ``; ``)."""
    parts = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        if len(loc) > 1 and loc[0] in _SOURCES:
            loc = loc[1:]
        name = ".".join(loc) or "request"
        problem = str(error.get("msg", "not valid"))
        problem = problem[:1].lower() + problem[1:]
        parts.append(f"{name}: {problem}")
    return " ".join("; ".join(parts).split()) or "the request is not valid"


def document_errors(app: FastAPI) -> None:
    """Make the OpenAPI document give the 422 answers of validation the service's error
    shape (``components.schemas.Error``) instead of FastAPI's ``HTTPValidationError``."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = generate()  # FastAPI's, kept as app.openapi_schema: edited in place
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas["Error"] = ERROR_SCHEMA
        for operations in document.get("paths", {}).values():
            for operation in operations.values():
                answer = operation.get("responses", {}).get("422", {})
                content = answer.get("content", {}).get("application/json", {})
                if content.get("schema", {}).get("$ref") == _FASTAPI_REF:
                    content["schema"] = {"$ref": "#/components/schemas/Error"}
                    answer["description"] = (
                        'A parameter that is not valid: {"error": "<parameter>: <problem>"}'
                    )
        for name in _FASTAPI_SCHEMAS:
            schemas.pop(name, None)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
