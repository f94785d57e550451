"""``wsiskg export --format sssom``: every mapping set into a directory, one set to standard
output, and the errors (the sets themselves: tests/test_mappings.py)."""

from __future__ import annotations

from pathlib import Path

from graph import mappings, sssom_tsv
from tests.conftest import run_cli

BASE = "https://w3id.org/wsis-kg/id/"


def test_wsiskg_export_sssom(loaded_store: Path, tmp_path: Path) -> None:
    """Every set into a directory, one file each; one set to standard output; the errors."""
    folder = tmp_path / "sets"
    run_cli("export", "--format", "sssom", "-o", str(folder), store=loaded_store, check=True)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{name}.sssom.tsv" for name in mappings.SETS
    )
    for name in mappings.SETS:
        meta, rows = sssom_tsv.parse((folder / f"{name}.sssom.tsv").read_text(encoding="utf-8"))
        assert meta["mapping_set_id"] == f"{BASE}mapping-set/{name}"
        assert rows
    one = run_cli(
        "export", "--format", "sssom", "--set", "clause", "--evidence", "extracted",
        store=loaded_store, check=True,
    )  # fmt: skip
    meta, rows = sssom_tsv.parse(one.stdout)
    assert meta["mapping_set_id"] == f"{BASE}mapping-set/clause/extracted"
    assert rows
    both = run_cli("export", "--format", "sssom", store=loaded_store)
    assert both.returncode == 1
    assert "-o DIR" in both.stderr
    unknown = run_cli("export", "--format", "sssom", "--set", "nope", store=loaded_store)
    assert unknown.returncode == 1
    assert "no mapping set 'nope'" in unknown.stderr
