"""Where the generator finds its templates and configuration, and where a project keeps its files.

The templates and the default config travel with the generator (a checkout, or the wheel pre-commit
installs). A project is found from the working directory: the nearest folder, upwards, whose
`pyproject.toml` has a `[tool.layer-codegen]` table. That table may move the project's spec, its
generated distribution and its config folder (`spec = "api/layer.yaml"`); every command reads and
writes those, never the installed generator's.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CONFIG",
    "GENERATOR",
    "MARKER",
    "RELEASE",
    "TEMPLATES",
    "Layout",
    "LayoutError",
    "config_file",
    "find_layout",
    "load_layout",
]

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
MARKER = "pyproject.toml"
"""The file that makes a folder a project, when it has a `[tool.layer-codegen]` table."""
_TABLE = "layer-codegen"
_DEFAULTS = {"spec": "spec/layer.yaml", "output": "generated", "config": "generator/config"}
"""The keys of `[tool.layer-codegen]`: each a path relative to the project folder, and its default."""
RELEASE = "release.toml"


class LayoutError(Exception):
    """No project here, or its `[tool.layer-codegen]` table is malformed."""


@dataclass(frozen=True)
class Layout:
    """A project's folder and the paths inside it that commands read and write."""

    root: Path
    spec: Path
    """The OpenAPI document, the default of `--spec`."""
    output: Path
    """The generated distribution, the default of `--output`."""
    config: Path
    """The project's config folder: `project.toml`, `release.toml` and the generators' options."""


def config_file(folder: Path, name: str) -> Path:
    """The config file `name` in a project's config `folder`, else the installed generator's."""
    own = folder / name
    return own if own.is_file() or not (CONFIG / name).is_file() else CONFIG / name


def load_layout(root: Path) -> Layout:
    """The layout of the project in `root`, whose `pyproject.toml` must have `[tool.layer-codegen]`."""
    marker = root / MARKER
    if not marker.is_file():
        raise LayoutError(f"{root} is not a project: it has no {MARKER}")
    table = _table(marker)
    if table is None:
        raise LayoutError(f"{root} is not a project: its {MARKER} has no [tool.{_TABLE}] table")
    if not isinstance(table, dict):
        raise LayoutError(f"{marker}: tool.{_TABLE} must be a table")
    for key, value in table.items():
        if key not in _DEFAULTS:
            expected = ", ".join(_DEFAULTS)
            raise LayoutError(f"{marker}: unknown key tool.{_TABLE}.{key}; expected one of: {expected}")
        if not isinstance(value, str) or not value:
            raise LayoutError(f"{marker}: tool.{_TABLE}.{key} must be a path relative to {root}")
    paths = {key: root / table.get(key, default) for key, default in _DEFAULTS.items()}
    return Layout(root, paths["spec"], paths["output"], paths["config"])


def _table(marker: Path) -> object:
    """The `[tool.layer-codegen]` value of a `pyproject.toml`, None when it has none."""
    try:
        data = tomllib.loads(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LayoutError(f"{marker}: {exc}") from exc
    tool = data.get("tool")
    return tool.get(_TABLE) if isinstance(tool, dict) else None


def find_layout(start: Path) -> Layout:
    """The project `start` is in: the nearest folder upwards whose `pyproject.toml` marks one."""
    start = start.resolve()
    for folder in (start, *start.parents):
        marker = folder / MARKER
        if marker.is_file() and _table(marker) is not None:
            return load_layout(folder)
    raise LayoutError(
        f"{start} is not inside a project: no {MARKER} with a [tool.{_TABLE}] table here or above; "
        "run in a project or pass --project DIR"
    )
