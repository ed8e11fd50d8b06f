"""The .pptx zip: the template's parts plus the generated ones, in one pass.

This does what ``Presentation.save`` does, reproducibly and without serialising
relationships through element trees: zip entries carry a fixed time, members come in a
fixed order, and a relationship's relative target is computed once per folder pair.
Slides are compressed into the file as they are made, so their markup never piles up.
"""

from __future__ import annotations

from typing import BinaryIO

from .archive import Archive, Member, compress
from .opc import Package, Rel
from .parallel import compressed_slides
from .slides import SlideParts
from .xml import attr

_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_RELS_HEAD = (
    f'{_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
)
_TYPES_HEAD = f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
_CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
_CT_XML = "application/xml"


def write_zip(target: BinaryIO, package: Package, slides: SlideParts, epoch: int) -> None:
    """The whole package into the open file *target*: the template's parts, then the
    generated slides and notes pages, then the images."""
    generated = slides.content_types()
    # A template slide still reachable some other way (a custom show) gives way to the
    # deck's slide of the same name: a zip must not hold a name twice.
    names = {name for name, _ in generated}
    template_parts = [part for part in package.reachable() if part.name not in names]
    types = [(part.name, part.content_type) for part in template_parts] + generated
    with Archive(target, epoch) as archive:
        archive.add("[Content_Types].xml", content_types_xml(types))
        archive.add("_rels/.rels", rels_xml(package.rels, "/"))
        for part in template_parts:
            archive.add(part.name[1:], part.blob)
            if part.rels:
                archive.add(_rels_name(part.name), rels_xml(part.rels, part.folder))
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


_DEFAULT_TYPES = {
    ("png", "image/png"),
    ("jpeg", "image/jpeg"),
    ("jpg", "image/jpeg"),
    ("gif", "image/gif"),
    ("emf", "image/x-emf"),
    ("wmf", "image/x-wmf"),
    ("bin", "application/vnd.openxmlformats-officedocument.presentationml.printerSettings"),
}
"""Extensions given a default content type; every other part gets an override."""


def content_types_xml(parts: list[tuple[str, str]]) -> bytes:
    """``[Content_Types].xml``: defaults by extension for media, overrides for the rest."""
    defaults = {"rels": _CT_RELS, "xml": _CT_XML}
    overrides: dict[str, str] = {}
    for name, content_type in parts:
        extension = name.rsplit(".", 1)[-1]
        if (extension.lower(), content_type) in _DEFAULT_TYPES:
            defaults[extension] = content_type
        else:
            overrides[name] = content_type
    items = [_TYPES_HEAD]
    items += [
        f'<Default Extension="{attr(ext)}" ContentType="{attr(ct)}"/>' for ext, ct in sorted(defaults.items())
    ]
    items += [
        f'<Override PartName="{attr(name)}" ContentType="{attr(ct)}"/>'
        for name, ct in sorted(overrides.items())
    ]
    items.append("</Types>")
    return "".join(items).encode("utf-8")


def rels_xml(rels: list[Rel], base: str) -> bytes:
    """A part's relationships in rId order; internal targets relative to the folder *base*."""

    def order(rel: Rel) -> tuple:
        number = rel.rid[3:]
        return (0, int(number), "") if rel.rid.startswith("rId") and number.isdigit() else (1, 0, rel.rid)

    items = [_RELS_HEAD]
    for rel in sorted(rels, key=order):
        target, mode = (
            (rel.target, ' TargetMode="External"') if rel.external else (_relative(base, rel.target), "")
        )
        items.append(
            f'<Relationship Id="{attr(rel.rid)}" Type="{rel.reltype}" Target="{attr(target)}"{mode}/>'
        )
    items.append("</Relationships>")
    return "".join(items).encode("utf-8")


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
        while (
            common < min(len(base_parts), len(target_parts) - 1)
            and base_parts[common] == target_parts[common]
        ):
            common += 1
        found = "/".join([".."] * (len(base_parts) - common) + target_parts[common:])
        _RELATIVE[key] = found
    return found
