"""Assemble the .pptx package and write it atomically, byte for byte reproducible."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..layout.shapes import Presentation
from ..paths import output_problem
from .base import BasePackage
from .package import write_zip
from .slides import SlideParts

DEFAULT_EPOCH = 946684800  # 2000-01-01T00:00:00Z: fixed, so the same deck gives the same bytes
EARLIEST_EPOCH = 315532800
"""1980-01-01T00:00:00Z: the earliest time a zip entry can hold."""
LATEST_EPOCH = 4354819198
"""2107-12-31T23:59:58Z: the latest time a zip entry can hold."""
STDOUT = Path("-")
"""The output name that means standard output."""


class OutputError(OSError):
    """An output that may not be written: a folder, device, pipe or link stands there."""


def build_epoch() -> int:
    """``SOURCE_DATE_EPOCH`` when set (reproducible-builds convention), else a fixed date;
    kept within the dates a zip file can hold (see :func:`epoch_problem`)."""
    return _epoch()[0]


def epoch_problem() -> str:
    """Why ``SOURCE_DATE_EPOCH`` is not used as given, or ``""``: for a warning."""
    return _epoch()[1]


def _epoch() -> tuple[int, str]:
    raw = os.environ.get("SOURCE_DATE_EPOCH", "")
    value = raw.strip()
    if not value:
        return DEFAULT_EPOCH, ""
    if not value.isdigit() or not value.isascii():
        return DEFAULT_EPOCH, (
            f"SOURCE_DATE_EPOCH=`{value[:30]}` is not a number of seconds; files are dated 2000-01-01"
        )
    number = int(value)
    if number > LATEST_EPOCH:
        return LATEST_EPOCH, (
            f"SOURCE_DATE_EPOCH={value[:30]} is after 2107-12-31, the last date a zip file can hold; "
            "files are dated 2107-12-31"
        )
    if number < EARLIEST_EPOCH:
        return EARLIEST_EPOCH, (
            f"SOURCE_DATE_EPOCH={value} is before 1980-01-01, the first date a zip file can hold; "
            "files are dated 1980-01-01"
        )
    return number, ""


def write_presentation(
    presentation: Presentation,
    output: Path,
    fonts: dict[str, str],
    template: Path | bytes | None = None,
    layout_name: str | None = None,
    template_name: str | None = None,
) -> None:
    """Write *presentation* to *output* (``-``: standard output); an existing file is
    replaced only on success."""
    with atomic_output(output) as target:
        write_package(presentation, target, fonts, template, layout_name, template_name)


def write_package(
    presentation: Presentation,
    target: BinaryIO,
    fonts: dict[str, str],
    template: Path | bytes | None = None,
    layout_name: str | None = None,
    template_name: str | None = None,
) -> None:
    """Write the package of *presentation*, on the template's masters and layouts
    (python-pptx's blank template when there is none), to the open file *target*."""
    base = BasePackage(template, template_name)
    base.drop_slides()
    base.resize(presentation.width, presentation.height)
    if presentation.brand is not None:
        from .brand import apply_brand

        apply_brand(base.themes(), presentation.brand)
    layout = base.layout_named(layout_name or "Title Only")
    notes_master = base.notes_master().name if any(slide.notes for slide in presentation.slides) else ""
    base.set_language(presentation.language)
    slides = SlideParts(
        presentation.slides,
        layout=layout.name,
        language=presentation.language,
        fonts=fonts,
        notes_master=notes_master,
        taken=set(base.package.parts),
        placeholders=base.placeholder_indexes(layout),
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
    removed when it fails (or is interrupted), so that *output* is either the old file or
    the whole new one.

    *output* must be a regular file or a new name (:func:`cardforge.paths.output_problem`):
    a link, folder, pipe or device is never replaced. The null device takes the output and
    discards it; ``-`` sends it to standard output once it is complete. A failure to write
    names *output*, not the temporary file.
    """
    output = Path(output)
    if output == STDOUT:
        yield from _to_stdout()
        return
    if _is_null_device(output):
        with open(os.devnull, "wb") as sink:
            yield sink
        return
    problem = output_problem(output)
    if problem:
        raise OutputError(problem)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    except OSError as error:
        raise _naming(error, output) from None
    try:
        with os.fdopen(handle, "wb") as temp:
            yield temp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp_name, 0o666 & ~umask)
        problem = output_problem(output)  # something may have taken the name meanwhile
        if problem:
            raise OutputError(problem)
        os.replace(temp_name, output)
    except BaseException as error:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        if isinstance(error, OSError) and not isinstance(error, OutputError):
            raise _naming(error, output) from error
        raise


def _naming(error: OSError, output: Path) -> OSError:
    """*error* about *output*, however it was met (writing the temporary file beside it)."""
    return OSError(error.errno, f"cannot write {output}: {error.strerror or error}")


def _is_null_device(path: Path) -> bool:
    try:
        return os.path.samefile(path, os.devnull)
    except OSError:
        return False


def _to_stdout() -> Iterator[BinaryIO]:
    """A spool that goes to standard output when complete: nothing half-made is sent."""
    with tempfile.TemporaryFile() as spool:
        yield spool
        spool.seek(0)
        stream = sys.stdout.buffer
        shutil.copyfileobj(spool, stream)
        stream.flush()
