"""The shapes text takes when users copy it, undone before the resolution parser reads it.

Each repair is found from the text itself, applied only where its shape is there, and
reported as a :class:`~loaders.formats.model.ReaderNote` (a warning of the parse), so nothing
is guessed silently:

- **bullets** (a web page copied as text): ``  • considering`` / ``    • a)Resolution 21 …``:
  the bullets go, a label glued to its text gets its tab back;
- **pages** (text extracted from a PDF, pdftotext style): form feeds; page numbers alone on a
  line ("- 3 -", "3", "Page 3 of 10"); running heads and feet (a line repeated at the top or
  bottom of pages, digits aside); words hyphenated at a line end; a label alone on its line
  with its text on the next; a header, history, assembly line or addressed heading wrapped
  over lines. Page starts are kept as locators;
- **one line** (a resolution flattened onto a single line): cut before the header's parts,
  the section headings and the clause labels.

One module for each shape (``bullets``, ``pages``, ``one_line``); ``normalise`` finds them
and applies their repairs.
"""

from loaders.formats.shapes.normalise import normalise_shape

__all__ = ["normalise_shape"]
