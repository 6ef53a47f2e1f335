"""The last touches of a build: ruff's import sorting and formatting, then the one-line headers.

They come after the stages that write a file, so templates and generators need not care about
layout or headers. A part of the tree can be finished on its own (the client's child finishes all
but the models while datamodel-code-generator runs), with the same bytes as in one pass.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Sequence
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


def format_tree(target: Path, roots: Sequence[Path]) -> None:
    """Sort imports and format the `roots` (folders and files inside `target`) with ruff, isolated
    from any project config, with a fixed rule set.

    Each file comes out the same whether the tree is formatted in one pass or in parts, since no
    rule looks beyond its file (ruff runs in `target` either way, which makes the package first-party).
    """
    common = ["--isolated", "--no-cache", "--target-version", "py311", "--line-length", "110"]
    # Files ruff does not format (TOML, `py.typed`) may be among `roots`: it passes over them.
    paths = [root.relative_to(target).as_posix() for root in roots]
    if not paths:
        return
    _ruff("check", *common, "--select", "I,F401", "--fix-only", "--exit-zero", *paths, cwd=target)
    _ruff("format", *common, *paths, cwd=target)


def add_headers(package_dir: Path, roots: Sequence[Path]) -> None:
    """Start every generated file in `roots` with the one-line header (once).

    A runtime module copied into `package_dir` gets `COPIED_HEADER`, naming the file to edit,
    since regenerating from the spec would never change it.
    """
    for path in _files(roots):
        style = COMMENT_STYLES.get(path.suffix)
        if style is None:
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


def finish_files(target: Path, package_dir: Path, roots: Sequence[Path]) -> None:
    """Format, then add the headers: the last touches of the files in `roots` (inside `target`)."""
    format_tree(target, roots)
    add_headers(package_dir, roots)


def _files(roots: Iterable[Path]) -> list[Path]:
    found = set()
    for root in roots:
        if root.is_file():
            found.add(root)
        elif root.is_dir():
            found.update(path for path in root.rglob("*") if path.is_file())
    return sorted(found)
