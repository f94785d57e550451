"""Writes fail closed: a write needs the configured Bearer token.

No token configured (``WSISKG_WRITE_TOKEN`` unset): every write is refused with 403, whatever
the request carries. A token configured: the request must carry ``Authorization: Bearer
<token>``; anything else is 401 with ``WWW-Authenticate: Bearer``. The comparison is
constant-time (:func:`hmac.compare_digest` over the UTF-8 bytes).
"""

from __future__ import annotations

import hmac

from fastapi import Request

from api.deps import get_settings
from api.http import HttpError
from graph.settings import Settings


def check_writer(settings: Settings, authorization: str | None) -> None:
    """Raise :class:`HttpError` (401 or 403) unless ``authorization`` carries the write token."""
    if settings.write_token is None:
        raise HttpError(
            403,
            "this service is read-only: writes are enabled only when WSISKG_WRITE_TOKEN is set",
        )
    challenge = {"WWW-Authenticate": 'Bearer realm="wsis-kg"'}
    scheme, _, credential = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise HttpError(401, "a write needs 'Authorization: Bearer <token>'", challenge)
    expected = settings.write_token.get_secret_value().encode()
    if not hmac.compare_digest(credential.strip().encode(), expected):
        challenge["WWW-Authenticate"] += ', error="invalid_token"'
        raise HttpError(401, "the write token is not valid", challenge)


def require_writer(request: Request) -> None:
    """FastAPI dependency of every writing route."""
    check_writer(get_settings(request), request.headers.get("authorization"))
