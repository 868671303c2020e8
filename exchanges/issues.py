"""One kind of problem report for every reader, and one translation of pydantic's errors into it.

Every reader of the app (the data files and the user's event files in
``exchanges.loader``, the gazetteer CSV, tour YAML, the review table of a
document, the user's places, an events upload, an old user folder imported into
the store) reports what is wrong as :class:`Issue`\\ s: the file, the row (the
1-based position of a record in a YAML/JSON list, the line of a CSV file, the
step of a tour, the row of a table), the field path (``figures[0].low``) and
the message. Problems are collected, never stopped at the first.

:func:`validation_issues` turns a pydantic ``ValidationError`` into issues with
one wording, whichever model failed:

- a missing field: "required field is missing";
- an unknown field: "unknown field (allowed: …)" with the model's fields;
- a rule of the model's own (a validator): its message, and when that message
  starts with the field at fault (``end_date`` before ``date``, ``high`` below
  ``low``), that field is added to the path;
- anything else: pydantic's message and the value, shortened
  (``exchanges.reader.short_repr``).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from exchanges.reader import short_repr

__all__ = ["Issue", "IssuesError", "field_path", "validation_issues"]


@dataclass(frozen=True)
class Issue:
    """One problem in an input. ``row`` and ``field`` are None when the problem
    concerns the whole file (it cannot be read) or the whole record."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        """``data/events.yaml, row 3, field figures[0].low: …`` (the parts that are known)."""
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field {self.field}")
        return f"{', '.join(where)}: {self.message}"


class IssuesError(ValueError):
    """An input refused as a whole; ``issues`` lists every problem found. The base of the
    readers' errors (``loader.DataValidationError``, ``gazetteer.GazetteerError``)."""

    def __init__(self, issues: Iterable[Issue], heading: str | None = None) -> None:
        self.issues: list[Issue] = list(issues)
        lines = [str(i) for i in self.issues] if heading is None else [heading, *(f"  {i}" for i in self.issues)]
        super().__init__("\n".join(lines))


def field_path(loc: Sequence[str | int]) -> str | None:
    """``('figures', 0, 'low')`` -> ``figures[0].low``; ``()`` -> None."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or None


def validation_issues(
    error: ValidationError,
    file: str,
    row: int | None = None,
    *,
    model: type[BaseModel] | None = None,
    rows_in: str | None = None,
) -> list[Issue]:
    """Every error of ``error`` (raised validating one record of ``file`` at ``row``) as an :class:`Issue`.

    ``model`` is the model that was validated: its fields complete the path of
    a rule that spans fields and list what is allowed for an unknown field.
    ``rows_in`` names a list field whose items are the rows (a tour's
    ``steps``): an error inside its item *i* is reported at row *i* + 1, with
    the path below the item.
    """
    return [_issue(details, file, row, model, rows_in) for details in error.errors()]


def _issue(details: Any, file: str, row: int | None, model: type[BaseModel] | None,
           rows_in: str | None) -> Issue:
    loc: list[str | int] = list(details.get("loc", ()))
    if rows_in is not None and len(loc) >= 2 and loc[0] == rows_in and isinstance(loc[1], int):
        row, model, loc = loc[1] + 1, _model_at(model, loc[:2]), loc[2:]
    kind = details.get("type")
    if kind == "value_error":
        first_word = str(details.get("ctx", {}).get("error", "")).split(" ", 1)[0]
        owner = _model_at(model, loc)
        if owner is not None and first_word in owner.model_fields:
            loc.append(first_word)
    return Issue(file, row, field_path(loc), _message(details, _model_at(model, loc[:-1]) if loc else None))


def _message(details: Any, parent: type[BaseModel] | None) -> str:
    kind = details.get("type")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        allowed = f" (allowed: {', '.join(parent.model_fields)})" if parent is not None else ""
        return f"unknown field{allowed}"
    if kind == "value_error":
        return str(details.get("ctx", {}).get("error", details["msg"]))
    if "input" not in details:
        return str(details["msg"])
    return f"{details['msg']} (got {short_repr(details['input'])})"


def _model_at(model: type[BaseModel] | None, loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model of the record at ``loc`` inside ``model`` (list indexes skipped), or None."""
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        model = _model_in(info.annotation) if info is not None else None
    return model


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, directly or in a list, optional or union (the first found)."""
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None
