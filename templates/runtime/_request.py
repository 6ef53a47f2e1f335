"""Building a request from an operation and its arguments, and reading the success response.

An `Operation` says, from the spec, where each argument travels (path, query string, headers or
the JSON body) and how each success status is read (a model, a union of models, or raw bytes).
`prepare_request` turns one call's arguments into the URL, headers and body; `parse_success`
reads a 2xx response. Raw-response views wrap the generated methods instead of repeating them:
`to_raw_response_wrapper(method)` runs the same method and returns the `RawResponse` around the
parsed value.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any, Generic, Literal, NamedTuple, ParamSpec, TypeVar, cast
from urllib.parse import quote, urlencode

import httpx
from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticSerializationError, to_json

from ._exceptions import RequestValidationError, ResponseValidationError, describe_validation_error
from ._redact import MaskedDict
from ._tolerant import Deviation, fit

T = TypeVar("T")
P = ParamSpec("P")

ParameterLocation = Literal["path", "query", "header"]

logger = logging.getLogger(__package__)

NULLABLE_MARKER = "x-layer-nullable"
"""The field extra the generator puts on request-model fields whose schema admits `null`."""


# The descriptions below are named tuples rather than dataclasses: as immutable, and much quicker
# to create when the module is imported.


class Parameter(NamedTuple):
    """One path, query or header parameter: its keyword argument and its name on the wire."""

    python_name: str
    wire_name: str
    location: ParameterLocation


class Operation(NamedTuple, Generic[T]):
    """One API operation as the spec describes it.

    `response_model` is what the first success status is read with: a model class, `bytes` for a
    binary body, or `None` for no body; `responses` maps each documented success status to its
    reader when there are several. `error_model` names the model of an error body in the
    package's `models`; it is imported when the first error response arrives, not with the
    operation.
    """

    operation_id: str
    method: str
    path: str
    request_model: type[BaseModel] | None
    response_model: Any
    error_model: str | None
    parameters: tuple[Parameter, ...] = ()
    responses: Mapping[int, Any] = MappingProxyType({})


class RawResponse(Generic[T]):
    """A parsed response together with its HTTP details.

    `deviations` lists where the body differed from the spec (`(path, problem)` pairs, the same
    as the package's `deviations(parsed)`); it is empty when the body fit.
    """

    __slots__ = ("deviations", "http_response", "parsed")

    def __init__(
        self, http_response: httpx.Response, parsed: T, deviations: tuple[Deviation, ...] = ()
    ) -> None:
        self.http_response: httpx.Response = http_response
        self.parsed: T = parsed
        self.deviations: tuple[Deviation, ...] = deviations

    @property
    def status_code(self) -> int:
        """The HTTP status code."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.http_response.headers

    @property
    def content(self) -> bytes:
        """The response body as received."""
        return self.http_response.content

    @property
    def request_id(self) -> str | None:
        """Plaid's id for the request, from the response body."""
        value = getattr(self.parsed, "request_id", None)
        return None if value is None else str(value)

    def __repr__(self) -> str:
        shown = f"<{len(self.parsed)} bytes>" if isinstance(self.parsed, bytes) else repr(self.parsed)
        return f"RawResponse(status_code={self.status_code}, parsed={shown})"


_NULLABLE_FIELDS: dict[type[BaseModel], frozenset[str]] = {}


def _nullable_fields(cls: type[BaseModel]) -> frozenset[str]:
    cached = _NULLABLE_FIELDS.get(cls)
    if cached is None:
        cached = frozenset(
            name
            for name, info in cls.model_fields.items()
            if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get(NULLABLE_MARKER)
        )
        _NULLABLE_FIELDS[cls] = cached
    return cached


def _omitted_nones(value: Any) -> Any:
    """The `exclude` argument that drops `None`s given for fields the spec does not mark nullable."""
    if isinstance(value, BaseModel):
        nullable = _nullable_fields(type(value))
        excluded: dict[str, Any] = {}
        for name in value.model_fields_set:
            item = getattr(value, name, None)
            if item is None:
                if name not in nullable:
                    excluded[name] = True
            elif (inner := _omitted_nones(item)) is not None:
                excluded[name] = inner
        return excluded or None
    if isinstance(value, list | tuple):
        per_item = {index: inner for index, item in enumerate(value) if (inner := _omitted_nones(item))}
        return per_item or None
    if isinstance(value, dict):
        per_key = {key: inner for key, item in value.items() if (inner := _omitted_nones(item))}
        return per_key or None
    return None


def _contains_none(value: Any) -> bool:
    """Whether the arguments hold a `None` anywhere: most calls have none, and skip the walk."""
    items: Iterable[Any]
    if isinstance(value, dict):
        items = value.values()
    elif isinstance(value, list | tuple):
        items = value
    elif isinstance(value, BaseModel):
        items = value.__dict__.values()
    else:
        return value is None
    for item in items:  # a loop, not any(): this runs on every call
        if item is None or (not isinstance(item, str | int | float) and _contains_none(item)):
            return True
    return False


def encode_body(
    operation: Operation[Any], body: Mapping[str, Any] | None, extra_body: Mapping[str, Any] | None = None
) -> bytes | None:
    """Check the body's fields against the request schema and serialise them as JSON.

    A `None` given for a field the spec does not mark nullable means "not given" and is left out,
    at every depth, whether it came in a dict or a model. `extra_body` is added unchecked, over
    the checked fields: for a field Plaid has added that the spec does not know yet.
    """
    if extra_body:
        return _with_extra_body(operation, encode_body(operation, body), extra_body)
    if operation.request_model is None or body is None:
        return None
    try:
        request = operation.request_model.model_validate(body)
    except ValidationError as exc:
        raise RequestValidationError(operation.operation_id, exc) from None
    omitted = _omitted_nones(request) if _contains_none(body) else None
    # The serializer itself writes bytes; `model_dump_json` would decode them, and we encode again.
    serializer = type(request).__pydantic_serializer__
    return serializer.to_json(request, by_alias=True, exclude_unset=True, exclude=omitted)


def _with_extra_body(
    operation: Operation[Any], encoded: bytes | None, extra_body: Mapping[str, Any]
) -> bytes:
    fields: dict[str, Any] = json.loads(encoded) if encoded else {}
    for key in extra_body:
        if not isinstance(key, str):
            raise RequestValidationError.because(
                operation.operation_id,
                ("extra_body",),
                f"extra_body keys must be strings, not {type(key).__name__}",
            )
    fields.update(extra_body)
    try:
        return to_json(fields)
    except PydanticSerializationError:
        raise RequestValidationError.because(
            operation.operation_id, ("extra_body",), "extra_body holds a value that is not JSON"
        ) from None


def _wire_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):  # a datetime too: ISO 8601, as `format: date(-time)` says
        return value.isoformat()
    return str(value)


