"""An update rewritten for the protocol and the store: the protocol's ``using-graph-uri`` /
``using-named-graph-uri`` as ``USING`` / ``USING NAMED`` clauses (pyoxigraph's
``Store.update`` has no dataset argument), and the graphs the store maintains itself kept
out of reach of the update.

The protection of the store's own graphs guards a holder of the write token against
mistakes; it is not what stands between the public and the store (the token is).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .lexer import position
from .updates import UpdateAnalysis, UpdateRefusedError


def _filter(variables: Sequence[str], protected: Sequence[str], prefixes: Sequence[str]) -> str:
    graphs = ", ".join(f"<{g}>" for g in protected)
    tests = []
    for v in dict.fromkeys(variables):
        parts = [f"{v} NOT IN ({graphs})"] if protected else []
        parts += [f'!STRSTARTS(STR({v}), "{prefix}")' for prefix in prefixes]
        test = parts[0] if len(parts) == 1 else f"({' && '.join(parts)})"
        tests.append(f"(!BOUND({v}) || {test})")
    return f"FILTER ({' && '.join(tests)})"


def rewrite_update(
    text: str,
    analysis: UpdateAnalysis,
    *,
    using: Sequence[str] = (),
    using_named: Sequence[str] = (),
    protected: Sequence[str] = (),
    protected_prefixes: Sequence[str] = (),
    named_graphs: Iterable[str] = (),
) -> str:
    """``text`` with the protocol's dataset and the store's protections written in.

    * ``using`` / ``using_named`` (the protocol's ``using-graph-uri`` /
      ``using-named-graph-uri``) become ``USING`` / ``USING NAMED`` clauses before the WHERE of
      every DELETE/INSERT operation (a ``DELETE WHERE {P}`` becomes
      ``DELETE {P} USING ... WHERE {P}``); an update with its own USING or WITH is refused
      (:class:`UpdateRefusedError`), as the protocol says.
    * No operation writes a ``protected`` graph: one named explicitly is refused; ``CLEAR`` /
      ``DROP`` ``ALL`` / ``NAMED`` become one operation per other graph (``named_graphs``: the
      store's named graphs now); a template that writes ``GRAPH ?g`` gets a FILTER that keeps
      ``?g`` off them. A graph whose IRI starts with one of ``protected_prefixes`` is protected
      too.
    """
    if (using or using_named) and analysis.dataset_clauses:
        raise UpdateRefusedError(
            "the update names its dataset (USING, USING NAMED or WITH) and so does the request "
            "(using-graph-uri, using-named-graph-uri): give one or the other"
        )
    guarded = set(protected)

    def is_guarded(iri: str) -> bool:
        return iri in guarded or any(iri.startswith(p) for p in protected_prefixes)

    for iri, offset in analysis.written_graphs:
        if is_guarded(iri):
            raise UpdateRefusedError(
                f"at {position(text, offset)}: <{iri}> is maintained by the store "
                "(provenance and entailments): an update cannot write it"
            )
    clauses = "".join(f"USING <{g}> " for g in using) + "".join(
        f"USING NAMED <{g}> " for g in using_named
    )
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), not overlapping
    others = [g for g in named_graphs if not is_guarded(g)]
    for op in analysis.all_graphs:
        parts = [f"{op.operation} SILENT DEFAULT"] if op.target == "ALL" else []
        parts += [f"{op.operation} SILENT GRAPH <{g}>" for g in others]
        edits.append((op.start, op.end, " ;\n".join(parts) or "INSERT DATA { }"))
    for modify in analysis.modifies:
        if clauses:
            edits.append((modify.where, modify.where, clauses))
        if modify.graph_variables and (protected or protected_prefixes):
            opened, closed = modify.group
            edits.append((opened, opened + 1, "{ {"))
            edits.append(
                (
                    closed,
                    closed + 1,
                    f"}} {_filter(modify.graph_variables, protected, protected_prefixes)} }}",
                )
            )
    for delete in analysis.delete_wheres:
        guard = bool(delete.graph_variables and (protected or protected_prefixes))
        if not clauses and not guard:
            continue
        opened, closed = delete.group
        pattern = text[opened : closed + 1]
        where = (
            f"{{ {pattern} {_filter(delete.graph_variables, protected, protected_prefixes)} }}"
            if guard
            else pattern
        )
        edits.append((delete.start, closed + 1, f"DELETE {pattern} {clauses}WHERE {where}"))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text
