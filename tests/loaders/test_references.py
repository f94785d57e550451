"""References inside clause texts: types, typed fields and offsets into the original text."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from loaders.references import (
    Reference,
    find_references,
    fold,
    normalise_place,
    parse_meeting,
    split_places,
    split_years,
)
from loaders.resolution_text import ParsedDocument, parse_file

SEED = Path(__file__).parents[2] / "loaders" / "data" / "seeds" / "000_104f64d2c729d048.txt"


@pytest.fixture(scope="module")
def seed() -> ParsedDocument:
    return parse_file(SEED)


def refs(
    text: str,
    kind: str,
    *,
    known_bodies: dict[str, str] | None = None,
    default_body: str | None = None,
) -> list[Reference]:
    scan = find_references(text, known_bodies=known_bodies, default_body=default_body)
    found = scan.references
    for ref in found:
        assert text[ref.start : ref.end] == ref.text
    return [r for r in found if r.type == kind]


# ---- folding and places


def test_fold_is_offset_preserving() -> None:
    text = "ITU\u2011T and CWG\u2011Internet,\u00a0§\u00a068"
    folded = fold(text)
    assert folded.folded == "ITU-T and CWG-Internet, § 68"
    assert folded.span(0, 5) == (0, 5)


def test_fold_maps_offsets_through_nfc() -> None:
    text = "Floriano\u0301polis, 2004; ITU\u2011T"
    folded = fold(text)
    assert folded.folded == "Florianópolis, 2004; ITU-T"
    start = folded.folded.index("ITU-T")
    assert folded.original_of(start, start + 5) == "ITU\u2011T"
    assert folded.original_of(0, 13) == "Floriano\u0301polis"


def test_places_and_years() -> None:
    assert normalise_place("New Delfi").normalised == "New Delhi"
    assert normalise_place("New Delfi").corrected
    assert not normalise_place("Atlantis").known
    assert normalise_place("Atlantis").normalised == "Atlantis"
    assert split_places("GenevaNew Delfi") == (["Geneva", "New Delfi"], True)
    assert split_places("Geneva, New Delfi") == (["Geneva", "New Delfi"], False)
    assert split_places("Sharm el-Sheikh") == (["Sharm el-Sheikh"], False)
    assert split_places("Springfield") == (["Springfield"], False)  # never cut an unknown
    assert split_years("20222024") == [2022, 2024]
    assert split_years("2022") == [2022]
    assert split_years("202") == []
    assert split_years("99999999") == []


def test_merged_revision() -> None:
    revision, notes = parse_meeting("Rev.\u00a0DubaiBucharest, 20182022")
    assert revision is not None
    assert revision.as_written == "Rev. DubaiBucharest, 20182022"
    assert revision.before is not None
    assert revision.before.year == 2018
    assert revision.meeting.place is not None
    assert revision.meeting.place.normalised == "Bucharest"
    assert {n.code for n in notes} == {"merged_place", "merged_year"}
    plain, plain_notes = parse_meeting("Guadalajara, 2010")
    assert plain is not None
    assert not plain.is_revision
    assert not plain.merged
    assert not plain_notes


# ---- resolutions


def test_resolution_of_plenipotentiary() -> None:
    text = (
        "a)\tResolution\u00a0140 (Rev.\u00a0Bucharest, 2022) of the Plenipotentiary Conference, on"
    )
    (ref,) = refs(text, "resolution")
    assert (ref.body, ref.number, ref.body_basis) == ("PP", "140", "explicit")
    assert ref.revision is not None
    assert ref.to_json()["revision"] == {
        "as_written": "Rev. Bucharest, 2022", "is_revision": True, "place": "Bucharest",
        "place_as_written": "Bucharest", "year": 2022,
    }  # fmt: skip
    assert ref.text == "Resolution\u00a0140 (Rev.\u00a0Bucharest, 2022)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Resolution ITU\u2011R\u00a061 (Rev.\u00a0Sharm el-Sheikh, 2019) of the Radio",
         [("RA", "61")]),
        (
            "Resolution 30 (Rev. Buenos Aires, 2017) of the World Telecommunication Development "
            "Conference (WTDC), on",
            [("WTDC", "30")],
        ),
        ("Resolution 1332, first adopted by the ITU Council at its 2011 session",
         [("Council", "1332")]),
        ("in accordance with Council Resolutions 1332 and 1334 of Council 2023;",
         [("Council", "1332"), ("Council", "1334")]),
        ("United Nations General Assembly (UNGA) Resolution 70/1, on", [("UNGA", "70/1")]),
        ("that UNGA, in its Resolution 70/125, decided", [("UNGA", "70/125")]),
        ("based on Resolution 140 and other relevant resolutions of the Plenipotentiary Conference",
         [("PP", "140")]),
        ("Resolutions 1336, 1344 and 1332 apply", [("Council", "1336"), ("Council", "1344"),
                                                   ("Council", "1332")]),
        ("WTSA Resolution 75 and Resolution 2 (Rev. Geneva, 2022) of this Assembly", [
            ("WTSA", "75"), ("WTSA", "2")]),
    ],
)  # fmt: skip
def test_resolution_bodies(text: str, expected: list[tuple[str, str]]) -> None:
    found = refs(text, "resolution", default_body="WTSA")
    assert [(r.body, r.number) for r in found] == expected


def test_list_items_have_their_own_offsets() -> None:
    text = "Council Resolutions\u00a01332 and 1334 of Council 2023"
    first, second = refs(text, "resolution")
    assert first.text == "Resolutions\u00a01332"
    assert second.text == "1334"
    assert second.start == text.index("1334")


def test_bare_resolution_uses_document_knowledge_then_default() -> None:
    (known,) = refs(
        "in accordance with Resolution 140 (Rev. Dubai, 2018) and",
        "resolution",
        known_bodies={"140": "PP"},
        default_body="WTSA",
    )
    assert (known.body, known.body_basis) == ("PP", "document")
    (default,) = refs("see Resolution 44;", "resolution", default_body="WTSA")
    assert (default.body, default.body_basis) == ("WTSA", "document_default")
    (nothing,) = refs("see Resolution 44;", "resolution")
    assert nothing.body is None


def test_merged_revision_in_reference() -> None:
    text = "with Resolution\u00a0140 (Rev. DubaiBucharest, 20182022) and"
    scan = find_references(text, known_bodies={"140": "PP"})
    (ref,) = [r for r in scan.references if r.type == "resolution"]
    assert ref.revision is not None
    assert ref.revision.before is not None
    data = ref.to_json()["revision"]
    assert (data["place"], data["year"]) == ("Bucharest", 2022)
    assert (data["before"]["place"], data["before"]["year"]) == ("Dubai", 2018)
    assert "merged_revision" in {n.code for n in scan.notes}


# ---- paragraphs


def test_tunis_agenda_paragraphs() -> None:
    (sub,) = refs("in accordance with §§\u00a035 a)-e) of the Tunis Agenda for the Information "
                  "Society, as well as", "tunis_agenda_paragraph")  # fmt: skip
    assert sub.paragraphs == ("35",)
    assert sub.subparagraphs == ("a", "b", "c", "d", "e")
    (rng,) = refs("that §§\u00a069 to 71 of the Tunis Agenda called", "tunis_agenda_paragraph")
    assert rng.paragraphs == ("69", "70", "71")
    assert rng.range_text == "69 to 71"
    (one,) = refs("as expressed in §\u00a068 of the Tunis Agenda;", "tunis_agenda_paragraph")
    assert one.paragraphs == ("68",)
    assert one.text == "§\u00a068 of the Tunis Agenda"


def test_unga_paragraphs() -> None:
    text = (
        "UNGA, in Resolution 70/125, called for dialogue, in accordance with § 65 of that "
        "resolution, and § 57 of the outcome document of the 2015 high-level meeting of the "
        "General Assembly on the overall review of the implementation of the WSIS outcomes"
    )
    found = refs(text, "resolution_paragraph")
    assert [(r.body, r.number, r.paragraphs) for r in found] == [
        ("UNGA", "70/125", ("65",)),
        ("UNGA", "70/125", ("57",)),
    ]


def test_geneva_plan_paragraph_names_action_line() -> None:
    (ref,) = refs("as set out in § 12 of the Geneva Plan of Action", "geneva_plan_paragraph")
    assert (ref.paragraphs, ref.code) == (("12",), "C5")


# ---- Action Lines, agenda, SDGs, bodies


def test_action_lines_in_lists_with_roles() -> None:
    text = (
        "as a moderator/facilitator for implementing Action Lines C2 (Information and "
        "communication infrastructure), C5 (Building confidence) and C6 (Enabling environment) "
        "and participating with other stakeholders in the implementation of Action Lines C1, C3, "
        "C4, C7, C8, C9 and C11 and all other relevant action lines"
    )
    found = refs(text, "action_line")
    assert [(r.code, r.role) for r in found] == [
        ("C2", "moderator_facilitator"), ("C5", "moderator_facilitator"),
        ("C6", "moderator_facilitator"), ("C1", "participant"), ("C3", "participant"),
        ("C4", "participant"), ("C7", "participant"), ("C8", "participant"),
        ("C9", "participant"), ("C11", "participant"),
    ]  # fmt: skip
    assert found[0].title == "Information and communication infrastructure"
    assert found[-1].text == "C11"


def test_orphan_title_is_reported_not_invented() -> None:
    scan = find_references("Action Lines C4 (Capacity building), (Enabling environment), C5")
    assert [r.code for r in scan.references] == ["C4", "C5"]
    assert [n.code for n in scan.notes] == ["orphan_action_line_title"]
    assert "(Enabling environment)" in scan.notes[0].message


def test_orphan_and_role_conflict_are_warnings_on_the_items_they_concern() -> None:
    text = (
        "as a moderator/facilitator for implementing Action Lines C2 (Infrastructure), "
        "C4 (Capacity building), (Enabling environment), C5 (Security) and participating "
        "in the implementation of Action Lines C1, C4 and C7"
    )
    found = refs(text, "action_line")
    warned = {(r.code, r.role): [w.code for w in r.warnings] for r in found}
    assert warned[("C4", "moderator_facilitator")] == [
        "action_line_role_conflict", "orphan_action_line_title",
    ]  # fmt: skip
    assert warned[("C4", "participant")] == ["action_line_role_conflict"]
    assert warned[("C5", "moderator_facilitator")] == []  # the orphan follows C4, not C5
    assert warned[("C2", "moderator_facilitator")] == []
    assert found[1].to_json()["warnings"][1]["message"].endswith("it follows C4")


@pytest.mark.parametrize(
    ("cue", "role"),
    [
        ("ITU as lead facilitator of", "lead_facilitator"),
        ("UNESCO as co-facilitator of", "co_facilitator"),
        ("ITU as moderator/facilitator of", "moderator_facilitator"),
        ("ITU as facilitator of", "facilitator"),
        ("ITU as a partner in", "partner"),
        ("ITU participating in", "participant"),
        ("ITU's work on", None),
    ],
)
def test_the_role_is_the_cue_nearest_before_the_list(cue: str, role: str | None) -> None:
    (found,) = refs(f"{cue} Action Line C5", "action_line")
    assert found.role == role


def test_a_merged_revision_is_a_warning_on_its_reference() -> None:
    (ref,) = refs("Resolution 140 (Rev. DubaiBucharest, 20182022)", "resolution")
    assert [w.code for w in ref.warnings] == ["merged_revision"]
    (plain,) = refs("Resolution 140 (Rev. Bucharest, 2022)", "resolution")
    assert plain.warnings == ()


def test_meetings_of_conferences_and_forums() -> None:
    text = (
        "endorsed by the Plenipotentiary Conference (Busan, 2014); the opinions of the World "
        "Telecommunication/ICT Policy Forum (Geneva, 2021); the decisions of WTDC-17; "
        "Resolution 30 (Rev. Buenos Aires, 2017) of the World Telecommunication Development "
        "Conference (WTDC)"
    )
    found = refs(text, "meeting")
    got = [(r.body, r.code, r.meeting.place.normalised if r.meeting and r.meeting.place
            else None, r.meeting.year if r.meeting else None) for r in found]  # fmt: skip
    assert got == [
        ("PP", "PP-14", "Busan", 2014),
        ("WTPF", "WTPF-21", "Geneva", 2021),
        ("WTDC", "WTDC-17", None, 2017),
    ]  # "(WTDC)" after a resolution names the body, not a meeting
    assert found[0].to_json()["meeting"] == {
        "place": "Busan", "place_as_written": "Busan", "year": 2014,
    }  # fmt: skip
    assert [r.number for r in refs(text, "resolution")] == ["30"]


def test_wsis_plus_10_outcome_documents() -> None:
    text = (
        "the WSIS+10 Statement on the implementation of WSIS outcomes and WSIS+10 vision for "
        "WSIS beyond 2015, and the WSIS vision beyond 2015"
    )
    found = refs(text, "wsis_document")
    assert [(r.code, r.text) for r in found] == [
        ("WSIS+10 Statement", "WSIS+10 Statement on the implementation of WSIS outcomes"),
        ("WSIS+10 Vision", "WSIS+10 vision for WSIS beyond 2015"),
    ]  # "the WSIS vision beyond 2015" names no document


def test_action_lines_without_codes_are_not_references() -> None:
    assert (
        refs("in implementing all relevant Action Lines and other WSIS outcomes", "action_line")
        == []
    )
    assert refs("Action Line C12 and C0", "action_line") == []


def test_agenda_and_sdgs() -> None:
    text = (
        "the 2030 Agenda for Sustainable Development, the Connect 2030 Agenda, the SDGs, "
        "Goal 9, SDG 17 and targets 9.c and 17.8, and the Sustainable Development Goals (SDGs)"
    )
    assert [r.text for r in refs(text, "agenda_2030")] == [
        "2030 Agenda for Sustainable Development"
    ]
    assert [r.code for r in refs(text, "sdg_goal")] == [None, "9", "17", None]
    assert [r.code for r in refs(text, "sdg_target")] == ["9.c", "17.8"]


def test_bodies() -> None:
    text = (
        "the Council Working Group on WSIS and the Sustainable Development Goals (SDGs) "
        "(CWG\u2011WSIS&SDG), CWG\u2011Internet, TSAG, the Telecommunication Standardization "
        "Advisory Group, TSB, the Telecommunication Standardization Bureau, SG17, Study Group 17 "
        "and the relevant ITU\u2011T study groups"
    )
    found = refs(text, "body")
    assert [r.code for r in found] == [
        "CWG-WSIS&SDG", "CWG-WSIS&SDG", "CWG-Internet", "TSAG", "TSAG", "TSB", "TSB", "SG17",
        "SG17", "ITU-T study groups",
    ]  # fmt: skip
    assert refs(text, "sdg_goal") == []  # inside the Working Group's name
    assert found[1].text == "CWG\u2011WSIS&SDG"


# ---- the seed, end to end


def test_seed_resolution_references(seed: ParsedDocument) -> None:
    found = {(r.reference.body, r.reference.number) for r in seed.references
             if r.reference.type == "resolution"}  # fmt: skip
    expected = {("PP", n) for n in ("140", "71", "101", "102", "130", "131", "133", "139", "178",
                                   "200")}  # fmt: skip
    expected |= {("WTDC", "30"), ("RA", "61"), ("UNGA", "70/1"), ("UNGA", "70/125")}
    expected |= {("Council", n) for n in ("1332", "1334", "1336", "1344")}
    assert found == expected


def test_seed_pp140_revisions(seed: ParsedDocument) -> None:
    revisions: defaultdict[str, set[str]] = defaultdict(set)
    for r in seed.references:
        ref = r.reference
        if ref.type == "resolution" and ref.number == "140" and ref.revision:
            revisions[r.clause_eid].add(ref.revision.as_written)
    assert revisions == {
        "considering__a": {"Rev. Bucharest, 2022"},
        "considering__b__list_1__viii": {"Rev. Dubai, 2018"},
        "considering-further__c": {"Rev. Dubai, 2018"},
        "instructs__3": {"Rev. DubaiBucharest, 20182022"},
    }
    years = {(r.reference.revision.meeting.year if r.reference.revision else None)
             for r in seed.references if r.reference.number == "140"}  # fmt: skip
    assert years == {2022, 2018, None}
    bare = [r for r in seed.references if r.clause_eid == "resolves__2"
            and r.reference.type == "resolution"]  # fmt: skip
    assert [(r.reference.body, r.reference.body_basis) for r in bare] == [("PP", "context")]


def test_seed_action_lines(seed: ParsedDocument) -> None:
    lines = [(r.clause_eid, r.clause_label, r.reference.code, r.reference.role)
             for r in seed.references if r.reference.type == "action_line"]  # fmt: skip
    assert {eid for eid, *_ in lines} == {"recognising__a"}
    assert {label for _, label, *_ in lines} == {"a)"}
    moderator = [code for *_, code, role in lines if role == "moderator_facilitator"]
    participant = [code for *_, code, role in lines if role == "participant"]
    assert moderator == ["C2", "C4", "C5", "C6"]
    assert participant == ["C1", "C3", "C4", "C7", "C8", "C9", "C11"]
    assert ("recognising__a", "a)", "C5", "moderator_facilitator") in lines


def test_seed_meetings_and_wsis_documents(seed: ParsedDocument) -> None:
    found = [(r.clause_eid, r.reference.type, r.reference.code) for r in seed.references
             if r.reference.type in ("meeting", "wsis_document")]  # fmt: skip
    assert found == [
        ("considering__before_d", "wsis_document", "WSIS+10 Statement"),
        ("considering__before_d", "wsis_document", "WSIS+10 Vision"),
        ("considering__before_d", "meeting", "PP-14"),
        ("considering__c", "meeting", "WTPF-21"),
        ("taking-into-account__c", "meeting", "WTDC-17"),
    ]


def test_seed_c4_as_moderator_carries_the_debris_warnings(seed: ParsedDocument) -> None:
    warned = {(r.reference.code, r.reference.role): [w.code for w in r.reference.warnings]
              for r in seed.references if r.reference.type == "action_line"}  # fmt: skip
    assert warned[("C4", "moderator_facilitator")] == [
        "action_line_role_conflict", "orphan_action_line_title",
    ]  # fmt: skip
    assert warned[("C4", "participant")] == ["action_line_role_conflict"]
    assert [k for k, v in warned.items() if v] == [
        ("C4", "moderator_facilitator"), ("C4", "participant"),
    ]  # fmt: skip


def test_seed_paragraphs_and_sdgs(seed: ParsedDocument) -> None:
    tunis = [(r.clause_eid, r.reference.paragraphs) for r in seed.references
             if r.reference.type == "tunis_agenda_paragraph"]  # fmt: skip
    assert tunis == [
        ("recognising__c", ("35",)),
        ("recognizing-further__a", ("68",)),
        ("recognizing-further__e", ("69",)),
        ("recognizing-further__f", ("70",)),
        ("recognizing-further__g", ("69", "70", "71")),
        ("recognizing-further__h", ("69", "70", "71")),
    ]
    unga = [(r.clause_eid, r.reference.paragraphs) for r in seed.references
            if r.reference.type == "resolution_paragraph"]  # fmt: skip
    assert unga == [("recognising__c", ("57",)), ("recognizing-further__h", ("65",))]
    types = {r.reference.type for r in seed.references}
    assert {"agenda_2030", "sdg_goal", "body"} <= types
    bodies = {r.reference.code for r in seed.references if r.reference.type == "body"}
    assert {"CWG-WSIS&SDG", "CWG-Internet", "TSAG", "TSB", "ITU-T study groups"} <= bodies
