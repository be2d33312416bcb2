"""Answer questions from a loaded index: references, fusion, grouping, highlights, evaluation."""
