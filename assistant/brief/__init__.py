"""Briefings: a file of questions answered into a cited Markdown, HTML or JSON-lines report."""
