"""Name normalisation, search keys and explainable name comparison, for "do we know this child?".

Searching works in two steps:

1. Candidate retrieval. When a person is saved we store their search keys (``search_keys``):
   short strings, one table row each, that two spellings of the same name are likely to share.
   A search builds its keys with ``query_keys`` (the same code, plus the given and family names
   swapped) and fetches every person sharing at least one key through an ordinary index.
2. Scoring. ``compare_names`` compares the query with each candidate and says why they match,
   with points from the table below, so a worker can see why a record was suggested.

Keys are namespaced so a given-name key never equals a family-name key by accident:

    ======  ====================================================  =====================
    prefix  meaning                                               example (Smith, Bill)
    ======  ====================================================  =====================
    g:      given name part, exact (normalised)                   g:bill
    gp:     given name part, phonetic code                        gp:m:BL, gp:n:BAL
    gd:     given name part, deletion key (typos)                 gd:bil
    gn:     given name part, nickname group (canonical name)      gn:william
    f:      family name part, exact (normalised)                  f:smith
    fp:     family name part, phonetic code                       fp:m:SM0, fp:n:SNAT
    fd:     family name part, deletion key (typos)                fd:smth
    ======  ====================================================  =====================

Phonetic codes carry their algorithm ("m:" Metaphone, "n:" NYSIIS) so one algorithm's code
cannot match the other's. A "part" is each word of a name and, for a name of several words,
the words joined ("Smith-Jones": smith, jones, smithjones); see ``name_parts``.

Points (only the best comparison for each of the given and family names counts):

    ===============================================  ======  =====
    comparison                                       family  given
    ===============================================  ======  =====
    exact                                            30      25
    matches part of a double-barrelled name          22      20
    nickname (same nickname group)                   -       20
    sounds alike (shares a phonetic code)            20      15
    spelt differently (one slip apart)               15      12
    spelt similarly (two slips, both 5+ letters)     8       0
    the initial given matches the name               -       5
    differs (both known, none of the above)          -10     -35
    given and family names swapped                   the swapped comparisons' points, minus 5
    ===============================================  ======  =====
"""

import csv
import functools
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

import jellyfish

# Points ---------------------------------------------------------------------------------------

FAMILY_EXACT = 30
FAMILY_PART = 22
FAMILY_SOUNDS_ALIKE = 20
FAMILY_SPELT_DIFFERENTLY = 15
GIVEN_EXACT = 25
GIVEN_PART = 20
GIVEN_NICKNAME = 20
GIVEN_SOUNDS_ALIKE = 15
GIVEN_SPELT_DIFFERENTLY = 12
# Two slips apart is weak evidence for a long family name ("Othman" for "Osman"), and for a
# given name only enough not to count against: twins' names are often that close.
FAMILY_SIMILAR = 8
GIVEN_SIMILAR = 0
GIVEN_INITIAL = 5
# Names that do not match at all when both are known count against. A different given name
# is strong evidence of a different person: it is what tells twins and siblings apart, who
# share a family name, a date of birth and an address. Family names change (a new partner,
# a parent's name) more often than given names, so a different one counts for less.
GIVEN_DIFFERS = -35
FAMILY_DIFFERS = -10
# Swapped names are a common slip (and the norm in some naming traditions) but also how two
# different people can look alike, so the swapped reading costs a little.
SWAPPED_PENALTY = 5

# The PersonSearchKey.key column is 120 characters; a key longer than that comes from pasted
# rubbish rather than a name, so it is dropped rather than truncated into a false match.
MAX_KEY_LENGTH = 120

# Parts shorter than this get no deletion keys: deleting a letter from a 3-letter name leaves
# 2 letters, which many unrelated names share ("amy" and "ami" -> "am"). A 3-letter name still
# matches a 4-letter one by insertion ("jon" is a deletion key of "john").
MIN_DELETION_KEY_LENGTH = 4
# Two slips apart counts as "spelt similarly" only when both parts have this many letters.
MIN_SIMILAR_LENGTH = 5

# Words that join a family name rather than distinguish it. In a name of several words they
# get no keys of their own ("al" alone would match every Al-... family) but stay in the joined
# form ("De Souza" -> desouza). A name that is only one of these ("Le", a Vietnamese family
# name) keeps its keys.
PARTICLES = frozenset(
    {
        "al", "el", "ul", "bin", "bint", "ibn",
        "van", "von", "der", "den", "ter", "ten",
        "de", "di", "da", "du", "del", "della", "la", "le", "dos", "das",
        "o", "mc", "mac",
    }
)  # fmt: skip

NICKNAMES_PATH = Path(__file__).parent / "data" / "nicknames.csv"


# Normalisation --------------------------------------------------------------------------------

