"""The .pptx zip: the template's parts from python-pptx plus the generated ones, in one pass.

This does what ``Presentation.save`` does, reproducibly and without serialising
relationships through element trees: zip entries carry a fixed time, members come in a
fixed order, and a relationship's relative target is computed once per folder pair.
Slides are compressed into the file as they are made, so their markup never piles up.
"""

from __future__ import annotations

from typing import BinaryIO

from .archive import Archive, Member, compress
from .parallel import compressed_slides
from .slides import Rel, SlideParts
from .xml import attr

_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_RELS_HEAD = f'{_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
_TYPES_HEAD = f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
_CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
_CT_XML = "application/xml"


def write_zip(target: BinaryIO, prs, slides: SlideParts, presentation_rels: list[Rel], epoch: int) -> None:
    """The whole package into the open file *target*: *prs*'s own parts, then the
    generated slides and notes pages, then the images.

    *presentation_rels* are added to the presentation part's relationships (its slides).
    """
    package = prs.part.package
    template_parts = sorted(package.iter_parts(), key=lambda part: str(part.partname))
    types = [(str(part.partname), part.content_type) for part in template_parts] + slides.content_types()
    with Archive(target, epoch) as archive:
        archive.add("[Content_Types].xml", content_types_xml(types))
        archive.add("_rels/.rels", rels_xml(pptx_rels(package._rels), "/"))
        for part in template_parts:
            name = str(part.partname)
            archive.add(name[1:], part.blob)
            rels = pptx_rels(part._rels) + (presentation_rels if part is prs.part else [])
            if rels:
                archive.add(_rels_name(name), rels_xml(rels, part.partname.baseURI))
        for member in compressed_slides(len(slides.slide_names), lambda index: slide_members(slides, index)):
            archive.add_member(member)
        for image in slides.images.values():
            archive.add(image.name[1:], image.blob)


def slide_members(slides: SlideParts, index: int) -> list[Member]:
    """The compressed members of one slide: the slide, its relationships, and its notes
    page with its relationships."""
    members = []
    for part in slides.parts_of(index):
        members.append(compress(part.name[1:], part.blob))
        if part.rels:
            members.append(compress(_rels_name(part.name), rels_xml(part.rels, part.name.rsplit("/", 1)[0])))
    return members


def content_types_xml(parts: list[tuple[str, str]]) -> bytes:
    """``[Content_Types].xml``: defaults by extension where the standard allows, else overrides."""
    from pptx.opc.spec import default_content_types

    defaults = {"rels": _CT_RELS, "xml": _CT_XML}
    overrides: dict[str, str] = {}
    for name, content_type in parts:
        extension = name.rsplit(".", 1)[-1]
        if (extension.lower(), content_type) in default_content_types:
            defaults[extension] = content_type
        else:
            overrides[name] = content_type
    items = [_TYPES_HEAD]
    items += [f'<Default Extension="{attr(ext)}" ContentType="{attr(ct)}"/>' for ext, ct in sorted(defaults.items())]
    items += [f'<Override PartName="{attr(name)}" ContentType="{attr(ct)}"/>' for name, ct in sorted(overrides.items())]
    items.append("</Types>")
    return "".join(items).encode("utf-8")


def rels_xml(rels: list[Rel], base: str) -> bytes:
    """A part's relationships in rId order; internal targets relative to the folder *base*."""

    def order(rel: Rel) -> tuple:
        number = rel.rid[3:]
        return (0, int(number), "") if rel.rid.startswith("rId") and number.isdigit() else (1, 0, rel.rid)

    items = [_RELS_HEAD]
    for rel in sorted(rels, key=order):
        target, mode = (rel.target, ' TargetMode="External"') if rel.external else (_relative(base, rel.target), "")
        items.append(f'<Relationship Id="{attr(rel.rid)}" Type="{rel.reltype}" Target="{attr(target)}"{mode}/>')
    items.append("</Relationships>")
    return "".join(items).encode("utf-8")


def next_rid_number(rels: list[Rel]) -> int:
    """The first ``rIdN`` number above all those in *rels*."""
    numbers = [int(rel.rid[3:]) for rel in rels if rel.rid.startswith("rId") and rel.rid[3:].isdigit()]
    return max(numbers, default=0) + 1


def pptx_rels(rels) -> list[Rel]:
    """python-pptx relationships as :class:`Rel` values."""
    return [
        Rel(rel.rId, rel.reltype, rel.target_ref if rel.is_external else str(rel.target_part.partname), rel.is_external)
        for rel in rels.values()
    ]


def _rels_name(part_name: str) -> str:
    folder, _, file = part_name[1:].rpartition("/")
    return f"{folder}/_rels/{file}.rels" if folder else f"_rels/{file}.rels"


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
