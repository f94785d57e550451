"""Parsers are safe (docs/reliability.md, section 5).

Hostile files are built here, in a temporary directory: a .docx zip bomb (200 MiB of zeros in
about 0.2 MiB), one whose zip header lies about its size, XML with external entities (a secret
local file), nested entities (billion laughs), an external DTD and an external parameter
entity (both on the canary server), the same hidden behind a UTF-7 declaration, a 10,000-deep
nesting, a million tags within the zip limits, and RDF/XML with nested entities. Each must be
refused with a LoadError naming the file and the problem, within 10 s, with the peak memory of
the process growing by less than 500 MiB, without a connection to the canary and without the
secret in any output: in the library (measured in a fresh process), through ``wsiskg load``,
and through ``POST /documents`` of a real server, which keeps answering (``/health``).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from loaders.errors import LoadError
from loaders.safety import MAX_XML_TAGS, UnsafeXmlError, check_xml, parse_rdf, xml_text
from tests.canary import Canary, Secret, canary_server, make_secret
from tests.conftest import ROOT, run_cli
from tests.loaders.test_docx_revisions import CONTENT_TYPES, RELS, W_NS, p, t
from tests.servers import running_server

TOKEN = "parser-safety-token-0123456789abcdefghijklmn"
SECONDS = 10.0  # each hostile file is refused within this
GROWTH_MIB = 500  # and the peak memory of the process grows by less than this
MIB = 1024 * 1024
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

LAUGHS = "".join(
    [
        '<!ENTITY lol "lol">',
        *(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)),
    ]
).replace("&lol0;", "&lol;")


@dataclass(frozen=True)
class Hostile:
    path: Path
    problem: str  # what the error must say


def _document(text: str = "1\tto act;", prolog: str = "", declaration: str = "UTF-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{declaration}" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{W_NS}"><w:body>'
        f"{p(t('RESOLUTION 1 (Rev. Geneva, 2022)'))}{p(t('resolves'))}{p(t(text))}"
        "<w:sectPr/></w:body></w:document>"
    )


def _docx(path: Path, document: bytes, **members: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", document)
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _zeros_member(zf: zipfile.ZipFile, name: str, size: int) -> None:
    chunk = b"\0" * MIB
    with zf.open(name, "w") as member:
        for _ in range(size // MIB):
            member.write(chunk)


def _zip_bomb(path: Path) -> Path:
    """A small valid .docx plus 200 MiB of zeros: about 0.2 MiB on disk."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("word/document.xml", _document())
        _zeros_member(zf, "word/media/image1.png", 200 * MIB)
    return path


def _lying_bomb(path: Path) -> Path:
    """word/document.xml inflates to 200 MiB but its headers declare 1,000 bytes."""
    head, tail = _document().encode().split(b"<w:sectPr/>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        with zf.open("word/document.xml", "w") as member:
            member.write(head)
            spaces = b" " * MIB
            for _ in range(200):
                member.write(spaces)
            member.write(b"<w:sectPr/>" + tail)
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    local = data.index(b"PK\x03\x04")
    while data[local + 30 : local + 30 + len(name)] != name:
        local = data.index(b"PK\x03\x04", local + 4)
    struct.pack_into("<I", data, local + 22, 1000)
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, 1000)
    path.write_bytes(bytes(data))
    return path


def _many_tags(path: Path) -> Path:
    """Over a million tags, yet within every zip limit (50 MiB, 100:1, 5 MiB)."""
    rng = random.Random(5)
    runs = "".join(f'<w:b w:val="{rng.randrange(1000)}"/>' for _ in range(MAX_XML_TAGS + 50_000))
    document = _document().replace("<w:sectPr/>", f"<w:p><w:r><w:rPr>{runs}</w:rPr></w:r></w:p>")
    return _docx(path, document.encode())


def _utf7(prolog: str) -> bytes:
    """A document declared as UTF-7 whose '<!' are written '+ADwAIQ-' (invisible to a byte
    search for '<!DOCTYPE'; libxml2 reads them as '<!')."""
    text = _document("1\tto &xxe;;", prolog, declaration="UTF-7")
    declaration, rest = text.split("?>", 1)
    return (declaration + "?>").encode() + rest.encode().replace(b"<!", b"+ADwAIQ-")


