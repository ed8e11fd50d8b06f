"""Checks on images that users hand to cardforge (logos): format, size, decompression bombs."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Position, Report

MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_BYTES = 20 * 1024 * 1024


def check_image(path: Path, file: str, position: Position, report: Report) -> bool:
    """True if *path* is a PNG or JPEG of sane size; otherwise report why not."""
    if path.stat().st_size > MAX_IMAGE_BYTES:
        report.error(file, position, f"`{path.name}` is larger than {MAX_IMAGE_BYTES // 2**20} MiB")
        return False
    with path.open("rb") as handle:
        magic = handle.read(8)
    if not (magic.startswith(b"\x89PNG\r\n\x1a\n") or magic.startswith(b"\xff\xd8\xff")):
        report.error(file, position, f"`{path.name}` is not a PNG or JPEG image")
        return False
    from PIL import Image

    try:
        with Image.open(path) as image:
            width, height = image.size
    except Exception:  # Pillow raises many kinds for damaged files
        report.error(file, position, f"`{path.name}` is damaged and cannot be read as an image")
        return False
    if width * height > MAX_IMAGE_PIXELS:
        report.error(
            file,
            position,
            f"`{path.name}` is {width}x{height} pixels; at most {MAX_IMAGE_PIXELS:,} pixels are allowed",
        )
        return False
    return True
