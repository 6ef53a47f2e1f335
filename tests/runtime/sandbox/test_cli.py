"""`python -m plaid_layer.testing.sandbox` (the `plaid-layer-sandbox` command) as a real process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.runtime.sandbox.support import CREDENTIALS, SESSION_REQUEST, WAIT, post
from tests.support import GENERATED

FIRST_LINE = "Plaid Layer sandbox listening on http://"


@contextmanager
def sandbox_process(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """The command started with `args`, and its first line of output."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "plaid_layer.testing.sandbox", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        yield process, process.stdout.readline()  # blocks until the line is there (or the process ends)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=WAIT)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_the_command_says_where_it_listens_serves_and_stops_cleanly(stop: signal.Signals) -> None:
    with sandbox_process() as (process, line):
        assert line.startswith(FIRST_LINE), line
        url = line.removeprefix("Plaid Layer sandbox listening on ").strip()
        assert url.startswith("http://127.0.0.1:")  # loopback unless told otherwise
        status, created = post(f"{url}/session/token/create", SESSION_REQUEST, CREDENTIALS)
        assert status == 200 and created["link"]["link_token"].startswith("link-sandbox-")
        process.send_signal(stop)
        _, err = process.communicate(timeout=WAIT)
        assert process.returncode == 0, err
    assert "POST /session/token/create 200" in err
    assert "Traceback" not in err


def test_a_port_in_use_exits_2_with_one_line() -> None:
    with sandbox_process() as (_, line):
        port = line.strip().rsplit(":", 1)[1]
        with sandbox_process("--port", port) as (second, nothing):
            _, err = second.communicate(timeout=WAIT)
    assert (second.returncode, nothing) == (2, "")
    assert err.startswith(f"error: cannot listen on 127.0.0.1:{port}: ") and err.count("\n") == 1


@pytest.mark.parametrize("args", [["--port", "70000"], ["--webhook-url", "ftp://example.test/hook"]])
def test_bad_options_exit_2(args: list[str]) -> None:
    with sandbox_process(*args) as (process, line):
        _, err = process.communicate(timeout=WAIT)
    assert (process.returncode, line) == (2, "")
    assert args[0] in err or args[1] in err


def test_the_package_installs_the_plaid_layer_sandbox_command() -> None:
    scripts = tomllib.loads((GENERATED / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert scripts["plaid-layer-sandbox"] == "plaid_layer.testing.sandbox._cli:main"
