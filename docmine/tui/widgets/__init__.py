"""Widgets of the terminal UI: the results list, the facets, the page view."""
