# ruff: noqa: RUF001 - the odd characters are the point
"""Unicode at every door (loaders/unicode.py, ontology/ids.py; docs/reliability.md section 6):
text is stored in NFC; a lone surrogate (or what XML cannot carry) is refused with the file and
line; an identifier with a bidi or zero-width character is refused with its place; and every
export format writes, readably, whatever the store accepted."""

from __future__ import annotations

import asyncio
import io
import secrets
import unicodedata
import warnings
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib

from api.app import create_app
from graph.files import load_file, prepare
from graph.settings import Settings
from graph.store import EXPORT_FORMATS, QUAD_FORMATS, KnowledgeGraph
from loaders.errors import DocumentError, LoadError, TableError
from loaders.resolution_text import decode_bytes, parse_text
from loaders.tables import SEEDS, data_path, table_path
from loaders.unicode import check_update, clean_tree
from ontology import WSIS
from ontology.ids import IdentifierError, Ids, check_identifier, segment, slug

SEED = data_path(SEEDS["seed-wtsa-res75-rus"])
CLAUSE_LINE = "on transforming our world"
ACCENTED = "on transforming our world (Côte d’Ivoire, São Tomé and Príncipe, Ελλάδα, Việt Nam)"
RLO, ZWSP = "\u202e", "\u200b"


def _seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


def _clause_texts(kg_or_triples: list[ox.Triple]) -> set[str]:
    return {t.object.value for t in kg_or_triples if t.predicate == WSIS.text}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------------- NFC


def test_a_resolution_text_in_nfd_loads_as_nfc(tmp_path: Path) -> None:
    text = "\n".join(_seed_lines()).replace(CLAUSE_LINE, ACCENTED, 1)
    assert ACCENTED in text
    nfc_file = _write(tmp_path / "res75-nfc.txt", unicodedata.normalize("NFC", text).encode())
    nfd_file = _write(tmp_path / "res75-nfd.txt", unicodedata.normalize("NFD", text).encode())
    assert nfd_file.read_bytes() != nfc_file.read_bytes()
    ids = Ids()
    nfc_result, _ = prepare(nfc_file, ids)
    nfd_result, nfd_parse = prepare(nfd_file, ids)
    expected = _clause_texts(nfc_result.triples)
    assert any(ACCENTED in t for t in expected)
    assert _clause_texts(nfd_result.triples) == expected
    for triple in nfd_result.triples:
        if isinstance(triple.object, ox.Literal):
            assert unicodedata.is_normalized("NFC", triple.object.value), triple
    # the offsets of what a clause names index the stored (NFC) text
    assert nfd_parse is not None
    for section in nfd_parse["sections"]:
        for clause in section["clauses"]:
            for mention in clause["mentions"]:
                assert clause["text"][mention["start"] : mention["end"]] == mention["text"]


def test_a_table_in_nfd_loads_as_nfc(tmp_path: Path) -> None:
    rows = table_path("action-lines").read_text(encoding="utf-8").splitlines(keepends=True)
    assert rows[2].startswith("C2,")
    rows[2] = rows[2].replace("Information and", "Informatión and", 1)
    path = _write(
        tmp_path / "action_lines.csv", unicodedata.normalize("NFD", "".join(rows)).encode()
    )
    result, _ = prepare(path, Ids())
    values = [t.object.value for t in result.triples if isinstance(t.object, ox.Literal)]
    assert any("Informatión" in v for v in values)
    assert all(unicodedata.is_normalized("NFC", v) for v in values)


def test_rdf_string_literals_are_stored_in_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Côte d’Ivoire")
    turtle = (
        f'<https://example.org/a> <https://example.org/p> "{nfd}" , "{nfd}"@fr , '
        f'"{nfd}"^^<https://example.org/opaque> .\n'
    )
    result, _ = prepare(_write(tmp_path / "nfd.ttl", turtle.encode()), Ids())
    values = {(t.object.value, t.object.language) for t in result.triples}  # type: ignore[union-attr]
    assert ("Côte d’Ivoire", None) in values
    assert ("Côte d’Ivoire", "fr") in values
    assert (nfd, None) in values  # a datatype of its own: its lexical form is kept as written


# ---------------------------------------------------------------------- lone surrogates


