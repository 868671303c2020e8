"""How well "Add a document" reads real archive texts, against hand-made annotations.

    .venv/bin/python bench/bench_ingest.py TEXT_DIR [--annotations PATH] [--verbose]
    .venv/bin/python bench/bench_ingest.py --speed [--size-mb 1] [--runs 3]

``TEXT_DIR`` holds ``D01.txt`` … (the texts are not in this repository: see the
annotations' README for how to get them). The default annotations are
``../shared/eval/ingest-dev/annotations.yaml`` relative to the repository.
Each text is analysed as ``python -m exchanges ingest`` does it (shipped
gazetteer and actors, no geocoding, no ``--date``), and the script prints per
document and in total:

* places: an annotated place is found when a place the extractor puts on the
  map (a gazetteer place named or implied in the text) carries one of its
  names as written or in the gazetteer; a proposal is correct when it carries
  a name of an annotated place. Counted per distinct place. The names the
  gazetteer lacks ("candidates", listed for the reader to place on the review
  page, never put on the map by themselves) are scored apart, and together
  with the places in a second line.
* dates: a date phrase found is correct when its first and last day equal an
  annotated date's (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``A/B``). Counted per
  distinct value. Relative phrases on their own ("this year") are not dates of
  the annotation scheme and are not counted.
* figures: a figure found is correct when its value (or low/high) equals an
  annotated figure's. Counted per distinct value.
* events: an annotated event is matched by a draft with the same date within
  its precision (the draft's span lies within the event's, or the event's day
  lies within a draft span of month precision or finer) and the same kind of
  exchange: "→" a communication (letter, statement, reply, report, proposal),
  "↔" a meeting or conversation (meeting, talk; an agreement counts as both);
  an event without an arrow names no sender and recipient (a happening, or a
  pronouncement whose addressee the text does not give) and is matched by a
  draft of any type. Events annotated "undated" cannot be matched by date and
  are counted apart. A draft matches nothing when it
  matches no annotated event by that rule.

Measured span: where ``complete: false`` the annotation covers only the first
``ANNOTATED_CHARS`` characters of the page, so only what starts before that
offset is counted (mentions, and drafts by their passage's start); where
``complete: true`` the whole text is counted.

Peers on the same texts, where installed: ``geotext`` (places) and
``dateparser.search.search_dates`` (dates), scored by the same rules.

``--speed`` times the analyser on a generated document of ``--size-mb`` MB
(issue 13: linear in the text, ≤ 2 s per MB; ``--dated-share`` sets how many
of its sentences state dates, figures and places: 1.0, every one, is the
worst case), at a quarter, half and all of that size (the seconds per MB
should stay level: linear), the drafts made from it, and against the naive alternative,
``search_dates`` over the whole text, on a smaller slice (it is too slow for a
whole megabyte), with the per-MB ratio, from interleaved runs (medians of CPU seconds of the
process, ``time.process_time``: wall time on a shared machine measures the
neighbours).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from exchanges.gazetteer import Gazetteer
from exchanges.ingest.analysis import Analysis, analyse_document
from exchanges.ingest.dates import natural_end
from exchanges.ingest.drafts import DraftSet, propose_events
from exchanges.ingest.places import NameMatcher
from exchanges.ingest.text import fold_name
from exchanges.loader import load_catalog
from exchanges.models import DatePrecision, EventType

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ANNOTATIONS = REPO / ".." / "shared" / "eval" / "ingest-dev" / "annotations.yaml"
ANNOTATED_CHARS = 2000
"""The annotations cover the first ~2,000 characters of a page (README of the dev set)."""

COMMUNICATION = {EventType.letter, EventType.statement, EventType.reply, EventType.report, EventType.proposal}
MEETING = {EventType.meeting, EventType.talk}
AGREEMENT_WORDS = re.compile(r"(?i)\b(agreement|treaty|accord|protocol|communiqu)")

Range = tuple[dt.date, dt.date]


# --------------------------------------------------------------------------- gold


def gold_range(value: object) -> Range | None:
    """``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``A/B`` (each part any of those) as first/last day."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
    if "/" in text:
        first, last = (gold_range(part) for part in text.split("/", 1))
        return (first[0], last[1]) if first and last else None
    parts = text.split("-")
    try:
        if len(parts) == 3:
            day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            return day, day
        if len(parts) == 2:
            first = dt.date(int(parts[0]), int(parts[1]), 1)
            return first, natural_end(first, DatePrecision.month)
        if len(parts) == 1 and parts[0].isdigit():
            return dt.date(int(parts[0]), 1, 1), dt.date(int(parts[0]), 12, 31)
    except ValueError:
        return None
    return None


