"""Assemble the .pptx package and write it atomically, byte for byte reproducible."""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Optional

from ..layout.shapes import Presentation, Slide, flatten
from .xml import ElementWriter, attr, clean
from .xml import text as text_escape

DEFAULT_EPOCH = 946684800  # 2000-01-01T00:00:00Z: fixed, so the same deck gives the same bytes
_TEMPLATE_SIZE = (9144000, 6858000)


def build_epoch() -> int:
    """``SOURCE_DATE_EPOCH`` when set (reproducible-builds convention), else a fixed date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else DEFAULT_EPOCH


def write_presentation(
    presentation: Presentation,
    output: Path,
    fonts: dict[str, str],
    template: Optional[Path] = None,
    layout_name: Optional[str] = None,
) -> None:
    """Write *presentation* to *output*; an existing file is replaced only on success."""
    data = render_bytes(presentation, fonts, template, layout_name)
    atomic_write(output, data)


def render_bytes(
    presentation: Presentation, fonts: dict[str, str], template: Optional[Path] = None, layout_name: Optional[str] = None
) -> bytes:
    import pptx

    prs = pptx.Presentation(str(template) if template else None)
    _drop_slides(prs)
    _resize(prs, presentation.width, presentation.height)
    if presentation.brand is not None:
        from .brand import apply_brand

        apply_brand(prs, presentation.brand)
    layout = _layout(prs, layout_name or "Title Only")
    builder = _SlideBuilder(prs, layout, presentation.language, fonts)
    builder.add_all(presentation.slides)
    _set_properties(prs, presentation)
    return _package_bytes(prs)


_NAMESPACES = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
_SHAPE_TREE = (
    '<p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
    '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
    '<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr></p:spTree></p:cSld>'
    "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>"
)
_SLIDE_HEAD, _SLIDE_TAIL = (
    f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<p:sld {_NAMESPACES}>{_SHAPE_TREE}</p:sld>".split("</p:spTree>")
)
_SLIDE_TAIL = "</p:spTree>" + _SLIDE_TAIL
_NOTES = (
    f"<p:notes {_NAMESPACES}><p:cSld><p:spTree>"
    '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
    '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr>'
    '<a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg"/></p:nvPr>'
    "</p:nvSpPr><p:spPr/></p:sp>"
    '<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
    '<p:nvPr><p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>'
    "</p:txBody></p:sp></p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"
)


class _SlideBuilder:
    """Adds slides as finished parts, without python-pptx's per-slide scans.

    python-pptx looks up free part names, relationship ids and shape ids by scanning what
    exists, which makes a deck quadratic in slides and in shapes. Here every slide and
    notes page is built as plain XML, serialised at once (so a thousand slides do not
    stay in memory as trees) and added with names and ids counted up directly. All
    slide parts are created first, so that a link to a later slide (``#card:P001``)
    can be related to its part while an earlier slide is filled.
    """

    def __init__(self, prs, layout, language: str, fonts: dict[str, str]):
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT

        self._prs = prs
        self._package = prs.part.package
        self._layout = layout
        self._language = language
        self._fonts = fonts
        self._sld_id_lst = prs.slides._sldIdLst
        self._next_slide_id = 256 + len(self._sld_id_lst)
        self._anchors: dict[str, object] = {}
        self._images: dict[str, object] = {}
        self._notes_master = None
        self._rt = RT

    def add_all(self, slides: list[Slide]) -> None:
        first = len(self._sld_id_lst) + 1
        parts = [self._new_part(first + offset) for offset in range(len(slides))]
        for slide, part in zip(slides, parts):
            if slide.anchor:
                self._anchors.setdefault(slide.anchor, part)
        for offset, (slide, part) in enumerate(zip(slides, parts)):
            self._fill(part, slide, first + offset)

    def _new_part(self, index: int):
        from pptx.opc.constants import CONTENT_TYPE as CT
        from pptx.opc.package import Part
        from pptx.opc.packuri import PackURI

        part = Part(PackURI(f"/ppt/slides/slide{index}.xml"), CT.PML_SLIDE, self._package, b"")
        part._rels._add_relationship(self._rt.SLIDE_LAYOUT, self._layout.part)
        rel_id = self._prs.part._rels._add_relationship(self._rt.SLIDE, part)
        self._sld_id_lst._add_sldId(id=self._next_slide_id, rId=rel_id)
        self._next_slide_id += 1
        return part

    def _fill(self, part, slide: Slide, index: int) -> None:
        related: dict[str, tuple[str, bool]] = {}  # target -> rId: a slide may link one card many times

        def links(target: str) -> tuple[str, bool]:
            known = related.get(target)
            if known is None:
                if target.startswith("#"):
                    destination = self._anchors.get(target[1:])
                    known = (part._rels._add_relationship(self._rt.SLIDE, destination), True) if destination else ("", False)
                else:
                    known = (part._rels._add_relationship(self._rt.HYPERLINK, target, is_external=True), False)
                related[target] = known
            return known

        def image_rel(path: str) -> str:
            image = self._images.get(path)
            if image is None:
                image = self._images[path] = self._package.get_or_add_image_part(path)
            return part.relate_to(image, self._rt.IMAGE)

        names = [element.name for element in flatten(slide.elements)]
        writer = ElementWriter(links, self._language, self._fonts, names)
        for element in slide.elements:
            writer.element(element, image_rel)
        part._blob = (_SLIDE_HEAD + writer.markup() + _SLIDE_TAIL).encode("utf-8")
        if slide.notes:
            self._add_notes(part, index, slide.notes)

    def _add_notes(self, slide_part, index: int, text: str) -> None:
        from pptx.opc.constants import CONTENT_TYPE as CT
        from pptx.opc.package import Part
        from pptx.opc.packuri import PackURI

        if self._notes_master is None:
            self._notes_master = self._package.presentation_part.notes_master_part
        language = attr(self._language)
        paragraphs = "".join(
            f'<a:p><a:r><a:rPr lang="{language}" dirty="0"/><a:t>{text_escape(line)}</a:t></a:r></a:p>' if line else "<a:p/>"
            for line in clean(text).split("\n")
        )
        blob = _NOTES.replace("</p:txBody>", paragraphs + "</p:txBody>")
        notes = Part(PackURI(f"/ppt/notesSlides/notesSlide{index}.xml"), CT.PML_NOTES_SLIDE, self._package, b"")
        notes._rels._add_relationship(self._rt.NOTES_MASTER, self._notes_master)
        notes._rels._add_relationship(self._rt.SLIDE, slide_part)
        slide_part._rels._add_relationship(self._rt.NOTES_SLIDE, notes)
        notes._blob = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n" + blob).encode("utf-8")


def _layout(prs, name: str):
    """The named layout; the theme loader has already checked that it exists."""
    for layout in prs.slide_layouts:
        if layout.name.strip().lower() == name.strip().lower():
            return layout
    raise ValueError(f"the template has no layout named {name!r}")


def _drop_slides(prs) -> None:
    """A template's own example slides are not part of the deck."""
    slide_ids = prs.slides._sldIdLst
    for slide_id in list(slide_ids):
        prs.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)


