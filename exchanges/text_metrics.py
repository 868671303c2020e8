"""How wide a piece of text is drawn, from the font's own metrics.

The charts ask for "Source Sans Pro, Helvetica Neue, Arial, sans-serif". In
the app's browser and in the exporter's Chromium (Debian) that resolves to
Liberation Sans, which has Arial's metrics; Source Sans, where installed, is
narrower, so measuring with Liberation Sans never under-estimates. Where
Liberation Sans is missing, DejaVu Sans (wider still) is used, and as a last
resort Pillow's built-in font. Widths come from Pillow's
``ImageFont.FreeTypeFont.getlength`` (advance widths, kerning included).

The Present page's quotes are set in "Georgia, DejaVu Serif, serif": they are
measured with ``serif=True`` (Georgia is not on Debian; DejaVu Serif, then
Liberation Serif, is what Chromium draws there).

Every layout decision about text (a label's box, a tick's room, where a note
wraps) measures through this module, so there is one place to change if the
charts' font changes.
"""

from __future__ import annotations

import functools
import textwrap
from pathlib import Path

from PIL import ImageFont

#: Candidate font files, best match first: (regular, bold).
FONT_FILES: tuple[tuple[str, str], ...] = (
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
#: The same for the serif text of the Present page's cards (its quotes).
SERIF_FONT_FILES: tuple[tuple[str, str], ...] = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"),
)
#: Font sizes are measured at this many times their size and scaled back, so
#: that sub-pixel advances are not rounded away at small sizes.
_OVERSAMPLE = 4


@functools.cache
def _font(size: int, bold: bool, serif: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for regular, heavy in (SERIF_FONT_FILES + FONT_FILES if serif else FONT_FILES):
        path = heavy if bold else regular
        if Path(path).is_file():
            return ImageFont.truetype(path, size * _OVERSAMPLE)
    return ImageFont.load_default(size * _OVERSAMPLE)


@functools.lru_cache(maxsize=16_384)
def text_width(text: str, size: float, *, bold: bool = False, serif: bool = False) -> float:
    """Width (px) of one line of ``text`` at font ``size`` px (``<br>`` not understood: pass one line)."""
    font = _font(max(round(size), 1), bold, serif)
    return float(font.getlength(text)) / _OVERSAMPLE * (size / max(round(size), 1))


def lines_width(lines: list[str] | tuple[str, ...], size: float, *, bold: bool = False,
                serif: bool = False) -> float:
    """Width (px) of the widest of ``lines``."""
    return max((text_width(line, size, bold=bold, serif=serif) for line in lines), default=0.0)


def line_height(size: float) -> float:
    """Height (px) of one line of text at ``size`` (Plotly sets lines about 1.3 em apart)."""
    return size * 1.3


def wrap_to_width(text: str, size: float, width_px: float, *, max_lines: int | None = None,
                  bold: bool = False, serif: bool = False, placeholder: str = " …") -> list[str]:
    """``text`` wrapped at word boundaries into lines no wider than ``width_px``.

    The line length in characters comes from the text's own average character
    width; a line that still measures too wide (a run of wide letters) is
    wrapped again a little shorter.
    """
    text = " ".join(text.split())
    if not text:
        return []
    average = text_width(text, size, bold=bold, serif=serif) / len(text)
    chars = max(int(width_px / max(average, 0.1)), 8)
    while True:
        lines = textwrap.wrap(text, chars, max_lines=max_lines, placeholder=placeholder)
        if chars <= 8 or lines_width(lines, size, bold=bold, serif=serif) <= width_px:
            return lines
        chars -= max(chars // 12, 1)
