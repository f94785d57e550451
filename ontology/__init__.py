"""The ontology: the one place a term is defined.

Python refers to terms only through the namespaces below, which are *closed*: they are
built from the terms that ``wsis.ttl`` declares, so a typo or an undefined term raises
:class:`AttributeError` at the place it is used instead of minting a look-alike IRI.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from ontology.ids import SDG_BASE

ONTOLOGY_IRI = "https://w3id.org/wsis-kg/ontology"


def ontology_path() -> Path:
    """The OWL ontology in Turtle."""
    return Path(str(resources.files(__package__).joinpath("wsis.ttl")))


def shapes_path() -> Path:
    """The SHACL shapes in Turtle."""
    return Path(str(resources.files(__package__).joinpath("shapes.ttl")))


@cache
def ontology_triples() -> tuple[ox.Triple, ...]:
    """The ontology's triples, parsed once."""
    with ontology_path().open("rb") as f:
        return tuple(ox.parse(f, ox.RdfFormat.TURTLE))


@cache
def _declared_terms() -> frozenset[str]:
    return frozenset(
        t.subject.value for t in ontology_triples() if isinstance(t.subject, ox.NamedNode)
    )


class Vocabulary:
    """A closed namespace: ``WSIS.Clause`` is a :class:`pyoxigraph.NamedNode` of a declared term."""

    def __init__(self, base: str, *, closed: bool = True) -> None:
        self._base = base
        self._closed = closed
        self._cache: dict[str, ox.NamedNode] = {}

    @property
    def base(self) -> str:
        return self._base

    def term(self, name: str) -> ox.NamedNode:
        node = self._cache.get(name)
        if node is None:
            iri = self._base + name
            if self._closed and iri not in _declared_terms():
                raise AttributeError(f"{iri} is not defined in ontology/wsis.ttl")
            node = self._cache[name] = ox.NamedNode(iri)
        return node

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = self.term(name)
        # kept as an attribute: the next ``WSIS.name`` is a plain attribute read, which the
        # loaders make a million times over the built-in data (this method: ~1 s of a load)
        setattr(self, name, node)
        return node

    def __getitem__(self, name: str) -> ox.NamedNode:
        return self.term(name)


WSIS = Vocabulary("https://w3id.org/wsis-kg/ontology#")
SDGO = Vocabulary("http://metadata.un.org/sdg/ontology#")
SKOS = Vocabulary("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Vocabulary("http://purl.org/dc/terms/")
PROV = Vocabulary("http://www.w3.org/ns/prov#")
# The W3C core vocabularies are not redeclared in the ontology: open namespaces.
RDF = Vocabulary("http://www.w3.org/1999/02/22-rdf-syntax-ns#", closed=False)
RDFS = Vocabulary("http://www.w3.org/2000/01/rdf-schema#", closed=False)
XSD = Vocabulary("http://www.w3.org/2001/XMLSchema#", closed=False)
OWL = Vocabulary("http://www.w3.org/2002/07/owl#", closed=False)
# The vocabularies of the SPARQL service description (api/vocabulary.py), open too.
SD = Vocabulary("http://www.w3.org/ns/sparql-service-description#", closed=False)
VOID = Vocabulary("http://rdfs.org/ns/void#", closed=False)
SH = Vocabulary("http://www.w3.org/ns/shacl#", closed=False)

PREFIXES: dict[str, str] = {
    "wsis": WSIS.base,
    "sdgo": SDGO.base,
    "sdg": SDG_BASE,
    "skos": SKOS.base,
    "dcterms": DCTERMS.base,
    "prov": PROV.base,
    "rdf": RDF.base,
    "rdfs": RDFS.base,
    "xsd": XSD.base,
    "owl": OWL.base,
}


def sparql_prefixes() -> str:
    """PREFIX declarations for every namespace above, for queries and rules."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
