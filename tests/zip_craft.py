"""Writing zip files the way an attacker would: entries in any order, duplicate names, sizes
and CRCs as given, and bombs crafted rather than compressed — an entry that inflates to GiBs is
one deflate block of a MiB of zeros repeated (identical after a full flush), its CRC computed by
combining (zlib's ``crc32_combine``), so that writing it costs milliseconds."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

MIB = 1 << 20


@dataclass
class Entry:
    name: str
    data: bytes = b""
    raw: bytes | None = None  # an already deflated stream (then ``crc`` and ``size`` are declared)
    crc: int = 0
    size: int = 0
    flags: int = 0x800  # UTF-8 names; bit 0: encrypted


def write_zip(path: Path, entries: list[Entry]) -> Path:
    """Entries in order, duplicates allowed, sizes and CRCs as given (no warnings, no checks)."""
    out, central = bytearray(), bytearray()
    for e in entries:
        if e.raw is None:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            raw, crc, size = c.compress(e.data) + c.flush(), zlib.crc32(e.data), len(e.data)
        else:
            raw, crc, size = e.raw, e.crc, e.size
        name, offset = e.name.encode(), len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, e.flags, 8, 0, 0x21, crc, len(raw), size, len(name), 0)
        out += name + raw
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, e.flags, 8, 0, 0x21, crc, len(raw), size,
                               len(name), 0, 0, 0, 0, 0, offset) + name
    n = len(entries)
    path.write_bytes(bytes(out + central) + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(central), len(out), 0))
    return path


def _gf2_times(mat: list[int], vec: int) -> int:
    total, i = 0, 0
    while vec:
        if vec & 1:
            total ^= mat[i]
        vec >>= 1
        i += 1
    return total


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """zlib's crc32_combine: the CRC of A+B from the CRCs of A and B and B's length."""
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = [_gf2_times(odd, odd[n]) for n in range(32)]
    odd = [_gf2_times(even, even[n]) for n in range(32)]
    while len2:
        even = [_gf2_times(odd, odd[n]) for n in range(32)]
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = [_gf2_times(even, even[n]) for n in range(32)]
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
    return crc1 ^ crc2


def zeros_entry(name: str, mib: int) -> Entry:
    """An entry of ``mib`` MiB of zeros, honestly declared, about 1 KiB per MiB on disk."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(bytes(MIB)) + c.flush(zlib.Z_FULL_FLUSH)  # the same bytes for every MiB
    return Entry(name, raw=block * mib + c.flush(), crc=zeros_crc(mib), size=mib * MIB)


def zeros_crc(mib: int) -> int:
    """The CRC-32 of ``mib`` MiB of zeros, by doubling (zeros commute, so order does not matter)."""
    unit, length, crc, first = zlib.crc32(bytes(MIB)), MIB, 0, True
    while mib:
        if mib & 1:
            crc, first = (unit if first else crc32_combine(crc, unit, length)), False
        unit = crc32_combine(unit, unit, length)
        length *= 2
        mib >>= 1
    return crc
