"""What a link's dates rest on: the text it was read in, not only the thing it names.

An analyst signing "what supported C2 on 1 January 2014" must see that a role stated by a
resolution revised in April 2014 was not yet stated, that a web page read in 2026 says nothing
of 2014, that the SDGs did not exist before 25 September 2015, and which document a stated
link of WTSA Resolution 75 (Rev. Geneva, 2022) was read in.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from graph import catalogue
from graph.clock import today
from graph.store import KnowledgeGraph
from loaders.errors import TableError
from loaders.links import load_itu_links
from loaders.schemes import load_schemes
from loaders.tables import table_path
from ontology.ids import Ids
from tests.test_catalogue import Client

SEED = "https://w3id.org/wsis-kg/id/document/000_104f64d2c729d048"


@pytest.fixture(scope="module")
def client(builtin_kg: KnowledgeGraph) -> Client:
    return Client(builtin_kg)


def _sources(client: Client, line: str, **params: str) -> list[dict[str, Any]]:
    response = client.get(f"/action-lines/{line}/supporting-work", params={"limit": 1000, **params})
    assert response.status_code == 200, response.text
    return [dict(s, work=i["label"]) for i in response.json()["items"] for s in i["sources"]]


def test_a_stated_link_of_resolution_75_names_the_document_it_was_read_in(client: Client) -> None:
    """Rows of the curated links table read in the seed (the Russian Federation's proposal,
    whose unchanged words are the 2022 text) give that document, which the graph holds."""
    for line in ("C1", "C5", "C11"):
        stated = [
            s
            for s in _sources(client, line, sector="ITU-T", evidence="stated")
            if s["via"]["label"] == "WTSA Resolution 75 (Rev. Geneva, 2022)"
        ]
        assert stated, line
        for s in stated:
            assert s["document"]["iri"] == SEED, s
            assert s["document"]["label"] == "000_104f64d2c729d048.txt", s
    # the document is one an analyst can open: the dashboard's page of it
    page = client.get("/dashboard/documents/000_104f64d2c729d048")
    assert page.status_code == 200
    assert "Resolution 75" in page.text


def _roles(client: Client, day: str) -> dict[str, dict[str, Any]]:
    return {
        str(s["row"]["label"]): s
        for s in _sources(client, "C2", sector="ITU", as_of=day)
        if s.get("row")
    }


def test_a_role_stated_by_a_resolution_is_dated_by_that_resolution(client: Client) -> None:
    """ITU's role of moderator/facilitator for C2 read in WTDC Resolution 30 (Rev. Dubai,
    2014): not on 1 January 2014 (WTDC-14 met from 30 March to 10 April), from 10 April
    2014 while that revision is in force, and not after Rev. Buenos Aires, 2017 replaced it."""
    row = "itu-action-line-links row 6"
    assert row not in _roles(client, "2014-01-01")
    during = _roles(client, "2015-01-01")[row]
    assert (during["in_force_from"], during["in_force_until"]) == ("2014-04-10", "2017-10-20")
    assert "WTDC Resolution 30 (Rev. Dubai, 2014)" in during["in_force_note"]
    assert row not in _roles(client, "2018-01-01")
    # the same role read on an undated web page holds on every day, and says what it rests on
    page = "itu-action-line-links row 1"
    early = _roles(client, "2014-01-01")[page]
    assert "read on 2026-12-05" in early["in_force_note"]
    assert "not known" in early["in_force_note"]
    assert not _roles(client, "2026-12-06")[page].get("in_force_note")


def test_no_sdg_target_is_a_gap_before_the_goals_existed(builtin_kg: KnowledgeGraph) -> None:
    def gaps(day: str) -> int:
        return len(catalogue.run(builtin_kg, "gaps-sdg-targets", {"as_of": day}).rows)

    assert gaps("2015-09-24") == 0
    assert gaps("2015-09-25") > 50
    assert gaps("any") > 50


def test_the_dashboard_says_why_a_day_before_the_sdgs_has_no_links(client: Client) -> None:
    matrix = client.get("/dashboard", params={"as_of": "2010-01-01"})
    assert matrix.status_code == 200
    assert 'id="before-sdgs"' in matrix.text
    assert "resolution 70/1" in matrix.text
    assert 'id="before-sdgs"' not in client.get("/dashboard", params={"as_of": "2016-01-01"}).text
    cell = client.get(
        "/dashboard/cell", params={"action_line": "C5", "goal": "16", "as_of": "2010-01-01"}
    )
    assert cell.status_code == 200
    assert 'id="cell-before-sdgs"' in cell.text
    gaps = client.get("/dashboard/gaps", params={"as_of": "2010-01-01"})
    assert gaps.status_code == 200
    assert 'id="gaps-before-sdgs"' in gaps.text


def _refusal(tmp_path: Path, old: str, new: str) -> str:
    """The loader's error for the links table with the first ``old`` written ``new``."""
    source = table_path("itu-action-line-links").read_text(encoding="utf-8")
    assert old in source
    bad = tmp_path / "itu_action_line_links.csv"
    bad.write_text(source.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(TableError) as error:
        load_itu_links(Ids(), bad)
    return str(error.value)


def test_a_row_read_in_a_document_the_data_does_not_hold_is_refused(tmp_path: Path) -> None:
    message = _refusal(tmp_path, "seeds/000_104f64d2c729d048.txt", "seeds/elsewhere.txt")
    assert "itu_action_line_links.csv" in message
    assert "read_in" in message
    assert "seeds/elsewhere.txt" in message


def test_a_row_read_only_in_a_copy_is_not_high_confidence(tmp_path: Path) -> None:
    """WTDC Resolution 30 (Rev. Dubai, 2014) was read in a studylib copy only: its rows are
    medium at most, as a meeting's dates read only in a copy are (tests/test_data_tables.py)."""
    copy = "https://studylib.net/doc/12905801/resolution-30--rev.-dubai--2014--on-the-information-society"
    message = _refusal(tmp_path, f"{copy},2026-12-05,medium,", f"{copy},2026-12-05,high,")
    assert "itu_action_line_links.csv" in message
    assert "confidence" in message
    assert "third-party copy" in message


def _states(kg: KnowledgeGraph, body: str, number: str, day: str) -> dict[str, tuple[str, str]]:
    rows = catalogue.run(
        kg, "resolution-versions", {"body": body, "number": number, "as_of": day}
    ).rows
    return {str(r["label"]): (str(r["state"]), str(r.get("note") or "")) for r in rows}


def test_the_version_a_proposal_names_is_not_proposed_before_the_text_it_amends(
    builtin_kg: KnowledgeGraph,
) -> None:
    """The seed's heading names "Rev. New Delhi, 2024"; only the seed states it, and the
    seed amends Rev. Geneva, 2022 (in force from 9 March 2022): on 1 January 2010 it was not
    proposed yet; on 1 January 2023 it is proposed, never in force."""
    named = "WTSA Resolution 75 (Rev. New Delhi, 2024)"
    state, note = _states(builtin_kg, "WTSA", "75", "2010-01-01")[named]
    assert state == "not yet proposed"
    assert "2022-03-09" in note
    assert _states(builtin_kg, "WTSA", "75", "2023-01-01")[named][0] == "proposed"


def test_a_revision_whose_earlier_version_is_not_in_the_data_says_so(
    builtin_kg: KnowledgeGraph,
) -> None:
    """Council Resolution 1334 is known only as revised in 2015: in 2013 that revision was
    not yet adopted, but an earlier version, which the data does not hold, may have been in
    force; the answer says so instead of implying there was none."""
    label = "Council Resolution 1334 (Rev. 2015)"
    state, note = _states(builtin_kg, "Council", "1334", "2013-01-01")[label]
    assert state == "not yet adopted"
    assert "earlier version that the data does not hold" in note
    assert _states(builtin_kg, "Council", "1334", "2015-06-01")[label] == ("in force", "")
    # a first revision with its earlier version in the data has no such note
    _, dubai = _states(builtin_kg, "WTSA", "75", "2010-01-01")[
        "WTSA Resolution 75 (Rev. Dubai, 2012)"
    ]
    assert dubai == ""


def test_the_csv_of_supporting_work_keeps_the_citation_and_the_day(client: Client) -> None:
    """A file exported for the report keeps what the JSON says: where each link is read
    (document, symbol, locator, addresses, confidence) and the day it is given for."""
    response = client.get(
        "/action-lines/C1/supporting-work",
        params={"sector": "ITU-T", "evidence": "stated", "as_of": "2023-01-01", "format": "csv"},
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows
    for column in ("document", "document_symbol", "locator", "addresses", "confidence"):
        assert column in rows[0], column
    assert {r["as_of"] for r in rows} == {"2023-01-01"}
    (res75,) = [r for r in rows if r["via_label"] == "WTSA Resolution 75 (Rev. Geneva, 2022)"]
    assert res75["document"] == SEED
    assert res75["document_symbol"] == "WTSA Resolution 75 (Rev. Geneva, 2022)"
    assert res75["locator"].startswith("considering g)")
    today_rows = client.get(
        "/action-lines/C1/supporting-work", params={"sector": "ITU-T", "format": "csv"}
    ).text
    assert {r["as_of"] for r in csv.DictReader(io.StringIO(today_rows))} == {today()}


def test_statements_about_all_action_lines_keep_to_the_day(client: Client) -> None:
    """WTSA Resolution 75 (Rev. Geneva, 2022) speaks of all the Action Lines; in 2014 it did
    not exist, so neither the REST answer nor the dashboard shows it that day."""
    name = "WTSA Resolution 75 (Rev. Geneva, 2022)"

    def every(day: str) -> set[str]:
        body = client.get(
            "/action-lines/C2/supporting-work", params={"as_of": day, "limit": 1000}
        ).json()
        return {s["via"]["label"] for i in body["all_action_lines"] for s in i["sources"]}

    assert name not in every("2014-01-01")
    assert name in every("2023-01-01")
    page = client.get("/dashboard/action-lines/C2", params={"as_of": "2014-01-01"}).text
    assert "Rev. Geneva, 2022" not in page


def test_a_kept_clause_says_where_it_stood_in_the_version_in_force(client: Client) -> None:
    """The proposal moves considering g) of Rev. Geneva, 2022 to recognising a): the link is
    dated by Rev. Geneva, 2022, and its note says the clause stood there as considering g)."""
    (clause,) = [
        s for s in _sources(client, "C5", as_of="2023-01-01") if s["evidence"] == "extracted"
    ]
    assert clause["via"]["label"] == "recognising a)"
    assert "Rev. Geneva, 2022 (there considering g))" in clause["in_force_note"]


def test_a_version_proposed_to_a_meeting_that_has_met_says_its_outcome_is_unknown(
    builtin_kg: KnowledgeGraph,
) -> None:
    named = "WTSA Resolution 75 (Rev. New Delhi, 2024)"
    state, note = _states(builtin_kg, "WTSA", "75", "2025-06-01")[named]
    assert state == "proposed"
    assert "WTSA-24 has met" in note
    assert "not recorded" in note
    assert "has met" not in _states(builtin_kg, "WTSA", "75", "2023-01-01")[named][1]


def test_the_gaps_page_before_the_sdgs_says_not_applicable(client: Client) -> None:
    page = client.get("/dashboard/gaps", params={"as_of": "2014-01-01"}).text
    assert "Not applicable: no SDG target existed on that day." in page
    assert (
        "Not applicable" not in client.get("/dashboard/gaps", params={"as_of": "2020-01-01"}).text
    )


def test_no_work_supports_an_action_line_before_the_action_lines_existed(
    client: Client, builtin_kg: KnowledgeGraph
) -> None:
    """The Geneva Plan of Action set out the Action Lines on 12 December 2003: on 1 January
    2000 no work supported C5 (X-series Recommendations of 1999 included), no Action Line is
    a gap, and the answer says why."""
    before = client.get("/action-lines/C5/supporting-work", params={"as_of": "2000-01-01"}).json()
    assert before["items"] == []
    assert before["all_action_lines"] == []
    assert "2003-12-12" in before["note"]
    after = client.get("/action-lines/C5/supporting-work", params={"as_of": "2003-12-12"}).json()
    assert after["items"]
    assert "note" not in after
    assert not catalogue.run(builtin_kg, "gaps-action-lines", {"as_of": "2000-01-01"}).rows
    page = client.get("/dashboard/action-lines/C5", params={"as_of": "2000-01-01"}).text
    assert 'id="before-action-lines"' in page
    gaps = client.get("/dashboard/gaps", params={"as_of": "2000-01-01"}).text
    assert "Not applicable: no Action Line existed on that day." in gaps


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        ("ActionLineScheme,2003", "ActionLines,2003", "scheme"),
        ("2003-12-12", "2003-13-12", "in_force_from"),
        ("SDGScheme,", "ActionLineScheme,", "scheme"),
    ],
)
def test_a_bad_scheme_row_is_refused(tmp_path: Path, old: str, new: str, column: str) -> None:
    bad = tmp_path / "schemes.csv"
    bad.write_text(table_path("schemes").read_text(encoding="utf-8").replace(old, new, 1))
    with pytest.raises(TableError) as error:
        load_schemes(Ids(), bad)
    message = str(error.value)
    assert "schemes.csv" in message
    assert column in message


def test_a_meeting_held_while_a_version_was_in_force_with_nothing_recorded_is_named(
    builtin_kg: KnowledgeGraph, client: Client
) -> None:
    """PP Resolution 182 (Guadalajara, 2010) was in force until PP-22 revised it; PP-14 and
    PP-18 met in between and nothing is recorded for 182 there: the answer for 2019 says so
    instead of implying that the 2010 text certainly held unchanged."""
    state, note = _states(builtin_kg, "PP", "182", "2019-01-01")[
        "PP Resolution 182 (Guadalajara, 2010)"
    ]
    assert state == "in force"
    assert "nothing is recorded for it at PP-14" in note
    # before PP-14 met, there is nothing to say
    assert _states(builtin_kg, "PP", "182", "2012-01-01")[
        "PP Resolution 182 (Guadalajara, 2010)"
    ] == ("in force", "")
    # supporting-work says the same of the link read in that version
    (role,) = [
        s
        for s in _sources(client, "C7.e-environment", sector="PP", as_of="2019-01-01")
        if s["via"]["label"] == "PP Resolution 182 (Guadalajara, 2010)"
    ]
    assert "nothing is recorded for it at PP-14" in role["in_force_note"]
