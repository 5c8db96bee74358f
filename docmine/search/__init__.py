"""Search: query parsing and FTS5 expressions, ranking, snippets; later embeddings and fusion."""
