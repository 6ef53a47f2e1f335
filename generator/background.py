"""Checks that run in a second interpreter while the build goes on (the machines have two cores).

Two checks are slow and independent of the build's other stages: validating the spec against the
OpenAPI schema (mostly the validator's start-up) and importing the freshly built package in a clean
interpreter. Each runs as a child process; `finish` waits and turns a failure into a
`GenerationError` carrying the child's last error line.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from generator.errors import GenerationError


class BackgroundCheck:
    """A Python snippet running in a child interpreter; its failure is a `GenerationError`."""

    def __init__(
        self, code: str, *, what: str, pythonpath: Path | None = None, scratch: Path | None = None
    ) -> None:
        self._what = what
        self._scratch = scratch
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        if pythonpath is not None:
            env["PYTHONPATH"] = str(pythonpath)
        self._process = subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def finish(self) -> None:
        """Wait for the check; raise `GenerationError` naming the problem if it failed."""
        try:
            _, stderr = self._process.communicate()
        finally:
            self._cleanup()
        if self._process.returncode != 0:
            last = (stderr.strip().splitlines() or ["(no output)"])[-1]
            raise GenerationError(f"{self._what}{last}")

    def cancel(self) -> None:
        """Stop the check (the build failed for another reason)."""
        self._process.kill()
        self._process.communicate()
        self._cleanup()

    def _cleanup(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)


def release_freed_memory() -> None:
    """Collect garbage and hand freed heap pages back to the system (glibc), where that is possible.

    datamodel-code-generator leaves some 70 MB of freed memory in the heap on Plaid's whole spec;
    the children started afterwards would otherwise add their size on top of it.
    """
    gc.collect()
    try:
        libc = ctypes.CDLL(None)
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to trim
        return
    trim(0)


def start_spec_validation(spec_path: Path, document: dict[str, Any]) -> BackgroundCheck:
    """Validate `document`, the normalised spec the build uses, as OpenAPI in a child interpreter.

    The document is handed over as JSON (quick to read) rather than parsing the YAML file again.
    """
    root = Path(__file__).resolve().parent.parent
    scratch = Path(tempfile.mkdtemp(prefix="layer-codegen-validate-"))
    handover = scratch / "spec.json"
    handover.write_text(json.dumps(document), encoding="utf-8")
    code = (
        "import json, sys\n"
        "from generator.spec_loader import SpecError\n"
        "from generator.spec_model import validate\n"
        "try:\n"
        f"    text = open({str(handover)!r}, encoding='utf-8').read()\n"
        f"    validate(json.loads(text), {str(spec_path)!r})\n"
        "except SpecError as exc:\n"
        "    sys.exit(str(exc))\n"
    )
    return BackgroundCheck(code, what="", pythonpath=root, scratch=scratch)


def start_import_probe(target: Path, package: str) -> BackgroundCheck:
    """Import every module of `target/package` (the testing kit excepted) from a snapshot copy.

    The snapshot lets formatting go on meanwhile: layout and comments do not change whether a
    module imports. The testing kit needs the optional `testing` extra, so it is left out.
    """
    scratch = Path(tempfile.mkdtemp(prefix="layer-codegen-probe-"))
    package_dir = target / package
    shutil.copytree(package_dir, scratch / package)
    modules = sorted(
        ".".join(path.relative_to(target).with_suffix("").parts).removesuffix(".__init__")
        for path in package_dir.rglob("*.py")
        if "testing" not in path.relative_to(package_dir).parts
    )
    code = f"import importlib\nfor name in {modules!r}:\n    importlib.import_module(name)"
    return BackgroundCheck(
        code, what="the generated package does not import: ", pythonpath=scratch, scratch=scratch
    )
