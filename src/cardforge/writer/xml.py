"""PresentationML for layout elements, built directly with lxml.

python-pptx's shape API looks up the next free shape id by scanning the whole tree on
every insert (quadratic in shapes per slide) and gives autoshapes a theme style with
gradient and shadow. Building the elements here keeps ids sequential, every fill and
line explicit, and the cost linear.
"""

from __future__ import annotations

import re
from typing import Callable, Optional

from lxml import etree

from ..layout.shapes import Box, Cell, Connector, Group, Paragraph, Picture, Run, Shape, Table, TextFrame
from ..text.fit import line_height

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
BULLET_INDENT = 177800  # 14 pt, matching layout.fonts.BULLET_INDENT_PT

LinkResolver = Callable[[str], tuple[str, bool]]
"""Returns the relationship id for a link target, and whether it jumps to a slide.

An empty id means the target is not in this presentation (a card left out by ``--only``).
"""
SLIDE_JUMP = "ppaction://hlinksldjump"


_QUALIFIED: dict[str, str] = {}


def _q(tag: str) -> str:
    qualified = _QUALIFIED.get(tag)
    if qualified is None:
        prefix, name = tag.split(":")
        qualified = _QUALIFIED[tag] = f"{{{NS[prefix]}}}{name}"
    return qualified


_R_ID = _q("r:id")
_R_EMBED = _q("r:embed")


def sub(parent: etree._Element, tag: str, **attrs: object) -> etree._Element:
    """A child element; ``r_id`` and ``r_embed`` stand for the relationship attributes."""
    attrib = {}
    for key, value in attrs.items():
        if value is not None:
            if key == "r_id":
                key = _R_ID
            elif key == "r_embed":
                key = _R_EMBED
            attrib[key] = value if isinstance(value, str) else str(value)
    return etree.SubElement(parent, _q(tag), attrib)


def clean(text: str) -> str:
    """Text safe for XML: characters XML 1.0 forbids are dropped."""
    return _ILLEGAL_XML.sub("", text)


