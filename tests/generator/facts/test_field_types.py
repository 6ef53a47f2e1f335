"""One type per field: what a request accepts (shapes and arguments) agrees with the model that checks it.

The request side is `generator.facts.annotations`; the models are datamodel-code-generator's. For
every request shape (`XParam`, a `TypedDict`) of the feature-coverage spec, each key is compared with
the field of its model `X`; for every method, each argument that travels in the body with the field
of the request model. Both sides are read from the generated package (`typing.get_type_hints` on the
shapes and methods, `model_fields[...].annotation` on the models) and brought to one form by the
rules in `_form` and its two union rules; `_agree` adds the one deliberate difference (enums).
"""

from __future__ import annotations

import collections.abc
import datetime
import inspect
import types
import typing
from collections.abc import Callable
from typing import Any

import pydantic
import pytest
import typing_extensions
import yaml
from pydantic import BaseModel, RootModel
from pydantic.fields import FieldInfo

from generator.facts import collect_facts
from tests.generator.support import FEATURE_SPEC, GeneratedPackage

FACTS = collect_facts(yaml.safe_load(FEATURE_SPEC.read_text(encoding="utf-8")))
SHAPES = [shape.name for shape in FACTS.typed_dicts]
BODY_ARGUMENTS = [
    (op.python_name, p.json_name) for op in FACTS.operations for p in op.params if p.location == "body"
]

# The form both sides are brought to: nested tuples, a union a frozenset of its members.
Form = Any
STR: Form = ("type", "str")