def _hostile_files(folder: Path, canary: Canary, secret: Secret) -> list[Hostile]:
    url = canary.url
    xxe = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.uri}">]>'
    deep = _document().replace("<w:sectPr/>", "<w:p>" * 10_000 + "</w:p>" * 10_000)
    docs = {
        "xxe.docx": (_document("1\tto &xxe;;", xxe), "DOCTYPE declaration not allowed"),
        "laughs.docx": (
            _document("1\tto &lol9;;", f"<!DOCTYPE w:document [{LAUGHS}]>"),
            "DOCTYPE declaration not allowed",
        ),
        "dtd.docx": (
            _document(prolog=f'<!DOCTYPE w:document SYSTEM "{url}/external.dtd">'),
            "DOCTYPE declaration not allowed",
        ),
        "parameter.docx": (
            _document(prolog=f'<!DOCTYPE w:document [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]>'),
            "DOCTYPE declaration not allowed",
        ),
        "entity.docx": (
            _document(prolog=f'<!ENTITY xxe SYSTEM "{url}/entity">'),
            "ENTITY declaration not allowed",
        ),
        "deep.docx": (deep, "Excessive depth"),
    }
    hostile = [
        Hostile(_docx(folder / name, xml.encode()), problem)
        for name, (xml, problem) in docs.items()
    ]
    utf7 = _utf7(xxe.replace("]>", f'<!ENTITY d SYSTEM "{url}/utf7.dtd">]>'))
    utf16 = _document("1\tto &xxe;;", xxe, declaration="UTF-16").encode("utf-16")
    hostile += [
        Hostile(_docx(folder / "utf7.docx", utf7), "encoding UTF-7 not allowed"),
        Hostile(_docx(folder / "utf16.docx", utf16), "DOCTYPE declaration not allowed"),
        Hostile(_zip_bomb(folder / "bomb.docx"), "zip bomb: declares"),
        Hostile(
            _lying_bomb(folder / "lying.docx"),
            "larger than its zip header declares|truncated or corrupt",
        ),
        Hostile(_many_tags(folder / "tags.docx"), "tags, over the limit of 1000000"),
    ]
    return hostile


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    with canary_server() as server:
        yield server


@pytest.fixture(scope="module")
def secret(tmp_path_factory: pytest.TempPathFactory) -> Secret:
    return make_secret(tmp_path_factory.mktemp("secret"))


@pytest.fixture(scope="module")
def hostile(
    tmp_path_factory: pytest.TempPathFactory, canary: Canary, secret: Secret
) -> list[Hostile]:
    return _hostile_files(tmp_path_factory.mktemp("hostile"), canary, secret)


@pytest.fixture(scope="module")
def hostile_rdf(tmp_path_factory: pytest.TempPathFactory, canary: Canary, secret: Secret) -> Path:
    """RDF/XML with nested entities: 1 KiB that Oxigraph alone expands to 10^9 characters
    (about a minute and 9 GB of memory), an external entity and an external DTD."""
    path = tmp_path_factory.mktemp("rdfxml") / "laughs.rdf"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [{LAUGHS}'
        f'<!ENTITY xxe SYSTEM "{secret.uri}"><!ENTITY d SYSTEM "{canary.url}/rdf.dtd">]>'
        f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="http://example.org/">'
        '<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;&xxe;&d;</ex:p>'
        "</rdf:Description></rdf:RDF>",
        encoding="utf-8",
    )
    return path


def test_the_hostile_files_are_what_they_claim(hostile: list[Hostile]) -> None:
    files = {h.path.name: h.path for h in hostile}
    with zipfile.ZipFile(files["bomb.docx"]) as zf:
        declared = sum(i.file_size for i in zf.infolist())
    assert declared > 200 * MIB
    assert files["bomb.docx"].stat().st_size < MIB // 2
    assert files["lying.docx"].stat().st_size < MIB
    with zipfile.ZipFile(files["tags.docx"]) as zf:
        info = zf.getinfo("word/document.xml")
        assert info.file_size < 50 * MIB
        assert info.file_size < 100 * info.compress_size
    assert files["tags.docx"].stat().st_size < 5 * MIB


# ---------------------------------------------------------------------- in a fresh process

_MEASURE = """
import json, resource, sys, time
from pathlib import Path

import pyoxigraph as ox

from graph.files import prepare
from loaders.errors import LoadError
from loaders.safety import parse_rdf
from ontology.ids import Ids

base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for name in sys.argv[1:]:
    path = Path(name)
    started = time.perf_counter()
    try:
        if path.suffix == ".rdf":
            parse_rdf(path.read_bytes(), ox.RdfFormat.RDF_XML, source=str(path))
        else:
            prepare(path, Ids())
        outcome, message = "loaded", ""
    except LoadError as e:
        outcome, message = "refused", str(e)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "file": name, "outcome": outcome, "message": message,
        "seconds": time.perf_counter() - started, "growth_mib": (peak - base) / 1024,
    }), flush=True)
"""


