"""Checks on images that users hand to cardforge (logos): format, size, decompression bombs.

An image is checked as the bytes that were read from it (see
:func:`cardforge.paths.read_user_file`), and those same bytes go into the deck.
"""

from __future__ import annotations

import io

from .. import limits
from ..diagnostics import Position, Report

MAX_IMAGE_PIXELS = limits.IMAGE_PIXELS
MAX_IMAGE_BYTES = limits.IMAGE_BYTES


def image_type(head: bytes) -> tuple[str, str] | None:
    """Extension and content type of a PNG or JPEG image from its first bytes, else None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg", "image/jpeg"
    return None


def check_image(
    data: bytes, name: str, file: str, position: Position, report: Report
) -> tuple[int, int] | None:
    """The pixel size of the image *data* (from the file *name*) if it is a PNG or JPEG of
    sane size; otherwise report why not, at *position* in *file*."""
    if len(data) > MAX_IMAGE_BYTES:
        report.error(file, position, f"`{name}` is larger than {MAX_IMAGE_BYTES // 2**20} MiB", "CF410")
        return None
    if image_type(data[:8]) is None:
        report.error(file, position, f"`{name}` is not a PNG or JPEG image", "CF408")
        return None
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                image.verify()  # the whole structure, not just the header: a cut-off file fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        report.error(
            file,
            position,
            f"`{name}` declares too many pixels to be a logo (a decompression bomb?)",
            "CF408",
        )
        return None
    except Exception:  # Pillow raises many kinds for damaged files
        report.error(file, position, f"`{name}` is damaged and cannot be read as an image", "CF408")
        return None
    if width * height > MAX_IMAGE_PIXELS:
        report.error(
            file,
            position,
            f"`{name}` is {width}x{height} pixels; at most {MAX_IMAGE_PIXELS:,} pixels are allowed",
            "CF410",
        )
        return None
    if width < 1 or height < 1:
        report.error(file, position, f"`{name}` has no pixels", "CF408")
        return None
    return width, height
