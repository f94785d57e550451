"""The SDG tables (goals, targets, indicators) and the WSIS-SDG Matrix linking Action Lines to
goals and targets, with its errata."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from loaders.codes import ACTION_LINE_CODE
from loaders.curated import Table, confidence_of, mark, source_iris, start
from loaders.errors import TableError
from loaders.rdf import LoadResult, en, lit
from loaders.tables import Row, read_table, table_path
from ontology import DCTERMS, RDFS, SDGO, SKOS, WSIS
from ontology.ids import Ids

_GITHUB = re.compile(r"github:(?P<repo>[\w.-]+/[\w.-]+)")


def _github_source(t: Table, row: Row) -> list[ox.NamedNode]:
    m = _GITHUB.match(row.get("source"))
    if m and row.get("source_path") and row.get("source_commit"):
        try:
            return [t.ids.github_file(m["repo"], row["source_path"], row["source_commit"])]
        except ValueError as e:  # a space or another character an IRI cannot hold
            raise row.error(f"not a file address: {e}", "source_path") from e
    return source_iris(t.ids, row.get("source"))


def _sdg_concept(
    t: Table,
    row: Row,
    node: ox.NamedNode,
    cls: ox.NamedNode,
    code: str,
    pref_label: str,
    label: str,
) -> None:
    """What every SDG goal, target and indicator has: type, code, labels, scheme, source."""
    out = t.out
    out.typed(node, cls, SKOS.Concept)
    out.add(node, SKOS.notation, lit(code))
    out.add(node, SKOS.prefLabel, en(pref_label))
    out.add(node, RDFS.label, en(label))
    out.add(node, SKOS.inScheme, WSIS.SDGScheme)
    mark(out, node, confidence_of(row), t.row_node(row))


def load_sdg_goals(ids: Ids, path: Path | None = None) -> LoadResult:
    t = start("sdg-goals", path, ids)
    for row in read_table(t.path, ("goal", "short_title", "full_title", "un_kos_uri")):
        number = int(row.require("goal", r"[1-9]|1[0-7]"))
        node = ids.sdg_goal(number)
        if row["un_kos_uri"] != node.value:
            raise row.error(f"expected {node.value}, got {row['un_kos_uri']!r}", "un_kos_uri")
        short = row.require("short_title")
        _sdg_concept(
            t,
            row,
            node,
            SDGO.Goal,
            str(number),
            row.require("full_title"),
            f"SDG {number}: {short}",
        )
        out = t.out
        out.add(node, SKOS.altLabel, en(short))
        out.add(node, SKOS.topConceptOf, WSIS.SDGScheme)
        if sdgio := row.get("sdgio_iri"):
            match = t.ids.web(sdgio)
            if match is None:
                raise row.error(f"{sdgio!r} is not an absolute IRI", "sdgio_iri")
            out.add(node, SKOS.exactMatch, match)
        for src in _github_source(t, row):
            out.add(node, DCTERMS.source, src)
        t.report.count("goals")
    return t.result()


def load_sdg_targets(ids: Ids, path: Path | None = None) -> LoadResult:
    t = start("sdg-targets", path, ids)
    for row in read_table(t.path, ("target", "goal", "text", "target_kind", "un_kos_uri")):
        code = row.require("target", r"([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])")
        goal = row.require("goal", r"[1-9]|1[0-7]")
        if code.split(".")[0] != goal:
            raise row.error(f"target {code} does not belong to goal {goal}", "goal")
        node = ids.sdg_target(code)
        if row["un_kos_uri"] != node.value:
            raise row.error(f"expected {node.value}, got {row['un_kos_uri']!r}", "un_kos_uri")
        kind = row.require("target_kind", "outcome|means_of_implementation|means of implementation")
        _sdg_concept(t, row, node, SDGO.Target, code, row.require("text"), f"SDG target {code}")
        out = t.out
        out.add(node, SDGO.isTargetOf, ids.sdg_goal(goal))
        out.add(node, WSIS.targetKind, lit(kind))
        for src in _github_source(t, row):
            out.add(node, DCTERMS.source, src)
        t.report.count("targets")
    return t.result()


def load_sdg_indicators(ids: Ids, path: Path | None = None) -> LoadResult:
    t = start("sdg-indicators", path, ids)
    required = ("indicator", "goal", "target", "text", "tier", "un_kos_uri_derived")
    for row in read_table(t.path, required):
        code = row.require("indicator", r"([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])\.[1-9][0-9]?")
        target = row.require("target")
        if code.rsplit(".", 1)[0] != target or target.split(".")[0] != row["goal"]:
            raise row.error(f"indicator {code} does not belong to target {target}", "target")
        node = ids.sdg_indicator(code)
        if row["un_kos_uri_derived"] != node.value:
            raise row.error(f"expected {node.value}", "un_kos_uri_derived")
        _sdg_concept(
            t, row, node, SDGO.Indicator, code, row.require("text"), f"SDG indicator {code}"
        )
        out = t.out
        out.add(node, SDGO.isIndicatorOf, ids.sdg_target(target))
        if tier := row.get("tier"):
            out.add(node, WSIS.tier, lit(tier))
        if notes := row.get("notes"):
            out.add(node, WSIS.notes, lit(notes))
        if shared := row.get("shares_series_with"):
            out.add(node, WSIS.notes, lit(f"shares series with {shared}"))
        t.report.count("indicators")
    return t.result()


def load_wsis_sdg_matrix(ids: Ids, path: Path | None = None) -> LoadResult:
    t = start("wsis-sdg-matrix", path, ids)
    errata = _errata(t)
    seen: set[tuple[str, str, str, str]] = set()
    required = ("action_line", "sdg_goal", "sdg_target", "link_level", "listed_under_goal")
    for row in read_table(t.path, (*required, "confidence", "source", "json_pointer")):
        code = row.require("action_line", ACTION_LINE_CODE)
        goal = row.require("sdg_goal", r"[1-9]|1[0-7]")
        level = row.require("link_level", "goal|target")
        if level == "target":
            target = row.require("sdg_target", r"([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])")
            if target.split(".")[0] != goal:
                raise row.error(f"target {target} does not belong to goal {goal}", "sdg_target")
            obj = ids.sdg_target(target)
        else:
            if row.get("sdg_target"):
                raise row.error("a goal-level link names no target", "sdg_target")
            obj = ids.sdg_goal(goal)
        row_node = t.row_node(row)
        seen.add((code, goal, row.get("sdg_target"), row["json_pointer"]))
        notes = [row.get("notes")] if row.get("notes") else []
        if row["listed_under_goal"] != goal:
            notes.append(f"listed under SDG {row['listed_under_goal']} in the source")
        link = t.out.link(
            ids.action_line(code),
            WSIS.contributesToSDG,
            obj,
            evidence="stated",
            confidence=confidence_of(row),
            source=row_node,
            row=row_node,
            citation=f"{MATRIX_SYMBOL} ({MATRIX_URL}), as transcribed in {row['source']} "
            f"{row.get('source_path')} @{row.get('source_commit')}",
            locator=f"JSON pointer {row['json_pointer']} of the transcription"
            + (f"; rationale {row['rationale_id']}" if row.get("rationale_id") else ""),
            source_relation=f"{level}-level link",
            notes="; ".join(notes) or None,
            source_iris=source_iris(ids, MATRIX_URL),
            document_symbol=MATRIX_SYMBOL,
            mirrors=_github_source(t, row),
            date_read="2026-12-05",
        )
        erratum = errata.get((code, goal, row.get("sdg_target"), row["json_pointer"]))
        if erratum is not None:
            t.out.add(link, WSIS.withdrawnBy, erratum)
            t.report.count("matrix links withdrawn by an erratum")
        t.report.count("matrix links")
    unused = set(errata) - seen
    if unused:
        raise TableError(
            "matrix_errata.csv", f"an erratum names no row of {t.path.name}: {sorted(unused)[0]}"
        )
    return t.result()


# The WSIS-SDG Matrix as its publisher names it; the table's rows come from a transcription
MATRIX_SYMBOL = "WSIS-SDG Matrix (UN WSIS Action Line Facilitators, coordinated by ITU)"
MATRIX_URL = "https://www.itu.int/net4/wsis/sdg/"


def _errata(t: Table) -> dict[tuple[str, str, str, str], ox.NamedNode]:
    """The erratum rows of ``matrix_errata.csv``, by the matrix row they withdraw."""
    found = {}
    required = ("action_line", "sdg_goal", "sdg_target", "json_pointer", "action", "reason")
    for row in read_table(table_path("matrix-errata"), required):
        row.require("action", "withdraw")
        row.require("reason")
        node = t.other_row("matrix-errata", row)
        t.out.add(node, WSIS.notes, lit(row["reason"]))
        if corrected := row.get("corrected_by"):
            t.out.add(node, WSIS.notes, lit(f"corrected by {corrected}"))
        key = (row["action_line"], row["sdg_goal"], row["sdg_target"], row["json_pointer"])
        found[key] = node
    return found
