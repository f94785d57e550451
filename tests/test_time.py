"""Time: when each resolution version, study group and Recommendation was in force, and the
answers as of a day (issue 17). An analyst's questions: which version of Resolution 75 was
in force on 1 January 2013? Which ITU-T work supported C5 then? Is a proposal ever in force?"""

from __future__ import annotations

import ast
import csv
import html
import io
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from graph import catalogue
from graph.clock import today
from graph.store import KnowledgeGraph
from loaders.errors import TableError
from loaders.meetings import load_meetings
from tests.test_catalogue import Client

SEED = "000_104f64d2c729d048"
RES75 = "https://w3id.org/wsis-kg/id/resolution/wtsa/75"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def client(builtin_kg: KnowledgeGraph) -> Client:
    return Client(builtin_kg)


def _versions(client: Client, as_of: str | None = None) -> dict[str, dict[str, Any]]:
    params = {"as_of": as_of} if as_of else {}
    response = client.get("/resolutions/WTSA/75/versions", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["as_of"] == (as_of or today())
    return {v["iri"].removeprefix(RES75 + "/"): v for v in body["versions"]}


# ------------------------------------------------------------ a resolution's time line


def test_resolution_75_in_force_on_1_january_2013_is_the_dubai_revision(client: Client) -> None:
    versions = _versions(client, "2013-01-01")
    dubai = versions["2012-dubai"]
    # WTSA-12 met in Dubai 20-29 November 2012 (assemblies.csv, its itu.int source)
    assert dubai["meeting"]["name"] == "WTSA-12"
    assert (dubai["meeting"]["start"], dubai["meeting"]["end"]) == ("2012-11-20", "2012-11-29")
    assert dubai["in_force_from"] == "2012-11-29"
    assert dubai["in_force_until"] == "2016-11-03"  # WTSA-16 (Hammamet) closed
    assert dubai["ended_by"] == f"{RES75}/2016-hammamet"
    assert dubai["state"] == "in force"
    johannesburg = versions["2008-johannesburg"]
    assert johannesburg["state"] == "superseded"
    assert johannesburg["in_force_until"] == "2012-11-29"
    assert johannesburg["ended_by"] == f"{RES75}/2012-dubai"
    assert versions["2016-hammamet"]["state"] == "not yet adopted"
    assert versions["2022-geneva"]["state"] == "not yet adopted"
    states = {k: v["state"] for k, v in versions.items()}
    assert [k for k, s in states.items() if s == "in force"] == ["2012-dubai"]


def test_a_proposed_version_is_never_in_force(client: Client) -> None:
    """Never in force; and not yet proposed before the version it amends (Rev. Geneva, 2022,
    from 9 March 2022) was in force: the proposal's own date is not recorded, and the note
    says what bounds it."""
    for day, state in (
        ("2013-01-01", "not yet proposed"),
        ("2022-03-08", "not yet proposed"),
        ("2022-03-09", "proposed"),
        ("2025-06-01", "proposed"),
        (None, "proposed"),
    ):
        versions = _versions(client, day)
        draft = versions[f"2024-new-delhi/proposed-by/{SEED}"]
        assert draft["draft"] is True
        assert (draft["state"], draft["in_force_from"]) == (state, None), day
        assert "2022-03-09" in (draft["note"] or ""), draft["note"]
        assert "not recorded" in (draft["note"] or "")


def test_the_timeline_says_what_the_data_does_not_know(client: Client) -> None:
    """The latest version known, after which the body met again with nothing recorded for
    the resolution: in force as far as the data knows, and the answer says so."""
    versions = _versions(client, "2025-06-01")
    latest = [v for v in versions.values() if v["state"] == "in force"]
    assert len(latest) == 1
    if latest[0]["iri"].endswith("/2022-geneva"):  # nothing recorded of WTSA-24 for Res. 75
        assert "WTSA-24" in (latest[0]["note"] or "")
    # the versions are in time order, and each ends where the next begins
    adopted = [v for v in versions.values() if v["in_force_from"]]
    assert [v["in_force_from"] for v in adopted] == sorted(v["in_force_from"] for v in adopted)
    for earlier, later in itertools.pairwise(adopted):
        assert earlier["in_force_until"] == later["in_force_from"]


def test_resolution_route_as_of_keeps_the_version_in_force(client: Client) -> None:
    every = client.get("/resolutions/WTSA/75").json()
    assert len(every["versions"]) >= 6  # every version, each with its state today
    assert all(v.get("state") for v in every["versions"])
    then = client.get("/resolutions/WTSA/75", params={"as_of": "2013-01-01"}).json()
    assert [v["iri"] for v in then["versions"]] == [f"{RES75}/2012-dubai"]
    assert then["versions"][0]["state"] == "in force"
    listing = client.get("/resolutions", params={"body": "WTSA", "as_of": "2013-01-01"}).json()
    res75 = [r for r in listing if r["iri"] == RES75]
    assert [v["iri"] for r in res75 for v in r["versions"]] == [f"{RES75}/2012-dubai"]


def test_as_of_is_checked(client: Client) -> None:
    for bad in ("2013-02-30", "yesterday", "2013-1-1"):
        for url in (
            "/resolutions/WTSA/75/versions",
            "/action-lines/C5/supporting-work",
            "/resolutions/WTSA/75",
        ):
            response = client.get(url, params={"as_of": bad})
            assert response.status_code == 422, (url, bad, response.text)
            assert "as_of" in response.text
    assert client.get("/resolutions/WTSA/75/versions", params={"as_of": "any"}).status_code == 422
    assert client.get("/resolutions/WTSA/9999/versions").status_code == 404


def test_an_empty_day_is_today_and_any_has_no_case(client: Client) -> None:
    """An empty date field (what a form sends) means today on every route, as on the
    dashboard; "ANY" is "any"."""
    for url in ("/matrix", "/action-lines/C5/supporting-work", "/resolutions/WTSA/75/versions"):
        empty = client.get(url, params={"as_of": ""})
        assert empty.status_code == 200, (url, empty.text)
        assert empty.json()["as_of"] == today()
    for url, more in (
        ("/matrix", {}),
        ("/action-lines/C5/supporting-work", {}),
        ("/search", {"q": "cybersecurity"}),
    ):
        shouted = client.get(url, params={"as_of": "ANY", **more})
        assert shouted.status_code == 200, (url, shouted.text)
        assert shouted.json()["as_of"] == "any"


def test_an_answer_of_one_day_refuses_any_in_one_place(client: Client) -> None:
    """The time line, the Recommendations in force and the dashboard's resolution page are of
    one day: their named queries' as_of is a ``day``, so the catalogue refuses "any" (422,
    naming as_of), and their OpenAPI documents a day without "any"."""
    for url in (
        "/resolutions/WTSA/75/versions",
        "/study-groups/SG17/recommendations",
        "/dashboard/resolutions/WTSA/75",
    ):
        response = client.get(url, params={"as_of": "any"})
        assert response.status_code == 422, (url, response.text)
        message = html.unescape(response.text)  # the dashboard's is a page
        assert "parameter 'as_of'" in message, message
        assert "not 'any'" in message, message
    spec = client.get("/openapi.json").json()["paths"]
    for path in ("/resolutions/{body}/{number}/versions", "/study-groups/{sg}/recommendations"):
        (as_of,) = [p for p in spec[path]["get"]["parameters"] if p["name"] == "as_of"]
        assert as_of["description"].startswith("A day, YYYY-MM-DD"), as_of["description"]
        assert "any" not in as_of["description"], as_of["description"]
    # where "any" means everything, it is still taken
    for url in ("/action-lines/C5/supporting-work", "/resolutions/WTSA/75"):
        assert client.get(url, params={"as_of": "any"}).status_code == 200, url


# ------------------------------------------------------------ today


def test_today_is_the_utc_day_whatever_the_time_zone() -> None:
    """today() is the UTC day (that of SPARQL's NOW()), not the server's local day: run where
    the local day differs from the UTC day. At any instant one of UTC+14 and UTC-12 is on
    another day than UTC (POSIX TZ strings: the sign is west of Greenwich)."""
    script = (
        "from datetime import UTC, date, datetime\n"
        "from graph.clock import today\n"
        "print(today(), datetime.now(UTC).date().isoformat(), date.today().isoformat())\n"
    )
    differs = 0
    for zone in ("<+14>-14", "<-12>+12"):
        done = subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "TZ": zone},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        ours, utc, local = done.stdout.split()
        assert ours == utc, (zone, ours, utc, local)
        differs += local != utc
    assert differs >= 1  # the check above could fail: a local day was not the UTC day


