"""depreport: index every import of a code base and measure how far a library is adopted."""

__version__ = "0.1.0"
