"""What every loader returns: the triples of one named graph and a report."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ontology import DCTERMS, PROV, RDF, RDFS, WSIS, XSD
from ontology.ids import Ids

Term = ox.NamedNode | ox.BlankNode | ox.Literal

CONFIDENCE = {"high": "HighConfidence", "medium": "MediumConfidence", "low": "LowConfidence"}
CONFIDENCE_SCORE = {"high": "0.9", "medium": "0.6", "low": "0.3"}
EVIDENCE = {
    "stated": "Stated",
    "extracted": "Extracted",
    "inferred": "Inferred",
    "suggested": "Suggested",
}


@dataclass
class LoadWarning:
    """A problem that did not stop the load, with its place."""

    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


@dataclass
class LoadReport:
    source: str
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[LoadWarning] = field(default_factory=list)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def warn(self, place: str, message: str) -> None:
        self.warnings.append(LoadWarning(place, message))


@dataclass(frozen=True)
class SourceInfo:
    """The input of a load: its name, file and checksum (for the PROV-O record)."""

    name: str
    path: str
    sha256: str
    entity: ox.NamedNode | None = None  # what the load used, where it is not a table

    @classmethod
    def of_file(cls, name: str, path: Path) -> SourceInfo:
        return cls(name, path.name, hashlib.sha256(path.read_bytes()).hexdigest())


@dataclass
class LoadResult:
    """The quads of one named graph (as triples plus the graph name) and the report."""

    graph: ox.NamedNode
    triples: list[ox.Triple]
    report: LoadReport
    source: SourceInfo

    def quads(self) -> Iterator[ox.Quad]:
        for t in self.triples:
            yield ox.Quad(t.subject, t.predicate, t.object, self.graph)


def lit(
    value: str | int | float | bool, datatype: ox.NamedNode | None = None, lang: str | None = None
) -> ox.Literal:
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=XSD.boolean)
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=XSD.integer)
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=XSD.double)
    if lang:
        return ox.Literal(value, language=lang)
    if datatype is not None:
        return ox.Literal(value, datatype=datatype)
    return ox.Literal(value)


def en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


class TripleBuilder:
    """Collects triples, dropping exact duplicates, with helpers for the common shapes."""

    def __init__(self, ids: Ids) -> None:
        self.ids = ids
        self._triples: dict[ox.Triple, None] = {}

    def add(self, s: ox.NamedNode | ox.BlankNode, p: ox.NamedNode, o: Term) -> None:
        self._triples[ox.Triple(s, p, o)] = None

    def add_all(self, s: ox.NamedNode, pairs: Iterable[tuple[ox.NamedNode, Term | None]]) -> None:
        for p, o in pairs:
            if o is not None:
                self.add(s, p, o)

    def typed(self, s: ox.NamedNode, *classes: ox.NamedNode) -> None:
        for c in classes:
            self.add(s, RDF.type, c)

    def triples(self) -> list[ox.Triple]:
        return list(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    # Provenance of table rows
    def row(self, dataset: str, dataset_node: ox.NamedNode, number: int) -> ox.NamedNode:
        node = self.ids.row(dataset, number)
        self.typed(node, WSIS.TableRow)
        self.add(node, WSIS.rowNumber, lit(number))
        self.add(node, DCTERMS.isPartOf, dataset_node)
        self.add(node, RDFS.label, lit(f"{dataset} row {number}"))
        return node

    def link(
        self,
        subject: ox.NamedNode,
        relation: ox.NamedNode,
        obj: ox.NamedNode,
        *,
        evidence: str,
        confidence: str,
        source: ox.NamedNode,
        row: ox.NamedNode | None = None,
        clause: ox.NamedNode | None = None,
        document: ox.NamedNode | None = None,
        citation: str | None = None,
        quotation: str | None = None,
        source_relation: str | None = None,
        rule: ox.NamedNode | None = None,
        general_knowledge: bool = False,
        notes: str | None = None,
        source_iris: Iterable[ox.NamedNode] = (),
        locator: str | None = None,
        document_symbol: str | None = None,
        mirrors: Iterable[ox.NamedNode] = (),
        date_read: str | None = None,
        dated_by: ox.NamedNode | None = None,
    ) -> ox.NamedNode:
        """A plain link triple and its qualified wsis:Link node with evidence and source.

        ``source`` is what distinguishes two links with the same ends (a table row, a clause).
        ``quotation`` is the source's own words; ``locator`` says where in the source to look.
        ``dated_by``: the resolution version whose time in force is the link's, when neither
        end has dates of its own (an organ's role read in a resolution).
        """
        self.add(subject, relation, obj)
        node = self.ids.link(subject, relation, obj, source)
        self.typed(node, WSIS.Link)
        self.add(node, WSIS.subject, subject)
        self.add(node, WSIS.relation, relation)
        self.add(node, WSIS.object, obj)
        self.add(node, WSIS.evidence, WSIS[EVIDENCE[evidence]])
        self.add(node, WSIS.confidence, WSIS[CONFIDENCE[confidence]])
        self.add(
            node,
            WSIS.confidenceScore,
            ox.Literal(CONFIDENCE_SCORE[confidence], datatype=XSD.decimal),
        )
        self.add(node, WSIS.generalKnowledge, lit(general_knowledge))
        self.add_all(
            node,
            [
                (WSIS.sourceRow, row),
                (WSIS.sourceClause, clause),
                (WSIS.sourceDocument, document),
                (WSIS.citation, lit(citation) if citation else None),
                (WSIS.quotation, lit(quotation) if quotation else None),
                (WSIS.sourceRelation, lit(source_relation) if source_relation else None),
                (WSIS.rule, rule),
                (WSIS.notes, lit(notes) if notes else None),
                (WSIS.locator, lit(locator) if locator else None),
                (WSIS.documentSymbol, lit(document_symbol) if document_symbol else None),
                (WSIS.dateRead, ox.Literal(date_read, datatype=XSD.date) if date_read else None),
                (WSIS.datedBy, dated_by),
                (PROV.wasDerivedFrom, row or clause),
            ],
        )
        for iri in source_iris:
            self.add(node, DCTERMS.source, iri)
        for iri in mirrors:
            self.add(node, WSIS.mirror, iri)
        return node
