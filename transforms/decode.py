"""Bytes to text: decide the encoding, or say in a sentence why the bytes are not a text."""
from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass

# Bytes that never occur in a text file; a handful is tolerated (stray form feeds, NULs).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_CONTROL_TABLE = bytes.maketrans(b"", b"")


@dataclass(frozen=True)
class Decoded:
    text: str | None
    encoding: str | None
    reason: str | None  # set when the bytes cannot become a document


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _control_ratio(data: bytes) -> float:
    sample = data[:65536]
    if not sample:
        return 0.0
    stripped = sample.translate(_CONTROL_TABLE, _CONTROL)
    return (len(sample) - len(stripped)) / len(sample)


def decode_bytes(data: bytes) -> Decoded:
    """UTF-8 (with or without BOM), UTF-16/32 with a BOM, then cp1252, then Latin-1.

    The single-byte fallbacks always succeed, so binary data is recognised first by its
    control bytes; the chosen codec is returned so the warehouse records it.
    """
    if not data:
        return Decoded(None, None, "The file is empty (0 bytes).")
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                return Decoded(None, None, f"The file starts with a {codec} byte-order mark but is "
                                           f"not valid {codec} ({exc.reason} at byte {exc.start}).")
            return _finish(text, codec)
    if _control_ratio(data) > 0.01:
        return Decoded(None, None, "The file is binary, not text: it holds control bytes "
                                   "(such as NUL) that no text encoding uses.")
    try:
        return _finish(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return _finish(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        return _finish(data.decode("latin-1"), "latin-1")


def _finish(text: str, codec: str) -> Decoded:
    if not text.strip():
        return Decoded(None, codec, "The file holds only white space.")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:65536]) // 100):
        return Decoded(None, codec, f"The file decodes as {codec} but is mostly control "
                                    "characters, so it is binary, not text.")
    return Decoded(text, codec, None)
