"""Property tests of content negotiation (api/app.py ``preferences``, ``_rank``, ``_pick``,
``requested_accept``): whatever the Accept header, the answer is one of the offered types that
the header admits with q > 0, ranked by the q of the most specific range that matches it;
q=0 excludes; a malformed header never raises.

The reference is RFC 9110 section 12.5.1, as the service reads it: a media range matches a
type exactly, by ``type/*`` or by ``*/*``; the most specific matching range gives the type its
q (the first one when a header repeats a range); parameters other than ``q`` are ignored; a q
that is not a number counts as 0.
"""

from __future__ import annotations

import itertools

import pyoxigraph as ox
from hypothesis import example, given, settings
from hypothesis import strategies as st

from api.app import (
    FORMAT_NAMES,
    GRAPH_TYPES,
    SELECT_TYPES,
    _pick,
    _rank,
    preferences,
    requested_accept,
)
from graph.executor import QueryKind, _answered_as, _choose

SETTINGS = settings(max_examples=250, deadline=None)

ALL_OFFERED = [*SELECT_TYPES, *GRAPH_TYPES]
REST_OFFERED = ["application/json", "text/csv"]
OTHER_TYPES = ["text/html", "image/png", "application/xml", "application/octet-stream"]
TYPES = ALL_OFFERED + OTHER_TYPES
KINDS = sorted({t.split("/")[0] for t in TYPES} | {"audio"})
QVALUES = ["0", "0.0", "0.000", "0.001", "0.1", "0.5", "0.9", "0.999", "1", "1.0", "1.000"]

offered_lists = st.lists(st.sampled_from(TYPES), min_size=1, max_size=8, unique=True)


@st.composite
def media_ranges(draw: st.DrawFn) -> tuple[str, float | None, str]:
    """One well-formed media range: (range, q or None when not given, its text)."""
    media = draw(
        st.one_of(
            st.sampled_from(TYPES),
            st.sampled_from(KINDS).map(lambda k: f"{k}/*"),
            st.just("*/*"),
        )
    )
    q = draw(st.none() | st.sampled_from(QVALUES))
    params = draw(st.lists(st.sampled_from(["charset=utf-8", "level=1", 'x="y"']), max_size=2))
    if q is not None:
        params.append(("Q=" if draw(st.booleans()) else "q=") + q)
    spaces = draw(st.sampled_from(["", " ", "  ", "\t"]))
    shown = media.upper() if draw(st.booleans()) else media
    text = shown + "".join(f"{spaces};{spaces}{p}" for p in params)
    return media, None if q is None else float(q), text


@st.composite
def accept_headers(draw: st.DrawFn) -> tuple[list[tuple[str, float]], str]:
    """A well-formed Accept header: its ranges with their q (in order), and its text."""
    ranges = draw(st.lists(media_ranges(), min_size=1, max_size=8))
    separator = draw(st.sampled_from([",", ", ", " , ", ",\t"]))
    parsed = [(media, 1.0 if q is None else q) for media, q, _ in ranges]
    return parsed, separator.join(text for _, _, text in ranges)


def reference_q(ranges: list[tuple[str, float]], candidate: str) -> float | None:
    """The q the header gives ``candidate``: that of its most specific matching range (the
    first of equally specific ones), or None when no range matches."""
    kind = candidate.split("/", maxsplit=1)[0]
    for wanted in (candidate, f"{kind}/*", "*/*"):
        for media, q in ranges:
            if media == wanted:
                return q
    return None


# ---------------------------------------------------------------------- never raises


@SETTINGS
@given(st.text(max_size=300), offered_lists)
@example("text/csv;q=", REST_OFFERED)
@example("text/csv;q=nan, */*;q=inf", REST_OFFERED)
@example(";;,,/;q=1e999,*/*;q=-1", ALL_OFFERED)
@example("\x00\ufffd/\u00e9;q=\u0661", ALL_OFFERED)
def test_any_header_gives_a_subset_of_the_offer(header: str, offered: list[str]) -> None:
    found = preferences(header, offered)
    assert len(found) == len(set(found))
    assert set(found) <= set(offered)
    for media in found:
        rank = _rank(header, media) if header.strip() else (1.0, 0, 0)
        assert rank is not None
        assert rank[0] > 0  # admitted with q > 0 (a q that is not a number is 0)
    assert _pick(header, offered) == (found[0] if found else None)


@SETTINGS
@given(st.text(max_size=200), st.dictionaries(st.text(max_size=10), st.lists(st.text())))
def test_requested_accept_never_raises(header: str, params: dict[str, list[str]]) -> None:
    chosen = requested_accept(header, params)
    assert chosen == header or chosen in FORMAT_NAMES.values() or chosen in ALL_OFFERED


# ---------------------------------------------------------------------- the ranking


@SETTINGS
@given(accept_headers(), offered_lists)
def test_preferences_follow_the_most_specific_range(
    header: tuple[list[tuple[str, float]], str], offered: list[str]
) -> None:
    ranges, text = header
    found = preferences(text, offered)
    expected = {c for c in offered if (q := reference_q(ranges, c)) is not None and q > 0}
    assert set(found) == expected
    qs = [reference_q(ranges, c) or 0.0 for c in found]
    assert qs == sorted(qs, reverse=True), "best q first"
    # ties of q: the more specific range first, then the offer's order
    for a, b in itertools.pairwise(found):
        rank_a, rank_b = _rank(text, a), _rank(text, b)
        assert rank_a is not None
        assert rank_b is not None
        if rank_a == rank_b:
            assert offered.index(a) < offered.index(b)


