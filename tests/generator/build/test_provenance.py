"""The provenance record: the files a generation wrote, what `generate` may delete, a build-free `check`."""

from __future__ import annotations

import hashlib
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import generator.build.pipeline
import generator.build.provenance
from generator.build.provenance import PROVENANCE, Inputs, Record, matches_record
from generator.cli import app
from generator.project import ProjectConfig, load_project_config
from tests.conftest import RenamedDistribution
from tests.support import GENERATED, SPEC

runner = CliRunner()
CACHES = shutil.ignore_patterns("__pycache__")


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """A copy of the committed generation (fresh: `test_committed_tree_is_fresh` pins that)."""
    copy = tmp_path / "generated"
    shutil.copytree(GENERATED, copy, ignore=CACHES)
    return copy


@pytest.fixture
def no_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any build fail the test: what runs must answer from the record alone."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a build ran")

    monkeypatch.setattr(generator.build.pipeline, "build_distribution", refuse)


def _record(folder: Path) -> Record:
    """The record in `folder`, read back from its TOML."""
    data = tomllib.loads((folder / PROVENANCE).read_text(encoding="utf-8"))
    inputs = Inputs(
        spec=data["spec"]["sha256"],
        tools=tuple(sorted(data["generators"].items())),
        templates=data["templates"]["sha256"],
        generator=data["inputs"]["generator"],
        project=data["inputs"]["project"],
    )
    record = Record(data["spec"]["title"], data["spec"]["version"], inputs, data["files"], data["examples"])
    assert data["inputs"]["sha256"] == record.sha256
    return record


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _generate(output: Path, *extra: str) -> Any:
    return runner.invoke(app, ["generate", "--spec", str(SPEC), "--output", str(output), *extra])


def _check(output: Path, *extra: str) -> Any:
    return runner.invoke(app, ["check", "--spec", str(SPEC), "--output", str(output), *extra])


# --- the record -------------------------------------------------------------------------------


def test_the_record_lists_every_file_the_generation_wrote_with_its_sha256(previous: Path) -> None:
    files = {
        path.relative_to(previous).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in previous.rglob("*")
        if path.is_file() and path.name != PROVENANCE
    }

    assert len(files) > 30
    assert dict(_record(previous).files) == files


def test_the_record_renders_back_to_its_own_bytes(previous: Path) -> None:
    text = (previous / PROVENANCE).read_text(encoding="utf-8")

    assert _record(previous).render() == text


def test_the_recorded_inputs_are_todays(previous: Path) -> None:
    record = _record(previous)
    inputs = generator.build.provenance.current_inputs(SPEC.read_bytes(), load_project_config())

    assert record.inputs == inputs
    assert f'sha256 = "{record.sha256}"' in (previous / PROVENANCE).read_text(encoding="utf-8")
    assert dict(inputs.tools) == {
        "openapi-python-client": "0.29.1",
        "datamodel-code-generator": "0.89.0",
        "ruff": "0.17.5",
    }


def test_a_renamed_package_records_its_own_config_and_checks_fresh_without_a_build(
    renamed: RenamedDistribution, no_build: None
) -> None:
    args = ["check", "--spec", str(SPEC), "--output", str(renamed.root), "--config", str(renamed.config)]
    result = runner.invoke(app, args)

    assert (result.exit_code, result.output) == (0, f"{renamed.root} is fresh\n")
    assert not matches_record(SPEC, renamed.root, ProjectConfig())


# --- generate keeps what it did not write ----------------------------------------------------------


def test_generate_refuses_files_it_did_not_write_and_names_them(previous: Path) -> None:
    (previous / ".venv" / "bin").mkdir(parents=True)
    (previous / ".venv" / "bin" / "python").write_text("#!/bin/sh\n")
    (previous / "notes.txt").write_text("mine")
    (previous / "plaid_layer" / "scratch").mkdir()
    before = _snapshot(previous)

    result = _generate(previous)

    assert result.exit_code == 2
    assert result.output == (
        f"error: {previous} holds .venv/, notes.txt, plaid_layer/scratch/, which the previous "
        "generation did not write (provenance.toml does not list them); move them out, or pass "
        "--delete-unknown to delete them\n"
    )
    assert _snapshot(previous) == before
    assert [p.name for p in previous.parent.iterdir()] == ["generated"]


def test_generate_names_the_first_three_unknown_files_and_counts_the_others(previous: Path) -> None:
    for name in "abcde":
        (previous / f"{name}.txt").write_text(name)

    result = _generate(previous)

    assert result.exit_code == 2
    assert len(result.output.splitlines()) == 1
    assert "holds a.txt, b.txt, c.txt and 2 more, which" in result.output


def test_generate_deletes_python_caches_and_files_the_previous_record_listed(previous: Path) -> None:
    obsolete = "plaid_layer/api/layer/retired_operation.py"
    (previous / obsolete).write_text("x = 1\n")
    record = _record(previous)
    listed = Record(record.title, record.version, record.inputs, {**record.files, obsolete: "0" * 64})
    (previous / PROVENANCE).write_text(listed.render(), encoding="utf-8")
    (previous / "plaid_layer" / "__pycache__").mkdir()
    (previous / "plaid_layer" / "__pycache__" / "client.cpython-311.pyc").write_bytes(b"\0")

    result = _generate(previous)

    assert result.exit_code == 0, result.output
    assert not (previous / obsolete).exists()
    assert not (previous / "plaid_layer" / "__pycache__").exists()
    assert matches_record(SPEC, previous, load_project_config())  # exactly the files it lists


