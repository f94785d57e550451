"""Words of a text as the rankers compare them: lower case, letters and digits (a hyphen
splits: "e-health" is "health"), no stop words, plural and verb endings cut by a few suffix
rules (a light stemmer written here, not a linguistic one: "networks" and "network",
"services" and "service" meet)."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z][a-z0-9]*")

# English function words, and words every resolution clause uses whatever its topic
STOP_WORDS = frozenset(
    """
    a about above after all also am an and any are as at be been before being between both
    but by can could did do does doing down during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just me more most my
    no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them then there these they this those through to
    too under until up very was we were what when where which while who whom why will with
    would you your yours within well inter alia etc ie eg e g i ii iii iv v vi including
    relevant particular appropriate regard related relating accordance taking account
    further given order need needs ensure take make made use used using within itu sector
    resolution resolutions rev wtsa pp wtdc council assembly conference considering
    recalling recognizing recognising noting resolves instructs invites requests
    encourages bearing mind aware convinced emphasizing highlighting director bureau
    member states sector members study group groups
    """.split()  # noqa: SIM905 (a word list reads better as text)
) | {
    # in ITU's texts "international" qualifies the service or the network ("International
    # telephone connections"), not cooperation: on it alone, 180 Recommendations were
    # suggested for C11 (International and regional cooperation), 2026-12-06; without it
    # the benchmark's figures are the same (C11's texts keep "cooperation", "regional")
    "international"
}

_SUFFIXES = (("sses", "ss"), ("ies", "y"), ("ing", ""), ("ed", ""), ("s", ""))


def stem(word: str) -> str:
    """``word`` with one plural or verb ending cut ("networks" -> "network")."""
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: -len(suffix)] + replacement
    return word


def words(text: str) -> list[str]:
    """The stems of ``text``'s words, in order, stop words left out."""
    found = _WORD.findall(text.lower())
    return [stem(word) for word in found if word not in STOP_WORDS and len(word) > 1]
