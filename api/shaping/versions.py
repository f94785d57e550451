"""Two versions of a resolution compared (graph/version_diff.py) as the answer of
``GET /resolutions/{body}/{number}/changes``, and as its CSV rows."""

from __future__ import annotations

from collections.abc import Sequence

from api.models import VersionChange, VersionChanges, VersionRead, WordChange
from api.shaping.values import text
from graph.values import Row
from graph.version_diff import Change, Side, WordOp, counts

VERSION_CSV_COLUMNS = [
    "status",
    "section",
    "label",
    "clause_label",
    "previous_section",
    "previous_label",
    "similarity",
    "text_before",
    "text_after",
    "words",
    "status_cues",
    "iri",
    "previous_iri",
]


def version_read(path: str, version: Row, side: Side) -> VersionRead:
    """One side: ``version`` a row of ``resolutions`` (the version), ``side`` as read."""
    return VersionRead(
        path=path,
        iri=side.version,
        label=text(version.get("version_label")),
        status=text(version.get("status")),
        source=side.source,
        draft=side.draft,
        flattened=side.flattened,
        document=side.document,
        file=side.file,
        graph=side.graph,
        other_documents=list(side.alternatives),
    )


def version_change(change: Change) -> VersionChange:
    """One aligned clause, in the fields of a proposal's changed clause where they apply."""
    new, old = change.new, change.old
    here = new or old
    assert here is not None  # a change has one side at least
    label = f"{here.section} {here.label}" if here.label else here.section
    previous_label = None
    if old is not None and (new is None or old.label != new.label):
        previous_label = old.label
    return VersionChange(
        iri=here.iri,
        previous_iri=old.iri if old else None,
        section=here.section,
        label=label,
        clause_label=new.label if new else None,
        previous_label=previous_label,
        previous_section=old.section if old and change.status == "moved" else None,
        status=change.status,
        status_cues=change.status_cues,
        similarity=change.similarity,
        text_before=old.text if old else None,
        text_after=new.text if new else None,
        words=None if change.words is None else [_word(w) for w in change.words],
    )


def _word(op: WordOp) -> WordChange:
    return WordChange.model_validate({"op": op.op, "before": op.before, "after": op.after})


def version_changes(
    body: str,
    number: str,
    old: VersionRead,
    new: VersionRead,
    changes: Sequence[Change],
) -> VersionChanges:
    """``GET /resolutions/{body}/{number}/changes``."""
    return VersionChanges(
        body=body,
        number=number,
        from_version=old,
        to_version=new,
        counts=counts(changes),
        clauses=[version_change(c) for c in changes],
    )


def version_changes_rows(payload: VersionChanges) -> list[Row]:
    """The CSV rows (:data:`VERSION_CSV_COLUMNS`): one per clause, its words as a word diff
    (``[-deleted-]{+inserted+}``, equal words as they are)."""
    rows: list[Row] = []
    for clause in payload.clauses:
        row: Row = {
            k: v
            for k, v in clause.model_dump(exclude={"words"}).items()
            if v is not None and k in VERSION_CSV_COLUMNS
        }
        if clause.words is not None:
            row["words"] = word_diff_text(clause.words)
        rows.append(row)
    return rows


def word_diff_text(words: Sequence[WordChange]) -> str:
    """The operations as one line: equal words as they are, ``[-deleted-]``, ``{+inserted+}``."""
    parts = []
    for w in words:
        if w.op == "equal":
            parts.append(w.before or "")
            continue
        if w.before is not None:
            parts.append(f"[-{w.before}-]")
        if w.after is not None:
            parts.append(f"{{+{w.after}+}}")
    return " ".join(parts)
