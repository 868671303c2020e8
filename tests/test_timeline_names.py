"""Names on the timeline: whole short titles, never cut mid-phrase, never on top of one another."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re

import pytest
from timeline_drawn import event_labels, label_boxes, plain

from exchanges.charts.style import DEFAULT_STYLE, PROJECTOR_STYLE
from exchanges.charts.timeline_figure import SIDE_MARGIN, build_timeline_figure
from exchanges.models import SHORT_TITLE_LIMIT, Event
from exchanges.wording import short_title, shorten_title

#: The 1,920 px slide (its chart about 1,500 px by 800 once the legend is beside it), and the present
#: page at 1280x720 in projector mode (its timeline about 930 px wide, no legend).
EXPORT_1920 = dataclasses.replace(PROJECTOR_STYLE, timeline_width_hint=1500, timeline_plot_height=800)
PROJECTOR_1280 = dataclasses.replace(PROJECTOR_STYLE, timeline_width_hint=900)


def test_every_shipped_event_has_a_whole_short_title(shipped_catalog):
    for event in shipped_catalog.events:
        assert event.short_title, event.id
        assert len(event.short_title) <= SHORT_TITLE_LIMIT and not event.short_title.endswith("…"), event.id
        assert short_title(event) == event.short_title


def _stems(text: str) -> set[str]:
    """Words by their first five letters ("proposes" and "propose" alike)."""
    return {word.casefold()[:5] for word in re.findall(r"[\w’']+", text)}


def test_shipped_short_titles_say_what_their_title_and_passage_say(shipped_catalog):
    """A short title is the title in fewer words: its words come from the title, summary or passage
    (allowing for a few rewordings)."""
    rewordings = {"ussr": "sovie", "sovie": "sovie", "china": "chine", "urge": "persu", "sent": "repat",
                  "cross": "borde", "cites": "expla", "home": "repat", "sendi": "send"}
    for event in shipped_catalog.events:
        source = _stems(" ".join([event.title, event.summary, event.source.passage]))
        missing = {w for w in _stems(event.short_title) if w not in source and rewordings.get(w, w) not in source}
        assert not missing, (event.id, missing)


@pytest.mark.parametrize("style", [EXPORT_1920, PROJECTOR_1280], ids=["export-1920", "projector-1280x720"])
def test_the_32_shipped_events_are_all_named_whole(shipped_catalog, style):
    legend = style is EXPORT_1920  # the present page hides the legend; a slide puts it beside the plot
    figure = build_timeline_figure(shipped_catalog.events, shipped_catalog, style=style, show_legend=legend)
    meta = figure.layout.meta["exchanges_timeline"]
    assert meta["summarised"] == [] and meta["named"] == len(shipped_catalog.events)
    labels = event_labels(figure)
    assert set(labels) == {event.id for event in shipped_catalog.events}
    for event_id, label in labels.items():
        event = shipped_catalog.event(event_id)
        assert plain(label.text).endswith(short_title(event)), event_id  # whole ("◂ from …: " may lead it)
        assert "…" not in plain(label.text)
    assert figure.layout.height <= style.timeline_max_height


@pytest.mark.parametrize("style", [EXPORT_1920, PROJECTOR_1280, dataclasses.replace(DEFAULT_STYLE,
                                                                                     timeline_width_hint=900)])
def test_names_never_overlap_and_stay_in_the_plot(shipped_catalog, style):
    figure = build_timeline_figure(shipped_catalog.events, shipped_catalog, style=style,
                                   highlight="soviet-statement-1962-06-08")
    boxes = label_boxes(figure, style)
    plot = style.timeline_width_hint - 2 * SIDE_MARGIN
    for row, left, right in boxes:
        assert left >= -1 and right <= plot + SIDE_MARGIN, (row, left, right)
    for (row_a, left_a, right_a), (row_b, left_b, right_b) in itertools.combinations(boxes, 2):
        if row_a == row_b:
            assert right_a <= left_b or right_b <= left_a, (row_a, left_a, right_a, left_b, right_b)


def test_events_sharing_a_date_are_stacked_not_piled(shipped_catalog):
    """Eleven events are dated only "by 7 January 1952": each gets its own row."""
    same = [e for e in shipped_catalog.events if e.date == dt.date(1952, 1, 7) and e.date_bound.value == "by"]
    assert len(same) >= 10
    figure = build_timeline_figure(shipped_catalog.events, shipped_catalog, style=PROJECTOR_1280, show_legend=False)
    rows = {}
    for trace in figure.data:
        if (trace.meta or {}).get("layer") in ("events", "bars"):
            rows.update(zip(trace.customdata, trace.y, strict=True))
    assert len({rows[e.id] for e in same}) == len(same)


def test_the_highlighted_event_is_named_in_bold(shipped_catalog):
    for event in (shipped_catalog.event("zhang-hanfu-talk-1962-06-11"), shipped_catalog.events[0]):
        figure = build_timeline_figure(shipped_catalog.events, shipped_catalog, highlight=event.id)
        labels = event_labels(figure)
        assert labels[event.id].text == f"<b>{short_title(event)}</b>"


def test_a_title_is_shortened_at_a_phrase_or_a_word():
    """Without a ``short_title``: the title if it fits, its first phrase if that fits, else whole words and "…"."""
    assert shorten_title("A short title") == "A short title"
    assert shorten_title("Illegal crossings into the USSR, one every two days on average, in the three years") == (
        "Illegal crossings into the USSR")
    # "Proposed" alone says too little to stand for the title
    assert shorten_title("Proposed: repatriation of unemployed Soviet citizens, spring and summer 1952") == (
        "Proposed: repatriation of unemployed…")
    assert shorten_title("Zhang Hanfu's talk with the Soviet Ambassador") == "Zhang Hanfu's talk with the Soviet…"
    cut = shorten_title("Synthetic letter number 123 between embassy-prc-beijing and mfa-ussr")
    assert len(cut) <= SHORT_TITLE_LIMIT and cut == "Synthetic letter number 123 between…"


def test_a_short_title_longer_than_the_limit_is_refused():
    with pytest.raises(ValueError, match="short_title"):
        Event.model_validate({
            "id": "x", "title": "A title", "short_title": "x" * (SHORT_TITLE_LIMIT + 1), "date": "1962-01-01",
            "date_precision": "day", "event_type": "other", "summary": "s.",
            "source": {"document": "d", "passage": "p"},
        })
