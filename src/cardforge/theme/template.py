"""Base templates: a .pptx whose masters and layouts a theme's slides are built on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TITLE_TYPES = {"title", "ctrTitle"}
CHROME_TYPES = {"dt", "ftr", "sldNum"}


@dataclass(frozen=True)
class Placeholder:
    idx: int
    type: str
    name: str
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class Layout:
    name: str
    placeholders: tuple[Placeholder, ...]

    @property
    def title_only(self) -> bool:
        kinds = {p.type for p in self.placeholders} - CHROME_TYPES
        return bool(kinds) and kinds <= TITLE_TYPES


@dataclass(frozen=True)
class TemplateInfo:
    width: int
    height: int
    layouts: tuple[Layout, ...]

    def title_layout(self) -> str | None:
        """The layout cardforge builds on: "Title Only" by name, else one with just a title."""
        for layout in self.layouts:
            if layout.name.strip().lower() == "title only" and layout.title_only:
                return layout.name
        return next((layout.name for layout in self.layouts if layout.title_only), None)


def inspect_template(path: Path) -> TemplateInfo:
    """Read a template's slide size and its layouts with their placeholders.

    Raises ``ValueError`` with a readable reason when *path* is not a presentation.
    """
    import zipfile

    import pptx
    from pptx.exc import PackageNotFoundError

    if not zipfile.is_zipfile(path):
        raise ValueError(f"`{path.name}` is not a PowerPoint file (.pptx)")
    try:
        prs = pptx.Presentation(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        raise ValueError(f"`{path.name}` is not a PowerPoint presentation: {error}") from None
    layouts = []
    for layout in prs.slide_layouts:
        placeholders = []
        for shape in layout.placeholders:
            kind = shape.placeholder_format.type
            kind_name = _ph_type(shape)
            placeholders.append(
                Placeholder(
                    shape.placeholder_format.idx,
                    kind_name or str(kind),
                    shape.name,
                    (shape.left or 0, shape.top or 0, shape.width or 0, shape.height or 0),
                )
            )
        layouts.append(Layout(layout.name, tuple(placeholders)))
    return TemplateInfo(prs.slide_width, prs.slide_height, tuple(layouts))


def _ph_type(shape) -> str:
    ph = shape._element.find(".//{http://schemas.openxmlformats.org/presentationml/2006/main}ph")
    return ph.get("type", "body") if ph is not None else "body"
