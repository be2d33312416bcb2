"""Build the index: embed paragraphs, write vectors, FAISS and BM25 files to the index folder."""
