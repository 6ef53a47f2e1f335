"""An in-process Plaid Layer API for tests: every operation of the spec, answered by respx.

By default each operation answers its documented example. A test can queue other answers per
operation; they are used in order, then the default applies again. Each request is checked as
the real API would check it (see `_validation`), and recorded with its credentials masked.
respx (the optional `testing` extra) is imported only when a mock is built, so that the pytest
plugin, which pytest loads in every run, works without it.

The mock is generic in the names it takes: the generated `mock_layer()` gives the spec's operation
names and error types as `Literal`s, so a type checker catches a misspelt operation or error type.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import httpx

from ._calls import MockCall, masked_body, masked_headers
from ._catalog import Catalog, CatalogOperation
from ._deviating import deviating
from ._errors import documented_status, json_response, plaid_error
from ._replies import Failure, Queued, Reply, delayed, times_out
from ._validation import request_problem

if TYPE_CHECKING:
    import respx

Handler = Callable[[Any], httpx.Response]
"""Answers an operation from the request's parsed JSON body (credentials not masked)."""
OperationT = TypeVar("OperationT", bound=str)
"""The operation names a mock takes: a method name or an operationId of the spec."""
ErrorTypeT = TypeVar("ErrorTypeT", bound=str)
"""The `error_type` values `queue_error` takes: those of the spec's error model."""


def _parse_json(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return None


def _path_pattern(path: str) -> str:
    """A regular expression for a spec path: each `{parameter}` matches one path segment."""
    return "".join(
        "[^/]+" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{[^}/]*\})", path)
    )


