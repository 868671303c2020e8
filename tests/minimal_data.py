"""The tiny data set of ``tests/fixtures/data_minimal`` and a user event that fits it, shared by the
loader's tests (``test_loader``) and the readers' fuzz suite (``test_fuzz_readers``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "data_minimal"
PLACES = frozenset({"capital-a", "border-a", "town-b"})
"""Stand-in gazetteer: the loader only needs ``in``."""

USER_EVENT: dict[str, Any] = {
    "id": "user-crossings",
    "title": "Crossings noted by a teacher",
    "date": "1959-04-16",
    "date_precision": "half_month",
    "event_type": "border_crossing",
    "places": ["border-a"],
    "figures": [{"low": 1000, "approximate": True, "what": "people on some days", "quote": "thousands"}],
    "summary": "On some days thousands crossed.",
    "themes": ["border"],
    "source": {"document": "note-1", "passage": "on certain days thousands did"},
}
"""A valid user event (a record as in a user's events file) for the minimal data set."""
