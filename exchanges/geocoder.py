"""Resolve place names to coordinates: the gazetteer first, the network only if allowed.

Order for each name:

1. the offline gazetteer (:meth:`Gazetteer.lookup`);
2. the cache of earlier live look-ups (hits *and* "not found" answers): one row
   per answer in the user's store (``exchanges.store``), so geocoders in several
   sessions or processes never lose each other's answers; or a JSON file when
   ``cache_path`` is given. A cache write that fails is reported
   (:attr:`Geocoder.cache_failures`, ``ResolveReport.cache_failures``), not only logged;
3. only when live geocoding is on (constructor flag, off by default;
   ``EXCHANGES_LIVE_GEOCODING=1`` turns it on in :meth:`Geocoder.from_env`):
   OpenStreetMap's Nominatim through geopy, at most one request a second
   (geopy's ``RateLimiter``, as Nominatim's usage policy asks), each bounded by
   a short timeout.

Nothing here raises into the app: a network or service error leaves the name
unresolved with the reason, is recorded in :attr:`Geocoder.failures`, and opens
a circuit breaker so the other names of a batch are not tried against a dead
network (they are reported as skipped) until ``backoff_seconds`` have passed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from exchanges.gazetteer import Gazetteer, normalize_name
from exchanges.store import StoreError, open_store
from exchanges.userdata import UserDataError, atomic_write_text

log = logging.getLogger(__name__)

LIVE_ENV_VAR = "EXCHANGES_LIVE_GEOCODING"
CACHE_FILE_NAME = "geocoder_cache.json"
CACHE_VERSION = 1
PROVIDER = "nominatim"
USER_AGENT = "exchanges-cold-war-documents/0.1 (teaching tool for Sino-Soviet archival documents)"
NOMINATIM_ATTRIBUTION = "(c) OpenStreetMap contributors, ODbL"  # OSM data licence: credit required
MIN_NOMINATIM_DELAY = 1.0  # seconds between requests; Nominatim's usage policy

Provenance = Literal["gazetteer", "cache", "live"]
KindHint = Literal["city", "region", "country"]

_REGION_TYPES = frozenset({"state", "province", "region", "county", "district", "state_district",
                           "administrative", "municipality", "prefecture"})


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Resolution(_Frozen):
    """A name resolved to a point, and where the answer came from."""

    query: str
    provenance: Provenance
    lat: float
    lon: float
    name: str  # the gazetteer's name, or the provider's display name
    place_id: str | None = None  # gazetteer id (gazetteer provenance only)
    source: str  # the gazetteer's source, or provider, query, time, answer and attribution
    kind_hint: KindHint | None = None  # what the provider says the place is (cache and live only)


class Unresolved(_Frozen):
    """A name that could not be resolved, and why."""

    query: str
    reason: str
    kind: Literal["not_found", "disabled", "failed", "skipped", "invalid"]


class Failure(_Frozen):
    """A live look-up that failed (network, timeout, service error, anything)."""

    query: str
    provider: str
    timestamp: str
    reason: str


class ResolveReport(_Frozen):
    resolved: list[Resolution]
    unresolved: list[Unresolved]
    cache_failures: list[Failure] = []  # answers found but not saved in the cache, and why

    @property
    def all_resolved(self) -> bool:
        return not self.unresolved


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _minutes_utc(timestamp: str) -> str:
    """``2026-11-23T17:00:12+00:00`` -> ``2026-11-23T17:00Z`` (as stored, if it does not parse)."""
    try:
        moment = dt.datetime.fromisoformat(timestamp)
    except (TypeError, ValueError):
        return str(timestamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%MZ")


def entry_source(entry: dict[str, Any]) -> str:
    """Where a cached answer comes from, fit for a gazetteer ``source`` column.

    E.g. ``OpenStreetMap Nominatim via geopy, query 'Kashgar', 2026-11-23T17:00Z,
    display name 'Kashi, Xinjiang, China', OSM relation 42; (c) OpenStreetMap
    contributors, ODbL``.
    """
    parts = [f"OpenStreetMap Nominatim via geopy, query {entry.get('query')!r}",
             _minutes_utc(entry.get("timestamp", "?"))]
    if entry.get("display_name"):
        parts.append(f"display name {entry['display_name']!r}")
    if entry.get("osm_type") and entry.get("osm_id") is not None:
        parts.append(f"OSM {entry['osm_type']} {entry['osm_id']}")
    return f"{', '.join(parts)}; {NOMINATIM_ATTRIBUTION}"


def entry_kind(entry: dict[str, Any]) -> KindHint:
    """What kind of gazetteer place a provider's answer is: a country, a region or a point."""
    category, kind = entry.get("category"), entry.get("type")
    if kind == "country":
        return "country"
    if category == "boundary" or kind in _REGION_TYPES:
        return "region"
    return "city"


