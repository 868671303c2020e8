"""A process that saves to the user's store in a loop, for the crash test (tests/test_store_crash.py).

``python tests/store_saver.py FIRST`` (or :func:`run` in a forked process) saves round FIRST,
FIRST+1, … until killed. Each round is
one write transaction holding a document with its text, its set of events, a geocoder cache
entry, a line appended to places.csv and a tour (its YAML text: one step per event);
"ACK <round> <events> <text length>" is printed (flushed) only after the commit returns, so
every ACK is a save the user was told succeeded.
"""

from __future__ import annotations

import os
import random
import sys

from exchanges.store import open_store


def tour_text(number: int, events: int) -> str:
    steps = "".join(f"  - event: ev-{number}-{k}\n    caption: Step {k} of round {number}.\n" for k in range(events))
    return f"id: tour-{number}\ntitle: Round {number}\nsteps:\n{steps}"


def save_round(store, number: int, rng: random.Random) -> tuple[int, int]:  # noqa: ANN001
    events = rng.randint(1, 30)
    text = f"Text of round {number}. " * rng.randint(1, 600)  # up to ~15 KB: kills land mid-write
    doc_id = f"doc-{number}"
    with store.write() as writer:
        writer.put_document(doc_id, {"id": doc_id, "events": events, "length": len(text)}, text)
        writer.replace_set(doc_id, [{"id": f"ev-{number}-{k}", "round": number} for k in range(events)],
                           document_id=doc_id)
        writer.put_cache_entries({f"nominatim:round-{number}": {"status": "miss", "query": f"round {number}"}})
        places = writer.read_file("places.csv") or "id,name\n"
        writer.put_file("places.csv", f"{places}p{number},Place {number}\n")
        writer.put_tour(f"tour-{number}", tour_text(number, events))
    return events, len(text)


def run(number: int, out: int) -> None:
    """Save rounds from ``number`` on, writing READY and one ACK line per commit to the file descriptor ``out``."""
    rng = random.Random(number)
    store = open_store()
    os.write(out, b"READY\n")
    while True:
        events, length = save_round(store, number, rng)
        os.write(out, f"ACK {number} {events} {length}\n".encode())
        number += 1


if __name__ == "__main__":
    run(int(sys.argv[1]), sys.stdout.fileno())
