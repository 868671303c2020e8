"""Date ticks for a timeline panel, spaced for the panel's width in pixels.

Plotly's automatic date ticks are chosen without regard to how wide their
labels are, so a narrow panel gets labels on top of one another, and its
tick formats can name the same month twice. Here the step is chosen from the
panel's width and the dates it spans: the finest step whose labels fit side
by side. Each step has its own label format, fine enough that two ticks never
read the same (days for steps within a month, months for steps of months,
years for steps of years), and ticks whose label would stick out of the panel
(into the next one, or over the lane names) are left out. Label widths are
measured with the charts' font (:mod:`exchanges.text_metrics`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from exchanges.text_metrics import lines_width

#: The widest line each kind of label can have: "28 May" or "1962" (any year of four digits).
_DAY_LINES = tuple(f"28 {calendar.month_abbr[m]}" for m in range(1, 13)) + ("1962",)
_MONTH_LINES = tuple(calendar.month_abbr[m] for m in range(1, 13)) + ("1962",)
#: Least room between two labels, px.
LABEL_GAP = 12.0

Unit = Literal["days", "month_days", "months"]


@dataclass(frozen=True)
class TickStep:
    """A tick spacing: every ``count`` days or months, or on the given days of each month."""

    unit: Unit
    count: int = 1
    days_of_month: tuple[int, ...] = ()

    @property
    def shortest_days(self) -> float:
        """The shortest gap between two ticks, in days (a month counts 28)."""
        if self.unit == "days":
            return float(self.count)
        if self.unit == "month_days":
            days = self.days_of_month
            return float(min([b - a for a, b in itertools.pairwise(days)] + [28 - days[-1] + days[0]]))
        return 28.0 + 30.44 * (self.count - 1)

    def label(self, day: dt.date) -> str:
        """The tick label (``<br>`` between lines): ``15 Apr<br>1962``, ``Apr<br>1962`` or ``1962``."""
        month = calendar.month_abbr[day.month]
        if self.unit != "months":
            return f"{day.day} {month}<br>{day.year}"
        if self.count % 12:
            return f"{month}<br>{day.year}"
        return str(day.year)

    def label_width(self, font_size: float) -> float:
        """Width (px) of the widest line a label of this step can have."""
        if self.unit != "months":
            return lines_width(_DAY_LINES, font_size)
        return lines_width(_MONTH_LINES if self.count % 12 else ("1962",), font_size)

    def dates(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """Every tick from ``start`` to ``end`` (inclusive), on round dates."""
        if self.unit == "days":
            day = dt.date.fromordinal(start.toordinal() + (-start.toordinal()) % self.count)
            while day <= end:
                yield day
                day += dt.timedelta(days=self.count)
            return
        month_index = start.year * 12 + start.month - 1
        if self.unit == "months":
            month_index += (-month_index) % self.count  # Jan, or Jan/Jul, … ; years on multiples
        while True:
            year, month = divmod(month_index, 12)
            days = self.days_of_month if self.unit == "month_days" else (1,)
            for number in days:
                day = dt.date(year, month + 1, number)
                if day > end:
                    return
                if day >= start:
                    yield day
            month_index += self.count if self.unit == "months" else 1


#: From the finest to the coarsest.
TICK_STEPS: tuple[TickStep, ...] = (
    TickStep("days", 1),
    TickStep("days", 2),
    TickStep("month_days", days_of_month=(1, 8, 15, 22)),
    TickStep("month_days", days_of_month=(1, 15)),
    TickStep("months", 1),
    TickStep("months", 2),
    TickStep("months", 3),
    TickStep("months", 6),
    TickStep("months", 12),
    TickStep("months", 24),
    TickStep("months", 60),
    TickStep("months", 120),
    TickStep("months", 240),
    TickStep("months", 600),
)


def choose_step(days: float, width_px: float, font_size: float) -> TickStep:
    """The finest step whose labels fit side by side in ``width_px`` showing ``days`` days."""
    per_day = width_px / max(days, 1.0)
    for step in TICK_STEPS:
        if step.shortest_days * per_day >= step.label_width(font_size) + LABEL_GAP:
            return step
    return TICK_STEPS[-1]


def panel_ticks(
    start: dt.date,
    end: dt.date,
    width_px: float,
    font_size: float,
    *,
    overhang: tuple[float, float] = (0.0, 0.0),
) -> tuple[list[dt.date], list[str]]:
    """Tick dates and labels for a panel showing ``start`` to ``end`` across ``width_px``.

    A label is centred on its tick; a tick is kept only if its label stays
    inside the panel, give or take ``overhang`` (px allowed beyond the left
    and right edges).
    """
    days = (end - start).days
    step = choose_step(days, width_px, font_size)
    half = step.label_width(font_size) / 2
    per_day = width_px / max(days, 1)
    values: list[dt.date] = []
    for day in step.dates(start, end):
        x = (day - start).days * per_day
        if x - half >= -overhang[0] and x + half <= width_px + overhang[1]:
            values.append(day)
    return values, [step.label(day) for day in values]