def test_each_is_refused_in_bounded_time_and_memory(
    hostile: list[Hostile], hostile_rdf: Path, canary: Canary, secret: Secret
) -> None:
    files = [*(h.path for h in hostile), hostile_rdf]
    run = subprocess.run(
        [sys.executable, "-c", _MEASURE, *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 0, run.stderr
    results = {Path(r["file"]).name: r for r in map(json.loads, run.stdout.splitlines())}
    problems = {h.path.name: h.problem for h in hostile}
    problems[hostile_rdf.name] = "unsafe RDF/XML: DOCTYPE declaration not allowed"
    for name, problem in problems.items():
        result = results[name]
        assert result["outcome"] == "refused", result
        assert name in result["message"]
        assert any(alternative in result["message"] for alternative in problem.split("|")), result
        assert result["seconds"] < SECONDS, result
        assert result["growth_mib"] < GROWTH_MIB, result
    secret.assert_not_in(run.stdout, run.stderr)
    canary.assert_untouched("parsing")
    # the figures for docs/reliability.md
    print(
        json.dumps(
            {n: [round(r["seconds"], 3), round(r["growth_mib"])] for n, r in results.items()}
        )
    )


# ---------------------------------------------------------------------- wsiskg load


def test_wsiskg_load_refuses_each_with_one_line(
    hostile: list[Hostile], hostile_rdf: Path, canary: Canary, secret: Secret, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    for item in hostile:
        started = time.perf_counter()
        result = run_cli("load", str(item.path), store=store)
        seconds = time.perf_counter() - started
        assert result.returncode == 1, result.stdout + result.stderr
        line = result.stderr.strip()
        assert line.startswith(f"error: {item.path}"), line
        assert any(alternative in line for alternative in item.problem.split("|")), line
        assert "Traceback" not in result.stderr
        assert seconds < SECONDS + 10, seconds  # plus the command's start
        secret.assert_not_in(result.stdout, result.stderr)
    # RDF/XML cannot be loaded at all; RDF/XML named .ttl is not Turtle
    result = run_cli("load", str(hostile_rdf), store=store)
    assert result.returncode == 1
    assert "cannot load .rdf files" in result.stderr
    disguised = tmp_path / "laughs.ttl"
    shutil.copyfile(hostile_rdf, disguised)
    result = run_cli("load", str(disguised), store=store)
    assert result.returncode == 1
    assert "not valid Turtle" in result.stderr
    secret.assert_not_in(result.stdout, result.stderr)
    canary.assert_untouched("wsiskg load")


# ---------------------------------------------------------------------- POST /documents


@pytest.fixture(scope="module")
def served(loaded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("parsers") / "store"
    shutil.copytree(loaded_store, store)
    with running_server(store, {"WSISKG_WRITE_TOKEN": TOKEN}) as base:
        yield base


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def test_uploads_are_refused_and_the_server_survives(
    served: str, hostile: list[Hostile], canary: Canary, secret: Secret
) -> None:
    health = httpx.get(f"{served}/health", timeout=10).json()
    pid, release = health["pid"], health["release"]
    peak = _peak_rss_mib(pid)
    for item in hostile:
        started = time.perf_counter()
        response = httpx.post(
            f"{served}/documents",
            files={"file": (item.path.name, item.path.read_bytes(), "application/octet-stream")},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=60,
        )
        seconds = time.perf_counter() - started
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error.startswith(item.path.name), error
        assert any(alternative in error for alternative in item.problem.split("|")), error
        assert seconds < SECONDS, (item.path.name, seconds)
        secret.assert_not_in(response.content)
        after = httpx.get(f"{served}/health", timeout=10)
        assert after.status_code == 200
        assert after.json()["pid"] == pid  # the same process: it did not die
        assert after.json()["release"] == release  # and nothing was written
    growth = _peak_rss_mib(pid) - peak
    print(f"server peak RSS {peak:.0f} MiB, growth over {len(hostile)} uploads {growth:.0f} MiB")
    assert growth < GROWTH_MIB
    canary.assert_untouched("POST /documents")


# ---------------------------------------------------------------------- the guards themselves


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"\xef\xbb\xbf<?xml version='1.0' encoding='utf-8'?><a/>", None),
        ("<?xml version='1.0' encoding='UTF-16'?><a/>".encode("utf-16"), None),
        ("<a>\u00e9</a>".encode("utf-16-le"), None),
        ("<a/>".encode("utf-32"), "UTF-32"),
        ("<?xml version='1.0' encoding='IBM037'?><a/>".encode("cp037"), "does not start"),
        (b"<?xml version='1.0' encoding='ISO-2022-JP'?><a/>", "ISO-2022-JP not allowed"),
        (b"<?xml version='1.0' encoding='UTF-16'?><a/>", "UTF-16 not allowed"),
        (b"<?xml version='1.0' encoding='latin-1'?><a>\xe9</a>", "not valid UTF-8"),
        (b"<!-- --><!doctype a><a/>", "DOCTYPE"),
        (b"<a/>" * (MAX_XML_TAGS + 1), "tags, over the limit"),
    ],
)
def test_check_xml(raw: bytes, problem: str | None) -> None:
    if problem is None:
        check_xml(raw)
        assert xml_text(raw).lstrip("\ufeff").startswith("<")
    else:
        with pytest.raises(UnsafeXmlError, match=problem):
            check_xml(raw)


def test_rdf_xml_without_a_doctype_still_parses() -> None:
    data = (
        f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="http://example.org/">'
        '<rdf:Description rdf:about="http://example.org/a"><ex:p>x</ex:p></rdf:Description>'
        "</rdf:RDF>"
    ).encode()
    quads = parse_rdf(data, ox.RdfFormat.RDF_XML, source="ok.rdf")
    assert [q.object for q in quads] == [ox.Literal("x")]
    with pytest.raises(LoadError, match=r"bad\.rdf: not valid RDF/XML"):
        parse_rdf(b"<rdf:RDF", ox.RdfFormat.RDF_XML, source="bad.rdf")
