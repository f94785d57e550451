"""How the dashboard's pages are rendered: Jinja2 templates (api/templates/, autoescaped), the
URLs and text filters they use, the static files, and the route class that gives every page
the security headers and renders an :class:`~api.http.HttpError` as an HTML page.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute

from api.deps import get_service
from api.http import HttpError, to_csv
from graph.catalogue import Answer
from graph.values import Row, Value

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
EVIDENCE = ("stated", "extracted", "inferred")
# the Sectors and organs a page filters on (the work of UN agencies: their codes also work
# through the API's sector=)
SECTORS = ("ITU-T", "ITU-D", "ITU-R", "ITU", "PP", "Council")
SOURCES = {
    "matrix": "WSIS-SDG Matrix",
    "resolutions": "resolution texts",
    "curated": "curated ITU links",
}
# viridis, light to dark: more links, darker; each with the text colour of better contrast
SCALE = ("#fde725", "#a0da39", "#4ac16d", "#1fa187", "#277f8e", "#365c8d", "#46327e", "#440154")
SCALE_TEXT = ("#000", "#000", "#000", "#000", "#fff", "#fff", "#fff", "#fff")
ZERO_FILL = "#ffffff"
MAX_SPARQL_ROWS = 1000
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
STATIC_FILES = ("dashboard.css", "dashboard.js")


# ---------------------------------------------------------------- rendering


@cache
def static_version(name: str) -> str:
    """A digest of a static file, so that its URL changes when its content does."""
    data = resources.files("api").joinpath("static", name).read_bytes()
    return hashlib.sha256(data).hexdigest()[:12]


def static_url(name: str) -> str:
    return f"/dashboard/static/{name}?v={static_version(name)}"


def href(path: str, params: Mapping[str, object] | None = None, anchor: str = "") -> str:
    """A URL with its query string: lists repeat their parameter, empty values are left out."""
    pairs: list[tuple[str, str]] = []
    for key, value in (params or {}).items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((key, str(v)) for v in values if v is not None and v is not False and v != "")
    query = urlencode(pairs)
    return f"{path}{'?' + query if query else ''}{'#' + anchor if anchor else ''}"


def anchor(iri: object) -> str:
    """The stable HTML id of a clause (or any resource) on a page."""
    return "c-" + hashlib.sha256(str(iri).encode()).hexdigest()[:12]


def web_address(value: object) -> str | None:
    """An address that may become a link: http(s) only (never javascript: or data:)."""
    text = str(value or "")
    return text if text.startswith(("https://", "http://")) else None


# a quotation the source already gives in quotation marks: the page's <q> adds its own
QUOTE_PAIRS = (
    ('"', '"'),
    ("\u201c", "\u201d"),
    ("\u201e", "\u201c"),
    ("\u2018", "\u2019"),
    ("'", "'"),
    ("\u00ab", "\u00bb"),
)


def unquoted(value: object) -> str:
    """A quotation without the quotation marks around it, if it has a pair (``<q>`` shows the
    page's own): ``"words"`` is ``words``, never ``\u201c"words"\u201d``. Marks inside stay."""
    text = str(value or "").strip()
    for opening, closing in QUOTE_PAIRS:
        inner = text[len(opening) : -len(closing)]
        if (
            len(text) > len(opening) + len(closing)
            and text.startswith(opening)
            and text.endswith(closing)
            and opening not in inner
            and closing not in inner
        ):
            return inner.strip()
    return text


def cite(
    citation: object, addresses: Iterable[object]
) -> tuple[list[tuple[str, str | None]], list[str]]:
    """A citation as pieces of text, each with the web address it links to (None for plain
    text), and the addresses it does not name: an address the citation already gives is a
    link where it stands and is not listed again after it, so that each address shows once."""
    text = str(citation or "")
    listed = list(dict.fromkeys(str(a) for a in addresses if a))
    named = [a for a in listed if text and _address_in(a).search(text)]
    rest = [a for a in listed if a not in named]
    links = sorted((a for a in named if web_address(a)), key=len, reverse=True)
    if not links:
        return ([(text, None)] if text else []), rest
    pattern = re.compile("(" + "|".join(_address_in(a).pattern for a in links) + ")")
    parts = pattern.split(text)  # text, address, text, ...: the captured ones at odd places
    pieces = [(part, part if i % 2 else None) for i, part in enumerate(parts) if part]
    return pieces, rest


def _address_in(address: str) -> re.Pattern[str]:
    """An address in a text, not the start of a longer one."""
    return re.compile(re.escape(address) + r"(?![\w/#?=&%~+-])")


def plural(count: object, noun: str) -> str:
    """``1 link``, ``2 links``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def document_id(value: object) -> str:
    """The id the document routes take: the file name without its extension."""
    name = str(value or "").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("api", "templates"),
        autoescape=True,  # every template, HTML and SVG alike
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        static_url=static_url,
        href=href,
        evidence_kinds=EVIDENCE,
        source_names=SOURCES,
        web_address=web_address,
        document_id=document_id,
        cite=cite,
    )
    env.filters["anchor"] = anchor
    env.filters["unquoted"] = unquoted
    env.filters["plural"] = plural
    return env


def render(
    request: Request, template: str, *, status_code: int = 200, **context: object
) -> HTMLResponse:
    page = environment().get_template(template)
    # the release the page's answers come from (a write's is published once it is prepared)
    release = get_service(request).current_release()
    html = page.render(release=release, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status_code)


def full(answer: Answer, rows: Iterable[Row] | None = None) -> list[dict[str, Value | None]]:
    """Rows with every column (None where unbound), for the templates."""
    return [{c: r.get(c) for c in answer.columns} for r in (answer.rows if rows is None else rows)]


def split(value: Value | None, separator: str = "; ") -> list[str]:
    return [v for v in str(value).split(separator) if v] if value not in (None, "") else []


def csv_download(
    columns: Sequence[str], rows: Iterable[Mapping[str, Value]], name: str
) -> Response:
    response = to_csv(columns, rows)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


class DashboardRoute(APIRoute):
    """Every dashboard response carries the security headers; a HttpError is an HTML page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def secured(request: Request) -> Response:
            try:
                response = await handler(request)
            except HttpError as e:
                response = render(
                    request, "error.html", status_code=e.status, status=e.status, message=e.message
                )
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return secured
