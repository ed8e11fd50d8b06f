"""A minimal, reproducible zip writer for packages.

Every member is deflated, stamped with one fixed time and plain permissions, and written
in the order it is added. Members may arrive already compressed (:class:`Member`), so
that slides can be compressed in another process and only copied here; the standard
library's ``zipfile`` has no way to take compressed data.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from typing import BinaryIO, NamedTuple

_ZIP_EPOCH = 315532800  # 1980-01-01: the earliest time a zip entry can hold
_LEVEL = 3
_VERSION = 20  # 2.0: deflate
_DEFLATED = 8
_PERMISSIONS = 0o644 << 16


class Member(NamedTuple):
    """One compressed member: its name, CRC-32 and size of the original data, and the
    raw deflate stream."""

    name: str
    crc: int
    size: int
    data: bytes


def compress(name: str, data: bytes) -> Member:
    deflate = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
    return Member(name, zlib.crc32(data), len(data), deflate.compress(data) + deflate.flush())


class Archive:
    """Writes members to the open binary file *target*; :meth:`close` adds the directory."""

    def __init__(self, target: BinaryIO, epoch: int):
        stamp = dt.datetime.fromtimestamp(max(epoch, _ZIP_EPOCH), tz=dt.timezone.utc)
        self._time = (stamp.hour << 11) | (stamp.minute << 5) | (stamp.second // 2)
        self._date = ((stamp.year - 1980) << 9) | (stamp.month << 5) | stamp.day
        self._target = target
        self._offset = 0
        self._directory: list[bytes] = []

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()

    def add(self, name: str, data: bytes) -> None:
        self.add_member(compress(name, data))

    def add_member(self, member: Member) -> None:
        name = member.name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800  # bit 11: the name is UTF-8
        common = struct.pack(
            "<HHHHHLLLH",
            _VERSION,
            flags,
            _DEFLATED,
            self._time,
            self._date,
            member.crc,
            len(member.data),
            member.size,
            len(name),
        )
        header = b"PK\x03\x04" + common + struct.pack("<H", 0) + name
        self._directory.append(
            b"PK\x01\x02"
            + struct.pack("<H", _VERSION)
            + common
            + struct.pack("<HHHHLL", 0, 0, 0, 0, _PERMISSIONS, self._offset)
            + name
        )
        self._target.write(header)
        self._target.write(member.data)
        self._offset += len(header) + len(member.data)

    def close(self) -> None:
        directory = b"".join(self._directory)
        count = len(self._directory)
        if count > 0xFFFF or self._offset > 0xFFFFFFFF:
            raise ValueError("the package is too large for a zip file without ZIP64 extensions")
        self._target.write(directory)
        self._target.write(
            b"PK\x05\x06" + struct.pack("<HHHHLLH", 0, 0, count, count, len(directory), self._offset, 0)
        )
