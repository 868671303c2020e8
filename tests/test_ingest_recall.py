"""Recall of the extractors against the curated events (data/events.yaml).

For each corpus document, every place and every date that the curated events
of that document use must be found by the ingester in the document's text. A
date counts as found if an extracted date has the event's date and precision,
or if its span contains the event's date. A date the curators inferred (its
``date_label`` says "inferred", data/SCHEMA.md) is not stated in the text and is
not asked for. Run with ``pytest -s`` to see the
recall per document.
"""

from __future__ import annotations

import pytest

from exchanges.catalog import Catalog
from exchanges.gazetteer import Gazetteer
from exchanges.ingest.analysis import Analysis, analyse_document


def _documents(shipped_catalog: Catalog) -> list[str]:
    return sorted({event.source.document for event in shipped_catalog.events})


def test_every_corpus_document_has_curated_events(shipped_catalog: Catalog) -> None:
    assert len(_documents(shipped_catalog)) >= 2


@pytest.mark.parametrize("doc_id", ["gromyko-to-stalin-1952-01-07", "soviet-statement-1962-08-10"])
def test_recall_is_complete(doc_id: str, shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    events = shipped_catalog.events_of_document(doc_id)
    assert events, f"no curated events for {doc_id}"
    analysis: Analysis = analyse_document(shipped_catalog.document_text(doc_id), shipped_gazetteer,
                                          actors=shipped_catalog.actors.values())

    wanted_places = {place for event in events for place in event.places}
    found_places = {mention.id for mention in analysis.places}
    missing_places = sorted(wanted_places - found_places)

    wanted_dates = {(event.date, event.date_precision) for event in events
                    if "inferred" not in (event.date_label or "").casefold()}
    missing_dates = sorted(
        (day.isoformat(), precision.value)
        for day, precision in wanted_dates
        if not any(mention.matches(day, precision) for mention in analysis.dates)
    )

    place_recall = 1 - len(missing_places) / len(wanted_places) if wanted_places else 1.0
    date_recall = 1 - len(missing_dates) / len(wanted_dates)
    print(f"\n{doc_id}: places {len(wanted_places) - len(missing_places)}/{len(wanted_places)} "
          f"({place_recall:.0%}), dates {len(wanted_dates) - len(missing_dates)}/{len(wanted_dates)} "
          f"({date_recall:.0%})")
    assert not missing_places, f"places not found in {doc_id}: {missing_places}"
    assert not missing_dates, f"dates not found in {doc_id}: {missing_dates}"
