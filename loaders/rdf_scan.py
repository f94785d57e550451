"""The checks of loaders/unicode.py on an RDF file too big to hold in memory: the bulk path
of ``wsiskg load`` (graph/bulk.py) reads the file here in chunks, while Oxigraph's
``bulk_load`` stores it, and memory stays bounded by a chunk whatever the file's size.

The rules are those of every other door (docs/reliability.md, section 6): no invisible,
bidi or control character in an IRI, nothing but text in a literal, no RDF 1.2 triple term
or base direction, and string literals in NFC. Bulk-loaded literals are stored as the file
has them, so the scan returns the few that are not in NFC with their NFC form, which the
bulk path puts in their place before anything reads the graph.

Only what can break a rule is parsed in Python:

N-Triples
    One triple per line, so a line is checked on its own, and only a *suspect* line: one with
    a byte outside printable ASCII (tab, LF and CR aside), an escape that can give such a
    character (``\\u``, ``\\U``, ``\\b``, ``\\f``), ``<<`` (a triple term) or ``--`` (a base
    direction). A line without any of these holds ASCII IRIs without controls (which
    ``check_identifier`` accepts), ASCII literals (which are text, and NFC), and no RDF 1.2
    term: nothing to check. Generated or exported data is mostly such lines: the scan is a
    few C-speed passes over the bytes (about 1 s per 150 MB).
Turtle
    A term may span lines and depends on the prefixes declared before it, so a file with any
    suspect byte (or ``~`` and ``{|``, the reifiers and annotations of Turtle 1.2) is parsed
    whole, in a stream, and every triple checked; the error's line is then found by a second
    pass over the file.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from loaders.errors import LoadError
from loaders.unicode import Places, char_pattern, check_triple

__all__ = ["CHUNK_BYTES", "Scan", "scan_rdf", "sha256_of"]

CHUNK_BYTES = 16 * 1024 * 1024
# printable ASCII, tab, LF, CR: a chunk with nothing else is deleted whole by translate()
_PLAIN_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r"
_SUSPECT_ESCAPE = re.compile(rb"\\[uUbf]")
# where a suspect line starts being suspect (the slow search, on suspect chunks only)
_SUSPECT = re.compile(rb"[^\t\n\r\x20-\x7e]|\\[uUbf]|<<|--")
_TURTLE_ONLY = (b"~", b"{|")
# a blank line or a comment line (with what ends it), taken out before counting lines
_NOT_A_TRIPLE = re.compile(rb"^[ \t\r]*(?:#[^\n]*)?(?:\n|\Z)", re.M)


class ScanCancelledError(Exception):
    """The scan was stopped (the load it checked failed first)."""


@dataclass
class Scan:
    """What the scan of one file found: its sha256, the literals to store in NFC (as the
    file has them, and in NFC), and how many lines (or triples) were parsed in Python."""

    sha256: str = ""
    triples: int | None = None  # N-Triples: its triple lines (None: not counted)
    nfc: dict[ox.Literal, ox.Literal] = field(default_factory=dict)
    checked_lines: int = 0


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _suspect(chunk: bytes, turtle: bool) -> bool:
    return bool(
        chunk.translate(None, _PLAIN_BYTES)
        or _SUSPECT_ESCAPE.search(chunk)
        or b"<<" in chunk
        or b"--" in chunk
        or (turtle and any(marker in chunk for marker in _TURTLE_ONLY))
    )


def _chunks(path: Path, stop: threading.Event | None, digest: Any = None) -> Iterator[bytes]:
    """The file in chunks of whole lines (the last one may lack its newline); ``digest``
    (a hashlib object) is updated with every byte."""
    rest = b""
    with path.open("rb") as handle:
        while block := handle.read(CHUNK_BYTES):
            if stop is not None and stop.is_set():
                raise ScanCancelledError
            if digest is not None:
                digest.update(block)
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                rest = block
                continue
            rest = block[cut:]
            yield block[:cut]
    if rest:
        yield rest


def scan_rdf(
    path: Path,
    fmt: ox.RdfFormat,
    source: str,
    base_iri: str | None = None,
    stop: threading.Event | None = None,
) -> Scan:
    """Check ``path`` (N-Triples or Turtle) as :func:`loaders.unicode.check_rdf` checks a
    file in memory; :class:`LoadError` names ``source``, the line and the problem. ``stop``
    set: :class:`ScanCancelledError` at the next chunk."""
    scan = Scan()
    digest = hashlib.sha256()
    if fmt == ox.RdfFormat.N_TRIPLES:
        line, triples = 1, 0
        for chunk in _chunks(path, stop, digest):
            if _suspect(chunk, turtle=False):
                _check_ntriples_chunk(chunk, line, source, scan)
            line += chunk.count(b"\n")
            triples += _triple_lines(chunk)
        scan.triples = triples
    else:
        suspect = False
        for chunk in _chunks(path, stop, digest):
            suspect = suspect or _suspect(chunk, turtle=True)
        if suspect:
            _check_whole(path, fmt, source, base_iri, scan, stop)
    scan.sha256 = digest.hexdigest()
    return scan


def _triple_lines(chunk: bytes) -> int:
    """The lines of an N-Triples chunk that hold a triple (one a line): all but the blank
    ones and the comments, counted at C speed where no line starts with a space or a tab."""
    if not chunk:
        return 0
    if any(odd in chunk for odd in (b"\n ", b"\n\t", b"\r", b"\n\n\n")) or chunk.startswith(
        (b" ", b"\t", b"\n\n")
    ):
        return len(_NOT_A_TRIPLE.sub(b"", chunk).splitlines())
    lines = chunk.count(b"\n") + (not chunk.endswith(b"\n"))
    empty = chunk.count(b"\n\n") + chunk.startswith(b"\n")
    comments = chunk.count(b"\n#") + chunk.startswith(b"#")
    return lines - empty - comments


def _check_ntriples_chunk(chunk: bytes, first_line: int, source: str, scan: Scan) -> None:
    """Check the suspect lines of ``chunk``, whose first line is ``first_line``: parsed
    together (one parse), and one by one only to say which line is at fault."""
    lines: list[tuple[int, bytes]] = []
    line, counted, position = first_line, 0, 0
    while found := _SUSPECT.search(chunk, position):
        start = chunk.rfind(b"\n", 0, found.start()) + 1
        end = chunk.find(b"\n", found.start())
        end = len(chunk) if end < 0 else end
        line += chunk.count(b"\n", counted, start)
        counted = start
        lines.append((line, chunk[start:end]))
        position = end + 1
    scan.checked_lines += len(lines)
    try:
        _check_lines(b"\n".join(text for _, text in lines), source, Places(""), scan)
    except (LoadError, SyntaxError):
        for number, text in lines:  # which line: the first that fails on its own
            _check_lines(text, source, Places(text.decode("utf-8", "replace"), number), scan)
        raise


def _check_lines(text: bytes, source: str, places: Places, scan: Scan) -> None:
    try:
        triples = [q.triple for q in ox.parse(text, ox.RdfFormat.N_TRIPLES)]
    except SyntaxError as e:
        where = f"line {places.first_line}" if places.text else None
        raise LoadError(source, f"not valid {ox.RdfFormat.N_TRIPLES.name}: {e}", where) from e
    for triple in triples:
        _note_nfc(triple, check_triple(triple, source, places), scan)


def _note_nfc(before: ox.Triple, after: ox.Triple, scan: Scan) -> None:
    if after.object != before.object and isinstance(before.object, ox.Literal):
        scan.nfc[before.object] = after.object  # type: ignore[assignment]


class _FilePlaces(Places):
    """Lines found by reading the file again (a Turtle file is never held whole)."""

    def __init__(self, path: Path) -> None:
        super().__init__("")
        self.path = path

    def _first(self, pattern: re.Pattern[str]) -> str | None:
        line = 1
        for chunk in _chunks(self.path, None):
            text = chunk.decode("utf-8", "replace")
            found = pattern.search(text)
            if found:
                return f"line {line + text.count(chr(10), 0, found.start())}"
            line += text.count("\n")
        return None

    def of_words(self, words: str) -> str | None:
        return self._first(re.compile(re.escape(words)))

    def of_char(self, char: str) -> str | None:
        return self._first(char_pattern(char))


def _check_whole(
    path: Path,
    fmt: ox.RdfFormat,
    source: str,
    base_iri: str | None,
    scan: Scan,
    stop: threading.Event | None,
) -> None:
    places = _FilePlaces(path)
    try:
        for number, quad in enumerate(ox.parse(path=path, format=fmt, base_iri=base_iri)):
            if stop is not None and number % 65536 == 0 and stop.is_set():
                raise ScanCancelledError
            scan.checked_lines += 1
            _note_nfc(quad.triple, check_triple(quad.triple, source, places), scan)
    except SyntaxError as e:
        raise LoadError(source, f"not valid {fmt.name}: {e}") from e
