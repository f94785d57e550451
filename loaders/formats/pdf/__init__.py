"""PDF with a text layer (pypdf): lines rebuilt from the text's positions, page starts kept.

The file is checked before pypdf parses it: the ``%PDF-`` header, the ``%%EOF`` that ends a
complete file, and the object count (the largest trailer ``/Size`` and the ``N G obj``
headers) against :attr:`ReadLimits.max_pdf_objects`; then pypdf reads it under a
configuration bounding every decompressed stream by :attr:`ReadLimits.max_pdf_stream_bytes`
(a decompression bomb stops there), the page count is checked against
:attr:`ReadLimits.max_pages` and an encrypted file is read only if the empty user password
opens it. Any failure of pypdf (a broken xref, an object nested too deeply, a limit reached)
becomes one :class:`~loaders.errors.DocumentError` naming the file.

Text comes from ``PageObject.extract_text`` with a visitor that receives each run of text with
its position and font size; lines are rebuilt from the runs, so that

* a superscript number in a body line (smaller font, raised baseline) is a footnote marker,
  written ``[footnoteRef:N]`` when the page's footnote N is found, kept as text otherwise;
* small-font lines at the bottom of a page beginning with a number are footnotes, given apart
  in :attr:`TextModel.footnotes` (a small-font block without a number continues the previous
  page's last footnote);
* a label written apart from its text (a tab: ``1``, ``a)``, ``iii)`` and a gap) is
  ``label<TAB>text``, as the parser reads a numbered clause;
* running heads and feet (the same line, digits aside, at the top or bottom of at least half
  of the pages) and page numbers alone (``3``, ``- 3 -``, ``Page 3 of 10``) are removed.

Then across lines: a word hyphenated at a line end is joined (``tele-`` + ``communication``)
unless the hyphen is kept (next part capitalised or a digit, a one-letter first part such as
``e-``, a compound prefix such as ``non-``, or the hyphenated form written elsewhere in the
document); a label alone on its line takes the text of the next line; a heading that wraps
(``instructs the Director of the Telecommunication`` / ``Standardization Bureau``) is one line;
a line that looks like a label or heading but continues a sentence (the line before ends
mid-sentence: ``... adopted in`` / ``2022. It ...``) is joined to it. Every change is a
:class:`ReaderNote` with its page, so nothing is guessed silently.

In parts: ``checks`` (before and while pypdf parses), ``lines`` (runs to lines, page furniture,
footnotes), ``flow`` (across lines), ``read`` (the reader).
"""

from loaders.formats.pdf.checks import sniff
from loaders.formats.pdf.read import FORMAT, read

__all__ = ["FORMAT", "read", "sniff"]
