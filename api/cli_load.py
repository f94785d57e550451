"""`wsiskg load --dry-run`: parse files and report, storing nothing."""

from __future__ import annotations

import json
from pathlib import Path

from api.console import fail, load_settings, print_report
from graph.files import prepare
from ontology.ids import Ids


def dry_run_files(files: list[Path], as_json: bool) -> None:
    """Each file's counts and warnings, or with ``as_json`` its parse as JSON
    (docs/parse-json.md)."""
    if not files:
        fail("--dry-run needs files", 2)
    parses: list[dict[str, object]] = []
    for path in files:
        settings = load_settings()
        result, parse = prepare(path, Ids(settings.base_iri), settings.read_limits())
        if as_json:
            parses.append(
                parse
                if parse is not None
                else {
                    "source": path.name,
                    "counts": result.report.counts,
                    "warnings": [str(w) for w in result.report.warnings],
                }
            )
        else:
            print_report(path, result.report)
    if as_json:
        print(json.dumps(parses[0] if len(parses) == 1 else parses, ensure_ascii=False, indent=2))
