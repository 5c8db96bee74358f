"""The error tree: every error a person can cause carries a one-line message and a hint.

Standard library only. Third-party exceptions are wrapped once, at the boundary that meets them.
"""

from __future__ import annotations

# What a person can do next, named once: each front end phrases it for its medium (the CLI as a command,
# the terminal UI as its own words), so the layers below never write CLI flags into their hints.
ACTIONS = ("list-documents", "list-claims", "embed", "set-limit", "trace-claim", "set-ocr")


class DocmineError(Exception):
    """Base class: ``message`` says what went wrong, ``hint`` what to do about it, in words that fit any front
    end; ``action`` (one of ACTIONS) names the next step that a front end may spell out in its own terms."""

    def __init__(self, message: str, hint: str = "", action: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.action = action

    def __str__(self) -> str:
        return self.message


class IngestError(DocmineError):
    """A file could not be parsed (corrupt, encrypted, empty, over a limit...)."""

    def __init__(self, path: str, message: str, hint: str = "", page: int | None = None) -> None:
        super().__init__(message, hint)
        self.path = path
        self.page = page


class UnsupportedFormat(IngestError):
    pass


class StoreError(DocmineError):
    """The case file cannot be opened or is not a docmine database."""


class DocumentNotFound(DocmineError):
    pass


class QueryError(DocmineError):
    """A search query or filter that cannot be run."""


class ModelNotFound(DocmineError):
    """A model (spaCy pipeline, embedding model) is missing."""
