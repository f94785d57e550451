"""The format registry and the shapes of real copies: one resolution, many forms, one parse.

The same resolution is written as the canonical text and in each shape an analyst's copy
takes (a bulleted web copy, a pdftotext extraction with running heads, one line, CRLF,
Windows-1252, UTF-16 with and without a BOM, a header split over lines, an HTML page with and
without written labels); each must parse to the same header, sections, clause labels and
clause texts, with a note saying what was undone. Volumes give one document per resolution;
file names in any script give a stable identifier. Real files, a real store on disk.
"""

from __future__ import annotations

import contextlib
import json
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from graph.files import load_file
from graph.store import KnowledgeGraph
from loaders.documents import document_key, parse_document
from loaders.errors import DocumentError, LoadError
from loaders.formats import FORMATS, accepted, read_model
from tests.canary import canary_server
from tests.conftest import run_cli

A_CLAUSE = (
    "a)\tResolution 140 (Rev. Bucharest, 2022) of the Plenipotentiary Conference, on the role "
    "of ITU in implementing the outcomes of WSIS;"
)
B_CLAUSE = (
    "b)\tthat Action Line C5 of the Geneva Plan of Action concerns confidence and security "
    "in the use of ICTs;"
)
CANON = f"""RESOLUTION 58 (Rev. Geneva, 2022)

Strengthening the relationship between ITU-T and regional telecommunication organizations

(Florianópolis, 2004; Johannesburg, 2008; Dubai, 2012; Geneva, 2022)

The World Telecommunication Standardization Assembly (Geneva, 2022),

recognizing

{A_CLAUSE}

{B_CLAUSE}

bearing in mind

that the study groups work on standards for developing countries,

resolves

1\tto encourage study groups to contribute to Action Line C2;

2\tto continue the work on security in line with § 12 of the Geneva Plan of Action,

instructs the Director of the Telecommunication Standardization Bureau

1\tto report annually to the Council;

2\tto coordinate with the Directors of the other Bureaux:
i)\ton capacity building;
ii)\ton regional workshops,

invites Member States

to participate actively.
"""
LABEL = re.compile(r"^([a-z]+\)|\d+)\t(.*)$")


def projection(parsed: Any) -> tuple[Any, ...]:
    """What an analyst checks: header, sections in order, the clause tree with its texts, the
    references the clauses make."""
    data = parsed.to_json() if not isinstance(parsed, dict) else parsed
    head = data["document"]

    def clause(c: dict[str, Any]) -> tuple[Any, ...]:
        return (c["label"], " ".join(c["plain_text"].split()), tuple(map(clause, c["children"])))

    sections = tuple(
        (s["keyword"], s["kind"], s["addressee"], tuple(map(clause, s["clauses"])))
        for s in data["sections"]
    )
    refs = tuple(
        sorted((r["type"], str(r.get("code") or r.get("number") or "")) for r in data["references"])
    )
    revisions = head["revisions"]
    return (
        head["body"],
        head["number"],
        head["title"],
        json.dumps(revisions["in_force"], sort_keys=True),
        sections,
        refs,
    )


def codes(parsed: Any) -> list[str]:
    return [w.code for w in parsed.warnings]


def bulleted(text: str) -> str:
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        m = LABEL.match(line)
        out.append(f"    • {m.group(1)}{m.group(2)}" if m else f"  • {line}")
    return "\n".join(out) + "\n"


def pdftotext(text: str, head: str = "WTSA-24 \u2013 Resolution 58") -> str:
    body: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            body.append("")
            continue
        m = LABEL.match(line)
        if m:
            body.append(m.group(1))
            body.extend(textwrap.wrap(m.group(2), 60))
        else:
            body.extend(textwrap.wrap(line, 60))
    joined = "\n".join(body).replace(
        "telecommunication organizations", "tele-\ncommunication organizations"
    )
    lines = joined.split("\n")
    pages = []
    for n, i in enumerate(range(0, len(lines), 25), start=1):
        top = f"{head}\n\n" if n > 1 else ""
        pages.append(top + "\n".join(lines[i : i + 25]) + f"\n\n- {n} -\n")
    return "\f".join(pages)