def gold_figure(value: object) -> tuple[int, int | None]:
    if isinstance(value, str) and "/" in value:
        low, high = value.split("/", 1)
        return int(low), int(high)
    return int(value), None


@dataclass(frozen=True)
class GoldEvent:
    line: str
    when: Range | None  # None: undated
    kind: str  # "communication", "meeting" or "happening"


def gold_event(line: str) -> GoldEvent:
    head, _, rest = line.partition(":")
    token = re.match(r"\s*([\d/-]+)", head)
    when = gold_range(token.group(1)) if token else None
    who = rest.split(":", 1)[0]
    kind = "communication" if "→" in who else "meeting" if "↔" in who else "happening"
    return GoldEvent(line, when, kind)


# --------------------------------------------------------------------------- scoring


@dataclass
class Score:
    found: int = 0  # annotated items found
    wanted: int = 0  # annotated items
    correct: int = 0  # proposals that are right
    proposed: int = 0  # proposals
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.found += other.found
        self.wanted += other.wanted
        self.correct += other.correct
        self.proposed += other.proposed

    @property
    def recall(self) -> float | None:
        return self.found / self.wanted if self.wanted else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.proposed if self.proposed else None


def score_sets(gold: list[object], proposed: list[object], same: Callable[[object, object], bool],
               show: Callable[[object], str] = str) -> Score:
    score = Score(wanted=len(gold), proposed=len(proposed))
    for item in gold:
        if any(same(item, p) for p in proposed):
            score.found += 1
        else:
            score.misses.append(show(item))
    for p in proposed:
        if any(same(item, p) for item in gold):
            score.correct += 1
        else:
            score.wrong.append(show(p))
    return score


def place_score(gold_places: list[dict], proposals: list[frozenset[str]]) -> Score:
    gold = [frozenset(fold_name(n) for n in place["names"]) for place in gold_places]
    return score_sets(gold, proposals, lambda g, p: bool(g & p), lambda names: "/".join(sorted(names)))


def date_score(gold_dates: list[dict], proposals: Iterable[Range]) -> Score:
    gold = list(dict.fromkeys(r for d in gold_dates if (r := gold_range(d["date"])) is not None))
    return score_sets(gold, list(dict.fromkeys(proposals)), lambda g, p: g == p, _show_range)


def figure_score(gold_figures: list[dict], proposals: Iterable[tuple[int, int | None]]) -> Score:
    gold = list(dict.fromkeys(gold_figure(f["value"]) for f in gold_figures))
    return score_sets(gold, list(dict.fromkeys(proposals)), lambda g, p: g == p)


def _show_range(value: Range) -> str:
    first, last = value
    return first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}"


def draft_kinds(event_type: EventType, title: str) -> set[str]:
    if event_type in COMMUNICATION:
        kinds = {"communication"}
    elif event_type in MEETING:
        kinds = {"meeting"}
    else:
        kinds = {"happening"}
    if AGREEMENT_WORDS.search(title):
        kinds |= {"meeting", "communication"}
    return kinds


