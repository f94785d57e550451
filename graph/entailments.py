"""The materialised entailments: the rules in graph/rules/*.rq, as ONE update text that
replaces the entailment graph, so that a write and its entailments are one transaction.
"""

from __future__ import annotations

from importlib import resources

import pyoxigraph as ox

from ontology.ids import Ids


def rules() -> list[tuple[str, str]]:
    """(file name, SPARQL) of each rule, in file-name order."""
    folder = resources.files("graph").joinpath("rules")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".rq"))
    return [(n, folder.joinpath(n).read_text(encoding="utf-8")) for n in names]


def entailment_update(ids: Ids, entailments: ox.NamedNode, ontology: ox.NamedNode) -> str:
    """The update that recomputes the graph ``entailments`` from every rule."""
    parts = [f"DROP SILENT GRAPH {entailments}"]
    for _name, text in rules():
        parts.append(
            text.replace("$ENTAILMENTS", str(entailments))
            .replace("$ONTOLOGY", str(ontology))
            .replace("$LINKBASE", f'"{ids.base}link/"')
        )
    return " ;\n".join(parts)