def one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.split("\n") if line.strip()) + "\n"


def html_page(text: str, *, written_labels: bool, hostile: str = "") -> str:
    parts = ["<!DOCTYPE html><html><head><title>Res 58</title>", hostile, "</head><body>"]
    lines = [line for line in text.split("\n") if line.strip()]
    in_list = False
    for line in lines:
        m = LABEL.match(line)
        if m and not written_labels and m.group(1).endswith(")"):
            kind = "i" if m.group(1) in ("i)", "ii)") else "a"
            if not in_list:
                parts.append(f'<ol type="{kind}">')
                in_list = True
            parts.append(f"<li>{m.group(2)}</li>")
            continue
        if in_list:
            parts.append("</ol>")
            in_list = False
        if m:
            parts.append(f"<p>{m.group(1)}&nbsp;&nbsp;{m.group(2)}</p>")
        elif line.startswith(("RESOLUTION", "recognizing", "bearing", "resolves", "instructs")):
            parts.append(f"<h3>{line}</h3>")
        else:
            parts.append(f"<p>{line.replace('&', '&amp;')}</p>")
    if in_list:
        parts.append("</ol>")
    parts.append("</body></html>")
    return "\n".join(parts)


@contextlib.contextmanager
def opened(path: Path | None) -> Iterator[KnowledgeGraph]:
    """A real store on disk (or in memory for a dry run), closed after use."""
    kg = KnowledgeGraph.open(path) if path is not None else KnowledgeGraph.in_memory()
    try:
        yield kg
    finally:
        kg.close()


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


