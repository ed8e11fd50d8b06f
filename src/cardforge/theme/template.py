"""Base templates: a .pptx whose masters and layouts a theme's slides are built on.

A template is read with the same hardened package reader the writer uses (sizes, ratios,
XML without entities, links under the deck's rules), and checked for what the writer
relies on: a slide size PowerPoint accepts, whole-number positions on the masters and
layouts it scales, and a layout with just a title.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

TITLE_TYPES = {"title", "ctrTitle"}
CHROME_TYPES = {"dt", "ftr", "sldNum"}
MIN_SIDE_EMU = 914400
"""PowerPoint's smallest slide side: 1 in."""
MAX_SIDE_EMU = 51206400
"""PowerPoint's largest slide side: 56 in."""

_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


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


def inspect_template(source: Path | bytes, name: str | None = None) -> TemplateInfo:
    """Read a template's slide size and its first master's layouts with their placeholders.

    *source* is the template's bytes (as the theme loader read them) or a path; *name*
    names it in messages. Raises ``ValueError`` (a
    :class:`~cardforge.writer.opc.TemplateError`) with a readable reason when the file is
    not a presentation cardforge can build on.
    """
    from ..writer.base import BasePackage, coordinate
    from ..writer.opc import TemplateError, parse_xml

    if isinstance(source, Path):
        name = name or source.name
        source = source.read_bytes()
    base = BasePackage(source, name)
    shown = f"`{name or 'the template'}`"
    root = parse_xml(base.presentation.blob)
    size = root.find(f"{_P}sldSz")
    if size is None:
        raise TemplateError(f"{shown} gives no slide size (p:sldSz); open it in PowerPoint and save it again")
    width, height = (coordinate(size, key, shown) for key in ("cx", "cy"))
    if not (MIN_SIDE_EMU <= width <= MAX_SIDE_EMU and MIN_SIDE_EMU <= height <= MAX_SIDE_EMU):
        raise TemplateError(
            f"{shown} has a slide size of {width / MIN_SIDE_EMU:.2f} x {height / MIN_SIDE_EMU:.2f} in; "
            "PowerPoint's slides are 1 to 56 in a side"
        )
    masters = base.masters()
    if not masters:
        raise TemplateError(f"{shown} has no slide master; open it in PowerPoint and save it again")
    master_root = parse_xml(masters[0].blob)
    _check_coordinates(master_root, f"{shown} ({masters[0].name[1:]})")
    inherited = _placeholder_boxes(master_root)
    layouts = []
    for part in base.layouts():
        layout_root = parse_xml(part.blob)
        _check_coordinates(layout_root, f"{shown} ({part.name[1:]})")
        layouts.append(_layout(layout_root, inherited))
    return TemplateInfo(width, height, tuple(layouts))


def _check_coordinates(root: etree._Element, where: str) -> None:
    """Every position and extent the writer scales is a whole number."""
    from ..writer.base import coordinate

    for offset in root.iter(f"{_A}off"):
        coordinate(offset, "x", where)
        coordinate(offset, "y", where)
    for extent in root.iter(f"{_A}ext"):
        if extent.get("cx") is not None or extent.get("cy") is not None:
            coordinate(extent, "cx", where)
            coordinate(extent, "cy", where)


def _layout(root: etree._Element, inherited: dict[str, tuple[int, int, int, int]]) -> Layout:
    data = root.find(f"{_P}cSld")
    name = data.get("name", "") if data is not None else ""
    placeholders = []
    for shape in root.iter(f"{_P}sp"):
        ph = shape.find(f"{_P}nvSpPr/{_P}nvPr/{_P}ph")
        if ph is None:
            continue
        kind = ph.get("type", "body")
        idx = ph.get("idx", "0")
        label = shape.find(f"{_P}nvSpPr/{_P}cNvPr")
        box = _box(shape) or inherited.get(kind) or (0, 0, 0, 0)
        placeholders.append(
            Placeholder(
                int(idx) if idx.isdigit() else 0,
                kind,
                label.get("name", "") if label is not None else "",
                box,
            )
        )
    return Layout(name, tuple(placeholders))


def _placeholder_boxes(master: etree._Element) -> dict[str, tuple[int, int, int, int]]:
    """The master's placeholder boxes by type: where a layout placeholder without its own
    position stands."""
    boxes: dict[str, tuple[int, int, int, int]] = {}
    for shape in master.iter(f"{_P}sp"):
        ph = shape.find(f"{_P}nvSpPr/{_P}nvPr/{_P}ph")
        box = _box(shape)
        if ph is not None and box is not None:
            boxes.setdefault(ph.get("type", "body"), box)
    boxes.setdefault("ctrTitle", boxes.get("title", (0, 0, 0, 0)))
    return boxes


def _box(shape: etree._Element) -> tuple[int, int, int, int] | None:
    offset = shape.find(f"{_P}spPr/{_A}xfrm/{_A}off")
    extent = shape.find(f"{_P}spPr/{_A}xfrm/{_A}ext")
    if offset is None or extent is None:
        return None
    values = (offset.get("x"), offset.get("y"), extent.get("cx"), extent.get("cy"))
    x, y, w, h = (int(value or 0) for value in values)  # checked whole numbers (_check_coordinates)
    return x, y, w, h
