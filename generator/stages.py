"""The stages of one build, each writing into the staging tree.

openapi-python-client renders the client and the operation descriptors with our templates;
datamodel-code-generator writes the pydantic models, split into modules by their users; the
hand-written runtime is copied as is; our own templates render what neither generator knows
about (webhooks, the testing kit's examples, packaging). Formatting and headers come last, so
templates need not care; the provenance record (generator/provenance.py) is written after them.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from generator.errors import GenerationError
from generator.facts import OperationFacts, SpecFacts
from generator.headers import COMMENT_STYLES, COPIED_HEADER, HEADER, header_line
from generator.markdown import markdown_code, markdown_text
from generator.model_modules import render_index, split_models
from generator.paths import RELEASE, TEMPLATES
from generator.project import ProjectConfig
from generator.provenance import toml_string as toml_string  # one of the escaping filters below
from generator.resources import resources

if TYPE_CHECKING:
    from openapi_python_client.config import ConfigFile

RUNTIME = TEMPLATES / "runtime"
OWN_TEMPLATES = TEMPLATES / "package"
OPC_TEMPLATES = TEMPLATES / "openapi-python-client"
PACKAGE_PLACEHOLDER = "{package}"
"""In the path of one of our templates, the package name from the project config."""
RESOURCE_PLACEHOLDER = "{resource}"
"""In the path of one of our templates: render it once per resource module, with `resource` set."""


def docstring_text(value: Any) -> str:
    """Spec text made safe inside a `\"\"\"` docstring: it can neither end the string nor escape."""
    text = "".join(_docstring_char(ch) for ch in str(value))
    # The closing quote first: escaping it after the triple quotes would split an escape (`\\"`).
    text = text[:-1] + '\\"' if text.endswith('"') else text
    return text.replace('"""', '\\"\\"\\"')


def _docstring_char(ch: str) -> str:
    if ch in "\n\t" or (ch.isprintable() and ch != "\\"):
        return ch
    if ch == "\\":
        return "\\\\"
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def python_string(value: Any) -> str:
    """A Python string literal holding `value` exactly."""
    return repr(str(value))


ESCAPING_FILTERS = {
    "docstring": docstring_text,
    "pystr": python_string,
    "toml": toml_string,
    "md": markdown_text,
    "mdcode": markdown_code,
}
"""One escaping rule per target language; every template renders spec text through one of them."""


