"""Python names from spec names: snake and pascal case, identifiers, and the names a client already uses."""

from __future__ import annotations

import ast
import keyword
import re

from generator.facts.errors import facts_error
from generator.paths import TEMPLATES
from generator.spec.model import Pointer

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


_NAME_SOURCE = re.compile(r"[A-Za-z0-9_.\- ]+\Z")


def snake_case(name: str) -> str:
    """`sessionTokenCreate` -> `session_token_create`; `LAYER_AUTH` -> `layer_auth`."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return name.strip("_").lower()


def pascal_case(name: str) -> str:
    """`client_user` -> `ClientUser`; `webhookCode` -> `WebhookCode`."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", name) if part)


def python_identifier(json_name: str) -> str:
    """The keyword argument for a property or parameter: snake case, never a Python keyword."""
    name = snake_case(json_name) or "field"
    if name[0].isdigit():
        name = f"field_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name = f"{name}_"
    return name


def is_identifier(name: str) -> bool:
    """Whether `name` can be used as a Python name as it is."""
    return bool(_IDENTIFIER.match(name)) and not keyword.iskeyword(name)


def client_attribute_names() -> frozenset[str]:
    """Every attribute the runtime client classes define (methods, properties, `self.x = ...`)."""
    tree = ast.parse((TEMPLATES / "runtime" / "_base_client.py").read_text(encoding="utf-8"))
    names = {"with_raw_response"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in ast.walk(node):
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(item.name)
                elif isinstance(item, ast.Attribute) and isinstance(item.value, ast.Name):
                    if item.value.id == "self" and isinstance(item.ctx, ast.Store):
                        names.add(item.attr)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    names.add(item.target.id)
    return frozenset(names)


def check_name(value: str, what: str, pointer: Pointer) -> str:
    """The snake-case Python name of an operationId or webhook name; `FactsError` if it gives none."""
    if not _NAME_SOURCE.match(value):
        raise facts_error(
            f"{what} {value!r} may only hold letters, digits, '_', '-', '.' and spaces", pointer
        )
    name = snake_case(value)
    if not is_identifier(name):
        raise facts_error(f"{what} {value!r} gives no usable Python name ({name!r})", pointer)
    return name