SHAPES: dict[str, tuple[str, Any, str | None]] = {
    # name: (file name, content, the note that says what was undone)
    "crlf": ("crlf.txt", CANON.replace("\n", "\r\n").encode(), None),
    "cp1252": ("cp1252.txt", CANON.encode("cp1252"), "encoding"),
    "utf16-bom": ("utf16.txt", CANON.encode("utf-16"), None),
    "utf16-no-bom": ("utf16le.txt", CANON.encode("utf-16-le"), "encoding"),
    "bulleted": ("bulleted.txt", bulleted(CANON), "bullets_removed"),
    "pdftotext": ("extracted.txt", pdftotext(CANON), "running_heads_removed"),
    "one-line": ("oneline.txt", one_line(CANON), "one_line_split"),
    "split-header": (
        "split.txt",
        CANON.replace(
            "RESOLUTION 58 (Rev. Geneva, 2022)\n\nStrengthening the relationship between ITU-T "
            "and regional telecommunication organizations\n",
            "RESOLUTION 58\n\nStrengthening the relationship between ITU-T and regional "
            "telecommunication organizations\n\n(Rev. Geneva, 2022)\n",
        ),
        "split_header",
    ),
    "html-written-labels": ("page.html", html_page(CANON, written_labels=True), None),
    "html-list-labels": ("lists.htm", html_page(CANON, written_labels=False), None),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_shape_of_a_resolution_parses_like_its_canonical_text(
    tmp_path: Path, shape: str
) -> None:
    canonical = parse_document(write(tmp_path, "canon.txt", CANON))
    assert codes(canonical) == []
    name, content, note = SHAPES[shape]
    parsed = parse_document(write(tmp_path, name, content))
    assert projection(parsed) == projection(canonical)
    if note is not None:
        assert note in codes(parsed), codes(parsed)
    # no doubt about any clause came with the shape
    assert not {"inferred_reading", "truncated", "missing_heading"} & set(codes(parsed))


def test_the_pdftotext_shape_keeps_its_pages_and_says_what_it_removed(tmp_path: Path) -> None:
    model = read_model(write(tmp_path, "extracted.txt", pdftotext(CANON)))
    assert "WTSA-24" not in model.text
    assert "- 2 -" not in model.text
    assert "telecommunication organizations" in model.text
    assert len(model.page_starts) == 3
    where = model.text.index("invites Member States")
    assert model.page_at(where) == 3
    notes = {n.code for n in model.notes}
    assert {"page_numbers_removed", "running_heads_removed", "hyphenation_joined"} <= notes


def test_first_adoptions_gt_plen_numbers_and_a_missing_first_heading(tmp_path: Path) -> None:
    first = CANON.replace("RESOLUTION 58 (Rev. Geneva, 2022)", "RESOLUTION 99 (Geneva, 2022)")
    parsed = parse_document(write(tmp_path, "first.txt", first)).to_json()["document"]
    assert parsed["number"] == "99"
    assert parsed["revisions"]["in_force"]["year"] == 2022
    assert parsed["revisions"]["in_force"]["place"]["normalised"] == "Geneva"

    draft = CANON.replace("RESOLUTION 58 (Rev. Geneva, 2022)", "DRAFT NEW RESOLUTION GT-PLEN/6")
    header = parse_document(write(tmp_path, "draft.txt", draft)).to_json()["document"]
    assert header["number"] == "GT-PLEN/6"
    assert header["body"] == "WTSA"

    headless = parse_document(write(tmp_path, "headless.txt", CANON.replace("recognizing\n", "")))
    first_section = headless.sections[0]
    assert first_section.kind == "preambular"
    assert first_section.keyword == "preamble"
    assert [c.label for c in first_section.clauses] == ["a)", "b)"]
    assert "missing_heading" in codes(headless)


def test_headings_in_other_spellings_and_casings(tmp_path: Path) -> None:
    text = (
        CANON.replace("recognizing\n", "RECOGNISING\n")
        .replace("bearing in mind\n", "noting with satisfaction\n")
        .replace("resolves\n", "decides\n")
    )
    parsed = parse_document(write(tmp_path, "variants.txt", text))
    assert [s.keyword for s in parsed.sections][:3] == [
        "recognising",
        "noting with satisfaction",
        "decides",
    ]
    assert [s.kind for s in parsed.sections][:3] == ["preambular", "preambular", "operative"]


def test_a_text_cut_off_mid_clause_loads_with_a_truncated_warning(tmp_path: Path) -> None:
    cut = CANON[: CANON.index("to continue the work") + len("to continue t")]
    parsed = parse_document(write(tmp_path, "cut.txt", cut))
    assert "truncated" in codes(parsed)
    warning = next(w for w in parsed.warnings if w.code == "truncated")
    assert "to continue t" in warning.message
    assert warning.clause == "resolves__2"


# --------------------------------------------------------------------------- the registry


def test_the_accepted_formats_come_from_the_registry() -> None:
    names = [f.name for f in FORMATS]
    assert names == ["docx", "pdf", "html", "text"]
    for suffix in (".txt", ".docx", ".pdf", ".html", ".htm"):
        assert suffix in accepted()
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert accepted() in readme  # the README lists what the registry reads


def test_formats_are_found_by_content_not_only_by_suffix(tmp_path: Path) -> None:
    page = write(tmp_path, "saved.txt", html_page(CANON, written_labels=True))
    model = read_model(page)
    assert model.format == "html"
    assert model.notes[0].code == "format_by_content"
    assert projection(parse_document(page)) == projection(
        parse_document(write(tmp_path, "c.txt", CANON))
    )
    # without a suffix, through the loader a user runs
    bare = write(tmp_path, "resolution58", html_page(CANON, written_labels=True))
    with opened(None) as kg:
        loaded = load_file(kg, bare, dry_run=True)
    assert loaded.parse is not None
    assert loaded.parse["document"]["number"] == "58"
    odd = write(tmp_path, "notes.odt", b"PK\x03\x04 not a word file")
    with (
        pytest.raises(LoadError, match=r"notes\.odt: cannot load \.odt files.*\.pdf"),
        opened(None) as kg,
    ):
        load_file(kg, odd, dry_run=True)


# --------------------------------------------------------------------------- HTML safety


def test_html_scripts_forms_and_remote_resources_are_never_run_or_fetched(
    tmp_path: Path,
) -> None:
    with canary_server() as canary:
        hostile = (
            f'<script src="{canary.url}/s.js">document.write("INJECTED")</script>'
            f'<link rel="stylesheet" href="{canary.url}/c.css"><style>p{{color:red}}</style>'
        )
        page = html_page(CANON, written_labels=True, hostile=hostile).replace(
            "<body>",
            f'<body><img src="{canary.url}/i.png"><iframe src="{canary.url}/f"></iframe>'
            f'<form action="{canary.url}/f"><input name="q" value="FORMVALUE"></form>'
            "<script>SCRIPTTEXT()</script>",
        )
        path = write(tmp_path, "hostile.html", page)
        parsed = parse_document(path)
        canary.assert_untouched("an HTML page's resources")
    text = json.dumps(parsed.to_json())
    for leaked in ("INJECTED", "SCRIPTTEXT", "FORMVALUE", "color:red"):
        assert leaked not in text
    assert projection(parsed) == projection(parse_document(write(tmp_path, "c.txt", CANON)))
    assert "html_content_dropped" in codes(parsed)


@pytest.mark.parametrize(
    "page",
    [
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<html><body><p>&x;</p></body></html>",
        '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        "<html><body><p>&b;</p></body></html>",
    ],
    ids=["external-entity", "entity-expansion"],
)
def test_html_declaring_entities_is_refused_in_one_line(tmp_path: Path, page: str) -> None:
    path = write(tmp_path, "entities.html", page)
    with pytest.raises(DocumentError) as caught:
        parse_document(path, "entities.html")
    message = str(caught.value)
    assert message.startswith("entities.html: ")
    assert "entit" in message
    assert "\n" not in message


def test_an_html_page_without_a_resolution_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, "news.html", "<html><body><p>ITU news of the day.</p></body></html>")
    with pytest.raises(DocumentError, match=r"news\.html: no resolution structure found"):
        parse_document(path, "news.html")


