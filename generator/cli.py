"""The `layer-codegen` command line: generate, check, diff, docs-check, import and release."""

from __future__ import annotations

import sys
from enum import StrEnum
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, NoReturn

import typer

from generator.errors import one_screen

if TYPE_CHECKING:
    from generator.project import ProjectConfig

app = typer.Typer(add_completion=False, no_args_is_help=True)

DISTRIBUTION = "plaid-layer-codegen"
DEFAULT_SPEC = Path("spec/layer.yaml")
DEFAULT_OUTPUT = Path("generated")

SpecOption = Annotated[Path, typer.Option("--spec", help="The OpenAPI document to generate from.")]
OutputOption = Annotated[
    Path,
    typer.Option(
        "--output",
        help="The distribution folder to write; it must be new, empty or a previous generation.",
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", help="The project config (package and client names, environment variables, headers)."
    ),
]
CheckedOutputOption = Annotated[
    Path, typer.Option("--output", help="The generated distribution folder to compare.")
]


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


def _project(config: Path | None) -> ProjectConfig:
    """The project config from `--config` (or the default file); bad input exits 2."""
    from generator.project import ProjectConfigError, load_project_config

    try:
        return load_project_config(config)
    except ProjectConfigError as exc:
        _fail(exc)


def _fail(exc: Exception) -> NoReturn:
    """Report bad input as one short `error:` line on stderr and exit 2."""
    typer.echo(f"error: {one_screen(str(exc))}", err=True)
    raise typer.Exit(2) from exc


def _show_version(wanted: bool) -> None:
    if wanted:
        typer.echo(f"layer-codegen {version(DISTRIBUTION)}")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Generate, check and compare the Python SDK of the Layer OpenAPI spec."""


@app.command()
def generate(
    spec: SpecOption = DEFAULT_SPEC,
    output: OutputOption = DEFAULT_OUTPUT,
    config: ConfigOption = None,
    delete_unknown: Annotated[
        bool,
        typer.Option(
            "--delete-unknown",
            help="Delete what --output holds that the previous generation did not write (else exit 2).",
        ),
    ] = False,
) -> None:
    """Regenerate the distribution in --output from --spec, atomically."""
    from generator.pipeline import GenerationError, generate_distribution

    project = _project(config)
    try:
        generate_distribution(spec, output, project, delete_unknown=delete_unknown)
    except GenerationError as exc:
        _fail(exc)
    typer.echo(f"wrote the {project.package} distribution to {output}/ from {spec}")


@app.command()
def check(
    spec: SpecOption = DEFAULT_SPEC,
    output: CheckedOutputOption = DEFAULT_OUTPUT,
    config: ConfigOption = None,
    full: Annotated[
        bool, typer.Option("--full", help="Regenerate and compare even when provenance.toml vouches for it.")
    ] = False,
) -> None:
    """Exit 1 when --output is not what --spec generates.

    When every input and file still has the digest its provenance.toml records, it is fresh at
    once; otherwise the tree is regenerated and compared, and each file that differs is listed
    as `changed`, `appeared` (not generated) or `missing`.
    """
    from generator.provenance import matches_record

    project = _project(config)
    if not full and matches_record(spec, output, project):
        typer.echo(f"{output} is fresh")
        return
    from generator.pipeline import GenerationError, stale_files

    try:
        staleness = stale_files(spec, output, project)
    except GenerationError as exc:
        _fail(exc)
    if staleness.fresh:
        typer.echo(f"{output} is fresh")
        return
    typer.echo(f"{output} is stale or was edited by hand; run `nox -s generate`:")
    for file in (*staleness.files, *staleness.examples):
        typer.echo(f"  {file.status:<8}  {file.name}")
    for reason in staleness.provenance:
        typer.echo(f"  provenance: {reason}")
    raise typer.Exit(1)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="Old spec: a file, or REV:PATH for a git revision.")],
    new: Annotated[str, typer.Argument(help="New spec: a file, or REV:PATH for a git revision.")],
    format: Annotated[DiffFormat, typer.Option("--format", help="Report format.")] = DiffFormat.text,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="When to exit 1.")] = FailOn.breaking,
    no_python_api: Annotated[
        bool, typer.Option("--no-python-api", help="Skip generating both specs and comparing the Python API.")
    ] = False,
    config: ConfigOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 2 when a spec breaks a structural rule of OpenAPI.")
    ] = False,
) -> None:
    """Report the changes between two specs and which of them break clients."""
    from generator.diff import run_diff

    project = _project(config)
    raise typer.Exit(
        run_diff(
            old,
            new,
            fmt=format.value,
            fail_on=fail_on.value,
            python_api=not no_python_api,
            project=project,
            strict=strict,
        )
    )


@app.command("docs-check")
def docs_check(
    page: Annotated[str, typer.Argument(help="A Plaid API reference page (Markdown): a path or https URL.")],
    spec: Annotated[
        Path,
        typer.Option(
            "--spec",
            help="The OpenAPI document to compare with; its folder holds examples/.",
        ),
    ] = DEFAULT_SPEC,
    format: Annotated[CheckFormat, typer.Option("--format", help="Report format.")] = CheckFormat.text,
    write_examples: Annotated[
        bool,
        typer.Option(
            "--write-examples", help="First copy the page's examples into --spec and its examples/."
        ),
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Report where a published reference page and the spec disagree."""
    from generator.docs_check import run_docs_check

    project = _project(config)
    raise typer.Exit(
        run_docs_check(page, spec=spec, project=project, fmt=format.value, write_examples=write_examples)
    )


class PreferSide(StrEnum):
    ours = "ours"
    theirs = "theirs"


@app.command("import")
def import_(
    items: Annotated[
        list[str],
        typer.Argument(
            help="What to import: a path (/link/token/get), an operationId, a webhook schema name "
            "or a webhook TYPE:CODE (IDENTITY_VERIFICATION:STATUS_UPDATED)."
        ),
    ],
    source: Annotated[Path, typer.Option("--from", help="The OpenAPI document to copy from (Plaid's spec).")],
    spec: Annotated[Path, typer.Option("--spec", help="The spec to import into.")] = DEFAULT_SPEC,
    prefer: Annotated[
        PreferSide | None,
        typer.Option(
            "--prefer", help="Which component wins when both specs have one name that means two things."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would change; write nothing.")
    ] = False,
) -> None:
    """Copy operations and webhooks, with every component they use, from --from into --spec."""
    from generator.import_command import run_import

    side: Literal["ours", "theirs"] | None = None if prefer is None else prefer.value
    raise typer.Exit(run_import(spec, source, items, prefer=side, dry_run=dry_run))


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
    config: ConfigOption = None,
) -> None:
    """Decide the next version from the diff since the last release, record it and regenerate."""
    from generator.release import run_release

    project = _project(config)
    raise typer.Exit(
        run_release(
            since=since,
            dry_run=dry_run,
            python_api=not no_python_api,
            spec=spec,
            output=output,
            project=project,
        )
    )


def main() -> None:
    """Entry point of the `layer-codegen` console script."""
    sys.exit(app())