def draft_matches(gold: GoldEvent, draft_range: Range | None, precision: DatePrecision, kinds: set[str]) -> bool:
    if gold.when is None or draft_range is None or (gold.kind != "happening" and gold.kind not in kinds):
        return False
    (g0, g1), (d0, d1) = gold.when, draft_range
    if g0 <= d0 and d1 <= g1:
        return True
    fine = precision in (DatePrecision.day, DatePrecision.half_month, DatePrecision.month)
    return fine and d0 <= g0 and g1 <= d1


@dataclass
class EventScore:
    matched: int = 0
    dated: int = 0
    undated: int = 0
    drafts: int = 0
    unmatched_drafts: int = 0
    misses: list[str] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)

    def add(self, other: EventScore) -> None:
        self.matched += other.matched
        self.dated += other.dated
        self.undated += other.undated
        self.drafts += other.drafts
        self.unmatched_drafts += other.unmatched_drafts


def event_score(gold_lines: list[str], draft_set: DraftSet, limit: int | None) -> EventScore:
    gold = [gold_event(line) for line in gold_lines]
    drafts = []
    for draft in draft_set.drafts:
        if limit is not None and draft.sentence_start >= limit:
            continue
        event = draft.event
        if event.date is None:
            span = None
        else:
            span = (event.date, event.end_date or natural_end(event.date, event.date_precision))
        drafts.append((span, event.date_precision, draft_kinds(event.event_type, event.title), event.title))
    score = EventScore(dated=sum(g.when is not None for g in gold), undated=sum(g.when is None for g in gold),
                       drafts=len(drafts))
    for g in gold:
        if g.when is None:
            continue
        if any(draft_matches(g, *d[:3]) for d in drafts):
            score.matched += 1
        else:
            score.misses.append(g.line[:90])
    for d in drafts:
        if not any(draft_matches(g, *d[:3]) for g in gold):
            score.unmatched_drafts += 1
            score.stray.append(f"{d[3]} ({_show_range(d[0]) if d[0] else 'date to fill in'})")
    return score


# --------------------------------------------------------------------------- our extractor


def place_proposals(analysis: Analysis, gazetteer: Gazetteer, limit: int | None) -> list[frozenset[str]]:
    """One proposal per distinct gazetteer place: its names and the forms written."""
    by_id: dict[str, set[str]] = {}
    for mention in analysis.places:
        if limit is not None and mention.start >= limit:
            continue
        place = gazetteer.get(mention.id)
        names = by_id.setdefault(mention.id, set(place.names) if place else {mention.name})
        names.add(mention.text)
    return [frozenset(fold_name(n) for n in names) for names in by_id.values()]


def candidate_proposals(analysis: Analysis, limit: int | None) -> list[frozenset[str]]:
    """One proposal per distinct candidate name (a name the gazetteer lacks)."""
    proposals = []
    seen: set[str] = set()
    for candidate in analysis.candidates:
        key = fold_name(candidate.name)
        if (limit is not None and candidate.start >= limit) or key in seen:
            continue
        seen.add(key)
        proposals.append(frozenset({key}))
    return proposals


def date_proposals(analysis: Analysis, limit: int | None) -> list[Range]:
    return [(d.date, d.end_date) for d in analysis.dates
            if d.kind != "relative" and (limit is None or d.start < limit)]


def figure_proposals(analysis: Analysis, limit: int | None) -> list[tuple[int, int | None]]:
    return [(f.low, f.high) for f in analysis.figures if limit is None or f.start < limit]


# --------------------------------------------------------------------------- peers


def geotext_proposals(text: str, limit: int | None) -> list[frozenset[str]] | None:
    try:
        from geotext import GeoText  # noqa: PLC0415 - an optional peer, not a dependency
    except ImportError:
        return None
    found = GeoText(text[:limit] if limit else text)
    names = {*found.cities, *found.countries}
    return [frozenset({fold_name(n)}) for n in names]