def test_an_older_record_without_a_file_list_still_refuses_what_this_build_does_not_write(
    previous: Path,
) -> None:
    text = (previous / PROVENANCE).read_text(encoding="utf-8")
    (previous / PROVENANCE).write_text(text[: text.index("\n[inputs]")] + "\n", encoding="utf-8")
    (previous / "notes.txt").write_text("mine")

    result = _generate(previous)

    assert result.exit_code == 2
    assert "holds notes.txt, which the previous generation did not write" in result.output
    assert (previous / "notes.txt").read_text() == "mine"
    assert [p.name for p in previous.parent.iterdir()] == ["generated"]


# --- check answers from the record while nothing changed ------------------------------------------


def test_check_answers_from_the_record_without_a_build(previous: Path, no_build: None) -> None:
    result = _check(previous)

    assert (result.exit_code, result.output) == (0, f"{previous} is fresh\n")


def test_check_full_regenerates_even_when_the_record_matches(
    previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[Path] = []
    real = generator.build.pipeline.build_distribution

    def counted(spec_path: Path, target: Path, **kwargs: Any) -> dict[str, str]:
        builds.append(target)
        return real(spec_path, target, **kwargs)

    monkeypatch.setattr(generator.build.pipeline, "build_distribution", counted)

    assert (_check(previous).exit_code, builds) == (0, [])
    result = _check(previous, "--full")

    assert (result.exit_code, result.output) == (0, f"{previous} is fresh\n")
    assert len(builds) == 1


def _hand_edit(tree: Path) -> None:
    client = tree / "plaid_layer" / "client.py"
    client.write_text(client.read_text() + "\n# a hand edit\n")


def _same_size_hand_edit(tree: Path) -> None:
    client = tree / "plaid_layer" / "client.py"
    text = client.read_text()
    client.write_text(text.replace("import", "IMPORT", 1))


def _an_extra_file(tree: Path) -> None:
    (tree / "plaid_layer" / "stray.py").write_text("x = 1\n")


def _a_missing_file(tree: Path) -> None:
    (tree / "plaid_layer" / "py.typed").unlink()


def _an_edited_record(tree: Path) -> None:
    record = tree / PROVENANCE
    record.write_text(record.read_text().replace("# What this tree", "# Where this tree"))


def _an_edited_title_in_the_record(tree: Path) -> None:
    record = tree / PROVENANCE
    record.write_text(record.read_text().replace('title = "Plaid Layer API"', 'title = "Plaid API"'))


def _a_symlinked_file(tree: Path) -> None:
    typed = tree / "plaid_layer" / "py.typed"
    copy = tree.parent / "py.typed"
    shutil.move(typed, copy)
    typed.symlink_to(copy)


@pytest.mark.parametrize(
    "edit",
    [
        _hand_edit,
        _same_size_hand_edit,
        _an_extra_file,
        _a_missing_file,
        _an_edited_record,
        _an_edited_title_in_the_record,
        _a_symlinked_file,
    ],
)
def test_the_record_vouches_for_nothing_after_an_edit_of_the_tree(previous: Path, edit: Any) -> None:
    assert matches_record(SPEC, previous, load_project_config())

    edit(previous)

    assert not matches_record(SPEC, previous, load_project_config())


def test_a_hand_edit_is_caught_by_the_full_comparison(previous: Path) -> None:
    _hand_edit(previous)

    result = _check(previous)

    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == ["  changed   plaid_layer/client.py"]


def _copied(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, edit: str) -> None:
    """Point the record's `name` folder (TEMPLATES or GENERATOR) at an edited copy of it."""
    source: Path = getattr(generator.build.provenance, name)
    copy = tmp_path / name.lower()
    shutil.copytree(source, copy, ignore=CACHES)
    target = copy / edit
    target.write_text(target.read_text() + "\n# an edit\n")
    monkeypatch.setattr(generator.build.provenance, name, copy)


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("TEMPLATES", "runtime/_send.py"),
        ("TEMPLATES", "package/README.md.jinja"),
        ("GENERATOR", "facts/annotations.py"),
    ],
)
def test_a_changed_template_or_generator_module_makes_check_regenerate(
    previous: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, edit: str
) -> None:
    _copied(monkeypatch, tmp_path, name, edit)

    assert not matches_record(SPEC, previous, load_project_config())


def test_a_changed_project_config_spec_or_tool_version_makes_check_regenerate(
    previous: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = load_project_config()
    spec = tmp_path / "layer.yaml"
    spec.write_bytes(SPEC.read_bytes() + b"\n")

    assert not matches_record(spec, previous, project)
    assert not matches_record(SPEC, previous, ProjectConfig(user_agent="acme/{version}"))
    assert not matches_record(tmp_path / "absent.yaml", previous, project)
    monkeypatch.setattr(generator.build.provenance, "version", lambda tool: "0.0.1")
    assert not matches_record(SPEC, previous, project)
