"""Every Python block of the READMEs runs as written, or says that it is a fragment.

The blocks are read from `README.md` and `generated/README.md` themselves, so an edit to either is
tested as it stands. A block whose first line is `# fragment: ...` (what it needs from around it)
only has to compile. Any other block must use no name it does not define (ruff's F821), and then:

- a block with `test_` functions is a test module and must pass under pytest;
- a block that defines a web `app` (a webhook receiver) is imported with no credentials in the
  environment, then must answer a webhook signed by the testing kit with 200 and a tampered one
  with 400;
- any other block runs as a script, under the testing kit's mock (never the network) with test
  credentials in the environment.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import GENERATED, ROOT

READMES = (ROOT / "README.md", GENERATED / "README.md")
FRAGMENT = "# fragment:"
CREDENTIALS = {"PLAID_CLIENT_ID": "readme-client-id", "PLAID_SECRET": "readme-secret"}

RUN_AS_SCRIPT = """
import runpy, sys
from plaid_layer.testing import mock_layer

with mock_layer():
    runpy.run_path(sys.argv[1], run_name="__main__")
"""

RUN_RECEIVER = """
import os, runpy, sys

namespace = runpy.run_path(sys.argv[1], run_name="readme_receiver")  # no credentials yet
os.environ.update({credentials!r})
from plaid_layer.testing import WebhookSigner, mock_layer

app = namespace["app"]
with mock_layer() as mock:
    signer = WebhookSigner(mock)
    body, headers = signer.webhook("SESSION_FINISHED")
    if hasattr(app, "test_client"):  # Flask
        path = next(rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods)
        client = app.test_client()
    else:  # Starlette
        from starlette.testclient import TestClient

        path = app.routes[0].path
        client = TestClient(app)
    signed = client.post(path, data=body, headers=headers).status_code
    tampered = client.post(path, data=body, headers=signer.sign_tampered(body)).status_code
print(signed, tampered)
"""


@dataclass(frozen=True)
class Block:
    """One fenced `python` block of a README."""

    readme: Path
    line: int
    """The line of the block's first line of code."""
    source: str

    @property
    def name(self) -> str:
        """`README.md:42`, to find the block again."""
        return f"{self.readme.relative_to(ROOT)}:{self.line}"


def python_blocks(readme: Path) -> list[Block]:
    """The fenced blocks whose info string starts with `python`, dedented, in file order."""
    blocks: list[Block] = []
    opened: tuple[int, list[str]] | None = None
    for number, line in enumerate(readme.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if opened is None:
            if stripped.startswith("```") and stripped[3:].split()[:1] == ["python"]:
                opened = (number + 1, [])
        elif stripped.startswith("```"):
            blocks.append(Block(readme, opened[0], textwrap.dedent("\n".join(opened[1])) + "\n"))
            opened = None
        else:
            opened[1].append(line)
    assert opened is None, f"{readme}: the python block from line {opened[0]} is never closed"
    return blocks


BLOCKS = [block for readme in READMES for block in python_blocks(readme)]


def _python(*args: str, cwd: Path, credentials: bool) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in (*CREDENTIALS, "PYTEST_ADDOPTS")}
    if credentials:
        env.update(CREDENTIALS)
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=120
    )


def test_both_readmes_have_python_blocks_and_most_run() -> None:
    found = {readme: [b for b in BLOCKS if b.readme == readme] for readme in READMES}
    assert len(found[ROOT / "README.md"]) >= 5
    assert len(found[GENERATED / "README.md"]) >= 1
    runnable = [block for block in BLOCKS if not block.source.startswith(FRAGMENT)]
    assert len(runnable) > len(BLOCKS) / 2


@pytest.mark.parametrize("block", BLOCKS, ids=[block.name for block in BLOCKS])
def test_readme_block_runs_as_written(block: Block, tmp_path: Path) -> None:
    code = compile(block.source, block.name, "exec")
    if block.source.startswith(FRAGMENT):
        assert code is not None
        return
    undefined = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "F821", "--stdin-filename", "b.py"],
        input=block.source,
        capture_output=True,
        text=True,
        check=False,
    )
    assert undefined.returncode == 0, f"{block.name} uses undefined names:\n{undefined.stdout}"

    if re.search(r"^(async )?def test_", block.source, re.MULTILINE):
        (tmp_path / "test_readme_block.py").write_text(block.source, encoding="utf-8")
        result = _python("-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=tmp_path, credentials=False)
        assert result.returncode == 0, f"{block.name}:\n{result.stdout}{result.stderr}"
        assert " passed" in result.stdout
    elif re.search(r"^app = ", block.source, re.MULTILINE):
        script = tmp_path / "receiver.py"
        script.write_text(block.source, encoding="utf-8")
        driver = RUN_RECEIVER.format(credentials=CREDENTIALS)
        result = _python("-c", driver, str(script), cwd=tmp_path, credentials=False)
        assert result.returncode == 0, f"{block.name}:\n{result.stderr}"
        assert result.stdout.split() == ["200", "400"]
    else:
        script = tmp_path / "block.py"
        script.write_text(block.source, encoding="utf-8")
        result = _python("-c", RUN_AS_SCRIPT, str(script), cwd=tmp_path, credentials=True)
        assert result.returncode == 0, f"{block.name}:\n{result.stderr}"
