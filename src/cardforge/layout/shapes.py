"""What a slide is made of, as pure data: boxes in EMU, fitted text, colours as hex.

Layout modules produce these; the writer turns them into PresentationML and nothing
else. Nothing here knows about python-pptx.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EMU_PER_PT = 12700
EMU_PER_INCH = 914400

Align = Literal["l", "ctr", "r"]
Placeholder = Literal["ftr", "sldNum"]
Anchor = Literal["t", "ctr", "b"]
FontRole = Literal["heading", "body"]


def pt(value: float) -> int:
    """Points to EMU, rounded to a whole EMU."""
    return round(value * EMU_PER_PT)


@dataclass(frozen=True)
class Box:
    """A rectangle in EMU: left, top, width, height."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def inset(self, left: int, top: int = -1, right: int = -1, bottom: int = -1) -> Box:
        top = left if top < 0 else top
        right = left if right < 0 else right
        bottom = top if bottom < 0 else bottom
        return Box(self.x + left, self.y + top, self.w - left - right, self.h - top - bottom)

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom
        )

    def contains(self, other: Box) -> bool:
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    colour: str | None = None
    """Overrides the paragraph colour."""
    link: str | None = None
    """An https, http or mailto URL, or ``#ANCHOR`` for a slide of this deck."""
    underline: bool = True
    """Whether a linked run is underlined (a separator inside a link need not be)."""
    only_with: str | None = None
    """A link this run goes with: the run is left out when that link goes nowhere (a
    ``#ANCHOR`` whose slide is not built)."""
    slide_number: bool = False
    """The slide's number, as a field PowerPoint keeps up to date (*text* is ignored)."""


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    size: int
    """Whole points."""
    colour: str = "1A1A1A"
    bold: bool = False
    font: FontRole = "body"
    align: Align = "l"
    space_before: int = 0
    """Points of space above the paragraph."""
    bullet: bool = False

    @property
    def text(self) -> str:
        if len(self.runs) == 1:
            return self.runs[0].text
        return "".join([run.text for run in self.runs])


@dataclass(frozen=True)
class TextFrame:
    paragraphs: tuple[Paragraph, ...]
    anchor: Anchor = "t"
    inset: tuple[int, int, int, int] = (0, 0, 0, 0)
    """Left, top, right, bottom, in EMU."""


@dataclass(frozen=True)
class Outline:
    """A custom geometry: closed polygons on a grid *width* x *height* units, scaled to the
    shape's box and filled as one shape (a QR code's dark modules, traced)."""

    width: int
    height: int
    polygons: tuple[tuple[tuple[int, int], ...], ...]


@dataclass(frozen=True)
class Shape:
    """A preset geometry (rectangle, rounded rectangle, triangle...), maybe holding text."""

    name: str
    box: Box
    geometry: str = "rect"
    fill: str | None = None
    line: str | None = None
    line_width: int = 0
    text: TextFrame | None = None
    is_title: bool = False
    is_textbox: bool = False
    link: str | None = None
    description: str = ""
    adjust: int | None = None
    """The first adjust value of the preset (corner radius of a rounded rectangle, ...)."""
    dash: str | None = None
    """A preset line dash (``dash``, ``sysDot``...) for outlines that mean "not in use"."""
    outline: Outline | None = None
    """Drawn instead of the preset *geometry* when given."""
    sites: tuple[Site, ...] = ()
    """Connection sites beyond the four of a rectangle (a rounded rectangle only): with
    them, the shape is written as a rounded rectangle of its own geometry that has them."""
    decorative: bool = False
    """Marked decorative: a screen reader skips it. A shape with no text, no description and
    no link is written decorative anyway (it says nothing but its look)."""
    placeholder: Placeholder | None = None
    """Written as the layout's footer or slide-number placeholder, so that Insert > Header &
    Footer and templates find it (its box and text are still the ones given here)."""


@dataclass(frozen=True)
class Site:
    """A connection site at a fraction of a shape's width and height, facing *angle*."""

    x: int
    """From the left, in 100 000ths of the width."""
    y: int
    """From the top, in 100 000ths of the height."""
    angle: int
    """The direction a connector leaves in: 0 right, 90 down, 180 left, 270 up (degrees)."""