def _today_calls(text: str, name: str) -> list[str]:
    """Where a module computes today itself: date.today(), datetime.today(), or the date of
    datetime.now(...)."""
    found = []
    for node in ast.walk(ast.parse(text, filename=name)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        func = node.func
        named = isinstance(func.value, ast.Name) and func.value.id in ("date", "datetime")
        if func.attr == "today" and named:
            found.append(f"{name}:{node.lineno}: {func.value.id}.today()")
        if (
            func.attr == "date"
            and isinstance(func.value, ast.Call)
            and isinstance(func.value.func, ast.Attribute)
            and func.value.func.attr == "now"
        ):
            found.append(f"{name}:{node.lineno}: now(...).date()")
    return found


def test_no_module_computes_today_but_the_clock() -> None:
    """One "today": api/ and graph/ ask graph.clock.today(), never date.today() (the local
    day) nor a date of their own."""
    clock = ROOT / "graph" / "clock.py"
    found = [
        call
        for package in ("api", "graph")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != clock
        for call in _today_calls(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert found == []
    # the scan sees the one place that does, and would see a local day
    assert _today_calls(clock.read_text(encoding="utf-8"), "graph/clock.py")
    local = "from datetime import date\n\ndef f():\n    return date.today().isoformat()\n"
    assert _today_calls(local, "sample.py") == ["sample.py:4: date.today()"]


# ------------------------------------------------------------ what a suppression rests on

RES1334 = "https://w3id.org/wsis-kg/id/resolution/council/1334"
TABLE = ROOT / "loaders" / "data" / "resolution_versions.csv"


def _table_row(body: str, number: str, event: str) -> tuple[int, dict[str, str]]:
    """The file line and the cells of one row of the curated table, as a curator reads it."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            if (row["body"], row["number"], row["event"]) == (body, number, event):
                return line, row
    raise AssertionError(f"no {event} row for {body} {number}")


def test_a_suppression_says_where_it_is_recorded_and_how_sure(client: Client) -> None:
    """Council Resolution 1334 was suppressed at Council 2016: a third-party report (Digital
    Watch) says so, medium confidence. Its 2015 version's end rests on that report, and the
    time line says so: the meeting, the day, the source, the confidence, the table row."""
    line, cells = _table_row("Council", "1334", "suppressed")
    for as_of in ("2017-01-01", None):
        params = {"as_of": as_of} if as_of else {}
        response = client.get("/resolutions/Council/1334/versions", params=params)
        assert response.status_code == 200, response.text
        (version,) = response.json()["versions"]
        assert version["iri"] == f"{RES1334}/2015"
        assert (version["state"], version["in_force_until"]) == ("suppressed", "2016-06-02")
        assert version["ended_by"] is None
        suppression = version["suppression"]
        assert suppression["day"] == "2016-06-02"  # Council 2016 closed on 2 June 2016
        assert suppression["meeting"]["name"] == "Council 2016"
        assert suppression["meeting"]["start"] == "2016-05-25"
        (record,) = suppression["recorded_in"]
        assert record["document_symbol"] == "Digital Watch report of ITU Council 2016"
        assert record["confidence"] == "medium"
        assert record["mirrors"] == ["https://dig.watch/event/itu-council-2016-session"]
        assert record["addresses"] == []  # no official source: only the report
        assert record["notes"].startswith("Third-party report.")
        assert record["date_read"] == "2026-12-05"
        # the record is the table's row: the curator can find it and check it
        assert (record["table"], record["row_number"] + 1) == ("resolution_versions.csv", line)
        assert record["row"]["iri"].endswith(f"/dataset/resolution-versions/row/{line - 1}")
        assert record["document_symbol"] == cells["source_document_symbol"]
        assert record["locator"] == cells["locator"]
        assert record["confidence"] == cells["confidence"]
        assert record["mirrors"] == [cells["mirror_url"] or cells["official_url"]]
    # a version a later version ended has no suppression
    assert all(v["suppression"] is None for v in _versions(client, "2025-06-01").values())
    # CSV: the same, as the query's columns
    table = client.get("/resolutions/Council/1334/versions", params={"format": "csv"}).text
    (row,) = list(csv.DictReader(io.StringIO(table)))
    assert row["suppressed_at_name"] == "Council 2016"
    assert row["suppression_document_symbol"] == "Digital Watch report of ITU Council 2016"
    assert row["suppression_confidence"] == "medium"


def test_the_dashboard_says_what_a_suppression_rests_on(client: Client) -> None:
    page = client.get("/dashboard/resolutions/Council/1334", params={"as_of": "2017-01-01"})
    assert page.status_code == 200
    row = page.text.split(f'data-version="{RES1334}/2015"')[1].split("</tr>")[0]
    assert 'data-state="suppressed"' in row
    assert 'href="https://dig.watch/event/itu-council-2016-session"' in row
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())  # the text a reader sees
    assert (
        "suppressed at Council 2016 (2016-06-02) — recorded from: Digital Watch report of ITU "
        "Council 2016, read in https://dig.watch/event/itu-council-2016-session (confidence "
        "medium; resolution_versions.csv row 58). Third-party report."
    ) in shown, shown


# ------------------------------------------------------------ supporting work as of a day


def _sources(client: Client, as_of: str | None = None) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"limit": 1000}
    if as_of:
        params["as_of"] = as_of
    body = client.get("/action-lines/C5/supporting-work", params=params).json()
    assert body["as_of"] == (as_of or today())
    return [dict(s, work=i["label"]) for i in body["items"] for s in i["sources"]]


def test_supporting_work_today_lists_only_what_is_in_force(client: Client) -> None:
    day = today()
    sources = _sources(client)
    for s in sources:
        assert not s["in_force_from"] or s["in_force_from"] <= day, s
        assert not s["in_force_until"] or day < s["in_force_until"], s
        assert s["in_force_note"] != "proposed: never in force", s
    vias = {s["via"]["iri"] for s in sources}
    # a study group of an earlier period is not today's work
    assert not any("/study-group/2013-2016/" in v for v in vias)
    assert any("/study-group/2025-2028/SG17" in v for v in vias)
    # the proposal's clause that the amended version already had (moved from considering g)
    # of Rev. Geneva, 2022) is dated by that version, and says so
    (clause,) = [s for s in sources if s["evidence"] == "extracted"]
    assert clause["via"]["label"] == "recognising a)"
    assert clause["in_force_from"] == "2022-03-09"
    assert "Rev. Geneva, 2022" in clause["in_force_note"]


def test_supporting_work_as_of_2014_lists_the_groups_of_that_period(client: Client) -> None:
    sources = _sources(client, "2014-01-01")
    vias = {s["via"]["iri"] for s in sources}
    assert any("/study-group/2013-2016/SG17" in v for v in vias)
    assert not any("/study-group/2025-2028/" in v for v in vias)
    # WTSA Resolution 75 (Rev. Geneva, 2022) was not yet adopted in 2014
    assert not any(v.endswith("/wtsa/75/2022-geneva") for v in vias)
    # a Recommendation whose first edition came later is not listed
    for s in sources:
        assert not s["in_force_from"] or s["in_force_from"] <= "2014-01-01", s


def test_supporting_work_as_of_any_is_every_link(client: Client) -> None:
    every = _sources(client, "any")
    links = {s["link"] for s in every}
    for day in ("2005-01-01", "2014-01-01", None):
        assert {s["link"] for s in _sources(client, day)} <= links
    assert len(links) > len({s["link"] for s in _sources(client)})


def test_as_of_is_part_of_the_named_query_through_sparql(builtin_kg: KnowledgeGraph) -> None:
    """The route's filter is the named query's: the same rows through the catalogue."""
    day = catalogue.run(builtin_kg, "supporting-work", {"action_line": "C5", "as_of": "2014-01-01"})
    assert day.rows
    assert all(r["as_of"] == "2014-01-01" for r in day.rows)
    untouched = catalogue.run(builtin_kg, "supporting-work", {"action_line": "C5"})
    assert all("as_of" not in r for r in untouched.rows)


# ------------------------------------------------------------ generated time lines


def _write(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


MEETINGS = (
    "body,place,year,name,start_date,end_date,source_document_symbol,locator,official_url,"
    "mirror_url,date_read,confidence,notes"
)
EVENTS = (
    "body,number,place,year,event,source_document_symbol,locator,official_url,mirror_url,"
    "date_read,confidence,notes"
)


def _meeting(place: str, year: int, name: str, start: str, end: str) -> str:
    return f"WTSA,{place},{year},{name},{start},{end},,,https://www.itu.int/x,,2026-12-05,high,"


def test_a_suppressed_resolution_is_in_force_until_the_meeting_that_suppressed_it(
    kg: KnowledgeGraph, tmp_path: Path
) -> None:
    meetings = _write(
        tmp_path / "assemblies.csv",
        MEETINGS,
        _meeting("Johannesburg", 2008, "WTSA-08", "2008-10-21", "2008-10-30"),
        _meeting("Dubai", 2012, "WTSA-12", "2012-11-20", "2012-11-29"),
        _meeting("Hammamet", 2016, "WTSA-16", "2016-10-25", "2016-11-03"),
    )
    events = _write(
        tmp_path / "resolution_versions.csv",
        EVENTS,
        "WTSA,999,Johannesburg,2008,adopted,Res. 999,,https://www.itu.int/y,,2026-12-05,high,",
        "WTSA,999,Dubai,2012,adopted,Res. 999,,https://www.itu.int/y,,2026-12-05,high,",
        "WTSA,999,Hammamet,2016,suppressed,WTSA-16 list,,https://www.itu.int/y,,2026-12-05,high,",
    )
    kg.load(load_meetings(kg.ids, meetings, events))

    def states(day: str) -> dict[str, str]:
        rows = catalogue.run(
            kg, "resolution-versions", {"body": "WTSA", "number": "999", "as_of": day}
        ).rows
        return {str(r["version"]).rsplit("/", 1)[1]: str(r["state"]) for r in rows}

    assert states("2007-01-01") == {
        "2008-johannesburg": "not yet adopted",
        "2012-dubai": "not yet adopted",
    }
    assert states("2010-01-01") == {
        "2008-johannesburg": "in force",
        "2012-dubai": "not yet adopted",
    }
    assert states("2014-01-01") == {"2008-johannesburg": "superseded", "2012-dubai": "in force"}
    assert states("2017-01-01") == {"2008-johannesburg": "superseded", "2012-dubai": "suppressed"}
    (dubai,) = [
        r
        for r in catalogue.run(
            kg, "resolution-versions", {"body": "WTSA", "number": "999", "as_of": "2017-01-01"}
        ).rows
        if str(r["version"]).endswith("/2012-dubai")
    ]
    assert (dubai["suppressed_at_name"], dubai["in_force_until"]) == ("WTSA-16", "2016-11-03")
    assert (dubai["suppression_document_symbol"], dubai["suppression_confidence"]) == (
        "WTSA-16 list",
        "high",
    )
    assert dubai["suppression_addresses"] == "https://www.itu.int/y"
    assert dubai["suppression_row"] == 3  # the third row of the table


def test_a_meeting_that_ends_before_it_starts_is_named_with_its_row(
    kg: KnowledgeGraph, tmp_path: Path
) -> None:
    meetings = _write(
        tmp_path / "assemblies.csv",
        MEETINGS,
        _meeting("Dubai", 2012, "WTSA-12", "2012-11-29", "2012-11-20"),
    )
    events = _write(tmp_path / "resolution_versions.csv", EVENTS)
    with pytest.raises(TableError) as e:
        load_meetings(kg.ids, meetings, events)
    assert "assemblies.csv" in str(e.value)
    assert "end_date" in str(e.value)
    assert "row" in str(e.value) or "line" in str(e.value)


# ------------------------------------------------------------ the dashboard


def test_the_dashboard_shows_a_resolutions_time_line_as_of_a_day(client: Client) -> None:
    page = client.get("/dashboard/resolutions/WTSA/75", params={"as_of": "2013-01-01"})
    assert page.status_code == 200
    html = page.text
    assert 'data-table="timeline"' in html
    assert "As of 2013-01-01, in force: Rev. Dubai, 2012." in html
    assert f'data-version="{RES75}/2012-dubai" data-state="in force"' in html
    assert f'data-version="{RES75}/2008-johannesburg" data-state="superseded"' in html
    draft = f'data-version="{RES75}/2024-new-delhi/proposed-by/{SEED}"'
    assert f'{draft} data-state="not yet proposed"' in html  # it amends Rev. Geneva, 2022
    assert 'type="date" name="as_of" value="2013-01-01"' in html
    # the Action Lines each version names: C5 for the Geneva 2022 text (stated, curated row)
    geneva = html.split(f'data-version="{RES75}/2022-geneva"')[1].split("</tr>")[0]
    assert ">C5<" in geneva
    now = client.get("/dashboard/resolutions/WTSA/75").text
    assert f"As of {today()}" in now
    assert (
        client.get("/dashboard/resolutions/WTSA/75", params={"as_of": "2013-13-01"}).status_code
        == 422
    )


def test_the_dashboard_action_line_page_takes_a_day(client: Client) -> None:
    then = client.get("/dashboard/action-lines/C5", params={"as_of": "2014-01-01"}).text
    assert "Work in force on 2014-01-01:" in then
    # the group of that day, as itself: not today's successor
    assert "ITU-T SG17 (2013-2016): Security" in then
    assert "ITU-T SG17 (2025-2028)" not in then
    now = client.get("/dashboard/action-lines/C5").text
    assert f"Work in force on {today()} (today)" in now
    assert "in force since 2022-03-09" in now  # Resolution 75 (Rev. Geneva, 2022)


# ------------------------------------------------------------ Recommendations in force


def _recommendations(client: Client, group: str, as_of: str | None = None) -> dict[str, Any]:
    params = {"as_of": as_of} if as_of else {}
    response = client.get(f"/study-groups/{group}/recommendations", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_study_groups_recommendations_in_force_on_a_day(client: Client) -> None:
    """H.810 had six editions; on 1 January 2017 the one of July 2016 was in force (until
    November 2017), under SG16 of the period WTSA-16 had just opened."""
    body = _recommendations(client, "SG16", "2017-01-01")
    assert (body["period"], body["as_of"]) == ("2017-2020", "2017-01-01")
    assert body["study_group"].endswith("/study-group/2017-2020/SG16")
    by_label = {i["label"]: i for i in body["items"]}
    h810 = by_label["ITU-T H.810"]
    assert h810["docid"] == "ITU-T H.810 (07/2016)"
    assert (h810["in_force_from"], h810["in_force_until"]) == ("2016-07-14", "2017-11-29")
    for item in body["items"]:
        assert item["in_force_from"] <= "2017-01-01"
        assert item["in_force_until"] is None or item["in_force_until"] > "2017-01-01"
    assert body["total"] == len(body["items"]) == len(by_label)  # one edition per work


def test_a_merged_groups_recommendations_are_its_successors_today(client: Client) -> None:
    """SG16's e-health Recommendations went to SG21 at WTSA-24: today they are SG21's, with
    the edition SG16 approved."""
    now = _recommendations(client, "SG21")
    h810 = next(i for i in now["items"] if i["label"] == "ITU-T H.810")
    assert h810["docid"] == "ITU-T H.810 (V5) (11/2019)"
    assert h810["approved_by"].endswith("/study-group/2017-2020/SG16")
    assert now["period"] == "2025-2028"
    assert not _recommendations(client, "SG16")["items"]  # no SG16 in 2025-2028
    assert client.get("/study-groups/SG99/recommendations").status_code == 404
    bad = client.get("/study-groups/SG17/recommendations", params={"as_of": "2024-02-30"})
    assert bad.status_code == 422


def test_each_source_says_what_the_data_does_not_know(client: Client) -> None:
    """PP Resolution 130 (Rev. Dubai, 2018) is the latest version the data knows; PP-22 met
    since, and nothing is recorded of it for Resolution 130: the source says so. A UN General
    Assembly resolution is not revised by a later plenary: no such note."""
    sources = _sources(client)
    pp130 = [s for s in sources if s["work"] == "PP Resolution 130"]
    assert pp130
    for s in pp130:
        assert s["in_force_from"] == "2018-11-16"
        assert "PP-22" in (s["in_force_note"] or ""), s
    unga = client.get("/resolutions/UNGA/70-1/versions").json()
    assert [v["note"] for v in unga["versions"]] == [None]
    assert unga["versions"][0]["in_force_from"] == "2015-09-25"


def test_a_study_period_runs_through_the_assembly_that_ends_it(client: Client) -> None:
    """WTSA-24 met 15-24 October 2024 and the period 2025-2028 starts on the 24th
    (study_periods.csv): on the 20th the groups of 2022-2024 still held their work."""
    during = _recommendations(client, "SG17", "2024-10-20")
    assert during["period"] == "2022-2024"
    assert during["total"] > 0
    c2 = client.get(
        "/action-lines/C2/supporting-work", params={"as_of": "2024-10-20", "limit": 1000}
    ).json()
    vias = {s["via"]["iri"] for i in c2["items"] for s in i["sources"]}
    assert any(v.endswith("/study-group/2022-2024/SG15") for v in vias)


def test_an_sdg_target_is_a_gap_until_the_work_that_supports_it_is_in_force(
    builtin_kg: KnowledgeGraph,
) -> None:
    """SDG target 9.a is linked to C2 (the WSIS-SDG Matrix); the stated ITU-T support of C2
    is WTSA Resolution 75 (Rev. Geneva, 2022), in force from 9 March 2022: before that day
    9.a is a gap of stated ITU-T support, from that day it is not."""

    def gaps(as_of: str | None) -> dict[str, str]:
        rows = catalogue.run(
            builtin_kg, "gaps-sdg-targets", {"weakest": "stated", "goal": "9", "as_of": as_of}
        ).rows
        return {str(r["target"]): str(r.get("action_lines") or "") for r in rows}

    before = gaps("2021-06-01")
    assert before.get("9.a") == "C2"
    assert "9.a" not in gaps("2022-03-09")
    assert "9.a" not in gaps(None)  # today
    assert "9.a" not in gaps("any")
    # the targets no stated ITU-T work supports on any day stay gaps every day
    assert {"9.3", "9.4"} <= set(gaps("any")) <= set(before)


def test_a_later_meeting_is_named_only_once_it_has_met(client: Client) -> None:
    """PP Resolution 135 (Rev. Guadalajara, 2010) is the latest version known; PP-14 (Busan,
    ended 7 November 2014) may have revised it, nothing recorded. On 1 January 2014 PP-14 had
    not met: the note must not name it; on 1 January 2015 it must."""

    def notes(as_of: str) -> set[str]:
        return {
            str(s.get("in_force_note") or "")
            for s in _sources(client, as_of)
            if s["work"] == "PP Resolution 135"
        }

    before, after = notes("2014-01-01"), notes("2015-01-01")
    assert before, "PP Resolution 135 supports C5 in 2014"
    assert not any("PP-14" in n for n in before), before
    assert any("PP-14" in n and "nothing recorded" in n for n in after), after
