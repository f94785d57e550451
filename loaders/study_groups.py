"""ITU-T study periods and study groups, and who continues whom.

Three tables make one named graph (``itut-study-groups``):

- ``reference/itut_study_groups.csv`` (shared): the groups of 2022-2024 and 2025-2028;
- ``itut_study_groups_history.csv`` (this project): the groups of 2001-2004 to 2017-2020;
- ``study_periods.csv`` (this project): each period's dates, set by the assembly that opened it
  (ITU names the period WTSA-16 opened "2017-2020", though it ran until WTSA-20 in March 2022);
- ``study_group_lineage.csv`` (this project): successions beyond the same-number rule (merges
  and splits at an assembly).

A group succeeds the group of the same number in the previous period; the lineage table adds
the merges. Titles or roles a table marks general knowledge are flagged ``wsis:unsourced``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from loaders.curated import Table, confidence_of, is_general_knowledge, mark, source_iris, start
from loaders.organs import add_sector
from loaders.rdf import LoadResult, en, lit
from loaders.tables import Row, read_table, table_path
from ontology import DCTERMS, RDFS, SKOS, WSIS, XSD
from ontology.ids import Ids

PERIOD = r"(\d{4})-(\d{4})"
GROUP = r"SG[1-9][0-9]?"
_HISTORY = "itut-study-groups-history"


@dataclass(frozen=True)
class StudyPeriod:
    name: str  # "2005-2008"
    start: date  # the day after the assembly that opened it closed
    end: date | None  # the day the next assembly opened (None: the current period)


@cache
def study_periods() -> tuple[StudyPeriod, ...]:
    """The study periods of ``study_periods.csv``, in order."""
    periods = []
    for row in read_table(table_path("study-periods"), ("period", "start_date", "end_date")):
        end = row.get("end_date")
        periods.append(
            StudyPeriod(
                row.require("period", PERIOD),
                date.fromisoformat(row.require("start_date", r"\d{4}-\d{2}-\d{2}")),
                date.fromisoformat(end) if end else None,
            )
        )
    return tuple(sorted(periods, key=lambda p: p.start))


def period_of(day: date) -> StudyPeriod | None:
    """The study period in force on a day (an approval in the month an assembly opened belongs
    to the period that assembly closes); None before the first period of the table."""
    found = None
    for period in study_periods():
        if period.start <= day:
            found = period
    return found


def load_study_groups(
    ids: Ids, path: Path | None = None, lineage: Path | None = None
) -> LoadResult:
    t = start("itut-study-groups", path, ids)
    periods = {p.name: p for p in study_periods()}
    _periods(t)
    seen: dict[tuple[str, int], ox.NamedNode] = {}
    tables = [t.path, table_path(_HISTORY)]
    for table in tables:
        for row in read_table(table, ("study_period", "study_group", "title", "title_source")):
            period = row.require("study_period", PERIOD)
            if period not in periods:
                raise row.error(f"{period} is not a period of study_periods.csv", "study_period")
            group = row.require("study_group", GROUP)
            if (period, int(group[2:])) in seen:
                raise row.error(f"{group} of {period} appears twice", "study_group")
            row_node = t.row_node(row) if table == t.path else t.other_row(_HISTORY, row)
            seen[(period, int(group[2:]))] = _study_group(t, row, row_node, period, group)
    _lineage(t, seen, lineage or table_path("study-group-lineage"))
    t.report.count("study groups", len(seen))
    return t.result()


def _periods(t: Table) -> None:
    for row in read_table(table_path("study-periods"), ("period", "start_date", "set_by_assembly")):
        period = row.require("period", PERIOD)
        node = t.ids.study_period(period)
        first, last = re.fullmatch(PERIOD, period).groups()  # type: ignore[union-attr]
        out = t.out
        out.typed(node, WSIS.StudyPeriod)
        out.add(node, RDFS.label, lit(f"ITU-T study period {period}"))
        out.add(node, WSIS.startYear, lit(int(first)))
        out.add(node, WSIS.endYear, lit(int(last)))
        out.add(node, WSIS.startDate, ox.Literal(row["start_date"], datatype=XSD.date))
        if row.get("end_date"):
            out.add(node, WSIS.endDate, ox.Literal(row["end_date"], datatype=XSD.date))
        out.add(node, WSIS.openedBy, lit(row.require("set_by_assembly")))
        for src in source_iris(t.ids, row.get("source_url")):
            out.add(node, DCTERMS.source, src)
        for src in source_iris(t.ids, row.get("mirror_url")):
            out.add(node, WSIS.mirror, src)
        if notes := row.get("notes"):
            out.add(node, WSIS.notes, lit(notes))
        mark(out, node, confidence_of(row), t.other_row("study-periods", row))


def _study_group(
    t: Table, row: Row, row_node: ox.NamedNode, period: str, group: str
) -> ox.NamedNode:
    out, ids = t.out, t.ids
    node = ids.study_group(period, group)
    title = row.get("title")
    out.typed(node, WSIS.StudyGroup)
    add_sector(out, node, "ITU-T")
    out.add(node, SKOS.notation, lit(group))
    out.add(node, WSIS.studyGroupNumber, lit(int(group[2:])))
    out.add(node, WSIS.studyPeriod, ids.study_period(period))
    if title:
        out.add(node, DCTERMS.title, en(title))
        out.add(node, RDFS.label, en(f"ITU-T {group} ({period}): {title}"))
    else:
        out.add(node, RDFS.label, en(f"ITU-T {group} ({period})"))
    if is_general_knowledge(row["title_source"]) or (title and not row["title_source"]):
        out.add(node, WSIS.unsourced, DCTERMS.title)
    for src in source_iris(ids, row["title_source"]):
        out.add(node, DCTERMS.source, src)
    for src in source_iris(ids, row.get("title_mirror")):
        out.add(node, WSIS.mirror, src)
    if roles := row.get("lead_study_group_roles"):
        out.add(node, WSIS.leadStudyGroupRole, lit(roles))
    if notes := row.get("notes"):
        out.add(node, WSIS.notes, lit(notes))
    mark(out, node, confidence_of(row, "title_confidence"), row_node)
    return node


def _lineage(t: Table, groups: dict[tuple[str, int], ox.NamedNode], lineage: Path) -> None:
    periods = [p.name for p in study_periods()]
    successors: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for earlier, later in itertools.pairwise(periods):
        for (period, number), node in groups.items():
            before = groups.get((earlier, number))
            if period == later and before is not None:
                t.out.add(node, WSIS.succeeds, before)
                successors.setdefault((earlier, number), []).append((period, number))
                t.report.count("successions")
    for row in read_table(
        lineage, ("successor_period", "successor", "predecessor_period", "predecessor", "source")
    ):
        succ = (row["successor_period"], int(row.require("successor", GROUP)[2:]))
        pred = (row["predecessor_period"], int(row.require("predecessor", GROUP)[2:]))
        if succ not in groups or pred not in groups:
            raise row.error("names a study group that the study group tables do not have")
        t.out.add(groups[succ], WSIS.succeeds, groups[pred])
        successors.setdefault(pred, []).append(succ)
        t.report.count("successions")
    for key, node in groups.items():
        today = _today(key, successors)
        if today != key:
            t.out.add(node, WSIS.listedUnder, groups[today])


def _today(
    key: tuple[str, int], successors: dict[tuple[str, int], list[tuple[str, int]]]
) -> tuple[str, int]:
    """The group that continues a group's work today: along the successions, the successor of
    the same number where there is one, else the lowest-numbered."""
    while successors.get(key):
        following = successors[key]
        same = [k for k in following if k[1] == key[1]]
        key = same[0] if same else min(following, key=lambda k: k[1])
    return key


def known_study_groups() -> list[tuple[str, str]]:
    """(period, group) of every study group of the tables."""
    found = []
    for name in ("itut-study-groups", _HISTORY):
        rows = read_table(table_path(name), ("study_period", "study_group"))
        found += [(r["study_period"], r["study_group"]) for r in rows]
    return found


def latest_study_group(
    groups: list[tuple[str, str]], number: str, period: str | None = None
) -> tuple[str, str] | None:
    """The (period, group) for ``SGn`` in ``period``, else in the latest period that has it."""
    matches = [g for g in groups if g[1] == number and (period is None or g[0] == period)]
    return max(matches) if matches else None
