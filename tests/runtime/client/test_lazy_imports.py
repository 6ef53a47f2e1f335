"""What a fresh process loads: the plain client path stays free of webhooks, the testing kit and
the models of operations it does not call (how long that takes is for benchmarks/imports.py)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support import EXAMPLES

ONE_CALL = f"""
import httpx, plaid_layer
body = open({str(EXAMPLES / "sessionTokenCreate.response.200.json")!r}, "rb").read()
transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
client = plaid_layer.PlaidLayer(client_id="c", secret="s", http_client=httpx.Client(transport=transport))
client.session_token_create(template_id="template_1", user={{"client_user_id": "u-1"}})
"""
BUILT_MODELS = """
from plaid_layer import models
from plaid_layer._models import PlaidModel
classes = [cls for cls in vars(models).values() if isinstance(cls, type) and issubclass(cls, PlaidModel)]
built = [cls.__name__ for cls in classes if cls.__pydantic_complete__ and cls is not PlaidModel]
print(json.dumps(sorted(built)))
"""
NEVER_ON_THE_CLIENT_PATH = (
    "cryptography",
    "jwt",
    "plaid_layer._webhook_keys",
    "plaid_layer._webhook_verification",
    "plaid_layer._webhooks",
    "plaid_layer.testing",
    "plaid_layer.webhooks",
    "pydantic.root_model",
    "respx",
)


def run(code: str) -> tuple[set[str], list[str]]:
    """The modules a fresh interpreter holds after `code`, and what `code` printed."""
    report = "import json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\n{report}"], capture_output=True, text=True, check=True
    )
    *printed, modules = result.stdout.splitlines()
    return set(json.loads(modules)), printed


def loaded(modules: set[str], package: str) -> bool:
    return any(name == package or name.startswith(f"{package}.") for name in modules)


def test_importing_the_package_loads_neither_httpx_nor_pydantic() -> None:
    modules, _ = run("import plaid_layer")
    assert [name for name in ("httpx", "pydantic", "plaid_layer.client") if loaded(modules, name)] == []


def test_a_call_loads_no_webhook_or_testing_code() -> None:
    modules, _ = run(ONE_CALL)
    assert loaded(modules, "plaid_layer.client")
    assert [name for name in NEVER_ON_THE_CLIENT_PATH if loaded(modules, name)] == []


def test_a_call_builds_only_the_models_of_its_operation() -> None:
    _, printed = run(ONE_CALL + "import json" + BUILT_MODELS)
    # Nested models (the request's `user`, the response's `link`) are built into their parents.
    assert json.loads(printed[-1]) == ["SessionTokenCreateRequest", "SessionTokenCreateResponse"]


def test_creating_a_client_loads_no_operation_or_model_module() -> None:
    modules, _ = run("import plaid_layer\nplaid_layer.PlaidLayer(client_id='c', secret='s')")
    assert (
        sorted(name for name in modules if name.startswith(("plaid_layer.api", "plaid_layer.models"))) == []
    )


def ours(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.startswith(("plaid_layer.api", "plaid_layer.models")))


def test_a_successful_call_loads_only_the_model_modules_of_its_operation() -> None:
    # The error model is loaded by the first error response, not by the operation.
    modules, _ = run(ONE_CALL)
    assert ours(modules) == [
        "plaid_layer.api",
        "plaid_layer.api.layer",
        "plaid_layer.api.layer.session_token_create",
        "plaid_layer.models",
        "plaid_layer.models._session_token_create",
    ]


def test_the_first_error_response_loads_the_error_model_and_parses_with_it() -> None:
    failing = f"""
import httpx, plaid_layer
body = open({str(EXAMPLES / "sessionTokenCreate.response.default.json")!r}, "rb").read()
transport = httpx.MockTransport(lambda request: httpx.Response(400, content=body))
client = plaid_layer.PlaidLayer(client_id="c", secret="s", http_client=httpx.Client(transport=transport))
try:
    client.session_token_create(template_id="template_1", user={{"client_user_id": "u-1"}})
except plaid_layer.APIStatusError as exc:
    print(type(exc.error).__module__, exc.error_code)
"""
    modules, printed = run(failing)
    code = json.loads((EXAMPLES / "sessionTokenCreate.response.default.json").read_text())["error_code"]
    assert "plaid_layer.models._plaid_error" in ours(modules)
    assert printed[-1] == f"plaid_layer.models._plaid_error {code}"
