"""Plain-text forms every part of the app shares: accents folded away, and slugs.

- :func:`strip_accents` is the one accent folder: Unicode NFKD, then the
  combining marks dropped ("Ürümqi" -> "Urumqi", "İli" -> "Ili"). Search
  (``exchanges.filters.fold_text``), place names (``gazetteer.normalize_name``),
  the ingester's character folding (``ingest.text.fold_char``) and slugs all
  build on it, each adding only its own rule (case, punctuation, a leading
  "the").
- :func:`slugify` is the one slug maker: lower-case ASCII letters, digits and
  hyphens ("Alma-Ata, 1962" -> "alma-ata-1962"); ids of drafted documents,
  proposed places, event sets and export file names.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slugify", "strip_accents"]


def strip_accents(text: str) -> str:
    """``text`` in compatibility form (NFKD) without its combining marks: "Émigrés" -> "Emigres".

    Letters of every script stay (Cyrillic, Arabic, Chinese); only marks go.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(text: str, max_length: int | None = None, *, keep: str = "") -> str:
    """A lower-case slug of ``text``: ASCII letters and digits, runs of anything else as one hyphen.

    Accents are dropped ("Lüshun" -> "lushun"); other characters (’, 中)
    separate words. ``keep`` lists more characters kept as they are (``"._"``
    for file-like names). Cut to ``max_length`` without a trailing separator.
    Empty when nothing of ``text`` is left (the caller chooses its fallback).
    """
    allowed = re.escape(keep)
    separators = f"-{allowed}"
    slug = re.sub(f"[^a-z0-9{allowed}]+", "-", strip_accents(text).lower()).strip(separators)
    if max_length is not None:
        slug = slug[:max_length].rstrip(separators)
    return slug
