"""SSSOM/TSV: a mapping set written as its metadata block (``#``-prefixed YAML) and a table
of mappings, and read back; our own small writer and reader (sssom-py, a heavy library, is
a test dependency only: tests/test_mappings.py validates what this writes with it).

SSSOM 1.0 (no slot of a later version). Entity references (``subject_id``,
``predicate_id``, ``object_id``, ``mapping_justification``, ``curation_rule``) are CURIEs;
the ``curie_map`` declares every prefix the file uses and no other. A mapping's qualified
link (its IRI in the graph, a URL of that mapping) is the first address of its
``see_also``. An IRI under none of the known namespaces gets a prefix ``ns1``, ``ns2`` ...
for its namespace. Multi-valued cells are separated by ``|``. The evidence kind is an
extension slot (``extension_definitions``: ``evidence``, property ``wsis:evidence``).
Scalars of the metadata are written as JSON strings, which YAML reads as the same strings.
:func:`parse` reads what :func:`write` writes (it does not propagate the set's slots to the
rows, nor read YAML beyond this subset).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from typing import Any

from graph import catalogue, mappings
from graph.mappings import SEMAPV
from graph.mappings import Mapping as Record
from graph.store import KnowledgeGraph
from ontology import PREFIXES, WSIS
from ontology.errors import ParseError
from ontology.ids import Ids

MEDIA_TYPE = "text/tab-separated-values"
EXTENSION = {"slot_name": "evidence", "property": WSIS.base + "evidence"}
# the table's columns, in this order; a column no row fills is left out, except these. A
# mapping's link is no column: it is the first address of see_also
COLUMNS = [f.name for f in fields(Record) if f.name != "link"]
ORDER = [
    "subject_id",
    "subject_label",
    "predicate_id",
    "predicate_label",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "similarity_score",
    "similarity_measure",
    "evidence",
    "mapping_date",
    "mapping_provider",
    "see_also",
    "match_string",
    "mapping_tool",
    "mapping_tool_version",
    "curation_rule",
    "curation_rule_text",
    "comment",
]
ALWAYS = {
    "subject_id",
    "predicate_id",
    "object_id",
    "mapping_justification",
    "evidence",
    "see_also",
}
ENTITY_COLUMNS = {
    "subject_id",
    "predicate_id",
    "object_id",
    "mapping_justification",
    "curation_rule",
}
MULTIVALUED = {"see_also", "curation_rule", "curation_rule_text"}
assert sorted(ORDER) == sorted(COLUMNS), "every field of a mapping is a column"


class SssomError(ParseError):
    """A text that is not an SSSOM/TSV mapping set as this module writes one."""


def namespaces(ids: Ids) -> dict[str, str]:
    """The prefixes a file may use: the project's (``wsiskg`` for its own IRIs), SEMAPV's."""
    return {**PREFIXES, "semapv": SEMAPV, "wsiskg": ids.base}


def export(source: catalogue.Source, name: str, evidence: Sequence[str] = ()) -> str:
    """Mapping set ``name`` of ``source`` as SSSOM/TSV: its version is the current release."""
    kg = source if isinstance(source, KnowledgeGraph) else source.kg
    chosen = mappings.get(name)
    rows = mappings.mappings(source, name, evidence)
    release = (
        kg.current_release() if isinstance(source, KnowledgeGraph) else source.current_release()
    )
    meta = mappings.metadata(kg.ids, chosen, release, evidence)
    return write(meta, rows, namespaces(kg.ids))


class _Curies:
    """IRIs as CURIEs of the longest matching namespace, recording the prefixes used."""

    def __init__(self, known: Mapping[str, str]) -> None:
        self.known = sorted(known.items(), key=lambda item: -len(item[1]))
        self.used: dict[str, str] = {}

    def compress(self, iri: str) -> str:
        for prefix, base in self.known:
            if iri.startswith(base) and len(iri) > len(base):
                self.used[prefix] = base
                return f"{prefix}:{iri[len(base) :]}"
        # a namespace of its own (the next IRI in it finds it above)
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        new = f"ns{sum(p.startswith('ns') for p in self.used) + 1}"
        self.known.append((new, iri[:cut]))
        self.used[new] = iri[:cut]
        return f"{new}:{iri[cut:]}"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write(meta: Mapping[str, str], rows: Iterable[Record], known: Mapping[str, str]) -> str:
    """The SSSOM/TSV text of a mapping set: ``meta`` (its slots), ``rows``, the CURIE
    prefixes of ``known`` that it uses."""
    curies = _Curies(known)
    table: list[dict[str, str]] = []
    for row in rows:
        cells: dict[str, str] = {}
        for column in ORDER:
            value = getattr(row, column)
            if column == "see_also":
                value = (row.link, *value)
            if column in ENTITY_COLUMNS:
                value = (
                    [curies.compress(v) for v in value]
                    if column in MULTIVALUED
                    else (curies.compress(value))
                )
            cells[column] = "|".join(value) if column in MULTIVALUED else _cell(value)
        table.append(cells)
    extension = curies.compress(EXTENSION["property"])
    columns = [c for c in ORDER if c in ALWAYS or any(cells[c] for cells in table)]
    out = io.StringIO()
    out.write("# curie_map:\n")
    for prefix, base in sorted(curies.used.items()):
        out.write(f"#   {prefix}: {json.dumps(base, ensure_ascii=False)}\n")
    for key, value in meta.items():
        out.write(f"# {key}: {json.dumps(value, ensure_ascii=False)}\n")
    out.write("# extension_definitions:\n")
    out.write(f"#   - slot_name: {EXTENSION['slot_name']}\n")
    out.write(f"#     property: {extension}\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(columns)
    for cells in table:
        writer.writerow([cells[c] for c in columns])
    return out.getvalue()


def parse(text: str) -> tuple[dict[str, Any], list[Record]]:
    """The metadata (with ``curie_map`` and ``extension_definitions``) and the mappings of an
    SSSOM/TSV text that :func:`write` wrote; entity references expanded to IRIs."""
    header = [line[1:] for line in text.splitlines() if line.startswith("#")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    meta = _metadata(header)
    curie_map: dict[str, str] = meta.get("curie_map", {})
    reader = csv.reader(io.StringIO(body), delimiter="\t")
    try:
        columns = next(reader)
    except StopIteration:
        raise SssomError("no table of mappings after the metadata") from None
    unknown = set(columns) - set(COLUMNS)
    if unknown:
        raise SssomError(f"columns this reader does not know: {', '.join(sorted(unknown))}")
    found = []
    for number, cells in enumerate(reader, start=2):
        if len(cells) != len(columns):
            raise SssomError(f"row {number}: {len(cells)} cells for {len(columns)} columns")
        found.append(_record(dict(zip(columns, cells, strict=True)), curie_map))
    return meta, found


def _expand(curie: str, curie_map: Mapping[str, str]) -> str:
    prefix, colon, local = curie.partition(":")
    if not colon or prefix not in curie_map:
        raise SssomError(f"{curie!r}: no prefix of the curie_map")
    return curie_map[prefix] + local


def _record(cells: dict[str, str], curie_map: Mapping[str, str]) -> Record:
    values: dict[str, Any] = {}
    for column in COLUMNS:
        text = cells.get(column, "")
        if column in MULTIVALUED:
            items = text.split("|") if text else []
            if column in ENTITY_COLUMNS:
                items = [_expand(i, curie_map) for i in items]
            values[column] = tuple(items)
        elif column in ENTITY_COLUMNS:
            values[column] = _expand(text, curie_map)
        elif column in ("confidence", "similarity_score"):
            values[column] = float(text) if text else None
        elif column == "evidence":
            values[column] = text
        else:
            values[column] = text or None
    if not values["see_also"]:
        raise SssomError(f"a mapping without its link (see_also): {cells.get('subject_id')}")
    values["link"], *rest = values["see_also"]
    values["see_also"] = tuple(rest)
    return Record(**values)


def _scalar(text: str) -> str:
    text = text.strip()
    if text.startswith('"'):
        value = json.loads(text)
        assert isinstance(value, str)
        return value
    if len(text) > 1 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    return text


def _metadata(lines: list[str]) -> dict[str, Any]:
    """The subset of YAML :func:`write` writes: ``key: scalar``, ``key:`` then an indented
    map (``  k: v``) or list of maps (``  - k: v`` / ``    k: v``)."""
    meta: dict[str, Any] = {}
    current: str | None = None
    for raw in lines:
        line = raw[1:] if raw.startswith(" ") else raw
        if not line.strip():
            continue
        if not line.startswith(" "):
            key, _, value = line.partition(":")
            current = key.strip()
            meta[current] = _scalar(value) if value.strip() else None
            continue
        if current is None:
            raise SssomError(f"an indented line before any key: {raw!r}")
        item = line.strip()
        if item.startswith("- "):
            if not isinstance(meta[current], list):
                meta[current] = []
            meta[current].append({})
            item = item[2:]
        key, _, value = item.partition(":")
        target = meta[current][-1] if isinstance(meta[current], list) else meta[current]
        if target is None:
            target = meta[current] = {}
        target[key.strip()] = _scalar(value)
    return meta
