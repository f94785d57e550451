"""Rows of the named queries (graph/queries/*.rq) shaped into the answers of api/models.

Written once, for the REST routes and the dashboard pages alike: each function is pure (rows
in, a model out; no store, no request), so that a route is one catalogue call and one shaper,
and a page renders the same items that the route answers. Grouping and ordering are those of
the routes: each work once with its strongest evidence first, versions and sections in the
order of the rows, the goals of the matrix in number order.

The graph gives plain values (``graph.catalogue.Value``: text, numbers, booleans); a field
takes the value as its type says (a text given as a number becomes its text), and an
unbound value is None, or left out where the answer leaves it out (see api/models).
"""

from __future__ import annotations

from api.shaping.action_lines import (
    action_line,
    action_lines,
    before_lines_note,
    cited_work_items,
    sub_lines,
    supporting_work,
    supporting_work_table,
    work_items,
)
from api.shaping.resolutions import (
    CHANGE_FIELDS,
    document_changes,
    resolution_clauses,
    resolutions,
    study_group,
    study_groups,
    timeline,
    version_texts,
)
from api.shaping.sdgs import (
    before_sdgs_note,
    matrix,
    matrix_rows,
    sdg_action_lines,
    sdg_detail,
    sdg_summaries,
)
from api.shaping.search import search_answer, search_hit, upload_report
from api.shaping.values import EVIDENCE_ORDER, integer, rank, ref, split, text
from api.shaping.versions import (
    VERSION_CSV_COLUMNS,
    version_change,
    version_changes,
    version_changes_rows,
    version_read,
)

__all__ = [
    "CHANGE_FIELDS",
    "EVIDENCE_ORDER",
    "VERSION_CSV_COLUMNS",
    "action_line",
    "action_lines",
    "before_lines_note",
    "before_sdgs_note",
    "cited_work_items",
    "document_changes",
    "integer",
    "matrix",
    "matrix_rows",
    "rank",
    "ref",
    "resolution_clauses",
    "resolutions",
    "sdg_action_lines",
    "sdg_detail",
    "sdg_summaries",
    "search_answer",
    "search_hit",
    "split",
    "study_group",
    "study_groups",
    "sub_lines",
    "supporting_work",
    "supporting_work_table",
    "text",
    "timeline",
    "upload_report",
    "version_change",
    "version_changes",
    "version_changes_rows",
    "version_read",
    "version_texts",
    "work_items",
]
