"""Our own templates (`templates/package/`): what neither generator writes.

The webhooks, the testing kit's examples, the packaging files and the changelog. A `{package}` in
a template's path is the package name; a `{resource}` renders the template once per resource module.
"""

from __future__ import annotations

from pathlib import Path

from generator.build.changelog import render_changelog
from generator.build.history import read_history
from generator.build.templating import TemplateContext, package_version, render
from generator.errors import GenerationError, ReleaseError
from generator.facts import SpecFacts
from generator.paths import RELEASE, TEMPLATES
from generator.project import ProjectConfig

OWN_TEMPLATES = TEMPLATES / "package"
PACKAGE_PLACEHOLDER = "{package}"
"""In the path of one of our templates, the package name from the project config."""
RESOURCE_PLACEHOLDER = "{resource}"
"""In the path of one of our templates: render it once per resource module, with `resource` set."""


def render_own_templates(facts: SpecFacts, target: Path) -> None:
    """Render the files neither generator writes into the distribution folder `target`."""
    layer = TemplateContext(facts, package_version(facts.project))
    context = {"layer": layer, "facts": facts, "changelog": _changelog(facts.project)}
    package = facts.project.package
    prefix = OWN_TEMPLATES.relative_to(TEMPLATES).as_posix()
    for template_path in sorted(OWN_TEMPLATES.rglob("*.jinja")):
        relative = template_path.relative_to(OWN_TEMPLATES).as_posix()
        output = target / relative.removesuffix(".jinja").replace(PACKAGE_PLACEHOLDER, package)
        each = {r.module: r for r in layer.resources} if RESOURCE_PLACEHOLDER in relative else {"": None}
        output.parent.mkdir(parents=True, exist_ok=True)
        for module, resource in each.items():
            path = output.with_name(output.name.replace(RESOURCE_PLACEHOLDER, module))
            text = render(f"{prefix}/{relative}", **context, resource=resource)
            path.write_text(text, encoding="utf-8")
    (target / package / "py.typed").write_text("", encoding="utf-8")


def _changelog(project: ProjectConfig) -> str:
    try:
        return render_changelog(read_history(project.config_file(RELEASE)), project.distribution)
    except ReleaseError as exc:
        raise GenerationError(str(exc)) from exc