def _template(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def _untrusted(value: Any) -> str:
    getter = getattr(value, "get_untrusted_value", None)
    return str(getter() if getter else value)


class TemplateContext:
    """What our templates see as `layer`: the facts, plus lookups from opc's objects to them."""

    def __init__(self, facts: SpecFacts, package_version: str) -> None:
        self.facts = facts
        self.package_version = package_version
        self.resources = resources(facts)

    def operation_for(self, endpoint: Any) -> OperationFacts:
        """The facts of the operation opc calls `endpoint`."""
        # openapi-python-client renames path parameters (`{consentId}` -> `{consent_id}`), so paths
        # are compared with the names left out; OpenAPI forbids two paths that differ only there.
        method, path = _untrusted(endpoint.method).lower(), _template(_untrusted(endpoint.path))
        for operation in self.facts.operations:
            if operation.method == method and _template(operation.path) == path:
                return operation
        raise GenerationError(f"openapi-python-client produced an unknown operation {method} {path}")

    def operation_modules(self, collections_by_tag: Mapping[str, Any]) -> dict[str, str]:
        """operationId -> its module below `api/` as opc lays them out (`layer.session_token_create`)."""
        return {
            operation.operation_id: f"{tag}.{operation.python_name}"
            for tag, collection in sorted(collections_by_tag.items())
            for operation in map(self.operation_for, collection.endpoints)
        }


def opc_config_file(project: ProjectConfig) -> ConfigFile:
    """openapi-python-client's config: its options file plus the names from the project config."""
    from openapi_python_client.config import ConfigFile

    options = ConfigFile.load_from_path(project.config_file("openapi-python-client.yaml"))
    names = {"project_name_override": project.distribution, "package_name_override": project.package}
    return options.model_copy(update=names)


def package_version(project: ProjectConfig) -> str:
    """The version of the generated distribution: the newest release in the project's `release.toml`."""
    from generator.release.errors import ReleaseError
    from generator.release.history import current_version

    try:
        return current_version(project.config_file(RELEASE))
    except ReleaseError as exc:
        raise GenerationError(str(exc)) from exc


MAX_WARNINGS_SHOWN = 3


def summarise_warnings(tool: str, warnings: list[str]) -> str:
    """One short paragraph for a generator's warnings: how many, and the first few."""
    shown = [" ".join(w.split())[:200] for w in warnings[:MAX_WARNINGS_SHOWN]]
    more = len(warnings) - len(shown)
    lines = [f"{tool}: {len(warnings)} warning(s)", *(f"  - {w}" for w in shown)]
    if more:
        lines.append(f"  ... and {more} more")
    return "\n".join(lines)


def opc_document(facts: SpecFacts) -> dict[str, Any]:
    """The skeleton openapi-python-client renders from: each operation's path, method, id and tags.

    Our templates take everything else from the facts, so the schemas, bodies and responses that
    openapi-python-client would parse into attrs models (and we would throw away) are left out:
    a construct it cannot model can then neither stop nor slow the build.
    """
    paths: dict[str, Any] = {}
    # The resource module as the tag, so `api/<module>/` groups the operations as `_resources/` does.
    modules = {
        op.operation_id: resource.module for resource in resources(facts) for op in resource.operations
    }
    for op in facts.operations:
        tags = [modules[op.operation_id]]
        parameters = [
            {"name": p.json_name, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in op.wire_params
            if p.location == "path"
        ]
        paths.setdefault(op.path, {})[op.method] = {
            "operationId": op.operation_id,
            **({"tags": tags} if tags else {}),
            **({"parameters": parameters} if parameters else {}),
            "responses": {"200": {"description": "success"}},
        }
    return {"openapi": "3.1.0", "info": {"title": facts.title, "version": facts.version}, "paths": paths}


def run_openapi_python_client(spec_path: Path, facts: SpecFacts, scratch: Path, package_dir: Path) -> None:
    """Render the client and operation modules with openapi-python-client and our templates.

    It lays out the package (one module per operation, grouped by resource) from `opc_document`;
    its warnings are summarised on stderr. The facts stage has already refused anything we
    cannot honour; what matters here is that every operation got its module.
    """
    from openapi_python_client import Project
    from openapi_python_client.config import Config, MetaType
    from openapi_python_client.parser.errors import GeneratorError
    from openapi_python_client.parser.openapi import GeneratorData

    config = Config.from_sources(
        opc_config_file(facts.project), MetaType.NONE, spec_path, "utf-8", True, scratch
    )
    openapi = GeneratorData.from_dict(opc_document(facts), config=config)
    if isinstance(openapi, GeneratorError):
        raise GenerationError(f"openapi-python-client: {openapi.header}: {openapi.detail}")
    project = Project(openapi=openapi, custom_template_path=OPC_TEMPLATES, config=config)
    project.env.globals["layer"] = TemplateContext(facts, package_version(facts.project))
    project.env.filters.update(ESCAPING_FILTERS)
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            problems = project.build()
        except jinja2.TemplateError as exc:
            raise GenerationError(f"openapi-python-client template: {exc}") from exc
    modules = {path.stem for path in (scratch / "api").rglob("*.py")}
    missing = [op for op in facts.operations if op.python_name not in modules]
    details = [f"{p.header}: {p.detail}" for p in problems]
    if missing:
        names = ", ".join(f"{op.method.upper()} {op.path}" for op in missing)
        summary = summarise_warnings("openapi-python-client", details)
        raise GenerationError(f"openapi-python-client skipped {names}\n{summary}")
    if details:
        print(summarise_warnings("openapi-python-client", details), file=sys.stderr)
    package_dir.mkdir(parents=True, exist_ok=True)
    # Keep what our templates produce; opc's attrs models, types.py and errors.py are replaced by
    # the pydantic models and the runtime.
    for name in ("__init__.py", "client.py"):
        shutil.copy2(scratch / name, package_dir / name)
    shutil.copytree(scratch / "api", package_dir / "api")


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
    `models_dir` by the `users` of each model (`generator.model_modules`), so a call loads only
    its own operation's models. Its warnings are summarised on stderr; an exception stops the build.
    """
    import warnings as warnings_module

    from datamodel_code_generator import generate

    options = datamodel_codegen_options(package, options_file)
    options["aliases"] = protected_field_aliases(document)
    try:
        with (
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()) as err,
            warnings_module.catch_warnings(record=True) as caught,
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
    split = split_models(source, users, package)
    models_dir.mkdir(parents=True, exist_ok=True)
    for name, text in split.modules.items():
        (models_dir / f"{name}.py").write_text(text, encoding="utf-8")
    (models_dir / "__init__.py").write_text(render_index(split.index), encoding="utf-8")


def copy_runtime(package_dir: Path) -> None:
    """Copy the hand-written runtime modules, unchanged, into the package."""
    for source in sorted(RUNTIME.rglob("*.py")):
        target = package_dir / source.relative_to(RUNTIME)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def render_own_templates(spec: dict[str, Any], facts: SpecFacts, target: Path) -> None:
    """Render the files neither generator writes: webhooks, examples, packaging."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(OWN_TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = repr
    env.filters.update(ESCAPING_FILTERS)
    env.filters["json"] = lambda value: json.dumps(value, indent=4, sort_keys=False)
    layer = TemplateContext(facts, package_version(facts.project))
    context = {
        "layer": layer,
        "facts": facts,
        "changelog": _changelog(facts.project),
    }
    package = facts.project.package
    for template_path in sorted(OWN_TEMPLATES.rglob("*.jinja")):
        relative = template_path.relative_to(OWN_TEMPLATES).as_posix()
        output = target / relative.removesuffix(".jinja").replace(PACKAGE_PLACEHOLDER, package)
        each = {r.module: r for r in layer.resources} if RESOURCE_PLACEHOLDER in relative else {"": None}
        output.parent.mkdir(parents=True, exist_ok=True)
        for module, resource in each.items():
            path = output.with_name(output.name.replace(RESOURCE_PLACEHOLDER, module))
            try:
                path.write_text(
                    env.get_template(relative).render(**context, resource=resource), encoding="utf-8"
                )
            except jinja2.TemplateError as exc:
                raise GenerationError(f"template {relative}: {exc}") from exc
    (target / package / "py.typed").write_text("", encoding="utf-8")


def _changelog(project: ProjectConfig) -> str:
    from generator.release.errors import ReleaseError
    from generator.release.history import read_history
    from generator.release.render import render_changelog

    try:
        return render_changelog(read_history(project.config_file(RELEASE)), project.distribution)
    except ReleaseError as exc:
        raise GenerationError(str(exc)) from exc


def _ruff(*args: str, cwd: Path) -> None:
    command = [sys.executable, "-m", "ruff", *args]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise GenerationError(f"ruff {args[0]} failed: {(result.stdout + result.stderr).strip()}")


def format_tree(target: Path) -> None:
    """Sort imports and format with ruff, isolated from any project config, with a fixed rule set."""
    common = ["--isolated", "--no-cache", "--target-version", "py311", "--line-length", "110"]
    _ruff("check", *common, "--select", "I,F401", "--fix-only", "--exit-zero", ".", cwd=target)
    _ruff("format", *common, ".", cwd=target)


def _runtime_source(path: Path, package_dir: Path) -> Path | None:
    """The hand-written module under `templates/runtime/` that `path` is a copy of, if any."""
    if not path.is_relative_to(package_dir):
        return None
    source = RUNTIME / path.relative_to(package_dir)
    return source if source.suffix == ".py" and source.is_file() else None


def add_headers(target: Path, package_dir: Path) -> None:
    """Start every generated file with the one-line header (once).

    A runtime module copied into `package_dir` gets `COPIED_HEADER`, naming the file to edit,
    since regenerating from the spec would never change it.
    """
    for path in sorted(target.rglob("*")):
        style = COMMENT_STYLES.get(path.suffix)
        if not path.is_file() or style is None:
            continue
        source = _runtime_source(path, package_dir)
        if source is None:
            header = HEADER
        else:
            header = COPIED_HEADER.format(source=f"templates/{source.relative_to(TEMPLATES).as_posix()}")
        text = path.read_text(encoding="utf-8")
        line = header_line(style, header)
        if not text.startswith(line):
            path.write_text(line + text, encoding="utf-8")
