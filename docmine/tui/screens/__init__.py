"""Screens of the terminal UI: search, document, ingest, and the modal dialogs."""
