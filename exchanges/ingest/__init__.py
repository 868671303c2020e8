"""Bring your own documents: turn a pasted archival text into reviewable draft events.

Pipeline: ``parse_document`` (header, body, archive blocks, citations, the
document's date and where it comes from) -> extractors (``NameMatcher``
places and actors, ``propose_candidates`` for unknown place names,
``propose_people`` for people who are not known actors, ``scan_dates``,
``find_figures``) -> ``analyse_document`` (all of them over one text; without
a document date, ``needs_date`` and ``date_request``) -> ``propose_events``
(draft ``Event`` objects, the date left empty when it cannot be known) ->
``write_draft`` / ``exchanges.userdata.save_document``. Measured against
annotated archive texts by ``bench/bench_ingest.py``.

Every extractor reports character offsets into the pasted text (line endings
normalised), so mentions can be highlighted and passages quoted verbatim. The
word lists the extractors use are data: ``lexicon.yaml`` in this package.
"""

from exchanges.ingest.analysis import Analysis, CandidateResolution, analyse_document, resolve_candidates
from exchanges.ingest.dates import DateMention, UnresolvedDate, find_dates, scan_dates
from exchanges.ingest.document import ParsedDocument, parse_document
from exchanges.ingest.drafts import Draft, DraftSet, propose_events, write_draft
from exchanges.ingest.figures import FigureMention, find_figures
from exchanges.ingest.places import NameMatcher, NameMention, PlaceCandidate, propose_candidates, propose_people

__all__ = [
    "Analysis",
    "CandidateResolution",
    "DateMention",
    "Draft",
    "DraftSet",
    "FigureMention",
    "NameMatcher",
    "NameMention",
    "ParsedDocument",
    "PlaceCandidate",
    "UnresolvedDate",
    "analyse_document",
    "find_dates",
    "find_figures",
    "parse_document",
    "propose_candidates",
    "propose_events",
    "propose_people",
    "resolve_candidates",
    "scan_dates",
    "write_draft",
]
