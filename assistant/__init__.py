"""norms: cited retrieval over cyber-norms documents (UN resolutions, reports, statements)."""

__version__ = "0.1.0"