# --------------------------------------------------------------------------- volumes


def volume_text() -> str:
    second = CANON.replace("RESOLUTION 58 (Rev. Geneva, 2022)", "RESOLUTION 75 (Rev. Geneva, 2022)")
    third = CANON.replace("RESOLUTION 58 (Rev. Geneva, 2022)", "RESOLUTION 76 (Rev. Geneva, 2022)")
    contents = (
        "FINAL ACTS OF THE ASSEMBLY\n\nContents\n\n"
        "RESOLUTION 58 - Strengthening the relationship ........ 3\n"
        "RESOLUTION 75 - WSIS ........ 5\nRESOLUTION 76 - Conformance ........ 7\n"
    )
    return "\f".join([contents, CANON, second, third])


def test_a_volume_gives_one_document_per_resolution_with_its_pages(tmp_path: Path) -> None:
    path = write(tmp_path, "final-acts.txt", volume_text())
    with opened(tmp_path / "store") as kg:
        before = len(kg)
        loaded = load_file(kg, path)
        assert len(loaded.records) == 3
        graphs = {r.graph for r in loaded.records}
        assert len(graphs) == 3
        rows = list(
            kg.select(
                """PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>
                PREFIX dcterms: <http://purl.org/dc/terms/>
                SELECT ?g ?doc ?pages ?file WHERE { GRAPH ?g {
                  ?doc dcterms:isPartOf ?volume ; wsis:locator ?pages .
                  ?volume a wsis:Volume ; wsis:fileName ?file } } ORDER BY ?pages"""
            )
        )
        assert [(r["pages"].value, r["file"].value) for r in rows] == [
            ("page 2", "final-acts.txt"),
            ("page 3", "final-acts.txt"),
            ("page 4", "final-acts.txt"),
        ]
        assert len({r["g"] for r in rows}) == 3
        pages = {
            r["loc"].value: int(r["p"].value)
            for r in kg.select(
                """PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>
                PREFIX prov: <http://www.w3.org/ns/prov#>
                SELECT ?loc ?p WHERE { ?s wsis:eId "invites" ; wsis:sourcePage ?p ;
                  prov:wasDerivedFrom ?doc . ?doc wsis:locator ?loc }"""
            )
        }
        assert pages == {"page 2": 2, "page 3": 3, "page 4": 4}
        assert len(kg) > before


