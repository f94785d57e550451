"""The plain-text parser, read against the seed (a flattened tracked-changes contribution)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from loaders.errors import DocumentError
from loaders.resolution_text import ParsedDocument, decode_bytes, parse_file, parse_text

SEED = Path(__file__).parents[2] / "loaders" / "data" / "seeds" / "000_104f64d2c729d048.txt"

EXPECTED_SECTIONS = [
    ("consideringrecalling", "preambular", 7),
    ("recognising", "preambular", 3),
    ("considering further", "preambular", 5),
    ("recognizing", "preambular", 2),
    ("recognizing further", "preambular", 8),
    ("taking into account", "preambular", 4),
    ("noting", "preambular", 4),
    ("noting further", "preambular", 1),
    ("resolves", "operative", 4),
    ("instructs the Director of the Telecommunication Standardization Bureau", "operative", 7),
    ("invites Member States, Sector Members, Associates and Academia", "operative", 3),
    ("invites Member States", "operative", 1),
    ("invites all stakeholders", "operative", 2),
]


@pytest.fixture(scope="module")
def seed() -> ParsedDocument:
    return parse_file(SEED)


def test_thirteen_sections_in_order_with_clause_counts(seed: ParsedDocument) -> None:
    got = [(s.heading, s.kind, len(s.clauses)) for s in seed.sections]
    assert got == EXPECTED_SECTIONS


def test_merged_heading_gives_both_readings(seed: ParsedDocument) -> None:
    first = seed.sections[0]
    assert (first.heading_old, first.heading_new) == ("considering", "recalling")
    assert first.keyword == "recalling"
    assert first.eid == "considering"
    assert all(s.heading_old is None for s in seed.sections[1:])


def test_addressees(seed: ParsedDocument) -> None:
    assert [s.addressee for s in seed.sections[9:]] == [
        "the Director of the Telecommunication Standardization Bureau",
        "Member States, Sector Members, Associates and Academia",
        "Member States",
        "all stakeholders",
    ]
    assert [s.keyword for s in seed.sections[8:]] == [
        "resolves", "instructs", "invites", "invites", "invites",
    ]  # fmt: skip


def test_document_metadata(seed: ParsedDocument) -> None:
    doc = seed.to_json()["document"]
    assert doc["kind"] == "contribution"
    assert doc["proposing_administration"] == "Russian Federation"
    assert doc["action"] == "MOD"
    assert doc["body"] == "WTSA"
    assert doc["number"] == "75"
    assert doc["abstract"].startswith("This contribution contains preliminary proposals")
    assert doc["title"].startswith("The ITU Telecommunication Standardization Sector's")
    assert "[bookmark" not in doc["title"]
    revisions = doc["revisions"]
    assert revisions["as_written"] == "Rev. Geneva, New Delfi, 20222024"
    assert revisions["in_force"]["place"]["normalised"] == "Geneva"
    assert revisions["in_force"]["year"] == 2022
    assert revisions["proposed"]["place"] == {
        "as_written": "New Delfi", "normalised": "New Delhi", "known": True,
    }  # fmt: skip
    assert revisions["proposed"]["year"] == 2024
    history = [(m["place"]["normalised"], m["year"]) for m in doc["history"]]
    assert history == [
        ("Johannesburg", 2008), ("Dubai", 2012), ("Hammamet", 2016),
        ("Geneva", 2022), ("New Delhi", 2024),
    ]  # fmt: skip
    assembly = doc["assembly"]
    assert assembly["body"] == "WTSA"
    assert assembly["in_force"]["place"]["normalised"] == "Geneva"
    assert assembly["proposed"]["place"]["as_written"] == "New Delfi"


def test_considering_recalling_both_readings(seed: ParsedDocument) -> None:
    clauses = seed.sections[0].clauses
    got = [(c.label_as_written, c.label, c.old_label, c.reading) for c in clauses]
    assert got == [
        ("a)", None, "a)", "before"),
        ("b)", None, "b)", "before"),
        ("c)", None, "c)", "before"),
        ("d)", None, "d)", "before"),
        ("a)", "a)", None, "after"),
        ("eb)", "b)", "e)", "both"),
        ("fc)", "c)", "f)", "both"),
    ]
    assert [c.eid for c in clauses] == [
        "considering__before_a", "considering__before_b", "considering__before_c",
        "considering__before_d", "considering__a", "considering__b", "considering__c",
    ]  # fmt: skip
    assert clauses[4].text.startswith("Resolution\u00a0140 (Rev.\u00a0Bucharest, 2022)")


def test_nested_list_under_eb(seed: ParsedDocument) -> None:
    parent = seed.sections[0].clauses[5]
    assert parent.text.rstrip().endswith(";:")
    labels = [c.old_label for c in parent.children]
    assert labels == ["i)", "ii)", "iii)", "iv)", "v)", "vi)", "vii)", "viii)", "ix)", "x)"]
    assert parent.children[0].eid == "considering__b__list_1__i"
    assert parent.children[-1].eid == "considering__b__list_1__x"
    assert [c.order for c in parent.children] == list(range(1, 11))
    assert seed.sections[0].clauses[6].label_as_written == "fc)"  # back out of the list


def test_the_pp_list_under_eb_is_likely_deleted_with_its_cues(seed: ParsedDocument) -> None:
    """The list i)-x) was introduced by "adopted by the Plenipotentiary Conference:", which
    the proposal deletes (";:" ends eb)), and the inserted a) cites Res. 140 (Rev. Bucharest,
    2022) where viii) cites Res. 140 (Rev. Dubai, 2018): the list is the before reading."""
    parent = seed.sections[0].clauses[5]
    assert parent.inferred_change is None  # eb) itself stays: modified, not deleted
    for item in parent.children:
        assert (item.label, item.reading) == (None, "before")
        change = item.inferred_change
        assert change is not None
        assert (change.status, change.likelihood) == ("deleted", "likely")
        assert "';:'" in change.cues[0]
        assert "eb)" in change.cues[0]
        assert "Rev. Bucharest, 2022" in change.cues[1]
        assert "Rev. Dubai, 2018" in change.cues[1]
        assert "viii)" in change.cues[1]
    (warning,) = [w for w in seed.warnings if w.code == "likely_deleted_list"]
    assert warning.place == "consideringrecalling eb)"
    assert "i)-x)" in warning.message
    per_clause = [w.clause for w in seed.warnings if w.code == "likely_deleted"]
    assert per_clause == [c.eid for c in parent.children]
    # nothing else in the seed is read as likely deleted
    others = [c.eid for c in seed.clauses() if c.inferred_change and c not in parent.children]
    assert others == []


LIST_TEXT = """RESOLUTION 9 (Rev. Dubai, 2012)
Title
considering
a)\tthe first point;
b)\tthe resolutions of the Plenipotentiary Conference;:
i)\tResolution 71 (Rev. Dubai, 2018) of the Plenipotentiary Conference;
ii)\tResolution 140 (Rev. Dubai, 2018) of the Plenipotentiary Conference;
c)\tthe last point,
resolves
1\tto act
"""


def test_a_list_in_one_reading_without_a_superseding_citation_stays_undecided() -> None:
    parsed = parse_text(LIST_TEXT)
    items = parsed.sections[0].clauses[1].children
    assert [(c.label, c.reading, c.inferred_change) for c in items] == [
        ("i)", "both", None), ("ii)", "both", None),
    ]  # fmt: skip
    (warning,) = [w for w in parsed.warnings if w.code == "list_in_one_reading"]
    assert warning.place == "considering b)"
    assert "which one, the text does not show" in warning.message


def test_an_inserted_clause_citing_a_later_revision_decides_the_list() -> None:
    text = (
        LIST_TEXT.replace(
            "a)\tthe first point;",
            "a)\tResolution 140 (Rev. Bucharest, 2022) of the Plenipotentiary Conference;\n"
            "ab)\tthe first point;",
        )
        .replace("b)\tthe resolutions", "bc)\tthe resolutions")
        .replace("c)\tthe last", "cd)\tthe last")
    )
    parsed = parse_text(text)
    clauses = parsed.sections[0].clauses
    assert [(c.label_as_written, c.reading) for c in clauses] == [
        ("a)", "after"), ("ab)", "both"), ("bc)", "both"), ("cd)", "both"),
    ]  # fmt: skip
    items = clauses[2].children
    assert [(c.old_label, c.reading) for c in items] == [("i)", "before"), ("ii)", "before")]
    assert all(c.inferred_change and c.inferred_change.status == "deleted" for c in items)
    assert [w.code for w in parsed.warnings if w.code == "list_in_one_reading"] == []


def test_merged_labels_elsewhere(seed: ParsedDocument) -> None:
    def pairs(index: int) -> list[tuple[str | None, str | None, str]]:
        return [(c.label, c.old_label, c.reading) for c in seed.sections[index].clauses]

    assert pairs(1) == [("a)", None, "both"), ("b)", None, "both"), ("c)", None, "both")]
    assert pairs(2) == [
        ("a)", None, "after"), ("b)", "a)", "both"), ("c)", "b)", "both"),
        ("d)", "c)", "both"), ("e)", "d)", "both"),
    ]  # fmt: skip
    assert pairs(9) == [
        ("1", None, "both"), ("2", None, "after"), ("3", "2", "both"), ("4", "3", "both"),
        ("5", "4", "both"), ("6", "5", "both"), ("7", "6", "both"),
    ]  # fmt: skip
    assert seed.sections[9].clauses[2].eid == "instructs__3"
    assert seed.sections[1].clauses[0].eid == "recognising__a"


def test_recognising_a_to_c_moved_from_considering_g_to_i(seed: ParsedDocument) -> None:
    """ "recognising" is a new heading: ga), hb), ic) were considering g)-i) before the change
    (considering had a)-f)), so they moved across sections; no relabel within one section."""
    recognising = seed.sections[1]
    got = [(c.label, c.old_label, c.moved_from and c.moved_from.to_json())
           for c in recognising.clauses]  # fmt: skip
    assert got == [
        ("a)", None, {"section": "considering", "heading": "considering", "label": "g)"}),
        ("b)", None, {"section": "considering", "heading": "considering", "label": "h)"}),
        ("c)", None, {"section": "considering", "heading": "considering", "label": "i)"}),
    ]
    moved = [(w.place, w.clause) for w in seed.warnings if w.code == "moved_across_sections"]
    assert moved == [
        ("recognising ga)", "recognising__a"),
        ("recognising hb)", "recognising__b"),
        ("recognising ic)", "recognising__c"),
    ]
    others = [c.eid for c in seed.clauses() if c.moved_from and not c.eid.startswith("recog")]
    assert others == []  # "considering further" ab), bc) ... restart at a): relabels


MOVE_TEXT = """RESOLUTION 9 (Rev. Dubai, 2012)
Title
considering
a)\tone;
b)\ttwo;
noting
ca)\tthree;
db)\tfour,
resolves
1\tto act
"""


def test_a_section_whose_old_labels_continue_the_previous_one_was_moved_into() -> None:
    parsed = parse_text(MOVE_TEXT)
    noting = parsed.sections[1]
    got = [(c.label, c.moved_from and (c.moved_from.section, c.moved_from.label))
           for c in noting.clauses]  # fmt: skip
    assert got == [("a)", ("considering", "c)")), ("b)", ("considering", "d)"))]
    # a section that starts again at a) moved nothing
    fresh = parse_text(MOVE_TEXT.replace("ca)", "a)").replace("db)", "b)"))
    assert all(c.moved_from is None for c in fresh.sections[1].clauses)


def test_unlabelled_paragraphs(seed: ParsedDocument) -> None:
    noting_further = seed.sections[7].clauses[0]
    assert noting_further.label is None
    assert noting_further.eid == "noting-further__1"
    assert noting_further.text.startswith("that the ITU Secretary-General created")
    member_states = seed.sections[11].clauses[0]
    assert member_states.label is None
    assert member_states.eid == "invites-member-states__1"


def test_footnote(seed: ParsedDocument) -> None:
    clause = seed.sections[4].clauses[3]
    assert clause.label == "d)"
    assert len(clause.footnotes) == 1
    note = clause.footnotes[0]
    assert (note.id, note.marker) == ("2", "1")
    assert note.text.startswith("These include the least developed countries")
    assert "[footnoteRef" not in clause.plain_text
    assert "These include" not in clause.plain_text
    assert "[footnoteRef:2]1" in clause.text


def test_eids_unique_and_stable(seed: ParsedDocument) -> None:
    eids = [c.eid for c in seed.clauses()]
    assert len(eids) == len(set(eids)) == 61
    again = parse_file(SEED)
    assert [c.eid for c in again.clauses()] == eids
    assert json.dumps(again.to_json(), sort_keys=True) == json.dumps(seed.to_json(), sort_keys=True)


def test_json_is_serialisable_and_complete(seed: ParsedDocument) -> None:
    data = json.loads(json.dumps(seed.to_json()))
    assert set(data) == {"source", "document", "sections", "references", "warnings", "footnotes"}
    clause = data["sections"][0]["clauses"][5]
    for key in ("eid", "label", "old_label", "text", "order", "children", "footnotes", "mentions"):
        assert key in clause
    assert data["footnotes"][0]["id"] == "2"


def _warnings(seed: ParsedDocument, code: str) -> list[str]:
    return [w.place for w in seed.warnings if w.code == code]


def test_warning_for_every_merged_token(seed: ParsedDocument) -> None:
    merged_labels = _warnings(seed, "merged_label")
    assert len(merged_labels) == 14
    assert "consideringrecalling eb)" in merged_labels
    assert any(p.endswith(" 23") for p in merged_labels)
    assert _warnings(seed, "merged_heading") == ["line 17"]
    assert len(_warnings(seed, "merged_year")) == 3  # title, assembly, instructs 3
    assert len(_warnings(seed, "merged_place")) == 3
    assert len(_warnings(seed, "merged_revision")) == 1
    assert len(_warnings(seed, "place_spelling")) == 3
    assert _warnings(seed, "orphan_action_line_title") == ["recognising ga)"]
    assert _warnings(seed, "action_line_role_conflict") == ["recognising ga)"]
    assert len(_warnings(seed, "inferred_reading")) == 7
    assert _warnings(seed, "artifact_dropped") == ["line 96"]
    assert "resolves 3" in _warnings(seed, "doubled_punctuation")
    assert all(w.place and w.message for w in seed.warnings)


def test_reference_offsets_index_clause_text(seed: ParsedDocument) -> None:
    clauses = {c.eid: c for c in seed.clauses()}
    assert len(seed.references) > 60
    for ref in seed.references:
        text = clauses[ref.clause_eid].text
        assert text[ref.reference.start : ref.reference.end] == ref.reference.text


# ---- encodings and line endings


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
    ],
)
def test_encodings_and_crlf(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    text = SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "seed.txt"
    path.write_bytes(prefix + text.encode(encoding))
    doc = parse_file(path)
    assert [(s.heading, len(s.clauses)) for s in doc.sections] == [
        (h, n) for h, _, n in EXPECTED_SECTIONS
    ]
    assert "\r" not in doc.text


def test_cp1252_fallback(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("\u2011", "-")  # U+2011 has no cp1252 byte; NBSP, § and U+2019 do
    path = tmp_path / "seed.txt"
    path.write_bytes(text.encode("cp1252"))
    assert decode_bytes(path.read_bytes(), "x") == text
    assert len(parse_file(path).sections) == 13


def test_decomposed_text_keeps_original_offsets() -> None:
    text = (
        "RESOLUTION 2 (Rev. Floriano\u0301polis, 2004)\n"
        "Title\n"
        "resolves\n"
        "1\tthat Resolution\u00a044 (Rev. Floriano\u0301polis, 2004) and "
        "Action\u00a0Line C5 apply\n"
    )
    doc = parse_text(text, "nfd")
    clause = doc.sections[0].clauses[0]
    # the text is NFC from the start (docs/reliability.md, section 6): the offsets index it
    assert unicodedata.is_normalized("NFC", clause.text)
    assert "Florianópolis" in clause.text
    kinds = {m.type: m for m in clause.mentions}
    res = kinds["resolution"]
    assert clause.text[res.start : res.end] == res.text
    assert res.revision is not None
    assert res.revision.meeting.place is not None
    assert res.revision.meeting.place.normalised == "Florianópolis"
    assert kinds["action_line"].code == "C5"
    assert clause.text[kinds["action_line"].start : kinds["action_line"].end] == "C5"
    assert doc.header.in_force is not None


# ---- other kinds of resolution (nothing seed-specific in the parser)

PP_TEXT = """RESOLUTION 140 (REV. BUCHAREST, 2022)
ITU's role in implementing the outcomes of the World Summit on the Information Society
(Antalya, 2006; Guadalajara, 2010; Busan, 2014; Dubai, 2018; Bucharest, 2022)
The Plenipotentiary Conference of the International Telecommunication Union (Bucharest, 2022),
recalling
a)\tResolution 71 (Rev. Bucharest, 2022) of this Conference;
b)\tResolution 30 (Rev. Kigali, 2022) of WTDC,
resolves
1\tthat ITU shall continue as facilitator of Action Lines C2, C5 and C6;
2\tto support SDG target 9.c and Goal 17,
instructs the Secretary-General
to report to the Council,
"""


def test_pp_resolution() -> None:
    doc = parse_text(PP_TEXT, "pp140")
    header = doc.to_json()["document"]
    assert (header["kind"], header["body"], header["number"]) == ("resolution", "PP", "140")
    assert header["revisions"]["in_force"]["place"]["normalised"] == "Bucharest"
    assert header["revisions"]["proposed"] is None
    assert len(header["history"]) == 5
    assert [s.keyword for s in doc.sections] == ["recalling", "resolves", "instructs"]
    refs = [r.reference for r in doc.references if r.reference.type == "resolution"]
    assert [(r.body, r.number) for r in refs] == [("PP", "71"), ("WTDC", "30")]
    codes = [(r.reference.code, r.reference.role) for r in doc.references
             if r.reference.type == "action_line"]  # fmt: skip
    assert codes == [(c, "facilitator") for c in ("C2", "C5", "C6")]  # "as facilitator of"
    sdg = {(r.reference.type, r.reference.code) for r in doc.references}
    assert {("sdg_target", "9.c"), ("sdg_goal", "17")} <= sdg
    assert doc.sections[2].clauses[0].eid == "instructs__1"
    assert not [w for w in doc.warnings if w.code.startswith("merged")]


def test_radiocommunication_assembly_prefix() -> None:
    text = "RESOLUTION ITU-R 61-1\nTitle\nThe Radiocommunication Assembly,\nconsidering\na)\tx;\n"
    doc = parse_text(text, "ra")
    assert (doc.header.body, doc.header.number) == ("RA", "61-1")


def test_add_action_proposes_only() -> None:
    text = "ADD\tRESOLUTION [RUS-1] (New Delhi, 2024)\nNew title\nresolves\n1\tto do;\n"
    doc = parse_text(text, "add")
    assert doc.header.action == "ADD"
    assert doc.header.in_force is None
    assert doc.header.proposed is not None
    assert doc.header.proposed.year == 2024


# ---- bad input


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty document"),
        ("   \n\t\n", "empty document"),
        ("abc\x00def", "binary content"),
        ("\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 3, "binary content"),
        (
            "The weather was mild this spring.\nWe walked by the river and talked about books.\n",
            "no resolution structure found",
        ),
    ],
)
def test_bad_text(text: str, problem: str) -> None:
    with pytest.raises(DocumentError, match=problem) as info:
        parse_text(text, "input.txt")
    assert info.value.source == "input.txt"


def test_bad_files(tmp_path: Path) -> None:
    cases = {
        "empty.txt": (b"", "empty file"),
        "nul.txt": (b"RESOLUTION 1\x00\x00\x00\xff\xfe\xfa", "binary content"),
        "zip.txt": (b"PK\x03\x04rest", "zip archive"),
        "bad16.txt": (b"\xff\xfe\x00", "invalid utf-16-le"),
    }
    for name, (data, problem) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(DocumentError, match=problem) as info:
            parse_file(path)
        assert name in str(info.value)
    with pytest.raises(DocumentError, match="cannot read file"):
        parse_file(tmp_path / "missing.txt")


def test_size_limit(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="larger than the limit of 1000 bytes"):
        parse_file(SEED, max_bytes=1000)
    with pytest.raises(DocumentError, match="longer than the limit"):
        parse_text("x" * 50, "big", max_chars=10)
