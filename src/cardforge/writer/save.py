"""Assemble the .pptx package and write it atomically, byte for byte reproducible."""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator, Optional

from ..layout.shapes import Presentation
from .package import next_rid_number, pptx_rels, write_zip
from .slides import REL_SLIDE, Rel, SlideParts
from .xml import clean

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
    with atomic_output(output) as target:
        write_package(presentation, target, fonts, template, layout_name)


def render_bytes(
    presentation: Presentation, fonts: dict[str, str], template: Optional[Path] = None, layout_name: Optional[str] = None
) -> bytes:
    """The package of *presentation* as bytes."""
    buffer = io.BytesIO()
    write_package(presentation, buffer, fonts, template, layout_name)
    return buffer.getvalue()


def write_package(
    presentation: Presentation, target: BinaryIO, fonts: dict[str, str], template: Optional[Path] = None, layout_name: Optional[str] = None
) -> None:
    """Write the package of *presentation*, on the template's masters and layouts
    (python-pptx's default template when there is none), to the open file *target*."""
    import pptx

    prs = pptx.Presentation(str(template) if template else None)
    _drop_slides(prs)
    _resize(prs, presentation.width, presentation.height)
    if presentation.brand is not None:
        from .brand import apply_brand

        apply_brand(prs, presentation.brand)
    layout = _layout(prs, layout_name or "Title Only")
    notes_master = prs.part.notes_master_part.partname if any(s.notes for s in presentation.slides) else ""
    package = prs.part.package
    slides = SlideParts(
        presentation.slides,
        layout=str(layout.part.partname),
        language=presentation.language,
        fonts=fonts,
        notes_master=str(notes_master),
        taken={str(part.partname) for part in package.iter_parts()},
    )
    presentation_rels = _list_slides(prs, slides.slide_names)
    _set_properties(prs, presentation)
    write_zip(target, prs, slides, presentation_rels, build_epoch())


def _list_slides(prs, slide_names: list[str]) -> list[Rel]:
    """Add the slides to the presentation's slide list; returns the relationships that
    the presentation part needs for them."""
    number = next_rid_number(pptx_rels(prs.part._rels))
    slide_ids = prs.slides._sldIdLst
    next_id = max([int(slide_id.id) for slide_id in slide_ids], default=255) + 1
    rels = []
    for offset, name in enumerate(slide_names):
        rel = Rel(f"rId{number + offset}", REL_SLIDE, name)
        slide_ids._add_sldId(id=next_id + offset, rId=rel.rid)
        rels.append(rel)
    return rels


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


def atomic_write(output: Path, data: bytes) -> None:
    """Write *data* to a temporary file beside *output*, then rename it into place."""
    with atomic_output(output) as target:
        target.write(data)


@contextmanager
def atomic_output(output: Path) -> Iterator[BinaryIO]:
    """A temporary file beside *output*, renamed into place when the block succeeds and
    removed when it fails, so that *output* is either the old file or the whole new one."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            yield temp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp_name, 0o666 & ~umask)
        os.replace(temp_name, output)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise
