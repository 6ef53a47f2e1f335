"""Work that runs in a second interpreter while the build goes on (the machines have two cores).

Two checks are independent of the build's other stages: validating the spec against the OpenAPI
schema and importing the freshly built package in a clean interpreter. Each runs as a child
process; `finish` waits and turns a failure into a `GenerationError` carrying the child's last
error line. `ChildStage` runs a build stage the same way, so that its imports and heap are never
added to the build's own (they vanish with the child), and brings its `GenerationError` back whole.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
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
        self._finished = False
        self._error: GenerationError | None = None
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
        """Wait for the check; raise `GenerationError` naming the problem if it failed.

        Once it has finished, later calls give the same verdict again without waiting.
        """
        if not self._finished:
            try:
                _, stderr = self._process.communicate()
                self._error = self._verdict(self._process.returncode, stderr)
            finally:
                self._cleanup()
            self._finished = True
        if self._error is not None:
            raise self._error

    def _verdict(self, returncode: int, stderr: str) -> GenerationError | None:
        if returncode == 0:
            return None
        last = (stderr.strip().splitlines() or ["(no output)"])[-1]
        return GenerationError(f"{self._what}{last}")

    def cancel(self) -> None:
        """Stop the check (the build failed for another reason); nothing to do once it finished."""
        if self._finished:
            return
        self._process.kill()
        self._process.communicate()
        self._cleanup()
        self._finished = True

    def _cleanup(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)


class ChildStage(BackgroundCheck):
    """`function(*args)` in a child interpreter; `finish` raises its `GenerationError` unchanged.

    `function` and `args` are pickled (the function by its importable name). What the stage
    writes to stderr (its warning summaries) is written to ours when it has finished.
    """

    def __init__(self, function: Callable[..., None], *args: Any) -> None:
        scratch = Path(tempfile.mkdtemp(prefix="layer-codegen-stage-"))
        call, self._error_file = scratch / "call.pickle", scratch / "error.txt"
        call.write_bytes(pickle.dumps((function, args)))
        code = (
            "import pickle, sys\n"
            "from generator.errors import GenerationError\n"
            f"with open({str(call)!r}, 'rb') as handle:\n"
            "    function, args = pickle.load(handle)\n"
            "try:\n"
            "    function(*args)\n"
            "except GenerationError as exc:\n"
            f"    with open({str(self._error_file)!r}, 'w', encoding='utf-8') as handle:\n"
            "        handle.write(str(exc))\n"
            "    sys.exit(3)\n"
        )
        name = getattr(function, "__qualname__", repr(function))
        super().__init__(code, what=f"{name}: ", pythonpath=_ROOT, scratch=scratch)

    def _verdict(self, returncode: int, stderr: str) -> GenerationError | None:
        if returncode == 3 and self._error_file.is_file():
            return GenerationError(self._error_file.read_text(encoding="utf-8"))
        if returncode == 0 and stderr:
            sys.stderr.write(stderr)
        return super()._verdict(returncode, stderr)


class InlineStage:
    """`function(*args)` run here when `finish` is called: a `ChildStage` for a small build.

    A second interpreter pays its start and its imports (openapi-python-client's, for the client)
    before it does any work; on a small spec that costs more than running the stage afterwards.
    """

    def __init__(self, function: Callable[..., None], *args: Any) -> None:
        self._call: tuple[Callable[..., None], tuple[Any, ...]] | None = (function, args)

    def finish(self) -> None:
        """Run the stage (once); its `GenerationError` propagates unchanged."""
        if self._call is not None:
            function, args = self._call
            self._call = None
            function(*args)

    def cancel(self) -> None:
        """Drop the stage unrun."""
        self._call = None


_ROOT = Path(__file__).resolve().parent.parent
"""Where the `generator` package is imported from, for the children."""


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
    scratch = Path(tempfile.mkdtemp(prefix="layer-codegen-validate-"))
    handover = scratch / "spec.json"
    handover.write_text(json.dumps(document), encoding="utf-8")
    code = (
        "import json, sys\n"
        "from generator.spec.loader import SpecError\n"
        "from generator.spec.model import validate\n"
        "try:\n"
        f"    text = open({str(handover)!r}, encoding='utf-8').read()\n"
        f"    validate(json.loads(text), {str(spec_path)!r})\n"
        "except SpecError as exc:\n"
        "    sys.exit(str(exc))\n"
    )
    return BackgroundCheck(code, what="", pythonpath=_ROOT, scratch=scratch)


def start_import_probe(target: Path, package: str) -> BackgroundCheck:
    """Import every module of `target/package` (the testing kit excepted) from a snapshot.

    The snapshot is one zip archive of the package's modules, imported from as it is (zipimport):
    the build goes on meanwhile (layout and comments do not change whether a module imports), and
    one file is written and removed instead of a copy of the tree, whose many small files cost
    more to create and delete than the probe itself. The child compiles each module in memory and
    writes no bytecode. The testing kit needs the optional `testing` extra, so it is not imported.
    """
    scratch = Path(tempfile.mkdtemp(prefix="layer-codegen-probe-"))
    archive = scratch / f"{package}.zip"
    package_dir = target / package
    sources = sorted(path.relative_to(target) for path in package_dir.rglob("*.py"))
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as snapshot:
        for source in sources:
            snapshot.write(target / source, source.as_posix())
    modules = [
        ".".join(source.with_suffix("").parts).removesuffix(".__init__")
        for source in sources
        if "testing" not in source.relative_to(package).parts
    ]
    # The collector is off: the child only builds module and class objects it keeps to its exit,
    # and rescanning them cost a tenth to a third of its time on Plaid's whole spec.
    code = (
        "import gc, importlib\ngc.disable()\n"
        f"for name in {sorted(modules)!r}:\n    importlib.import_module(name)"
    )
    return BackgroundCheck(
        code, what="the generated package does not import: ", pythonpath=archive, scratch=scratch
    )
