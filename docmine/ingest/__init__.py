"""Parsing source files into Documents with pages: one module per format, picked by registry.py."""
