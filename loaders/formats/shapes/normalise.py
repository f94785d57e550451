"""Which shapes a text has, and their repairs applied in order."""

from __future__ import annotations

import re
from dataclasses import replace

from loaders.formats.footnotes import text_footnotes
from loaders.formats.model import TextModel
from loaders.formats.shapes.bullets import _looks_bulleted, _unbullet
from loaders.formats.shapes.one_line import _looks_one_line, _split_one_line
from loaders.formats.shapes.pages import _looks_paged, _reflow_note, _reflow_paged, _unpage


def normalise_shape(model: TextModel) -> TextModel:
    """Undo bullets, pages and one-line flattening where the text shows them."""
    if model.format == "pdf" and not model.footnotes:
        # notes the reader could not tell by their font: a rule, then "1 text" (maybe on the
        # rule's line), as in copied text
        model = text_footnotes(_rule_apart(model))
    elif model.format not in {"docx", "pdf"}:
        model = text_footnotes(model)
    text, notes = model.text, list(model.notes)
    page_starts = model.page_starts
    if _looks_one_line(text):
        text, note = _split_one_line(text)
        notes.append(note)
    if _looks_bulleted(text):
        text, note = _unbullet(text)
        notes.append(note)
    if model.format == "pdf":  # the PDF reader took its pages apart: join what wrapped
        text, page_starts, reflowed = _reflow_paged(text, page_starts)
        if reflowed:
            notes.append(_reflow_note(reflowed))
    elif _looks_paged(text):
        text, page_starts, paged_notes = _unpage(text, page_starts)
        notes.extend(paged_notes)
    if text == model.text:
        return model
    return replace(model, text=text, notes=tuple(notes), page_starts=page_starts)


def _rule_apart(model: TextModel) -> TextModel:
    """ "____ 1 Attacks may start …": the footnote rule on its own line. The line count changes
    nowhere: the rule takes the place of a blank, or the note moves after it in the same line
    slot, so page starts (character offsets) stay right up to the rule."""
    text = re.sub(r"(?m)^(_{5,}|-{5,})[ \t]+(?=[1-9]\d{0,2}\s)", r"\1\n", model.text)
    if text == model.text:
        return model
    starts = tuple(p + text[:p].count("\n") - model.text[:p].count("\n") for p in model.page_starts)
    return replace(model, text=text, page_starts=starts)
