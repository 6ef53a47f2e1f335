"""The last touches of a build: ruff's import sorting and formatting, then the one-line headers.

They come after every stage, so templates and generators need not care about layout or headers.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.build.headers import COMMENT_STYLES, COPIED_HEADER, HEADER, header_line
from generator.build.runtime_copy import runtime_source
from generator.errors import GenerationError
from generator.paths import TEMPLATES


def _ruff(*args: str, cwd: Path) -> None:
    command = [sys.executable, "-m", "ruff", *args]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise GenerationError(f"ruff {args[0]} failed: {(result.stdout + result.stderr).strip()}")


def format_tree(target: Path) -> None:
    """Sort imports and format with ruff, isolated from any project config, with a fixed rule set."""
    common = ["--isolated", "--no-cache", "--target-version", "py311", "--line-length", "110"]
    _ruff("check", *common, "--select", "I,F401", "--fix-only", "--exit-zero", ".", cwd=target)
    _ruff("format", *common, ".", cwd=target)


def add_headers(target: Path, package_dir: Path) -> None:
    """Start every generated file with the one-line header (once).

    A runtime module copied into `package_dir` gets `COPIED_HEADER`, naming the file to edit,
    since regenerating from the spec would never change it.
    """
    for path in sorted(target.rglob("*")):
        style = COMMENT_STYLES.get(path.suffix)
        if not path.is_file() or style is None:
            continue
        source = runtime_source(path, package_dir)
        if source is None:
            header = HEADER
        else:
            header = COPIED_HEADER.format(source=f"templates/{source.relative_to(TEMPLATES).as_posix()}")
        text = path.read_text(encoding="utf-8")
        line = header_line(style, header)
        if not text.startswith(line):
            path.write_text(line + text, encoding="utf-8")
