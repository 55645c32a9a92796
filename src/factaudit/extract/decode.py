"""Bytes → text, defensively: a BOM, UTF-8 (with a few stray bytes replaced and counted), the
declared charset, Windows punctuation as cp1252, else charset-normalizer's guess; binary refused."""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import re
import unicodedata

from ..errors import BinaryInputError

__all__ = ["DecodedText", "charset_hint", "decode_bytes", "decode_text"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Share of control characters (other than whitespace) above which decoded text counts as binary.
_MAX_CONTROL_RATIO = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0c\x0b")
#: One well-formed UTF-8 multi-byte sequence (RFC 3629: no overlong forms, surrogates or code
#: points past U+10FFFF). Single-byte encodings almost never produce one by chance.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_ASCII_BYTES = bytes(range(0x80))
#: Bytes that not valid UTF-8 may make up, at most, of the non-ASCII bytes of input still read as
#: UTF-8 (with U+FFFD for them): one stray byte next to one "é" is UTF-8, a cp1252 file full of
#: smart quotes with one accidental UTF-8-looking pair is not.
_MAX_INVALID_UTF8_SHARE = 1 / 3
#: Curly quotes, dashes, ellipsis, bullet, €, ™, NBSP, ©, ®, °, « and »: bytes every Windows code
#: page of the Latin scripts (1250, 1252, 1253, 1254, 1257) reads alike. Input whose only non-ASCII
#: bytes are these is Windows typography; charset-normalizer guesses DOS and Mac code pages for
#: many such short English articles (cp775, cp852, mac_iceland: "’" read as "Æ" or "í").
_WINDOWS_PUNCTUATION = bytes(
    [0x80, 0x82, 0x84, 0x85, 0x86, 0x87, 0x89, 0x8B, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x99,
     0x9B, 0xA0, 0xA9, 0xAB, 0xAE, 0xB0, 0xBB]
)


@dataclasses.dataclass(frozen=True)
class DecodedText:
    """Decoded input: the text, the encoding read, and how many bytes were not valid in it."""

    text: str
    encoding: str
    #: Bytes that were not valid ``encoding`` and became U+FFFD (only for mostly-UTF-8 input).
    replaced_bytes: int = 0

    def note(self) -> str | None:
        """The line for ``Article.skipped`` when bytes were replaced."""
        if not self.replaced_bytes:
            return None
        n = self.replaced_bytes
        return (
            f"{n:,} byte{'s' if n != 1 else ''} not valid {self.encoding.upper()} replaced with U+FFFD "
            f"(\ufffd); the rest of the input was read as {self.encoding.upper()}"
        )


def _mostly_utf8(data: bytes) -> int | None:
    """The number of invalid bytes when ``data`` (not strictly UTF-8) is still UTF-8 text with a few
    stray bytes: at least one well-formed multi-byte sequence, and invalid bytes at most
    ``_MAX_INVALID_UTF8_SHARE`` of the non-ASCII bytes. None otherwise."""
    if _UTF8_MULTIBYTE.search(data) is None:
        return None
    non_ascii = len(data.translate(None, _ASCII_BYTES))
    invalid = non_ascii - (len(data) - len(_UTF8_MULTIBYTE.sub(b"", data)))
    return invalid if 0 < invalid <= _MAX_INVALID_UTF8_SHARE * non_ascii else None


def decode_text(data: bytes, *, declared: str | None = None) -> DecodedText:
    """Decode input bytes to text, in this order:

    a BOM; strict UTF-8; mostly UTF-8 (a few stray bytes replaced with U+FFFD and counted, see
    :func:`_mostly_utf8`); the declared charset; cp1252 when the only non-ASCII bytes are Windows
    punctuation; else charset-normalizer's guess (named cp1252 when cp1252 reads the same).

    Raises :class:`BinaryInputError` for bytes that are not text.
    """
    text: str | None = None
    encoding = ""
    replaced = 0
    for bom, enc in _BOMS:
        if data.startswith(bom):
            with contextlib.suppress(UnicodeDecodeError):
                text, encoding = data.decode(enc), enc.replace("-sig", "")
            break
    if text is None:
        if b"\x00" in data[:65536]:
            raise BinaryInputError("input looks binary (it contains NUL bytes), not text")
        with contextlib.suppress(UnicodeDecodeError):
            text, encoding = data.decode("utf-8"), "utf-8"
    if text is None:
        invalid = _mostly_utf8(data)
        if invalid is not None:
            text, encoding, replaced = data.decode("utf-8", "replace"), "utf-8", invalid
    if text is None and declared:
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            text, encoding = data.decode(declared), codecs.lookup(declared).name
    if text is None and not data.translate(None, _ASCII_BYTES + _WINDOWS_PUNCTUATION):
        text, encoding = data.decode("cp1252"), "cp1252"
    if text is None:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise BinaryInputError("input looks binary (no text encoding fits), not text")
        text, encoding = str(best), best.encoding
        if encoding != "cp1252" and "cp1252" in best.could_be_from_charset:
            encoding = "cp1252"  # the same text: name the encoding such files are written in
    sample = text[:100_000]
    # U+FFFD put in for stray bytes is not a sign of binary input: _mostly_utf8 bounded them.
    controls = sum(
        1
        for c in sample
        if (c == "\ufffd" and not replaced)
        or (unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS)
    )
    if sample and controls / len(sample) > _MAX_CONTROL_RATIO:
        share = 100 * controls / len(sample)
        raise BinaryInputError(f"input looks binary ({share:.0f}% control characters), not text")
    return DecodedText(text, encoding, replaced)


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of input bytes; see :func:`decode_text` (which also counts replaced bytes).

    Raises :class:`BinaryInputError` for bytes that are not text.
    """
    decoded = decode_text(data, declared=declared)
    return decoded.text, decoded.encoding


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def charset_hint(data: bytes, content_type: str | None) -> str | None:
    """The charset a ``Content-Type`` header declares, else an HTML ``<meta charset>`` in the first 4 KB."""
    if content_type:
        declared = re.search(r"charset=\s*\"?([\w.:-]+)", content_type, re.I)
        if declared:
            return declared.group(1)
    meta = _META_CHARSET.search(data[:4096])
    return meta.group(1).decode("ascii") if meta else None
