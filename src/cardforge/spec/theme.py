"""The theme file format, version 1, as pydantic models (see ``deck-format.md``)."""

from __future__ import annotations

import re
from typing import Annotated, Optional

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
    file: Optional[RelativePath] = Field(None, description="A .ttf or .otf file used to measure text.")


class FontsSpec(Strict):
    heading: Optional[FontSpec] = None
    body: Optional[FontSpec] = None


class ColoursSpec(Strict):
    background: Optional[Hex] = None
    text: Optional[Hex] = None
    accent: Optional[Hex] = None
    muted: Optional[Hex] = None
    card: Optional[Hex] = None


class ThemeSpec(Strict):
    """A theme file."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    cardforge_theme: int = Field(description="Theme format version; this cardforge reads version 1.")
    name: Name
    description: Optional[Text] = None
    extends: Optional[Name] = None
    slide_size: Optional[Name] = None
    fonts: Optional[FontsSpec] = None
    colours: Optional[ColoursSpec] = None
    colors: Optional[ColoursSpec] = Field(None, description="Same as `colours`.")
    palette: dict[Name, Hex] = {}
    logo: Optional[RelativePath] = None
    template: Optional[RelativePath] = None

    @field_validator("cardforge_theme")
    @classmethod
    def _known_version(cls, value: int) -> int:
        return check_version(value, THEME_FORMAT_VERSION, "cardforge_theme")

    @property
    def colour_roles(self) -> Optional[ColoursSpec]:
        return self.colours if self.colours is not None else self.colors
