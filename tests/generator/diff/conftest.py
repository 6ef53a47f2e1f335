"""One build cache for the whole session, so each spec is generated once however many tests diff it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from generator.diff.python_api import CACHE_ENV


@pytest.fixture(scope="session", autouse=True)
def shared_build_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point the Python-API build cache at a folder of this session, never at the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("python-api-builds")))
        yield
