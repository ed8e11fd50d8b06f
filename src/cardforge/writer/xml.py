"""PresentationML for layout elements, written as text.

python-pptx's shape API looks up the next free shape id by scanning the whole tree on
every insert (quadratic in shapes per slide) and gives autoshapes a theme style with
gradient and shadow. Writing the markup here keeps ids sequential, every fill and line
explicit, and the cost linear: a slide is a list of strings joined once, with no element
tree to build (which is most of the time a large deck takes).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from lxml import etree

from ..layout.shapes import (
    Box,
    Cell,
    Connector,
    Group,
    Outline,
    Paragraph,
    Picture,
    Run,
    Shape,
    Table,
    TextFrame,
)
from ..text.fit import line_height

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
BULLET_INDENT = 177800  # 14 pt, matching layout.fonts.BULLET_INDENT_PT
SLIDE_JUMP = "ppaction://hlinksldjump"
_WORDS = re.compile(r"\s*\S+\s*|\s+")
DECORATIVE = (
    '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
    "</a:ext></a:extLst>"
)
"""PowerPoint's mark for a shape a screen reader skips (Alt Text > Mark as decorative)."""
SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
DEFAULT_PLACEHOLDER_INDEX = {"ftr": 11, "sldNum": 12}
"""The footer and slide-number placeholders' indexes in PowerPoint's own layouts."""
PINNED_BODY = ' vert="horz" rot="0" numCol="1" anchorCtr="0"'
"""Text body settings a placeholder would otherwise take from the template's master."""

LinkResolver = Callable[[str], tuple[str, bool]]
"""Returns the relationship id for a link target, and whether it jumps to a slide.

An empty id means the target is not in this presentation (a card left out by ``--only``).
"""


def clean(text: str) -> str:
    """Text safe for XML: characters XML 1.0 forbids are dropped."""
    return _ILLEGAL_XML.sub("", text)


_NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def text(value: str) -> str:
    """Character data, escaped."""
    if not _NEEDS_ESCAPE.search(value):
        return value
    return clean(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: object) -> str:
    """An attribute value, escaped for double quotes."""
    return text(str(value)).replace('"', "&quot;")


def sub(parent: etree._Element, tag: str, **attrs: object) -> etree._Element:
    """An lxml child element (for the few parts still edited as trees: notes, theme)."""
    prefix, name = tag.split(":")
    attrib = {}
    for key, value in attrs.items():
        if value is not None:
            attrib[f"{{{NS['r']}}}id" if key == "r_id" else key] = str(value)
    return etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", attrib)


