"""The counts a report and a summary are made of, kept up to date file by file."""
