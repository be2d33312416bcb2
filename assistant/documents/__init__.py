"""Read documents: files to Documents, furniture stripped, chunked into citable Paragraphs."""
