"""The built-in curated tables and the loader of each, in load order (one named graph each)."""

from __future__ import annotations

from collections.abc import Callable

from loaders.links import load_itu_links
from loaders.meetings import load_meetings
from loaders.organs import load_organs
from loaders.rdf import LoadResult
from loaders.reference import (
    load_action_lines,
    load_cited_resolutions,
    load_sdg_goals,
    load_sdg_indicators,
    load_sdg_targets,
    load_wsis_sdg_matrix,
    load_wtsa_resolutions,
)
from loaders.schemes import load_schemes
from loaders.study_groups import load_study_groups
from loaders.wsis_paragraphs import load_wsis_paragraphs

REFERENCE_LOADERS: dict[str, Callable[..., LoadResult]] = {
    "organs": load_organs,
    "action-lines": load_action_lines,
    "sdg-goals": load_sdg_goals,
    "sdg-targets": load_sdg_targets,
    "sdg-indicators": load_sdg_indicators,
    "wsis-sdg-matrix": load_wsis_sdg_matrix,
    "itut-study-groups": load_study_groups,
    "wtsa-resolutions": load_wtsa_resolutions,
    "resolutions-cited-in-seed": load_cited_resolutions,
    "assemblies": load_meetings,
    "itu-action-line-links": load_itu_links,
    "wsis-paragraphs": load_wsis_paragraphs,
    "schemes": load_schemes,
}
