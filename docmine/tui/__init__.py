"""The terminal UI (``docmine tui``). Importing this package does not import Textual; ``app`` does."""
