"""Bring your own documents: turn a pasted archival text into reviewable draft events.

Pipeline: ``parse_document`` (header, body, archive block) -> extractors
(``NameMatcher`` places and actors, ``propose_candidates`` for unknown place
names, ``find_dates``, ``find_figures``) -> ``analyse_document`` (all of them
over one text) -> ``propose_events`` (draft ``Event`` objects) ->
``write_draft`` / ``exchanges.userdata.save_document``.

Every extractor reports character offsets into the pasted text (line endings
normalised), so mentions can be highlighted and passages quoted verbatim. The
word lists the extractors use are data: ``lexicon.yaml`` in this package.
"""

from exchanges.ingest.analysis import Analysis, CandidateResolution, analyse_document, resolve_candidates
from exchanges.ingest.dates import DateMention, find_dates
from exchanges.ingest.document import ParsedDocument, parse_document
from exchanges.ingest.drafts import Draft, DraftSet, propose_events, write_draft
from exchanges.ingest.figures import FigureMention, find_figures
from exchanges.ingest.places import NameMatcher, NameMention, PlaceCandidate, propose_candidates

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
    "analyse_document",
    "find_dates",
    "find_figures",
    "parse_document",
    "propose_candidates",
    "propose_events",
    "resolve_candidates",
    "write_draft",
]
