"""The codes the sources write, each pattern defined once for every reader.

A leaf module (it imports nothing of the project), so that the table loaders
(:mod:`loaders.reference`, :mod:`loaders.links`, :mod:`loaders.wsis_paragraphs`) and the
text readers (:mod:`loaders.references`, :mod:`loaders.resolution_text`) share it without
importing each other.
"""

from __future__ import annotations

__all__ = ["ACTION_LINE", "ACTION_LINES", "ACTION_LINE_CODE", "PREFIX_BODY"]

# A WSIS Action Line as a text writes it: C1 to C11 ("Action Lines C2, C5 and C6")
ACTION_LINE = r"C(?:1[01]|[1-9])"
# the eleven Action Lines of the Geneva Plan of Action, in order (the C7 sub-lines apart)
ACTION_LINES = tuple(f"C{n}" for n in range(1, 12))
# as the tables write it, the e-strategies of C7 included ("C7.e-health")
ACTION_LINE_CODE = rf"{ACTION_LINE}(?:\.e-[a-z]+)?"

# the body of a Sector-prefixed resolution number ("ITU-R 61"): the Sector's assembly
PREFIX_BODY = {"ITU-R": "RA", "ITU-T": "WTSA", "ITU-D": "WTDC"}
