"""The base of a deck's package: the template's parts, prepared to receive its slides.

The template's own slides are dropped, the slide size is set (scaling the first master
and its layouts to match), a notes master is made when the deck has notes and the
template has none, the new slides are listed in the presentation part, and the document
properties are written anew with fixed dates, so that a build is reproducible.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import etree

from ..layout.shapes import Presentation
from .opc import (
    CT_CORE_PROPERTIES,
    CT_EXTENDED_PROPERTIES,
    CT_NOTES_MASTER,
    CT_THEME,
    REL_CORE_PROPERTIES,
    REL_EXTENDED_PROPERTIES,
    REL_NOTES_MASTER,
    REL_OFFICE_DOCUMENT,
    REL_SLIDE_LAYOUT,
    REL_SLIDE_MASTER,
    REL_THEME,
    REL_THUMBNAIL,
    Package,
    Part,
    TemplateError,
    default_notes_master,
    default_template,
    parse_xml,
)
from .slides import REL_SLIDE
from .xml import NS, clean, text

_P = f"{{{NS['p']}}}"
_A = f"{{{NS['a']}}}"
_R_ID = f"{{{NS['r']}}}id"
_DEFAULT_SIZE = (9144000, 6858000)
_AFTER_NOTES_MASTER_LIST = ("handoutMasterIdLst", "sldIdLst", "sldSz", "notesSz")
"""Children of ``p:presentation`` that come after ``p:notesMasterIdLst`` (schema order)."""
_AFTER_SLIDE_LIST = ("sldSz", "notesSz")
_TEXT_PROPERTIES = (f"{_A}defRPr", f"{_A}rPr", f"{_A}endParaRPr")
_STYLE_LEVELS = tuple(f"{_A}lvl{level}pPr" for level in range(1, 10)) + (f"{_A}defPPr",)
RIGHT_TO_LEFT_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "ug", "ur", "yi"}
)
REL_HANDOUT_MASTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/handoutMaster"


def is_right_to_left(language: str) -> bool:
    """Whether *language* (a BCP 47 tag such as ``ar-SA``) is written right to left."""
    return language.split("-")[0].strip().lower() in RIGHT_TO_LEFT_LANGUAGES


class BasePackage:
    def __init__(self, template: Path | bytes | None = None, name: str | None = None):
        """The package of *template* (its bytes, or a trusted path; python-pptx's blank
        template when ``None``); *name* names it in messages. Raises
        :class:`~cardforge.writer.opc.TemplateError`."""
        self.package = Package.open(template if template is not None else default_template(), name)
        self.name = f"`{name}`" if name else "the template"
        self.presentation = self.package.related(None, REL_OFFICE_DOCUMENT)[0]
        self._root = parse_xml(self.presentation.blob)

    def masters(self) -> list[Part]:
        """Slide masters in the presentation's order."""
        ids = self._root.find(f"{_P}sldMasterIdLst")
        found = [
            self.package.by_rid(self.presentation, e.get(_R_ID, "")) for e in (ids if ids is not None else [])
        ]
        return [part for part in found if part is not None] or self.package.related(
            self.presentation, REL_SLIDE_MASTER
        )

    def layouts(self) -> list[Part]:
        """The first master's layouts, in its order."""
        masters = self.masters()
        if not masters:
            return []
        master = masters[0]
        ids = parse_xml(master.blob).find(f"{_P}sldLayoutIdLst")
        found = [self.package.by_rid(master, e.get(_R_ID, "")) for e in (ids if ids is not None else [])]
        return [part for part in found if part is not None] or self.package.related(master, REL_SLIDE_LAYOUT)

    def layout_named(self, name: str) -> Part:
        """The first master's layout called *name*; the theme loader has checked it exists."""
        wanted = name.strip().lower()
        for layout in self.layouts():
            slide_data = parse_xml(layout.blob).find(f"{_P}cSld")
            if slide_data is not None and slide_data.get("name", "").strip().lower() == wanted:
                return layout
        raise ValueError(f"the template has no layout named {name!r}")

    def placeholder_indexes(self, layout: Part) -> dict[str, int]:
        """The ``idx`` of *layout*'s footer, slide-number and date placeholders, by type: a
        slide's placeholder of the same index takes the layout's place in Header & Footer."""
        found: dict[str, int] = {}
        for ph in parse_xml(layout.blob).iter(f"{_P}ph"):
            kind, index = ph.get("type", "body"), ph.get("idx", "")
            if kind in ("ftr", "sldNum", "dt") and index.isdigit() and int(index) < 2**31:
                found.setdefault(kind, int(index))
        return found

    def set_language(self, language: str) -> None:
        """The deck's *language* on the default text style, the masters and their layouts
        (styles and placeholder prompts alike); a right-to-left language also makes their
        paragraphs right to left by default, so that text typed into the deck reads so."""
        rtl = is_right_to_left(language)
        _set_language(self._root, language, rtl)
        parts = self.masters() + [layout for master in self.masters() for layout in self._layouts_of(master)]
        parts += self.package.related(self.presentation, REL_NOTES_MASTER)
        parts += self.package.related(self.presentation, REL_HANDOUT_MASTER)
        for part in {part.name: part for part in parts}.values():
            root = parse_xml(part.blob)
            _set_language(root, language, rtl)
            part.blob = serialize(root)

    def _layouts_of(self, master: Part) -> list[Part]:
        return self.package.related(master, REL_SLIDE_LAYOUT)

    def themes(self) -> list[Part]:
        """The themes the slide masters use, each once."""
        themes: dict[str, Part] = {}
        for master in self.masters():
            for theme in self.package.related(master, REL_THEME):
                themes.setdefault(theme.name, theme)
        return list(themes.values())

    def drop_slides(self) -> None:
        """A template's own example slides are not part of the deck."""
        slide_ids = self._root.find(f"{_P}sldIdLst")
        if slide_ids is None:
            return
        dropped = {element.get(_R_ID) for element in slide_ids}
        for rel in self.presentation.rels:
            if rel.rid in dropped:  # forgotten, so that nothing is reached through it (its notes)
                self.package.parts.pop(rel.target, None)
        self.presentation.rels = [rel for rel in self.presentation.rels if rel.rid not in dropped]
        self._root.remove(slide_ids)

    def resize(self, width: int, height: int) -> None:
        """Set the slide size, scaling the first master's and its layouts' shapes to match."""
        size = self._root.find(f"{_P}sldSz")
        if size is None:
            size = etree.Element(f"{_P}sldSz")
            self._insert(size, ("notesSz",))
        old_width = coordinate(size, "cx", self.name, _DEFAULT_SIZE[0])
        old_height = coordinate(size, "cy", self.name, _DEFAULT_SIZE[1])
        if old_width <= 0 or old_height <= 0:
            raise TemplateError(
                f"the template's slide size is {old_width} x {old_height} EMU, which has no area"
            )
        size.set("cx", str(width))
        size.set("cy", str(height))
        if "type" in size.attrib:  # a named size (screen4x3) would no longer be true
            del size.attrib["type"]
        if (old_width, old_height) == (width, height):
            return
        sx, sy = width / old_width, height / old_height
        for part in self.masters()[:1] + self.layouts():
            root = parse_xml(part.blob)
            where = f"{self.name} ({part.name[1:]})"
            for offset in root.iter(f"{_A}off"):
                offset.set("x", str(round(coordinate(offset, "x", where) * sx)))
                offset.set("y", str(round(coordinate(offset, "y", where) * sy)))
            for extent in root.iter(f"{_A}ext"):
                if extent.get("cx") is not None:
                    extent.set("cx", str(round(coordinate(extent, "cx", where) * sx)))
                    extent.set("cy", str(round(coordinate(extent, "cy", where) * sy)))
            part.blob = serialize(root)

    def notes_master(self) -> Part:
        """The template's notes master, or a default one (with its own theme) added."""
        found = self.package.related(self.presentation, REL_NOTES_MASTER)
        if found:
            return found[0]
        markup, theme_markup = default_notes_master()
        theme = self.package.add(
            Part(self.package.free_name("/ppt/theme/theme%d.xml"), CT_THEME, theme_markup)
        )
        master = self.package.add(
            Part(self.package.free_name("/ppt/notesMasters/notesMaster%d.xml"), CT_NOTES_MASTER, markup)
        )
        master.relate(REL_THEME, theme.name)
        rid = self.presentation.relate(REL_NOTES_MASTER, master.name)
        listing = etree.Element(f"{_P}notesMasterIdLst")
        etree.SubElement(listing, f"{_P}notesMasterId", {_R_ID: rid})
        self._insert(listing, _AFTER_NOTES_MASTER_LIST)
        return master

    def list_slides(self, names: list[str]) -> None:
        """Relate the presentation to the slides *names* and list them, in order."""
        slide_ids = etree.Element(f"{_P}sldIdLst")
        for number, name in enumerate(names, start=256):
            rid = self.presentation.relate(REL_SLIDE, name)
            etree.SubElement(slide_ids, f"{_P}sldId", {"id": str(number), _R_ID: rid})
        if len(slide_ids):
            self._insert(slide_ids, _AFTER_SLIDE_LIST)

    def set_properties(self, presentation: Presentation, notes: int, epoch: int) -> None:
        """Document properties with fixed dates, so the same deck gives the same bytes; the
        template's own statistics and thumbnail, which describe another file, go."""
        when = dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        title, author, subject = (
            clean(value)[:255] for value in (presentation.title, presentation.author, presentation.subject)
        )
        core = (
            "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{text(title)}</dc:title><dc:subject>{text(subject)}</dc:subject>"
            f"<dc:creator>{text(author or 'cardforge')}</dc:creator><cp:keywords>personas</cp:keywords>"
            f"<cp:lastModifiedBy>cardforge</cp:lastModifiedBy><cp:revision>1</cp:revision>"
            f"<cp:lastPrinted>{when}</cp:lastPrinted>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            f"<dc:language>{text(presentation.language)}</dc:language></cp:coreProperties>"
        )
        extended = (
            "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>cardforge</Application><PresentationFormat>Custom</PresentationFormat>"
            f"<Slides>{len(presentation.slides)}</Slides><Notes>{notes}</Notes><HiddenSlides>0</HiddenSlides></Properties>"
        )
        self.package.set_part(
            REL_CORE_PROPERTIES, "/docProps/core.xml", CT_CORE_PROPERTIES, core.encode("utf-8")
        )
        self.package.set_part(
            REL_EXTENDED_PROPERTIES, "/docProps/app.xml", CT_EXTENDED_PROPERTIES, extended.encode("utf-8")
        )
        self.package.drop(REL_THUMBNAIL)

    def finish(self) -> Package:
        """The package, with the presentation part's edits written back."""
        self.presentation.blob = serialize(self._root)
        return self.package

    def _insert(self, element: etree._Element, before: tuple[str, ...]) -> None:
        """Add *element* to ``p:presentation`` ahead of the first child named in *before*."""
        for child in self._root:
            if etree.QName(child).localname in before:
                child.addprevious(element)
                return
        self._root.append(element)