class ElementWriter:
    """Writes layout elements of one slide as markup, numbering shapes as it goes."""

    def __init__(
        self,
        links: LinkResolver,
        language: str,
        fonts: dict[str, str],
        names: list[str],
        slide_number: int = 0,
        placeholders: dict[str, int] | None = None,
    ):
        self._links = links
        self._language = attr(language)
        self._slide_number = slide_number
        self._placeholders = placeholders or DEFAULT_PLACEHOLDER_INDEX
        self._fonts = {role: attr(family) for role, family in fonts.items()}
        self.out: list[str] = []
        self._properties: dict[tuple, str] = {}
        self._openings: dict[tuple, str] = {}
        # Ids are given in element order up front, so that a connector drawn beneath the
        # shapes it joins can already name them.
        self._ids = iter(range(2, 2 + len(names)))
        self.ids: dict[str, int] = {}
        for shape_id, name in enumerate(names, start=2):
            self.ids.setdefault(name, shape_id)

    def markup(self) -> str:
        return "".join(self.out)

    def element(self, element, image_rel: Callable[[str], str] | None = None) -> None:
        if isinstance(element, Shape):
            self.shape(element)
        elif isinstance(element, Connector):
            self.connector(element)
        elif isinstance(element, Table):
            self.table(element)
        elif isinstance(element, Group):
            self.group(element, image_rel)
        elif isinstance(element, Picture) and image_rel is not None:
            self.picture(element, image_rel(element.path))

    def _c_nv_pr(
        self, name: str, description: str = "", link: str | None = None, decorative: bool = False
    ) -> str:
        descr = f' descr="{attr(description)}"' if description and not decorative else ""
        head = f'<p:cNvPr id="{next(self._ids)}" name="{attr(name)}"{descr}'
        inside = (self._hyperlink(link) if link else "") + (DECORATIVE if decorative else "")
        return f"{head}>{inside}</p:cNvPr>" if inside else f"{head}/>"

    def shape(self, shape: Shape) -> None:
        out = self.out
        out.append("<p:sp><p:nvSpPr>")
        out.append(self._c_nv_pr(shape.name, shape.description, shape.link, is_decorative(shape)))
        if shape.is_title:
            out.append('<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="title"/></p:nvPr>')
        elif shape.placeholder is not None:
            kind = shape.placeholder
            index = self._placeholders.get(kind, DEFAULT_PLACEHOLDER_INDEX[kind])
            out.append(
                '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
                f'<p:nvPr><p:ph type="{kind}" sz="quarter" idx="{index}"/></p:nvPr>'
            )
        elif shape.is_textbox:
            out.append('<p:cNvSpPr txBox="1"/><p:nvPr/>')
        else:
            out.append("<p:cNvSpPr/><p:nvPr/>")
        out.append("</p:nvSpPr><p:spPr>")
        out.append(_xfrm(shape.box))
        adjust = f'<a:gd name="adj" fmla="val {shape.adjust}"/>' if shape.adjust is not None else ""
        if shape.outline is not None:
            out.append(_custom_geometry(shape.outline))
        elif shape.sites:
            out.append(_rounded_with_sites(shape))
        else:
            out.append(f'<a:prstGeom prst="{shape.geometry}"><a:avLst>{adjust}</a:avLst></a:prstGeom>')
        out.append(_fill(shape.fill))
        out.append(_line(shape.line, shape.line_width, shape.dash))
        out.append("</p:spPr>")
        if shape.text is not None or shape.is_title or shape.is_textbox or shape.placeholder:
            placeholder = shape.is_title or shape.placeholder is not None
            self._text("p:txBody", shape.text or TextFrame(()), pinned=placeholder)
        out.append("</p:sp>")

    def group(self, group: Group, image_rel=None) -> None:
        box = group.box
        head = self._c_nv_pr(group.name, group.description, decorative=is_decorative(group))
        self.out.append(
            f"<p:grpSp><p:nvGrpSpPr>{head}<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>"
            f'<p:grpSpPr><a:xfrm><a:off x="{box.x}" y="{box.y}"/><a:ext cx="{box.w}" cy="{box.h}"/>'
            f'<a:chOff x="{box.x}" y="{box.y}"/><a:chExt cx="{box.w}" cy="{box.h}"/></a:xfrm></p:grpSpPr>'
        )
        for element in group.elements:
            self.element(element, image_rel)
        self.out.append("</p:grpSp>")

    def connector(self, connector: Connector) -> None:
        arrow = '<a:tailEnd type="triangle" w="med" len="med"/>' if connector.arrow else ""
        self.out.append(
            f"<p:cxnSp><p:nvCxnSpPr>"
            f"{self._c_nv_pr(connector.name, connector.description, decorative=connector.decorative)}"
            "<p:cNvCxnSpPr>"
            f'<a:stCxn id="{self.ids[connector.start]}" idx="{connector.start_site}"/>'
            f'<a:endCxn id="{self.ids[connector.end]}" idx="{connector.end_site}"/></p:cNvCxnSpPr>'
            "<p:nvPr/></p:nvCxnSpPr>"
            f"<p:spPr>{_xfrm(connector.box, connector.flip_h, connector.flip_v, connector.rotation)}"
            f'<a:prstGeom prst="{connector.geometry}">{_adjust_list(connector.adjusts)}</a:prstGeom>'
            "<a:noFill/>"
            f'<a:ln w="{connector.width}"><a:solidFill><a:srgbClr val="{connector.colour}"/></a:solidFill>'
            f"<a:round/>{arrow}</a:ln>"
            "</p:spPr></p:cxnSp>"
        )

    def picture(self, picture: Picture, rel_id: str) -> None:
        self.out.append(
            f"<p:pic><p:nvPicPr>{self._c_nv_pr(picture.name, picture.description, None, picture.decorative)}"
            '<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>'
            f'<p:blipFill><a:blip r:embed="{rel_id}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
            f'<p:spPr>{_xfrm(picture.box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/>'
            "<a:ln><a:noFill/></a:ln></p:spPr>"
            "</p:pic>"
        )

    def table(self, table: Table) -> None:
        box = table.box
        out = self.out
        first_row = ' firstRow="1"' if table.header_rows else ""
        out.append(
            f"<p:graphicFrame><p:nvGraphicFramePr>{self._c_nv_pr(table.name, table.description)}"
            '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
            f'<p:xfrm><a:off x="{box.x}" y="{box.y}"/><a:ext cx="{box.w}" cy="{box.h}"/></p:xfrm>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
            f"<a:tbl><a:tblPr{first_row}/><a:tblGrid>"
        )
        out.extend(f'<a:gridCol w="{width}"/>' for width in table.columns)
        out.append("</a:tblGrid>")
        border = "".join(
            f'<a:{edge} w="9525"><a:solidFill><a:srgbClr val="{table.border}"/></a:solidFill></a:{edge}>'
            for edge in ("lnL", "lnR", "lnT", "lnB")
        )
        for row, height in zip(table.rows, table.heights):
            out.append(f'<a:tr h="{height}">')
            for cell in row:
                self._cell(cell, border)
            out.append("</a:tr>")
        out.append("</a:tbl></a:graphicData></a:graphic></p:graphicFrame>")

    def _cell(self, cell: Cell, border: str) -> None:
        span = f' gridSpan="{cell.span}"' if cell.span > 1 else ""
        self.out.append(f'<a:tc{span} hMerge="1">' if cell.merged else f"<a:tc{span}>")
        self._text("a:txBody", cell.text, cell_body=True)
        left, top, right, bottom = cell.text.inset
        self.out.append(
            f'<a:tcPr marL="{left}" marR="{right}" marT="{top}" marB="{bottom}" anchor="{cell.text.anchor}">'
            f"{border}{_fill(cell.fill)}</a:tcPr></a:tc>"
        )

    def _text(self, tag: str, frame: TextFrame, cell_body: bool = False, pinned: bool = False) -> None:
        out = self.out
        out.append(f"<{tag}>")
        if cell_body:
            out.append("<a:bodyPr/>")
        else:
            left, top, right, bottom = frame.inset
            out.append(
                f'<a:bodyPr wrap="square" lIns="{left}" tIns="{top}" rIns="{right}" bIns="{bottom}" '
                f'anchor="{frame.anchor}" rtlCol="0"{PINNED_BODY if pinned else ""}><a:noAutofit/></a:bodyPr>'
            )
        out.append("<a:lstStyle/>")
        if not frame.paragraphs:
            out.append(f'<a:p><a:endParaRPr lang="{self._language}"/></a:p>')
        for index, paragraph in enumerate(frame.paragraphs):
            self._paragraph(paragraph, first=index == 0)
        out.append(f"</{tag}>")

    def _paragraph(self, paragraph: Paragraph, first: bool) -> None:
        out = self.out
        before = 0 if first else paragraph.space_before * 100
        rtl = next((d for d in map(_direction, (r.text for r in paragraph.runs)) if d is not None), False)
        key = (paragraph.align, paragraph.bullet, paragraph.size, before, rtl)
        opening = self._openings.get(key)
        if opening is None:
            indent = (
                f'marL="{BULLET_INDENT}" indent="-{BULLET_INDENT}"'
                if paragraph.bullet
                else 'marL="0" indent="0"'
            )
            bullet = '<a:buFont typeface="Arial"/><a:buChar char="•"/>' if paragraph.bullet else "<a:buNone/>"
            pitch = round(line_height(paragraph.size) * 100)
            opening = self._openings[key] = (
                f'<a:p><a:pPr algn="{paragraph.align}" {indent} rtl="{int(rtl)}" latinLnBrk="0">'
                f'<a:lnSpc><a:spcPts val="{pitch}"/></a:lnSpc>'
                f'<a:spcBef><a:spcPts val="{before}"/></a:spcBef><a:spcAft><a:spcPts val="0"/></a:spcAft>'
                f"{bullet}</a:pPr>"
            )
        out.append(opening)
        for run in paragraph.runs:
            self._run(run, paragraph)
        family = self._fonts[paragraph.font]
        out.append(
            f'<a:endParaRPr lang="{self._language}" sz="{paragraph.size * 100}">'
            f'<a:latin typeface="{family}"/></a:endParaRPr></a:p>'
        )

    def _run(self, run: Run, paragraph: Paragraph) -> None:
        if run.only_with and not self._links(run.only_with)[0]:
            return
        if run.slide_number:
            self.out.append(
                f'<a:fld id="{SLIDE_NUMBER_FIELD}" type="slidenum">{self._run_properties(run, paragraph)}'
                f"<a:t>{self._slide_number}</a:t></a:fld>"
            )
            return
        # No empty runs: LibreOffice sizes a line holding one at its default font size.
        if "\n" not in run.text and not run.link:
            content = text(run.text)
            if content:
                self.out.append(f"<a:r>{self._run_properties(run, paragraph)}<a:t>{content}</a:t></a:r>")
            return
        lines = [text(line) for line in run.text.split("\n")]
        if not any(lines):
            return
        properties = self._run_properties(run, paragraph)
        for index, line in enumerate(lines):
            if index:
                self.out.append(f"<a:br>{properties}</a:br>")
            # LibreOffice draws a linked run as one field that wraps only between
            # characters; a run per word lets it wrap between words, as PowerPoint does.
            for piece in _WORDS.findall(line) if run.link else (line,) if line else ():
                self.out.append(f"<a:r>{properties}<a:t>{piece}</a:t></a:r>")

    def _run_properties(self, run: Run, paragraph: Paragraph) -> str:
        if run.link:
            return self._build_run_properties(run, paragraph)
        key = (
            run.bold or paragraph.bold,
            run.italic,
            run.colour or paragraph.colour,
            paragraph.size,
            paragraph.font,
        )
        found = self._properties.get(key)
        if found is None:
            found = self._properties[key] = self._build_run_properties(run, paragraph)
        return found

    def _build_run_properties(self, run: Run, paragraph: Paragraph) -> str:
        bold = "1" if (run.bold or paragraph.bold) else "0"
        italic = "1" if run.italic else "0"
        click = self._hyperlink(run.link) if run.link else ""
        underline = "sng" if click and run.underline else "none"  # a link to no slide is plain text
        family = self._fonts[paragraph.font]
        # Everything that changes a run's width is pinned as measured (no capitals, letter
        # spacing, raised text or kerning): a template's master styles cannot reflow it.
        return (
            f'<a:rPr lang="{self._language}" sz="{paragraph.size * 100}" b="{bold}" i="{italic}" '
            f'u="{underline}" kern="0" cap="none" spc="0" baseline="0" dirty="0">'
            f'<a:solidFill><a:srgbClr val="{run.colour or paragraph.colour}"/></a:solidFill>'
            f'<a:latin typeface="{family}"/><a:ea typeface="{family}"/><a:cs typeface="{family}"/>{click}</a:rPr>'
        )

    def _hyperlink(self, target: str) -> str:
        rel_id, jump = self._links(target)
        if not rel_id:
            return ""
        action = f' action="{SLIDE_JUMP}"' if jump else ""
        return f'<a:hlinkClick r:id="{rel_id}"{action}/>'


