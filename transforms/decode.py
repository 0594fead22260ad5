"""Bytes to text: decide the encoding, or say in a sentence why the bytes are not a text."""
from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass

# Bytes that never occur in a text file; a handful is tolerated (stray form feeds, NULs).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_CONTROL_TABLE = bytes.maketrans(b"", b"")
_HIGH = bytes(range(128, 256))
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

# Non-Latin single-byte code pages still found in archives, in charset-normalizer's names.
NON_LATIN_CODECS = ("cp1251", "koi8_r", "iso8859_5", "cp1256", "iso8859_6", "cp1255", "iso8859_8",
                    "cp1253", "iso8859_7")
_SCRIPTS = ("CYRILLIC", "ARABIC", "HEBREW", "GREEK")
SAMPLE_BYTES = 65536


@dataclass(frozen=True)
class Decoded:
    text: str | None
    encoding: str | None
    reason: str | None  # set when the bytes cannot become a document


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _control_ratio(data: bytes) -> float:
    sample = data[:SAMPLE_BYTES]
    if not sample:
        return 0.0
    stripped = sample.translate(_CONTROL_TABLE, _CONTROL)
    return (len(sample) - len(stripped)) / len(sample)


def is_binary(sample: bytes) -> bool:
    """More than 1% control bytes (NUL and friends): no text encoding produces that."""
    return _control_ratio(sample) > 0.01


BINARY_REASON = ("The file is binary, not text: it holds control bytes (such as NUL) that no text "
                 "encoding uses.")


def decode_bytes(data: bytes) -> Decoded:
    """UTF-8 (with or without BOM), UTF-16/32 with a BOM, a non-Latin code page, then cp1252, then Latin-1.

    The single-byte fallbacks always succeed, so binary data is recognised first by its
    control bytes; the chosen codec is returned so the warehouse records it.
    """
    if not data:
        return Decoded(None, None, "The file is empty (0 bytes).")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                return Decoded(None, None, f"The file starts with a {codec} byte-order mark but is "
                                           f"not valid {codec} ({exc.reason} at byte {exc.start}).")
            return _finish(text, codec)
    if is_binary(data):
        return Decoded(None, None, BINARY_REASON)
    try:
        return _finish(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    codec = non_latin_codec(data)
    if codec:
        return _finish(data.decode(codec), codec)
    try:
        return _finish(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        return _finish(data.decode("latin-1"), "latin-1")


def sniff_codec(sample: bytes) -> str:
    """The codec decode_bytes would choose for a file that starts with `sample` (its first bytes).

    For batch files read record by record: a UTF-8 sequence cut at the end of the sample still
    counts as UTF-8.
    """
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return codec
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(sample) - 3:
            return "utf-8"
    codec = non_latin_codec(sample, whole=False)
    if codec:
        return codec
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def non_latin_codec(data: bytes, whole: bool = True) -> str | None:
    """A Cyrillic, Arabic, Hebrew or Greek code page when the bytes are plainly one, else None.

    cp1252 decodes any bytes, so this runs before it, guarded so that Western text keeps
    today's result: a large share of the letters must be high bytes, the candidate codec must
    turn most of them into letters of one non-Latin script, and words must not mix that script
    with Latin letters (German "Müller" read as cp1251 gives "Mьller"). charset-normalizer only
    ranks the candidates; it is not consulted for UTF-8 or for mostly-ASCII text.
    """
    sample = data[:SAMPLE_BYTES]
    high = len(sample) - len(sample.translate(None, _HIGH))
    if high < 4:
        return None
    letters = len(sample) - len(sample.translate(None, _ASCII_LETTERS))
    if high < 0.3 * (high + letters):
        return None
    import charset_normalizer  # imported here: only non-UTF-8 files with many high bytes pay for it

    results = list(charset_normalizer.from_bytes(sample, cp_isolation=list(NON_LATIN_CODECS)))
    # Among the least chaotic candidates, the one that turns the most high bytes into letters wins
    # (cp1253 and ISO-8859-7 differ only in a few letters such as "Ά"); ties keep charset-normalizer's order.
    best: tuple[float, str] | None = None
    for match in results:
        if match.chaos > results[0].chaos:
            break
        codec = codecs.lookup(match.encoding).name
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _script_letter_share(text[:16384])
        if score is None or (best and score <= best[0]):
            continue
        if whole and len(data) > len(sample):
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                continue
        best = (score, codec)
    return best[1] if best else None


_WORD = re.compile(r"[^\W\d_]+")


def _script_letter_share(text: str) -> float | None:
    """Share of the non-ASCII characters that are letters of one non-Latin script, or None when
    the text is not plainly in such a script (under 80%, or words mixing it with Latin letters)."""
    counts = dict.fromkeys(_SCRIPTS, 0)
    high = 0
    for ch in text:
        if ord(ch) >= 128:
            high += 1
            if ch.isalpha():
                name = unicodedata.name(ch, "")
                for s in _SCRIPTS:
                    if name.startswith(s):
                        counts[s] += 1
                        break
    n = max(counts.values())
    if not high or n < 0.8 * high:
        return None
    mixed = script_words = 0
    for w in _WORD.findall(text):
        if any(ord(c) >= 128 for c in w):
            script_words += 1
            mixed += any("a" <= c <= "z" or "A" <= c <= "Z" for c in w)
    return n / high if mixed <= 0.1 * script_words else None


def _finish(text: str, codec: str) -> Decoded:
    if not text.strip():
        return Decoded(None, codec, "The file holds only white space.")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:65536]) // 100):
        return Decoded(None, codec, f"The file decodes as {codec} but is mostly control "
                                    "characters, so it is binary, not text.")
    return Decoded(text, codec, None)


# ------------------------------------------------------------------ mojibake inside valid UTF-8
# UTF-8 read as cp1252/Latin-1 and saved again: a lead byte (Â..ô) followed by a continuation
# byte as cp1252 shows it ("â€™", "Ã©", "Ð¼"). Cheap test; ftfy decides whether it really is one.
_MOJIBAKE_MARKER = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122]")
_FTFY_CONFIG = None


def repair_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-cp1252 damage ("â€™" -> "’", "Ã©" -> "é") and nothing else.

    Quotes stay curly, no Unicode normalisation, HTML entities, ligatures, widths or line breaks
    are touched: only the encoding fix runs, and only when a marker is present.
    """
    if not _MOJIBAKE_MARKER.search(text):
        return text
    global _FTFY_CONFIG
    import ftfy  # imported here: most texts have no marker and never pay the import

    if _FTFY_CONFIG is None:
        _FTFY_CONFIG = ftfy.TextFixerConfig(
            unescape_html=False, remove_terminal_escapes=False, fix_encoding=True, restore_byte_a0=True,
            replace_lossy_sequences=True, decode_inconsistent_utf8=True, fix_c1_controls=False,
            fix_latin_ligatures=False, fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
            fix_surrogates=False, remove_control_chars=False, normalization=None, explain=False)
    return ftfy.fix_text(text, _FTFY_CONFIG)
