"""The template a deck is built on, read as a package of parts and relationships.

A .pptx is a zip of parts joined by relationships (Open Packaging Conventions). The
writer needs little of it: the presentation part, masters, layouts, themes and the
notes master, to edit a few of them and copy the rest. Reading that directly keeps
python-pptx's object model (and the tenth of a second its import takes) out of builds.

A template is untrusted input: it may come from anywhere, and what it holds is copied
into every deck built on it. So it is read from bytes already in memory (checked when the
theme was loaded), each part within a size and a compression-ratio limit, every XML part
with a parser that expands no entities and fetches nothing, and every link it would carry
into the output under the rules a deck's own links follow. Anything else is a
:class:`TemplateError` that says what is wrong, never a crash.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from lxml import etree

from .. import limits

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
REL_SLIDE = f"{_R}/slide"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LINK_SCHEMES = ("https", "http", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
"""Expands no entity, loads no DTD, fetches nothing; libxml2's own limits stay on."""


class TemplateError(ValueError):
    """A template that cannot be used; the message says why, in the user's terms."""


def parse_xml(blob: bytes, where: str = "the XML") -> etree._Element:
    """Parse a part's XML safely: no entities, no DTD, no network; a DOCTYPE is refused
    (Office files never have one, and entity bombs and external entities need one)."""
    try:
        root = etree.fromstring(blob, _XML_PARSER)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise TemplateError(f"{where} is not well-formed XML ({_reason(error)})") from None
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]
        raise TemplateError(f"{where} declares a DOCTYPE (XML entities), which Office files never do")
    return root


def _reason(error: Exception) -> str:
    text = str(getattr(error, "msg", "") or error).strip()
    return text.split(", line ")[0] or type(error).__name__


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
    def open(cls, source: str | Path | bytes, name: str | None = None) -> Package:
        """Read the package in *source* (bytes, or the path of a trusted file); *name*
        names it in messages. Raises :class:`TemplateError`.

        The template's own slides are not read: a deck never uses them (a slide that a
        layout links to is still read, as that layout needs it).
        """
        if isinstance(source, bytes):
            data, shown = source, name or "the template"
        else:
            data, shown = Path(source).read_bytes(), name or Path(source).name
        return _Reader(data, shown).package()

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


