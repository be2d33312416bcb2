"""`python -m assistant` runs the norms command."""

from .cli import run

run()
