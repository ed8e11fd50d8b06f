"""Where cardforge finds its built-in themes, assets and data, and which paths input may name."""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

# Built-in data ships inside the package (wheel and checkout alike). cardforge opens these
# files by path (fonts are measured, templates unzipped), so the package must be installed
# as files, not imported from a zip archive.
DATA_DIR = Path(str(files("cardforge").joinpath("data")))
THEMES_DIR = DATA_DIR / "themes"
ASSETS_DIR = DATA_DIR / "assets"


def themes_dirs() -> list[Path]:
    """Folders of built-in themes."""
    return [THEMES_DIR]


def assets_dirs() -> list[Path]:
    """Folders of built-in assets (logos, images) that themes may refer to."""
    return [ASSETS_DIR]


def inside(path: Path, roots: Iterable[Path]) -> bool:
    """True when *path* (resolved, links followed) lies within one of *roots*."""
    resolved = path.resolve()
    for root in roots:
        try:
            resolved.relative_to(root.resolve())
            return True
        except ValueError:
            continue
    return False


def resolve_user_path(text: str, base_dir: Path, extra_roots: Iterable[Path] = ()) -> tuple[Path | None, str]:
    """Resolve *text* relative to *base_dir*; refuse paths that leave it (or *extra_roots*).

    Returns the path and an empty string, or ``None`` and the reason it was refused.
    """
    if "\x00" in text:
        return None, "a path may not contain NUL characters"
    candidate = Path(text)
    if candidate.is_absolute():
        return None, f"`{text}` is an absolute path; give it relative to {base_dir.name or 'this folder'}"
    full = base_dir / candidate
    if not inside(full, [base_dir, *extra_roots]):
        return None, f"`{text}` leaves the folder of the file that names it; keep assets beside it"
    return full, ""
