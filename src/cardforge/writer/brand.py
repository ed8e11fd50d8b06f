"""The theme part: colour scheme and font scheme, so PowerPoint's pickers offer the brand."""

from __future__ import annotations

from lxml import etree

from ..layout.shapes import Brand
from .opc import Part, parse_xml
from .xml import NS, clean

_SLOTS = (
    "dk1",
    "lt1",
    "dk2",
    "lt2",
    "accent1",
    "accent2",
    "accent3",
    "accent4",
    "accent5",
    "accent6",
    "hlink",
    "folHlink",
)


def apply_brand(themes: list[Part], brand: Brand) -> None:
    """Rewrite the colour and font schemes of *themes* (those the slide masters use)."""
    for part in themes:
        root = parse_xml(part.blob)
        _colours(root, brand)
        _fonts(root, brand)
        part.blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _colours(root: etree._Element, brand: Brand) -> None:
    scheme = root.find(".//a:clrScheme", NS)
    if scheme is None:
        return
    scheme.set("name", clean(brand.name)[:60] or "cardforge")
    for slot in _SLOTS:
        holder = scheme.find(f"a:{slot}", NS)
        if holder is None:
            continue
        for child in list(holder):
            holder.remove(child)
        etree.SubElement(holder, f"{{{NS['a']}}}srgbClr", val=brand.colours[slot])


def _fonts(root: etree._Element, brand: Brand) -> None:
    scheme = root.find(".//a:fontScheme", NS)
    if scheme is None:
        return
    scheme.set("name", clean(brand.name)[:60] or "cardforge")
    for tag, family in (("a:majorFont", brand.heading_font), ("a:minorFont", brand.body_font)):
        latin = scheme.find(f"{tag}/a:latin", NS)
        if latin is not None:
            latin.set("typeface", clean(family))
            for attribute in ("panose", "pitchFamily", "charset"):
                if attribute in latin.attrib:
                    del latin.attrib[attribute]
