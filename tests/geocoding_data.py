"""Geocoding without a network, for the geocoder, ingest and add-document tests.

``FakeGeopy`` stands in for a geopy geocoder (Nominatim): it answers from a
table, or raises what it is told, and records every query. ``fill_cache``
puts answers into the geocoder's cache in the user data folder the way a live
look-up does, so code that reads only the cache (the app offline, ``ingest``
without ``--live-geocoding``) finds them.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from exchanges.gazetteer import Gazetteer
from exchanges.geocoder import Geocoder

Answer = tuple[float, float, str] | tuple[float, float, str, str, str]
"""lat, lon, display name [, OSM class, OSM type] (default: place, city)."""

ULAANBAATAR = {"Ulaanbaatar": (47.92, 106.92, "Ulaanbaatar, Mongolia")}
KASHGAR = {"Kashgar": (39.4704, 75.9898, "Kashi, Kashgar Prefecture, Xinjiang, China")}
"""Kashgar is not in the shipped gazetteer; the point lies inside the PRC outline."""


class FakeGeopy:
    """Stands in for a geopy geocoder: answers from a table, or raises what it is told."""

    def __init__(self, answers: dict[str, Answer | None] | None = None, error: BaseException | None = None):
        self.answers = answers or {}
        self.error = error
        self.calls: list[str] = []

    def geocode(self, query: str, exactly_one: bool = True, timeout: float | None = None) -> Any:
        self.calls.append(query)
        if self.error is not None:
            raise self.error
        answer = self.answers.get(query)
        if answer is None:
            return None
        lat, lon, address, *kind = answer
        category, place_type = kind or ("place", "city")
        return SimpleNamespace(latitude=lat, longitude=lon, address=address,
                               raw={"osm_type": "relation", "osm_id": 42, "class": category,
                                    "type": place_type, "display_name": address})


def use_fake_nominatim(monkeypatch: pytest.MonkeyPatch, fake: FakeGeopy) -> None:
    """Make the geocoder's default provider (geopy's Nominatim, built on first live use) ``fake``."""
    import geopy.geocoders  # noqa: PLC0415

    monkeypatch.setattr(geopy.geocoders, "Nominatim", lambda **_: fake)


def fill_cache(gazetteer: Gazetteer, answers: dict[str, Answer | None]) -> None:
    """Look ``answers`` up once with a live geocoder over ``FakeGeopy``: they are in the cache after."""
    geocoder = Geocoder(gazetteer, live=True, geocoder=FakeGeopy(answers), min_delay_seconds=0)
    for name in answers:
        geocoder.resolve(name)