def _resize(prs, width: int, height: int) -> None:
    """Set the slide size, scaling the masters' and layouts' own shapes to match."""
    old_width = prs.slide_width or _TEMPLATE_SIZE[0]
    old_height = prs.slide_height or _TEMPLATE_SIZE[1]
    prs.slide_width, prs.slide_height = width, height
    if (old_width, old_height) == (width, height):
        return
    sx, sy = width / old_width, height / old_height
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    parts = [prs.slide_master.part] + [layout.part for layout in prs.slide_layouts]
    for part in parts:
        for off in part._element.iter(f"{a}off"):
            off.set("x", str(round(int(off.get("x")) * sx)))
            off.set("y", str(round(int(off.get("y")) * sy)))
        for ext in part._element.iter(f"{a}ext"):
            if ext.get("cx") is not None:
                ext.set("cx", str(round(int(ext.get("cx")) * sx)))
                ext.set("cy", str(round(int(ext.get("cy")) * sy)))


def _set_properties(prs, presentation: Presentation) -> None:
    when = dt.datetime.fromtimestamp(build_epoch(), tz=dt.timezone.utc).replace(tzinfo=None)
    props = prs.core_properties
    props.title = clean(presentation.title)[:255]
    props.author = clean(presentation.author)[:255] or "cardforge"
    props.subject = clean(presentation.subject)[:255]
    props.last_modified_by = "cardforge"
    props.revision = 1
    props.created = when
    props.modified = when
    props.last_printed = when
    props.language = presentation.language
    props.keywords = "personas"


def _package_bytes(prs) -> bytes:
    """The package as a zip with fixed timestamps and permissions, members in a fixed order.

    This does what ``Presentation.save`` does, in one pass and reproducibly: zip entries
    otherwise carry the time of the build.
    """
    from pptx.opc.oxml import serialize_part_xml
    from pptx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from pptx.opc.serialized import _ContentTypesItem

    package = prs.part.package
    parts = list(package.iter_parts())
    members = {PACKAGE_URI.rels_uri.membername: _rels_xml(package._rels, "/")}
    for part in parts:
        members[part.partname.membername] = part.blob
        if part._rels:
            members[part.partname.rels_uri.membername] = _rels_xml(part._rels, part.partname.baseURI)
    stamp = dt.datetime.fromtimestamp(max(build_epoch(), 315532800), tz=dt.timezone.utc)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        ordered = [(CONTENT_TYPES_URI.membername, serialize_part_xml(_ContentTypesItem.xml_for(parts)))]
        ordered += sorted(members.items())
        for name, data in ordered:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, data, compresslevel=3)
    return out.getvalue()


_RELS_HEAD = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
)


def _rels_xml(rels, base: str) -> bytes:
    """A part's relationships, in rId order (python-pptx's own serialiser is a large share of
    the time a big deck takes: it builds a tree and a relative path per relationship)."""
    from .xml import attr

    def order(rel) -> tuple:
        number = rel.rId[3:]
        return (0, int(number), "") if number.isdigit() else (1, 0, rel.rId)

    items = [_RELS_HEAD]
    for rel in sorted(rels.values(), key=order):
        if rel.is_external:
            target, mode = rel.target_ref, ' TargetMode="External"'
        else:
            target, mode = _relative(base, str(rel.target_part.partname)), ""
        items.append(f'<Relationship Id="{rel.rId}" Type="{rel.reltype}" Target="{attr(target)}"{mode}/>')
    items.append("</Relationships>")
    return "".join(items).encode("utf-8")


_RELATIVE: dict[tuple[str, str], str] = {}


def _relative(base: str, target: str) -> str:
    """*target* (an absolute part name) relative to the folder *base*."""
    key = (base, target)
    found = _RELATIVE.get(key)
    if found is None:
        base_parts = [p for p in base.split("/") if p]
        target_parts = [p for p in target.split("/") if p]
        common = 0
        while common < min(len(base_parts), len(target_parts) - 1) and base_parts[common] == target_parts[common]:
            common += 1
        found = "/".join([".."] * (len(base_parts) - common) + target_parts[common:])
        _RELATIVE[key] = found
    return found


def atomic_write(output: Path, data: bytes) -> None:
    """Write *data* to a temporary file beside *output*, then rename it into place."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp_name, 0o666 & ~umask)
        os.replace(temp_name, output)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise
