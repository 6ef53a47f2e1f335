# Copied by layer-codegen from templates/runtime/_tolerant.py, unchanged; do not edit here: edit that file, then nox -s generate
"""Reading a body that does not fit its schema: the typed model anyway, and a list of what differed.

Plaid's answers do not always match Plaid's spec (a `null` where a value is required, a field
left out, a number where a string was promised). A body that fits is validated as usual; only
when validation fails is the model built field by field instead: every value is kept as sent,
nested objects become their models wherever they fit, a missing required field reads as `None`
(and is absent from `model_fields_set`), unknown fields stay in `model_extra`. Each difference
is recorded as a `Deviation(path, problem)`; paths and problems name fields, never values.
"""

from __future__ import annotations

import types
import weakref
from collections.abc import Mapping
from typing import Annotated, Any, NamedTuple, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)

_PROBLEM_LENGTH = 160
"""Longer validation messages (an enum's every value) are cut to this many characters."""


class Deviation(NamedTuple):
    """One place where a body differs from its schema: the field's path and what is wrong there."""

    path: str
    """Dotted, with list indices: `items.0.access_token`; `(root)` for the body itself."""
    problem: str
    """Why the value does not fit, for example `Field required`; never the value itself."""


_FOUND: dict[int, tuple[Deviation, ...]] = {}


def deviations(value: object) -> tuple[Deviation, ...]:
    """How a parsed response or webhook differs from its schema; `()` when it fits.

    Pass the object a method, `parse_webhook` or `verify_and_parse` returned (not one of its
    nested models). The same list is on `RawResponse.deviations`.

        session = client.user_account_session_get(public_token=token)
        for path, problem in deviations(session):
            print(path, problem)  # e.g. "items.0.item_id", "Field required"
    """
    return _FOUND.get(id(value), ())


def _remember(value: object, found: tuple[Deviation, ...]) -> None:
    key = id(value)
    _FOUND[key] = found
    weakref.finalize(value, _FOUND.pop, key, None)  # the entry goes with the object


def fit(model: type[ModelT], data: Any) -> tuple[ModelT, tuple[Deviation, ...]]:
    """`data` as `model` after strict validation failed, with its deviations.

    Raises the `ValidationError` again when `data` is not a JSON object: there is no model to
    build then.
    """
    if not isinstance(data, Mapping):
        model.model_validate(data)  # raises: the body is no object
    found: list[Deviation] = []
    built = _build(model, data, "", found, validated=False)
    if not found:  # strict validation failed, so something differs; name it at least
        found.append(Deviation("(root)", "does not fit the schema"))
    result = tuple(found)
    _remember(built, result)
    return built, result


def _build(
    model: type[ModelT], data: Mapping[str, Any], path: str, found: list[Deviation], *, validated: bool
) -> ModelT:
    if validated:
        try:
            return model.model_validate(data)
        except ValidationError:
            pass
    scratch = model.model_construct()
    values: dict[str, Any] = {}
    fields_set: set[str] = set()
    known: set[str] = set()
    for name, info in model.model_fields.items():
        key = info.alias or name
        known.add(key)
        where = f"{path}.{key}" if path else key
        if key not in data:
            if info.is_required():
                values[name] = None
                found.append(Deviation(where, "Field required"))
            continue
        fields_set.add(name)
        raw = data[key]
        try:
            model.__pydantic_validator__.validate_assignment(scratch, name, raw)
        except ValidationError as exc:
            values[name] = _fitted(info.annotation, raw, where, found, exc)
        else:
            values[name] = scratch.__dict__[name]
    extra = {key: value for key, value in data.items() if key not in known}
    built = model.model_construct(fields_set, **values)
    if extra:
        if model.model_config.get("extra") != "allow":  # kept all the same, and reported
            found.extend(
                Deviation(f"{path}.{key}" if path else key, "Extra inputs are not permitted") for key in extra
            )
        object.__setattr__(built, "__pydantic_extra__", extra)
    return built


def _fitted(annotation: Any, raw: Any, where: str, found: list[Deviation], exc: ValidationError) -> Any:
    """A value that failed validation: nested models built where they fit, anything else as sent."""
    inner = _model_of(annotation)
    if inner is not None and isinstance(raw, Mapping):
        return _build(inner, raw, where, found, validated=False)
    item = _list_item_model(annotation)
    if item is not None and isinstance(raw, list):
        items: list[Any] = []
        for index, value in enumerate(raw):
            if isinstance(value, Mapping):
                items.append(_build(item, value, f"{where}.{index}", found, validated=True))
            else:
                items.append(value)
                problem = (
                    "null, which the schema does not allow" if value is None else "Input should be an object"
                )
                found.append(Deviation(f"{where}.{index}", problem))
        return items
    found.append(Deviation(where, _problem(raw, exc)))
    return raw


def _problem(raw: Any, exc: ValidationError) -> str:
    if raw is None:
        return "null, which the schema does not allow"
    messages = dict.fromkeys(
        item["msg"] for item in exc.errors(include_url=False, include_input=False, include_context=False)
    )
    text = "; ".join(messages)
    return text if len(text) <= _PROBLEM_LENGTH else text[: _PROBLEM_LENGTH - 3] + "..."


def _unwrapped(annotation: Any) -> list[Any]:
    """The alternatives of an annotation, without `Annotated` metadata and without `None`."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        found = []
        for arg in get_args(annotation):
            found.extend(_unwrapped(arg))
        return found
    return [] if annotation is type(None) else [annotation]


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The one model class an annotation names (`M`, `M | None`), or `None`."""
    models = [arg for arg in _unwrapped(annotation) if isinstance(arg, type) and issubclass(arg, BaseModel)]
    return models[0] if len(models) == 1 else None


def _list_item_model(annotation: Any) -> type[BaseModel] | None:
    """The model class of a `list[M]` (or `list[M] | None`) annotation, or `None`."""
    lists = [arg for arg in _unwrapped(annotation) if get_origin(arg) is list]
    if len(lists) != 1:
        return None
    (item,) = get_args(lists[0]) or (None,)
    return _model_of(item)
