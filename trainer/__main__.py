"""Run the command line as ``python -m trainer``."""

from .cli import main

main()
