"""Turn pydantic's validation errors into positioned, actionable diagnostics."""

from __future__ import annotations

import functools
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..diagnostics import Position, Report, did_you_mean, shown
from .yamlread import Document

M = TypeVar("M", bound=BaseModel)

_LIMIT_KINDS = {"too_long", "string_too_long"}
"""Errors that a limit of the format gives (reported as [CF410])."""
_PATTERN_HINTS = {
    "id": "an id is one word: no spaces, `|` or brackets",
    "language": "use a BCP 47 language tag such as `en`, `de` or `pt-BR`",
}


def validate(document: Document, model: type[M], report: Report) -> M | None:
    """Validate *document* as *model*, reporting every problem with its position."""
    spec, _ = validate_and_salvage(document, model, report, salvage=False)
    return spec


def validate_and_salvage(document: Document, model: type[M], report: Report, salvage: bool = True):
    """Like :func:`validate`, but on errors also return the valid remainder and a path map.

    Returns ``(spec, path_map)``; *spec* is the salvaged remainder when there were errors
    (check ``report.ok``), or ``None`` when nothing usable is left.
    """
    from .salvage import PathMap
    from .salvage import salvage as salvage_data

    if not isinstance(document.data, dict):
        report.error(
            document.file,
            document.position(()),
            f"expected a mapping of keys (such as `title:`), found {describe(document.data)}",
            "CF404",
        )
        return None, PathMap()
    try:
        return model.model_validate(document.data), PathMap()
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    misspelt = _misspelt_keys(errors, model)
    for error in errors:
        if error["type"] == "missing" and tuple(error["loc"]) in misspelt:
            continue  # `titel:` already says "did you mean `title`?"
        position, message = _explain(error, document, model)
        report.error(document.file, position, message, _code(error["type"]))
    if not salvage:
        return None, PathMap()
    return salvage_data(document.data, errors, model)


def _code(kind: str) -> str:
    if kind == "extra_forbidden":
        return "CF403"
    return "CF410" if kind in _LIMIT_KINDS else "CF404"


def _misspelt_keys(errors: list, model: type[BaseModel]) -> set[tuple]:
    """Paths of required keys that an unknown key nearby is probably a misspelling of."""
    from ..diagnostics import closest

    missing = {tuple(error["loc"]) for error in errors if error["type"] == "missing"}
    wanting = {loc[:-1] for loc in missing}  # only where a required key is missing can it be misspelt
    found = set()
    for error in errors:
        parent = tuple(error["loc"][:-1])
        if error["type"] == "extra_forbidden" and parent in wanting:
            near = closest(str(error["loc"][-1]), _field_names(model, parent))
            if near and (*parent, near) in missing:
                found.add((*parent, near))
    return found


def describe(value: Any) -> str:
    """A few words saying what kind of value the user wrote."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return f"`{text[:40]}…`" if len(text) > 40 else f"`{text}`"


def _explain(error: Any, document: Document, model: type[BaseModel]) -> tuple[Position, str]:
    loc = tuple(error["loc"])
    kind = error["type"]
    path = document.nearest_path(loc)
    key = _field_key(model, loc)
    value = error.get("input")
    context = error.get("ctx") or {}
    label = f"`{key}`: " if key else ""

    if kind == "extra_forbidden":
        unknown = str(loc[-1])
        known = _field_names(model, loc[:-1])
        return document.key_position(loc), f"unknown key `{shown(unknown)}`{did_you_mean(unknown, known)}"
    if kind == "missing":
        missing = str(loc[-1])
        return document.position(path), f"missing required key `{missing}`"
    position = document.position(path)
    if kind in ("string_type",):
        return position, f"{label}expected text, found {describe(value)}"
    if kind == "string_too_short":
        return position, f"{label}must not be empty"
    if kind == "string_too_long":
        return (
            position,
            f"{label}is too long ({len(str(value))} characters; at most {context.get('max_length')})",
        )
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(key or "", "use letters, digits, `-`, `_` or `.`")
        return position, f"{label}{describe(value)} is not valid here; {hint}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return position, f"{label}expected a whole number, found {describe(value)}"
    if kind in ("float_parsing", "float_type"):
        return position, f"{label}expected a number, found {describe(value)}"
    if kind == "finite_number":
        return position, f"{label}expected a number, found {describe(value)}, which is not one"
    if kind in ("bool_parsing", "bool_type"):
        return position, f"{label}expected true or false, found {describe(value)}"
    if kind == "literal_error":
        choices = _literal_choices(context.get("expected", ""))
        hint = did_you_mean(str(value), choices) if isinstance(value, str) else ""
        return position, f"{label}{describe(value)} is not one of {', '.join(choices)}{hint}"
    if kind == "list_type":
        return position, f"{label}expected a list, found {describe(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return position, f"{label}expected a mapping of keys, found {describe(value)}"
    if kind == "too_long":
        return (
            position,
            f"{label}has {context.get('actual_length')} entries; at most {context.get('max_length')} are allowed",
        )
    if kind == "too_short":
        return position, f"{label}needs at least {context.get('min_length', 1)} entry"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return position, f"{label}{error['msg'].lower()}"
    if kind == "value_error":
        return position, f"{label}{context.get('error', error['msg'])!s}"
    return position, f"{label}{error['msg']}"


def _field_key(model: type[BaseModel], loc: tuple) -> str | None:
    """The last part of *loc* that is a key of the deck format (not a pydantic marker)."""
    found = None
    for index, part in enumerate(loc):
        if isinstance(part, str) and part in _field_names(model, loc[:index]):
            found = part
    return found


def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that validates the mapping at *loc*, if any."""
    return _model_at(model, tuple(0 if isinstance(part, int) else part for part in loc))


@functools.lru_cache(maxsize=1024)
def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """:func:`model_at` with list indexes as 0, remembered: a deck with thousands of errors
    asks about the same few places again and again."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return None
    return _unwrap_model(current)


def _literal_choices(expected: str) -> list[str]:
    return [part.strip(" '\"") for part in expected.replace(" or ", ",").split(",") if part.strip(" '\"")]


def _field_names(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys allowed in the mapping at *loc* (``[]`` if it is not a model)."""
    current = model_at(model, loc)
    if current is None:
        return []
    return _keys_of(current)


@functools.lru_cache(maxsize=256)
def _keys_of(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _step(annotation: Any, part: Any) -> Any:
    model = _unwrap_model(annotation)
    if isinstance(part, str):
        if model is None:
            return None
        for name, info in model.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
        return None
    return _item_type(annotation)


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _unwrap_model(arg) if not _is_container(arg) else None
        if found is not None:
            return found
    return None


def _item_type(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (list, tuple):
        args = typing.get_args(annotation)
        return args[0] if args else None
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _item_type(arg)
            if found is not None:
                return found
    return None


def _is_container(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (list, tuple, dict)
