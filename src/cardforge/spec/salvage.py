"""Keep going after validation errors, so that reference errors are reported in the same run.

When a deck fails validation, the broken parts are taken out (an optional key removed, a
list item dropped, a required top-level value replaced) and the rest validated again. The
model stage then resolves what remains and reports its own errors. Dropped list items
shift indexes, so a :class:`PathMap` translates paths back to the user's file, and the ids
and names of dropped items are remembered so that references to them are not reported
as unknown a second time.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from .validate import model_at
from .yamlread import PathKey

_PLACEHOLDERS = {"cardforge": "1", "title": "untitled"}


@dataclass
class PathMap:
    """Maps paths in salvaged data back to paths in the original file."""

    kept: dict[PathKey, list[int]] = field(default_factory=dict)
    dropped_names: set[str] = field(default_factory=set)

    def original(self, path: PathKey) -> PathKey:
        result: list[Any] = []
        for part in path:
            if isinstance(part, int):
                indexes = self.kept.get(tuple(result))
                if indexes is not None and part < len(indexes):
                    part = indexes[part]
            result.append(part)
        return tuple(result)

    def is_dropped(self, name: str) -> bool:
        return name.strip().casefold() in self.dropped_names


def salvage(data: dict, errors: Sequence[Any], model: type[BaseModel]) -> tuple[BaseModel | None, PathMap]:
    """The valid remainder of *data* as *model*, or ``None`` if too little is left."""
    repaired = copy.deepcopy(data)
    paths = PathMap()
    drops: dict[PathKey, set[int]] = {}
    for error in errors:
        if not _repair(repaired, tuple(error["loc"]), model, drops):
            return None, paths
    # Deeper lists first, so that dropping an outer item cannot move an inner list; and
    # nothing inside an item that goes anyway.
    for list_path in sorted(drops, key=len, reverse=True):
        indexes = drops[list_path]
        if _inside_dropped(list_path, drops):
            continue
        items = _get(repaired, list_path)
        for index in indexes:
            item = items[index]
            if isinstance(item, dict):
                for key in ("id", "name", "persona"):
                    if isinstance(item.get(key), str):
                        paths.dropped_names.add(item[key].strip().casefold())
        paths.kept[list_path] = [i for i in range(len(items)) if i not in indexes]
        items[:] = [item for i, item in enumerate(items) if i not in indexes]
    try:
        return model.model_validate(repaired), paths
    except ValidationError:
        return None, paths


def _inside_dropped(path: PathKey, drops: dict[PathKey, set[int]]) -> bool:
    """Whether *path* lies inside a list item that is dropped as a whole."""
    for outer, indexes in drops.items():
        if len(outer) < len(path) and path[: len(outer)] == outer and path[len(outer)] in indexes:
            return True
    return False


def _repair(data: dict, loc: PathKey, model: type[BaseModel], drops: dict[PathKey, set[int]]) -> bool:
    """Take the part of *data* that *loc* condemns out of the way; False if impossible."""
    path = _existing_prefix(data, loc)
    if len(loc) > len(path) and isinstance(_get(data, path), dict):
        path = (*path, loc[len(path)])  # a missing or unknown key of a mapping
    for end in range(len(path), 0, -1):
        parent, key = path[: end - 1], path[end - 1]
        container = _get(data, parent)
        if isinstance(key, str) and isinstance(container, dict):
            owner = model_at(model, parent)
            info = owner.model_fields.get(key) if owner else None
            if info is None or not info.is_required():
                container.pop(key, None)
                return True
            if not parent and key in _PLACEHOLDERS:
                container[key] = _PLACEHOLDERS[key]
                return True
        elif isinstance(key, int) and isinstance(container, list) and parent:
            drops.setdefault(parent, set()).add(key)
            return True
    return False


def _existing_prefix(data: Any, loc: PathKey) -> PathKey:
    path: list[Any] = []
    current = data
    for part in loc:
        if (isinstance(current, dict) and isinstance(part, str) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and part < len(current)
        ):
            current = current[part]  # type: ignore[index]  # a str key of a dict, an int index of a list
        else:
            continue
        path.append(part)
    return tuple(path)


def _get(data: Any, path: PathKey) -> Any:
    for part in path:
        data = data[part]
    return data
