"""The `layer-codegen` command line: generate, check, diff, docs-check, import and release.

Every command works on the project the working directory is in (or `--project DIR`), as
`generator/paths.py` finds it: its spec, its generated folder and its config are the defaults.
"""

from __future__ import annotations

import os
import shlex
import sys
from enum import StrEnum
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, Literal, NoReturn

import typer

from generator.build.history import current_version
from generator.build.provenance import matches_record
from generator.errors import GenerationError, ReleaseError, one_screen
from generator.paths import CONFIG, Layout, LayoutError, find_layout, load_layout
from generator.project import ProjectConfig, ProjectConfigError, load_project_config

app = typer.Typer(add_completion=False, no_args_is_help=True)

DISTRIBUTION = "plaid-layer-codegen"

SpecOption = Annotated[
    Path | None,
    typer.Option("--spec", help="The OpenAPI document to generate from (default: the project's spec)."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        help="The distribution folder to write (default: the project's); it must be new, empty or a "
        "previous generation.",
    ),
]
DeleteUnknownOption = Annotated[
    bool,
    typer.Option(
        "--delete-unknown",
        help="Delete what --output holds that the previous generation did not write (else exit 2).",
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", help="The project config (package and client names, environment variables, headers)."
    ),
]
CheckedOutputOption = Annotated[
    Path | None,
    typer.Option("--output", help="The generated distribution folder to compare (default: the project's)."),
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


def _project_option(ctx: typer.Context) -> Path | None:
    """The root's `--project DIR`, if given (the root context holds it as click parsed it)."""
    folder = ctx.find_root().params.get("project")
    return Path(folder) if folder is not None else None


def _find(folder: Path | None) -> Layout:
    """The project in `folder` when given, else the one the working directory is in."""
    return load_layout(folder.resolve()) if folder is not None else find_layout(Path.cwd())


def _layout(ctx: typer.Context) -> Layout:
    """The project the command works on: `--project DIR`, else the one the working directory is in."""
    try:
        return _find(_project_option(ctx))
    except LayoutError as exc:
        _fail(exc)


def _project(config: Path | None, layout: Layout | None) -> ProjectConfig:
    """The project config from `--config`, else the project's file (outside one, the installed
    generator's); bad input exits 2."""
    try:
        return load_project_config(config, layout.config if layout is not None else CONFIG)
    except ProjectConfigError as exc:
        _fail(exc)


def _layout_if_any(ctx: typer.Context) -> Layout | None:
    """The project as `_layout` finds it, or None outside one (unless `--project` names one)."""
    if _project_option(ctx) is not None:
        return _layout(ctx)
    try:
        return find_layout(Path.cwd())
    except LayoutError:
        return None


def _default(path: Path) -> Path:
    """A project path as the user would type it here: relative when inside the working directory."""
    return Path(os.path.relpath(path)) if path.is_relative_to(Path.cwd()) else path


def _regenerate_command(ctx: typer.Context) -> str:
    """The `generate` command that rewrites what this `check` compared, with its options."""
    words = ["layer-codegen"]
    project = _project_option(ctx)
    if project is not None:
        words += ["--project", str(project)]
    words.append("generate")
    for option in ("spec", "output", "config"):
        value = ctx.params.get(option)
        if value is not None:
            words += [f"--{option}", str(value)]
    return shlex.join(words)


def _fail(exc: Exception) -> NoReturn:
    """Report bad input as one short `error:` line on stderr and exit 2."""
    typer.echo(f"error: {one_screen(str(exc))}", err=True)
    raise typer.Exit(2) from exc


def _show_version(ctx: typer.Context, wanted: bool) -> None:
    """The generator's version, then the generated distribution's in this project, if it is in one."""
    if not wanted:
        return
    typer.echo(f"layer-codegen {version(DISTRIBUTION)}")
    try:
        layout = _find(_project_option(ctx))
        project = load_project_config(None, layout.config)
        typer.echo(f"{project.distribution} {current_version(project.config_file('release.toml'))}")
    except (LayoutError, ProjectConfigError, ReleaseError) as exc:
        typer.echo(f"no generated package: {one_screen(str(exc))}")
    raise typer.Exit()


@app.callback()
def _root(
    project: Annotated[
        Path | None,
        typer.Option(
            "--project",
            is_eager=True,  # before --version, which names the project's package version
            help="The project folder (its pyproject.toml has [tool.layer-codegen]); default: the one "
            "the working directory is in.",
        ),
    ] = None,
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Show the generator's version and the generated package's, and exit.",
        ),
    ] = False,
) -> None:
    """Generate, check and compare the Python SDK of the Layer OpenAPI spec."""


