"""The app's icon, a compass rose, drawn in code: a platform's app package (Teams) or avatar
needs no image tool and no binary in git."""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable

ACCENT = (0x1F, 0x4E, 0x79)


def png(
    width: int, height: int, pixel: Callable[[float, float], tuple[int, int, int, int]]
) -> bytes:
    """An RGBA PNG from a function of the pixel's centre in [0, 1]²."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows.extend(pixel((x + 0.5) / width, (y + 0.5) / height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + b"".join(
        _chunk(kind, data)
        for kind, data in (
            (b"IHDR", header),
            (b"IDAT", zlib.compress(bytes(rows), 9)),
            (b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _rose(x: float, y: float) -> bool:
    """A four-pointed compass star centred in the square."""
    dx, dy = abs(x - 0.5), abs(y - 0.5)
    long_arm, short_arm = 0.42, 0.11
    return dx / short_arm + dy / long_arm <= 1 or dx / long_arm + dy / short_arm <= 1


def color_icon() -> bytes:
    """192×192, full colour: a white compass star on the accent colour."""

    def pixel(x: float, y: float) -> tuple[int, int, int, int]:
        if _rose(x, y):
            return (255, 255, 255, 255)
        if math.hypot(x - 0.5, y - 0.5) < 0.08:
            return (255, 255, 255, 255)
        return (*ACCENT, 255)

    return png(192, 192, pixel)


def outline_icon() -> bytes:
    """32×32, white on transparent, as Teams requires for the outline icon."""

    def pixel(x: float, y: float) -> tuple[int, int, int, int]:
        return (255, 255, 255, 255) if _rose(x, y) else (0, 0, 0, 0)

    return png(32, 32, pixel)