@SETTINGS
@given(accept_headers(), st.sampled_from(ALL_OFFERED))
def test_q_zero_on_the_type_itself_excludes_it(
    header: tuple[list[tuple[str, float]], str], candidate: str
) -> None:
    """``type/subtype;q=0`` first excludes it, whatever wildcards or later ranges say."""
    _, text = header
    assert candidate not in preferences(f"{candidate};q=0, {text}", ALL_OFFERED)
    assert candidate not in preferences(f"{candidate.upper()} ; q=0.000, {text}", ALL_OFFERED)


@SETTINGS
@given(
    accept_headers(),
    st.sampled_from(ALL_OFFERED),
    st.sampled_from([q for q in QVALUES if float(q) > 0]),
)
def test_a_more_specific_range_wins_over_wildcards(
    header: tuple[list[tuple[str, float]], str], candidate: str, q: str
) -> None:
    """A type named exactly is admitted (with its own q) even where ``type/*;q=0`` and
    ``*/*;q=0`` exclude everything else, wherever it stands in the header."""
    ranges, text = header
    if any(media == candidate for media, _ in ranges):
        return  # an earlier exact range for the candidate decides: covered above
    kind = candidate.split("/", maxsplit=1)[0]
    for header_text in (
        f"*/*;q=0, {kind}/*;q=0, {text}, {candidate};q={q}",
        f"{candidate};q={q}, {text}, {kind}/*;q=0, */*;q=0",
    ):
        found = preferences(header_text, ALL_OFFERED)
        assert candidate in found
        rank = _rank(header_text, candidate)
        assert rank is not None
        assert rank[:2] == (float(q), 2)
    # and a wildcard at q=0 excludes every type that nothing more specific names
    excluded = preferences(f"{kind}/*;q=0, {candidate};q={q}", ALL_OFFERED)
    assert [t for t in excluded if t.startswith(f"{kind}/")] == [candidate]


@SETTINGS
@given(offered_lists)
def test_no_header_or_any_type_keeps_the_offers_order(offered: list[str]) -> None:
    assert preferences("", offered) == offered
    assert preferences("   ", offered) == offered
    assert preferences("*/*", offered) == offered
    assert preferences("*/*;q=0.5", offered) == offered


@SETTINGS
@given(st.sampled_from(sorted(FORMAT_NAMES)), st.text(max_size=60), st.booleans())
def test_a_format_parameter_overrides_the_header(name: str, header: str, upper: bool) -> None:
    given_value = f"  {name.upper() if upper else name} "
    chosen = requested_accept(header, {"format": [given_value]})
    assert chosen == FORMAT_NAMES[name]
    assert preferences(chosen), "every format name admits something offered"


@SETTINGS
@given(st.text(max_size=60), st.text(max_size=20))
def test_an_unknown_format_parameter_is_ignored(header: str, value: str) -> None:
    wanted = value.strip().lower()
    for name in ("format", "output", "results"):
        chosen = requested_accept(header, {name: [value]})
        if wanted in FORMAT_NAMES:
            assert chosen == FORMAT_NAMES[wanted]
        elif wanted in ALL_OFFERED:
            assert chosen == wanted
        else:
            assert chosen == header


def test_examples_of_the_rfc() -> None:
    """RFC 9110 section 12.5.1's example, on the types this service offers."""
    header = "text/*;q=0.3, text/csv;q=0.7, text/csv;level=1, */*;q=0.5"
    assert _rank(header, "text/csv") == (0.7, 2, -1)
    assert _rank(header, "text/turtle") == (0.3, 1, 0)
    assert _rank(header, "application/n-triples") == (0.5, 0, -3)
    assert preferences(header, ["text/turtle", "application/n-triples", "text/csv"]) == [
        "text/csv",
        "application/n-triples",
        "text/turtle",
    ]
    assert preferences("text/csv;q=0, */*", REST_OFFERED) == ["application/json"]
    assert preferences("*/*;q=0, text/csv", REST_OFFERED) == ["text/csv"]
    assert preferences("text/html", REST_OFFERED) == []


@SETTINGS
@given(accept_headers(), st.sampled_from(["select", "ask", "construct"]))
def test_the_executor_answers_in_the_type_that_chose_the_format(
    header: tuple[list[tuple[str, float]], str], kind: QueryKind
) -> None:
    """The query workers get the client's preferences (``preferences(accept)``) and answer in
    the first that fits the kind of answer, labelled with the type the client named: a
    client asking for application/json gets application/json, not
    application/sparql-results+json (as the in-process path answers)."""
    _, text = header
    wanted = preferences(text)
    fmt = _choose(kind, wanted)
    if fmt is None:
        offered = list(GRAPH_TYPES) if kind == "construct" else list(SELECT_TYPES)
        assert not preferences(text, offered)
        return
    media = _answered_as(kind, fmt, wanted)
    assert media in wanted
    assert media == wanted[[_choose(kind, [m]) for m in wanted].index(fmt)]


def test_application_json_is_answered_as_application_json() -> None:
    json_results = ox.QueryResultsFormat.JSON
    assert _answered_as("select", json_results, ["application/json"]) == "application/json"
    assert _answered_as("ask", json_results, ["*/*"]) == "application/sparql-results+json"
    sparql_json = ["application/sparql-results+json", "application/json"]
    assert _answered_as("select", json_results, sparql_json) == sparql_json[0]
    assert _choose("construct", ["application/json", "text/turtle"]) == ox.RdfFormat.TURTLE
