"""Scanning a tree: files -> extractions -> an index, with the caches that make it incremental."""
