"""A copy of a presentation for LibreOffice, with each connector drawn as the line it is.

LibreOffice (7.x) does not draw a connector from the file: it routes glued and unglued
connectors again by its own rules, ignoring the route, the adjust values and the rotation
the file gives. A PDF made from the deck as written would then show flows through
components that PowerPoint draws around them. For conversion only, every straight or elbow
connector becomes a freeform line along its preset path, in the same box, with the same
rotation, flips, line and arrowheads; the .pptx itself keeps its glued connectors.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from ..layout.connectors import preset_path

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS = {"a": A, "p": P}
_SLIDE = re.compile(r"ppt/slides/slide\d+\.xml")
_DRAWN = (
    "line",
    "straightConnector1",
    "bentConnector2",
    "bentConnector3",
    "bentConnector4",
    "bentConnector5",
)


def copy_with_drawn_connectors(source: Path, target: Path) -> Path:
    """Write *source* to *target* with its connectors replaced by freeform lines."""
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in package.infolist():
            data = package.read(item.filename)
            if _SLIDE.fullmatch(item.filename) and b"<p:cxnSp>" in data:
                data = drawn_slide(data)
            out.writestr(item, data)
    return target


def drawn_slide(xml: bytes) -> bytes:
    """Slide markup with each connector of a known preset turned into a freeform line."""
    root = etree.fromstring(xml)
    for connector in list(root.iter(f"{{{P}}}cxnSp")):
        shape = _as_freeform(connector)
        parent = connector.getparent()
        if shape is not None and parent is not None:
            parent.replace(connector, shape)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _as_freeform(connector: etree._Element) -> etree._Element | None:
    sp_pr = connector.find("p:spPr", NS)
    names = connector.find("p:nvCxnSpPr/p:cNvPr", NS)
    geometry = connector.find("p:spPr/a:prstGeom", NS)
    ext = connector.find("p:spPr/a:xfrm/a:ext", NS)
    preset = geometry.get("prst", "") if geometry is not None else ""
    if sp_pr is None or names is None or geometry is None or ext is None or preset not in _DRAWN:
        return None
    adjusts = tuple(
        int(guide.get("fmla", "val 50000").split()[-1]) for guide in geometry.findall("a:avLst/a:gd", NS)
    )
    width, height = int(ext.get("cx", "0")), int(ext.get("cy", "0"))
    points = preset_path(preset, width, height, adjusts)
    shape = etree.Element(f"{{{P}}}sp")
    properties = etree.SubElement(shape, f"{{{P}}}nvSpPr")
    properties.append(names)
    etree.SubElement(properties, f"{{{P}}}cNvSpPr")
    etree.SubElement(properties, f"{{{P}}}nvPr")
    sp_pr.replace(geometry, _path(points, width, height))
    shape.append(sp_pr)
    return shape


def _path(points, width: int, height: int) -> etree._Element:
    geometry = etree.Element(f"{{{A}}}custGeom")
    for tag in ("avLst", "gdLst", "ahLst", "cxnLst"):
        etree.SubElement(geometry, f"{{{A}}}{tag}")
    etree.SubElement(geometry, f"{{{A}}}rect", l="l", t="t", r="r", b="b")
    path_list = etree.SubElement(geometry, f"{{{A}}}pathLst")
    path = etree.SubElement(path_list, f"{{{A}}}path", w=str(max(1, width)), h=str(max(1, height)))
    path.set("fill", "none")
    for index, (x, y) in enumerate(points):
        step = etree.SubElement(path, f"{{{A}}}{'moveTo' if index == 0 else 'lnTo'}")
        etree.SubElement(step, f"{{{A}}}pt", x=str(round(x)), y=str(round(y)))
    return geometry