def dateparser_proposals(text: str, limit: int | None) -> list[Range]:
    from dateparser.search import search_dates  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = search_dates(text[:limit] if limit else text, languages=["en"],
                             settings={"RETURN_AS_TIMEZONE_AWARE": False}) or []
    return [(value.date(), value.date()) for _, value in found]


# --------------------------------------------------------------------------- report


def _pct(value: float | None) -> str:
    return "  -  " if value is None else f"{value:5.0%}"


def _pair(score: Score) -> str:
    return (f"{score.found:>2}/{score.wanted:<2} {_pct(score.recall)} "
            f"{score.correct:>2}/{score.proposed:<2} {_pct(score.precision)}")


HEADER = (f"{'doc':<4} {'doc date':<11} {'places rec':>10} {'  prec':>11} | {'dates rec':>10} {'  prec':>11} | "
          f"{'figures rec':>10} {'  prec':>11} | {'events':>11} {'stray drafts':>13}")


def run_dev_set(text_dir: Path, annotations: Path, verbose: bool) -> int:
    data = yaml.safe_load(annotations.read_text(encoding="utf-8"))["documents"]
    gazetteer = Gazetteer.load()
    catalog = load_catalog(gazetteer=gazetteer)
    actors = list(catalog.actors.values())
    matcher = NameMatcher.from_gazetteer(gazetteer)
    totals = {name: Score() for name in ("places", "dates", "figures", "geotext", "dateparser", "candidates",
                                         "with candidates")}
    events_total = EventScore()
    doc_dates = [0, 0]
    print(HEADER)
    missing = []
    for doc_id, gold in data.items():
        path = text_dir / f"{doc_id}.txt"
        if not path.exists():
            missing.append(doc_id)
            continue
        text = path.read_text(encoding="utf-8")
        limit = None if gold.get("complete") else ANNOTATED_CHARS
        analysis = analyse_document(text, gazetteer, actors=actors, place_matcher=matcher)
        try:
            drafts = propose_events(analysis)
        except ValueError:  # an older extractor refused documents without a date
            drafts = DraftSet(document=None, text=analysis.text)  # type: ignore[arg-type]
        placed = place_proposals(analysis, gazetteer, limit)
        candidates = candidate_proposals(analysis, limit)
        scores = {
            "places": place_score(gold.get("places") or [], placed),
            "candidates": place_score(gold.get("places") or [], candidates),
            "with candidates": place_score(gold.get("places") or [], placed + candidates),
            "dates": date_score(gold.get("dates") or [], date_proposals(analysis, limit)),
            "figures": figure_score(gold.get("figures") or [], figure_proposals(analysis, limit)),
        }
        geo = geotext_proposals(analysis.text, limit)
        if geo is not None:
            scores["geotext"] = place_score(gold.get("places") or [], geo)
        scores["dateparser"] = date_score(gold.get("dates") or [], dateparser_proposals(analysis.text, limit))
        events = event_score(gold.get("events") or [], drafts, limit)
        for name, score in scores.items():
            totals[name].add(score)
        events_total.add(events)
        found_date = getattr(analysis, "document_date", analysis.anchor)
        gold_date = gold_range(gold["date"]) if gold.get("date") else None
        date_ok = _document_date_ok(found_date, gold_date)
        doc_dates[0] += date_ok
        doc_dates[1] += 1
        shown = found_date.isoformat() if found_date else "none"
        print(f"{doc_id:<4} {shown:<10}{'✓' if date_ok else '✗'} {_pair(scores['places'])} | "
              f"{_pair(scores['dates'])} | "
              f"{_pair(scores['figures'])} | {events.matched:>2}/{events.dated:<2}(+{events.undated}u) "
              f"{events.unmatched_drafts:>3}/{events.drafts:<3}")
        if verbose:
            for name, score in scores.items():
                if name in ("geotext", "dateparser", "with candidates"):
                    continue
                if score.misses:
                    print(f"     missed {name}: {score.misses}")
                if score.wrong:
                    print(f"     wrong {name}: {score.wrong}")
            if events.misses:
                print(f"     missed events: {events.misses}")
            if events.stray:
                print(f"     stray drafts: {events.stray}")
    print("-" * len(HEADER))
    print(f"{'all':<4} {doc_dates[0]:>2}/{doc_dates[1]:<2} right {_pair(totals['places'])} | "
          f"{_pair(totals['dates'])} | "
          f"{_pair(totals['figures'])} | {events_total.matched:>2}/{events_total.dated:<2}(+{events_total.undated}u) "
          f"{events_total.unmatched_drafts:>3}/{events_total.drafts:<3}")
    matched = events_total.matched / events_total.dated if events_total.dated else 0
    stray = events_total.unmatched_drafts / events_total.drafts if events_total.drafts else 0
    print(f"\nevents matched {matched:.0%} (target ≥ 70 %), drafts matching nothing {stray:.0%} (target ≤ 25 %)")
    print("targets: places recall ≥ 90 % at precision ≥ 95 %; dates ≥ 85 % at ≥ 90 %; figures ≥ 90 % and ≥ 90 %")
    print(f"\nnames the gazetteer lacks (candidates for review): {totals['candidates'].proposed} proposed, "
          f"{totals['candidates'].correct} of them annotated places; places and candidates together "
          f"{_pair(totals['with candidates'])}")
    print("\npeers on the same texts (same scoring):")
    print(f"  places  ours {_pair(totals['places'])}   geotext "
          + (_pair(totals["geotext"]) if totals["geotext"].wanted else "not installed (pip install geotext)"))
    print(f"  dates   ours {_pair(totals['dates'])}   dateparser.search_dates {_pair(totals['dateparser'])}")
    if missing:
        print(f"\ntexts not found in {text_dir}: {', '.join(missing)}")
    return 0