class LayerMock(Generic[OperationT, ErrorTypeT]):
    """A respx router that plays the Plaid Layer API, for one test.

    Use it as a context manager (`with` or `async with`); it intercepts requests to every server
    in the spec (or only to `base_url`), so clients need no changes. Requests to other URLs fail
    with respx's "not mocked" error; add routes to `mock.router` to answer them. Built by the
    generated `mock_layer()`, it takes only the spec's operation names and error types (a type
    checker refuses others); `LayerMock[str, str](catalog)` takes any string, checked at run time.

    Example:
        with mock_layer() as mock:
            mock.queue_error("user_account_session_get", error_type="INVALID_INPUT",
                             error_code="INVALID_PUBLIC_TOKEN")
            with pytest.raises(InvalidInputError):
                client.user_account_session_get(public_token="profile-sandbox-...")
            assert mock.calls_for("user_account_session_get")[0].status_code == 400
    """

    def __init__(
        self,
        catalog: Catalog,
        *,
        base_url: str | None = None,
        client_id: str | None = None,
        secret: str | None = None,
    ) -> None:
        """Build the mock; nothing is intercepted until it is entered (or `start()`ed).

        Args:
            catalog: The operations and servers, from the generated `testing` package.
            base_url: Intercept only this server instead of every environment's.
            client_id: When given, other client ids are refused with `INVALID_API_KEYS`.
            secret: When given, other secrets are refused with `INVALID_API_KEYS`.
        """
        # respx is optional: importing the kit (and the pytest plugin) must work without it.
        try:
            import respx
        except ImportError as exc:
            extra = f"{catalog.distribution}[testing]"
            raise ImportError(f"LayerMock needs respx: pip install {extra!r}") from exc
        self.catalog = catalog
        self.router: respx.MockRouter = respx.MockRouter(assert_all_called=False)
        self._expected_credentials = {
            field: value
            for field, value in (("client_id", client_id), ("secret", secret))
            if value is not None
        } or None
        self._queues: dict[str, deque[Queued]] = {entry.python_name: deque() for entry in catalog.operations}
        self._handlers: dict[str, Handler] = {}
        self._calls: list[MockCall] = []
        servers = [base_url] if base_url else list(catalog.environments.values())
        # One route per server and HTTP method, matching exactly the spec's paths: respx compares
        # each new route with all earlier ones, so a route per operation costs seconds for
        # Plaid's hundreds of operations; the entry is then found by path in a dict.
        by_method: dict[str, dict[str, CatalogOperation]] = {}
        for entry in catalog.operations:
            by_method.setdefault(entry.operation.method.upper(), {})[entry.operation.path] = entry
        for server in servers:
            root = httpx.URL(server.rstrip("/"))
            where: dict[str, Any] = {"scheme": root.scheme, "host": root.host}
            if root.port is not None:
                where["port"] = root.port
            prefix = root.path.rstrip("/")
            for method, entries in sorted(by_method.items()):
                paths = "|".join(_path_pattern(prefix + path) for path in sorted(entries))
                self.router.route(method=method, path__regex=f"(?:{paths})\\Z", **where).mock(
                    side_effect=self._dispatch(entries, len(prefix))
                )

    def start(self) -> None:
        """Start intercepting requests."""
        self.router.start()

    def stop(self) -> None:
        """Stop intercepting requests."""
        self.router.stop()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        return self.__enter__()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.__exit__(exc_type, exc, tb)

    def queue(
        self,
        operation: OperationT,
        *,
        json: Any,
        status: int = 200,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        """Answer the next call of `operation` (method name or operationId) with `json`.

        The body is sent as given, not checked against the response schema, so a test can also
        send what the client must refuse.
        """
        self._queue(operation, Reply(status, json, headers or {}, delay))

    def queue_deviating(
        self,
        operation: OperationT,
        *,
        remove: Iterable[str] = (),
        replace: Mapping[str, Any] | None = None,
        status: int = 200,
    ) -> None:
        """Answer the next call of `operation` with its documented example, deviating from the spec.

        `remove` leaves out fields and `replace` sets them, by dotted path (`items.0.item_id`):

            mock.queue_deviating("user_account_session_get", remove=["request_id"], replace={"items": None})
        """
        entry = self.catalog.operation(operation)
        if entry.response_example is None:
            raise ValueError(f"{entry.operation_id} has no documented example to deviate from")
        body = deviating(entry.response_example(), remove, replace or {})
        self._queue(operation, Reply(status, body, {}, 0.0))

    def queue_error(
        self,
        operation: OperationT,
        *,
        error_type: ErrorTypeT,
        error_code: str,
        status: int | None = None,
        error_message: str | None = None,
        display_message: str | None = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        **fields: Any,
    ) -> None:
        """Answer the next call of `operation` with a Plaid error; `fields` add keys to its body.

        The HTTP status is the one Plaid documents for the error (429 for `RATE_LIMIT_EXCEEDED`,
        500 for `API_ERROR`, 503 for its `PLANNED_MAINTENANCE`, 400 for most others; see
        `documented_status`) unless `status` is given.

        Example:
            mock.queue_error("session_token_create", error_type="RATE_LIMIT_EXCEEDED",
                             error_code="RATE_LIMIT", headers={"Retry-After": "0"})
        """
        if status is None:
            status = documented_status(error_type, error_code)
        body = plaid_error(error_type, error_code, error_message, display_message=display_message, **fields)
        self._queue(operation, Reply(status, body, headers or {}, delay))

    def queue_network_error(
        self, operation: OperationT, message: str = "simulated connection failure"
    ) -> None:
        """Make the next call of `operation` fail to connect (`httpx.ConnectError`)."""
        self._queue(operation, Failure(httpx.ConnectError, message))

    def queue_timeout(self, operation: OperationT, message: str = "simulated read timeout") -> None:
        """Make the next call of `operation` time out (`httpx.ReadTimeout`)."""
        self._queue(operation, Failure(httpx.ReadTimeout, message))

    def queue_delay(self, operation: OperationT, seconds: float) -> None:
        """Give the next call of `operation` its usual answer, `seconds` late.

        Like a slow server, a delay longer than the call's read timeout makes the client give up
        when the timeout runs out (`httpx.ReadTimeout`, which the client raises as `APITimeoutError`).
        """
        self._queue(operation, Reply(delay=seconds))

    def set_handler(self, operation: OperationT, handler: Handler | None) -> None:
        """Answer `operation` with `handler` instead of its documented example; `None` undoes it."""
        name = self.catalog.operation(operation).python_name
        if handler is None:
            self._handlers.pop(name, None)
        else:
            self._handlers[name] = handler

    def handler(self, operation: OperationT) -> Handler | None:
        """The handler set for `operation`, if any."""
        return self._handlers.get(self.catalog.operation(operation).python_name)

    @property
    def calls(self) -> tuple[MockCall, ...]:
        """Every request received so far, oldest first."""
        return tuple(self._calls)

    def calls_for(self, operation: OperationT) -> list[MockCall]:
        """The requests received for `operation` (method name or operationId), oldest first."""
        name = self.catalog.operation(operation).python_name
        return [call for call in self._calls if call.operation == name]

    def _queue(self, operation: OperationT, queued: Queued) -> None:
        self._queues[self.catalog.operation(operation).python_name].append(queued)

    def _dispatch(
        self, entries: dict[str, CatalogOperation], prefix: int
    ) -> Callable[[httpx.Request], httpx.Response]:
        templated = [
            (re.compile(_path_pattern(path) + r"\Z"), entry) for path, entry in entries.items() if "{" in path
        ]

        def answer(request: httpx.Request) -> httpx.Response:
            path = request.url.path[prefix:]
            entry = entries.get(path) or next(e for pattern, e in templated if pattern.match(path))
            return self._answer(entry, request)

        return answer

    def _answer(self, entry: CatalogOperation, request: httpx.Request) -> httpx.Response:
        queue = self._queues[entry.python_name]
        body = _parse_json(request.content)
        head = queue[0] if queue else None
        if isinstance(head, Failure):  # the request never reached Plaid: nothing to check
            queue.popleft()
            self._record(entry, request, body, None)
            raise head.exception(request)
        problem = request_problem(
            request, body, entry.operation, self.catalog.credential_headers, self._expected_credentials
        )
        if problem is not None:  # refused before anything queued is used, as Plaid would
            response = json_response(400, problem)
        else:
            if head is not None:
                queue.popleft()
            reply = head or Reply()
            if reply.body is None:
                response = self._usual_answer(entry, body)
            else:
                response = json_response(reply.status, reply.body, dict(reply.headers))
            response = delayed(response, reply.delay, request)
        self._record(entry, request, body, None if times_out(response) else response.status_code)
        return response

    def _usual_answer(self, entry: CatalogOperation, body: Any) -> httpx.Response:
        handler = self._handlers.get(entry.python_name)
        if handler is not None:
            return handler(body)
        if entry.response_example is None:
            raise RuntimeError(
                f"{entry.operation_id} has no documented example in the spec to answer with; "
                f"queue one with mock.queue({entry.python_name!r}, json=...)"
            )
        return json_response(200, entry.response_example())

    def _record(self, entry: CatalogOperation, request: httpx.Request, body: Any, status: int | None) -> None:
        credentials = self.catalog.credential_headers
        self._calls.append(
            MockCall(
                operation=entry.python_name,
                operation_id=entry.operation_id,
                json=masked_body(body, credentials),
                headers=masked_headers(request.headers, credentials),
                status_code=status,
            )
        )