def _form(hint: Any, *, request: bool) -> Form:
    """`hint` in the common form; the `request` side's unions get the rules of `_request_union`."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:  # constraints and field metadata are the model's to check
        return _form(args[0], request=request)
    if isinstance(hint, typing_extensions.TypeAliasType):
        # collapse-root-models leaves a constrained map value as an alias (`LabelsAdditionalProperty`
        # = `Annotated[int, Field(le=10)]`): its value is the type.
        return _form(hint.__value__, request=request)
    if isinstance(hint, type) and issubclass(hint, RootModel):
        # A RootModel over a value (a map, were root models not collapsed) validates that value
        # given plain, so a request that takes the plain mapping is what a user wants: they match.
        return _form(hint.model_fields["root"].annotation, request=request)
    if origin in (typing.Union, types.UnionType):
        members = {_form(arg, request=request) for arg in args} - {("not-given",)}
        members = _request_union(members) if request else _model_union(members)
        return next(iter(members)) if len(members) == 1 else frozenset(members)
    if origin is typing.Literal:
        return ("literal", frozenset(args))
    if origin in (list, collections.abc.Sequence):  # a request takes any sequence, the model a list
        return ("list", _form(args[0], request=request))
    if origin in (dict, collections.abc.Mapping):  # likewise any mapping, the model a dict
        return ("dict", _form(args[0], request=request), _form(args[1], request=request))
    if hint is pydantic.AwareDatetime:
        # The model also checks for a time zone, which no annotation of `datetime.datetime` says.
        return ("type", "datetime")
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return ("model", hint.__name__)
    if typing.is_typeddict(hint):
        return ("shape", hint.__name__)
    if isinstance(hint, type) and hint.__name__ == "NotGiven":
        return ("not-given",)  # a method's sentinel for "leave the key out", not a value
    if hint is type(None):
        return ("none",)
    if hint is Any:
        return ("any",)
    assert isinstance(hint, type), hint
    return ("type", hint.__name__)


def _request_union(members: set[Form]) -> set[Form]:
    """The request side's union in the models' terms."""
    for member in list(members):
        # A nested object: its model or a dict of its shape, `X | XParam`, is the model `X`.
        if member[0] == "model" and ("shape", f"{member[1]}Param") in members:
            members.discard(("shape", f"{member[1]}Param"))
    # A date or a time: the value or its ISO 8601 text, which the model parses.
    if STR in members and members & {("type", "date"), ("type", "datetime")}:
        members.discard(STR)
    # An open enum (`anyOf` of an enum and a string) is any string, as the annotation says.
    if STR in members:
        members = {m for m in members if m[0] != "literal"}
    return members


def _model_union(members: set[Form]) -> set[Form]:
    """The models' union, keeping an open enum's values (`Literal[...] | str`) for `_agree`."""
    literals = {m for m in members if m[0] == "literal"}
    if STR in members and literals:
        values = frozenset().union(*(m[1] for m in literals))
        members = (members - literals - {STR}) | {("open-enum", values)}
    return members


def _agree(request: Form, model: Form) -> bool:
    """Whether the request's form matches the model's, an open enum matching a closed one too."""
    if request == model:
        return True
    if isinstance(model, tuple) and model[0] == "open-enum":
        # An open enum in the models matches a request's `str` (an open enum in the spec) and a
        # request's closed enum of the same values: request enums stay closed in signatures (a
        # decision of generator/facts, pinned in test_facts_decisions.py).
        return request in (STR, ("literal", model[1]))
    if isinstance(request, frozenset) and isinstance(model, frozenset):
        return all(any(_agree(r, m) for m in model) for r in request) and all(
            any(_agree(r, m) for r in request) for m in model
        )
    if isinstance(request, tuple) and isinstance(model, tuple) and request[0] == model[0] in ("list", "dict"):
        return all(_agree(r, m) for r, m in zip(request[1:], model[1:], strict=True))
    return False


def _namespace(feature: GeneratedPackage, module_globals: dict[str, Any]) -> dict[str, Any]:
    """Where the generated annotations' names resolve: the module, and what it imports only for
    type checkers (the models, the shapes, `typing`'s names)."""
    models = {name: getattr(feature.models, name) for name in feature.models.__all__}
    shapes = {name: getattr(feature.types, name) for name in SHAPES}
    spelled = {"Literal": typing.Literal, "Any": Any, "datetime": datetime}
    spelled |= {"Mapping": collections.abc.Mapping, "Sequence": collections.abc.Sequence}
    return {**module_globals, **spelled, **models, **shapes}


def _model_fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """The model's fields by their JSON names."""
    return {field.alias or name: field for name, field in model.model_fields.items()}


def _compare(request_hint: Any, model_field: FieldInfo) -> None:
    request, model = _form(request_hint, request=True), _form(model_field.annotation, request=False)
    assert _agree(request, model), f"request {request_hint} ~ {request}, model ~ {model}"


@pytest.mark.parametrize("shape_name", SHAPES)
def test_each_request_shape_key_has_its_model_fields_type(feature: GeneratedPackage, shape_name: str) -> None:
    shape = getattr(feature.types, shape_name)
    model = getattr(feature.models, shape_name.removesuffix("Param"))
    # With its extras: Python 3.11 reads no `Required[...]` from a string annotation into
    # `__required_keys__`, so the wrapper itself says which keys are required.
    hints = typing.get_type_hints(shape, _namespace(feature, vars(feature.types)), include_extras=True)
    fields = _model_fields(model)
    assert set(hints) == set(fields)
    for key, hint in hints.items():
        required = typing.get_origin(hint) is typing.Required
        _compare(typing.get_args(hint)[0] if required else hint, fields[key])
        assert required == fields[key].is_required(), key


@pytest.mark.parametrize("flavour", ["PlaidLayer", "AsyncPlaidLayer"])
@pytest.mark.parametrize(("method", "json_name"), BODY_ARGUMENTS)
def test_each_body_argument_has_its_request_model_fields_type(
    feature: GeneratedPackage, flavour: str, method: str, json_name: str
) -> None:
    operation = FACTS.operation(method)
    assert operation.request_class is not None
    function: Callable[..., Any] = getattr(getattr(feature.client, flavour), method)
    hints = typing.get_type_hints(function, _namespace(feature, function.__globals__))
    python_name = next(p.python_name for p in operation.params if p.json_name == json_name)
    field = _model_fields(getattr(feature.models, operation.request_class))[json_name]
    _compare(hints[python_name], field)
    default = inspect.signature(function).parameters[python_name].default
    assert (default is inspect.Parameter.empty) == field.is_required()


def test_the_shapes_compared_are_all_the_generated_ones(feature: GeneratedPackage) -> None:
    generated = {
        name
        for name, value in vars(feature.types).items()
        if typing.is_typeddict(value) and value.__module__ == feature.types.__name__
    }
    assert generated == set(SHAPES)


class _Counts(RootModel[dict[str, int]]):
    """A map as datamodel-code-generator writes it without collapse-root-models."""


def test_a_root_model_over_a_map_matches_the_plain_mapping() -> None:
    request = _form(collections.abc.Mapping[str, int] | None, request=True)
    assert _agree(request, _form(_Counts | None, request=False))
    assert not _agree(request, _form(dict[str, str] | None, request=False))