class _Reader:
    """Reads one template package, checking every member it touches."""

    def __init__(self, data: bytes, name: str):
        self.name = f"`{name}`"
        self.inflated = 0
        if data.startswith(_OLE_MAGIC):
            raise TemplateError(
                f"{self.name} is password-protected or an old binary .ppt file, not a .pptx; "
                "save it as a .pptx without a password"
            )
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            infos = self.archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, IndexError) as error:
            raise TemplateError(
                f"{self.name} is not a PowerPoint file (.pptx): {_zip_reason(error)}; "
                "open it in PowerPoint and save it again"
            ) from None
        if len(infos) > limits.TEMPLATE_PARTS:
            raise TemplateError(
                f"{self.name} has {len(infos):,} parts; at most {limits.TEMPLATE_PARTS:,} are allowed"
            )
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.filename in self.members:
                raise TemplateError(
                    f"{self.name} holds `{info.filename}` twice; save it again from PowerPoint"
                )
            self.members[info.filename] = info

    def package(self) -> Package:
        defaults, overrides = _content_types(self.xml("[Content_Types].xml"))
        rels = self.rels_of("/")
        presentation = next((rel.target for rel in rels if rel.reltype == REL_OFFICE_DOCUMENT), None)
        if presentation is None or presentation[1:] not in self.members:
            raise TemplateError(f"{self.name} is not a presentation (it has no presentation part)")
        parts: dict[str, Part] = {}
        waiting = [rel.target for rel in rels if not rel.external and rel.target[1:] in self.members]
        while waiting:
            name = waiting.pop()
            if name in parts:
                continue
            extension = name.rsplit(".", 1)[-1].lower()
            content_type = overrides.get(name.lower()) or defaults.get(extension, "application/octet-stream")
            blob = self.read(name[1:])
            if _is_xml(name, content_type):
                parse_xml(blob, self._where(name))
            part = parts[name] = Part(name, content_type, blob, self.rels_of(name))
            for rel in part.rels:
                if rel.external:
                    self.check_link(rel, name)
                elif name == presentation and rel.reltype == REL_SLIDE:
                    continue  # the template's own slides: never part of a deck
                elif rel.target[1:] not in self.members:
                    raise TemplateError(
                        f"{self.name} is damaged: {name[1:]} refers to {rel.target[1:]}, which it does not "
                        "hold; open it in PowerPoint and save it again"
                    )
                else:
                    waiting.append(rel.target)
        return Package(rels, parts)

    def rels_of(self, name: str) -> list[Rel]:
        folder, file = posixpath.split(name)
        member = posixpath.join(folder, "_rels", f"{file}.rels").lstrip("/")
        return _read_rels(self.xml(member), folder) if member in self.members else []

    def xml(self, member: str) -> etree._Element:
        return parse_xml(self.read(member), self._where("/" + member))

    def read(self, member: str) -> bytes:
        """One member's bytes, within the size, ratio and total limits."""
        info = self.members.get(member)
        if info is None:
            raise TemplateError(f"{self.name} is not a PowerPoint file (.pptx): it has no {member}")
        self._check_size(info)
        try:
            return self.archive.read(info)
        except RuntimeError as error:  # zipfile: "File ... is encrypted, password required"
            raise TemplateError(f"{self.name} is encrypted ({error}); save it without a password") from None
        except NotImplementedError:
            raise TemplateError(
                f"{self.name} compresses {member} in a way cardforge cannot read; save it again from PowerPoint"
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
            raise TemplateError(
                f"{self.name} is damaged ({member}: {_zip_reason(error)}); open it in PowerPoint and save it again"
            ) from None

    def _check_size(self, info: zipfile.ZipInfo) -> None:
        if info.flag_bits & 0x1:
            raise TemplateError(f"{self.name} is encrypted; save it without a password")
        size = info.file_size
        if size > limits.TEMPLATE_PART_BYTES:
            raise TemplateError(
                f"{self.name} holds a part of {size:,} bytes ({info.filename}); "
                f"at most {limits.TEMPLATE_PART_BYTES:,} are allowed"
            )
        if size > limits.MIB and size > limits.TEMPLATE_PART_RATIO * max(info.compress_size, 1):
            raise TemplateError(
                f"{self.name} holds a part that inflates {size // max(info.compress_size, 1):,} times "
                f"({info.filename}): a zip bomb, not a template"
            )
        self.inflated += size
        if self.inflated > limits.TEMPLATE_TOTAL_BYTES:
            raise TemplateError(
                f"{self.name} holds more than {limits.TEMPLATE_TOTAL_BYTES:,} bytes of parts; "
                "that is more than a template needs"
            )

    def check_link(self, rel: Rel, part: str) -> None:
        """A link the output would carry must be one a deck may give: https, http or mailto."""
        from ..diagnostics import shown

        target = rel.target.strip()
        match = _SCHEME.match(target)
        scheme = match.group(1).lower() if match else ""
        if scheme not in _LINK_SCHEMES or any(c.isspace() or ord(c) < 0x20 for c in target):
            raise TemplateError(
                f"{self.name} links to `{shown(target)}` (from {part[1:]}); a template may link only with "
                "https, http or mailto, as a deck may; remove the link from the template"
            )

    def _where(self, name: str) -> str:
        return f"{self.name}: {name[1:]}"


def _is_xml(name: str, content_type: str) -> bool:
    return content_type.endswith("xml") or name.lower().endswith((".xml", ".rels"))


def _zip_reason(error: Exception) -> str:
    text = str(error).strip()
    if isinstance(error, zipfile.BadZipFile) and "CRC" in text:
        return "a part fails its checksum"
    if isinstance(error, zlib.error):
        return "a part's compressed data is damaged"
    return text or type(error).__name__


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


def _content_types(root: etree._Element) -> tuple[dict[str, str], dict[str, str]]:
    defaults = {e.get("Extension", "").lower(): e.get("ContentType", "") for e in root.iter(f"{_CT}Default")}
    overrides = {e.get("PartName", "").lower(): e.get("ContentType", "") for e in root.iter(f"{_CT}Override")}
    return defaults, overrides


def _read_rels(root: etree._Element, folder: str) -> list[Rel]:
    rels = []
    for element in root.iter(f"{_RELS}Relationship"):
        target = element.get("Target", "")
        external = element.get("TargetMode") == "External"
        if not external:
            target = posixpath.normpath(
                target if target.startswith("/") else posixpath.join(folder or "/", target)
            )
        rels.append(Rel(element.get("Id", ""), element.get("Type", ""), target, external))
    return rels