def test_a_text_with_an_encoded_lone_surrogate_names_file_and_line(tmp_path: Path) -> None:
    lines = [line.encode() for line in _seed_lines()]
    lines[2] += b" \xed\xa0\x80"  # U+D800 "encoded" in UTF-8: not UTF-8, and not cp1252 text
    path = _write(tmp_path / "surrogate.txt", b"\n".join(lines))
    with pytest.raises(DocumentError) as raised:
        prepare(path, Ids())
    message = str(raised.value)
    assert "surrogate.txt" in message
    assert "line 3" in message
    assert "U+D800" in message


def test_utf16_with_a_lone_surrogate_names_the_line() -> None:
    data = b"\xff\xfe" + "RESOLUTION 1\nsecond line \ud800\n".encode("utf-16-le", "surrogatepass")
    with pytest.raises(DocumentError) as raised:
        decode_bytes(data, "sixteen.txt")
    assert "sixteen.txt" in str(raised.value)
    assert "line 2" in str(raised.value)


def test_a_string_with_a_lone_surrogate_or_a_control_is_refused_with_its_line() -> None:
    text = "\n".join(_seed_lines()[:20])
    for bad, name in (("\ud800", "U+D800"), ("\x01", "U+0001"), ("\uffff", "U+FFFF")):
        lines = text.split("\n")
        lines[6] = lines[6][:4] + bad + lines[6][4:]
        with pytest.raises(DocumentError) as raised:
            parse_text("\n".join(lines), "given.txt")
        assert raised.value.source == "given.txt"
        assert raised.value.place == "line 7, column 5"
        assert name in str(raised.value)


def test_a_table_with_a_lone_surrogate_names_file_and_line(tmp_path: Path) -> None:
    data = table_path("action-lines").read_bytes().split(b"\n")
    assert data[2].startswith(b"C2,")
    data[2] = data[2].replace(b"Information", b"Infor\xed\xb0\x80mation", 1)
    path = _write(tmp_path / "action_lines.csv", b"\n".join(data))
    with pytest.raises(TableError) as raised:
        prepare(path, Ids())
    message = str(raised.value)
    assert message.startswith("action_lines.csv")
    assert "line 3" in message
    assert "U+DC00" in message
    # any other undecodable byte names its line too
    data[2] = data[2].replace(b"Infor\xed\xb0\x80mation", b"Infor\xffmation")
    path.write_bytes(b"\n".join(data))
    with pytest.raises(TableError, match="line 3"):
        prepare(path, Ids())


def test_rdf_with_a_lone_surrogate_escape_names_file_and_line(tmp_path: Path) -> None:
    turtle = (
        '<https://example.org/a> <https://example.org/p> "fine" .\n'
        '<https://example.org/a> <https://example.org/p> "half \\ud800" .\n'
    )
    path = _write(tmp_path / "surrogate.ttl", turtle.encode())
    with pytest.raises(LoadError) as raised:
        prepare(path, Ids())
    assert "surrogate.ttl" in str(raised.value)
    assert "line 2" in str(raised.value)


def test_rdf_with_a_control_character_names_file_and_line(tmp_path: Path) -> None:
    turtle = (
        '<https://example.org/a> <https://example.org/p> "fine" .\n\n'
        '<https://example.org/a> <https://example.org/p> "bell \\u0007" .\n'
    )
    path = _write(tmp_path / "bell.ttl", turtle.encode())
    with pytest.raises(LoadError) as raised:
        prepare(path, Ids())
    assert str(raised.value).startswith(f"{path}, line 3")
    assert "U+0007" in str(raised.value)


# ---------------------------------------------------------------------- identifiers


@pytest.mark.parametrize("char", [RLO, ZWSP, "\u2066", "\ufeff", "\u200d", "\x00", "\ud800"])
def test_identifiers_with_invisible_or_bidi_characters_are_refused(char: str) -> None:
    for mint in (slug, segment, check_identifier):
        with pytest.raises(IdentifierError) as raised:
            mint(f"X.1205{char}")
        assert f"U+{ord(char):04X}" in str(raised.value)
        assert "at character 7" in str(raised.value)
    assert Ids.web(f"https://example.org/{char}") is None
    # a visible text is fine, whatever its script
    assert check_identifier("Côte d’Ivoire مرحبا 😀") == "Côte d’Ivoire مرحبا 😀"


def test_a_document_whose_file_name_has_a_bidi_character_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / f"res75{RLO}txt.txt", SEED.read_bytes())
    with pytest.raises(LoadError) as raised:
        prepare(path, Ids())
    message = str(raised.value)
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in message
    assert "res75\\u202etxt.txt" in message  # shown escaped: the message reads as it is
    assert RLO not in message


