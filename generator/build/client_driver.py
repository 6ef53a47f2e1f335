"""The openapi-python-client driver: the client and the operation modules, rendered with our templates.

On a large spec it runs in a child interpreter (`pipeline.client_stage`, a `ChildStage`), beside
datamodel-code-generator, so its imports and heap are never added to the build's own; on a small
one it runs after the models, in the build's own process.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from generator.build.escaping import ESCAPING_FILTERS
from generator.build.resources import resources
from generator.build.summary import summarise_warnings
from generator.build.templating import TemplateContext, package_version
from generator.errors import GenerationError
from generator.facts import SpecFacts
from generator.paths import TEMPLATES
from generator.project import ProjectConfig

if TYPE_CHECKING:
    from openapi_python_client.config import ConfigFile

OPC_TEMPLATES = TEMPLATES / "openapi-python-client"


def opc_config_file(project: ProjectConfig) -> ConfigFile:
    """openapi-python-client's config: its options file plus the names from the project config."""
    # Lazy: a heavy third-party generator, imported only in the child that runs it.
    from openapi_python_client.config import ConfigFile

    options = ConfigFile.load_from_path(project.config_file("openapi-python-client.yaml"))
    names = {"project_name_override": project.distribution, "package_name_override": project.package}
    return options.model_copy(update=names)


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

    It lays out the package (one module per operation, grouped by resource) from `opc_document`,
    handed over parsed: openapi-python-client never reads the spec file (`spec_path` only names
    it). Its warnings are summarised on stderr. The facts stage has already refused anything we
    cannot honour; what matters here is that every operation got its module.
    """
    # Lazy: a heavy third-party generator, imported only in the child that runs it.
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


def render_client(spec_path: Path, facts: SpecFacts, package_dir: Path) -> None:
    """openapi-python-client's stage, with a scratch folder of its own."""
    with tempfile.TemporaryDirectory(prefix="layer-codegen-opc-") as scratch:
        run_openapi_python_client(spec_path, facts, Path(scratch) / package_dir.name, package_dir)
