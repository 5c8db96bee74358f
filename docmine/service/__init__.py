"""The service layer: ``Docmine``, the one API that the CLI, the TUI and exports call."""

from docmine.search.searcher import SEARCH_MODES, SearchResults, TraceResults
from docmine.service.core import Docmine, check_merge_sources
from docmine.service.filters import FilterError, parse_label
from docmine.service.ingest import IngestProgress, IngestReport, IngestStopped, extract_spec_of

__all__ = [
    "SEARCH_MODES",
    "Docmine",
    "FilterError",
    "IngestProgress",
    "IngestStopped",
    "IngestReport",
    "SearchResults",
    "TraceResults",
    "check_merge_sources",
    "extract_spec_of",
    "parse_label",
]
