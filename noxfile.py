"""The one entry point: `nox` runs check, lint, typecheck and tests; `nox -s generate` regenerates."""

from __future__ import annotations

import hashlib
import shutil
import tarfile
import tomllib
from pathlib import Path

import nox

nox.options.sessions = ["check", "lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True

LINTED = ["generator", "templates/runtime", "tests", "benchmarks", "noxfile.py"]
# The README's examples, as tests: what a consumer of the published package runs.
CONSUMER_TESTS = ["tests/runtime/testing/test_readme_example.py", "tests/runtime/webhooks/test_receivers.py"]
CONSUMER_TEST_DEPS = ["pytest>=8.3", "pytest-asyncio>=0.24", "cryptography>=43"]
# The generated package's import name, as the project config gives it (`plaid_layer`).
PROJECT_CONFIG = Path(__file__).parent / "generator" / "config" / "project.toml"
PACKAGE = tomllib.loads(PROJECT_CONFIG.read_text("utf-8"))["package"]["name"]
# Proves the consumer environment imports the wheel, not the source tree next to it.
INSTALLED_CHECK = f"""\
import sys, {PACKAGE}, {PACKAGE}.testing, {PACKAGE}.webhooks
assert {PACKAGE}.__file__.startswith(sys.prefix), {PACKAGE}.__file__
print("installed", {PACKAGE}.__name__, {PACKAGE}.__version__)
"""
# What the sessions install from this checkout: the generator's metadata (it is installed editable,
# so its code needs no reinstall) and the whole generated package (installed as a wheel).
INSTALLED_FROM = ["pyproject.toml", "generated"]
INSTALL_STAMP = "installed-inputs.sha256"


def install(session: nox.Session, *args: str) -> None:
    """`session.install(*args)`, skipped when this environment already installed them from the same files.

    A warm environment would otherwise pay seconds per session for pip to rebuild both packages and
    find nothing to change. The stamp is a digest of the arguments and of every file they install
    from, kept in the environment itself, so any edit (or a new environment) installs again.
    """
    digest = hashlib.sha256("\0".join(args).encode())
    root = Path(__file__).parent
    for name in INSTALLED_FROM:
        top = root / name
        files = sorted(top.rglob("*")) if top.is_dir() else [top]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    stamp = Path(session.virtualenv.location) / INSTALL_STAMP
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == digest.hexdigest():
        session.log(f"{' '.join(args)}: already installed from the same files")
        return
    stamp.unlink(missing_ok=True)
    session.install(*args)
    stamp.write_text(digest.hexdigest(), encoding="utf-8")


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from spec/layer.yaml."""
    install(session, "-e", ".")
    session.run("layer-codegen", "generate")


@nox.session
def check(session: nox.Session) -> None:
    """Fail when generated/ is stale or was edited by hand."""
    install(session, "-e", ".")
    session.run("layer-codegen", "check")


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff lint and format check on the hand-written code."""
    install(session, "ruff==0.17.5")
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the generator, the generated package, the tests and the benchmarks;
    pyright --verifytypes at 100%."""
    # The dev extra pins pyright; the package is installed as users get it, not editable.
    install(session, "-e", ".[dev,test]", "./generated[testing]")
    # One mypy run for all four: each separate run would load the shared modules' cache again.
    session.run("mypy", "--strict", "generator", f"generated/{PACKAGE}", "tests", "benchmarks")
    # Only pyright's check: the rest of tests/typing needs no dev extra and runs in `tests`.
    session.run("pytest", "tests/typing", "-k", "test_type_completeness", "-q")


@nox.session
def tests(session: nox.Session) -> None:
    """The whole pytest suite, against the generated package installed as users install it."""
    install(session, "-e", ".[test]", "./generated[testing]")
    # One worker per core (pytest-xdist), at most four: each worker builds the shared fixtures
    # (generated packages) again. `nox -s tests -- -n 0 ...` runs in one process.
    session.run("pytest", "-n", "auto", "--maxprocesses", "4", *session.posargs)
    session.run("python", "-c", f"import {PACKAGE}, {PACKAGE}.webhooks, {PACKAGE}.testing")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against raw httpx and plaid-python; writes benchmarks/results/latest.json."""
    session.install("-e", ".[test]", "./generated[testing]", "plaid-python")
    session.run("python", "-m", "benchmarks.run", *session.posargs)


@nox.session(name="plaid-full")
def plaid_full(session: nox.Session) -> None:
    """Generate from Plaid's whole spec (../shared) into a temporary folder; sweep and type-check it."""
    spec = Path("..", "shared", "data", "plaid-openapi", "plaid-2020-09-14-new.yml")
    if not spec.exists():
        session.skip(f"Plaid's spec is not at {spec}")
    session.install("-e", ".[test,dev]", "./generated[testing]")
    dist = Path(session.create_tmp()) / "plaid-full"
    session.run("layer-codegen", "generate", "--spec", str(spec), "--output", str(dist))
    session.run(
        "pytest", "tests/full_spec", "-m", "full_spec", "-q", "-s", env={"PLAID_FULL_DIST": str(dist)}
    )


@nox.session
def build(session: nox.Session) -> None:
    """Build generated/'s sdist and wheel into dist/, twine-check them, run the README tests on the wheel."""
    session.install("build>=1.2", "twine>=5.1")
    # dist/ (git-ignored) is what the release job uploads; stale files from an older version go first.
    dist = Path("dist")
    shutil.rmtree(dist, ignore_errors=True)
    session.run("python", "-m", "build", "--outdir", str(dist), "generated")
    session.run("twine", "check", "--strict", *sorted(str(path) for path in dist.iterdir()))
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        if not any(name.endswith("/CHANGELOG.md") for name in archive.getnames()):
            session.error(f"{sdist.name} does not ship CHANGELOG.md")
    # A fresh environment with nothing but the wheel and a test runner, so no source tree leaks in.
    consumer = Path(session.create_tmp()) / "consumer"
    session.run("python", "-m", "venv", "--clear", str(consumer))
    python = str(consumer / "bin" / "python")
    (wheel,) = dist.glob("*.whl")
    install = [python, "-m", "pip", "install", "--quiet", f"{wheel}[testing]", *CONSUMER_TEST_DEPS]
    session.run(*install, external=True)
    session.run(python, "-c", INSTALLED_CHECK, external=True)
    session.run(python, "-m", "pytest", *CONSUMER_TESTS, external=True)
