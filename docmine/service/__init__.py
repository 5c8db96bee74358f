"""The service layer: ``Docmine``, the one API that the CLI, the TUI and exports call."""

from docmine.search.searcher import SEARCH_MODES, SearchResults, TraceResults
from docmine.service.core import Docmine, IngestProgress, IngestReport, check_merge_sources, extract_spec_of
from docmine.service.filters import FilterError, parse_label

__all__ = [
    "SEARCH_MODES",
    "Docmine",
    "FilterError",
    "IngestProgress",
    "IngestReport",
    "SearchResults",
    "TraceResults",
    "check_merge_sources",
    "extract_spec_of",
    "parse_label",
]
