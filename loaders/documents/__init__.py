"""Resolution texts and contributions (.txt, .docx) as RDF: one document, one named graph.

The parse (``loaders.resolution_text`` / ``loaders.docx_revisions``) gives the structure; this
package maps it onto the ontology (``files``: reading and naming documents; ``mapper``: the
document, resolution, sections and clauses; ``citations``: their references; ``base``: what
these share):

- the document (``wsis:Document``, or ``wsis:Contribution`` with its abstract, proposer and
  ``wsis:ProposedChange``: MOD/ADD/SUP on which resolution version);
- the resolution (same IRIs as the reference data: ``…/resolution/wtsa/75``), the version in
  force (``…/2022-geneva``), the version proposed, and the history of revisions;
- the text's sections and clauses, on the resolution version the document states (for a
  contribution: a ``wsis:DraftVersion`` of the proposed version, one per contribution, so that two
  proposals for the same revision never mix), with stable IRIs from version, section and label;
- every reference the text makes, as an ``extracted`` link from the clause that makes it, with the
  words and their character offsets; an Action Line by the role the words give it
  (``wsis:moderatorFacilitatorOf`` …, all sub-properties of ``wsis:supportsActionLine``), and with
  a confidence that follows the evidence: each warning on the words or on the clause's reading
  is kept on the link (``wsis:evidenceWarning``) and lowers it (one: medium, more: low).

A version known only from a proposal (the revision a contribution proposes) is
``wsis:versionStatus wsis:Proposed`` with ``wsis:proposedIn`` the contribution, and replaces
nothing; the version it amends, and the revisions before it, are ``wsis:Adopted``.
"""

from loaders.documents.files import (
    DOCUMENT_SUFFIXES,
    DocumentLoad,
    document_key,
    document_name,
    load_document,
    load_documents,
    load_outcome_document,
    parse_document,
    parse_model,
)

__all__ = [
    "DOCUMENT_SUFFIXES",
    "DocumentLoad",
    "document_key",
    "document_name",
    "load_document",
    "load_documents",
    "load_outcome_document",
    "parse_document",
    "parse_model",
]
