"""Lineage: where a paragraph's language appears across documents, and document comparison."""

TRACE_LIMIT = 100  # default number of related paragraphs a trace keeps (`norms trace --limit`, chat, briefings)
