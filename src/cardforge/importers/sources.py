"""Opening import sources safely: size limits checked before reading, encodings named.

A source is measured with ``stat`` before a byte is read and then read with a cap, so a
huge file, a device or a file that grows while being read is refused rather than loaded.
Text must be UTF-8 (a byte-order mark is fine); a file in another encoding is refused with
the encoding it appears to be in, because guessing would silently turn ``é`` into ``Ã©``.
"""

from __future__ import annotations

import codecs
import stat
from pathlib import Path

from ..diagnostics import Position, Report

MAX_TEXT_BYTES = 2 * 1024 * 1024
"""Markdown and CSV: the size of the largest deck cardforge reads, far above any persona table."""
MAX_LINE = 64 * 1024
"""Characters on one line: a table row or card line is far shorter. The cap also bounds the
Markdown parser's work on one line, which grows fast with pathological brackets."""
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""A workbook's parts unpacked, checked from the zip directory before anything is inflated."""

_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32 (little-endian)"),
    (codecs.BOM_UTF32_BE, "UTF-32 (big-endian)"),
    (codecs.BOM_UTF16_LE, "UTF-16 (little-endian)"),
    (codecs.BOM_UTF16_BE, "UTF-16 (big-endian)"),
)


def read_capped(path: Path, limit: int, report: Report) -> bytes | None:
    """The bytes of *path* if it is a regular file of at most *limit* bytes; else a reported reason."""
    file = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        report.error(file, Position(1, 1), "no such file", "CF501")
        return None
    except OSError as error:
        report.error(file, Position(1, 1), f"cannot read the file: {error.strerror or error}", "CF501")
        return None
    if stat.S_ISDIR(info.st_mode):
        report.error(file, Position(1, 1), "this is a folder; name the files to import", "CF501")
        return None
    if not stat.S_ISREG(info.st_mode):
        report.error(file, Position(1, 1), "this is not a regular file; name a file to import", "CF501")
        return None
    if info.st_size > limit:
        report.error(file, Position(1, 1), _too_large(info.st_size, limit), "CF501")
        return None
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        report.error(file, Position(1, 1), f"cannot read the file: {error.strerror or error}", "CF501")
        return None
    if len(data) > limit:  # it grew after stat
        report.error(file, Position(1, 1), _too_large(len(data), limit), "CF501")
        return None
    if not data.strip():
        report.error(file, Position(1, 1), "the file is empty; nothing to import", "CF501")
        return None
    return data


def _too_large(size: int, limit: int) -> str:
    return (
        f"the file is {size:,} bytes; an import source may be at most {limit:,} bytes; "
        "split it into several files"
    )


def decode_text(data: bytes, file: str, report: Report, saved_as: str) -> str | None:
    """*data* as UTF-8 text, or ``None`` with the encoding it seems to be in.

    *saved_as* tells how to save the file as UTF-8 ("CSV UTF-8 (Comma delimited)").
    """
    for bom, name in _UNICODE_BOMS:
        if data.startswith(bom):
            report.error(
                file, Position(1, 1), _not_utf8(f"{name}, by its byte-order mark", saved_as), "CF503"
            )
            return None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data[:4096]:
        guess = "UTF-16 without a byte-order mark" if _looks_utf16(data) else "a binary file, not text"
        report.error(file, _byte_position(data, data.index(b"\x00")), _not_utf8(guess, saved_as), "CF503")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        report.error(
            file, _byte_position(data, error.start), _not_utf8(_eight_bit_guess(data), saved_as), "CF503"
        )
        return None


def check_lines(text: str, file: str, report: Report) -> bool:
    """Refuse text with a line longer than :data:`MAX_LINE`, pointing at the first one."""
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE:
            report.error(
                file,
                Position(number, MAX_LINE + 1),
                f"line {number} is {len(line):,} characters long; at most {MAX_LINE:,} are read on one "
                "line; break it up",
                "CF501",
            )
            return False
    return True


def _not_utf8(found: str, saved_as: str) -> str:
    return f"the file is not UTF-8 text: it looks like {found}; save it as {saved_as} and import it again"


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    return sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4


def _eight_bit_guess(data: bytes) -> str:
    """Windows-1252 (what Excel writes as "CSV" on Western Windows) when it decodes, else Latin-1."""
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "ISO-8859-1 (Latin-1) or another 8-bit encoding"
    return "Windows-1252 (Western European, Excel's \u201cCSV (Comma delimited)\u201d)"


def _byte_position(data: bytes, offset: int) -> Position:
    """Line and column (in characters, counting the undecodable byte as one) of byte *offset*."""
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return Position(before.count(b"\n") + 1, column)
