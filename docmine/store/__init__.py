"""The case file: one SQLite database, owned by Store, which holds every SQL string."""

from docmine.store.reader import EXPORT_TABLES
from docmine.store.store import Store

__all__ = ["EXPORT_TABLES", "Store"]