@app.command()
def generate(
    ctx: typer.Context,
    spec: SpecOption = None,
    output: OutputOption = None,
    config: ConfigOption = None,
    delete_unknown: DeleteUnknownOption = False,
) -> None:
    """Regenerate the distribution in --output from --spec, atomically."""
    # Lazy: the build's imports (jinja2, the facts) would slow `--version` and check's fast path.
    from generator.build.pipeline import generate_distribution

    layout = _layout(ctx)
    project = _project(config, layout)
    spec, output = spec or _default(layout.spec), output or _default(layout.output)
    try:
        generate_distribution(spec, output, project, delete_unknown=delete_unknown)
    except GenerationError as exc:
        _fail(exc)
    typer.echo(f"wrote the {project.package} distribution to {output}/ from {spec}")


@app.command()
def check(
    ctx: typer.Context,
    spec: SpecOption = None,
    output: CheckedOutputOption = None,
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
    layout = _layout(ctx)
    project = _project(config, layout)
    spec, output = spec or _default(layout.spec), output or _default(layout.output)
    if not output.is_dir():
        _fail(FileNotFoundError(f"{output}: no such folder (give --output the generated folder)"))
    if not full and matches_record(spec, output, project):
        typer.echo(f"{output} is fresh")
        return
    # Lazy: only a check that the provenance cannot vouch for pays for the build's imports.
    from generator.build.pipeline import stale_files

    try:
        staleness = stale_files(spec, output, project)
    except GenerationError as exc:
        _fail(exc)
    if staleness.fresh:
        typer.echo(f"{output} is fresh")
        return
    typer.echo(f"{output} is stale or was edited by hand; run `{_regenerate_command(ctx)}`:")
    for file in (*staleness.files, *staleness.examples):
        typer.echo(f"  {file.status:<8}  {file.name}")
    for reason in staleness.provenance:
        typer.echo(f"  provenance: {reason}")
    raise typer.Exit(1)


@app.command()
def diff(
    ctx: typer.Context,
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
    # Lazy: the diff's imports (griffe, the build) would slow every other command's start-up.
    from generator.diff import run_diff

    # Two named specs need no project: outside one, the installed config names the package.
    project = _project(config, _layout_if_any(ctx))
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
    ctx: typer.Context,
    page: Annotated[str, typer.Argument(help="A Plaid API reference page (Markdown): a path or https URL.")],
    spec: Annotated[
        Path | None,
        typer.Option(
            "--spec",
            help="The OpenAPI document to compare with (default: the project's); its folder holds examples/.",
        ),
    ] = None,
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
    # Lazy: the docs check's imports would slow every other command's start-up.
    from generator.docs_check import run_docs_check

    layout: Layout | None
    if spec is None:  # the project's spec: outside a project, exit 2
        layout = _layout(ctx)
        spec = _default(layout.spec)
    else:
        layout = _layout_if_any(ctx)
    project = _project(config, layout)
    raise typer.Exit(
        run_docs_check(page, spec=spec, project=project, fmt=format.value, write_examples=write_examples)
    )


class PreferSide(StrEnum):
    ours = "ours"
    theirs = "theirs"


@app.command("import")
def import_(
    ctx: typer.Context,
    items: Annotated[
        list[str],
        typer.Argument(
            help="What to import: a path (/link/token/get), an operationId, a webhook schema name "
            "or a webhook TYPE:CODE (IDENTITY_VERIFICATION:STATUS_UPDATED)."
        ),
    ],
    source: Annotated[Path, typer.Option("--from", help="The OpenAPI document to copy from (Plaid's spec).")],
    spec: Annotated[
        Path | None, typer.Option("--spec", help="The spec to import into (default: the project's).")
    ] = None,
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
    # Lazy: the import's round-trip YAML (ruamel) would slow every other command's start-up.
    from generator.import_command import run_import

    spec = spec or _default(_layout(ctx).spec)
    side: Literal["ours", "theirs"] | None = None if prefer is None else prefer.value
    raise typer.Exit(run_import(spec, source, items, prefer=side, dry_run=dry_run))


@app.command()
def release(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option("--since", help="Compare with this git revision, not the last release tag.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the release; write nothing.")] = False,
    no_python_api: Annotated[
        bool, typer.Option("--no-python-api", help="Judge by the HTTP API only (faster; misses renames).")
    ] = False,
    spec: SpecOption = None,
    output: OutputOption = None,
    config: ConfigOption = None,
    delete_unknown: DeleteUnknownOption = False,
) -> None:
    """Decide the next version from the diff since the last release, record it and regenerate.

    The version is recorded in the project's own `release.toml`, never the installed generator's.
    """
    # Lazy: the release's imports (the diff and the build) would slow every other command's start-up.
    from generator.release import run_release

    layout = _layout(ctx)
    project = _project(config, layout)
    spec, output = spec or _default(layout.spec), output or _default(layout.output)
    raise typer.Exit(
        run_release(
            since=since,
            dry_run=dry_run,
            python_api=not no_python_api,
            spec=spec,
            output=output,
            project=project,
            delete_unknown=delete_unknown,
        )
    )


def main() -> None:
    """Entry point of the `layer-codegen` console script."""
    sys.exit(app())
