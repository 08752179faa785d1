"""Adoption over time: groups as a view over stored counts, weeks, backfill, publishing, exports."""
