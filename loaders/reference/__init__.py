"""Loaders of the curated reference tables: one table, one named graph.

Each ``load_*`` function reads one CSV and returns a :class:`~loaders.rdf.LoadResult`; none
touches the store. Every resource points to the row it was read from (``prov:wasDerivedFrom``),
every link has a qualified ``wsis:Link`` node with its evidence, confidence and source, and a
value the table marks ``general-knowledge`` is flagged (``wsis:unsourced`` on the resource, or
``wsis:generalKnowledge true`` on a link) so that official answers can leave it out.

One module for each kind of table: ``action_lines``, ``sdgs`` (with the WSIS-SDG Matrix),
``resolutions``. (Not to be confused with :mod:`loaders.references`, which finds references
inside a text.)
"""

from loaders.reference.action_lines import load_action_lines
from loaders.reference.resolutions import (
    BODIES,
    RES_CITATION,
    Resolutions,
    load_cited_resolutions,
    load_wtsa_resolutions,
    normalise_body,
)
from loaders.reference.sdgs import (
    load_sdg_goals,
    load_sdg_indicators,
    load_sdg_targets,
    load_wsis_sdg_matrix,
)

__all__ = [
    "BODIES",
    "RES_CITATION",
    "Resolutions",
    "load_action_lines",
    "load_cited_resolutions",
    "load_sdg_goals",
    "load_sdg_indicators",
    "load_sdg_targets",
    "load_wsis_sdg_matrix",
    "load_wtsa_resolutions",
    "normalise_body",
]
