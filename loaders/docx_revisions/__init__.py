"""Read a .docx safely, follow its tracked changes, and parse both readings.

A Word document with tracked changes holds two texts: the *before* reading (the text being
amended: unchanged + deleted runs) and the *after* reading (the text proposed: unchanged +
inserted runs). This package rebuilds both from the WordprocessingML, parses each with the
structure parser of :mod:`loaders.resolution_text`, and aligns their sections and clauses, so
each clause has a ``status`` (unchanged, modified, added, deleted), ``text_before``,
``text_after`` and the tracked changes (author, date) that touched it. Sections are paired
in order (a heading replaced by another stays one section, with ``heading_old``/``heading_new``);
clauses are paired by text (equal, then at least 60 % similar), so a moved clause pairs with
itself. ``ParsedDocument.text`` is the after reading; eIds follow the plain-text rules.

Word automatic numbering (``w:numPr``, directly or through the paragraph style) gives a
paragraph the label it displays (:mod:`loaders.docx_numbering`), written before its text with
a tab as if typed ("a)<TAB>text"); each reading counts its own paragraphs, so a numbered
paragraph deleted with its mark is not counted in the after reading, an inserted one not in
the before reading, and the before reading takes the old properties of a ``w:pPrChange``.

Safety: the file is read with a size bound; the archive is rejected if it is not a zip, is
truncated, lacks ``word/document.xml``, declares more than 50 MiB uncompressed or compresses
better than 100:1 (zip bomb); every member is read with a bound in case its header lies; XML
(document, footnotes, numbering and styles parts alike) in another encoding than UTF-8 or
UTF-16, or with a DOCTYPE or ENTITY declaration, is rejected before parsing (XXE, billion
laughs), and lxml parses with entity resolution, DTDs, network and huge trees off
(:mod:`loaders.safety`).

In parts: ``archive`` (safe reading), ``readings`` (the two texts), ``merge`` (both parsed
and aligned), ``model`` (what they pass on).
"""

from loaders.docx_revisions.archive import read_docx
from loaders.docx_revisions.merge import parse_docx, parse_readings
from loaders.docx_revisions.model import DocxReadings, Paragraph

__all__ = ["DocxReadings", "Paragraph", "parse_docx", "parse_readings", "read_docx"]