def _set_language(root: etree._Element, language: str, rtl: bool) -> None:
    """Every text property of *root* in *language*: the defaults of each style level (added
    where a level gives none), runs and paragraph ends."""
    for properties in root.iter(*_TEXT_PROPERTIES):
        properties.set("lang", language)
    for level in root.iter(*_STYLE_LEVELS):
        if level.find(f"{_A}defRPr") is None:
            _add_default_run(level).set("lang", language)
        if rtl:
            level.set("rtl", "1")


def _add_default_run(level: etree._Element) -> etree._Element:
    """A level's ``a:defRPr``, in its place: after spacing, bullets and tabs, before ``a:extLst``."""
    element = etree.Element(f"{_A}defRPr")
    extension = level.find(f"{_A}extLst")
    if extension is not None:
        extension.addprevious(element)
    else:
        level.append(element)
    return element


def coordinate(element: etree._Element, name: str, where: str, default: int | None = None) -> int:
    """The whole-number attribute *name* of *element* (a position or extent in EMU); *where*
    names the template and part for messages.

    A template whose shapes lack a position, or give it as text, is damaged: say so
    rather than fail on it.
    """
    value = element.get(name)
    if value is None and default is not None:
        return default
    tag = f"a:{etree.QName(element).localname}"
    try:
        number = int(value or "")
    except ValueError:
        given = "missing" if value is None else f"`{value[:20]}`"
        raise TemplateError(
            f"{where} is damaged: the `{name}` of an `{tag}` is {given}, not a whole number; "
            "open it in PowerPoint and save it again"
        ) from None
    if abs(number) > 2**31 - 1:
        raise TemplateError(f"{where} is damaged: the `{name}` of an `{tag}` is {number}, out of range")
    return number


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
