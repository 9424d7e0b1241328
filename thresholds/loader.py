"""Read a threshold framework file (YAML or JSON) and check it, naming the line at fault.

The file describes one framework version::

    name: Thresholds of need
    description: How partners decide the right help at the right time.   # optional
    levels:
      - rank: 1
        name: Universal
        description: Needs met by universal services.
        colour: green
        statutory: false                                                # optional
    domains:
      - key: child
        name: Child's developmental needs
        description: Health, education, emotional development…          # optional
    indicators:
      - text: Attendance below 90% without an explained reason
        domain: child
        level: 2

`parse(text, source_name=…)` returns a `FrameworkSpec` or raises `FrameworkFileError`,
whose `problems` each carry a line number (1-based) and a message in plain English.
This module touches no database, so the data migration can use it too.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from earlyhelp.linefiles import (
    FileProblems,
    LineChecker,
    LineList,
    Problem,
    read_document,
    shortened,
)
from thresholds.models import COLOURS

DEFAULT_FRAMEWORK = Path(__file__).resolve().parent / "data" / "default_framework.yaml"

TOP_LEVEL_KEYS = {"name", "description", "levels", "domains", "indicators"}
LEVEL_KEYS = {"rank", "name", "description", "colour", "statutory"}
DOMAIN_KEYS = {"key", "name", "description"}
INDICATOR_KEYS = {"text", "domain", "level"}
KEY_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")


class FrameworkFileError(FileProblems):
    """The file is not a valid framework. `problems` lists every fault found, by line."""


@dataclass
class LevelSpec:
    rank: int
    name: str
    description: str
    colour: str
    statutory: bool


@dataclass
class DomainSpec:
    key: str
    name: str
    description: str


@dataclass
class IndicatorSpec:
    text: str
    domain: str
    level: int


@dataclass
class FrameworkSpec:
    name: str
    description: str = ""
    levels: list[LevelSpec] = field(default_factory=list)
    domains: list[DomainSpec] = field(default_factory=list)
    indicators: list[IndicatorSpec] = field(default_factory=list)


# Checking


class _Checker(LineChecker):
    def integer(self, item, key, what):
        value = item.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(item.key_line(key), f"{what}: '{key}' must be a whole number")
            return None
        return value

    def sequence(self, document, key):
        value = document.get(key)
        if not isinstance(value, list):
            self.problem(document.key_line(key), f"'{key}' must be a list")
            return LineList()
        if not value:
            self.problem(document.key_line(key), f"'{key}' must list at least one entry")
        return value


def _entries(check, items, noun, allowed, required, what_of):
    """Each entry of a list that is a mapping with only the keys allowed and all those
    required, with the words that name it in a fault (what_of(item, index))."""
    for index, raw in enumerate(items):
        item = check.mapping(raw, items.item_line(index), f"{noun} {index + 1}")
        if item is None:
            continue
        what = what_of(item, index)
        if check.keys(item, allowed, required, what):
            yield item, what


def _level_what(item, index):
    return f"level '{shortened(item.get('name') or index + 1)}'"


def _domain_what(item, index):
    return f"domain '{shortened(item.get('name') or item.get('key') or index + 1)}'"


def _indicator_what(item, index):
    text = item.get("text")
    if isinstance(text, str) and text.strip():
        return f"indicator '{shortened(text)}'"
    return f"indicator {index + 1}"


def _check_levels(check, items, levels_line):
    """The valid levels, and every rank written (so indicators are not faulted twice)."""
    levels, names, written = [], set(), set()
    required = ["rank", "name", "description", "colour"]
    for item, what in _entries(check, items, "level", LEVEL_KEYS, required, _level_what):
        rank = check.integer(item, "rank", what)
        name = check.text(item, "name", what)
        description = check.text(item, "description", what)
        colour = item.get("colour")
        if colour not in COLOURS:
            check.problem(
                item.key_line("colour"),
                f"{what}: colour '{colour}' is not one of {', '.join(COLOURS)}",
            )
        statutory = item.get("statutory", False)
        if not isinstance(statutory, bool):
            check.problem(item.key_line("statutory"), f"{what}: 'statutory' must be true or false")
        if rank is not None:
            written.add(rank)
        if rank is not None and rank < 1:
            check.problem(item.key_line("rank"), f"{what}: rank must be 1 or more")
            rank = None
        if rank is not None and any(level.rank == rank for level in levels):
            check.problem(item.key_line("rank"), f"{what}: rank {rank} is given to another level")
            rank = None
        if name and name.casefold() in names:
            check.problem(item.key_line("name"), f"{what}: another level has the same name")
        if name:
            names.add(name.casefold())
        if rank is not None and name and description and colour in COLOURS:
            levels.append(LevelSpec(rank, name, description, colour, statutory is True))
    ranks = sorted(level.rank for level in levels)
    if levels and ranks != list(range(1, len(ranks) + 1)) and len(levels) == len(items):
        check.problem(
            levels_line,
            f"level ranks must run 1, 2, 3… without gaps; they are {', '.join(map(str, ranks))}",
        )
    return sorted(levels, key=lambda level: level.rank), written


def _check_domains(check, items):
    """The valid domains, and every key written."""
    domains, written = [], set()
    for item, what in _entries(check, items, "domain", DOMAIN_KEYS, ["key", "name"], _domain_what):
        key = check.text(item, "key", what)
        name = check.text(item, "name", what)
        description = check.text(item, "description", what, required=False)
        if key:
            written.add(key)
        if key and not KEY_PATTERN.match(key):
            check.problem(
                item.key_line("key"),
                f"{what}: key '{key}' may use only letters, numbers, hyphens and underscores",
            )
            key = None
        if key and any(domain.key == key for domain in domains):
            check.problem(item.key_line("key"), f"{what}: key '{key}' is given to another domain")
            key = None
        if name and any(domain.name.casefold() == name.casefold() for domain in domains):
            check.problem(item.key_line("name"), f"{what}: another domain has the same name")
            name = None
        if key and name and description is not None:
            domains.append(DomainSpec(key, name, description))
    return domains, written


def _check_indicators(check, items, ranks, keys):
    indicators, seen = [], set()
    required = ["text", "domain", "level"]
    for item, what in _entries(
        check, items, "indicator", INDICATOR_KEYS, required, _indicator_what
    ):
        text = check.text(item, "text", what)
        level = check.integer(item, "level", what)
        domain = item.get("domain")
        if level is not None and level not in ranks:
            check.problem(
                item.key_line("level"), f"{what} names level {level}, which is not defined"
            )
            level = None
        if domain not in keys:
            check.problem(
                item.key_line("domain"), f"{what} names domain '{domain}', which is not defined"
            )
            domain = None
        if text and level is not None and domain is not None:
            if (text.casefold(), level, domain) in seen:
                check.problem(item.line, f"{what} is given twice for the same level and domain")
                continue
            seen.add((text.casefold(), level, domain))
            indicators.append(IndicatorSpec(text, domain, level))
    return indicators


def parse(data, *, source_name=""):
    """Parse and check a framework file's contents (str or bytes)."""
    try:
        document = read_document(data, source_name)
    except FileProblems as error:
        raise FrameworkFileError(error.problems, source_name) from None
    check = _Checker()
    if not isinstance(document, dict):
        raise FrameworkFileError(
            [Problem(getattr(document, "line", 1), "the file must be a mapping with 'levels'")],
            source_name,
        )
    check.keys(document, TOP_LEVEL_KEYS, ["name", "levels", "domains", "indicators"], "the file")
    name = check.text(document, "name", "the framework") if "name" in document else None
    description = check.text(document, "description", "the framework", required=False)
    levels, ranks = [], set()
    if "levels" in document:
        levels, ranks = _check_levels(
            check, check.sequence(document, "levels"), document.key_line("levels")
        )
    domains, keys = [], set()
    if "domains" in document:
        domains, keys = _check_domains(check, check.sequence(document, "domains"))
    indicators = []
    if "indicators" in document:
        indicators = _check_indicators(check, check.sequence(document, "indicators"), ranks, keys)
    if check.problems:
        raise FrameworkFileError(
            sorted(check.problems, key=lambda problem: problem.line or 0), source_name
        )
    return FrameworkSpec(name, description or "", levels, domains, indicators)


def load_file(path):
    path = Path(path)
    return parse(path.read_bytes(), source_name=path.name)
