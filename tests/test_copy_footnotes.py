"""Footnotes of copies: web pages (links, ``<sup>``, Word's HTML) and plain-text copies
(bulleted, pdftotext, one line) keep their notes as clause footnotes, not as text.

Each case writes a real file under tmp_path and parses it with
:func:`loaders.documents.parse_document`: the call becomes a footnote of its clause, the note
leaves the clause text, and what looks like a call but is not ("G.729", "5G", "SG17", "C5",
"10<sup>6</sup>", "1<sup>st</sup>") stays text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from loaders.documents import parse_document
from loaders.formats import read_model
from loaders.formats.footnotes import text_footnotes
from loaders.formats.model import TextModel

NOTE = "The least developed countries among them most of all."
HEAD = [
    "RESOLUTION 44 (Rev. Geneva, 2022)",
    "Narrowing the gap in standardization between developing and developed countries",
    "(Florianópolis, 2004; Johannesburg, 2008; Dubai, 2012; Geneva, 2022)",
    "The World Telecommunication Standardization Assembly (Geneva, 2022),",
]


def _clauses(doc: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def walk(clauses: list[dict[str, Any]]) -> None:
        for c in clauses:
            out.append(c)
            walk(c["children"])

    for s in doc["sections"]:
        walk(s["clauses"])
    return out


def _parse(tmp_path: Path, name: str, content: str | bytes) -> dict[str, Any]:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return parse_document(path, name).to_json()


def _notes(doc: dict[str, Any]) -> dict[str, list[str]]:
    """clause plain text → the texts of its footnotes, for clauses with footnotes."""
    return {
        c["plain_text"]: [f["text"] for f in c["footnotes"]]
        for c in _clauses(doc)
        if c["footnotes"]
    }


def _texts(doc: dict[str, Any]) -> list[str]:
    return [c["plain_text"] for c in _clauses(doc)]


def _found(doc: dict[str, Any]) -> list[str]:
    return [w["message"] for w in doc["warnings"] if w["code"] == "footnotes_found"]


# --------------------------------------------------------------------------- HTML


def _page(body: str) -> str:
    head = "".join(f"<p>{line}</p>\n" for line in HEAD)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>R</title></head><body>\n'
        f"{head}{body}\n</body></html>\n"
    )


CLAUSES_HTML = """<p><i>bearing in mind</i></p>
<p>a)\tthat the Geneva Plan of Action calls for capacity building in every region;</p>
<p>b)\tthat many developing countries take little part in study groups{call};</p>
<p><i>resolves</i></p>
<p>1\tto keep the programme for bridging the standardization gap{call2},</p>
"""

HTML_FORMS = {
    # the stress corpus: <sup><a href="#fn1">, <div class="footnotes"><p id="fn1">
    "sup_link": (
        '<sup><a href="#fn1" id="fr1">1</a></sup>',
        '<sup><a href="#fn2" id="fr2">2</a></sup>',
        '<hr><div class="footnotes">\n<p id="fn1"><sup>1</sup> ' + NOTE + "</p>\n"
        '<p id="fn2"><sup>2</sup> Voluntary contributions included.</p>\n</div>',
    ),
    # pandoc: <a class="footnote-ref"><sup>1</sup></a>, <section class="footnotes"><ol><li>
    "pandoc": (
        '<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a>',
        '<a href="#fn2" class="footnote-ref" id="fnref2" role="doc-noteref"><sup>2</sup></a>',
        '<section id="footnotes" class="footnotes footnotes-end-of-document" '
        'role="doc-endnotes">\n<hr />\n<ol>\n<li id="fn1"><p>' + NOTE + '<a href="#fnref1" '
        'class="footnote-back" role="doc-backlink">\u21a9\ufe0e</a></p></li>\n'
        '<li id="fn2"><p>Voluntary contributions included.<a href="#fnref2" '
        'class="footnote-back" role="doc-backlink">\u21a9\ufe0e</a></p></li>\n</ol>\n</section>',
    ),
    # a bare <sup>1</sup>, notes in a div.footnotes without ids
    "bare_sup_div": (
        "<sup>1</sup>",
        "<sup>2</sup>",
        '<div class="footnotes"><p><sup>1</sup> '
        + NOTE
        + "</p><p>2. Voluntary contributions included.</p></div>",
    ),
    # a bare <sup>1</sup>, notes an <ol> after a rule at the end of the page
    "bare_sup_ol": (
        "<sup>1</sup>",
        "<sup>2</sup>",
        "<hr>\n<ol><li>" + NOTE + "</li><li>Voluntary contributions included.</li></ol>",
    ),
    # Word's "Save as web page"
    "word": (
        '<a style="mso-footnote-id:ftn1" href="#_ftn1" name="_ftnref1" title=""><span '
        'class="MsoFootnoteReference"><span style="mso-special-character:footnote">'
        '<![if !supportFootnotes]><span class="MsoFootnoteReference">[1]</span><![endif]>'
        "</span></span></a>",
        '<a style="mso-footnote-id:ftn2" href="#_ftn2" name="_ftnref2" title=""><span '
        'class="MsoFootnoteReference">[2]</span></a>',
        '<div style="mso-element:footnote-list"><![if !supportFootnotes]><br clear="all">'
        '<hr align="left" size="1" width="33%"><![endif]>\n'
        '<div style="mso-element:footnote" id="ftn1"><p class="MsoFootnoteText">'
        '<a style="mso-footnote-id:ftn1" href="#_ftnref1" name="_ftn1" title=""><span '
        'class="MsoFootnoteReference"><span style="mso-special-character:footnote">'
        '<![if !supportFootnotes]><span class="MsoFootnoteReference">[1]</span><![endif]>'
        "</span></span></a> " + NOTE + "</p></div>\n"
        '<div style="mso-element:footnote" id="ftn2"><p class="MsoFootnoteText">'
        '<a href="#_ftnref2" name="_ftn2" title="">[2]</a> Voluntary contributions '
        "included.</p></div></div>",
    ),
}


@pytest.mark.parametrize("form", sorted(HTML_FORMS))
def test_html_footnote_calls_and_notes(tmp_path: Path, form: str) -> None:
    call, call2, notes = HTML_FORMS[form]
    page = _page(CLAUSES_HTML.format(call=call, call2=call2) + notes)
    doc = _parse(tmp_path, f"r44-{form}.html", page)
    assert _notes(doc) == {
        "that many developing countries take little part in study groups;": [NOTE],
        "to keep the programme for bridging the standardization gap,": [
            "Voluntary contributions included."
        ],
    }
    # the notes are not clause text, and no clause is left over from them
    assert len(_clauses(doc)) == 3
    assert all("Voluntary" not in t and "least developed" not in t for t in _texts(doc))
    assert [f["id"] for f in doc["footnotes"]] == ["1", "2"]
    assert len(_found(doc)) == 2


def test_html_sup_that_is_not_a_call_stays_text(tmp_path: Path) -> None:
    body = (
        "<p><i>considering</i></p>\n"
        "<p>a)\tthat 10<sup>1</sup> devices and 10<sup>6</sup> users are expected;</p>\n"
        "<p>b)\tthat the 1<sup>st</sup> meeting took place in 2<sup>nd</sup> quarter;</p>\n"
        '<p>c)\tthat see <a href="#annex1">1</a> and groups<sup>3</sup> differ;</p>\n'
        "<p>d)\tthat study groups<sup>1</sup> matter;</p>\n"
        '<p id="annex1">Annex 1</p>\n'
        '<hr><div class="footnotes"><p id="fn1"><sup>1</sup> ' + NOTE + "</p></div>"
    )
    doc = _parse(tmp_path, "powers.html", _page(body))
    texts = _texts(doc)
    assert texts[0] == "that 101 devices and 106 users are expected;"
    assert texts[1] == "that the 1st meeting took place in 2nd quarter;"
    assert texts[2] == "that see 1 and groups3 differ;"  # no note 3, not a note link
    assert _notes(doc) == {"that study groups matter;": [NOTE]}


def test_html_without_footnotes_is_unchanged(tmp_path: Path) -> None:
    body = "<p><i>considering</i></p>\n<p>a)\tthat groups<sup>1</sup> work;</p>"
    model = read_model(_write(tmp_path, "plain.html", _page(body)))
    assert model.footnotes == {}
    assert "groups1 work" in model.text
    assert not [n for n in model.notes if n.code == "footnotes_found"]


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- plain text


BODY = [
    "bearing in mind",
    "a)\tthat the Geneva Plan of Action calls for capacity building in every region;",
    "b)\tthat many developing countries take little part in study groups1;",
    "resolves",
    "1\tto keep the programme for bridging the standardization gap2,",
]
WANT = {
    "that many developing countries take little part in study groups;": [NOTE],
    "to keep the programme for bridging the standardization gap,": [
        "Voluntary contributions included."
    ],
}


def test_bulleted_copy_with_notes_after_a_separator(tmp_path: Path) -> None:
    lines = [
        *HEAD,
        "  • bearing in mind",
        "    • a)that the Geneva Plan of Action calls for capacity building in every region;",
        "    • b)that many developing countries take little part in study groups1;",
        "  • resolves",
        "    • 1to keep the programme for bridging the standardization gap2,",
        "",
        "_______________",
        f"1\t{NOTE}",
        "2\tVoluntary contributions included.",
    ]
    doc = _parse(tmp_path, "bulleted.txt", "\n".join(lines) + "\n")
    assert _notes(doc) == WANT
    assert len(_clauses(doc)) == 3
    assert not [w for w in doc["warnings"] if w["code"] == "trailing_content"]
    found = _found(doc)
    assert len(found) == 2
    assert "called at 'groups1'" in found[0]


def test_dashed_separator_and_wrapped_notes(tmp_path: Path) -> None:
    lines = [
        *HEAD,
        *BODY,
        "",
        "----------",
        "1 The least developed countries among them",
        "most of all.",
        "",
        "2 Voluntary contributions",
        "included.",
    ]
    doc = _parse(tmp_path, "dashed.txt", "\n".join(lines) + "\n")
    assert _notes(doc) == WANT


def test_pdftotext_notes_at_a_page_bottom_do_not_end_the_parse(tmp_path: Path) -> None:
    page1 = [
        *HEAD,
        "bearing in mind",
        "a)",
        "that the Geneva Plan of Action calls for capacity building in every region;",
        "b)",
        "that many developing countries take little part in study groups1;",
        "",
        "_______________",
        "1 The least developed countries among them",
        "most of all.",
        "",
        "- 1 -",
        "",
    ]
    page2 = [
        "resolves",
        "1",
        "to keep the programme for bridging the standardization gap2,",
        "2",
        "to report to the next assembly.",
        "",
        "_______________",
        "2 Voluntary contributions included.",
        "",
        "- 2 -",
        "",
    ]
    text = "\n".join(page1) + "\f" + "\n".join(page2)
    doc = _parse(tmp_path, "extracted.txt", text)
    assert _notes(doc) == WANT
    assert "to report to the next assembly." in _texts(doc)  # page 2 is read
    assert not [w for w in doc["warnings"] if w["code"] == "trailing_content"]


def test_notes_at_the_end_without_a_separator(tmp_path: Path) -> None:
    lines = [*HEAD, *BODY, f"1\t{NOTE}", "2\tVoluntary contributions included."]
    doc = _parse(tmp_path, "end.txt", "\n".join(lines) + "\n")
    assert _notes(doc) == WANT
    assert len(_clauses(doc)) == 3


def test_one_line_copy(tmp_path: Path) -> None:
    text = " ".join(
        [
            *HEAD,
            "bearing in mind a) that the Geneva Plan of Action calls for capacity building in",
            "every region; b) that many developing countries take little part in study",
            "groups1; resolves 1 to keep the programme for bridging the standardization gap2,",
            "2 to report to the next assembly.",
            f"1 {NOTE} 2 Voluntary contributions included.",
        ]
    )
    doc = _parse(tmp_path, "oneline.txt", text + "\n")
    assert _notes(doc) == WANT
    assert _texts(doc)[-1] == "to report to the next assembly."


# --------------------------------------------------------------------------- false positives


def test_numbers_glued_to_codes_stay_text(tmp_path: Path) -> None:
    lines = [
        *HEAD,
        "considering",
        "a)\tRecommendations ITU-T G.729, H.264 and Y.3172 on 5G, and IMT-2020;",
        "b)\tthat SG17 and SG5 lead Action Lines C5, C2 and C3, with SDG target 9.c;",
        "c)\tResolution 140 (Rev. Dubai, 2018) and UNGA resolution 70/125 for 2030;",
        "d)\tthat many developing countries take little part in study groups1;",
        "e)\tthat they use x1 and version2 and groups4 systems,",
        "",
        "_______________",
        *(f"{n}\tNote number {n}." for n in range(1, 6)),
    ]
    doc = _parse(tmp_path, "codes.txt", "\n".join(lines) + "\n")
    texts = _texts(doc)
    assert texts[:3] == [
        "Recommendations ITU-T G.729, H.264 and Y.3172 on 5G, and IMT-2020;",
        "that SG17 and SG5 lead Action Lines C5, C2 and C3, with SDG target 9.c;",
        "Resolution 140 (Rev. Dubai, 2018) and UNGA resolution 70/125 for 2030;",
    ]
    # "version2" and "groups4" are calls of defined notes; "x1" is one letter
    assert texts[4] == "that they use x1 and version and groups systems,"
    assert _notes(doc)["that many developing countries take little part in study groups;"] == [
        "Note number 1."
    ]
    assert len(_found(doc)) == 5
    assert [f["id"] for f in doc["footnotes"]] == ["1", "2", "3", "4", "5"]


def test_without_notes_a_glued_number_stays(tmp_path: Path) -> None:
    lines = [*HEAD, *BODY]
    doc = _parse(tmp_path, "nonotes.txt", "\n".join(lines) + "\n")
    assert "that many developing countries take little part in study groups1;" in _texts(doc)
    assert not _found(doc)
    assert doc["footnotes"] == []


def test_a_numbered_clause_at_the_end_is_no_note(tmp_path: Path) -> None:
    # capitalised numbered lines at the end, but nothing in the text calls them
    lines = [
        *HEAD,
        "resolves",
        "1\tTo keep the programme for the 2030 Agenda;",
        "2\tTo report to Council2024 and the next assembly.",
    ]
    doc = _parse(tmp_path, "numbered.txt", "\n".join(lines) + "\n")
    assert [c["label"] for c in _clauses(doc)] == ["1", "2"]
    assert not _found(doc)


def test_a_separator_without_notes_is_left_alone() -> None:
    text = "\n".join([*HEAD, *BODY, "", "_______________", "Reasons: none."]) + "\n"
    model = TextModel("x.txt", "text", text)
    assert text_footnotes(model) is model


def test_text_with_footnote_markup_is_left_alone() -> None:
    text = "\n".join([*HEAD, "considering", f"a)\tthat groups[footnoteRef:1]1;[1: 1\t{NOTE}]"])
    model = TextModel("x.txt", "text", text + "\n")
    assert text_footnotes(model) is model


def test_docx_models_and_pdf_notes_found_by_the_reader_are_not_touched() -> None:
    from loaders.formats.shapes import normalise_shape

    text = "\n".join([*HEAD, *BODY, "_______________", f"1\t{NOTE}"]) + "\n"
    assert normalise_shape(TextModel("x", "docx", text)).footnotes == {}
    # the PDF reader found the notes by their font: nothing more is read from the text
    found = {"7": "A note the reader found."}
    assert normalise_shape(TextModel("x", "pdf", text, footnotes=found)).footnotes == found
    # a PDF whose notes the reader could not tell: read as in copied text
    assert normalise_shape(TextModel("x", "pdf", text)).footnotes == {"1": NOTE}
    assert normalise_shape(TextModel("x", "text", text)).footnotes == {"1": NOTE}


def test_html_links_and_containers_that_are_not_notes(tmp_path: Path) -> None:
    body = (
        '<div class="notes"><p><i>resolves</i></p>\n'
        '<p>1\tto keep the programme<sup><a href="#part2">2</a></sup>;</p>\n'
        "<p>2\tto report to the next assembly.</p></div>\n"
        '<div id="part2"><h3>Part 2</h3><p>Some text.</p></div>'
    )
    doc = _parse(tmp_path, "notnotes.html", _page(body))
    assert [(c["label"], c["plain_text"]) for c in _clauses(doc)] == [
        ("1", "to keep the programme2;"),
        ("2", "to report to the next assembly. Part 2 Some text."),  # the part stays text
    ]
    assert doc["footnotes"] == []