# Letters that Unicode decomposition leaves alone but that English records write as ASCII.
_SPECIAL_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
# Apostrophes and the marks typed in their place: dropped, so O'Connor is oconnor.
_APOSTROPHES = str.maketrans(dict.fromkeys("'’‘`´ʼʻ", None))
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―", "-"))
_SEPARATORS = re.compile(r"[\s\-]+")


def normalise_name(value: str) -> str:
    """Lower case, accents stripped, apostrophes dropped ("Zoë O'Connor" -> "zoe oconnor").

    Spaces and hyphens are kept (``name_parts`` splits on them); any other punctuation or digit
    becomes a space. Letters of other scripts are kept as they are.
    """
    text = (value or "").lower().translate(_APOSTROPHES).translate(_SPECIAL_LETTERS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(character for character in text if not unicodedata.combining(character))
    text = text.translate(_DASHES)
    text = "".join(
        character if character.isalpha() or character == "-" else " " for character in text
    )
    return " ".join(text.split())


def _words(value: str) -> list[str]:
    return [word for word in _SEPARATORS.split(normalise_name(value)) if word]


def name_parts(value: str) -> list[str]:
    """The normalised words of a name, then (for several words) the words joined.

    "Smith-Jones" -> ["smith", "jones", "smithjones"]; "Mary Ann" -> ["mary", "ann", "maryann"].
    The joined form lets "Smith Jones", "Smith-Jones" and "Smithjones" match exactly.
    Particles ("van", "al") are kept here; ``search_keys`` decides what gets keys.
    """
    words = _words(value)
    parts = list(dict.fromkeys(words))
    if len(words) > 1:
        joined = "".join(words)
        if joined not in parts:
            parts.append(joined)
    return parts


def _keyed_parts(value: str) -> list[str]:
    """The parts that get keys and are compared: in a name of several words, not particles or
    single letters (initials), which would match far too many people on their own."""
    words = _words(value)
    parts = name_parts(value)
    if len(words) <= 1:
        return parts
    return [part for part in parts if part not in PARTICLES and len(part) > 1]


# Phonetic keys --------------------------------------------------------------------------------

# Transliterated names (Arabic, Urdu, Bengali, Somali ...) are spelt many ways in English
# records. Before phonetic coding we also code a simplified spelling, so variants that the
# algorithms alone keep apart still share a code: "ayesha"/"aisha" (y after the first letter
# as i), "yousef"/"yusef" (ou as u), "khadija"/"kadija" (kh as k), "philip"/"filip" (ph as f),
# "mohammed"/"mohamed" (doubled letters once). The raw spelling is coded too, so this only
# adds matches.
_SIMPLIFICATIONS = (("ph", "f"), ("kh", "k"), ("ou", "u"))
_DOUBLED_LETTER = re.compile(r"(.)\1+")


def _simplified_spelling(part: str) -> str:
    for spelling, replacement in _SIMPLIFICATIONS:
        part = part.replace(spelling, replacement)
    part = part[:1] + part[1:].replace("y", "i")
    return _DOUBLED_LETTER.sub(r"\1", part)


def phonetic_keys(part: str) -> set[str]:
    """Metaphone ("m:") and NYSIIS ("n:") codes of a name part and of its simplified spelling.

    Smith, Smyth and Smithe share "m:SM0"; Mohammed, Muhammad and Mohamed share "m:MHMT".
    Parts not in the Latin alphabet get no phonetic keys: the algorithms code English spelling.
    """
    if not (part.isascii() and part.isalpha()):
        return set()
    keys = set()
    for spelling in {part, _simplified_spelling(part)}:
        if metaphone := jellyfish.metaphone(spelling):
            keys.add("m:" + metaphone)
        if nysiis := jellyfish.nysiis(spelling):
            keys.add("n:" + nysiis)
    return keys


# Deletion keys --------------------------------------------------------------------------------


def deletion_keys(part: str) -> set[str]:
    """The part and every string made by deleting one of its characters (the SymSpell idea).

    Two spellings one edit apart (a letter changed, added, dropped, or two neighbours swapped)
    always share a key: "smtih" and "smith" share "smih"; "jonson" is a key of "johnson".
    Parts shorter than MIN_DELETION_KEY_LENGTH get only themselves, to keep false matches down.
    """
    if len(part) < MIN_DELETION_KEY_LENGTH:
        return {part}
    return {part} | {part[:index] + part[index + 1 :] for index in range(len(part))}


# Nicknames ------------------------------------------------------------------------------------


@functools.cache
def nickname_groups() -> tuple[tuple[str, ...], ...]:
    """The groups in data/nicknames.csv, each (canonical, variant, ...), normalised."""
    with NICKNAMES_PATH.open(encoding="utf-8", newline="") as nickname_file:
        lines = [line for line in nickname_file if line.strip() and not line.startswith("#")]
    groups = []
    for row in csv.reader(lines):
        names = tuple(dict.fromkeys(normalise_name(name) for name in row if name.strip()))
        if names:
            groups.append(names)
    return tuple(groups)


@functools.cache
def _canonical_names_by_name() -> dict[str, frozenset[str]]:
    canonical_names: dict[str, set[str]] = {}
    for group in nickname_groups():
        for name in group:
            canonical_names.setdefault(name, set()).add(group[0])
    return {name: frozenset(canonicals) for name, canonicals in canonical_names.items()}


def nickname_keys(part: str) -> set[str]:
    """The canonical names of every nickname group holding the part.

    "bill" -> {"william"}; "william" -> {"william"}; "jack" -> {"john", "jack"}. A name in no
    group has no nickname keys.
    """
    return set(_canonical_names_by_name().get(normalise_name(part), ()))


# Search keys ----------------------------------------------------------------------------------


def _given_name_keys(given: str) -> set[str]:
    keys = set()
    for part in _keyed_parts(given):
        keys.add("g:" + part)
        keys.update("gp:" + code for code in phonetic_keys(part))
        keys.update("gd:" + deletion for deletion in deletion_keys(part))
        keys.update("gn:" + canonical for canonical in nickname_keys(part))
    return keys


def _family_name_keys(family: str) -> set[str]:
    keys = set()
    for part in _keyed_parts(family):
        keys.add("f:" + part)
        keys.update("fp:" + code for code in phonetic_keys(part))
        keys.update("fd:" + deletion for deletion in deletion_keys(part))
    return keys


def search_keys(given: str, family: str) -> set[str]:
    """The keys to store for one name of a person (call it for each name they are known by).

    Either name may be empty. ``given`` may hold middle names too: each word gets keys.
    """
    keys = _given_name_keys(given) | _family_name_keys(family)
    return {key for key in keys if len(key) <= MAX_KEY_LENGTH}


def is_exact_key(key: str) -> bool:
    """An exact part ("f:smith", "g:bill"), as opposed to a variant key (phonetic code,
    deletion, nickname group) that leads to exact parts."""
    return key.startswith(("f:", "g:"))


def exact_keys(given: str, family: str) -> set[str]:
    """The exact-part keys of one name: what is stored for each person (PersonSearchKey)."""
    return {key for key in search_keys(given, family) if is_exact_key(key)}


def variant_keys(exact_key: str) -> set[str]:
    """The variant keys that lead to one exact part: stored once for the whole county
    (NameVariantKey), however many people share the name."""
    if exact_key.startswith("f:"):
        keys = _family_name_keys(exact_key[2:])
    else:
        keys = _given_name_keys(exact_key[2:])
    return {key for key in keys if not is_exact_key(key) and len(key) <= MAX_KEY_LENGTH}


def query_keys(given: str, family: str) -> set[str]:
    """The keys to look up for a search: the name's own keys and, to find records with the
    given and family names swapped, the keys of the swapped name."""
    return search_keys(given, family) | search_keys(family, given)


# Comparison -----------------------------------------------------------------------------------


class NameMatch(NamedTuple):
    explanation: str
    points: int


class NameForms(NamedTuple):
    """What comparing needs of one name, worked out once: stored with a person's search keys
    (``cases.models.PersonSearchName``) and computed once for a search's own names."""

    whole: str  # the words joined: "smithjones"
    parts: frozenset[str]  # keyed parts (``_keyed_parts``)
    sounds: frozenset[str]  # phonetic codes of the parts
    nicknames: frozenset[str]  # canonical names of the parts' nickname groups

    def as_json(self) -> dict:
        return {
            "whole": self.whole,
            "parts": sorted(self.parts),
            "sounds": sorted(self.sounds),
            "nicknames": sorted(self.nicknames),
        }

    @classmethod
    def from_json(cls, data: dict | None) -> "NameForms | None":
        if not data:
            return None
        return cls(
            data["whole"],
            frozenset(data["parts"]),
            frozenset(data["sounds"]),
            frozenset(data["nicknames"]),
        )


@functools.lru_cache(maxsize=50_000)
def analyse(value: str) -> NameForms | None:
    """The forms of a name, or None for an empty one. Cached: a county has a few thousand
    distinct names, and every search and reindex reuses them."""
    parts = _keyed_parts(value)
    if not parts:
        return None
    return NameForms(
        whole="".join(_words(value)),
        parts=frozenset(parts),
        sounds=frozenset(code for part in parts for code in phonetic_keys(part)),
        nicknames=frozenset(canonical for part in parts for canonical in nickname_keys(part)),
    )


def _slips(query: NameForms, candidate: NameForms) -> int:
    """The fewest typing slips (Damerau-Levenshtein edits) between any part of one name and
    any part of the other, counting only parts long enough for a slip to mean something:
    three letters with one slip are a different name ("amy", "ami")."""
    fewest = 99
    for query_part in query.parts:
        for candidate_part in candidate.parts:
            if max(len(query_part), len(candidate_part)) < MIN_DELETION_KEY_LENGTH:
                continue
            slips = jellyfish.damerau_levenshtein_distance(query_part, candidate_part)
            if slips == 2 and min(len(query_part), len(candidate_part)) < MIN_SIMILAR_LENGTH:
                continue
            fewest = min(fewest, slips)
    return fewest


@functools.lru_cache(maxsize=100_000)
def compare_family(query: NameForms | None, candidate: NameForms | None) -> NameMatch | None:
    """How a family name matches, from "exact" down to "differs"; None when either is empty."""
    if query is None or candidate is None:
        return None
    if query.whole == candidate.whole:
        return NameMatch("family name exact", FAMILY_EXACT)
    if query.parts & candidate.parts:
        return NameMatch("family name matches part of a double-barrelled name", FAMILY_PART)
    if query.sounds & candidate.sounds:
        return NameMatch("family name sounds alike", FAMILY_SOUNDS_ALIKE)
    slips = _slips(query, candidate)
    if slips <= 1:
        return NameMatch("family name spelt differently", FAMILY_SPELT_DIFFERENTLY)
    if slips == 2:
        return NameMatch("family name spelt similarly (two letters differ)", FAMILY_SIMILAR)
    return NameMatch("family name differs", FAMILY_DIFFERS)


@functools.lru_cache(maxsize=100_000)
def compare_given(query: NameForms | None, candidate: NameForms | None) -> NameMatch | None:
    """How a given name matches, from "exact" down to "differs"; None when either is empty."""
    if query is None or candidate is None:
        return None
    if query.whole == candidate.whole:
        return NameMatch("given name exact", GIVEN_EXACT)
    if query.parts & candidate.parts:
        return NameMatch("given name matches one of the given names", GIVEN_PART)
    if query.nicknames & candidate.nicknames:
        return NameMatch("given name: nickname", GIVEN_NICKNAME)
    if query.sounds & candidate.sounds:
        return NameMatch("given name sounds alike", GIVEN_SOUNDS_ALIKE)
    slips = _slips(query, candidate)
    if slips <= 1:
        return NameMatch("given name spelt differently", GIVEN_SPELT_DIFFERENTLY)
    if len(query.whole) == 1 and candidate.whole.startswith(query.whole):
        return NameMatch("given name: the initial matches", GIVEN_INITIAL)
    if slips == 2:
        return NameMatch("given name spelt similarly (two letters differ)", GIVEN_SIMILAR)
    return NameMatch("given name differs", GIVEN_DIFFERS)


def compare_forms(
    query_given: NameForms | None,
    query_family: NameForms | None,
    candidate_given: NameForms | None,
    candidate_family: NameForms | None,
) -> list[NameMatch]:
    """Why a candidate's name matches the query's, or counts against it: (explanation, points)
    pairs, best first.

    At most one comparison for the given name and one for the family name, or a single
    "given and family names swapped" match when every name present on both sides matches the
    other way round and that scores higher, even after SWAPPED_PENALTY. Names missing on
    either side (a search by family name only) are not compared.
    """
    matches = [
        match
        for match in (
            compare_family(query_family, candidate_family),
            compare_given(query_given, candidate_given),
        )
        if match is not None
    ]
    swapped_pairs = [(query_given, candidate_family), (query_family, candidate_given)]
    swapped = [
        match
        for match in (
            compare_family(query_given, candidate_family),
            compare_given(query_family, candidate_given),
        )
        if match is not None
    ]
    # Swapped means swapped: every name present on both sides must match the other way round,
    # or "Thomas Smith" would look like a swapped "John Thomas".
    compared_both_ways = sum(1 for query, candidate in swapped_pairs if query and candidate)
    fully_swapped = (
        swapped and len(swapped) == compared_both_ways and all(m.points > 0 for m in swapped)
    )
    if fully_swapped:
        swapped_points = sum(match.points for match in swapped) - SWAPPED_PENALTY
        if swapped_points > sum(match.points for match in matches):
            return [NameMatch("given and family names swapped", swapped_points)]
    return sorted(matches, key=lambda match: match.points, reverse=True)


def compare_names(
    query_given: str, query_family: str, candidate_given: str, candidate_family: str
) -> list[NameMatch]:
    """``compare_forms`` for names as typed."""
    return compare_forms(
        analyse(query_given),
        analyse(query_family),
        analyse(candidate_given),
        analyse(candidate_family),
    )
