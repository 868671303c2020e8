"""A synthetic, schema-valid catalog of N events, written as a user data folder.

    .venv/bin/python bench/synthetic.py 3000 /tmp/synthetic-3000
    EXCHANGES_USER_DATA=/tmp/synthetic-3000 .venv/bin/streamlit run app.py

The benchmarks (and the scale tests) measure the app at 32, 300, 3,000 and
30,000 events. The shipped 32 events stay; ``N - 32`` synthetic events are
added as a teacher's own would be: documents of about 60 events each
(``sources/<id>.yaml`` + ``sources/documents/<id>.txt``), their events in
``events/<id>.yaml``. Every event is valid against the shipped data: its
places are gazetteer ids, its actors and themes exist, its passage is a
sentence of its document, and its figures' quotes occur in that passage.

Dates spread over 1945–1970 with every precision, spans and "by" bounds in
roughly the shipped data's proportions; places spread over the gazetteer,
weighted towards a few busy places, as real collections are. The output is a
pure function of ``(n, seed)``: the same arguments write the same files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_EVENTS = 32
EVENTS_PER_DOCUMENT = 60

EVENT_TYPES = [
    "letter", "statement", "reply", "meeting", "talk", "report", "proposal",
    "decision", "recruitment", "border_crossing", "border_measure", "repatriation", "other",
]
VERBS = {
    "letter": "wrote to", "statement": "issued a statement to", "reply": "replied to",
    "meeting": "met", "talk": "held talks with", "report": "reported to",
    "proposal": "made a proposal to", "decision": "took a decision informing",
    "recruitment": "recruited workers through", "border_crossing": "saw people cross the border near",
    "border_measure": "tightened the border regime with", "repatriation": "repatriated citizens with",
    "other": "dealt with",
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def _shipped_ids() -> tuple[list[str], list[str], list[str]]:
    """Place, actor and theme ids of the shipped data (read from the files)."""
    with (ROOT / "geodata" / "gazetteer.csv").open(encoding="utf-8") as handle:
        places = [row["id"] for row in csv.DictReader(handle)]
    actors = [record["id"] for record in yaml.safe_load((ROOT / "data" / "actors.yaml").read_text("utf-8"))]
    themes = [record["id"] for record in yaml.safe_load((ROOT / "data" / "themes.yaml").read_text("utf-8"))]
    return places, actors, themes


def _date_fields(rng: random.Random) -> dict:
    """A date with its precision (and sometimes a span or a "by" bound)."""
    year = rng.randint(1945, 1970)
    month = rng.randint(1, 12)
    roll = rng.random()
    if roll < 0.55:
        day = rng.randint(1, 28)
        fields = {"date": dt.date(year, month, day), "date_precision": "day",
                  "date_label": f"{day} {MONTHS[month - 1]} {year}"}
        if rng.random() < 0.15:
            fields.update(date_bound="by", date_label=f"By {day} {MONTHS[month - 1]} {year}")
        elif rng.random() < 0.1:
            fields["end_date"] = dt.date(year, month, min(28, day + rng.randint(1, 10)))
        return fields
    if roll < 0.65:
        day = rng.choice([1, 16])
        half = "first" if day == 1 else "second"
        return {"date": dt.date(year, month, day), "date_precision": "half_month",
                "date_label": f"The {half} half of {MONTHS[month - 1]} {year}"}
    if roll < 0.85:
        return {"date": dt.date(year, month, 1), "date_precision": "month",
                "date_label": f"{MONTHS[month - 1]} {year}"}
    if roll < 0.92:
        start = rng.choice([3, 6, 9])
        return {"date": dt.date(year, start, 1), "date_precision": "season",
                "end_date": dt.date(year, start + 2, 28),
                "date_label": f"{MONTHS[start - 1]}–{MONTHS[start + 1]} {year}"}
    return {"date": dt.date(year, 1, 1), "date_precision": "year", "date_label": str(year)}


def _event(index: int, document_id: str, rng: random.Random, places: list[str], weights: list[float],
           actors: list[str], themes: list[str]) -> tuple[dict, str]:
    """One event and the sentence of its document that it cites."""
    event_type = rng.choice(EVENT_TYPES)
    sender, recipient = rng.sample(actors, 2)
    event_places = sorted(set(rng.choices(places, weights=weights, k=rng.choice([0, 1, 1, 1, 2]))))
    count = rng.randint(2, 5000)
    where = f" in {' and '.join(event_places)}" if event_places else ""
    sentence = (f"Item {index}: the {sender} {VERBS[event_type]} the {recipient}{where}, "
                f"and {count:,} people were concerned.")
    event = {
        "id": f"synthetic-{index:06d}",
        "title": f"Synthetic {event_type.replace('_', ' ')} number {index} between {sender} and {recipient}",
        **_date_fields(rng),
        "event_type": event_type,
        "sender": [sender],
        "recipient": [recipient],
        "places": event_places,
        "figures": [{"low": count, "what": "people concerned", "quote": f"{count:,} people"}]
        if rng.random() < 0.4 else [],
        "summary": f"A synthetic event made by bench/synthetic.py for measuring the app ({index}).",
        "themes": rng.sample(themes, rng.randint(0, 2)),
        "source": {"document": document_id, "passage": sentence},
    }
    return event, sentence


def write_catalog(n_events: int, out: Path, seed: int = 1962) -> Path:
    """Write a user data folder with ``n_events - 32`` synthetic events into ``out``."""
    places, actors, themes = _shipped_ids()
    rng = random.Random(seed)
    # A few busy places, a long tail: the first places carry most events.
    weights = [1.0 / (rank + 1) for rank in range(len(places))]
    rng.shuffle(weights)
    (out / "events").mkdir(parents=True, exist_ok=True)
    (out / "sources" / "documents").mkdir(parents=True, exist_ok=True)
    total = max(0, n_events - SHIPPED_EVENTS)
    for first in range(0, total, EVENTS_PER_DOCUMENT):
        document_id = f"synthetic-document-{first // EVENTS_PER_DOCUMENT:05d}"
        events, sentences = [], []
        for index in range(first, min(total, first + EVENTS_PER_DOCUMENT)):
            event, sentence = _event(index, document_id, rng, places, weights, actors, themes)
            events.append(event)
            sentences.append(sentence)
        record = {"id": document_id, "title": f"Synthetic document {first // EVENTS_PER_DOCUMENT}",
                  "date": max(event.get("end_date", event["date"]) for event in events),
                  "file": f"{document_id}.txt"}
        (out / "sources" / "documents" / f"{document_id}.txt").write_text("\n".join(sentences) + "\n", "utf-8")
        (out / "sources" / f"{document_id}.yaml").write_text(
            yaml.safe_dump([record], sort_keys=False, allow_unicode=True), "utf-8")
        (out / "events" / f"{document_id}.yaml").write_text(
            yaml.safe_dump(events, sort_keys=False, allow_unicode=True), "utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", type=int, help="total number of events, the 32 shipped ones included")
    parser.add_argument("out", type=Path, help="the user data folder to write (made if missing)")
    parser.add_argument("--seed", type=int, default=1962)
    args = parser.parse_args(argv)
    write_catalog(args.events, args.out, args.seed)
    print(f"{args.events} events ({args.events - SHIPPED_EVENTS} synthetic) written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
