"""The JSON answers of the REST API as pydantic models: one per answer shape, shared parts
nested (a reference, a source of a link).

They say in one place what each route answers, for three readers: the OpenAPI document
(``response_model=``: the answers with their fields, descriptions and an example taken from
the built-in data), the schema fuzzing (which then checks bodies, not only statuses) and the
code that shapes rows into answers (api/shaping, used by REST and the dashboard alike).

Every model forbids fields it does not name (``additionalProperties: false``), so that an
answer that drifts from its model fails its contract test (tests/test_response_models.py)
instead of changing the API unannounced. A text field given a number by the graph (a literal
typed as a number where a text is expected) takes it as its text. Fields that a route leaves
out when the graph has no value (the rows of ``/sdgs``, ``rolled_up_from`` of a matrix row,
``choices`` of a query parameter) have no default in the answer: dump with
``exclude_unset=True`` to answer exactly what the route answers.
"""

from __future__ import annotations

from api.models.action_lines import (
    ActionLine,
    CitedWorkItem,
    CitedWorkSource,
    SupportingWork,
    WorkItem,
    WorkSource,
)
from api.models.base import RELEASE, ApiModel, ErrorAnswer, Evidence, Ref, TooManyRowsAnswer
from api.models.mappings import MappingSetInfo, MappingSets
from api.models.recommendations import RecommendationInForce, RecommendationsInForce
from api.models.releases import KeptRelease, Releases, RolledBack
from api.models.resolutions import (
    ChangedClause,
    Clause,
    DocumentChanges,
    Meeting,
    Resolution,
    ResolutionClauses,
    ResolutionTimeline,
    ResolutionVersion,
    Section,
    StudyGroup,
    Suppression,
    SuppressionRecord,
    TimelineVersion,
    VersionText,
)
from api.models.sdgs import (
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
from api.models.search import SearchAnswer, SearchHit
from api.models.service import (
    Graphs,
    Health,
    NamedQueryInfo,
    QueryCatalogue,
    QueryParameter,
    UpdateDone,
)
from api.models.uploads import LoadWarning, UploadReport
from api.models.versions import VersionChange, VersionChanges, VersionRead, WordChange

# the answers that are JSON lists of one of the models above
ActionLines = list[ActionLine]
Sdgs = list[SdgSummary]
StudyGroups = list[StudyGroup]
Resolutions = list[Resolution]

__all__ = [
    "RELEASE",
    "ActionLine",
    "ActionLines",
    "ApiModel",
    "ChangedClause",
    "CitedWorkItem",
    "CitedWorkSource",
    "Clause",
    "DocumentChanges",
    "ErrorAnswer",
    "Evidence",
    "Graphs",
    "Health",
    "Indicator",
    "KeptRelease",
    "LoadWarning",
    "MappingSetInfo",
    "MappingSets",
    "Matrix",
    "MatrixRow",
    "Meeting",
    "NamedQueryInfo",
    "QueryCatalogue",
    "QueryParameter",
    "RecommendationInForce",
    "RecommendationsInForce",
    "Ref",
    "Releases",
    "Resolution",
    "ResolutionClauses",
    "ResolutionTimeline",
    "ResolutionVersion",
    "Resolutions",
    "RolledBack",
    "SdgActionLine",
    "SdgActionLines",
    "SdgDetail",
    "SdgLinkSource",
    "SdgSummary",
    "Sdgs",
    "SearchAnswer",
    "SearchHit",
    "Section",
    "StudyGroup",
    "StudyGroups",
    "SupportingWork",
    "Suppression",
    "SuppressionRecord",
    "Target",
    "TimelineVersion",
    "TooManyRowsAnswer",
    "UpdateDone",
    "UploadReport",
    "VersionChange",
    "VersionChanges",
    "VersionRead",
    "VersionText",
    "WordChange",
    "WorkItem",
    "WorkSource",
]
