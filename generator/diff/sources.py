"""Reading the OLD and NEW arguments of `layer-codegen diff`: a spec file, or `REV:PATH` in git."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator.spec.loader import SpecError, decode_text, parse_document
from generator.spec.model import SpecModel
from generator.spec.structure import SpecProblem, validate_document


@dataclass(frozen=True, slots=True)
class SpecSource:
    """A parsed spec and where it came from; `text` is kept so it can be written out verbatim.

    `document` is the document as written; `model` the one spec model every command reads it through;
    `problems` the structural rules of OpenAPI it breaks (it is compared all the same).
    """

    label: str
    suffix: str
    text: str
    document: dict[str, Any]
    model: SpecModel
    problems: tuple[SpecProblem, ...] = ()


def read_source(argument: str, *, cwd: Path | None = None) -> SpecSource:
    """Read `argument` as a file, or as `REV:PATH` via `git show` when no such file exists.

    `read_source("origin/main:spec/layer.yaml")` reads the file at that revision through git.
    """
    path = Path(argument) if cwd is None or Path(argument).is_absolute() else cwd / argument
    if path.exists():
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SpecError(f"{argument}: cannot read: {exc.strerror or exc}") from exc
        text = decode_text(data, argument)
        suffix = path.suffix
    elif argument.startswith("-"):
        raise SpecError(f"{argument}: no such file (and a git revision cannot start with '-')")
    elif ":" in argument:
        text = _git_show(argument, cwd)
        suffix = PurePosixPath(argument.partition(":")[2]).suffix
    else:
        raise SpecError(f"{argument}: no such file (and not a git REV:PATH)")
    document, problems = parse_spec(text, argument, json_first=suffix == ".json")
    model = SpecModel.from_document(document, argument)
    return SpecSource(
        label=argument,
        suffix=suffix or ".yaml",
        text=text,
        document=document,
        model=model,
        problems=tuple(problems),
    )


def _git_show(argument: str, cwd: Path | None) -> str:
    try:
        result = subprocess.run(
            # After --end-of-options, an argument such as `--output=/tmp/x:y` is a revision, never an option.
            ["git", "show", "--end-of-options", argument],
            cwd=cwd,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise SpecError(f"{argument}: cannot run git: {exc}") from exc
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip() or f"exit status {result.returncode}"
        raise SpecError(f"{argument}: not a file, and git cannot show it: {reason}")
    return decode_text(result.stdout, argument)


def parse_spec(
    text: str, source: str, *, json_first: bool = False
) -> tuple[dict[str, Any], list[SpecProblem]]:
    """Parse YAML or JSON and check the shape of an OpenAPI 3.0/3.1 document; also its structural problems.

    The full validator is not run: it takes longer than the diff itself on large specs; the diff
    needs the checks of `generator.spec.structure.validate_document`.
    """
    data = parse_document(text, source, json_first=json_first)
    return data, validate_document(data, source)
