"""Slide and notes parts, written as finished bytes.

python-pptx looks up free part names, relationship ids and shape ids by scanning what
exists, and walks the whole relationship graph to save: a deck becomes quadratic in
slides and in shapes. Here every slide and notes page is built as plain XML, serialised
at once (so a thousand slides do not stay in memory as trees), and named and related by
counting.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..layout.shapes import Picture, Slide, flatten
from ..theme.images import image_type
from .opc import Part
from .xml import ElementWriter, attr, clean
from .xml import text as text_escape

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_SLIDE = f"{_R}/slide"
REL_SLIDE_LAYOUT = f"{_R}/slideLayout"
REL_NOTES_SLIDE = f"{_R}/notesSlide"
REL_NOTES_MASTER = f"{_R}/notesMaster"
REL_HYPERLINK = f"{_R}/hyperlink"
REL_IMAGE = f"{_R}/image"
CT_SLIDE = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"
CT_NOTES = "application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"

_NAMESPACES = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_SLIDE_HEAD = (
    f"{_DECLARATION}<p:sld {_NAMESPACES}><p:cSld><p:spTree>"
    '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
    '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
    '<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
)
_SLIDE_TAIL = "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
_NOTES_HEAD = (
    f"{_DECLARATION}<p:notes {_NAMESPACES}><p:cSld><p:spTree>"
    '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
    '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr>'
    '<a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg"/></p:nvPr>'
    "</p:nvSpPr><p:spPr/></p:sp>"
    '<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
    '<p:nvPr><p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>'
)
_NOTES_TAIL = (
    "</p:txBody></p:sp></p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"
)


@dataclass(frozen=True)
class ImageFile:
    name: str
    content_type: str
    blob: bytes


class SlideParts:
    """The slides of one presentation as :class:`Part` objects, made one at a time.

    Every part name is known before any slide is written (the package lists them up
    front); each slide's markup is made only when :meth:`parts_of` asks for it, so that a
    thousand slides never sit in memory as text at once. *layout* and *notes_master* are
    part names in the template; *taken* holds the names the template already uses.
    """

    def __init__(
        self,
        slides: list[Slide],
        layout: str,
        language: str,
        fonts: dict[str, str],
        notes_master: str,
        taken: set[str],
        placeholders: dict[str, int] | None = None,
    ):
        self._slides = slides
        self._layout = layout
        self._placeholders = placeholders
        self._language = language
        self._fonts = fonts
        self._notes_master = notes_master
        self.slide_names = [f"/ppt/slides/slide{index}.xml" for index in range(1, len(slides) + 1)]
        self.notes_names = {
            index: f"/ppt/notesSlides/notesSlide{index}.xml"
            for index, slide in enumerate(slides, start=1)
            if slide.notes
        }
        self._anchors: dict[str, str] = {}
        for slide, name in zip(slides, self.slide_names):
            for anchor in (slide.anchor, *slide.anchors):
                if anchor:
                    self._anchors.setdefault(anchor, name)
        self.images = self._name_images(taken)

    def content_types(self) -> list[tuple[str, str]]:
        """(part name, content type) of every part :meth:`parts` and :attr:`images` give."""
        types = [(name, CT_SLIDE) for name in self.slide_names]
        types += [(name, CT_NOTES) for name in self.notes_names.values()]
        types += [(image.name, image.content_type) for image in self.images.values()]
        return types

    def parts_of(self, index: int) -> list[Part]:
        """The part of the slide at *index* (from 0), then its notes page if it has one."""
        slide, name = self._slides[index], self.slide_names[index]
        part = self._slide_part(slide, name, index + 1)
        if not slide.notes:
            return [part]
        return [part, self._notes_part(part, index + 1, slide.notes)]

    def _slide_part(self, slide: Slide, name: str, number: int) -> Part:
        part = Part(name, CT_SLIDE, b"")
        part.relate(REL_SLIDE_LAYOUT, self._layout)
        related: dict[str, tuple[str, bool]] = {}  # target -> rId: a slide may link one card many times

        def links(target: str) -> tuple[str, bool]:
            known = related.get(target)
            if known is None:
                if target.startswith("#"):
                    destination = self._anchors.get(target[1:])
                    known = (part.relate(REL_SLIDE, destination), True) if destination else ("", False)
                else:
                    known = (part.relate(REL_HYPERLINK, target, external=True), False)
                related[target] = known
            return known

        def image_rel(path: str) -> str:
            return part.relate(REL_IMAGE, self.images[path].name)

        elements = slide.in_reading_order()
        writer = ElementWriter(
            links,
            self._language,
            self._fonts,
            [element.name for element in flatten(elements)],
            number,
            self._placeholders,
        )
        for element in elements:
            writer.element(element, image_rel)
        part.blob = (_SLIDE_HEAD + writer.markup() + _SLIDE_TAIL).encode("utf-8")
        return part

    def _notes_part(self, slide_part: Part, index: int, text: str) -> Part:
        language = attr(self._language)
        paragraphs = "".join(
            f'<a:p><a:r><a:rPr lang="{language}" dirty="0"/><a:t>{text_escape(line)}</a:t></a:r></a:p>'
            if line
            else "<a:p/>"
            for line in clean(text).split("\n")
        )
        notes = Part(
            self.notes_names[index], CT_NOTES, (_NOTES_HEAD + paragraphs + _NOTES_TAIL).encode("utf-8")
        )
        notes.relate(REL_NOTES_MASTER, self._notes_master)
        notes.relate(REL_SLIDE, slide_part.name)
        slide_part.relate(REL_NOTES_SLIDE, notes.name)
        return notes

    def _name_images(self, taken: set[str]) -> dict[str, ImageFile]:
        """One media part per image file, however many slides show it."""
        images: dict[str, ImageFile] = {}
        for slide in self._slides:
            for element in flatten(slide.elements):
                if isinstance(element, Picture) and element.path not in images:
                    blob = element.data if element.data is not None else Path(element.path).read_bytes()
                    kind = image_type(blob)
                    if kind is None:  # the theme loader admits only PNG and JPEG logos
                        raise ValueError(f"{element.path}: only PNG and JPEG images can be placed on slides")
                    extension, content_type = kind
                    number = len(images) + 1
                    while f"/ppt/media/image{number}.{extension}" in taken:
                        number += 1
                    images[element.path] = ImageFile(
                        f"/ppt/media/image{number}.{extension}", content_type, blob
                    )
                    taken.add(images[element.path].name)
        return images
