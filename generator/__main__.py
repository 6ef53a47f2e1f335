"""Allows `python -m generator`, the same as the `layer-codegen` console script."""

from generator.cli import main

main()