@pytest.mark.parametrize(
    ("table", "old", "new", "row", "column"),
    [
        ("action-lines", "\nC5,", f"\nC5{ZWSP},", 5, "id"),
        ("itut-recommendations", "ITU-T A.1 (03/1993)", f"ITU-T A.1{RLO} (03/1993)", 1, "docid"),
    ],
)
def test_an_identifier_in_a_table_with_an_invisible_character_is_refused_with_its_place(
    tmp_path: Path, table: str, old: str, new: str, row: int, column: str
) -> None:
    source = table_path(table)
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = _write(tmp_path / source.name, text.replace(old, new, 1).encode())
    with pytest.raises(TableError) as raised:
        prepare(path, Ids())
    message = str(raised.value)
    assert message.startswith(f"{source.name}, row {row} (line {row + 1}), column '{column}'")
    invisible = next(c for c in new if unicodedata.category(c) == "Cf")
    assert f"U+{ord(invisible):04X}" in message


def test_an_iri_with_a_bidi_character_in_rdf_is_refused_with_its_line(tmp_path: Path) -> None:
    turtle = (
        "@prefix ex: <https://example.org/> .\n"
        'ex:a ex:p "fine" .\n'
        "<https://example.org/evil\\u202Eexe.txt> ex:p ex:b .\n"
    )
    path = _write(tmp_path / "bidi.ttl", turtle.encode())
    with pytest.raises(LoadError) as raised:
        prepare(path, Ids())
    assert str(raised.value).startswith(f"{path}, line 3: the IRI")
    assert "U+202E" in str(raised.value)
    # a bidi mark in a literal is text: right-to-left writing needs it
    fine = '<https://example.org/a> <https://example.org/p> "\u200fمرحبا\u200f"@ar .\n'
    result, _ = prepare(_write(tmp_path / "rtl.ttl", fine.encode()), Ids())
    assert len(result.triples) == 1


def test_rdf_1_2_is_refused_with_its_line_so_that_every_export_is_rdf_1_1(
    tmp_path: Path,
) -> None:
    for name, statement in (
        ("direction.ttl", '<urn:a> <urn:p> "x"@he--rtl .'),
        ("term.ttl", "<urn:a> <urn:p> <<( <urn:a> <urn:p> <urn:b> )>> ."),
    ):
        path = _write(tmp_path / name, f'<urn:a> <urn:p> "fine" .\n{statement}\n'.encode())
        with pytest.raises(LoadError) as raised:
            prepare(path, Ids())
        assert str(raised.value).startswith(f"{path}, line 2: ")
        assert "RDF 1.2" in str(raised.value)


def test_updates_are_nfc_and_refuse_what_is_not_text_or_an_invisible_iri() -> None:
    nfd = unicodedata.normalize("NFD", "é")
    assert check_update(f'INSERT DATA {{ <urn:a> <urn:p> "{nfd}" }}') == (
        'INSERT DATA { <urn:a> <urn:p> "é" }'
    )
    refused = {
        'INSERT DATA { <urn:a> <urn:p> "a\x01" }': "line 1, column 33",
        'INSERT DATA { <urn:a> <urn:p>\n "\\u0001" }': "line 2, column 3",
        'INSERT DATA { <urn:a> <urn:p> "\\U0000FFFF" }': "U+FFFF",
        'INSERT DATA { <urn:a> <urn:p> "a\\bb" }': "U+0008",
        "INSERT DATA { <urn:a\u202e> <urn:p> 1 }": "U+202E",
        "INSERT DATA { <urn:a\\u200B> <urn:p> 1 }": "U+200B",
        "INSERT DATA { <urn:a> <urn:p> <<( <urn:a> <urn:p> <urn:b> )>> }": "RDF 1.2",
        'INSERT DATA { <urn:a> <urn:p> "x"@he--rtl }': "RDF 1.2",
    }
    for update, words in refused.items():
        with pytest.raises(ValueError, match="line") as raised:
            check_update(update)
        assert words in str(raised.value), (update, raised.value)
    # an escaped backslash is not an escape; a bidi mark in a literal is text; strings and
    # comments are text, whatever they hold
    assert check_update('INSERT DATA { <urn:a> <urn:p> "\\\\b \\\\u0001 \u200f" }')
    assert check_update(
        "# a comment may say << or @en--rtl\n"
        'INSERT DATA { <urn:a> <urn:p> "<<( <urn:a\u202e> )>> @he--rtl" , """x << y""" }'
    )


