"""The resolved theme that layout and writer work from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

EMU_PER_INCH = 914400
EMU_PER_MM = 36000


@dataclass(frozen=True)
class SlideSize:
    width: int
    height: int


@dataclass(frozen=True)
class Font:
    family: str
    file: Path | None = None
    data: bytes | None = field(default=None, repr=False)
    """The font file's bytes, as read and checked when the theme was loaded."""


@dataclass(frozen=True)
class Theme:
    name: str
    description: str = ""
    slide_size: SlideSize = SlideSize(12192000, 6858000)
    heading_font: Font = Font("Calibri")
    body_font: Font = Font("Calibri")
    background: str = "FFFFFF"
    text: str = "1A1A1A"
    accent: str = "0078D4"
    muted: str = "5F5F5F"
    card: str = "F2F2F2"
    palette: dict[str, str] = field(default_factory=dict)
    logo: Path | None = None
    logo_size: tuple[int, int] | None = None
    """The logo's size in pixels, for its aspect ratio."""
    logo_data: bytes | None = field(default=None, repr=False)
    """The logo's bytes, as read and checked when the theme was loaded: the deck uses these,
    never the file again (which may have been swapped since)."""
    template: Path | None = None
    template_data: bytes | None = field(default=None, repr=False)
    """The template's bytes, as read and checked when the theme was loaded."""
    template_layout: str | None = None
    """The template layout slides are built on (one with just a title placeholder)."""
    source: Path | None = None
    files: tuple[Path, ...] = ()
    """Every file the theme was read from: theme files along `extends:`, logo, fonts, template."""

    def palette_colour(self, name: str) -> tuple[str, str] | None:
        """The palette entry named *name* (case-insensitive) as ``(canonical name, hex)``."""
        folded = _fold_colour_name(name)
        for canonical, value in self.palette.items():
            if _fold_colour_name(canonical) == folded:
                return canonical, value
        return None


def _fold_colour_name(name: str) -> str:
    """Compare colour names ignoring case, spacing and British/American spelling of grey."""
    return " ".join(name.casefold().replace("gray", "grey").split())


MIN_SLIDE = SlideSize(190 * EMU_PER_MM, 140 * EMU_PER_MM)
"""The smallest slide every slide kind lays out without shapes leaving it (7.5 x 5.5 in): the
old 16:9 on-screen size (254 x 142.9 mm), A5 landscape and A4 portrait are above it."""
MAX_SIDE = 1422 * EMU_PER_MM
"""PowerPoint's largest slide side: 56 in."""


def parse_slide_size(text: str) -> SlideSize | None:
    """Parse ``16:9``, ``4:3``, ``A4``, ``Letter`` or ``WxHmm`` / ``WxHin`` / ``WxHcm``.

    The size is not checked against the range cardforge lays out (:func:`slide_size_problem`).
    """
    named = {
        "16:9": SlideSize(12192000, 6858000),
        "4:3": SlideSize(9144000, 6858000),
        "16:10": SlideSize(10972800, 6858000),
        "a4": SlideSize(297 * EMU_PER_MM, 210 * EMU_PER_MM),
        "letter": SlideSize(11 * EMU_PER_INCH, int(8.5 * EMU_PER_INCH)),
    }
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned in named:
        return named[cleaned]
    import re

    match = re.fullmatch(r"(\d{1,6}(?:\.\d{1,6})?)x(\d{1,6}(?:\.\d{1,6})?)(mm|cm|in)", cleaned)
    if not match:
        return None
    unit = {"mm": EMU_PER_MM, "cm": EMU_PER_MM * 10, "in": EMU_PER_INCH}[match.group(3)]
    width, height = (round(float(match.group(i)) * unit) for i in (1, 2))
    return SlideSize(width, height)


def slide_size_problem(size: SlideSize) -> str:
    """Why slides of *size* cannot be laid out, or ``""``: every kind of slide must fit, and
    PowerPoint must open the file."""
    if size.width > MAX_SIDE or size.height > MAX_SIDE:
        return "PowerPoint's slides are at most 1422 mm (56 in) a side"
    if size.width < MIN_SLIDE.width or size.height < MIN_SLIDE.height:
        return (
            f"{size.width / EMU_PER_MM:.0f} x {size.height / EMU_PER_MM:.0f} mm is smaller than every kind of "
            "slide can be laid out on; make slides at least 190 x 140 mm (7.5 x 5.5 in)"
        )
    return ""
