"""Today, as every answer means it: the UTC day.

A named query asked without ``as_of`` compares with ``SUBSTR(STR(NOW()), 1, 10)``, and
SPARQL's ``NOW()`` is UTC; so the day an answer names as its ``as_of``, the key the catalogue
keeps that answer under and the day in an ETag are the UTC day too, whatever the server's
time zone: they all change at the same midnight (UTC). Nothing under ``api/`` or ``graph/``
calls ``date.today()`` (the server's local day); tests/test_time.py checks it.
"""

from __future__ import annotations

from datetime import UTC, datetime


def today() -> str:
    """The UTC day, YYYY-MM-DD."""
    return datetime.now(UTC).date().isoformat()
