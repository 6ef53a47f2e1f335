"""The one entry point: `nox` runs check, lint, typecheck and tests; `nox -s generate` regenerates."""

from __future__ import annotations

import nox

nox.options.sessions = ["check", "lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True

LINTED = ["generator", "templates/runtime", "tests", "benchmarks", "noxfile.py"]


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from spec/layer.yaml."""
    session.install("-e", ".")
    session.run("layer-codegen", "generate")


@nox.session
def check(session: nox.Session) -> None:
    """Fail when generated/ is stale or was edited by hand."""
    session.install("-e", ".")
    session.run("layer-codegen", "check")


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff lint and format check on the hand-written code."""
    session.install("ruff==0.17.5")
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the generator and the generated package; pyright --verifytypes at 100%."""
    # The dev extra pins pyright; the package is installed as users get it, not editable.
    session.install("-e", ".[dev,test]", "./generated[testing]")
    session.run("mypy", "--strict", "generator")
    session.run("mypy", "--strict", "generated/plaid_layer")
    session.run("pytest", "tests/typing", "-q")


@nox.session
def tests(session: nox.Session) -> None:
    """The whole pytest suite, against the generated package installed as users install it."""
    session.install("-e", ".[test]", "./generated[testing]")
    session.run("pytest", *session.posargs)
    session.run("python", "-c", "import plaid_layer, plaid_layer.webhooks, plaid_layer.testing")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against raw httpx and plaid-python; writes benchmarks/results/latest.json."""
    session.install("-e", ".[test]", "./generated[testing]", "plaid-python")
    session.run("python", "-m", "benchmarks.run", *session.posargs)
