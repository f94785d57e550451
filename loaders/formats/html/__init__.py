"""Web pages (.html, .htm): headings, paragraphs, list items and table rows become lines.

Read with lxml's HTML parser with the network off; nothing is fetched and nothing runs:
scripts, styles, forms, frames, objects and templates are dropped (a note says how many), an
image or link is never followed, and a page that declares entities (``<!ENTITY``, a DOCTYPE
with an internal subset) is refused before it is parsed. Ordered lists without written labels
get the labels their type gives them (``<ol type="a">`` → ``a)``, ``type="i"`` → ``i)``, else
``1``), so a clause keeps its label however the page wrote it.

Footnotes: a call (``<sup><a href="#fn1">1</a></sup>``, ``<a class="footnote-ref"><sup>1
</sup></a>``, Word's ``<a href="#_ftn1">[1]</a>``, or a bare ``<sup>1</sup>`` whose number is
a note of the page and follows no digit, so "10<sup>6</sup>" stays text) becomes
``[footnoteRef:1]``; the notes (the element a call links to, ``div.footnotes``,
``section.footnotes``, an ``ol`` after a rule at the end, Word's ``<div id="ftn1">``) go to
:attr:`TextModel.footnotes` without their marker and back links, not to the text, each with a
``footnotes_found`` note. Plain-text notes on a page are left to
:mod:`loaders.formats.footnotes`.

In parts: ``markup`` (the page as lines), ``notes`` (its footnotes), ``read`` (the reader).
"""

from loaders.formats.html.markup import sniff
from loaders.formats.html.read import FORMAT, read

__all__ = ["FORMAT", "read", "sniff"]
