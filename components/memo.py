"""Results made from the catalog and gazetteer, kept while those are the same objects.

The catalog and the gazetteer are loaded once per store revision
(``components.data``, ``st.cache_resource``), so "the same objects" means "the
same data": a save anywhere loads new ones, and what was made from the old ones
is made again. Unlike ``st.cache_data`` nothing is hashed or copied (a key is,
say, the tuple of the filtered events' ids), and unlike a key on the store's
revision it stays right when a test hands a page a catalog of its own.

Shared by every session of the process: a class looking at the same filter
state pays for the events table or the CSV once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class DataMemo(Generic[T]):
    """The last ``size`` results of ``build``, per key, while their sources are unchanged."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, tuple[tuple[Any, ...], T]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, sources: tuple[Any, ...], build: Callable[[], T]) -> T:
        """The result for ``key`` made from ``sources`` (compared by identity), made now if missing."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and len(entry[0]) == len(sources) and all(
                kept is given for kept, given in zip(entry[0], sources, strict=True)
            ):
                self._entries.move_to_end(key)
                return entry[1]
        value = build()  # outside the lock: two sessions may both build it, once each
        with self._lock:
            self._entries[key] = (sources, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value
