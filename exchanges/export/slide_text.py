"""How much text fits on a slide: the projector page, the deck and the worksheet share it.

A slide has a fixed shape (16:9) and its type is sized relative to it (on the
Present page 1 rem follows the window: 16 px at 1280x720, 24 px at 1920x1080),
so how many characters fit in a block is the same on every 16:9 screen. The
quote is what gives way: the title, the date and the teacher's caption are
laid out first and the quote gets the lines that are left, trimmed at a word
with "…" (the full text stays one click away on the page, and in the deck's
notes). Lines are counted by wrapping each block with the fonts' own metrics
(:mod:`exchanges.text_metrics`: the quote in the page's serif, the rest in
sans, both the widest of what Chromium may draw, so that what we trim really
fits).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from exchanges.text_metrics import wrap_to_width

ELLIPSIS = "…"
#: Pixels per rem at which blocks are measured (the Present page at 1280x720;
#: type and column scale together, so lines break the same at every 16:9 size).
REM_PX = 16.0


def trim_text(text: str, max_chars: int) -> tuple[str, bool]:
    """``text`` cut at a word to at most ``max_chars`` characters, ending with "…".

    Returns the text and whether it was cut. Spaces are normalised; an
    unbroken word longer than the budget is cut inside it.
    """
    flat = " ".join(text.split())
    if len(flat) <= max_chars:
        return flat, False
    room = max(max_chars - 1, 1)
    cut = flat[:room]
    space = cut.rfind(" ")
    if space > room // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:—–-") + ELLIPSIS, True


def _wrapped(text: str, width: float, size: float, bold: bool, serif: bool) -> list[str]:
    return wrap_to_width(text, size * REM_PX, width * REM_PX, bold=bold, serif=serif)


def line_count(text: str, width: float, size: float, *, bold: bool = False, serif: bool = False) -> int:
    """How many lines ``text`` takes in a block ``width`` rem wide at font ``size`` rem."""
    count = sum(len(_wrapped(paragraph, width, size, bold, serif)) for paragraph in text.split("\n"))
    return max(count, 1)


def trim_to_lines(text: str, width: float, size: float, lines: int, *, serif: bool = False) -> tuple[str, bool]:
    """``text`` as it fits in ``lines`` lines of a block ``width`` rem wide at ``size`` rem: cut at a
    word and ending with "…" when it does not fit whole; and whether it was cut."""
    flat = " ".join(text.split())
    wrapped = _wrapped(flat, width, size, False, serif)
    if len(wrapped) <= lines:
        return flat, False
    return trim_text(flat, len(" ".join(wrapped[:max(lines, 1)])))


@dataclass(frozen=True)
class CardLayout:
    """The text column of a projector slide, in rem (sizes of its blocks and gaps).

    ``height`` is what the column may fill above the fold, the source line included.
    """

    width: float = 37.0
    height: float = 34.0
    title_size: float = 1.5
    body_size: float = 1.375
    quote_size: float = 1.75
    source_size: float = 1.125
    line_height: float = 1.4
    block_gap: float = 1.0
    button_height: float = 2.75
    min_quote_lines: int = 3
    min_caption_lines: int = 2

    def lines_height(self, lines: int, size: float) -> float:
        return lines * size * self.line_height

    def quote_lines(self, title: str, when: str, caption: str | None, source: str) -> int:
        """How many lines of the quote fit once the other blocks have their room.

        Leaves room for the "Read the whole passage" button (it shows when the
        quote is trimmed); at least ``min_quote_lines`` lines.
        """
        used = self.lines_height(line_count(title, self.width, self.title_size, bold=True), self.title_size)
        used += self.lines_height(line_count(when, self.width, self.body_size, bold=True), self.body_size)
        if caption:
            used += self.lines_height(line_count(caption, self.width, self.body_size), self.body_size)
        used += self.lines_height(line_count(source, self.width, self.source_size), self.source_size)
        blocks = 4 + (1 if caption else 0)
        left = self.height - used - blocks * self.block_gap - self.button_height
        return max(math.floor(left / (self.quote_size * self.line_height)), self.min_quote_lines)

    def fit_quote(self, passage: str, title: str, when: str, caption: str | None, source: str) -> tuple[str, bool]:
        """The quote as it fits on the slide, and whether it was trimmed."""
        lines = self.quote_lines(title, when, caption, source)
        return trim_to_lines(passage, self.width, self.quote_size, lines, serif=True)

    def fit_card(self, passage: str, title: str, when: str, caption: str | None, source: str) -> CardText:
        """The quote and the caption as they fit: the quote gives way first (down to
        ``min_quote_lines``), then the caption (down to ``min_caption_lines``)."""
        quote, quote_trimmed = self.fit_quote(passage, title, when, caption, source)
        if not caption:
            return CardText(quote, quote_trimmed, caption, False)
        caption_lines = line_count(caption, self.width, self.body_size)
        shown_lines = caption_lines
        while shown_lines > self.min_caption_lines and self._overflows(title, when, quote, shown_lines, source):
            shown_lines -= 1
        if shown_lines == caption_lines:
            return CardText(quote, quote_trimmed, caption, False)
        short, trimmed = trim_to_lines(caption, self.width, self.body_size, shown_lines)
        return CardText(quote, quote_trimmed, short, trimmed)

    def _overflows(self, title: str, when: str, quote: str, caption_lines: int, source: str) -> bool:
        used = self.lines_height(line_count(title, self.width, self.title_size, bold=True), self.title_size)
        used += self.lines_height(line_count(when, self.width, self.body_size, bold=True), self.body_size)
        used += self.lines_height(line_count(quote, self.width, self.quote_size, serif=True), self.quote_size)
        used += self.lines_height(caption_lines, self.body_size)
        used += self.lines_height(line_count(source, self.width, self.source_size), self.source_size)
        return used + 5 * self.block_gap + self.button_height > self.height


@dataclass(frozen=True)
class CardText:
    """The card's quote and caption as shown, and whether each was trimmed."""

    quote: str
    quote_trimmed: bool
    caption: str | None
    caption_trimmed: bool

    @property
    def trimmed(self) -> bool:
        return self.quote_trimmed or self.caption_trimmed
