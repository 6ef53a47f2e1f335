"""The `layer-codegen` command line: generate, check, diff, docs-check and release."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Generate, check and compare the plaid_layer SDK from the Layer OpenAPI spec.",
)

DEFAULT_SPEC = Path("spec/layer.yaml")
DEFAULT_OUTPUT = Path("generated")

SpecOption = Annotated[Path, typer.Option("--spec", help="The OpenAPI document to generate from.")]
OutputOption = Annotated[Path, typer.Option("--output", help="The distribution folder to write.")]


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


class FailOn(StrEnum):
    breaking = "breaking"
    never = "never"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def generate(spec: SpecOption = DEFAULT_SPEC, output: OutputOption = DEFAULT_OUTPUT) -> None:
    """Regenerate the plaid_layer distribution from the spec, atomically."""
    from generator.pipeline import GenerationError, generate_distribution

    try:
        generate_distribution(spec, output)
    except GenerationError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"generated {output} from {spec}")


@app.command()
def check(spec: SpecOption = DEFAULT_SPEC, output: OutputOption = DEFAULT_OUTPUT) -> None:
    """Exit 1, listing the files that differ, when OUTPUT is not what the spec generates."""
    from generator.pipeline import GenerationError, stale_files

    try:
        differing = stale_files(spec, output)
    except GenerationError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if differing:
        typer.echo(f"{output} is stale or was edited by hand; run `nox -s generate`. Files that differ:")
        for name in differing:
            typer.echo(f"  {name}")
        raise typer.Exit(1)
    typer.echo(f"{output} is fresh")


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="Old spec: a file, or REV:PATH for a git revision.")],
    new: Annotated[str, typer.Argument(help="New spec: a file, or REV:PATH for a git revision.")],
    format: Annotated[DiffFormat, typer.Option("--format", help="Report format.")] = DiffFormat.text,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="When to exit 1.")] = FailOn.breaking,
    no_python_api: Annotated[
        bool, typer.Option("--no-python-api", help="Skip generating both specs and comparing the Python API.")
    ] = False,
) -> None:
    """Report the changes between two specs and which of them break clients."""
    from generator.diff import run_diff

    raise typer.Exit(
        run_diff(old, new, fmt=format.value, fail_on=fail_on.value, python_api=not no_python_api)
    )


@app.command("docs-check")
def docs_check(
    page: Annotated[str, typer.Argument(help="A Plaid API reference page (Markdown): a path or https URL.")],
    spec: SpecOption = DEFAULT_SPEC,
    format: Annotated[CheckFormat, typer.Option("--format", help="Report format.")] = CheckFormat.text,
    write_examples: Annotated[
        bool, typer.Option("--write-examples", help="Rewrite the spec's examples from the page.")
    ] = False,
) -> None:
    """Report where a published reference page and the spec disagree."""
    from generator.docs_check import run_docs_check

    raise typer.Exit(run_docs_check(page, spec=spec, fmt=format.value, write_examples=write_examples))


@app.command()
def release(
    since: Annotated[
        str | None, typer.Option("--since", help="Compare with this git revision, not the last release tag.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the release; write nothing.")] = False,
    no_python_api: Annotated[
        bool, typer.Option("--no-python-api", help="Judge by the HTTP API only (faster; misses renames).")
    ] = False,
    spec: SpecOption = DEFAULT_SPEC,
    output: OutputOption = DEFAULT_OUTPUT,
) -> None:
    """Decide the next version from the diff since the last release, record it and regenerate."""
    from generator.release import run_release

    raise typer.Exit(
        run_release(since=since, dry_run=dry_run, python_api=not no_python_api, spec=spec, output=output)
    )


def main() -> None:
    """Entry point of the `layer-codegen` console script."""
    sys.exit(app())
