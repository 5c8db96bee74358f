"""Dutch language processing: text analysis for search, and the entity pipeline with its normalisers."""
