"""Assemble the .pptx package and write it atomically, byte for byte reproducible."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..layout.shapes import Presentation
from .base import BasePackage
from .package import write_zip
from .slides import SlideParts

DEFAULT_EPOCH = 946684800  # 2000-01-01T00:00:00Z: fixed, so the same deck gives the same bytes


def build_epoch() -> int:
    """``SOURCE_DATE_EPOCH`` when set (reproducible-builds convention), else a fixed date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else DEFAULT_EPOCH


def write_presentation(
    presentation: Presentation,
    output: Path,
    fonts: dict[str, str],
    template: Path | None = None,
    layout_name: str | None = None,
) -> None:
    """Write *presentation* to *output*; an existing file is replaced only on success."""
    with atomic_output(output) as target:
        write_package(presentation, target, fonts, template, layout_name)


def write_package(
    presentation: Presentation,
    target: BinaryIO,
    fonts: dict[str, str],
    template: Path | None = None,
    layout_name: str | None = None,
) -> None:
    """Write the package of *presentation*, on the template's masters and layouts
    (python-pptx's blank template when there is none), to the open file *target*."""
    base = BasePackage(template)
    base.drop_slides()
    base.resize(presentation.width, presentation.height)
    if presentation.brand is not None:
        from .brand import apply_brand

        apply_brand(base.themes(), presentation.brand)
    layout = base.layout_named(layout_name or "Title Only")
    notes_master = base.notes_master().name if any(slide.notes for slide in presentation.slides) else ""
    slides = SlideParts(
        presentation.slides,
        layout=layout.name,
        language=presentation.language,
        fonts=fonts,
        notes_master=notes_master,
        taken=set(base.package.parts),
    )
    base.list_slides(slides.slide_names)
    epoch = build_epoch()
    base.set_properties(presentation, len(slides.notes_names), epoch)
    write_zip(target, base.finish(), slides, epoch)


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
