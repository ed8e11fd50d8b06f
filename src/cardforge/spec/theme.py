"""The theme file format, version 1, as pydantic models (see ``deck-format.md``)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, field_validator

from .deck import Strict
from .types import Name, Text, check_version

THEME_FORMAT_VERSION = 1
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _check_hex(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError(f"`{value}` is not a colour; write it as #RRGGBB, for example #0078D4")
    return value.upper()


Hex = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_check_hex)]
RelativePath = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]


class FontSpec(Strict):
    family: Name
    file: RelativePath | None = Field(None, description="A .ttf or .otf file used to measure text.")


class FontsSpec(Strict):
    heading: FontSpec | None = None
    body: FontSpec | None = None


class ColoursSpec(Strict):
    background: Hex | None = None
    text: Hex | None = None
    accent: Hex | None = None
    muted: Hex | None = None
    card: Hex | None = None


class ThemeSpec(Strict):
    """A theme file."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    cardforge_theme: int = Field(description="Theme format version; this cardforge reads version 1.")
    name: Name
    description: Text | None = None
    extends: Name | None = None
    slide_size: Name | None = None
    fonts: FontsSpec | None = None
    colours: ColoursSpec | None = None
    colors: ColoursSpec | None = Field(None, description="Same as `colours`.")
    palette: dict[Name, Hex] = Field(default_factory=dict)
    logo: RelativePath | None = None
    template: RelativePath | None = None

    @field_validator("cardforge_theme")
    @classmethod
    def _known_version(cls, value: int) -> int:
        return check_version(value, THEME_FORMAT_VERSION, "cardforge_theme")

    @property
    def colour_roles(self) -> ColoursSpec | None:
        return self.colours if self.colours is not None else self.colors
