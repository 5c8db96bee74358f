"""`python -m docmine.cli`: the docmine command."""

from docmine.cli import run

run()
