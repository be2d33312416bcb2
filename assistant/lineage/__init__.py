"""Lineage: where a paragraph's language appears across documents, and document comparison."""
