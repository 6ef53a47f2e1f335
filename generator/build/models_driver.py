"""The datamodel-code-generator driver: the pydantic models of every schema, split into modules.

datamodel-code-generator writes one module from the document `facts.models_document` prepares;
`model_modules` splits it by the users of each model, so a call loads only its own models.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tomllib
import warnings as warnings_module
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from generator import collector
from generator.build.model_modules import render_index, split_models
from generator.build.summary import summarise_warnings
from generator.errors import GenerationError
from generator.paths import TEMPLATES


def datamodel_codegen_options(package: str, options_file: Path) -> dict[str, Any]:
    """The datamodel-code-generator options from its config file `options_file`, as keyword arguments.

    The base class is given inside the generated package (`_models.PlaidModel`) and gets the
    `package` name in front: datamodel-code-generator takes only an absolute import path.
    """
    with options_file.open("rb") as handle:
        options = tomllib.load(handle)["tool"]["datamodel-codegen"]
    if "base-class" in options:
        options["base-class"] = f"{package}.{options['base-class']}"
    if "custom-template-dir" in options:  # a folder inside templates/
        options["custom-template-dir"] = TEMPLATES / options["custom-template-dir"]
    return {key.replace("-", "_"): value for key, value in options.items()}


PYDANTIC_PROTECTED = ("model_validate", "model_dump")
"""Pydantic's protected namespaces (its default since 2.10): a field starting so warns at import."""


def protected_field_aliases(document: Mapping[str, Any]) -> dict[str, str]:
    """Python names for the properties pydantic would warn about: `model_dump` -> `field_model_dump`.

    datamodel-code-generator only appends `_` to a name that shadows a `BaseModel` attribute
    (`model_dump_`), which still starts with a protected namespace; importing the models would then
    warn, and fail under `python -W error`. The wire name stays the field's alias.
    """
    names: set[str] = set()
    pending: list[Any] = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                names.update(name for name in properties if isinstance(name, str))
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return {name: f"field_{name}" for name in sorted(names) if name.startswith(PYDANTIC_PROTECTED)}


def run_datamodel_codegen(
    document: dict[str, Any],
    models_dir: Path,
    users: Mapping[str, Iterable[str]],
    *,
    package: str,
    options_file: Path,
) -> None:
    """Write the pydantic models for every schema (webhook payloads and their union included).

    `document` is the already parsed and normalised spec (`facts.models_document`), so the spec
    is not read again. datamodel-code-generator writes one module; it is split into the package
    `models_dir` by the `users` of each model (`generator.build.model_modules`), so a call loads only
    its own operation's models. Its warnings are summarised on stderr; an exception stops the build.
    """
    # Lazy: a heavy third-party generator, imported only by the build that runs it.
    from datamodel_code_generator import generate

    options = datamodel_codegen_options(package, options_file)
    options["aliases"] = protected_field_aliases(document)
    try:
        with (
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()) as err,
            warnings_module.catch_warnings(record=True) as caught,
            # Its parse keeps almost everything it builds to the end: about 15% of the full spec's
            # models stage went to full collections rescanning it.
            collector.young_collections_only(),
        ):
            warnings_module.simplefilter("always")
            source = generate(document, **options)
    except Exception as exc:
        first = " ".join(str(exc).split())[:500]
        raise GenerationError(f"datamodel-code-generator: {type(exc).__name__}: {first}") from exc
    messages = [str(w.message) for w in caught]
    messages += [line for line in err.getvalue().splitlines() if line.strip()]
    if messages:
        print(summarise_warnings("datamodel-code-generator", messages), file=sys.stderr)
    if not isinstance(source, str):
        raise GenerationError("datamodel-code-generator wrote several modules where one was expected")
    with collector.paused():  # the module's syntax tree: a few hundred thousand nodes, no cycles
        split = split_models(source, users, package)
    models_dir.mkdir(parents=True, exist_ok=True)
    for name, text in split.modules.items():
        (models_dir / f"{name}.py").write_text(text, encoding="utf-8")
    (models_dir / "__init__.py").write_text(render_index(split.index), encoding="utf-8")
