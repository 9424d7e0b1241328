"""Reading a council's data file (YAML or JSON) so that every value remembers the line it
was written on, for messages like "line 12: …" (the threshold framework and assessment
template loaders). No database, no Django settings: data migrations use it too."""

import json
import json.decoder
import json.scanner
import re
from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}" if self.line else self.message


class FileProblems(Exception):
    """A file that is not valid: `problems` lists every fault found, by line."""

    def __init__(self, problems, source_name=""):
        self.problems = list(problems)
        self.source_name = source_name
        super().__init__(str(self))

    def __str__(self):
        prefix = f"{self.source_name}: " if self.source_name else ""
        return "\n".join(f"{prefix}{problem}" for problem in self.problems)


def shortened(value):
    """A value as a message quotes it: at most 60 characters."""
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


class LineChecker:
    """Collects every problem of a file rather than stopping at the first; each loader adds
    the checks its own values need."""

    def __init__(self):
        self.problems = []

    def problem(self, line, message):
        self.problems.append(Problem(line, message))

    def mapping(self, value, line, what):
        if not isinstance(value, dict):
            self.problem(line, f"{what} must be a mapping of keys to values")
            return None
        return value

    def keys(self, item, allowed, required, what):
        for key in item:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.problem(
                    item.key_line(key), f"{what} has an unknown key '{key}' (expected {expected})"
                )
        missing = [key for key in required if key not in item]
        for key in missing:
            self.problem(item.line, f"{what} is missing '{key}'")
        return not missing

    def text(self, item, key, what, *, required=True):
        value = item.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problem(item.key_line(key), f"{what}: '{key}' must be text")
            return None
        value = value.strip()
        # A required key that is missing altogether was reported by `keys`.
        if required and not value and key in item:
            self.problem(item.key_line(key), f"{what}: '{key}' must not be empty")
            return None
        return value


# Parsed values that remember where they were written.


class LineDict(dict):
    line: int | None = None

    def key_line(self, key):
        return getattr(self, "key_lines", {}).get(key, self.line)


class LineList(list):
    line: int | None = None

    def item_line(self, index):
        lines = getattr(self, "item_lines", [])
        return lines[index] if index < len(lines) else self.line


def read_document(data, source_name=""):
    """The file's contents (str or bytes) as LineDict / LineList values; JSON when the name
    ends .json or the text starts with { or [, otherwise YAML. Raises FileProblems."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FileProblems(
                [Problem(line_at(data.decode("latin-1"), error.start), "not UTF-8 text")],
                source_name,
            ) from None
    try:
        return _read_json(data) if _is_json(data, source_name) else _read_yaml(data)
    except FileProblems as error:
        error.source_name = source_name
        raise


def _is_json(text, source_name):
    if source_name.lower().endswith(".json"):
        return True
    if source_name.lower().endswith((".yaml", ".yml")):
        return False
    return text.lstrip().startswith(("{", "["))


def line_at(text, index):
    return text.count("\n", 0, index) + 1


# YAML


class _LineLoader(yaml.SafeLoader):
    pass


def _yaml_mapping(loader, node):
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            duplicate = key in result
        except TypeError:
            raise FileProblems([Problem(line, "a key must be plain text")]) from None
        if duplicate:
            raise FileProblems([Problem(line, f"'{key}' is given twice")])
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _yaml_sequence(loader, node):
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _yaml_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _yaml_sequence)


def _read_yaml(text):
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or "the file is not valid YAML"
        if error.context:
            message = f"{message} ({error.context})"
        line = mark.line + 1 if mark else None
        raise FileProblems([Problem(line, f"not valid YAML: {message}")]) from None
    except yaml.YAMLError as error:
        raise FileProblems([Problem(None, f"not valid YAML: {error}")]) from None


# JSON: the pure-Python scanner, with object and array parsers that note their lines.


def _json_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None, **kw):
    text, start = s_and_end
    pairs, end = json.decoder.JSONObject(
        s_and_end, strict, scan_once, object_hook, lambda pairs: pairs, memo
    )
    result = LineDict()
    result.line = line_at(text, start - 1)
    result.key_lines = {}
    position = start
    for key, value in pairs:
        # Where this key is written: the next `"key" :` after the previous one.
        match = re.compile(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:").search(
            text, position, end
        )
        line = line_at(text, match.start()) if match else result.line
        if match:
            position = match.end()
        if key in result:
            raise FileProblems([Problem(line, f"'{key}' is given twice")])
        result[key] = value
        result.key_lines[key] = line
    return result, end


def _json_array(s_and_end, scan_once, **kw):
    text, start = s_and_end
    values, end = json.decoder.JSONArray(s_and_end, scan_once)
    result = LineList(values)
    result.line = line_at(text, start - 1)
    result.item_lines = [getattr(value, "line", None) or result.line for value in values]
    return result, end


class _LineDecoder(json.JSONDecoder):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.parse_object = _json_object
        self.parse_array = _json_array
        self.scan_once = json.scanner.py_make_scanner(self)


def _read_json(text):
    try:
        return json.loads(text, cls=_LineDecoder)
    except json.JSONDecodeError as error:
        raise FileProblems(
            [Problem(error.lineno, f"not valid JSON: {error.msg} (column {error.colno})")]
        ) from None
