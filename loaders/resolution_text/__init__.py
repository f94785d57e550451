"""Parse the plain text of an ITU resolution, or of a contribution proposing to change one.

The text may be a tracked-changes document *flattened* to text, where deleted and inserted
words run together ("consideringrecalling", "eb)", "(GenevaNew Delfi, 20222024)"). The parser
never guesses silently: every place where it had to cut a merged token, or infer which
reading a clause belongs to, is reported as a warning.

The package in parts, each with one job: ``model`` (the dataclasses below), ``reading``
(bytes to text), ``headings``, ``front`` (the header), ``labels`` (label alignment), ``lists``
(the list tree), ``parser`` (sections and clauses); ``base`` holds what a parse shares.

Public API: :func:`parse_text`, :func:`parse_file`, :func:`decode_bytes` and the frozen
dataclasses below; ``loaders.docx_revisions.parse_docx`` builds the same tree from a .docx.
Every bad input raises :class:`loaders.errors.DocumentError` naming the source and problem.

JSON form (``ParsedDocument.to_json()``)
=======================================

::

    {
      "source": str,                          # file name or caller's label
      "document": {
        "kind": "contribution" | "resolution",
        "abstract": str | null,               # contributions: the "Abstract:" paragraph
        "proposing_administration": str | null,   # "Russian Federation" ("X proposes", "Source:")
        "action": "MOD" | "ADD" | "SUP" | null,
        "body": "WTSA" | "PP" | "WTDC" | "RA" | "Council" | "UNGA" | null,
        "number": str | null,                 # "75", "ITU-R 61" is {"number": "61", body RA}
        "title": str | null,
        "revisions": {                        # from "RESOLUTION 75 (Rev. Geneva, 2022)"
          "as_written": str | null,
          "in_force": Meeting | null,         # the revision being amended (or the only one)
          "proposed": Meeting | null          # the revision a MOD/ADD proposes, if written
        },
        "history": [Meeting, ...],            # "(Johannesburg, 2008; Dubai, 2012; ...)"
        "assembly": {"name": str, "body": str | null,
                     "in_force": Meeting | null, "proposed": Meeting | null} | null
      },
      "sections": [{
        "eid": str,                           # "considering", "noting-further", "instructs"
        "heading": str,                       # as written ("consideringrecalling")
        "heading_old": str | null, "heading_new": str | null,   # only for a merged heading
        "keyword": str,                       # "considering", "instructs", "invites", ...
        "kind": "preambular" | "operative",
        "addressee": str | null,              # instructs/invites/requests ... whom
        "line": int,                          # 1-based line of the heading
        "clauses": [Clause, ...]
      }, ...],
      "references": [Reference & {"clause_eid": str, "clause_label": str | null,
                                  "section": str}, ...],
      "warnings": [{"code": str, "message": str, "place": str,
                    "clause": str | null}, ...],      # clause: the eid it concerns
      "footnotes": [{"id": str, "marker": str, "text": str}, ...]
    }

    Meeting = {"place": {"as_written": str, "normalised": str, "known": bool} | null,
               "year": int | null}

    Clause = {
      "eid": str,            # "recognising__a", "instructs__3", "considering__b__list_1__i",
                             # "noting-further__1" (unlabelled), "considering__before_a"
                             # (a clause only in the before reading); unique, stable
      "label": str | null,   # label in the after (new) reading: "b)", "3"; null if unlabelled
                             # or if the clause exists only in the before reading
      "old_label": str | null,        # before-reading label when it differs ("e)")
      "label_as_written": str | null, # "eb)"
      "reading": "both" | "before" | "after",   # which reading(s) hold the clause
      "order": int,          # 1-based position among its siblings
      "line": int,           # 1-based line where it starts
      "text": str,           # original text after the label (continuation lines joined by \\n)
      "plain_text": str,     # text without footnote/bookmark markup, whitespace collapsed
      "footnotes": [{"id", "marker", "text"}],
      "mentions": [Reference, ...],      # offsets index "text"
      "children": [Clause, ...],          # a nested list (i), ii), ...)
      "moved_from": {"section": str, "heading": str, "label": str} | null,
                             # flattened text: the clause stood in another section before
      "inferred_change": {"status": "deleted", "likelihood": "likely",
                          "cues": [str, ...]} | null,   # read from cues, not from the label
      # only from .docx (parse_docx):
      "status": "unchanged" | "modified" | "added" | "deleted",
      "text_before": str | null, "text_after": str | null,
      "changes": [{"kind": str, "author": str | null, "date": str | null, "text": str}]
    }

    Reference = {"type": str, "text": str, "start": int, "end": int, ...typed fields}
      (see loaders.references.Reference: action_line code/title/role; resolution body/
       number/revision/body_basis; *_paragraph paragraphs/subparagraphs/range_text; sdg_goal
       and sdg_target code; body code)

Readings of a flattened text: a merged label ("eb)") gives both readings; a single label is
placed in the before reading, the after reading or both by aligning the two label sequences
(a dynamic programme preferring consecutive labels). So "a) b) c) d) <blank> a) eb) fc)" is
read as a)-d) deleted, a) inserted, e)→b), f)→c), each inference with a warning.
"""

from loaders.resolution_text.front import is_header
from loaders.resolution_text.headings import is_heading, section_keys, slug
from loaders.resolution_text.model import (
    DEFAULT_MAX_BYTES,
    Assembly,
    Change,
    Clause,
    ClauseReference,
    Footnote,
    Header,
    InferredChange,
    MovedFrom,
    ParsedDocument,
    ParseWarning,
    Section,
    clause_references,
)
from loaders.resolution_text.reading import decode_bytes, parse_file, parse_structure, parse_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Assembly",
    "Change",
    "Clause",
    "ClauseReference",
    "Footnote",
    "Header",
    "InferredChange",
    "MovedFrom",
    "ParseWarning",
    "ParsedDocument",
    "Section",
    "clause_references",
    "decode_bytes",
    "is_header",
    "is_heading",
    "parse_file",
    "parse_structure",
    "parse_text",
    "section_keys",
    "slug",
]