def test_a_volume_dry_run_json_lists_each_resolution(tmp_path: Path) -> None:
    path = write(tmp_path, "final-acts.txt", volume_text())
    result = run_cli("load", str(path), "--dry-run", "--json", store=tmp_path / "s", check=True)
    data = json.loads(result.stdout)
    assert data["volume"] == {"file": "final-acts.txt", "resolutions": 3}
    numbers = [d["document"]["number"] for d in data["documents"]]
    assert numbers == ["58", "75", "76"]
    parts = [d["part"] for d in data["documents"]]
    assert [p["document"] for p in parts] == [
        "final-acts-WTSA-58",
        "final-acts-WTSA-75",
        "final-acts-WTSA-76",
    ]
    assert [p["first_page"] for p in parts] == [2, 3, 4]
    assert all(
        d["sections"][0]["page"] == p["first_page"]
        for d, p in zip(data["documents"], parts, strict=True)
    )
    assert "front_matter_skipped" in {w["code"] for w in data["documents"][0]["warnings"]}


def test_a_volume_with_a_bad_part_stores_nothing(tmp_path: Path) -> None:
    # the third resolution names no body the loader knows: the whole file fails
    text = volume_text()
    third = text.rindex("RESOLUTION 76")
    broken = text[:third] + text[third:].replace(
        "The World Telecommunication Standardization Assembly (Geneva, 2022),",
        "The Assembly of Nowhere (Geneva, 2022),",
    )
    path = write(tmp_path, "acts.txt", broken)
    with opened(tmp_path / "store") as kg:
        kg.load_ontology()
        before = (len(kg), kg.current_release())
        with pytest.raises(LoadError) as caught:
            load_file(kg, path)
        assert str(caught.value).startswith("acts.txt, resolution 3 of 3 (from line ")
        assert (len(kg), kg.current_release()) == before


# --------------------------------------------------------------------------- file names


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("res75.txt", "res75"),
        ("résolution 75.txt", "resolution-75-"),
        ("قرار 75.txt", "75-"),
        ("резолюция 75.txt", "75-"),
        ("第75号决议.txt", "75-"),
    ],
)
def test_file_names_in_any_script_load_with_a_stable_identifier(
    tmp_path: Path, name: str, key: str
) -> None:
    derived = document_key(name)
    assert derived.startswith(key)
    assert derived.isascii()
    assert document_key(name) == derived  # stable
    assert (
        len({document_key(n) for n in ("قرار 75.txt", "резолюция 75.txt", "第75号决议.txt")}) == 3
    )
    path = write(tmp_path, name, CANON)
    with opened(tmp_path / "store") as kg:
        load_file(kg, path)
        rows = list(
            kg.select(
                "PREFIX wsis: <https://w3id.org/wsis-kg/ontology#> "
                "SELECT ?doc ?file WHERE { ?doc a wsis:Document ; wsis:fileName ?file }"
            )
        )
    assert [(r["doc"].value.rsplit("/", 1)[1], r["file"].value) for r in rows] == [(derived, name)]
    assert isinstance(rows[0]["doc"], ox.NamedNode)


# --------------------------------------------------------------------------- limits


def test_the_readers_limits_are_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("dejavu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("dejavu", size=10)
    for line in CANON.split("\n"):
        if line.strip():
            pdf.add_page()  # one line a page: a 20-page PDF
            pdf.multi_cell(0, 5, line.replace("\t", "  "))
    path = tmp_path / "res58.pdf"
    path.write_bytes(bytes(pdf.output()))
    assert run_cli("load", str(path), "--dry-run", store=tmp_path / "s").returncode == 0
    monkeypatch.setenv("WSISKG_READ_MAX_PAGES", "5")
    refused = run_cli("load", str(path), "--dry-run", store=tmp_path / "s")
    assert refused.returncode != 0
    assert "res58.pdf" in refused.stderr
    assert "over the limit of 5" in refused.stderr or "limit of 5" in refused.stderr
    monkeypatch.setenv("WSISKG_READ_MAX_PAGES", "5000")
    monkeypatch.setenv("WSISKG_READ_MAX_CHARS", "1024")
    too_long = run_cli("load", str(write(tmp_path, "long.txt", CANON * 3)), store=tmp_path / "s")
    assert too_long.returncode != 0
    assert "long.txt" in too_long.stderr
    assert "1024 characters" in too_long.stderr
