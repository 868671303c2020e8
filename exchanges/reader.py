"""One reader for the YAML, JSON and CSV text that every loader reads.

The shipped data, the user's event and document files, uploads and tour files
all go through these functions, so the same limits hold on every path:

- **YAML** is parsed with libyaml's C parser when PyYAML has it (the pure-Python
  one otherwise), safe tags only; dates stay text (the models check them);
  duplicate keys are refused.
- **JSON**: duplicate keys are refused (found in linear time).
- **Numbers** written with more than ``Limits.max_number_digits`` digits are not
  converted (Python refuses past 4,300 digits, and such a number is never a
  real count): they become an :class:`OversizedNumber`, which the models refuse
  against the record's row and field.
- **Each record** (an item of the top-level list, or a whole tour) may nest at
  most ``max_depth`` levels and hold at most ``max_values`` values, counting a
  YAML alias as many times as it is used (so a "billion laughs" file is refused
  in milliseconds instead of expanding to gigabytes); no text in it may be
  longer than ``max_chars``; an alias may not contain itself.
- **CSV**: at most ``max_columns`` columns; the header's repeated names are
  found in linear time.

Problems come back as :class:`ReadError` (the text as a whole cannot be read,
with its line) or as a :class:`RecordProblem` for one record (with the field
path), so a loader can list the broken record and keep the others. Values in
messages are shown with :func:`short_repr`, never whole.
"""

from __future__ import annotations

import csv
import io
import json
import os
import reprlib
import stat
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "LIMITS",
    "UTF16_BOMS",
    "Limits",
    "OversizedNumber",
    "ReadError",
    "RecordProblem",
    "check_record",
    "csv_rows",
    "decode_text",
    "dump_yaml",
    "parse_json",
    "parse_yaml",
    "read_text_file",
    "short_repr",
]


@dataclass(frozen=True)
class Limits:
    """What one file may hold. The defaults are far above any real data file."""

    max_depth: int = 20
    """Containers nested in one record (an event nests 3: record, figures, figure)."""
    max_values: int = 100_000
    """Values in one record, aliases counted each time they are used."""
    max_chars: int = 200_000
    """Characters in one text value (a key or a string)."""
    max_number_digits: int = 30
    """Digits of an integer before it is refused as absurd."""
    max_columns: int = 500
    """Columns of a CSV header."""
    max_file_bytes: int = 256 * 1024 * 1024
    """Size of a data file read from disk (uploads have their own, smaller limit)."""


LIMITS = Limits()