@dataclass(frozen=True)
class Connector:
    """A straight or elbow line glued to connection sites of two shapes on the same slide."""

    name: str
    start: str
    end: str
    start_site: int
    end_site: int
    box: Box
    flip_h: bool = False
    flip_v: bool = False
    geometry: str = "straightConnector1"
    colour: str = "0070C0"
    width: int = pt(1.5)
    arrow: bool = True
    adjusts: tuple[int, ...] = ()
    """Adjust values of an elbow preset (``adj1``, ``adj2``...), in 100 000ths of the box."""
    rotation: int = 0
    """Clockwise, in 60 000ths of a degree (quarter turns for elbow connectors)."""
    description: str = ""
    """What the line says, for a screen reader ("Flow 1: Azure Event Hubs to Azure Databricks")."""
    decorative: bool = False


@dataclass(frozen=True)
class Cell:
    text: TextFrame
    fill: str | None = None
    span: int = 1
    """Grid columns the cell spans (the cells it covers follow it with ``merged``)."""
    merged: bool = False
    """Covered by the spanning cell before it in its row."""


@dataclass(frozen=True)
class Table:
    """A native table: column widths and row heights in EMU, cells row by row."""

    name: str
    box: Box
    columns: tuple[int, ...]
    rows: tuple[tuple[Cell, ...], ...]
    heights: tuple[int, ...]
    border: str = "BFBFBF"
    header_rows: int = 1
    description: str = ""


@dataclass(frozen=True)
class Picture:
    name: str
    box: Box
    path: str
    description: str = ""
    data: bytes | None = field(default=None, repr=False)
    """The image's bytes as checked when the theme was loaded; read from *path* when absent."""
    decorative: bool = False


@dataclass(frozen=True)
class Group:
    """Shapes that move together when edited (a component with its label and badges)."""

    name: str
    box: Box
    elements: tuple[Element, ...]
    description: str = ""
    """What the group shows as a whole (a component and who uses it), for a screen reader."""
    decorative: bool = False


Element = Shape | Connector | Picture | Table | Group


def flatten(elements) -> list:
    """Every element, groups opened up, in drawing order (groups before their members)."""
    result = []
    for element in elements:
        result.append(element)
        if isinstance(element, Group):
            result.extend(flatten(element.elements))
    return result


@dataclass
class Slide:
    """One slide: its elements in z-order, speaker notes, and a name for messages."""

    title: str
    elements: list[Element] = field(default_factory=list)
    notes: str = ""
    background: str | None = None
    anchor: str | None = None
    """A name other slides link to with ``#ANCHOR`` (for example ``card:P001``)."""
    anchors: list[str] = field(default_factory=list)
    """More such names (the RBAC cells a slide shows); the first slide to claim one keeps it."""

    def add(self, element: Element) -> Element:
        self.elements.append(element)
        return element

    def in_reading_order(self) -> list[Element]:
        """The elements as written (reading order is drawing order): as added, with the
        footer and slide number last, after the content, wherever layout added them."""
        content = [e for e in self.elements if not _is_footer(e)]
        if len(content) == len(self.elements):
            return self.elements
        return content + [e for e in self.elements if _is_footer(e)]


def _is_footer(element: Element) -> bool:
    return isinstance(element, Shape) and element.placeholder is not None


@dataclass(frozen=True)
class Brand:
    """What goes into the package's theme part, so that PowerPoint offers the brand."""

    name: str
    colours: dict[str, str]
    """Theme colour slots (``dk1``, ``lt1``, ``dk2``, ``lt2``, ``accent1``..``accent6``,
    ``hlink``, ``folHlink``) to ``RRGGBB``."""
    heading_font: str
    body_font: str


@dataclass
class Presentation:
    width: int
    height: int
    slides: list[Slide] = field(default_factory=list)
    title: str = ""
    author: str = ""
    subject: str = ""
    language: str = "en"
    brand: Brand | None = None
