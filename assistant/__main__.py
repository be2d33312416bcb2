"""`python -m assistant` runs the norms command."""

from assistant.cli.main import run

run()
