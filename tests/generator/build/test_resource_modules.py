"""A spec with several tags: one resource module per tag, and every operation on both clients."""

from __future__ import annotations

import copy
import inspect
from pathlib import Path
from typing import Any

import pytest
import respx
import yaml

from tests.generator.support import GeneratedPackage, generate_and_import
from tests.support import SPEC, load_example

BASE_URL = "https://sandbox.plaid.com"
# operationId -> (its path, the keyword arguments of a call, the example its mock answers with)
CALLS: dict[str, tuple[str, dict[str, Any], str]] = {
    "sessionTokenCreate": (
        "/session/token/create",
        {"template_id": "template_1", "user": {"client_user_id": "u-1"}},
        "sessionTokenCreate.response.200",
    ),
    "userAccountSessionGet": (
        "/user_account/session/get",
        {"public_token": "profile-sandbox-1"},
        "userAccountSessionGet.response.200",
    ),
    "webhookVerificationKeyGet": (
        "/webhook_verification_key/get",
        {"key_id": "k-1"},
        "webhookVerificationKeyGet.response.200",
    ),
    "webhookVerificationKeyList": (
        "/webhook_verification_key/list",
        {"key_id": "k-1"},
        "webhookVerificationKeyGet.response.200",
    ),
}
# Each operation is called twice: as a method, then through `with_raw_response`.
SENT = [path for path, _, _ in CALLS.values() for _ in ("method", "raw view")]
METHODS = {
    "session_token_create": ("link_token", "LinkTokenMethods"),
    "user_account_session_get": ("link_token_2", "LinkToken2Methods"),
    "webhook_verification_key_get": ("default", "DefaultMethods"),
    "webhook_verification_key_list": ("class_", "ClassMethods"),
}


def _several_tags(tmp: Path) -> Path:
    """The Layer spec with tags that collide, a keyword, an untagged operation and a fourth operation."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    paths = spec["paths"]
    paths["/session/token/create"]["post"]["tags"] = ["Link Token", "webhooks"]
    paths["/user_account/session/get"]["post"]["tags"] = ["link_token"]
    key = paths["/webhook_verification_key/get"]["post"]
    listing = copy.deepcopy(key)
    del key["tags"]
    del listing["x-webhook-verification-key"]
    listing.update(operationId="webhookVerificationKeyList", tags=["class"])
    paths["/webhook_verification_key/list"] = {"post": listing}
    path = tmp / "several-tags.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> GeneratedPackage:
    tmp = tmp_path_factory.mktemp("several-tags")
    return generate_and_import(_several_tags(tmp), tmp / "dist")


def test_each_tag_has_a_resource_module_and_an_operation_folder_of_the_same_name(
    tagged: GeneratedPackage,
) -> None:
    package = tagged.root / "plaid_layer"
    modules = sorted(path.stem for path in (package / "_resources").glob("*.py"))
    assert modules == ["__init__", "class_", "default", "link_token", "link_token_2"]
    folders = sorted(path.name for path in (package / "api").iterdir() if path.is_dir())
    assert folders == ["class_", "default", "link_token", "link_token_2"]
    for method, (module, _) in METHODS.items():
        assert (package / "api" / module / f"{method}.py").is_file()


def test_each_method_is_written_in_its_resource_module_once_per_flavour(tagged: GeneratedPackage) -> None:
    package = tagged.root / "plaid_layer"
    client = (package / "client.py").read_text(encoding="utf-8")
    for method, (module, cls) in METHODS.items():
        assert f"def {method}(" not in client
        source = (package / "_resources" / f"{module}.py").read_text(encoding="utf-8")
        assert (source.count(f"    def {method}("), source.count(f"    async def {method}(")) == (1, 1)
        assert f"class {cls}(SyncAPIClient):" in source and f"class Async{cls}(AsyncAPIClient):" in source


def test_the_clients_inherit_every_resource_with_the_same_signature_and_docstring(
    tagged: GeneratedPackage,
) -> None:
    sync, asynchronous = tagged.client.PlaidLayer, tagged.client.AsyncPlaidLayer
    for method, (module, cls) in METHODS.items():
        sync_method, async_method = getattr(sync, method), getattr(asynchronous, method)
        assert sync_method.__module__ == f"{tagged.package.__name__}._resources.{module}"
        assert (sync_method.__qualname__, async_method.__qualname__) == (
            f"{cls}.{method}",
            f"Async{cls}.{method}",
        )
        assert not inspect.iscoroutinefunction(sync_method) and inspect.iscoroutinefunction(async_method)
        assert inspect.signature(sync_method) == inspect.signature(async_method)
        assert sync_method.__doc__ == async_method.__doc__ and sync_method.__doc__
        assert "extra_headers" in inspect.signature(sync_method).parameters


def test_every_operation_is_reachable_on_the_sync_client(tagged: GeneratedPackage) -> None:
    with respx.mock(base_url=BASE_URL, assert_all_called=True) as router:
        for path, _, example in CALLS.values():
            router.post(path).respond(200, json=load_example(example))
        with tagged.client.PlaidLayer(client_id="id", secret="secret") as client:
            for method, (_, kwargs, _) in zip(METHODS, CALLS.values(), strict=True):
                assert getattr(client, method)(**kwargs).request_id
                assert getattr(client.with_raw_response, method)(**kwargs).status_code == 200
        assert [call.request.url.path for call in router.calls] == SENT


async def test_every_operation_is_reachable_on_the_async_client(tagged: GeneratedPackage) -> None:
    with respx.mock(base_url=BASE_URL, assert_all_called=True) as router:
        for path, _, example in CALLS.values():
            router.post(path).respond(200, json=load_example(example))
        async with tagged.client.AsyncPlaidLayer(client_id="id", secret="secret") as client:
            for method, (_, kwargs, _) in zip(METHODS, CALLS.values(), strict=True):
                assert (await getattr(client, method)(**kwargs)).request_id
                assert (await getattr(client.with_raw_response, method)(**kwargs)).status_code == 200
        assert [call.request.url.path for call in router.calls] == SENT
