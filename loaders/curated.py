"""What every loader of a curated table shares: the table being loaded (its graph, dataset
and row nodes), the addresses a citation names, confidence and general-knowledge marks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from loaders.rdf import CONFIDENCE, LoadReport, LoadResult, SourceInfo, TripleBuilder, lit
from loaders.tables import Row, table_path
from ontology import PROV, RDFS, WSIS
from ontology.ids import Ids

GENERAL_KNOWLEDGE = "general-knowledge"
_URL = re.compile(r"https?://[^\s;,\"()<>]+[^\s;,\"()<>.]")


@dataclass(frozen=True)
class Table:
    """A table being loaded: its name, rows, and the graph and dataset nodes it writes."""

    name: str
    path: Path
    ids: Ids
    out: TripleBuilder
    report: LoadReport

    @property
    def dataset(self) -> ox.NamedNode:
        return self.ids.dataset(self.name)

    def row_node(self, row: Row) -> ox.NamedNode:
        return self.out.row(self.name, self.dataset, row.number)

    def other_row(self, name: str, row: Row) -> ox.NamedNode:
        """The node of a row of another table this load also reads (declared as a dataset)."""
        dataset = self.ids.dataset(name)
        file_name = table_path(name).name
        self.out.typed(dataset, WSIS.Dataset)
        self.out.add(dataset, WSIS.fileName, lit(file_name))
        self.out.add(dataset, RDFS.label, lit(f"curated table {file_name}"))
        return self.out.row(name, dataset, row.number)

    def result(self) -> LoadResult:
        self.report.count("triples", len(self.out))
        return LoadResult(
            graph=self.ids.graph(self.name),
            triples=self.out.triples(),
            report=self.report,
            source=SourceInfo.of_file(self.name, self.path),
        )


def start(name: str, path: Path | None, ids: Ids) -> Table:
    path = path or table_path(name)
    table = Table(name, path, ids, TripleBuilder(ids), LoadReport(path.name))
    table.out.typed(table.dataset, WSIS.Dataset)
    table.out.add(table.dataset, WSIS.fileName, lit(path.name))
    table.out.add(table.dataset, RDFS.label, lit(f"curated table {path.name}"))
    return table


def source_iris(ids: Ids, *citations: str) -> list[ox.NamedNode]:
    """The addresses a citation names (URLs, ``github:owner/repo`` pointers)."""
    found: list[ox.NamedNode] = []
    for citation in citations:
        for url in _URL.findall(citation or ""):
            node = ids.web(url)
            if node is not None and node not in found:
                found.append(node)
    return found


# hosts of third-party copies (document-sharing sites, news digests, transcriptions): where a
# source was read, kept as wsis:mirror, never the only source of a stated link
THIRD_PARTY_HOSTS = (
    "studylib.net",
    "vdocuments.",
    "vdocument.in",
    "docsbay.net",
    "docest.com",
    "slideshare.net",
    "slideserve.com",
    "slidelegend.com",
    "internetdistinction.com",
    "fdocuments.",
    "5y1.org",
    "paperzz.com",
    "cupdf.com",
    "123dok.com",
    "docstoc.com",
    "dig.watch",
    "diversite-culturelle.qc.ca",
    "github.com",
    "isi2019.org",
    "wsis.ae",
    "webchannel-proxy",
    "docs.google.com",
    "edri.org",
)


def is_third_party(address: ox.NamedNode) -> bool:
    host = address.value.split("/")[2] if "//" in address.value else address.value
    return any(h in host for h in THIRD_PARTY_HOSTS)


def split_sources(ids: Ids, *citations: str) -> tuple[list[ox.NamedNode], list[ox.NamedNode]]:
    """The addresses a citation names, as (official, third-party copies)."""
    found = source_iris(ids, *citations)
    return [a for a in found if not is_third_party(a)], [a for a in found if is_third_party(a)]


def is_general_knowledge(citation: str) -> bool:
    return citation.strip().lower().startswith(GENERAL_KNOWLEDGE)


def confidence_of(row: Row, column: str = "confidence") -> str:
    value = row.get(column).split()[0].lower() if row.get(column) else "medium"
    if value not in CONFIDENCE:
        raise row.error(f"confidence must be high, medium or low, not {value!r}", column)
    return value


def mark(out: TripleBuilder, node: ox.NamedNode, confidence: str, row_node: ox.NamedNode) -> None:
    out.add(node, WSIS.confidence, WSIS[CONFIDENCE[confidence]])
    out.add(node, PROV.wasDerivedFrom, row_node)
