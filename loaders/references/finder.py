"""``find_references``: every finder run over one folded text, then overlaps resolved by
rank."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import replace

from loaders.references.action_lines import _find_action_lines
from loaders.references.folding import fold
from loaders.references.mentions import (
    _find_agenda_and_sdgs,
    _find_bodies,
    _find_meetings,
    _find_wsis_documents,
)
from loaders.references.model import _RANK_PARA, _RANK_RES, Reference, ReferenceScan, _Scan
from loaders.references.paragraphs import _find_paragraphs
from loaders.references.resolutions import _find_resolutions


def find_references(
    text: str,
    *,
    known_bodies: Mapping[str, str] | None = None,
    default_body: str | None = None,
) -> ReferenceScan:
    """Find every reference in ``text``.

    ``known_bodies`` maps a resolution number to the body it was explicitly attributed to
    elsewhere in the same document; ``default_body`` is the body of the document itself (a
    bare "Resolution 44" in a WTSA text is a WTSA resolution). Both are only used when the
    clause itself says nothing.
    """
    folded = fold(text)
    if "\n" in folded.folded:  # a clause's wrapped lines read as one: "of the\nGeneva Plan"
        folded = replace(folded, folded=folded.folded.replace("\n", " "))
    scan = _Scan(folded, known_bodies or {}, default_body, [], [])
    _find_bodies(scan)
    _find_resolutions(scan)
    _find_paragraphs(scan)
    _find_action_lines(scan)
    _find_agenda_and_sdgs(scan)
    _find_meetings(scan)
    _find_wsis_documents(scan)
    return ReferenceScan(_resolve_overlaps(scan.refs), tuple(scan.notes))


def _resolve_overlaps(found: list[tuple[int, int, int, Reference]]) -> tuple[Reference, ...]:
    """Keep a reference unless it overlaps one of lower rank (O(n log n))."""
    kept: list[tuple[int, int, int, Reference]] = []
    for rank in sorted({f[2] for f in found}):
        blocked = _union(sorted((s, e) for s, e, k, _ in kept if not _nests(k, rank)))
        starts = [s for s, _ in blocked]
        for item in (f for f in found if f[2] == rank):
            i = bisect.bisect_left(starts, item[1])  # blocked spans starting before our end
            if i == 0 or blocked[i - 1][1] <= item[0]:
                kept.append(item)
    return tuple(r for _, _, _, r in sorted(kept, key=lambda f: (f[0], f[1])))


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _nests(outer_rank: int, inner_rank: int) -> bool:
    return outer_rank == _RANK_PARA and inner_rank == _RANK_RES
