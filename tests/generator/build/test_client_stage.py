"""The client's stage runs in a child for a large spec and in the build's own process for a small
one; either way the distribution is the same, and its refusal reaches the caller whole."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from generator.build import pipeline
from generator.build.background import ChildStage, InlineStage
from generator.errors import GenerationError
from generator.facts import collect_facts
from generator.spec.model import SpecModel
from tests.generator.support import FEATURE_SPEC, GeneratedPackage


def _files(root: Path) -> list[str]:
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )


def test_a_build_with_the_client_in_a_child_writes_the_same_distribution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, feature: GeneratedPackage
) -> None:
    inline = feature.root  # the shared build: the feature spec is below the threshold
    assert len(collect_facts(SpecModel.load(FEATURE_SPEC), None).model_classes) < pipeline.CHILD_STAGE_MODELS
    started: list[str] = []

    class RecordedChild(ChildStage):
        def __init__(self, *args: object) -> None:
            started.append("child")
            super().__init__(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "CHILD_STAGE_MODELS", 0)
    monkeypatch.setattr(pipeline, "ChildStage", RecordedChild)
    pipeline.generate_package(FEATURE_SPEC, tmp_path / "child")
    assert started == ["child"]
    child = tmp_path / "child"
    assert _files(child) == _files(inline)
    _, mismatch, errors = filecmp.cmpfiles(inline, child, _files(inline), shallow=False)
    assert (mismatch, errors) == ([], [])


def _refuse(message: str) -> None:
    raise GenerationError(message)


@pytest.mark.parametrize("stage", [ChildStage, InlineStage])
def test_a_stage_refusal_reaches_the_caller_whole(stage: type[ChildStage] | type[InlineStage]) -> None:
    running = stage(_refuse, "templates/x.jinja: line 3: unexpected '}'")
    with pytest.raises(GenerationError) as raised:
        running.finish()
    assert str(raised.value) == "templates/x.jinja: line 3: unexpected '}'"


def test_an_inline_stage_runs_once_and_not_after_cancel() -> None:
    calls: list[int] = []
    ran = InlineStage(calls.append, 1)
    ran.finish()
    ran.finish()
    dropped = InlineStage(calls.append, 2)
    dropped.cancel()
    dropped.finish()
    assert calls == [1]
