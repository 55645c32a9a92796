"""Text extraction: bytes of unknown format → normalised text with links and metadata.

Used by the ingest stage (articles), the evidence readers (article files in an evidence folder, ZIM
entries) and the cited-pages stage (the pages an article cites), so all three read a document the
same way. What comes in is untrusted, so the format is sniffed from the bytes and decoding is
defensive.

* :mod:`.text` — :func:`normalize_text`, the canonical form every offset points into, and the
  builder that keeps link offsets true through it;
* :mod:`.decode` — bytes → str (BOM, UTF-8 with stray bytes, cp1252, charset-normalizer);
* :mod:`.html` — trafilatura, with reference lists kept, huge pages cut, deep markup flattened;
* :mod:`.pdf` — pypdf, lines re-flowed into paragraphs; :mod:`.markdown` — markdown-it-py;
* :mod:`.language` — py3langid, and whether the language is audited;
* :mod:`.document` — :func:`sniff_format`, :func:`extract_document` (``article=True``: as ingest
  reads an article).
"""

from __future__ import annotations

from .decode import DecodedText, decode_bytes, decode_text
from .document import ExtractedDocument, document_title, extract_document, sniff_format
from .language import LanguageChoice, choose_language, detect_language
from .text import TextBuilder, normalize_text

__all__ = [
    "DecodedText",
    "ExtractedDocument",
    "LanguageChoice",
    "TextBuilder",
    "choose_language",
    "decode_bytes",
    "decode_text",
    "detect_language",
    "document_title",
    "extract_document",
    "normalize_text",
    "sniff_format",
]
