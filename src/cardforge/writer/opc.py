"""The template a deck is built on, read as a package of parts and relationships.

A .pptx is a zip of parts joined by relationships (Open Packaging Conventions). The
writer needs little of it: the presentation part, masters, layouts, themes and the
notes master, to edit a few of them and copy the rest. Reading that directly keeps
python-pptx's object model (and the tenth of a second its import takes) out of builds.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from lxml import etree

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_OFFICE_DOCUMENT = f"{_R}/officeDocument"
REL_SLIDE_MASTER = f"{_R}/slideMaster"
REL_SLIDE_LAYOUT = f"{_R}/slideLayout"
REL_NOTES_MASTER = f"{_R}/notesMaster"
REL_THEME = f"{_R}/theme"
REL_CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
REL_EXTENDED_PROPERTIES = f"{_R}/extended-properties"
REL_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
CT_NOTES_MASTER = "application/vnd.openxmlformats-officedocument.presentationml.notesMaster+xml"
CT_THEME = "application/vnd.openxmlformats-officedocument.theme+xml"
CT_CORE_PROPERTIES = "application/vnd.openxmlformats-package.core-properties+xml"
CT_EXTENDED_PROPERTIES = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class Rel:
    """One relationship: *target* is an absolute part name, or a URL when *external*."""

    rid: str
    reltype: str
    target: str
    external: bool = False


@dataclass
class Part:
    """One part: its absolute name (``/ppt/presentation.xml``), content type, bytes and
    relationships (targets as absolute part names, or URLs when external)."""

    name: str
    content_type: str
    blob: bytes
    rels: list[Rel] = field(default_factory=list)
    _next_id: int = field(default=0, repr=False, compare=False)

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.name)

    def relate(self, reltype: str, target: str, external: bool = False) -> str:
        """Add a relationship to *target*; returns its new id (counted, not searched for:
        a presentation part gains a relationship per slide)."""
        if not self._next_id:
            self._next_id = next_rid_number(self.rels)
        rid = f"rId{self._next_id}"
        self._next_id += 1
        self.rels.append(Rel(rid, reltype, target, external))
        return rid


class Package:
    """The parts reachable from a package's own relationships, by name."""

    def __init__(self, rels: list[Rel], parts: dict[str, Part]):
        self.rels = rels
        self.parts = parts

    @classmethod
    def open(cls, path: str | Path) -> Package:
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            defaults, overrides = _content_types(archive.read("[Content_Types].xml"))

            def rels_of(name: str) -> list[Rel]:
                folder, file = posixpath.split(name)
                member = posixpath.join(folder, "_rels", f"{file}.rels").lstrip("/")
                return _read_rels(archive.read(member), folder) if member in members else []

            rels = rels_of("/")
            parts: dict[str, Part] = {}
            waiting = [rel.target for rel in rels if not rel.external]
            while waiting:
                name = waiting.pop()
                if name in parts or name[1:] not in members:
                    continue
                extension = name.rsplit(".", 1)[-1].lower()
                content_type = overrides.get(name.lower()) or defaults.get(
                    extension, "application/octet-stream"
                )
                part = parts[name] = Part(name, content_type, archive.read(name[1:]), rels_of(name))
                waiting += [rel.target for rel in part.rels if not rel.external]
        return cls(rels, parts)

    def related(self, source: Part | None, reltype: str) -> list[Part]:
        """The parts *source* (the package itself when None) relates to by *reltype*."""
        rels = self.rels if source is None else source.rels
        return [
            self.parts[rel.target]
            for rel in rels
            if rel.reltype == reltype and not rel.external and rel.target in self.parts
        ]

    def by_rid(self, source: Part, rid: str) -> Part | None:
        rel = next((rel for rel in source.rels if rel.rid == rid), None)
        return self.parts.get(rel.target) if rel is not None and not rel.external else None

    def add(self, part: Part) -> Part:
        self.parts[part.name] = part
        return part

    def set_part(self, reltype: str, name: str, content_type: str, blob: bytes) -> None:
        """Give the part the package relates to by *reltype* new bytes, adding it if absent."""
        found = self.related(None, reltype)
        if found:
            found[0].blob = blob
            return
        self.add(Part(name, content_type, blob))
        self.rels.append(Rel(f"rId{next_rid_number(self.rels)}", reltype, name))

    def drop(self, reltype: str) -> None:
        """Forget the package's relationships of *reltype* (and so the parts they name)."""
        self.rels = [rel for rel in self.rels if rel.reltype != reltype]

    def free_name(self, template: str) -> str:
        """The first ``template % n`` (n from 1) that no part has."""
        number = 1
        while template % number in self.parts:
            number += 1
        return template % number

    def reachable(self) -> list[Part]:
        """The parts still reachable from the package's relationships, by name: parts
        whose relationships were dropped (a template's own slides) are left out."""
        seen: dict[str, Part] = {}
        waiting = [rel.target for rel in self.rels if not rel.external]
        while waiting:
            name = waiting.pop()
            part = self.parts.get(name)
            if part is None or name in seen:
                continue
            seen[name] = part
            waiting += [rel.target for rel in part.rels if not rel.external]
        return [seen[name] for name in sorted(seen)]


def next_rid_number(rels: list[Rel]) -> int:
    """The first ``rIdN`` number above all those in *rels*."""
    numbers = [int(rel.rid[3:]) for rel in rels if rel.rid.startswith("rId") and rel.rid[3:].isdigit()]
    return max(numbers, default=0) + 1


def default_template() -> Path:
    """python-pptx's own blank template (found without importing python-pptx)."""
    return _pptx_folder() / "templates" / "default.pptx"


def default_notes_master() -> tuple[bytes, bytes]:
    """The markup of python-pptx's default notes master and of the theme it needs."""
    folder = _pptx_folder() / "templates"
    return (folder / "notesMaster.xml").read_bytes(), (folder / "theme.xml").read_bytes()


def _pptx_folder() -> Path:
    spec = find_spec("pptx")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("python-pptx is not installed; it provides the default template")
    return Path(next(iter(spec.submodule_search_locations)))


def _content_types(xml: bytes) -> tuple[dict[str, str], dict[str, str]]:
    root = etree.fromstring(xml)
    defaults = {e.get("Extension", "").lower(): e.get("ContentType", "") for e in root.iter(f"{_CT}Default")}
    overrides = {e.get("PartName", "").lower(): e.get("ContentType", "") for e in root.iter(f"{_CT}Override")}
    return defaults, overrides


def _read_rels(xml: bytes, folder: str) -> list[Rel]:
    rels = []
    for element in etree.fromstring(xml).iter(f"{_RELS}Relationship"):
        target = element.get("Target", "")
        external = element.get("TargetMode") == "External"
        if not external:
            target = posixpath.normpath(
                target if target.startswith("/") else posixpath.join(folder or "/", target)
            )
        rels.append(Rel(element.get("Id", ""), element.get("Type", ""), target, external))
    return rels