def live_geocoding_enabled() -> bool:
    """Whether ``EXCHANGES_LIVE_GEOCODING`` asks for live geocoding (1/true/yes/on)."""
    return os.environ.get(LIVE_ENV_VAR, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass
class Breaker:
    """The pause after a live failure: while open, no live look-ups are made.

    The app makes a new :class:`Geocoder` for every click, so the pause of the
    real service lives here, one per process (:data:`NOMINATIM_BREAKER`), and
    outlasts the click that tripped it. A geocoder given its own service (the
    tests' mocks) gets a breaker of its own.
    """

    open_until: float | None = None
    last_failure: Failure | None = None


NOMINATIM_BREAKER = Breaker()


class Geocoder:
    """Resolve names; see the module docstring for the order and the failure rules.

    ``geocoder`` is any geopy geocoder (tests pass a mock); by default a
    ``Nominatim`` is made on first live use. Thread-safe.
    """

    def __init__(
        self,
        gazetteer: Gazetteer,
        *,
        live: bool = False,
        cache_path: Path | None = None,
        geocoder: Any | None = None,
        timeout: float = 5.0,
        min_delay_seconds: float = MIN_NOMINATIM_DELAY,
        backoff_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        breaker: Breaker | None = None,
    ):
        if geocoder is None and min_delay_seconds < MIN_NOMINATIM_DELAY:
            raise ValueError(f"Nominatim allows at most one request every {MIN_NOMINATIM_DELAY} s")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.gazetteer = gazetteer
        self.live = live
        self.cache_path = cache_path  # None: the user's store
        self.cache_failures: list[Failure] = []
        self.timeout = timeout
        self.min_delay_seconds = min_delay_seconds
        self.backoff_seconds = backoff_seconds
        self.failures: list[Failure] = []
        self._geocoder = geocoder
        self._rate_limited: Callable[..., Any] | None = None
        self._clock = clock
        # circuit breaker: no live calls before breaker.open_until
        self._breaker = breaker or (NOMINATIM_BREAKER if geocoder is None else Breaker())
        self._lock = threading.RLock()  # guards the cache entries and the breaker
        self._live_lock = threading.Lock()  # one network look-up at a time
        self._entries: dict[str, dict[str, Any]] = self._read_cache()

    @classmethod
    def from_env(cls, gazetteer: Gazetteer, **kwargs: Any) -> Geocoder:
        """A geocoder whose live mode follows ``EXCHANGES_LIVE_GEOCODING``."""
        return cls(gazetteer, live=live_geocoding_enabled(), **kwargs)

    # ------------------------------------------------------------------ public

    def resolve(self, name: str) -> Resolution | Unresolved:
        """Resolve one name; never raises."""
        try:
            return self._resolve(name)
        except Exception as exc:  # never into the app; the reason is reported
            log.exception("geocoding %r failed unexpectedly", name)
            return Unresolved(query=str(name), reason=f"unexpected error: {exc!r}", kind="failed")

    def resolve_many(self, names: Iterable[str]) -> ResolveReport:
        """Resolve several names (each once, in order); a failure stops live calls for the rest."""
        resolved: list[Resolution] = []
        unresolved: list[Unresolved] = []
        failed_before = len(self.cache_failures)
        for name in dict.fromkeys(names):
            result = self.resolve(name)
            (resolved if isinstance(result, Resolution) else unresolved).append(result)
        return ResolveReport(resolved=resolved, unresolved=unresolved,
                             cache_failures=self.cache_failures[failed_before:])

    @property
    def backing_off(self) -> bool:
        """True while the circuit breaker is open after a live failure."""
        open_until = self._breaker.open_until
        return open_until is not None and self._clock() < open_until

    def cached(self) -> list[dict[str, Any]]:
        """The cache entries (copies), for display."""
        with self._lock:
            return [dict(e) for e in self._entries.values()]

    # ----------------------------------------------------------------- resolve

    def _resolve(self, name: str) -> Resolution | Unresolved:
        query = name.strip() if isinstance(name, str) else ""
        key = normalize_name(query)
        if not key:
            return Unresolved(query=str(name), reason="empty name", kind="invalid")

        place = self.gazetteer.lookup(query)
        if place is not None:
            return Resolution(query=query, provenance="gazetteer", lat=place.lat, lon=place.lon,
                              name=place.name, place_id=place.id, source=place.source)

        entry = self._cached_entry(self._cache_key(key))
        if entry is not None:
            return self._from_cache(query, entry)

        if not self.live:
            return Unresolved(query=query, kind="disabled",
                              reason="not in the gazetteer; live geocoding is off "
                              f"(set {LIVE_ENV_VAR}=1 to allow it)")
        return self._resolve_live(query, key)

    @staticmethod
    def _cache_key(normalized: str) -> str:
        return f"{PROVIDER}:{normalized}"

    @staticmethod
    def _from_cache(query: str, entry: dict[str, Any]) -> Resolution | Unresolved:
        when = entry.get("timestamp", "?")
        if entry.get("status") == "hit":
            return Resolution(
                query=query, provenance="cache", lat=float(entry["lat"]), lon=float(entry["lon"]),
                name=str(entry.get("display_name") or query),
                source=entry_source(entry), kind_hint=entry_kind(entry),
            )
        return Unresolved(query=query, kind="not_found",
                          reason=f"{PROVIDER} found nothing (cached answer of {when})")

    def _resolve_live(self, query: str, key: str) -> Resolution | Unresolved:
        skipped = self._breaker_open(query)
        if skipped is not None:
            return skipped
        # One live look-up at a time, and never a wait for another one: a second
        # caller is told to try again rather than blocked beyond the timeout.
        if not self._live_lock.acquire(blocking=False):
            return Unresolved(query=query, kind="skipped",
                              reason="another live look-up is in progress; try again")
        try:
            with self._lock:
                entry = self._entries.get(self._cache_key(key))
            if entry is not None:  # answered by the look-up we may have waited for
                return self._from_cache(query, entry)
            try:
                location = self._call_with_deadline(query)
            except Exception as exc:
                return self._record_failure(query, exc)
            entry = self._entry_for(query, location)
            with self._lock:
                self._breaker.open_until = None
                self._entries[self._cache_key(key)] = entry
                self._write_cache(self._cache_key(key), entry)
        finally:
            self._live_lock.release()
        result = self._from_cache(query, entry)
        if isinstance(result, Resolution):
            return result.model_copy(update={"provenance": "live"})
        return result

    def _breaker_open(self, query: str) -> Unresolved | None:
        with self._lock:
            if not self.backing_off:
                return None
            last = self._breaker.last_failure
        return Unresolved(
            query=query, kind="skipped",
            reason="live geocoding paused after a failure"
            + (f" ({last.reason}, {last.timestamp})" if last else ""),
        )

    @staticmethod
    def _entry_for(query: str, location: Any) -> dict[str, Any]:
        """The cache entry for a provider's answer (``None`` = nothing found)."""
        entry: dict[str, Any] = {"provider": PROVIDER, "query": query, "timestamp": _now()}
        if location is None:
            return {**entry, "status": "miss"}
        raw = getattr(location, "raw", None) or {}
        return {
            **entry, "status": "hit",
            "lat": float(location.latitude), "lon": float(location.longitude),
            "display_name": str(getattr(location, "address", "") or ""),
            "osm_type": raw.get("osm_type"), "osm_id": raw.get("osm_id"),
            "category": raw.get("class"), "type": raw.get("type"),
        }

    def _record_failure(self, query: str, exc: BaseException) -> Unresolved:
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        failure = Failure(query=query, provider=PROVIDER, timestamp=_now(), reason=reason)
        with self._lock:
            self.failures.append(failure)
            self._breaker.last_failure = failure
            self._breaker.open_until = self._clock() + self.backoff_seconds
        log.warning("live geocoding of %r failed (%s); pausing live look-ups for %.0f s",
                    query, reason, self.backoff_seconds)
        return Unresolved(query=query, kind="failed", reason=f"live geocoding failed: {reason}")

    # ---------------------------------------------------------------- network

    def _geocode_function(self) -> Callable[..., Any]:
        if self._rate_limited is None:
            from geopy.extra.rate_limiter import RateLimiter

            if self._geocoder is None:
                from geopy.geocoders import Nominatim

                self._geocoder = Nominatim(user_agent=USER_AGENT, timeout=self.timeout)
            self._rate_limited = RateLimiter(
                self._geocoder.geocode,
                min_delay_seconds=self.min_delay_seconds,
                max_retries=0,  # one try: the circuit breaker handles failures
                swallow_exceptions=False,
            )
        return self._rate_limited

    def _call_with_deadline(self, query: str) -> Any:
        """Call the geocoder in a daemon thread and give up after ``timeout`` seconds.

        geopy's own timeout bounds the HTTP exchange but not, e.g., a hung DNS
        look-up; the deadline makes sure the app never waits longer.
        """
        from geopy.exc import GeocoderTimedOut

        geocode = self._geocode_function()
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["value"] = geocode(query, exactly_one=True, timeout=self.timeout)
            except BaseException as exc:  # handed to the caller's thread
                outcome["error"] = exc

        worker = threading.Thread(target=run, name="exchanges-geocoder", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            raise GeocoderTimedOut(f"no answer within {self.timeout:g} s")
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    # ------------------------------------------------------------------ cache

    def _cached_entry(self, cache_key: str) -> dict[str, Any] | None:
        """An answer from the cache: this geocoder's, or one another session saved in the store since."""
        with self._lock:
            entry = self._entries.get(cache_key)
        if entry is not None or self.cache_path is not None:
            return entry
        try:
            entry = open_store().cache_entry(cache_key)
        except StoreError:
            return None
        if isinstance(entry, dict) and _valid_entry(entry):
            with self._lock:
                self._entries[cache_key] = entry
            return entry
        return None

    def _read_cache(self) -> dict[str, dict[str, Any]]:
        if self.cache_path is None:
            try:
                entries = open_store().cache_entries()
            except StoreError as exc:
                log.warning("the geocoder cache cannot be read (%s); starting empty", exc)
                return {}
            return {key: entry for key, entry in entries.items() if isinstance(entry, dict) and _valid_entry(entry)}
        return self._read_cache_file()

    def _read_cache_file(self) -> dict[str, dict[str, Any]]:
        path = self.cache_path
        if not path.exists():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
                raise ValueError(f"expected a version {CACHE_VERSION} cache object")
            entries = data.get("entries")
            if not isinstance(entries, dict) or not all(
                isinstance(e, dict) and _valid_entry(e) for e in entries.values()
            ):
                raise ValueError("malformed entries")
            return entries
        except (OSError, ValueError) as exc:
            backup = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
            try:
                os.replace(path, backup)
                kept = f"; kept as {backup}"
            except OSError:
                kept = ""
            log.warning("geocoder cache %s is unreadable (%s); starting empty%s", path, exc, kept)
            return {}

    def _write_cache(self, cache_key: str, entry: dict[str, Any]) -> None:
        """Save one answer: a row of the store (or the whole file, atomically). A failure is
        logged and recorded in :attr:`cache_failures`; the answer itself still stands."""
        if self.cache_path is None:
            try:
                with open_store().write() as writer:
                    writer.put_cache_entries({cache_key: entry})
            except StoreError as exc:
                self._cache_write_failed(entry, str(exc))
            return
        try:
            self._write_cache_file()
        except OSError as exc:
            self._cache_write_failed(entry, f"cannot write {self.cache_path}: {exc.strerror or exc}")
        except UserDataError as refused:  # a cache file among the shipped data is never written
            self._cache_write_failed(entry, refused.message)

    def _cache_write_failed(self, entry: dict[str, Any], reason: str) -> None:
        log.warning("could not save the geocoder answer for %r in the cache (%s); kept in memory only",
                    entry.get("query"), reason)
        self.cache_failures.append(Failure(query=str(entry.get("query")), provider="cache", timestamp=_now(),
                                           reason=f"the answer was not saved in the cache: {reason}"))

    def _write_cache_file(self) -> None:
        """Write the cache file atomically (``userdata.atomic_write_text``); ``OSError`` if it cannot."""
        text = json.dumps({"version": CACHE_VERSION, "entries": self._entries},
                          ensure_ascii=False, indent=1, sort_keys=True)
        atomic_write_text(self.cache_path, text)


def _valid_entry(entry: dict[str, Any]) -> bool:
    return entry.get("status") in {"hit", "miss"} and (entry["status"] == "miss" or {"lat", "lon"} <= entry.keys())
