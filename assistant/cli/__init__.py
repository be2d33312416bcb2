"""The `norms` command line: one module per command family over the public engine API."""