def _document_date_ok(found: dt.date | None, gold: Range | None) -> bool:
    if gold is None:
        return True  # the annotation has none: whatever the text's file number says is not wrong
    return found is not None and gold[0] <= found <= gold[1]


# --------------------------------------------------------------------------- speed


_SENTENCES = (
    "On {d} {m} {y} the Soviet Consul General in Kuldja handed a note to the Chinese side.",
    "About {n} citizens crossed the border near Tacheng in the spring of {y}.",
    "The Embassy reported on {m} {d} that {n} families had left Urumqi for Alma-Ata.",
    "Comrade Zhou Enlai met the Ambassador in Peking at 6:00 p.m.; see telegram No. {n}.",
    "In late {y} the two delegations discussed the Chinese Changchun Railway in Harbin.",
    "Nothing of note happened there, and the rest of the paragraph is ordinary prose.",
)
_PROSE = (
    "The Chinese side stated that it could not accept the proposal as worded and asked for time to consider it.",
    "Comrade Mesyatsev pointed out that the question had been raised before and that the answer was well known.",
    "It was agreed that both sides would inform their governments and meet again when instructions arrived.",
    "The local authorities, in the view of the Embassy, had not taken the measures the situation required.",
)
_MONTHS = ("January", "March", "May", "June", "August", "October", "December")


def generated_document(size: int, seed: int = 1, dated_share: float = 1.0) -> str:
    """A document of ``size`` characters: ``dated_share`` of its sentences state dates, figures
    and places (1.0: every one, the worst case; 0.25 is about a FRUS volume's density), the
    others are plain prose."""
    rng = random.Random(seed)
    lines = ["Report of the Consulate General", "January 7, 1952", ""]
    length = sum(len(line) + 1 for line in lines)
    while length < size:
        if rng.random() >= dated_share:
            line = rng.choice(_PROSE)
            lines.append(line)
            length += len(line) + 1
            continue
        template = rng.choice(_SENTENCES)
        line = template.format(d=rng.randint(1, 28), m=rng.choice(_MONTHS), y=rng.randint(1950, 1965),
                               n=rng.randint(2, 4000))
        lines.append(line)
        length += len(line) + 1
    return "\n".join(lines)


