"""Woo releases: inventory lists, redaction boxes, bundles split into documents, the decision letter.

Reads files and stored pages; knows nothing of SQL (``docmine.store.woo`` keeps what it finds).
"""
