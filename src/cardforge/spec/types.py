"""Reusable field types of the deck format: text, links, lists that accept one item."""

from __future__ import annotations

import re
from typing import Annotated, Any, Union

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from .. import limits

MAX_TEXT = 4000
MAX_URL = 2048
MAX_ITEMS = limits.LIST_ENTRIES
"""Entries in one list field of a persona (services, skills...)."""
ALLOWED_SCHEMES = ("https", "http", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
"""Non-empty text, surrounding white space removed."""

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
"""A short name: persona, team, process, component, colour."""


def _check_url(value: str) -> str:
    value = value.strip()
    match = _SCHEME.match(value)
    if not match:
        raise ValueError(f"`{value[:60]}` is not a link; it must start with https://, http:// or mailto:")
    scheme = match.group(1).lower()
    if scheme not in ALLOWED_SCHEMES:
        raise ValueError(f"links may use https, http or mailto, not `{scheme}:`")
    if len(value) > MAX_URL:
        raise ValueError(f"the link is {len(value)} characters long; at most {MAX_URL} are allowed")
    if any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise ValueError("a link may not contain spaces or control characters; encode a space as %20")
    if scheme in ("http", "https") and not re.match(r"^https?://[^/?#\s]+", value, re.I):
        raise ValueError(f"`{value[:60]}` has no host name after `{scheme}://`")
    return value


Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_check_url)]
"""A link restricted to https, http and mailto."""


def one_or_many(value: Any) -> Any:
    """Let a single text stand for a one-item list (``skills: SQL``)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


def one_or_many_entries(value: Any) -> Any:
    """Let a single text or mapping stand for a one-item list of entries."""
    return [value] if isinstance(value, dict) else one_or_many(value)


def lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def canonical(*choices: str) -> BeforeValidator:
    """Accept any capitalisation of *choices*, giving back the documented spelling."""
    by_folded = {choice.casefold(): choice for choice in choices}

    def _pick(value: Any) -> Any:
        if isinstance(value, str):
            return by_folded.get(value.strip().casefold(), value.strip())
        return value

    return BeforeValidator(_pick)


def accepts_one(item: Any, entries: bool = False) -> BeforeValidator:
    """For ``Annotated[list[item], accepts_one(item)]``: a single item is a list of one.

    The JSON Schema says both. With *entries*, a single mapping counts as one item too
    (``services: {name: ...}``).
    """
    wrap = one_or_many_entries if entries else one_or_many
    return BeforeValidator(wrap, json_schema_input_type=Union[item, list[item]])  # noqa: UP007 (item may be Annotated)


AtMostMaxItems = Field(max_length=MAX_ITEMS)
NameList = Annotated[list[Name], accepts_one(Name), AtMostMaxItems]
TextList = Annotated[list[Text], accepts_one(Text), AtMostMaxItems]


def check_version(value: int, supported: int, key: str) -> int:
    """Accept format version *supported*; explain anything else."""
    if value > supported:
        raise ValueError(
            f"this file is format version {value}, newer than this cardforge reads "
            f"(version {supported}); upgrade cardforge"
        )
    if value < supported:
        raise ValueError(f"unknown format version {value}; write `{key}: {supported}`")
    return value
