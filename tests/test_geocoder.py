"""The geocoder: gazetteer first, live only when allowed, failures contained, cache kept.

No test touches the network: the geopy geocoder is always a fake object.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from geocoding_data import ULAANBAATAR, FakeGeopy
from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable

import exchanges.geocoder as geocoder_module
from exchanges.gazetteer import Gazetteer
from exchanges.geocoder import (
    CACHE_FILE_NAME,
    LIVE_ENV_VAR,
    NOMINATIM_BREAKER,
    Breaker,
    Geocoder,
    Resolution,
    Unresolved,
    entry_kind,
    entry_source,
)
from exchanges.store import StoreError, open_store


@pytest.fixture(autouse=True)
def _offline(user_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test: an empty user data folder (conftest) and live geocoding not asked for."""
    monkeypatch.delenv(LIVE_ENV_VAR, raising=False)


@pytest.fixture
def shipped_gazetteer() -> Gazetteer:
    """The curated places only: these tests geocode names (Ulaanbaatar) that the regional
    gazetteer (geodata/regional.tsv) knows, to exercise the geocoder behind the gazetteer."""
    return Gazetteer.load(regional=None)


def make(gazetteer: Gazetteer, fake: FakeGeopy | None, **kwargs: Any) -> Geocoder:
    kwargs.setdefault("min_delay_seconds", 0.0)  # the fake has no rate limit to respect
    kwargs.setdefault("timeout", 2.0)
    return Geocoder(gazetteer, geocoder=fake, **kwargs)


# ------------------------------------------------------------------ gazetteer


def test_gazetteer_hit_does_not_call_geopy(shipped_gazetteer: Gazetteer) -> None:
    fake = FakeGeopy(ULAANBAATAR)
    result = make(shipped_gazetteer, fake, live=True).resolve("Kuldja")
    assert isinstance(result, Resolution)
    assert result.provenance == "gazetteer" and result.place_id == "yining"
    place = shipped_gazetteer.get("yining")
    assert (result.lat, result.lon, result.source) == (place.lat, place.lon, place.source)
    assert fake.calls == []


def test_disabled_means_no_call(shipped_gazetteer: Gazetteer) -> None:
    fake = FakeGeopy(ULAANBAATAR)
    result = make(shipped_gazetteer, fake).resolve("Ulaanbaatar")  # live is off by default
    assert isinstance(result, Unresolved) and result.kind == "disabled"
    assert LIVE_ENV_VAR in result.reason
    assert fake.calls == []