def prepare_request(
    operation: Operation[Any],
    base_url: str,
    body: Mapping[str, Any] | None,
    params: Mapping[str, Any] | None,
    extra_body: Mapping[str, Any] | None = None,
) -> tuple[str, MaskedDict, bytes]:
    """The URL, header parameters and body of one call; arguments left out (`None`) are not sent.

    The body is checked first, so that a `RequestValidationError` leaves no parameter value in
    this frame's locals; the header values come back in a `MaskedDict`.
    """
    content = encode_body(operation, body, extra_body) or b""
    url, headers = _wire(operation, base_url, params)
    return url, headers, content


def _wire(
    operation: Operation[Any], base_url: str, params: Mapping[str, Any] | None
) -> tuple[str, MaskedDict]:
    """The URL with its path and query parameters, and the header parameters."""
    path = operation.path
    query: list[tuple[str, str]] = []
    headers = MaskedDict()
    for parameter in operation.parameters:
        value = params.get(parameter.python_name) if params else None
        if value is None:
            continue
        if parameter.location == "path":
            path = path.replace("{" + parameter.wire_name + "}", quote(_wire_value(value), safe=""))
        elif parameter.location == "query":
            values = value if isinstance(value, list | tuple) else [value]
            query.extend((parameter.wire_name, _wire_value(item)) for item in values)
        else:
            headers[parameter.wire_name] = _wire_value(value)
    return base_url + path + (f"?{urlencode(query)}" if query else ""), headers


def parse_success(
    operation: Operation[T], response: httpx.Response, *, strict: bool = False, secrets: tuple[str, ...] = ()
) -> tuple[T, tuple[Deviation, ...]]:
    """Parse a 2xx body with the reader for its status: the value and where it deviates from the spec.

    A body that fits is validated as usual. One that does not is still read into its model (see
    `_tolerant`), with one WARNING on the package's logger naming the fields; with `strict`, or
    when the body is not a JSON object at all, `ResponseValidationError` is raised instead.
    """
    reader = operation.responses.get(response.status_code, operation.response_model)
    if reader is None:  # a success status documented without a body (204)
        return cast(T, None), ()
    if reader is bytes:
        return cast(T, response.content), ()
    try:
        return reader.model_validate_json(response.content), ()
    except ValidationError as exc:
        failure = exc
    try:
        data = json.loads(response.content)
        parsed, found = fit(reader, data)
    except (ValueError, RecursionError):  # not JSON (a ValidationError is a ValueError), or no object
        fields = tuple(".".join(str(p) for p in item["loc"]) for item in failure.errors())
        raise ResponseValidationError(
            operation.operation_id,
            response.status_code,
            describe_validation_error(failure),
            fields,
            response=response,
            secrets=secrets,
        ) from None
    paths = tuple(deviation.path for deviation in found)
    if strict:
        raise ResponseValidationError(
            operation.operation_id,
            response.status_code,
            "; ".join(f"{path}: {problem}" for path, problem in found),
            paths,
            response=response,
            secrets=secrets,
            parsed=parsed,
        )
    logger.warning(
        "%s: HTTP %d response does not fit the spec at %s; read as sent",
        operation.operation_id,
        response.status_code,
        ", ".join(paths),
    )
    return cast(T, parsed), found


_RAW: ContextVar[bool] = ContextVar(f"{__package__}.raw_response", default=False)


def unwrap(raw: RawResponse[T]) -> T:
    """What a generated method returns: the parsed value, or the `RawResponse` inside a raw view."""
    if _RAW.get():
        return cast(T, raw)
    return raw.parsed


def to_raw_response_wrapper(method: Callable[P, T]) -> Callable[P, RawResponse[T]]:
    """The same method, returning the `RawResponse` (status, headers, body) around its result."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        token = _RAW.set(True)
        try:
            return cast(RawResponse[T], method(*args, **kwargs))
        finally:
            _RAW.reset(token)

    return wrapped


def async_to_raw_response_wrapper(
    method: Callable[P, Awaitable[T]],
) -> Callable[P, Awaitable[RawResponse[T]]]:
    """`to_raw_response_wrapper` for the coroutine methods of the asyncio client."""

    @functools.wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        token = _RAW.set(True)
        try:
            return cast(RawResponse[T], await method(*args, **kwargs))
        finally:
            _RAW.reset(token)

    return wrapped