def is_decorative(element) -> bool:
    """Whether *element* is written decorative: marked so, a shape that says nothing (no text,
    no description, no link: a band, rule, panel or stripe), or a group of such."""
    if isinstance(element, Group):
        return element.decorative or (
            not element.description and all(is_decorative(member) for member in element.elements)
        )
    if not isinstance(element, Shape):
        return bool(getattr(element, "decorative", False))
    if element.decorative:
        return True
    if element.description or element.link or element.is_title or element.placeholder is not None:
        return False
    return element.text is None or not any(p.text.strip() for p in element.text.paragraphs)


def right_to_left(text: str) -> bool:
    """Whether *text* reads right to left: its first letter is Arabic, Hebrew or the like."""
    return bool(_direction(text))


@lru_cache(maxsize=8192)
def _direction(text: str) -> bool | None:
    """True when the first letter of *text* that has a direction is right to left, False when
    it is left to right, None when there is none (digits, punctuation, an empty run)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction == "L":
            return False
        if direction in ("R", "AL"):
            return True
    return None


def _xfrm(box: Box, flip_h: bool = False, flip_v: bool = False, rotation: int = 0) -> str:
    flips = (f' rot="{rotation}"' if rotation else "") + (' flipH="1"' if flip_h else "")
    flips += ' flipV="1"' if flip_v else ""
    size = f'cx="{max(0, int(box.w))}" cy="{max(0, int(box.h))}"'
    return f'<a:xfrm{flips}><a:off x="{int(box.x)}" y="{int(box.y)}"/><a:ext {size}/></a:xfrm>'


def _custom_geometry(outline: Outline) -> str:
    """``a:custGeom`` with one path of closed polygons (no guides: the points are fixed)."""
    parts = [
        f'<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" r="r" b="b"/>'
        f'<a:pathLst><a:path w="{outline.width}" h="{outline.height}">'
    ]
    for polygon in outline.polygons:
        (x, y), rest = polygon[0], polygon[1:]
        parts.append(f'<a:moveTo><a:pt x="{x}" y="{y}"/></a:moveTo>')
        parts.extend(f'<a:lnTo><a:pt x="{x}" y="{y}"/></a:lnTo>' for x, y in rest)
        parts.append("<a:close/>")
    parts.append("</a:path></a:pathLst></a:custGeom>")
    return "".join(parts)


_ROUNDED_PATH = (
    '<a:pathLst><a:path><a:moveTo><a:pt x="l" y="x1"/></a:moveTo>'
    '<a:arcTo wR="x1" hR="x1" stAng="cd2" swAng="cd4"/><a:lnTo><a:pt x="x2" y="t"/></a:lnTo>'
    '<a:arcTo wR="x1" hR="x1" stAng="3cd4" swAng="cd4"/><a:lnTo><a:pt x="r" y="y2"/></a:lnTo>'
    '<a:arcTo wR="x1" hR="x1" stAng="0" swAng="cd4"/><a:lnTo><a:pt x="x1" y="b"/></a:lnTo>'
    '<a:arcTo wR="x1" hR="x1" stAng="cd4" swAng="cd4"/><a:close/></a:path></a:pathLst>'
)
_SITE_ANGLES = {0: "0", 90: "cd4", 180: "cd2", 270: "3cd4"}


def _rounded_with_sites(shape: Shape) -> str:
    """The ``roundRect`` preset written out as custom geometry, with *shape.sites* as its
    connection sites (the preset has one per side only): the four of the preset first, in
    its order, so that site numbers mean the same, then the others."""
    guides = [
        '<a:gd name="a" fmla="pin 0 adj 50000"/>',
        '<a:gd name="x1" fmla="*/ ss a 100000"/>',
        '<a:gd name="x2" fmla="+- r 0 x1"/>',
        '<a:gd name="y2" fmla="+- b 0 x1"/>',
    ]
    sites = []
    for index, site in enumerate(shape.sites):
        guides.append(f'<a:gd name="sx{index}" fmla="*/ w {site.x} 100000"/>')
        guides.append(f'<a:gd name="sy{index}" fmla="*/ h {site.y} 100000"/>')
        angle = _SITE_ANGLES.get(site.angle, str(site.angle * 60000))
        sites.append(f'<a:cxn ang="{angle}"><a:pos x="sx{index}" y="sy{index}"/></a:cxn>')
    adjust = 16667 if shape.adjust is None else shape.adjust
    return (
        f'<a:custGeom><a:avLst><a:gd name="adj" fmla="val {adjust}"/></a:avLst><a:gdLst>{"".join(guides)}'
        f'</a:gdLst><a:ahLst/><a:cxnLst>{"".join(sites)}</a:cxnLst><a:rect l="l" t="t" r="r" b="b"/>'
        f"{_ROUNDED_PATH}</a:custGeom>"
    )


def _adjust_list(adjusts: tuple[int, ...]) -> str:
    if not adjusts:
        return "<a:avLst/>"
    guides = "".join(f'<a:gd name="adj{i}" fmla="val {value}"/>' for i, value in enumerate(adjusts, start=1))
    return f"<a:avLst>{guides}</a:avLst>"


def _fill(colour: str | None) -> str:
    return "<a:noFill/>" if colour is None else f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'


def _line(colour: str | None, width: int, dash: str | None = None) -> str:
    if colour is None:
        return "<a:ln><a:noFill/></a:ln>"
    pattern = f'<a:prstDash val="{dash}"/>' if dash else ""
    return f'<a:ln w="{width}"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>{pattern}</a:ln>'
