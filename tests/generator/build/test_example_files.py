"""`generate` writes the `examples/` folder beside the spec from the spec's own examples; `check` names a
file that differs."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from generator.build.pipeline import generate_distribution
from generator.build.provenance import matches_record
from generator.cli import app
from generator.examples import example_files
from generator.project import ProjectConfig
from generator.spec.model import SpecModel
from tests.support import EXAMPLES, SPEC


def test_todays_example_files_are_exactly_what_the_spec_makes() -> None:
    made = example_files(SpecModel.load(SPEC))
    stored = {path.name: path.read_text(encoding="utf-8") for path in EXAMPLES.iterdir()}
    assert made == stored


def test_generate_rewrites_the_folder_and_check_names_a_hand_edit(tmp_path: Path) -> None:
    shutil.copytree(SPEC.parent, tmp_path / "spec")
    spec, examples = tmp_path / "spec" / "layer.yaml", tmp_path / "spec" / "examples"
    (examples / "SESSION_FINISHED.json").unlink()
    (examples / "notes.json").write_text("{}\n", encoding="utf-8")
    edited = examples / "sessionTokenCreate.request.json"
    edited.write_text('{"template_id": "edited"}\n', encoding="utf-8")

    generate_distribution(spec, tmp_path / "out")

    assert {path.name: path.read_bytes() for path in examples.iterdir()} == {
        path.name: path.read_bytes() for path in EXAMPLES.iterdir()
    }
    assert matches_record(spec, tmp_path / "out", ProjectConfig())

    edited.write_text('{"template_id": "edited"}\n', encoding="utf-8")
    assert not matches_record(spec, tmp_path / "out", ProjectConfig())
    result = CliRunner().invoke(app, ["check", "--spec", str(spec), "--output", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [f"  changed   {edited.as_posix()}"]


def test_a_spec_without_an_examples_folder_gets_none(tmp_path: Path) -> None:
    spec = tmp_path / "layer.yaml"
    shutil.copy(SPEC, spec)

    generate_distribution(spec, tmp_path / "out")

    assert sorted(path.name for path in tmp_path.iterdir()) == ["layer.yaml", "out"]
