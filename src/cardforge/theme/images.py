"""Checks on images that users hand to cardforge (logos): format, size, decompression bombs."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Position, Report

MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_BYTES = 20 * 1024 * 1024


def image_type(head: bytes) -> tuple[str, str] | None:
    """Extension and content type of a PNG or JPEG image from its first bytes, else None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg", "image/jpeg"
    return None


def check_image(path: Path, file: str, position: Position, report: Report) -> tuple[int, int] | None:
    """The pixel size of *path* if it is a PNG or JPEG of sane size; otherwise report why not."""
    if path.stat().st_size > MAX_IMAGE_BYTES:
        report.error(file, position, f"`{path.name}` is larger than {MAX_IMAGE_BYTES // 2**20} MiB", "CF408")
        return None
    with path.open("rb") as handle:
        magic = handle.read(8)
    if image_type(magic) is None:
        report.error(file, position, f"`{path.name}` is not a PNG or JPEG image", "CF408")
        return None
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        report.error(
            file,
            position,
            f"`{path.name}` declares too many pixels to be a logo (a decompression bomb?)",
            "CF408",
        )
        return None
    except Exception:  # Pillow raises many kinds for damaged files
        report.error(file, position, f"`{path.name}` is damaged and cannot be read as an image", "CF408")
        return None
    if width * height > MAX_IMAGE_PIXELS:
        report.error(
            file,
            position,
            f"`{path.name}` is {width}x{height} pixels; at most {MAX_IMAGE_PIXELS:,} pixels are allowed",
            "CF408",
        )
        return None
    if width < 1 or height < 1:
        report.error(file, position, f"`{path.name}` has no pixels", "CF408")
        return None
    return width, height
