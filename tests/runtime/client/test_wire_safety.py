"""What leaves the machine: no redirect is followed, no credential crosses a network in clear text,
and input httpx would choke on is refused before anything is sent, each as a typed error."""

from __future__ import annotations

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st
from plaid_layer import (
    APIConnectionError,
    APIStatusError,
    InvalidHeaderError,
    PlaidLayer,
    PlaidLayerConfigError,
    RequestValidationError,
    ResponseDecodingError,
)
from plaid_layer._base_client import Operation
from plaid_layer._send import request_target

from tests.runtime.client.support import CLIENT_ID, SECRET, json_response
from tests.support import load_example

PATH = "/user_account/session/get"
OK = load_example("userAccountSessionGet.response.200")


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_never_followed_even_by_a_following_client(status: int) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "sandbox.plaid.com":
            return httpx.Response(status, headers={"Location": "https://attacker.example/steal"})
        return json_response(200, OK)

    http = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)
    with (
        PlaidLayer(client_id=CLIENT_ID, secret=SECRET, http_client=http, max_retries=0) as plaid,
        pytest.raises(APIStatusError) as caught,
    ):
        plaid.user_account_session_get(public_token="public-sandbox-1")
    assert [request.url.host for request in seen] == ["sandbox.plaid.com"]
    assert caught.value.status_code == status
    assert "redirect" in str(caught.value) and "attacker" not in str(caught.value)


@pytest.mark.parametrize(
    "base_url",
    [
        "http://sandbox.plaid.com",
        "http://10.0.0.8:8080",
        "ftp://sandbox.plaid.com",
        "http://[::1",
        f"https://user:{SECRET}@sandbox.plaid.com",
        "https://sandbox.plaid.com/?key=v",
    ],
)
def test_credentials_never_go_over_plain_http_except_to_loopback(base_url: str) -> None:
    with pytest.raises(PlaidLayerConfigError) as caught:
        PlaidLayer(client_id=CLIENT_ID, secret=SECRET, base_url=base_url)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:8080", "http://localhost:1234/", "http://[::1]:80"])
def test_plain_http_to_loopback_is_allowed_for_local_servers(base_url: str) -> None:
    with PlaidLayer(client_id=CLIENT_ID, secret=SECRET, base_url=base_url) as plaid:
        assert plaid.base_url == base_url.rstrip("/")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("X-Trace", "line\r\nInjected: yes"),
        ("X-Trace", "caf\u00e9"),
        ("X-Trace", "nul\x00"),
        ("X-Trace", " padded"),
        ("Bad Name", "v"),
        ("X-\u00e9", "v"),
        ("", "v"),
    ],
    ids=["crlf", "non-ascii-value", "nul", "leading-space", "space-in-name", "non-ascii-name", "empty-name"],
)
def test_a_bad_extra_header_is_a_usage_error_before_sending(
    client: PlaidLayer, router: respx.MockRouter, name: str, value: str
) -> None:
    route = router.post(PATH).mock(return_value=json_response(200, OK))
    with pytest.raises(InvalidHeaderError) as caught:
        client.user_account_session_get(public_token="p", extra_headers={name: value})
    assert isinstance(caught.value, RequestValidationError)
    assert not route.called
    assert caught.value.operation_id == "userAccountSessionGet"
    if value != "v":
        assert value not in str(caught.value)  # the value may be a credential


@given(value=st.text(alphabet=st.characters(min_codepoint=0x09, max_codepoint=0x7F), max_size=40))
def test_a_header_value_is_sent_as_given_or_refused_before_sending(value: str) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return json_response(200, OK)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    sendable = value == value.strip(" \t") and all(char == "\t" or " " <= char <= "~" for char in value)
    with PlaidLayer(client_id=CLIENT_ID, secret=SECRET, http_client=http) as plaid:
        try:
            plaid.user_account_session_get(public_token="p", extra_headers={"X-Trace": value})
        except InvalidHeaderError:
            assert not sendable
            assert sent == []
        else:
            assert sendable
            assert sent[0].headers["x-trace"] == value


def test_a_corrupt_gzip_body_is_a_typed_error_and_not_retried(
    client: PlaidLayer, router: respx.MockRouter
) -> None:
    route = router.post(PATH).mock(
        return_value=httpx.Response(
            500, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(b"not gzip at all")
        )
    )
    with pytest.raises(ResponseDecodingError) as caught:
        client.user_account_session_get(public_token="p")
    assert caught.value.operation_id == "userAccountSessionGet"
    assert route.call_count == 1


@pytest.mark.parametrize("flavour", ["mock-transport", "respx"])
def test_a_corrupt_gzip_body_names_its_status_when_known(router: respx.MockRouter, flavour: str) -> None:
    def reply(_: httpx.Request) -> httpx.Response:
        return httpx.Response(500, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(b"junk"))

    http = httpx.Client(transport=httpx.MockTransport(reply)) if flavour == "mock-transport" else None
    router.post(PATH).mock(side_effect=reply)
    with (
        PlaidLayer(client_id=CLIENT_ID, secret=SECRET, http_client=http) as plaid,
        pytest.raises(ResponseDecodingError) as caught,
    ):
        plaid.user_account_session_get(public_token="p")
    assert caught.value.status_code == (500 if flavour == "mock-transport" else None)


def test_too_many_redirects_from_an_auth_flow_is_a_connection_error() -> None:
    class Looping(httpx.Auth):
        def auth_flow(self, request: httpx.Request):  # type: ignore[no-untyped-def]
            while True:
                yield request

    http = httpx.Client(transport=httpx.MockTransport(lambda _: httpx.Response(401)), auth=Looping())
    with (
        PlaidLayer(client_id=CLIENT_ID, secret=SECRET, http_client=http) as plaid,
        pytest.raises(APIConnectionError, match="too many redirects") as caught,
    ):
        plaid.user_account_session_get(public_token="p")
    assert caught.value.operation_id == "userAccountSessionGet"


