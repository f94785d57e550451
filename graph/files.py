"""Loading a file the user names: a curated table, or RDF (Turtle, N-Triples)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox

from loaders.errors import DocumentError, LoadError
from loaders.rdf import SourceInfo
from loaders.recommendations import load_recommendations
from loaders.reference import REFERENCE_LOADERS
from loaders.tables import REFERENCE_TABLES

from .store import KnowledgeGraph, LoadRecord

RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}
MAX_FILE_BYTES = 200 * 1024 * 1024

_TABLE_BY_FILE = {Path(rel).name: name for name, rel in REFERENCE_TABLES.items()}


def load_file(kg: KnowledgeGraph, path: Path, *, force: bool = False) -> LoadRecord:
    """Load one file into its named graph; LoadError names the file and the problem."""
    if not path.is_file():
        raise LoadError(str(path), "no such file")
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(str(path), "the file is empty")
    if size > MAX_FILE_BYTES:
        raise DocumentError(str(path), f"{size} bytes is over the limit of {MAX_FILE_BYTES}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _load_table(kg, path, force)
    if suffix in RDF_FORMATS:
        return _load_rdf(kg, path, RDF_FORMATS[suffix], force)
    raise LoadError(
        str(path),
        f"cannot load {suffix or 'a file without extension'} files (tables: .csv; RDF: .ttl, .nt)",
    )


def _load_table(kg: KnowledgeGraph, path: Path, force: bool) -> LoadRecord:
    name = _TABLE_BY_FILE.get(path.name)
    if name is None:
        known = ", ".join(sorted(_TABLE_BY_FILE))
        raise LoadError(str(path), f"not a known reference table (expected one of: {known})")
    loader = load_recommendations if name == "itut-recommendations" else REFERENCE_LOADERS[name]
    return kg.load(loader(kg.ids, path), force=force)


def _load_rdf(kg: KnowledgeGraph, path: Path, fmt: ox.RdfFormat, force: bool) -> LoadRecord:
    data = path.read_bytes()
    try:
        triples = [
            ox.Triple(t.subject, t.predicate, t.object)
            for t in ox.parse(data, fmt, base_iri=path.resolve().as_uri())
        ]
    except SyntaxError as e:
        raise LoadError(str(path), f"not valid {fmt.name}: {e}") from e
    source = SourceInfo(f"file-{path.name}", path.name, hashlib.sha256(data).hexdigest())
    return kg.replace_graph(kg.ids.graph(f"file-{path.name}"), triples, source, force=force)