def test_env_var_turns_live_on(shipped_gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Geocoder.from_env(shipped_gazetteer, geocoder=FakeGeopy(), min_delay_seconds=0).live is False
    monkeypatch.setenv(LIVE_ENV_VAR, "1")
    assert Geocoder.from_env(shipped_gazetteer, geocoder=FakeGeopy(), min_delay_seconds=0).live is True
    monkeypatch.setenv(LIVE_ENV_VAR, "0")
    assert Geocoder.from_env(shipped_gazetteer, geocoder=FakeGeopy(), min_delay_seconds=0).live is False


def test_empty_name_is_invalid_without_a_call(shipped_gazetteer: Gazetteer) -> None:
    fake = FakeGeopy()
    result = make(shipped_gazetteer, fake, live=True).resolve("  ")
    assert isinstance(result, Unresolved) and result.kind == "invalid"
    assert fake.calls == []


# ----------------------------------------------------------------------- live


def test_live_hit_is_cached_with_provenance(shipped_gazetteer: Gazetteer, user_data: Path) -> None:
    fake = FakeGeopy(ULAANBAATAR)
    result = make(shipped_gazetteer, fake, live=True).resolve("Ulaanbaatar")
    assert isinstance(result, Resolution) and result.provenance == "live"
    assert (result.lat, result.lon) == (47.92, 106.92)
    assert result.name == "Ulaanbaatar, Mongolia" and "OpenStreetMap" in result.source

    (entry,) = open_store().cache_entries().values()  # one row of the user's store
    assert entry["provider"] == "nominatim" and entry["query"] == "Ulaanbaatar"
    assert entry["status"] == "hit" and entry["display_name"] == "Ulaanbaatar, Mongolia"
    assert entry["timestamp"]


def test_a_hit_names_its_provenance_for_the_gazetteer(shipped_gazetteer: Gazetteer) -> None:
    make(shipped_gazetteer, FakeGeopy(ULAANBAATAR), live=True).resolve("Ulaanbaatar")
    again = make(shipped_gazetteer, FakeGeopy()).resolve("Ulaanbaatar")  # from the cache
    assert isinstance(again, Resolution) and again.kind_hint == "city"
    source = again.source
    assert source.startswith("OpenStreetMap Nominatim via geopy, query 'Ulaanbaatar', ")
    assert re.search(r", \d{4}-\d\d-\d\dT\d\d:\d\dZ, ", source)  # when, to the minute, UTC
    assert "display name 'Ulaanbaatar, Mongolia'" in source and "OSM relation 42" in source
    assert source.endswith("OpenStreetMap contributors, ODbL")  # the licence asks for the credit


def test_entry_source_converts_the_time_to_utc() -> None:
    entry = {"query": "Kashgar", "timestamp": "2026-11-23T19:00:59+02:00", "display_name": "Kashi, China"}
    assert entry_source(entry).startswith(
        "OpenStreetMap Nominatim via geopy, query 'Kashgar', 2026-11-23T17:00Z, display name 'Kashi, China'")


@pytest.mark.parametrize(
    ("category", "place_type", "kind"),
    [("place", "city", "city"), ("place", "village", "city"), ("boundary", "administrative", "region"),
     ("place", "state", "region"), ("place", "country", "country"), ("natural", "peak", "city")],
)
def test_entry_kind(category: str, place_type: str, kind: str) -> None:
    assert entry_kind({"category": category, "type": place_type}) == kind


def test_cache_survives_a_new_instance(shipped_gazetteer: Gazetteer) -> None:
    make(shipped_gazetteer, FakeGeopy(ULAANBAATAR), live=True).resolve("Ulaanbaatar")
    fresh_fake = FakeGeopy(ULAANBAATAR)
    again = make(shipped_gazetteer, fresh_fake).resolve("ulaanbaatar ")  # a new instance, live off
    assert isinstance(again, Resolution) and again.provenance == "cache"
    assert (again.lat, again.lon) == (47.92, 106.92)
    assert fresh_fake.calls == []


def test_misses_are_cached_too(shipped_gazetteer: Gazetteer) -> None:
    fake = FakeGeopy({})
    first = make(shipped_gazetteer, fake, live=True).resolve("Nowhere-on-earth")
    assert isinstance(first, Unresolved) and first.kind == "not_found"
    second_fake = FakeGeopy({})
    second = make(shipped_gazetteer, second_fake, live=True).resolve("Nowhere-on-earth")
    assert isinstance(second, Unresolved) and second.kind == "not_found"
    assert "cached" in second.reason and second_fake.calls == []


@pytest.mark.parametrize(
    "error",
    [
        GeocoderUnavailable("Service not available"),
        GeocoderTimedOut("Service timed out"),
        GeocoderServiceError("HTTP 500"),
        TimeoutError("timed out"),  # what socket timeouts raise
        ConnectionResetError("reset by peer"),
        ValueError("something unexpected"),
    ],
)
def test_network_failure_falls_back_with_reason(
    shipped_gazetteer: Gazetteer, user_data: Path, error: BaseException
) -> None:
    fake = FakeGeopy(error=error)
    coder = make(shipped_gazetteer, fake, live=True)
    result = coder.resolve("Ulaanbaatar")  # must not raise
    assert isinstance(result, Unresolved) and result.kind == "failed"
    assert type(error).__name__ in result.reason
    assert [f.reason for f in coder.failures] == [f"{type(error).__name__}: {error}"]
    assert not (user_data / CACHE_FILE_NAME).exists()  # a failure is not an answer


def test_circuit_breaker_stops_calls_for_the_rest_of_the_batch(shipped_gazetteer: Gazetteer) -> None:
    fake = FakeGeopy(error=GeocoderUnavailable("no route to host"))
    coder = make(shipped_gazetteer, fake, live=True)
    report = coder.resolve_many(["Ulaanbaatar", "Peking", "Lhasa", "Kabul", "Lhasa"])
    assert fake.calls == ["Ulaanbaatar"]
    assert [r.place_id for r in report.resolved] == ["beijing"]
    kinds = {u.query: u.kind for u in report.unresolved}
    assert kinds == {"Ulaanbaatar": "failed", "Lhasa": "skipped", "Kabul": "skipped"}
    skipped = [u for u in report.unresolved if u.kind == "skipped"]
    assert all("no route to host" in u.reason for u in skipped)
    assert not report.all_resolved and coder.backing_off


def test_the_pause_outlasts_the_geocoder_that_tripped_it(shipped_gazetteer: Gazetteer) -> None:
    """The app makes a new Geocoder per click: the pause after a failure is kept between them."""
    shared = Breaker()
    failing = FakeGeopy(error=GeocoderUnavailable("no route to host"))
    assert make(shipped_gazetteer, failing, live=True, breaker=shared).resolve("Ulaanbaatar").kind == "failed"
    working = FakeGeopy(ULAANBAATAR)
    next_click = make(shipped_gazetteer, working, live=True, breaker=shared)
    result = next_click.resolve("Ulaanbaatar")
    assert result.kind == "skipped" and "no route to host" in result.reason
    assert working.calls == [] and next_click.backing_off
    # A geocoder of its own service (no shared breaker given) is not paused by another's failure.
    assert not make(shipped_gazetteer, FakeGeopy(ULAANBAATAR), live=True).backing_off


def test_the_real_service_shares_one_pause_per_process(shipped_gazetteer: Gazetteer) -> None:
    first, second = Geocoder(shipped_gazetteer, live=False), Geocoder(shipped_gazetteer, live=False)
    assert first._breaker is second._breaker is NOMINATIM_BREAKER


def test_breaker_retries_after_the_backoff_and_closes_on_success(shipped_gazetteer: Gazetteer) -> None:
    now = [1000.0]
    fake = FakeGeopy(ULAANBAATAR, error=GeocoderUnavailable("down"))
    coder = make(shipped_gazetteer, fake, live=True, backoff_seconds=60, clock=lambda: now[0])
    assert coder.resolve("Ulaanbaatar").kind == "failed"
    now[0] += 30
    assert coder.resolve("Ulaanbaatar").kind == "skipped"
    now[0] += 31
    fake.error = None  # the network is back
    result = coder.resolve("Ulaanbaatar")
    assert isinstance(result, Resolution) and result.provenance == "live"
    assert not coder.backing_off
    assert fake.calls == ["Ulaanbaatar", "Ulaanbaatar"]


def test_a_hung_call_is_abandoned_at_the_timeout(shipped_gazetteer: Gazetteer) -> None:
    release = threading.Event()

    class Hanging(FakeGeopy):
        def geocode(self, query: str, exactly_one: bool = True, timeout: float | None = None):
            self.calls.append(query)
            release.wait(30)  # a DNS look-up that never answers
            return None

    fake = Hanging()
    try:
        result = make(shipped_gazetteer, fake, live=True, timeout=0.2).resolve("Ulaanbaatar")
    finally:
        release.set()
    assert isinstance(result, Unresolved) and result.kind == "failed"
    assert "GeocoderTimedOut" in result.reason


def test_a_second_caller_is_not_blocked_by_a_running_look_up(shipped_gazetteer: Gazetteer) -> None:
    started, release = threading.Event(), threading.Event()

    class Slow(FakeGeopy):
        def geocode(self, query: str, exactly_one: bool = True, timeout: float | None = None):
            self.calls.append(query)
            started.set()
            release.wait(30)
            return None

    fake = Slow()
    coder = make(shipped_gazetteer, fake, live=True, timeout=30)
    first = threading.Thread(target=coder.resolve, args=("Ulaanbaatar",))
    first.start()
    try:
        assert started.wait(30)
        busy = coder.resolve("Lhasa")
        assert isinstance(busy, Unresolved) and busy.kind == "skipped"
        assert "in progress" in busy.reason
        assert coder.resolve("Tihwa").place_id == "urumqi"  # the gazetteer still answers
    finally:
        release.set()
        first.join(30)
    assert fake.calls == ["Ulaanbaatar"]
    assert not coder.backing_off  # being busy is not a failure


def test_real_nominatim_is_set_up_politely(shipped_gazetteer: Gazetteer) -> None:
    with pytest.raises(ValueError, match="one request"):
        Geocoder(shipped_gazetteer, live=True, min_delay_seconds=0.5)
    coder = Geocoder(shipped_gazetteer, live=True)
    limited = coder._geocode_function()  # builds Nominatim and its RateLimiter; no request
    assert limited.min_delay_seconds >= 1.0
    agent = coder._geocoder.headers["User-Agent"]
    assert "exchanges" in agent and "python-requests" not in agent
    assert coder._geocoder.timeout == coder.timeout


# ---------------------------------------------------------------------- cache


def test_cache_lives_in_the_user_store(shipped_gazetteer: Gazetteer, user_data: Path) -> None:
    assert make(shipped_gazetteer, FakeGeopy()).cache_path is None  # the store, not a file
    make(shipped_gazetteer, FakeGeopy(ULAANBAATAR), live=True).resolve("Ulaanbaatar")
    assert list(open_store().cache_entries()) == ["nominatim:ulaanbaatar"]
    assert not (user_data / CACHE_FILE_NAME).exists()


def test_a_failed_store_write_is_reported_not_only_logged(
    shipped_gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    make(shipped_gazetteer, FakeGeopy(ULAANBAATAR), live=True).resolve("Ulaanbaatar")
    before = open_store().cache_entries()

    class Refusing:
        def __enter__(self) -> None:
            raise StoreError("not saved in the store: disk I/O error")

        def __exit__(self, *exc: Any) -> None:
            return None

    monkeypatch.setattr(type(open_store()), "write", lambda self: Refusing())
    coder = make(shipped_gazetteer, FakeGeopy({"Lhasa": (29.65, 91.1, "Lhasa, Tibet")}), live=True)
    with caplog.at_level(logging.WARNING, logger="exchanges.geocoder"):
        report = coder.resolve_many(["Lhasa"])
    assert [r.provenance for r in report.resolved] == ["live"]  # the answer stands
    (failure,) = report.cache_failures  # and the report says it was not saved
    assert failure.query == "Lhasa" and "not saved in the cache" in failure.reason and "disk I/O" in failure.reason
    assert coder.cache_failures == [failure] and "could not save" in caplog.text
    assert open_store().cache_entries() == before


def test_another_processes_answer_is_found_in_the_store(shipped_gazetteer: Gazetteer) -> None:
    reader = make(shipped_gazetteer, FakeGeopy())  # started before the answer was cached
    make(shipped_gazetteer, FakeGeopy(ULAANBAATAR), live=True).resolve("Ulaanbaatar")
    again = reader.resolve("Ulaanbaatar")
    assert isinstance(again, Resolution) and again.provenance == "cache"


# A cache file (``cache_path``) instead of the store: written whole and atomically.


def _seed_cache(shipped_gazetteer: Gazetteer) -> bytes:
    path = Path(os.environ["EXCHANGES_USER_DATA"]) / CACHE_FILE_NAME
    make(shipped_gazetteer, FakeGeopy(ULAANBAATAR), live=True, cache_path=path).resolve("Ulaanbaatar")
    return path.read_bytes()


def test_failed_write_leaves_the_old_cache_intact(
    shipped_gazetteer: Gazetteer,
    user_data: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = _seed_cache(shipped_gazetteer)
    real_fdopen = os.fdopen

    class DiskFullHalfway:
        """A file that takes half of what is written, then fails (disk full)."""

        def __init__(self, fh: Any):
            self.fh = fh

        def __enter__(self) -> DiskFullHalfway:
            return self

        def __exit__(self, *exc: Any) -> None:
            self.fh.close()

        def write(self, text: str) -> int:
            self.fh.write(text[: len(text) // 2])
            self.fh.flush()
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(geocoder_module.os, "fdopen",
                        lambda fd, *a, **k: DiskFullHalfway(real_fdopen(fd, *a, **k)))
    coder = make(shipped_gazetteer, FakeGeopy({"Lhasa": (29.65, 91.1, "Lhasa, Tibet")}), live=True,
                 cache_path=user_data / CACHE_FILE_NAME)
    with caplog.at_level(logging.WARNING, logger="exchanges.geocoder"):
        result = coder.resolve("Lhasa")
    assert isinstance(result, Resolution) and result.provenance == "live"  # still answered
    assert "No space left" in coder.cache_failures[0].reason  # and said not saved
    assert (user_data / CACHE_FILE_NAME).read_bytes() == before  # old cache intact
    assert sorted(p.name for p in user_data.iterdir()) == [CACHE_FILE_NAME]  # no temp left
    assert "could not save" in caplog.text


def test_failed_replace_leaves_the_old_cache_intact(
    shipped_gazetteer: Gazetteer, user_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _seed_cache(shipped_gazetteer)

    def refuse(*args: Any) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(geocoder_module.os, "replace", refuse)
    coder = make(shipped_gazetteer, FakeGeopy({"Lhasa": (29.65, 91.1, "Lhasa, Tibet")}), live=True,
                 cache_path=user_data / CACHE_FILE_NAME)
    assert isinstance(coder.resolve("Lhasa"), Resolution)
    assert (user_data / CACHE_FILE_NAME).read_bytes() == before
    assert sorted(p.name for p in user_data.iterdir()) == [CACHE_FILE_NAME]


@pytest.mark.parametrize(
    "content",
    ["{not json", "[]", '{"version": 99, "entries": {}}',
     '{"version": 1, "entries": {"nominatim:x": {"status": "hit"}}}'],
)
def test_corrupt_cache_starts_empty_with_a_warning(
    shipped_gazetteer: Gazetteer, user_data: Path, caplog: pytest.LogCaptureFixture, content: str
) -> None:
    (user_data / CACHE_FILE_NAME).write_text(content, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="exchanges.geocoder"):
        coder = make(shipped_gazetteer, FakeGeopy(ULAANBAATAR), live=True, cache_path=user_data / CACHE_FILE_NAME)
    assert coder.cached() == []
    assert "unreadable" in caplog.text
    backups = [p for p in user_data.iterdir() if ".corrupt-" in p.name]
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == content  # kept
    result = coder.resolve("Ulaanbaatar")  # and it still works, writing a fresh cache
    assert isinstance(result, Resolution)
    assert json.loads((user_data / CACHE_FILE_NAME).read_text(encoding="utf-8"))["entries"]