def test_the_update_route_refuses_them_with_a_400(kg: KnowledgeGraph) -> None:
    token = secrets.token_urlsafe(32)
    app = create_app(kg, Settings(write_token=token))  # type: ignore[arg-type]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/sparql-update"}

    async def post(update: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post("/sparql", content=update, headers=headers)

    bad = asyncio.run(post("INSERT DATA { <urn:a\u202e> <urn:p> 1 }"))
    assert bad.status_code == 400, bad.text
    assert "U+202E" in bad.json()["error"]
    nfd = unicodedata.normalize("NFD", "São Tomé")
    good = asyncio.run(post(f'INSERT DATA {{ GRAPH <urn:g> {{ <urn:a> <urn:p> "{nfd}" }} }}'))
    assert good.status_code == 200, good.text
    graph = ox.NamedNode("urn:g")
    stored = {q.object.value for q in kg.store.quads_for_pattern(None, None, None, graph)}
    assert stored == {"São Tomé"}


def test_clean_tree_normalises_every_string_and_names_the_path() -> None:
    nfd = unicodedata.normalize("NFD", "é")
    assert clean_tree({"a": [nfd, {"b": nfd}], "n": 1}, "x.docx") == {
        "a": ["é", {"b": "é"}],
        "n": 1,
    }
    with pytest.raises(DocumentError) as raised:
        clean_tree({"sections": [{"heading": "ok"}, {"heading": "bad \x02"}]}, "x.docx")
    assert raised.value.place == "sections[1].heading"


# ---------------------------------------------------------------------- exports

ODD = [
    "emoji 😀 and a family 👨‍👩‍👧 (zero-width joiners) and a flag 🇺🇳",
    "right to left: مرحبا بالعالم — שלום עולם, with marks \u200f and an override \u202e kept",
    "combining marks: e\u0301 a\u0308 \u0915\u093c q\u0323\u0307 (NFC keeps what has no "
    "precomposed form)",
    "astral: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐍈 and CJK 漢字 and a line\u2028separator, a next line \x85 too",
    "markup-looking: ]]> <script>&amp; \"quotes\" 'apostrophes' \\ backslash\ttab\nnewline",
]


def test_every_export_format_writes_readably_what_the_store_accepted(
    kg: KnowledgeGraph, tmp_path: Path
) -> None:
    lines = ["@prefix ex: <https://example.org/odd/> ."]
    for number, text in enumerate(ODD):
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        lines.append(f'ex:s{number} ex:text "{escaped}" , "{escaped}"@ar , "{escaped}"@he .')
    lines.append('ex:ünïcödé-ıri ex:label "an IRI beyond ASCII" .')
    load_file(kg, _write(tmp_path / "odd.ttl", "\n".join(lines).encode()))
    text = "\n".join(_seed_lines()).replace(CLAUSE_LINE, f"{ODD[0]}; {ODD[1]}", 1)
    load_file(kg, _write(tmp_path / "res75-odd.txt", text.encode()))

    quads = len(kg)
    triples = len({(q.subject, q.predicate, q.object) for q in kg.quads()})
    rdflib_formats = {
        "turtle": "turtle",
        "trig": "trig",
        "nquads": "nquads",
        "ntriples": "nt",
        "jsonld": "json-ld",
        "rdfxml": "xml",  # a strict XML parser (expat)
    }
    for name, fmt in EXPORT_FORMATS.items():
        buffer = io.BytesIO()
        kg.export(name, buffer)
        data = buffer.getvalue()
        expected = quads if name in QUAD_FORMATS else triples
        assert len(list(ox.parse(data, fmt))) == expected, name
        if name in QUAD_FORMATS:
            dataset = rdflib.Dataset()
            with warnings.catch_warnings():  # rdflib's own parser calls its deprecated API
                warnings.simplefilter("ignore", DeprecationWarning)
                dataset.parse(data=data, format=rdflib_formats[name])
            assert sum(len(g) for g in dataset.graphs()) == expected, name
        else:
            graph = rdflib.Graph()
            graph.parse(data=data, format=rdflib_formats[name])
            assert len(graph) == expected, name
        for odd in ODD:
            value = unicodedata.normalize("NFC", odd)
            assert any(
                isinstance(q.object, ox.Literal) and q.object.value == value
                for q in ox.parse(data, fmt)
            ), (name, odd)
