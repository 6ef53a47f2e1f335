"""Where the generator finds its templates and configuration, in a checkout or installed."""

from __future__ import annotations

from pathlib import Path

GENERATOR = Path(__file__).resolve().parent
CONFIG = GENERATOR / "config"
# A checkout has `templates/` beside `generator/`; an installed generator (pre-commit installs it
# with pip) ships the same folder as the `layer_codegen_templates` package next to it.
TEMPLATES = next(
    (
        folder
        for folder in (GENERATOR.parent / "templates", GENERATOR.parent / "layer_codegen_templates")
        if folder.is_dir()
    ),
    GENERATOR.parent / "templates",
)
