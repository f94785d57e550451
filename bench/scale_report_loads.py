"""The scale report's "Bulk load" part: the loads side by side, where wsis-kg's load time
goes (the transactional path, or the bulk path of graph/bulk.py at the scales that took it)."""

from __future__ import annotations

from bench.report import table
from bench.scale_measure import ScaleResult, label
from bench.scale_text import mib, ratio, ratio_text, seconds_text


def _bulk_path_parts(results: list[ScaleResult]) -> list[str]:
    """Where the bulk path's time goes (graph/bulk.py), at the scales that took it; its
    memory beside bulk_load's."""
    rows = []
    for r in results:
        ours, bulk, phases = r.load("ours"), r.load("bulk"), r.load_parts
        if r.load_path != "bulk" or ours is None or bulk is None:
            continue
        known = ("bulk_load", "optimize", "rules", "commit")
        other = sum(v for k, v in phases.items() if k not in known)
        rows.append(
            [
                label(r.target),
                *(seconds_text(phases.get(k, 0.0)) for k in known),
                seconds_text(other),
                ratio_text(ratio(ours.seconds, bulk.seconds)),
                ratio_text(ratio(ours.peak_rss, bulk.peak_rss)),
            ]
        )
    if not rows:
        return []
    return [
        "At these scales the file (32 MiB or more, `WSISKG_BULK_LOAD_BYTES`) took the bulk "
        "path (graph/bulk.py): a checkpoint, `bulk_load` into the graph while one thread "
        "checks the file and another derives the source rules' triples from it and writes "
        "them with `bulk_extend` (graph/bulk_rules.py), then the store-wide rules and the "
        "provenance record with the release, behind the same marker. The compaction and the source "
        "rules as CONSTRUCT queries after the load are taken only by a file whose "
        "rule-read triples hold blank nodes (0 s otherwise).",
        "",
        table(
            [
                "scale",
                "bulk_load + checks + source rules s",
                "compaction s",
                "source rules as SPARQL s",
                "commit (store-wide rules) s",
                "other s",
                "time vs bulk_load",
                "peak RSS vs bulk_load",
            ],
            rows,
            "lrrrrrrr",
        ),
        "",
    ]


def bulk_load(results: list[ScaleResult]) -> list[str]:
    """The loads side by side, and where wsis-kg's load time goes."""
    parts: list[str] = []
    names = {
        "ours": "wsis-kg `load_file`",
        "bulk": "pyoxigraph `bulk_load`",
        "extend": "pyoxigraph `Store.extend` (one transaction)",
        "rdflib": "rdflib `Graph.parse`",
    }
    load_rows = []
    for r in results:
        bulk = r.load("bulk")
        for system in ("ours", "bulk", "extend", "rdflib"):
            x = r.load(system)
            if x is None:
                continue
            load_rows.append(
                [
                    label(r.target),
                    names[system],
                    seconds_text(x.seconds),
                    f"{r.triples / x.seconds:,.0f}",
                    mib(x.peak_rss),
                    ratio_text(ratio(x.seconds, bulk.seconds if bulk else None)),
                ]
            )
    parts.append(
        table(
            ["scale", "system", "seconds", "triples/s", "peak RSS MiB", "time vs bulk_load"],
            load_rows,
            "llrrrr",
        )
    )
    parts += _bulk_path_parts(results)
    part_rows = []
    for r in results:
        bulk, parts_of = r.load("bulk"), r.load_parts
        if not parts_of or bulk is None or r.load_path == "bulk":
            continue
        part_rows.append(
            [
                label(r.target),
                seconds_text(parts_of["read_seconds"]),
                seconds_text(parts_of["transaction_seconds"]),
                seconds_text(parts_of["rules_seconds"]),
                seconds_text(bulk.seconds),
                ratio_text(ratio(parts_of["transaction_seconds"], bulk.seconds)),
            ]
        )
    if part_rows:
        parts += [
            "Where wsis-kg's load time goes: reading the file (pyoxigraph's parser, then the "
            "NFC and identifier checks of loaders/unicode.py in Python), and the one "
            "transaction that replaces the graph and records its provenance, the release and "
            "the entailments; the entailment rules alone (graph/rules/, run again after the "
            "load) are part of that transaction.",
            "",
            table(
                [
                    "scale",
                    "read s",
                    "transaction s",
                    "of it, the rules s",
                    "bulk_load s",
                    "transaction vs bulk_load",
                ],
                part_rows,
                "lrrrrr",
            ),
        ]
    return parts
