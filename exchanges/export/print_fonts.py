"""Fonts and paragraph text for the PDF decks and worksheets (reportlab).

The PDF's built-in fonts cover Latin-1 only, and our texts have "→", "–",
"…", Cyrillic names. We embed DejaVu (Debian's ``fonts-dejavu-core``, which
``scripts/setup.sh`` installs with Chromium), else the Bitstream Vera fonts
that ship inside reportlab itself (DejaVu's parent: fewer glyphs, always there).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

DEJAVU_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/TTF"))
_REPORTLAB_FONTS = Path(reportlab.__file__).resolve().parent / "fonts"


@dataclass(frozen=True)
class PrintFonts:
    """Registered reportlab font names: sans, sans bold, serif (quotes), serif italic."""

    sans: str
    bold: str
    serif: str
    italic: str


def _find(name: str) -> Path | None:
    for folder in DEJAVU_DIRS:
        if (folder / name).is_file():
            return folder / name
    return None


@cache
def print_fonts() -> PrintFonts:
    """Register the fonts once per process and return their names."""
    wanted = {
        "Lesson-Sans": ("DejaVuSans.ttf", "Vera.ttf"),
        "Lesson-Bold": ("DejaVuSans-Bold.ttf", "VeraBd.ttf"),
        "Lesson-Serif": ("DejaVuSerif.ttf", "Vera.ttf"),
        "Lesson-Italic": ("DejaVuSerif-Italic.ttf", "VeraIt.ttf"),
    }
    for font_name, (dejavu, vera) in wanted.items():
        path = _find(dejavu) or _REPORTLAB_FONTS / vera
        pdfmetrics.registerFont(TTFont(font_name, str(path)))
    return PrintFonts("Lesson-Sans", "Lesson-Bold", "Lesson-Serif", "Lesson-Italic")


def paragraph_markup(text: str) -> str:
    """Plain (user) text as a reportlab ``Paragraph``'s markup, a small XML: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")
