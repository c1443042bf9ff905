"""Public page cache and its invalidation when a verdict is published or corrected."""
