"""SDGs, targets, indicators and the WSIS-SDG matrix, shaped once for REST and the dashboard."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from api.models import (
    Indicator,
    Matrix,
    MatrixRow,
    SdgActionLine,
    SdgActionLines,
    SdgDetail,
    SdgLinkSource,
    SdgSummary,
    Target,
)
from api.shaping.values import integer, not_yet_note, ref, text
from graph.clock import today
from graph.values import Row, Value


def sdg_summaries(rows: Iterable[Row]) -> list[SdgSummary]:
    """The rows of ``sdgs`` as they are (a column without a value left out): ``GET /sdgs``."""
    return [SdgSummary.model_validate(row) for row in rows]


def sdg_detail(rows: Sequence[Row]) -> SdgDetail:
    """The rows of ``sdg`` (one goal, one row per target and indicator): ``GET /sdgs/{goal}``."""
    first = rows[0]
    targets: dict[Value, Target] = {}
    for row in rows:
        if "target" not in row:
            continue
        target = targets.get(row["target"])
        if target is None:
            target = targets[row["target"]] = Target(
                id=str(row["target"]),
                iri=str(row["target_iri"]),
                title=text(row.get("target_title")),
                indicators=[],
            )
        if "indicator" in row:
            target.indicators.append(
                Indicator(
                    id=str(row["indicator"]),
                    iri=str(row["indicator_iri"]),
                    title=text(row.get("indicator_title")),
                )
            )
    return SdgDetail(
        goal=str(first["goal"]),
        iri=str(first["iri"]),
        title=text(first.get("title")),
        short_title=text(first.get("short_title")),
        targets=list(targets.values()),
    )


def sdg_action_lines(goal: str, rows: Iterable[Row]) -> SdgActionLines:
    """The rows of ``sdg-action-lines`` per Action Line: ``GET /sdgs/{goal}/action-lines``."""
    lines: dict[Value, SdgActionLine] = {}
    for row in rows:
        line = lines.get(row["action_line"])
        if line is None:
            line = lines[row["action_line"]] = SdgActionLine(
                action_line=str(row["action_line"]),
                title=text(row.get("action_line_title")),
                sdgs=[],
                sources=[],
            )
        sdg = str(row["sdg"])
        if sdg not in line.sdgs:
            line.sdgs.append(sdg)
        line.sources.append(
            SdgLinkSource(
                sdg=sdg,
                link=str(row["link"]),
                evidence=row["evidence"],  # type: ignore[arg-type]  # checked by the model
                row=ref(row, "source_row", "source_row_label"),
            )
        )
    return SdgActionLines(goal=goal, action_lines=list(lines.values()))


def matrix_rows(rows: Iterable[Row]) -> tuple[list[str], list[MatrixRow]]:
    """The rows of ``matrix`` as the goals (in number order) and one row per Action Line with
    its count for every goal (0 where it has none)."""
    goals: list[str] = []
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        goal, line = str(row["goal"]), str(row["action_line"])
        if goal not in goals:
            goals.append(goal)
        own = counts.setdefault(line, {})
        own[goal] = own.get(goal, 0) + (integer(row.get("links")) or 0)
    goals.sort(key=int)
    return goals, [
        MatrixRow(
            action_line=line,
            counts={g: own.get(g, 0) for g in goals},
            total=sum(own.values()),
        )
        for line, own in counts.items()
    ]


def matrix(
    rows: Iterable[Row],
    *,
    evidence: Sequence[str],
    sources: Sequence[str],
    sub_lines: Mapping[str, list[str]],
    as_of: str | None = None,
) -> Matrix:
    """``GET /matrix``: ``evidence`` and ``sources`` are those counted (every kind when none
    was asked for); ``sub_lines`` those of :func:`sub_lines` (C7 counts its sub-lines'
    targets, each once: the row says which)."""
    rows = list(rows)
    goals, lines = matrix_rows(rows)
    for line in lines:
        if subs := sub_lines.get(line.action_line):
            line.rolled_up_from = list(subs)
    day = as_of or today()
    sdgs_from = next((str(r["sdgs_from"]) for r in rows if r.get("sdgs_from")), None)
    answer = Matrix(
        as_of=day, evidence=list(evidence), source=list(sources), goals=goals, rows=lines
    )
    if sdgs_from is not None:  # set only when known: the answer leaves out what is not
        answer.sdgs_from = sdgs_from
    if note := before_sdgs_note(day, sdgs_from):
        answer.note = note
    return answer


def before_sdgs_note(day: str, sdgs_from: str | None) -> str | None:
    """Why a day before the SDGs existed counts no link to a goal (None on any other day)."""
    return not_yet_note(
        day,
        sdgs_from,
        "the SDGs",
        "the UN General Assembly established them in resolution 70/1",
        "No link to a goal or target counts before that day.",
    )
