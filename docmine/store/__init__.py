"""The case file: one SQLite database, owned by Store, which holds every SQL string."""

from docmine.store.store import Store

__all__ = ["Store"]