SCALE_STEPS = (0.25, 0.5, 1.0)
"""Shares of ``--size-mb`` timed to show the cost is linear in the text."""


def run_speed(size_mb: float, runs: int, dated_share: float) -> int:
    from dateparser.search import search_dates  # noqa: PLC0415

    gazetteer = Gazetteer.load()
    matcher = NameMatcher.from_gazetteer(gazetteer)
    texts = {step: generated_document(int(step * size_mb * 1_000_000), dated_share=dated_share)
             for step in SCALE_STEPS}
    text = texts[1.0]
    naive_slice = text[:50_000]
    analyses: dict[float, Analysis] = {}

    def ours(step: float) -> Callable[[], None]:
        def run() -> None:
            analyses[step] = analyse_document(texts[step], gazetteer, place_matcher=matcher)
        return run

    def drafts() -> None:
        propose_events(analyses[1.0])

    def naive() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            search_dates(naive_slice, languages=["en"])

    actions: dict[str, Callable[[], None]] = {f"ours {step}": ours(step) for step in SCALE_STEPS}
    actions["drafts"] = drafts  # after "ours 1.0", whose analysis it drafts from
    actions["naive"] = naive
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):  # interleaved; CPU time of this process (the machine is shared)
        for name, action in actions.items():
            start = time.process_time()
            action()
            times[name].append(time.process_time() - start)
    median = {name: statistics.median(values) for name, values in times.items()}
    per_mb = {step: median[f"ours {step}"] / (len(texts[step]) / 1e6) for step in SCALE_STEPS}
    ours_mb = per_mb[1.0]
    naive_mb = median["naive"] / (len(naive_slice) / 1e6)
    print(f"analyser, {len(text) / 1e6:.2f} MB generated document ({dated_share:.0%} of its sentences dated): "
          f"median {median['ours 1.0']:.2f} s "
          f"({ours_mb:.2f} s/MB; budget 2 s/MB)")
    print("linear in the text: " + ", ".join(
        f"{len(texts[step]) / 1e6:.2f} MB {median[f'ours {step}']:.2f} s ({per_mb[step]:.2f} s/MB)"
        for step in SCALE_STEPS)
        + f"; s/MB at the largest / the smallest: {per_mb[1.0] / per_mb[SCALE_STEPS[0]]:.2f}")
    print(f"drafts from that analysis (propose_events): median {median['drafts']:.2f} s; analysis and drafts "
          f"{(median['ours 1.0'] + median['drafts']) / (len(text) / 1e6):.2f} s/MB")
    print(f"naive: dateparser.search_dates over the whole text, on {len(naive_slice) / 1e3:.0f} KB: median "
          f"{median['naive']:.2f} s ({naive_mb:.1f} s/MB)")
    print(f"ratio naive/ours per MB: {naive_mb / ours_mb:.1f}x  (runs: {runs}, interleaved, medians)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("text_dir", type=Path, nargs="?", help="folder with D01.txt … D14.txt")
    parser.add_argument("--annotations", type=Path, default=DEFAULT_ANNOTATIONS)
    parser.add_argument("--verbose", "-v", action="store_true", help="list what was missed and what was wrong")
    parser.add_argument("--speed", action="store_true", help="time the analyser on a generated document instead")
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dated-share", type=float, default=1.0,
                        help="share of the generated sentences that state dates (1.0: the worst case)")
    args = parser.parse_args(argv)
    if args.speed:
        return run_speed(args.size_mb, args.runs, args.dated_share)
    if args.text_dir is None or not args.text_dir.is_dir():
        parser.error("give the folder of texts (TEXT_DIR) or --speed")
    if not args.annotations.exists():
        parser.error(f"annotations not found: {args.annotations}")
    return run_dev_set(args.text_dir, args.annotations, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