def test_a_connection_error_names_the_method_url_and_operation(
    client: PlaidLayer, router: respx.MockRouter
) -> None:
    router.post(PATH).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError) as caught:
        client.user_account_session_get(public_token="public-sandbox-1", max_retries=0)
    error = caught.value
    assert (error.method, error.url, error.operation_id) == (
        "POST",
        "https://sandbox.plaid.com/user_account/session/get",
        "userAccountSessionGet",
    )
    assert "POST https://sandbox.plaid.com/user_account/session/get" in str(error)
    assert SECRET not in str(error) and CLIENT_ID not in str(error)


def test_the_user_supplied_clients_hooks_auth_and_headers_still_apply() -> None:
    seen: list[str] = []

    class Stamp(httpx.Auth):
        def auth_flow(self, request: httpx.Request):  # type: ignore[no-untyped-def]
            request.headers["X-Auth"] = "stamped"
            yield request

    http = httpx.Client(
        transport=httpx.MockTransport(lambda _: json_response(200, OK)),
        auth=Stamp(),
        headers={"X-Tenant": "t-1"},
        event_hooks={"request": [lambda request: seen.append(request.headers["x-auth"])]},
    )
    with PlaidLayer(client_id=CLIENT_ID, secret=SECRET, http_client=http) as plaid:
        raw = plaid.with_raw_response.user_account_session_get(public_token="p")
    request = raw.http_response.request
    assert seen == ["stamped"]
    assert request.headers["x-tenant"] == "t-1"
    assert request.headers["plaid-secret"] == SECRET


@pytest.mark.parametrize("name", ["Host", "content-length", "Transfer-Encoding"])
def test_framing_headers_are_the_clients_own(client: PlaidLayer, router: respx.MockRouter, name: str) -> None:
    route = router.post(PATH).mock(return_value=json_response(200, OK))
    with pytest.raises(InvalidHeaderError):
        client.user_account_session_get(public_token="p", extra_headers={name: "1"})
    assert not route.called


@given(
    extra=st.dictionaries(
        st.sampled_from(["X-A", "X-B", "Plaid-Version", "User-Agent"]), st.sampled_from(["1", "v w"])
    )
)
def test_the_request_is_what_httpx_itself_would_build(extra: dict[str, str]) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return json_response(200, OK)

    http = httpx.Client(transport=httpx.MockTransport(handler), headers={"X-Tenant": "t"})
    with PlaidLayer(client_id=CLIENT_ID, secret=SECRET, http_client=http) as plaid:
        plaid.user_account_session_get(public_token="p", extra_headers=extra)
        ours = {**plaid._own_headers, **extra}
    (request,) = sent
    expected = http.build_request("POST", request.url, headers=ours, content=request.content)
    # The same headers; httpx's own merge order differs only for overridden ones.
    assert sorted(request.headers.raw) == sorted(expected.headers.raw)
    assert request.headers.raw[0] == expected.headers.raw[0] == (b"Host", b"sandbox.plaid.com")
    assert (request.method, request.url, request.content) == (expected.method, expected.url, expected.content)


@pytest.mark.parametrize("url", ["https://sandbox.plaid.com:abc/x", "https://sandbox.plaid.com/a\x00b"])
def test_a_url_httpx_cannot_parse_is_a_config_error_not_an_httpx_one(url: str) -> None:
    with pytest.raises(PlaidLayerConfigError, match="invalid request URL"):
        request_target(url)


def test_a_new_default_timeout_applies_to_the_next_calls(
    client: PlaidLayer, router: respx.MockRouter
) -> None:
    route = router.post(PATH).mock(return_value=json_response(200, OK))
    client.timeout = 4.0
    client.user_account_session_get(public_token="p")
    assert route.calls.last.request.extensions["timeout"]["read"] == 4.0


def test_a_hook_that_edits_one_request_leaves_the_next_ones_headers_alone() -> None:
    sent: list[httpx.Request] = []

    def hook(request: httpx.Request) -> None:
        request.headers["X-Hooked"] = str(len(sent))

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return json_response(200, OK)

    http = httpx.Client(transport=httpx.MockTransport(handler), event_hooks={"request": [hook]})
    with PlaidLayer(client_id=CLIENT_ID, secret=SECRET, http_client=http) as plaid:
        plaid.user_account_session_get(public_token="p")
        plaid.user_account_session_get(public_token="p")
    assert [request.headers.get_list("X-Hooked") for request in sent] == [["0"], ["1"]]
    assert [name for name, _ in sent[1].headers.raw].count(b"Content-Length") == 1


def test_a_call_without_a_body_sends_no_media_type_and_no_length(router: respx.MockRouter) -> None:
    route = router.post(PATH).mock(
        side_effect=lambda request: json_response(200, OK) if request.content else httpx.Response(204)
    )
    operation: Operation[None] = Operation("bodiless", "post", PATH, None, None, None)
    with PlaidLayer(client_id=CLIENT_ID, secret=SECRET) as plaid:
        plaid._request(operation)
        plaid.user_account_session_get(public_token="p")  # the client's own headers keep theirs
        plaid._request(operation)
    first, with_body, last = (call.request for call in route.calls)
    for request in (first, last):
        assert "content-type" not in request.headers and "content-length" not in request.headers
        assert request.headers.raw[0] == (b"Host", b"sandbox.plaid.com")
    assert with_body.headers["content-type"] == "application/json"