class ElementWriter:
    """Appends layout elements to one slide's shape tree, numbering shapes as it goes."""

    def __init__(self, sp_tree: etree._Element, links: LinkResolver, language: str, fonts: dict[str, str], names: list[str]):
        self._tree = sp_tree
        self._links = links
        self._language = language
        self._fonts = fonts
        # Ids are given in element order up front, so that a connector drawn beneath the
        # shapes it joins can already name them.
        self._ids = iter(range(2, 2 + len(names)))
        self.ids: dict[str, int] = {}
        for shape_id, name in enumerate(names, start=2):
            self.ids.setdefault(name, shape_id)

    def _id(self, name: str) -> int:
        return next(self._ids)

    def shape(self, shape: Shape) -> None:
        sp = sub(self._tree, "p:sp")
        nv = sub(sp, "p:nvSpPr")
        c_nv_pr = sub(nv, "p:cNvPr", id=self._id(shape.name), name=clean(shape.name), descr=clean(shape.description) or None)
        if shape.link:
            self._hyperlink(c_nv_pr, shape.link)
        c_nv_sp_pr = sub(nv, "p:cNvSpPr", txBox="1" if shape.is_textbox else None)
        nv_pr = sub(nv, "p:nvPr")
        if shape.is_title:
            sub(c_nv_sp_pr, "a:spLocks", noGrp="1")
            sub(nv_pr, "p:ph", type="title")
        sp_pr = sub(sp, "p:spPr")
        _xfrm(sp_pr, shape.box)
        geometry = sub(sp_pr, "a:prstGeom", prst=shape.geometry)
        av = sub(geometry, "a:avLst")
        if shape.adjust is not None:
            sub(av, "a:gd", name="adj", fmla=f"val {shape.adjust}")
        _fill(sp_pr, shape.fill)
        _line(sp_pr, shape.line, shape.line_width, shape.dash)
        if shape.text is not None or shape.is_title or shape.is_textbox:
            self._text(sp, shape.text or TextFrame(()))

    def element(self, element, image_rel: Optional[Callable[[str], str]] = None) -> None:
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

    def group(self, group: Group, image_rel=None) -> None:
        grp = sub(self._tree, "p:grpSp")
        nv = sub(grp, "p:nvGrpSpPr")
        sub(nv, "p:cNvPr", id=self._id(group.name), name=clean(group.name))
        sub(nv, "p:cNvGrpSpPr")
        sub(nv, "p:nvPr")
        xfrm = sub(sub(grp, "p:grpSpPr"), "a:xfrm")
        for tag, (x, y) in (("a:off", (group.box.x, group.box.y)), ("a:ext", (group.box.w, group.box.h)), ("a:chOff", (group.box.x, group.box.y)), ("a:chExt", (group.box.w, group.box.h))):
            if tag.endswith("Off") or tag == "a:off":
                sub(xfrm, tag, x=x, y=y)
            else:
                sub(xfrm, tag, cx=x, cy=y)
        outer, self._tree = self._tree, grp
        try:
            for element in group.elements:
                self.element(element, image_rel)
        finally:
            self._tree = outer

    def connector(self, connector: Connector) -> None:
        cxn = sub(self._tree, "p:cxnSp")
        nv = sub(cxn, "p:nvCxnSpPr")
        sub(nv, "p:cNvPr", id=self._id(connector.name), name=clean(connector.name))
        c_nv = sub(nv, "p:cNvCxnSpPr")
        sub(c_nv, "a:stCxn", id=self.ids[connector.start], idx=connector.start_site)
        sub(c_nv, "a:endCxn", id=self.ids[connector.end], idx=connector.end_site)
        sub(nv, "p:nvPr")
        sp_pr = sub(cxn, "p:spPr")
        _xfrm(sp_pr, connector.box, connector.flip_h, connector.flip_v)
        sub(sub(sp_pr, "a:prstGeom", prst=connector.geometry), "a:avLst")
        sub(sp_pr, "a:noFill")
        ln = sub(sp_pr, "a:ln", w=connector.width)
        sub(sub(ln, "a:solidFill"), "a:srgbClr", val=connector.colour)
        sub(ln, "a:round")
        if connector.arrow:
            sub(ln, "a:tailEnd", type="triangle", w="med", len="med")

    def picture(self, picture: Picture, rel_id: str) -> None:
        pic = sub(self._tree, "p:pic")
        nv = sub(pic, "p:nvPicPr")
        sub(nv, "p:cNvPr", id=self._id(picture.name), name=clean(picture.name), descr=clean(picture.description) or None)
        sub(sub(nv, "p:cNvPicPr"), "a:picLocks", noChangeAspect="1")
        sub(nv, "p:nvPr")
        fill = sub(pic, "p:blipFill")
        sub(fill, "a:blip", r_embed=rel_id)
        sub(sub(fill, "a:stretch"), "a:fillRect")
        sp_pr = sub(pic, "p:spPr")
        _xfrm(sp_pr, picture.box)
        sub(sub(sp_pr, "a:prstGeom", prst="rect"), "a:avLst")
        sub(sp_pr, "a:noFill")
        sub(sub(sp_pr, "a:ln"), "a:noFill")

    def _text(self, sp: etree._Element, frame: TextFrame) -> None:
        body = sub(sp, "p:txBody")
        left, top, right, bottom = frame.inset
        body_pr = sub(body, "a:bodyPr", wrap="square", lIns=left, tIns=top, rIns=right, bIns=bottom, anchor=frame.anchor, rtlCol="0")
        sub(body_pr, "a:noAutofit")
        sub(body, "a:lstStyle")
        if not frame.paragraphs:
            sub(sub(body, "a:p"), "a:endParaRPr", lang=self._language)
        for index, paragraph in enumerate(frame.paragraphs):
            self._paragraph(body, paragraph, first=index == 0)

    def _paragraph(self, body: etree._Element, paragraph: Paragraph, first: bool) -> None:
        p = sub(body, "a:p")
        indent = {"marL": BULLET_INDENT, "indent": -BULLET_INDENT} if paragraph.bullet else {"marL": 0, "indent": 0}
        p_pr = sub(p, "a:pPr", algn=paragraph.align, **indent)
        sub(sub(p_pr, "a:lnSpc"), "a:spcPts", val=round(line_height(paragraph.size) * 100))
        sub(sub(p_pr, "a:spcBef"), "a:spcPts", val=0 if first else paragraph.space_before * 100)
        sub(sub(p_pr, "a:spcAft"), "a:spcPts", val=0)
        if paragraph.bullet:
            sub(p_pr, "a:buFont", typeface="Arial")
            sub(p_pr, "a:buChar", char="•")
        else:
            sub(p_pr, "a:buNone")
        for run in paragraph.runs:
            self._run(p, run, paragraph)
        end = sub(p, "a:endParaRPr", lang=self._language, sz=paragraph.size * 100)
        self._font(end, paragraph)

    def _run(self, p: etree._Element, run: Run, paragraph: Paragraph) -> None:
        for index, piece in enumerate(clean(run.text).split("\n")):
            if index:
                br = sub(p, "a:br")
                self._run_properties(br, run, paragraph)
            if not piece and index:
                continue
            r = sub(p, "a:r")
            self._run_properties(r, run, paragraph)
            sub(r, "a:t").text = piece

    def _run_properties(self, parent: etree._Element, run: Run, paragraph: Paragraph) -> None:
        r_pr = sub(
            parent,
            "a:rPr",
            lang=self._language,
            sz=paragraph.size * 100,
            b="1" if (run.bold or paragraph.bold) else "0",
            i="1" if run.italic else "0",
            u="sng" if run.link else None,
            dirty="0",
        )
        sub(sub(r_pr, "a:solidFill"), "a:srgbClr", val=run.colour or paragraph.colour)
        family = self._fonts[paragraph.font]
        sub(r_pr, "a:latin", typeface=family)
        sub(r_pr, "a:ea", typeface=family)
        sub(r_pr, "a:cs", typeface=family)
        if run.link:
            self._hyperlink(r_pr, run.link)

    def _hyperlink(self, parent: etree._Element, target: str) -> None:
        rel_id, jump = self._links(target)
        if rel_id:
            sub(parent, "a:hlinkClick", r_id=rel_id, action=SLIDE_JUMP if jump else None)

    def table(self, table: Table) -> None:
        frame = sub(self._tree, "p:graphicFrame")
        nv = sub(frame, "p:nvGraphicFramePr")
        sub(nv, "p:cNvPr", id=self._id(table.name), name=clean(table.name))
        sub(sub(nv, "p:cNvGraphicFramePr"), "a:graphicFrameLocks", noGrp="1")
        sub(nv, "p:nvPr")
        xfrm = sub(frame, "p:xfrm")
        sub(xfrm, "a:off", x=table.box.x, y=table.box.y)
        sub(xfrm, "a:ext", cx=table.box.w, cy=table.box.h)
        data = sub(sub(frame, "a:graphic"), "a:graphicData", uri="http://schemas.openxmlformats.org/drawingml/2006/table")
        tbl = sub(data, "a:tbl")
        sub(tbl, "a:tblPr", firstRow="1" if table.header_rows else None)
        grid = sub(tbl, "a:tblGrid")
        for width in table.columns:
            sub(grid, "a:gridCol", w=width)
        for row, height in zip(table.rows, table.heights):
            tr = sub(tbl, "a:tr", h=height)
            for cell in row:
                self._cell(tr, cell, table.border)

    def _cell(self, tr: etree._Element, cell: Cell, border: str) -> None:
        tc = sub(tr, "a:tc")
        body = sub(tc, "a:txBody")
        sub(body, "a:bodyPr")
        sub(body, "a:lstStyle")
        if not cell.text.paragraphs:
            sub(sub(body, "a:p"), "a:endParaRPr", lang=self._language)
        for index, paragraph in enumerate(cell.text.paragraphs):
            self._paragraph(body, paragraph, first=index == 0)
        left, top, right, bottom = cell.text.inset
        tc_pr = sub(tc, "a:tcPr", marL=left, marR=right, marT=top, marB=bottom, anchor=cell.text.anchor)
        for edge in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"):
            ln = sub(tc_pr, edge, w=9525)
            sub(sub(ln, "a:solidFill"), "a:srgbClr", val=border)
        _fill(tc_pr, cell.fill)

    def _font(self, r_pr: etree._Element, paragraph: Paragraph) -> None:
        family = self._fonts[paragraph.font]
        sub(r_pr, "a:latin", typeface=family)


def _xfrm(sp_pr: etree._Element, box: Box, flip_h: bool = False, flip_v: bool = False) -> None:
    xfrm = sub(sp_pr, "a:xfrm", flipH="1" if flip_h else None, flipV="1" if flip_v else None)
    sub(xfrm, "a:off", x=int(box.x), y=int(box.y))
    sub(xfrm, "a:ext", cx=max(0, int(box.w)), cy=max(0, int(box.h)))


def _fill(sp_pr: etree._Element, colour: Optional[str]) -> None:
    if colour is None:
        sub(sp_pr, "a:noFill")
    else:
        sub(sub(sp_pr, "a:solidFill"), "a:srgbClr", val=colour)


def _line(sp_pr: etree._Element, colour: Optional[str], width: int, dash: Optional[str] = None) -> None:
    if colour is None:
        sub(sub(sp_pr, "a:ln"), "a:noFill")
    else:
        ln = sub(sp_pr, "a:ln", w=width)
        sub(sub(ln, "a:solidFill"), "a:srgbClr", val=colour)
        if dash:
            sub(ln, "a:prstDash", val=dash)
