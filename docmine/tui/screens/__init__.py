"""Screens of the terminal UI: search, document, entities, trace, ingest, and the modal dialogs."""