class ReadError(ValueError):
    """The text cannot be read as a whole; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class RecordProblem:
    """Why one record is refused before validation; ``field`` is a path like ``figures[0].what``."""

    field: str | None
    message: str


class OversizedNumber:
    """An integer written with too many digits; the models refuse it where it stands."""

    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"<a number of {self.digits:,} digits>"


# ---------------------------------------------------------------------------
# Bounded repr
# ---------------------------------------------------------------------------


class _ShortRepr(reprlib.Repr):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.maxlevel = 2
        self.maxstring = self.maxother = self.maxlong = limit
        self.maxlist = self.maxtuple = self.maxdict = self.maxset = self.maxfrozenset = 4

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 256:  # builtins.repr refuses past 4,300 digits; never show such a number
            return f"<a number of about {int(x.bit_length() * 0.30103) + 1:,} digits>"
        return super().repr_int(x, level)

    def repr_str(self, x: str, level: int) -> str:
        return super().repr_str(x[: self.maxstring + 2], level)


def short_repr(value: Any, limit: int = 80) -> str:
    """``repr(value)`` cut to about ``limit`` characters, without building the whole repr.

    Safe for huge and shared (aliased) structures and huge integers.
    """
    try:
        shown = _ShortRepr(limit).repr(value)
    except Exception:  # noqa: BLE001 - a hostile __repr__ must not hide the real message
        shown = f"<{type(value).__name__}>"
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------

UTF16_BOMS = ("\ufeff".encode("utf-16-le"), "\ufeff".encode("utf-16-be"))


def decode_text(data: bytes) -> str:
    """Bytes of a text file as text: UTF-8 (a byte-order mark is dropped), or UTF-16
    when the bytes start with a UTF-16 byte-order mark. ``UnicodeDecodeError`` otherwise."""
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16").removeprefix("\ufeff")
    return data.decode("utf-8-sig")


def read_text_file(path: Path, limits: Limits = LIMITS) -> str:
    """The text of a data file, or ``ReadError`` saying why it cannot be read.

    Only a regular file is read (a symlink is followed, but a loop, a folder, a
    pipe or a device is refused, never waited on), up to ``max_file_bytes``;
    line ends are normalised as Python's text mode does.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ReadError("file not found") from None
    except OSError as exc:
        raise ReadError(f"cannot read file: {exc.strerror or exc}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ReadError("not a regular file")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limits.max_file_bytes:
            raise ReadError(f"the file is {info.st_size:,} bytes, more than the limit of {limits.max_file_bytes:,}")
        data = handle.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:
        raise ReadError(f"the file is more than the limit of {limits.max_file_bytes:,} bytes")
    try:
        text = decode_text(data)
    except UnicodeDecodeError as exc:
        raise ReadError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


# ---------------------------------------------------------------------------
# YAML
# ---------------------------------------------------------------------------

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
HAVE_LIBYAML = _BaseLoader is not yaml.SafeLoader


class _YamlLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader (libyaml's parser when available) that keeps dates as text and
    refuses duplicate keys.

    Dates stay strings so that the models validate them and a bad date
    (``1962-13-01``) is reported against its row and field instead of making
    the whole file unreadable. A duplicate key would silently drop a value.
    """

    max_number_digits = LIMITS.max_number_digits

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, "a key must be plain text",
                    key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:  # unhashable key: let the base class report it
                break
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, f"duplicate key {short_repr(key, 60)}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int | OversizedNumber:
        digits = sum(char.isalnum() for char in node.value)
        if digits > self.max_number_digits:
            return OversizedNumber(digits)
        return super().construct_yaml_int(node)


    # The C composer calls these for every node: short versions of the Resolver's,
    # without path resolvers (never used here), same answers.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


_STR, _INT, _BOOL, _NULL, _FLOAT = (f"tag:yaml.org,2002:{name}" for name in ("str", "int", "bool", "null", "float"))
_SEQ, _MAP, _MERGE = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:merge"
_YamlLoader.add_constructor(_INT, _YamlLoader.construct_yaml_int)
_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _scalar(loader: _YamlLoader, node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag == _STR:
        return node.value
    if tag == _INT:
        return loader.construct_yaml_int(node)
    if tag == _BOOL:
        return loader.construct_yaml_bool(node)
    if tag == _NULL:
        return None
    if tag == _FLOAT:
        return loader.construct_yaml_float(node)
    return loader.construct_object(node, deep=True)  # explicit tags: the safe constructor's own


def _plain_container(node: yaml.Node) -> bool:
    if isinstance(node, yaml.SequenceNode):
        return node.tag == _SEQ
    return (isinstance(node, yaml.MappingNode) and node.tag == _MAP
            and not any(key.tag == _MERGE for key, _ in node.value))


def _build(loader: _YamlLoader, root: yaml.Node) -> Any:
    """The Python value of a composed YAML document, built without recursion.

    Plain mappings, sequences and the core scalar types are built here (a
    shared node, an alias, becomes one shared object, so aliases cost nothing
    to build); anything else (explicit tags, merge keys) by the safe constructor.
    """
    if not _plain_container(root):
        return _scalar(loader, root) if isinstance(root, yaml.ScalarNode) else loader.construct_object(root, deep=True)
    made: dict[int, Any] = {}
    result = made[id(root)] = {} if isinstance(root, yaml.MappingNode) else []
    pending = [(root, result)]

    def value_of(node: yaml.Node) -> Any:
        known = made.get(id(node))
        if known is not None:
            return known
        if isinstance(node, yaml.ScalarNode):
            return _scalar(loader, node)
        if not _plain_container(node):
            return loader.construct_object(node, deep=True)
        container = made[id(node)] = {} if isinstance(node, yaml.MappingNode) else []
        pending.append((node, container))
        return container

    while pending:
        node, target = pending.pop()
        if isinstance(target, list):
            target.extend(value_of(child) for child in node.value)
            continue
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, "a key must be plain text", key_node.start_mark)
            key = _scalar(loader, key_node)
            try:
                duplicate = key in target
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, "a key must be plain text",
                    key_node.start_mark) from None
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, f"duplicate key {short_repr(key, 60)}",
                    key_node.start_mark)
            target[key] = value_of(value_node)
    return result


def parse_yaml(text: str, limits: Limits = LIMITS) -> Any:
    """The one YAML document in ``text``; ``ReadError`` if it is not valid YAML.

    Records are not checked here: call :func:`check_record` on each.
    """
    loader = _YamlLoader(text)
    loader.max_number_digits = limits.max_number_digits
    try:
        node = loader.get_single_node()
        return None if node is None else _build(loader, node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        where = f" at line {line}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ReadError(f"not valid YAML{where}: {problem}", line) from None
    except (RecursionError, MemoryError):
        raise ReadError("not valid YAML: nested too deeply") from None
    finally:
        loader.dispose()


def dump_yaml(data: object, header: str = "") -> str:
    """The one YAML writer: block style, key order and Unicode kept, lines of about 100
    columns; ``header`` (any number of lines) as ``#`` comments at the top. Reads back
    with :func:`parse_yaml`."""
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    comment = "".join(f"# {line}\n" for line in header.splitlines()) if header else ""
    return comment + body


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------


class _DuplicateKeyError(ValueError):
    pass


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(f"duplicate key {short_repr(key, 60)}")
        result[key] = value
    return result


def parse_json(text: str, limits: Limits = LIMITS) -> Any:
    """The JSON value in ``text``; ``ReadError`` if it is not valid JSON."""

    def integer(digits: str) -> int | OversizedNumber:
        count = len(digits.lstrip("-"))
        return OversizedNumber(count) if count > limits.max_number_digits else int(digits)

    try:
        return json.loads(text, object_pairs_hook=_unique_pairs, parse_int=integer)
    except json.JSONDecodeError as exc:
        raise ReadError(f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", exc.lineno) from None
    except _DuplicateKeyError as exc:
        raise ReadError(f"not valid JSON: {exc}") from None
    except RecursionError:
        raise ReadError("not valid JSON: nested too deeply") from None


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------

_SEQUENCES = (list, tuple, set, frozenset)


def _items(value: Any) -> Iterator[tuple[Any, Any]] | None:
    if isinstance(value, Mapping):
        return iter(value.items())
    if isinstance(value, _SEQUENCES):
        return enumerate(value)
    return None


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _text_problem(value: Any, path: str, limits: Limits) -> RecordProblem | None:
    if isinstance(value, str) and len(value) > limits.max_chars:
        return RecordProblem(path or None, f"text of {len(value):,} characters, longer than the limit of "
                                           f"{limits.max_chars:,}")
    if isinstance(value, OversizedNumber):
        return RecordProblem(path or None, f"{value!r}: more than {limits.max_number_digits} digits is not a "
                                           "number the app can use")
    return None


class _Frame:
    __slots__ = ("children", "count", "depth", "path", "value")

    def __init__(self, value: Any, children: Iterator[tuple[Any, Any]], path: str) -> None:
        self.value, self.children, self.path = value, children, path
        self.count, self.depth = 1, 0


class _Exceeded(Exception):
    pass


def _count(value: Any, level: int, limits: Limits, done: dict[int, int], active: set[int]) -> int:
    """Values in ``value`` (shared containers measured once); ``_Exceeded`` at the first limit broken."""
    if isinstance(value, str):
        if len(value) > limits.max_chars:
            raise _Exceeded
        return 1
    if isinstance(value, OversizedNumber):
        raise _Exceeded
    if isinstance(value, Mapping):
        children: Any = value.values()
        if any(isinstance(key, str) and len(key) > limits.max_chars for key in value):
            raise _Exceeded
    elif isinstance(value, _SEQUENCES):
        children = value
    else:
        return 1
    key = id(value)
    if key in done:
        return done[key]
    if key in active or level > limits.max_depth:
        raise _Exceeded
    active.add(key)
    total = 1
    for child in children:
        total += _count(child, level + 1, limits, done, active)
        if total > limits.max_values:
            raise _Exceeded
    active.discard(key)
    done[key] = total
    return total


def check_record(record: Any, limits: Limits = LIMITS) -> RecordProblem | None:
    """The first limit ``record`` breaks (depth, values, text length, self-reference), or None.

    Linear in the distinct containers of the record: a shared (aliased) part is
    measured once and its size reused, so an exponential expansion is caught
    after a few steps. A quick count runs first; only a record that breaks a
    limit is walked again to say where.
    """
    try:
        _count(record, 1, limits, {}, set())
    except _Exceeded:
        return _locate_problem(record, limits) or RecordProblem(None, "the record breaks the reader's limits")
    return None


def _locate_problem(record: Any, limits: Limits) -> RecordProblem | None:
    """:func:`check_record`'s problem, with the path of the field where it is."""
    children = _items(record)
    if children is None:
        return _text_problem(record, "", limits)
    done: dict[int, tuple[int, int]] = {}  # id of a measured container -> (values, depth)
    stack = [_Frame(record, children, "")]
    active = {id(record)}
    while stack:
        frame = stack[-1]
        entry = next(frame.children, None)
        if entry is None:
            stack.pop()
            active.discard(id(frame.value))
            done[id(frame.value)] = (frame.count, frame.depth)
            if stack:
                parent = stack[-1]
                parent.count += frame.count
                parent.depth = max(parent.depth, frame.depth + 1)
                if parent.count > limits.max_values:
                    return _too_many(parent.path, limits)
            continue
        key, value = entry
        path = _join(frame.path, key)
        problem = _text_problem(key, frame.path, limits) or _text_problem(value, path, limits)
        if problem is not None:
            return problem
        grandchildren = _items(value)
        if grandchildren is None:
            frame.count += 1
            continue
        if id(value) in active:
            return RecordProblem(path, "this value contains itself (a YAML alias to its own anchor)")
        if id(value) in done:
            count, depth = done[id(value)]
            frame.count += count
            frame.depth = max(frame.depth, depth + 1)
            if frame.count > limits.max_values:
                return _too_many(frame.path, limits)
            continue
        if len(stack) >= limits.max_depth:
            return RecordProblem(path, f"nested more than {limits.max_depth} levels deep")
        stack.append(_Frame(value, grandchildren, path))
        active.add(id(value))
    return None


def _too_many(path: str, limits: Limits) -> RecordProblem:
    return RecordProblem(path or None, f"holds more than {limits.max_values:,} values (YAML aliases counted "
                                       "each time they are used)")


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


@dataclass
class CsvTable:
    """A CSV text split into its header and rows; ``problems`` are (line, column, message)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    problems: list[tuple[int, str | None, str]]


def csv_rows(text: str, limits: Limits = LIMITS) -> CsvTable:
    """The header (names stripped) and the non-empty rows of a CSV text, each with the
    line it starts on. Reading stops at the first malformed line (reported).

    Refused in the header: more than ``max_columns`` columns, a name that
    appears more than once. Not refused here: unknown names (the caller knows
    which are allowed) and rows longer than the header (reported per row by
    the caller, who names the file).
    """
    table = CsvTable([], [], [])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        table.problems.append((1, None, f"cannot read CSV header: {exc}"))
        return table
    if not header:
        return table
    if len(header) > limits.max_columns:
        table.problems.append((1, None, f"the header has {len(header):,} columns, more than the limit of "
                                        f"{limits.max_columns}"))
        return table
    table.header = [name.strip() for name in header]
    counts = Counter(table.header)
    table.problems += [(1, name, "column appears more than once")
                       for name in sorted(name for name, count in counts.items() if count > 1)]
    last_line = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            table.problems.append((last_line + 1, None, f"cannot read CSV: {exc}"))
            break
        line, last_line = last_line + 1, reader.line_num
        if any(cell.strip() for cell in cells):
            table.rows.append((line, cells))
    return table
