"""Where cardforge finds its built-in themes, assets and data, which paths input may name,
and how files that users name are opened, read and written.

A file a user names may be anything: a folder, a named pipe that blocks whoever opens it
for reading, a device that never ends (``/dev/zero``), a sparse file of gigabytes, or a
symbolic link that someone swaps between the check and the use. So a file is opened once,
without blocking; the open file is checked (a regular file, small enough, inside the
folders it may come from); and only the bytes read from it are used.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

# Built-in data ships inside the package (wheel and checkout alike). cardforge opens these
# files by path (fonts are measured, templates unzipped), so the package must be installed
# as files, not imported from a zip archive.
DATA_DIR = Path(str(files("cardforge").joinpath("data")))
THEMES_DIR = DATA_DIR / "themes"
ASSETS_DIR = DATA_DIR / "assets"

_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


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


class FileProblem(Exception):
    """A file cannot be used; the message is ``"problem; what to do"``, *kind* says which
    (``missing``, ``folder``, ``special``, ``size``, ``outside`` or ``unreadable``) and
    *detail* what was found (``a named pipe``, ``3,221,225,472 bytes``), for messages of
    the caller's own."""

    def __init__(self, message: str, kind: str, detail: str = ""):
        super().__init__(message)
        self.kind = kind
        self.detail = detail


@dataclass(frozen=True)
class UserFile:
    """The bytes of a file a user named, read once from the open file that was checked."""

    path: Path
    """The path as named (relative paths stay relative, for messages)."""
    data: bytes = field(repr=False)


def read_user_file(
    path: Path, limit: int, *, roots: Iterable[Path] = (), shown: str | None = None
) -> UserFile:
    """Read *path* if it is a regular file of at most *limit* bytes (inside *roots*, if given).

    The file is opened without blocking (a named pipe with no writer does not hang the
    open) and without becoming the controlling terminal; type and size are checked on the
    open file, before reading; and when *roots* are given, the file that was opened must be
    the one the resolved path names inside them, so that a link swapped between the check
    and the read cannot bring in a file from elsewhere. Reads stop at *limit* + 1 bytes
    whatever the file claims (``/proc`` files claim to be empty). Raises :class:`FileProblem`.
    """
    name = shown or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise _open_problem(path, name, error) from None
    try:
        info = os.fstat(descriptor)
        check_regular(info, name, limit)
        roots = list(roots)
        if roots:
            _check_inside(path, info, roots, name)
        return UserFile(path, _read_at_most(descriptor, limit, name))
    finally:
        os.close(descriptor)


def check_regular(info: os.stat_result, name: str, limit: int) -> None:
    """Raise :class:`FileProblem` unless *info* is a regular file of at most *limit* bytes."""
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise FileProblem(f"`{name}` is a folder, not a file; name a file", "folder", "a folder")
    for test, kind in _NOT_REGULAR:
        if test(mode):
            raise FileProblem(f"`{name}` is {kind}, not a regular file; give a file", "special", kind)
    if not stat.S_ISREG(mode):
        raise FileProblem(
            f"`{name}` is not a regular file; give a file", "special", "neither file nor folder"
        )
    if info.st_size > limit:
        size = f"{info.st_size:,} bytes"
        raise FileProblem(f"`{name}` is {size}; at most {limit:,} bytes are allowed", "size", size)


def _check_inside(path: Path, info: os.stat_result, roots: list[Path], name: str) -> None:
    """The open file must be the file *path* resolves to now, and that must lie in *roots*."""
    resolved = path.resolve()
    if not inside(resolved, roots):
        raise FileProblem(
            f"`{name}` leaves the folder of the file that names it; keep assets beside it", "outside"
        )
    try:
        now = resolved.stat()
    except OSError:
        now = None
    if now is None or (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
        raise FileProblem(f"`{name}` changed while it was being read; try again", "outside")


def _read_at_most(descriptor: int, limit: int, name: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        try:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - total))
        except BlockingIOError:  # a regular file never blocks; something else stands here
            raise FileProblem(f"`{name}` is not a regular file; give a file", "special") from None
        except OSError as error:
            raise FileProblem(f"cannot read `{name}`: {error.strerror or error}", "unreadable") from None
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise FileProblem(
                f"`{name}` is larger than {limit:,} bytes, the most allowed",
                "size",
                f"more than {limit:,} bytes",
            )


def _open_problem(path: Path, name: str, error: OSError) -> FileProblem:
    if error.errno == errno.ENOENT:
        parent = path.parent
        if str(parent) not in ("", ".") and not parent.is_dir():
            return FileProblem(f"`{name}` does not exist (there is no folder {parent})", "missing")
        return FileProblem(f"`{name}` does not exist", "missing")
    if error.errno == errno.EISDIR or (error.errno == errno.EACCES and path.is_dir()):
        return FileProblem(f"`{name}` is a folder, not a file; name a file", "folder", "a folder")
    if error.errno in (errno.ENXIO, errno.EOPNOTSUPP):  # a socket, or a device with no driver
        return FileProblem(f"`{name}` is not a regular file; give a file", "special")
    return FileProblem(f"cannot open `{name}`: {error.strerror or error}", "unreadable")


def output_problem(path: Path) -> str:
    """Why *path* may not be written as an output (replaced by a new file), or ``""``.

    An output is a new file or replaces a regular file. A folder, a named pipe, a device, a
    socket or a symbolic link is never turned into a regular file (as root, ``-o /dev/null``
    would otherwise replace the device).
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        parent = path.parent
        if parent.exists() and not parent.is_dir():
            return f"`{parent}` is not a folder"
        return ""
    except OSError as error:
        return f"cannot use `{path}`: {error.strerror or error}"
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        target = os.readlink(path)
        return (
            f"`{path}` is a symbolic link (to {target}); cardforge replaces only regular files; "
            "name the file itself or remove the link"
        )
    if stat.S_ISDIR(mode):
        return f"`{path}` is a folder; name a file inside it"
    for test, kind in _NOT_REGULAR:
        if test(mode):
            return f"`{path}` is {kind}; cardforge writes only regular files; name a file"
    if not stat.S_ISREG(mode):
        return f"`{path}` is not a regular file; name a file"
    return ""
