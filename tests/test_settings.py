"""Every setting: a bad value is one line naming its variable, never a traceback (README,
docs/deploy.md); list settings take comma-separated values as well as a JSON array."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
import typer

from api.console import load_settings
from graph.settings import Settings
from tests.conftest import run_cli

# a value each kind of setting refuses
BAD_BY_TYPE: dict[str, str] = {
    "int": "many",
    "float": "soon",
    "Literal": "no-such-kind",
    "list": '["unclosed',
    "SecretStr": "short",  # a write token needs 24 characters
}
# settings that take any text (a path, a user name): no value is bad
FREE_TEXT = {"store", "store_user", "store_password", "host"}
# settings whose validator refuses a value of their own
BAD_BY_NAME = {
    "store_url": "ftp://example.org",
    "store_query_url": "not a url",
    "store_update_url": "not a url",
    "store_gsp_url": "not a url",
    "base_iri": "urn:no-slash",
}


def _kind(name: str) -> str:
    annotation = Settings.model_fields[name].annotation
    text = str(annotation)
    for kind in BAD_BY_TYPE:
        if kind in text:
            return kind
    origin = typing.get_origin(annotation)
    return getattr(origin or annotation, "__name__", text)


def _bad_values() -> list[tuple[str, str]]:
    out = []
    for name in sorted(Settings.model_fields):
        if name in FREE_TEXT:
            continue
        value = BAD_BY_NAME.get(name) or BAD_BY_TYPE.get(_kind(name))
        assert value is not None, f"no bad value known for the setting {name}: add one here"
        out.append((name, value))
    return out


@pytest.mark.parametrize(("name", "value"), _bad_values(), ids=[n for n, _ in _bad_values()])
def test_a_bad_value_is_one_line_naming_the_variable(
    name: str, value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    variable = f"WSISKG_{name.upper()}"
    monkeypatch.setenv(variable, value)
    with pytest.raises(typer.Exit) as stopped:
        load_settings()
    assert stopped.value.exit_code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: bad setting: {variable}"), lines[0]
    if name in ("write_token", "store_password"):
        assert value not in lines[0]  # a secret is never repeated


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("127.0.0.1", ["127.0.0.1"]),
        ("127.0.0.1, 10.0.0.2", ["127.0.0.1", "10.0.0.2"]),
        ('["127.0.0.1", "10.0.0.2"]', ["127.0.0.1", "10.0.0.2"]),
        ("", []),
    ],
)
@pytest.mark.parametrize("name", ["trusted_proxies", "cors_origins"])
def test_a_list_setting_takes_commas_or_json(
    name: str, value: str, expected: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(f"WSISKG_{name.upper()}", value)
    assert getattr(Settings(), name) == expected


@pytest.mark.processes
def test_the_command_says_which_variable_and_stops(tmp_path: Path) -> None:
    """The real command, as issue 18 found it: a trusted proxy written plainly is taken; a
    broken JSON array stops it with one line."""
    ok = run_cli("graphs", store=tmp_path / "s", env={"WSISKG_TRUSTED_PROXIES": "127.0.0.1"})
    assert ok.returncode == 0, ok.stderr
    bad = run_cli("graphs", store=tmp_path / "s", env={"WSISKG_TRUSTED_PROXIES": "[127.0.0.1"})
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1, bad.stderr
    assert "WSISKG_TRUSTED_PROXIES" in lines[0]
